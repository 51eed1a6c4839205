"""The files govsim ships with: scenarios, experiments and its documentation.

They are package data (``govsim/scenarios``, ``govsim/experiments``, ``govsim/docs`` —
in a checkout these are links to the repository's own ``scenarios/``, ``experiments/``
and ``docs/``), read through :mod:`importlib.resources`, so that an installed govsim finds
them from any folder. This is the one place that knows where they are.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEFAULT_SCENARIO = "parking_x_community"
DEFAULT_FACTS = "stylized_facts"


def _folder(name: str) -> Path:
    return Path(str(resources.files("govsim") / name))


def scenarios_dir() -> Path:
    return _folder("scenarios")


def experiments_dir() -> Path:
    return _folder("experiments")


def docs_dir() -> Path:
    return _folder("docs")


def packaged_scenarios() -> list[Path]:
    return sorted(scenarios_dir().glob("*.toml"))


def packaged_experiments() -> list[Path]:
    return sorted(experiments_dir().glob("*.toml"))


def _find(text: str, folder: Path) -> Path:
    """The path as given when it names a file; otherwise the file of that name (with or
    without ``.toml``) shipped with govsim, if there is one; otherwise the path as given
    (its reader then says there is no such file)."""
    path = Path(text)
    if path.exists() or path.parent != Path("."):
        return path
    packaged = folder / (path.name if path.suffix == ".toml" else f"{path.name}.toml")
    return packaged if packaged.is_file() else path


def scenario_path(text: str | Path) -> Path:
    """A scenario given by path or by the name of one govsim ships (``xianlin_street``)."""
    return _find(str(text), scenarios_dir())


def experiment_path(text: str | Path) -> Path:
    """An experiment given by path or by the name of one govsim ships."""
    return _find(str(text), experiments_dir())


def names_hint(folder: Path) -> str:
    """What to say when neither a file nor a shipped name was given."""
    return "expected a file, or the name of one govsim ships: " + ", ".join(
        p.stem for p in sorted(folder.glob("*.toml")))


def odd_text() -> str | None:
    """The model description (docs/ODD.md), or None when it is missing."""
    path = docs_dir() / "ODD.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def source_checkout() -> Path | None:
    """The repository the package runs from, when it runs from a checkout (for recording
    the git commit of a sweep); None for an installed package."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / ".git").exists() else None
