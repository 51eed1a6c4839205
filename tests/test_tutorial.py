"""docs/tutorial.ipynb runs as it is, in a fresh kernel of this interpreter, from the
repository root, and shows what it says it shows."""

import json
import sys
from pathlib import Path

import pytest

_DEV = "the dev extra runs notebooks: pip install -e '.[dev]' (make setup does)"
nbformat = pytest.importorskip("nbformat", reason=_DEV)
nbclient = pytest.importorskip("nbclient", reason=_DEV)
pytest.importorskip("ipykernel", reason=_DEV)

from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "tutorial.ipynb"
KERNEL = "govsim-tests"


def _kernel(tmp_path: Path) -> KernelManager:
    """A kernel of the interpreter running the tests, from a spec of our own: no user-level
    Jupyter installation or kernel of the same name can stand in for it."""
    spec = tmp_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "govsim tests", "language": "python"}))
    return KernelManager(kernel_name=KERNEL,
                         kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec.parent)]))


def _tagged(nb, tag: str):
    (cell,) = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    return cell


def test_the_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_the_tutorial_runs_and_shows_the_regimes_the_curves_and_the_sweep(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, km=_kernel(tmp_path), timeout=120,
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on error

    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"]

    regimes = _tagged(nb, "regime-table").outputs
    html = "".join(o.data.get("text/html", "") for o in regimes if "data" in o)
    for name in ("market", "state", "grid", "median_days", "resolved_share"):
        assert f">{name}<" in html, name

    figures = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
               if "image/png" in o.get("data", {})]
    assert len(figures) == 1  # the Kaplan–Meier curves

    sweep = "".join(o.data.get("text/plain", "") for o in _tagged(nb, "sweep-table").outputs
                    if "data" in o)
    assert "state" in sweep and "grid" in sweep and "0.9" in sweep
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.outputs if o.output_type == "stream")
    assert "8 runs done, 0 failed" in printed
