"""Experiment files (``experiments/*.toml``) → a validated :class:`Experiment`.

An experiment is a scenario run many times: under some regimes, at the points of a design
over some parameters, with some replicates per point. Layout::

    [experiment]   name (a plain name: results go to results/<name>), title, question (one
                   paragraph), scenario (path, relative to this file), regimes (list),
                   replicates, days (horizon; default: the scenario's)
    [seeds]        policy = "paired" (common random numbers: replicate r has the same seed
                   under every regime and at every point; seed = first + r, the seeds of
                   ``govsim run --seeds``) or "independent" (seed drawn from entropy, point,
                   regime and replicate); first; entropy
    [set]          fixed parameter values for every run (e.g. households = 300)
    [design]       kind = "factorial" | "lhs" | "sobol" | "morris" | "points"; samples
                   (N, for lhs/sobol/morris); levels (morris); second_order (sobol); seed
    [parameters.NAME]
                   values = [...]                       (factorial), or
                   low, high, steps [, scale = "linear" | "log"]   (factorial), or
                   low, high                            (lhs, sobol, morris)
    [points.NAME]  named points (design "points", instead of [parameters]): parameter
                   values, and optionally regimes = [...] (a subset of the experiment's)
                   and replicates — e.g. [points.base], [points.burden_high] with
                   committee_admin_burden = 0.9 and regimes = ["state"]
    [facts.GROUP]  settings of the stylized facts ``govsim facts`` checks on the results
                   (govsim.validation.facts); other commands ignore them
    [outputs]      daily, disputes, events (true/false), every (keep every k-th day)
    [analysis]     outputs: metrics for indices and figures (default: headline metrics)
    [testing]      fail = [{regime = ..., replicate = ...}, ...] (a regime of the experiment,
                   a replicate it has): those runs raise on purpose — only to exercise
                   failure handling; recorded in the manifest

Every problem is reported at once, each naming the key, the value and what was expected.
Sizes are bounded (:data:`LIMITS`) and the number of runs is computed from the design before
anything is planned (:func:`run_count`): above :data:`MAX_RUNS` a sweep needs
``--allow-large``, and never runs more than :data:`MAX_RUNS_LARGE`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govsim.errors import InputFileError, int_problem, parse_toml, read_input, show
from govsim.institutions import REGIMES
from govsim.metrics import NUMERIC_FIELDS, TEXT_FIELDS
from govsim.parameters import PARAMETERS, ParameterError
from govsim.scenario import Scenario, ScenarioError, check_param, parse_scenario
from govsim.sweep.options import MAX_RUNS, MAX_RUNS_LARGE

DESIGNS = ("factorial", "lhs", "sobol", "morris", "points")
SEED_POLICIES = ("paired", "independent")
_SECTIONS = {"experiment", "seeds", "set", "design", "parameters", "points", "outputs",
             "analysis", "facts", "testing"}
_KEYS = {
    "experiment": {"name", "title", "question", "scenario", "regimes", "replicates", "days"},
    "seeds": {"policy", "first", "entropy"},
    "design": {"kind", "samples", "levels", "second_order", "seed"},
    "outputs": {"daily", "disputes", "events", "every"},
    "analysis": {"outputs"},
    "testing": {"fail"},
}
_PARAM_KEYS = {"values", "low", "high", "steps", "scale"}
_POINT_KEYS = {"regimes", "replicates"}  # beside the point's parameter values
# Run metrics that can be analysed as numbers: the run summary's declared fields.
RUN_METRICS = NUMERIC_FIELDS
TEXT_METRICS = TEXT_FIELDS  # stored, but not numbers

# Bounds on every size an experiment states: (low, high) per key.
LIMITS = {
    "experiment.replicates": (1, 100_000),
    "experiment.days": (1, int(PARAMETERS["days"].high)),
    "seeds.first": (0, 2**62),
    "seeds.entropy": (0, 2**62),
    "design.samples": (2, 100_000),
    "design.levels": (2, 100),
    "design.seed": (0, 2**32 - 1),
    "steps": (2, 1_000),
    "values": (1, 1_000),
    "outputs.every": (1, 100_000),
}
NAME = re.compile(r"\w[\w.-]{0,99}")  # a plain name: results/<name> stays in results/

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


@dataclass(frozen=True)
class NamedPoint:
    """One named point: parameter values, under some of the experiment's regimes, with its
    own number of replicates."""

    name: str
    values: dict[str, Any]
    regimes: tuple[str, ...]
    replicates: int


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
    points: tuple[NamedPoint, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)
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


def _int(value: Any, key: str, errors: list[str], default: int | None = None
         ) -> int | None:
    """A whole number within ``LIMITS[key]`` (the key without its parameter prefix for
    steps), or ``default`` after noting the problem."""
    limit = LIMITS.get(key) or LIMITS[key.rsplit(".", 1)[-1]]
    problem = int_problem(key, value, *limit)
    if problem:
        errors.append(problem)
        return default
    return value


def _bool(value: Any, key: str, errors: list[str]) -> bool:
    if not isinstance(value, bool):
        errors.append(f"{key} = {show(value)}: expected true or false")
        return False
    return value


def _text(table: dict, key: str, section: str, errors: list[str], default: str = "") -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        errors.append(f"{section}.{key} = {show(value)}: expected a string")
        return default
    return value


def _param_error(where: str, exc: ParameterError) -> str:
    return f"{where}: {exc}"


def _axis(name: str, table: Any, design: str, errors: list[str]) -> Axis | None:
    where = f"parameters.{name}"
    if name not in PARAMETERS:
        import difflib

        close = difflib.get_close_matches(name, PARAMETERS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        errors.append(f"{where}: unknown parameter {name!r}{hint}")
        return None
    if not isinstance(table, dict):
        errors.append(f"{where} = {show(table)}: expected a table with values = [...] or "
                      "low/high")
        return None
    for k in table:
        if k not in _PARAM_KEYS:
            errors.append(f"{where}.{k}: unknown key; expected one of "
                          + ", ".join(sorted(_PARAM_KEYS)))
    if "values" in table:
        return _values_axis(name, table["values"], design, where, errors)
    return _range_axis(name, table, design, where, errors)


def _values_axis(name: str, vals: Any, design: str, where: str, errors: list[str]
                 ) -> Axis | None:
    if design != "factorial":
        errors.append(f"{where}.values: a {design} design samples between low and high; "
                      "expected low and high instead of values")
        return None
    low, high = LIMITS["values"]
    if not isinstance(vals, list) or not low <= len(vals) <= high:
        errors.append(f"{where}.values = {show(vals)}: expected a list of {low} to {high:,} "
                      "values")
        return None
    out = []
    for v in vals:
        try:
            out.append(check_param(name, v, f"{where}.values"))
        except ParameterError as exc:
            errors.append(str(exc))
    if len({repr(v) for v in out}) != len(out):
        errors.append(f"{where}.values = {show(vals)}: expected distinct values")
    return Axis(name, values=tuple(out))


def _range_axis(name: str, table: dict, design: str, where: str, errors: list[str]
                ) -> Axis | None:
    spec = PARAMETERS[name]
    if "low" not in table or "high" not in table:
        errors.append(f"{where}: expected values = [...] or both low and high")
        return None
    if spec.kind not in ("int", "float"):
        errors.append(f"{where}: {name} is {spec.kind}, not a number; expected values = [...]")
        return None
    try:
        low = check_param(name, table["low"], f"{where}.low")
        high = check_param(name, table["high"], f"{where}.high")
    except ParameterError as exc:
        errors.append(str(exc))
        return None
    if not low < high:
        errors.append(f"{where}: low = {low!r}, high = {high!r}: expected low < high")
        return None
    if design != "factorial":
        if "steps" in table or "scale" in table:
            errors.append(f"{where}: steps/scale apply to factorial designs only "
                          f"(design is {design})")
        return Axis(name, low=float(low), high=float(high))
    if "steps" not in table:
        errors.append(f"{where}.steps: missing; a factorial design needs values = [...] or "
                      "low, high and steps")
        return None
    steps = _int(table["steps"], f"{where}.steps", errors)
    scale = table.get("scale", "linear")
    if scale not in ("linear", "log"):
        errors.append(f"{where}.scale = {show(scale)}: expected 'linear' or 'log'")
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
    return Axis(name, values=tuple(check_param(name, v) for v in vals))


def _points(table: dict, regimes: list[str], replicates: int | None, errors: list[str]
            ) -> tuple[NamedPoint, ...]:
    """``[points.NAME]`` tables: each a named point with its values, regimes, replicates."""
    out = []
    for name, body in table.items():
        where = f"points.{name}"
        if not NAME.fullmatch(name):
            errors.append(f"[{where}]: expected a plain name (letters, digits, '.', '-', '_')")
            continue
        if not isinstance(body, dict):
            errors.append(f"{where} = {show(body)}: expected a table of parameter values")
            continue
        mine = body.get("regimes", regimes)
        if (not isinstance(mine, list) or not mine
                or any(r not in regimes for r in mine) or len(set(map(str, mine))) != len(mine)):
            errors.append(f"{where}.regimes = {show(mine)}: expected a list of the "
                          f"experiment's regimes ({', '.join(regimes)}), each once")
            mine = []
        reps = _int(body.get("replicates", replicates or 1), "experiment.replicates", errors,
                    replicates or 1)
        values = {}
        for key, value in body.items():
            if key in _POINT_KEYS:
                continue
            if key == "days":
                errors.append(f"{where}.days: the horizon is experiment.days; a point cannot "
                              "change it (runs would not be comparable)")
                continue
            try:
                values[key] = check_param(key, value, f"{where}.{key}")
            except ParameterError as exc:
                errors.append(str(exc))
        out.append(NamedPoint(name, values, tuple(mine), reps or 1))
    return tuple(out)


def _tables(doc: dict, errors: list[str]) -> dict[str, dict]:
    """Every section as a table (``{}`` when absent); a section that is not a table — a
    number, a list, ``[[set]]`` — is a problem, never silently ignored."""
    for k in doc:
        if k not in _SECTIONS:
            errors.append(f"[{k}]: unknown section; expected one of "
                          + ", ".join(sorted(_SECTIONS))
                          + " (the settings of a group of stylized facts go in [facts.GROUP])")
    tables: dict[str, dict] = {}
    for section in sorted(_SECTIONS):
        table = doc.get(section, {})
        if not isinstance(table, dict):
            what = "tables [parameters.NAME]" if section == "parameters" else (
                f"a table [{section}]")
            errors.append(f"{section} = {show(table)}: expected {what}")
            table = {}
        allowed = _KEYS.get(section)
        for k in table if allowed is not None else ():
            if k not in allowed:
                errors.append(f"{section}.{k}: unknown key; expected one of "
                              + ", ".join(sorted(allowed)))
        tables[section] = table
    return tables


def _scenario(exp: dict, path: Path, errors: list[str]) -> tuple[Scenario | None, str]:
    """The scenario named by ``experiment.scenario`` (relative to the experiment file),
    resolved, and its text."""
    sc_path = exp.get("scenario")
    if sc_path is None:
        errors.append("experiment.scenario: missing; expected the path of a scenario file "
                      "(relative to the experiment file)")
        return None, ""
    if not isinstance(sc_path, str) or not sc_path.strip() or "\0" in sc_path:
        errors.append(f"experiment.scenario = {show(sc_path)}: expected the path of a "
                      "scenario file (a string)")
        return None, ""
    full = (path.parent / sc_path).resolve()
    try:
        text = read_input(full, ScenarioError)
        scenario = parse_scenario(text, str(full))
    except ScenarioError as exc:
        what = ("no such file" if exc.messages == ["no such file"]
                else "invalid scenario: " + "; ".join(exc.messages))
        errors.append(f"experiment.scenario = {show(sc_path)}: {what} ({full})")
        return None, ""
    scenario.path = full
    return scenario, text


def _regimes(exp: dict, errors: list[str]) -> list[str]:
    regimes = exp.get("regimes", list(REGIMES))
    if not isinstance(regimes, list) or not regimes:
        errors.append(f"experiment.regimes = {show(regimes)}: expected a non-empty list of "
                      + ", ".join(REGIMES))
        return []
    for r in regimes:
        if r not in REGIMES:
            errors.append(f"experiment.regimes: {show(r)} is not a regime; expected one of "
                          + ", ".join(REGIMES))
    if len(set(map(str, regimes))) != len(regimes):
        errors.append(f"experiment.regimes = {show(regimes)}: expected each regime once")
    return [r for r in regimes if r in REGIMES]


def _fixed(table: dict, errors: list[str]) -> dict[str, Any]:
    fixed: dict[str, Any] = {}
    for k, v in table.items():
        try:
            fixed[k] = check_param(k, v, f"set.{k}")
        except ParameterError as exc:
            errors.append(str(exc))
    return fixed


def _analysis(table: dict, errors: list[str]) -> tuple[str, ...]:
    aouts = table.get("outputs", list(DEFAULT_OUTPUTS))
    if not isinstance(aouts, list) or not aouts or not all(isinstance(x, str) for x in aouts):
        errors.append(f"analysis.outputs = {show(aouts)}: expected a non-empty list of run "
                      "metric names, e.g. " + ", ".join(DEFAULT_OUTPUTS[:3]))
        return DEFAULT_OUTPUTS
    for m in aouts:
        if m in TEXT_METRICS:
            errors.append(f"analysis.outputs: {m!r} is text, not a number; expected a "
                          "numeric run metric")
        elif m not in RUN_METRICS:
            import difflib

            close = difflib.get_close_matches(m, RUN_METRICS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            errors.append(f"analysis.outputs: {show(m)} is not a run metric ({hint}expected "
                          "one of " + ", ".join(RUN_METRICS) + ")")
    if len(set(aouts)) != len(aouts):
        errors.append(f"analysis.outputs = {show(aouts)}: expected each metric once")
    return tuple(dict.fromkeys(aouts))


def _failures(table: dict, regimes: list[str], replicates: int | None, errors: list[str]
              ) -> tuple[tuple[str | None, int | None], ...]:
    """``[testing] fail``: runs that raise on purpose, each naming a regime of the
    experiment and/or a replicate it has."""
    items = table.get("fail", [])
    if not isinstance(items, list):
        errors.append(f"testing.fail = {show(items)}: expected a list of tables "
                      "{regime = ..., replicate = ...}")
        return ()
    fail = []
    for i, item in enumerate(items):
        where = f"testing.fail[{i}]"
        if not isinstance(item, dict) or not item or not set(item) <= {"regime", "replicate"}:
            errors.append(f"{where} = {show(item)}: expected a table with regime and/or "
                          "replicate")
            continue
        regime, rep = item.get("regime"), item.get("replicate")
        if regime is not None and regime not in regimes:
            errors.append(f"{where}.regime = {show(regime)}: expected one of the "
                          f"experiment's regimes ({', '.join(regimes)})")
            continue
        if rep is not None and (problem := int_problem(f"{where}.replicate", rep, 0,
                                                       max((replicates or 1) - 1, 0))):
            errors.append(problem)
            continue
        fail.append((regime, rep))
    return tuple(fail)


def parse_experiment(text: str, path: Path) -> Experiment:
    """Validate the text of an experiment file read from ``path``."""
    source = str(path)
    doc = parse_toml(text, source, ExperimentError)
    errors: list[str] = []
    t = _tables(doc, errors)
    exp = t["experiment"]
    name = exp.get("name", path.stem)
    if not isinstance(name, str) or not NAME.fullmatch(name):
        errors.append(f"experiment.name = {show(name)}: expected a plain name (letters, "
                      "digits, '.', '-', '_'; no '/' and not starting with '.'), at most 100 "
                      "characters: results go to results/<name>")
    title = _text(exp, "title", "experiment", errors)
    question = _text(exp, "question", "experiment", errors)
    scenario, scenario_text = _scenario(exp, path, errors)
    regimes = _regimes(exp, errors)
    replicates = _int(exp.get("replicates", 1), "experiment.replicates", errors)

    seeds = t["seeds"]
    policy = seeds.get("policy", "paired")
    if policy not in SEED_POLICIES:
        errors.append(f"seeds.policy = {show(policy)}: expected one of "
                      + ", ".join(SEED_POLICIES))
    first = _int(seeds.get("first", 0), "seeds.first", errors, 0)
    entropy = _int(seeds.get("entropy", 0), "seeds.entropy", errors, 0)

    fixed = _fixed(t["set"], errors)
    days = exp.get("days")
    if days is not None:
        days = _int(days, "experiment.days", errors)
        if "days" in fixed and days is not None and fixed["days"] != days:
            errors.append(f"set.days = {fixed['days']} and experiment.days = {days}: "
                          "expected the horizon once (experiment.days)")
    elif "days" in fixed:
        days = fixed["days"]
    elif scenario is not None:
        days = scenario.days
    if days is not None:
        fixed["days"] = days

    design = t["design"]
    kind = design.get("kind", "points" if t["points"] else "factorial")
    if kind not in DESIGNS:
        errors.append(f"design.kind = {show(kind)}: expected one of " + ", ".join(DESIGNS))
        kind = "factorial"
    samples = design.get("samples")
    if kind in ("lhs", "sobol", "morris"):
        if samples is None:
            errors.append(f"design.samples: missing; a {kind} design needs the number of "
                          "samples N (a whole number ≥ 2)")
        else:
            samples = _int(samples, "design.samples", errors)
        if kind == "sobol" and isinstance(samples, int) and samples & (samples - 1):
            errors.append(f"design.samples = {samples}: a sobol design needs a power of 2 "
                          "(e.g. 32, 64, 128)")
    elif samples is not None:
        errors.append("design.samples: only lhs, sobol and morris designs take samples")
        samples = None
    levels = _int(design.get("levels", 4), "design.levels", errors, 4)
    second_order = _bool(design.get("second_order", False), "design.second_order", errors)
    design_seed = _int(design.get("seed", 0), "design.seed", errors, 0)

    axes = []
    for pname, table in t["parameters"].items():
        axis = _axis(pname, table, kind, errors)
        if axis is not None:
            axes.append(axis)
            if pname in fixed and pname != "days":
                errors.append(f"parameters.{pname}: also fixed in [set]; expected one or "
                              "the other")
            if pname == "days":
                errors.append("parameters.days: the horizon is experiment.days; it cannot "
                              "be swept (runs would not be comparable)")
    points = _points(t["points"], regimes, replicates, errors)
    if kind == "points":
        if axes:
            errors.append("[parameters]: a design of named points takes its values from "
                          "[points.NAME]; expected one or the other")
        if not points:
            errors.append("design.kind = 'points': expected at least one [points.NAME] table")
    elif points:
        errors.append(f"[points]: named points make a design of their own; expected no "
                      f"[points] with design.kind = {kind!r}")
    elif kind != "factorial" and len(axes) < (1 if kind == "lhs" else 2):
        errors.append(f"design.kind = {kind!r}: expected at least "
                      f"{1 if kind == 'lhs' else 2} parameters with low/high")
    for point in points:
        for key in point.values:
            if key in fixed and key != "days":
                errors.append(f"points.{point.name}.{key}: also fixed in [set]; expected one "
                              "or the other")

    outputs = t["outputs"]
    keep = {k: _bool(outputs.get(k, False), f"outputs.{k}", errors)
            for k in ("daily", "disputes", "events")}
    every = _int(outputs.get("every", 1), "outputs.every", errors, 1)
    aouts = _analysis(t["analysis"], errors)
    fail = _failures(t["testing"], regimes, replicates, errors)

    if errors or scenario is None:
        raise ExperimentError(source, errors or ["experiment.scenario: not loaded"])
    _check_fixed(fixed, scenario, source)
    return Experiment(
        name=name, path=path, text=text, scenario=scenario, scenario_text=scenario_text,
        regimes=tuple(regimes), replicates=replicates, days=days, title=title,
        question=question, seed_policy=policy, first_seed=first, entropy=entropy,
        fixed=fixed, design=kind, samples=samples, levels=levels, second_order=second_order,
        design_seed=design_seed, axes=tuple(axes), points=points, facts=t["facts"],
        keep_daily=keep["daily"],
        keep_disputes=keep["disputes"], keep_events=keep["events"], every=every,
        analysis_outputs=aouts, fail=fail)


def _check_fixed(fixed: dict, scenario: Scenario, source: str) -> None:
    from govsim.parameters import resolve

    problems = []
    for regime in REGIMES:
        try:
            resolve(scenario.model_params(regime, fixed))
        except ParameterError as exc:
            problems.append(f"set: {exc}")
    if problems:
        raise ExperimentError(source, problems)


def points_count(exp: Experiment) -> int:
    """Design points, from the design's arithmetic alone (nothing is sampled): factorial
    ∏ values; lhs N; sobol N(D+2), N(2D+2) with second order; morris N(D+1)."""
    d = len(exp.axes)
    if exp.design == "points":
        return len(exp.points)
    if exp.design == "factorial":
        return math.prod(len(a.values) for a in exp.axes)
    if exp.design == "lhs":
        return exp.samples
    if exp.design == "sobol":
        return exp.samples * ((2 * d + 2) if exp.second_order else (d + 2))
    return exp.samples * (d + 1)


def run_count(exp: Experiment) -> int:
    """Runs of the experiment: points × regimes × replicates (an upper bound when design
    points repeat, as Morris trajectories do); each named point counts its own."""
    if exp.design == "points":
        return sum(len(p.regimes) * p.replicates for p in exp.points)
    return points_count(exp) * len(exp.regimes) * exp.replicates


def check_size(exp: Experiment, allow_large: bool = False) -> int:
    """The run count, refused above :data:`MAX_RUNS` (or :data:`MAX_RUNS_LARGE` with
    ``allow_large``) before any list of runs is built."""
    runs = run_count(exp)
    cap = MAX_RUNS_LARGE if allow_large else MAX_RUNS
    if runs > cap:
        how = ("" if allow_large else
               f", or --allow-large to run up to {MAX_RUNS_LARGE:,}")
        design = (f"{len(exp.points):,} named point(s), each under its regimes and "
                  "replicates" if exp.design == "points" else
                  f"{points_count(exp):,} design points × {len(exp.regimes)} regime(s) × "
                  f"{exp.replicates:,} replicate(s)")
        raise ExperimentError(str(exp.path), [
            f"{design} = {runs:,} runs, above the cap of {cap:,}; "
            f"expected a smaller design or fewer replicates{how}"])
    return runs


def load_experiment(path: str | Path) -> Experiment:
    path = Path(path)
    return parse_experiment(read_input(path, ExperimentError), path)
