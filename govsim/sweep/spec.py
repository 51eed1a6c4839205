"""Experiment files (``experiments/*.toml``) → a validated :class:`Experiment`.

An experiment is a scenario run many times: under some regimes, at the points of a design
over some parameters, with some replicates per point. Layout::

    [experiment]   name, title, question (one paragraph), scenario (path, relative to this
                   file), regimes (list), replicates, days (horizon; default: the scenario's)
    [seeds]        policy = "paired" (common random numbers: replicate r has the same seed
                   under every regime and at every point; seed = first + r, the seeds of
                   ``govsim run --seeds``) or "independent" (seed drawn from entropy, point,
                   regime and replicate); first; entropy
    [set]          fixed parameter values for every run (e.g. households = 300)
    [design]       kind = "factorial" | "lhs" | "sobol" | "morris"; samples (N, for
                   lhs/sobol/morris); levels (morris); second_order (sobol); seed
    [parameters.NAME]
                   values = [...]                       (factorial), or
                   low, high [, steps] [, scale = "linear" | "log"]
    [outputs]      daily, disputes, events (true/false), every (keep every k-th day)
    [analysis]     outputs: metrics for indices and figures (default: headline metrics)
    [testing]      fail = [{regime = ..., replicate = ...}, ...]: those runs raise on
                   purpose — only to exercise failure handling; recorded in the manifest

Every problem is reported at once, each naming the key, the value and what was expected.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govsim.errors import InputFileError
from govsim.institutions import REGIMES
from govsim.parameters import PARAMETERS, ParameterError, coerce
from govsim.scenario import Scenario, ScenarioError, load_scenario

DESIGNS = ("factorial", "lhs", "sobol", "morris")
SEED_POLICIES = ("paired", "independent")
_SECTIONS = {"experiment", "seeds", "set", "design", "parameters", "outputs", "analysis",
             "testing"}
SWEEP_SECTIONS = frozenset(_SECTIONS) - {"experiment"}  # only this format has them
_KEYS = {
    "experiment": {"name", "title", "question", "scenario", "regimes", "replicates", "days"},
    "seeds": {"policy", "first", "entropy"},
    "design": {"kind", "samples", "levels", "second_order", "seed"},
    "outputs": {"daily", "disputes", "events", "every"},
    "analysis": {"outputs"},
    "testing": {"fail"},
}
_PARAM_KEYS = {"values", "low", "high", "steps", "scale"}
DEFAULT_OUTPUTS = ("median_days", "p90_days", "rmst_days", "resolved_share",
                   "escalated_share", "confrontations", "petitions", "staff_days",
                   "staff_days_per_resolved", "parking_closed_day")


class ExperimentError(InputFileError):
    """An experiment file that cannot be used; ``messages`` lists every problem."""

    prefix = "invalid experiment "


@dataclass(frozen=True)
class Axis:
    """One swept parameter: explicit values (factorial) or bounds (sampled designs)."""

    name: str
    values: tuple | None = None
    low: float | None = None
    high: float | None = None

    @property
    def integer(self) -> bool:
        return PARAMETERS[self.name].kind == "int"


@dataclass
class Experiment:
    name: str
    path: Path
    text: str
    scenario: Scenario
    scenario_text: str
    regimes: tuple[str, ...]
    replicates: int
    days: int
    title: str = ""
    question: str = ""
    seed_policy: str = "paired"
    first_seed: int = 0
    entropy: int = 0
    fixed: dict[str, Any] = field(default_factory=dict)
    design: str = "factorial"
    samples: int | None = None
    levels: int = 4
    second_order: bool = False
    design_seed: int = 0
    axes: tuple[Axis, ...] = ()
    keep_daily: bool = False
    keep_disputes: bool = False
    keep_events: bool = False
    every: int = 1
    analysis_outputs: tuple[str, ...] = DEFAULT_OUTPUTS
    fail: tuple[tuple[str | None, int | None], ...] = ()

    @property
    def sha256(self) -> str:
        """Identity of the experiment: its settings (parsed, so comments and layout do not
        count) and its scenario file. ``[testing]`` is left out: it decides only whether
        some runs fail, never what a run computes, so a store whose injected failures are
        lifted can be completed with ``--retry-failed``."""
        doc = tomllib.loads(self.text)
        doc.pop("testing", None)
        h = hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode())
        h.update(b"\0")
        h.update(self.scenario_text.encode())
        return h.hexdigest()


def _int(value: Any, key: str, low: int, errors: list[str], high: int | None = None
         ) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(f"{key} = {value!r}: expected a whole number ≥ {low}")
        return None
    if value < low or (high is not None and value > high):
        span = f"between {low} and {high}" if high is not None else f"≥ {low}"
        errors.append(f"{key} = {value!r}: expected a whole number {span}")
        return None
    return value


def _bool(value: Any, key: str, errors: list[str]) -> bool:
    if not isinstance(value, bool):
        errors.append(f"{key} = {value!r}: expected true or false")
        return False
    return value


def _axis(name: str, table: Any, design: str, errors: list[str]) -> Axis | None:
    where = f"parameters.{name}"
    if name not in PARAMETERS:
        import difflib

        close = difflib.get_close_matches(name, PARAMETERS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        errors.append(f"{where}: unknown parameter {name!r}{hint}")
        return None
    if not isinstance(table, dict):
        errors.append(f"{where} = {table!r}: expected a table with values = [...] or "
                      "low/high")
        return None
    for k in table:
        if k not in _PARAM_KEYS:
            errors.append(f"{where}.{k}: unknown key; expected one of "
                          + ", ".join(sorted(_PARAM_KEYS)))
    spec = PARAMETERS[name]
    if "values" in table:
        if design != "factorial":
            errors.append(f"{where}.values: a {design} design samples between low and high; "
                          "expected low and high instead of values")
            return None
        vals = table["values"]
        if not isinstance(vals, list) or not vals:
            errors.append(f"{where}.values = {vals!r}: expected a non-empty list")
            return None
        out = []
        for v in vals:
            try:
                out.append(coerce(name, v))
            except ParameterError as exc:
                errors.append(f"{where}.values: {exc}")
        if len({repr(v) for v in out}) != len(out):
            errors.append(f"{where}.values = {vals!r}: expected distinct values")
        return Axis(name, values=tuple(out))
    if "low" not in table or "high" not in table:
        errors.append(f"{where}: expected values = [...] or both low and high")
        return None
    if spec.kind not in ("int", "float"):
        errors.append(f"{where}: {name} is {spec.kind}, not a number; expected values = [...]")
        return None
    try:
        low, high = coerce(name, table["low"]), coerce(name, table["high"])
    except ParameterError as exc:
        errors.append(f"{where}: {exc}")
        return None
    if not low < high:
        errors.append(f"{where}: low = {low!r}, high = {high!r}: expected low < high")
        return None
    if design != "factorial":
        if "steps" in table or "scale" in table:
            errors.append(f"{where}: steps/scale apply to factorial designs only "
                          f"(design is {design})")
        return Axis(name, low=float(low), high=float(high))
    steps = _int(table.get("steps"), f"{where}.steps", 2, errors)
    scale = table.get("scale", "linear")
    if scale not in ("linear", "log"):
        errors.append(f"{where}.scale = {scale!r}: expected 'linear' or 'log'")
        return None
    if scale == "log" and low <= 0:
        errors.append(f"{where}: low = {low!r} with scale = 'log': expected low > 0")
        return None
    if steps is None:
        return None
    import numpy as np

    grid = (np.geomspace(low, high, steps) if scale == "log" else np.linspace(low, high, steps))
    # readable values: 4 significant figures on a log scale (117.4, not 117.4239414098)
    digits = 4 if scale == "log" else 10
    vals = [int(round(v)) if spec.kind == "int" else float(f"{v:.{digits}g}") for v in grid]
    vals = list(dict.fromkeys(vals))
    return Axis(name, values=tuple(coerce(name, v) for v in vals))


def _fact_sections(doc: dict) -> list[str]:
    """The sections that mark ``govsim facts``' file format (experiments/stylized_facts.toml),
    which lives beside sweep experiments."""
    from govsim.validation.experiment import FACT_SECTIONS

    return [k for k in doc if k in FACT_SECTIONS]


def parse_experiment(text: str, path: Path) -> Experiment:
    """Validate the text of an experiment file read from ``path``."""
    source = str(path)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ExperimentError(source, [f"not valid TOML: {exc}"]) from None
    facts = _fact_sections(doc)
    if facts:
        raise ExperimentError(source, [
            f"a stylized-facts file (sections {', '.join(facts)}), not a sweep experiment; "
            f"run it with: govsim facts {source}"])
    errors: list[str] = []
    for k in doc:
        if k not in _SECTIONS:
            errors.append(f"[{k}]: unknown section; expected one of "
                          + ", ".join(sorted(_SECTIONS)))
    for section, allowed in _KEYS.items():
        table = doc.get(section, {})
        if not isinstance(table, dict):
            errors.append(f"{section} = {table!r}: expected a table [{section}]")
            doc[section] = {}
            continue
        for k in table:
            if k not in allowed:
                errors.append(f"{section}.{k}: unknown key; expected one of "
                              + ", ".join(sorted(allowed)))
    exp = doc.get("experiment", {})
    name = exp.get("name", path.stem)
    if not isinstance(name, str) or not name:
        errors.append(f"experiment.name = {name!r}: expected a non-empty string")

    scenario = None
    scenario_text = ""
    sc_path = exp.get("scenario")
    if sc_path is None:
        errors.append("experiment.scenario: missing; expected the path of a scenario file "
                      "(relative to the experiment file)")
    elif not isinstance(sc_path, str):
        errors.append(f"experiment.scenario = {sc_path!r}: expected a path (string)")
    else:
        full = (path.parent / sc_path).resolve()
        if not full.is_file():
            errors.append(f"experiment.scenario = {sc_path!r}: no such file ({full})")
        else:
            try:
                scenario = load_scenario(full)
                scenario_text = full.read_text()
            except ScenarioError as exc:
                errors.append(f"experiment.scenario = {sc_path!r}: invalid scenario: "
                              + "; ".join(exc.messages))

    regimes = exp.get("regimes", list(REGIMES))
    if not isinstance(regimes, list) or not regimes:
        errors.append(f"experiment.regimes = {regimes!r}: expected a non-empty list of "
                      + ", ".join(REGIMES))
        regimes = []
    for r in regimes:
        if r not in REGIMES:
            errors.append(f"experiment.regimes: {r!r} is not a regime; expected one of "
                          + ", ".join(REGIMES))
    if len(set(map(str, regimes))) != len(regimes):
        errors.append(f"experiment.regimes = {regimes!r}: expected each regime once")
    replicates = _int(exp.get("replicates", 1), "experiment.replicates", 1, errors)

    seeds = doc.get("seeds", {})
    policy = seeds.get("policy", "paired")
    if policy not in SEED_POLICIES:
        errors.append(f"seeds.policy = {policy!r}: expected one of "
                      + ", ".join(SEED_POLICIES))
    first = _int(seeds.get("first", 0), "seeds.first", 0, errors, 2**62)
    entropy = _int(seeds.get("entropy", 0), "seeds.entropy", 0, errors, 2**62)

    fixed: dict[str, Any] = {}
    set_table = doc.get("set", {})
    if isinstance(set_table, dict):
        for k, v in set_table.items():
            try:
                fixed[k] = coerce(k, v)
            except ParameterError as exc:
                errors.append(f"set.{k}: {exc}")
    days = exp.get("days")
    if days is not None:
        days = _int(days, "experiment.days", 1, errors, 100_000)
    elif "days" in fixed:
        days = fixed["days"]
    elif scenario is not None:
        days = scenario.days
    if days is not None:
        fixed["days"] = days

    design = doc.get("design", {})
    kind = design.get("kind", "factorial")
    if kind not in DESIGNS:
        errors.append(f"design.kind = {kind!r}: expected one of " + ", ".join(DESIGNS))
        kind = "factorial"
    samples = design.get("samples")
    if kind != "factorial":
        if samples is None:
            errors.append(f"design.samples: missing; a {kind} design needs the number of "
                          "samples N (a whole number ≥ 2)")
        else:
            samples = _int(samples, "design.samples", 2, errors, 1_000_000)
        if kind == "sobol" and isinstance(samples, int) and samples & (samples - 1):
            errors.append(f"design.samples = {samples}: a sobol design needs a power of 2 "
                          "(e.g. 32, 64, 128)")
    elif samples is not None:
        errors.append("design.samples: only lhs, sobol and morris designs take samples")
    levels = _int(design.get("levels", 4), "design.levels", 2, errors, 100) or 4
    second_order = _bool(design.get("second_order", False), "design.second_order", errors)
    design_seed = _int(design.get("seed", 0), "design.seed", 0, errors, 2**32 - 1) or 0

    axes = []
    params = doc.get("parameters", {})
    if not isinstance(params, dict):
        errors.append(f"parameters = {params!r}: expected tables [parameters.NAME]")
        params = {}
    for pname, table in params.items():
        axis = _axis(pname, table, kind, errors)
        if axis is not None:
            axes.append(axis)
            if pname in fixed and pname != "days":
                errors.append(f"parameters.{pname}: also fixed in [set]; expected one or "
                              "the other")
            if pname == "days":
                errors.append("parameters.days: the horizon is experiment.days; it cannot "
                              "be swept (runs would not be comparable)")
    if kind != "factorial" and len(axes) < (1 if kind == "lhs" else 2):
        errors.append(f"design.kind = {kind!r}: expected at least "
                      f"{1 if kind == 'lhs' else 2} parameters with low/high")

    outputs = doc.get("outputs", {})
    keep = {k: _bool(outputs.get(k, False), f"outputs.{k}", errors)
            for k in ("daily", "disputes", "events")}
    every = _int(outputs.get("every", 1), "outputs.every", 1, errors) or 1

    analysis = doc.get("analysis", {})
    aouts = analysis.get("outputs", list(DEFAULT_OUTPUTS))
    if not isinstance(aouts, list) or not all(isinstance(x, str) for x in aouts) or not aouts:
        errors.append(f"analysis.outputs = {aouts!r}: expected a list of run metric names")
        aouts = list(DEFAULT_OUTPUTS)

    fail = []
    testing = doc.get("testing", {})
    for i, item in enumerate(testing.get("fail", [])):
        if not isinstance(item, dict) or not set(item) <= {"regime", "replicate"}:
            errors.append(f"testing.fail[{i}] = {item!r}: expected a table with regime "
                          "and/or replicate")
            continue
        fail.append((item.get("regime"), item.get("replicate")))

    if errors or scenario is None:
        raise ExperimentError(source, errors or ["experiment.scenario: not loaded"])
    _check_fixed(fixed, scenario, source)
    return Experiment(
        name=name, path=path, text=text, scenario=scenario, scenario_text=scenario_text,
        regimes=tuple(regimes), replicates=replicates, days=days,
        title=exp.get("title", ""), question=exp.get("question", ""),
        seed_policy=policy, first_seed=first, entropy=entropy, fixed=fixed, design=kind,
        samples=samples, levels=levels, second_order=second_order, design_seed=design_seed,
        axes=tuple(axes), keep_daily=keep["daily"], keep_disputes=keep["disputes"],
        keep_events=keep["events"], every=every, analysis_outputs=tuple(aouts),
        fail=tuple(fail))


def _check_fixed(fixed: dict, scenario: Scenario, source: str) -> None:
    from govsim.parameters import resolve

    try:
        resolve({**scenario.params, **fixed})
    except ParameterError as exc:
        raise ExperimentError(source, [f"set: {exc}"]) from None


def load_experiment(path: str | Path) -> Experiment:
    path = Path(path)
    if not path.is_file():
        raise ExperimentError(str(path), ["no such file"])
    return parse_experiment(path.read_text(), path)
