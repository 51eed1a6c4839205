"""Start-up: a command imports only what it uses. ``import govsim`` and parsing the command
line (``govsim --help``) import none of mesa, pandas, scipy and matplotlib (together about
a second); ``govsim run`` without ``--out`` draws no figure, so it imports no matplotlib.
Checked in a fresh interpreter by what ends up in ``sys.modules`` — not by timing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("mesa", "pandas", "scipy", "matplotlib")


def _heavy_after(code: str) -> list[str]:
    """The heavy packages in ``sys.modules`` after ``code`` ran in a fresh interpreter."""
    probe = (f"{code}\nimport sys, json\n"
             f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cli(*argv: str) -> str:
    return ("import contextlib, io, govsim.cli\n"
            "with contextlib.redirect_stdout(io.StringIO()), "
            "contextlib.redirect_stderr(io.StringIO()):\n"
            f"    try: govsim.cli.main({list(argv)!r})\n"
            "    except SystemExit: pass")


def test_import_govsim_is_light():
    assert _heavy_after("import govsim; govsim.__version__") == []


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["sweep", "--help"],
                                  ["facts", "--help"], ["app", "--help"],
                                  ["validate", "parking_x_community"]])
def test_parsing_the_command_line_imports_nothing_heavy(argv):
    assert _heavy_after(_cli(*argv)) == []


def test_a_run_without_out_draws_no_figure():
    heavy = _heavy_after(_cli("run", "parking_x_community", "--regime", "grid", "--seeds",
                              "1", "--days", "5", "--quiet"))
    assert "mesa" in heavy and "matplotlib" not in heavy
