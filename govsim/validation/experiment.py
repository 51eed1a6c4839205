"""The stylized-facts experiment file: which scenario, how many paired seeds, which
institution variations facts 5–7 need, and the thresholds a fact is judged against.

Checked like a scenario file: every problem is reported at once, each naming the key, the
value and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govsim.errors import InputFileError, parse_toml, read_input
from govsim.institutions import REGIMES
from govsim.parameters import ParameterError, coerce


class ExperimentError(InputFileError):
    """An experiment file that cannot be used; ``messages`` lists every problem found."""


@dataclass
class FactsExperiment:
    """What ``govsim facts`` runs; defaults are those of experiments/stylized_facts.toml."""

    name: str = "stylized_facts"
    title: str = ""
    scenario: Path = Path("scenarios/parking_x_community.toml")
    seeds: int = 30
    days: int | None = None
    confidence: float = 0.95
    max_closed_share: float = 0.5          # fact 1: market closes the parking dispute rarely
    window: tuple[int, int] = (21, 28)     # fact 2: Sep 22–29 ("three to four weeks")
    min_detected_first_share: float = 0.5  # fact 4: "most disputes"
    burden_regime: str = "state"           # fact 5
    burden_high: float = 0.9
    social_regime: str = "grid"            # fact 6
    social_set: dict[str, Any] = field(default_factory=lambda: {"social_mediation": False})
    workers_regime: str = "grid"           # fact 7
    households_per_grid_worker: tuple[float, ...] = (800.0, 400.0, 200.0, 100.0, 50.0)
    path: Path | None = None


# section -> key -> (attribute, checker)
def _int(lo, hi):
    def check(v):
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise ValueError(f"expected a whole number from {lo} to {hi}")
        return v
    return check


def _num(lo, hi):
    def check(v):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
            raise ValueError(f"expected a number from {lo:g} to {hi:g}")
        return float(v)
    return check


def _text(v):
    if not isinstance(v, str):
        raise ValueError("expected a string")
    return v


def _regime(v):
    if v not in REGIMES:
        raise ValueError(f"expected one of {', '.join(REGIMES)}")
    return v


def _window(v):
    if (not isinstance(v, list) or len(v) != 2
            or any(isinstance(x, bool) or not isinstance(x, int) for x in v) or v[0] > v[1]
            or v[0] < 0):
        raise ValueError("expected [first_day, last_day], whole days with first ≤ last")
    return (int(v[0]), int(v[1]))


def _param(name):
    def check(v):
        try:
            return coerce(name, v)
        except ParameterError as exc:
            raise ValueError(str(exc).split(": ", 1)[-1]) from None
    return check


def _workers(v):
    if not isinstance(v, list) or len(v) < 3:
        raise ValueError("expected a list of at least 3 values (households per grid worker)")
    values = tuple(_param("households_per_grid_worker")(x) for x in v)
    if len(set(values)) != len(values):
        raise ValueError("expected distinct values")
    return tuple(sorted(values, reverse=True))


def _settings(v):
    if not isinstance(v, dict) or not v:
        raise ValueError("expected a table of parameter = value")
    out = {}
    for key, value in v.items():
        try:
            out[key] = coerce(key, value)
        except ParameterError as exc:
            raise ValueError(str(exc)) from None
    return out


_SCHEMA: dict[str, dict[str, tuple[str, Any]]] = {
    "experiment": {"name": ("name", _text), "title": ("title", _text),
                   "scenario": ("scenario", _text), "seeds": ("seeds", _int(2, 10_000)),
                   "days": ("days", _int(1, 100_000)),
                   "confidence": ("confidence", _num(0.5, 0.999))},
    "market_lock_in": {"max_closed_share": ("max_closed_share", _num(0.0, 1.0))},
    "state_case": {"window": ("window", _window)},
    "big_fuss": {},
    "grid_advantage": {"min_detected_first_share": ("min_detected_first_share",
                                                    _num(0.0, 1.0))},
    "admin_burden": {"regime": ("burden_regime", _regime),
                     "committee_admin_burden": ("burden_high",
                                                _param("committee_admin_burden"))},
    "social_organisations": {"regime": ("social_regime", _regime),
                             "set": ("social_set", _settings)},
    "grid_workers": {"regime": ("workers_regime", _regime),
                     "households_per_grid_worker": ("households_per_grid_worker", _workers)},
}


# the sections only this format has (beside [experiment], which both formats share)
FACT_SECTIONS = frozenset(_SCHEMA) - {"experiment"}

def parse_experiment(text: str, source: str = "<experiment>", base: Path | None = None
                     ) -> FactsExperiment:
    doc = parse_toml(text, source, ExperimentError)
    from govsim.sweep.spec import SWEEP_SECTIONS

    sweep = [k for k in doc if k in SWEEP_SECTIONS]
    if sweep:
        raise ExperimentError(source, [
            f"a sweep experiment (sections {', '.join(sweep)}), not a stylized-facts file; "
            f"run it with: govsim sweep {source}"])
    errors: list[str] = []
    values: dict[str, Any] = {}
    for section, body in doc.items():
        schema = _SCHEMA.get(section)
        if schema is None:
            errors.append(f"[{section}]: unknown section, expected one of "
                          f"{', '.join(_SCHEMA)}")
            continue
        if not isinstance(body, dict):
            errors.append(f"{section} = {body!r}: expected a [{section}] table")
            continue
        for key, value in body.items():
            if key not in schema:
                known = ", ".join(schema) or "no keys"
                errors.append(f"{section}.{key}: unknown key, expected {known}")
                continue
            attr, check = schema[key]
            try:
                values[attr] = check(value)
            except ValueError as exc:
                errors.append(f"{section}.{key} = {value!r}: {exc}")
    if errors:
        raise ExperimentError(source, errors)
    exp = FactsExperiment(**values)
    base = base or Path.cwd()
    scenario = Path(values.get("scenario", exp.scenario))
    exp.scenario = scenario if scenario.is_absolute() else (base / scenario)
    if not exp.scenario.is_file():
        raise ExperimentError(source, [f"experiment.scenario = {str(scenario)!r}: no such "
                                       f"file (looked for {exp.scenario})"])
    return exp


def load_experiment(path: str | Path) -> FactsExperiment:
    """Read and check an experiment file; relative scenario paths are taken from the
    file's folder."""
    path = Path(path)
    exp = parse_experiment(read_input(path, ExperimentError), str(path), path.parent)
    exp.path = path
    return exp
