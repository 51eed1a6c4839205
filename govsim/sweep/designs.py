"""Designs: the parameter points an experiment visits.

``factorial`` crosses explicit values. ``lhs``, ``sobol`` (Saltelli's scheme) and ``morris``
sample between bounds through SALib; their sample matrix is kept so that the report can
compute Sobol or Morris indices from the same rows. Integer parameters are rounded after
sampling (the indices are then computed on the sampled, unrounded matrix). ``points`` are
named points, each with its own regimes and replicates (the variants of the stylized facts,
the case replay's sensitivity runs).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from govsim.parameters import coerce
from govsim.sweep.spec import Experiment, run_count


@dataclass
class Design:
    kind: str
    names: tuple[str, ...]
    points: list[dict[str, Any]]  # one dict of parameter values per point
    matrix: np.ndarray | None = None  # SALib sample (rows = points), sampled designs only
    point_names: list[str] | None = None  # named points only


def salib_problem(exp: Experiment) -> dict:
    return {"num_vars": len(exp.axes), "names": [a.name for a in exp.axes],
            "bounds": [[a.low, a.high] for a in exp.axes]}


def _point(exp: Experiment, row) -> dict[str, Any]:
    out = {}
    for axis, v in zip(exp.axes, row):
        v = float(v)
        out[axis.name] = coerce(axis.name, int(round(v)) if axis.integer else v)
    return out


def build_design(exp: Experiment) -> Design:
    if exp.design == "points":
        names = tuple(dict.fromkeys(k for p in exp.points for k in p.values))
        return Design("points", names, [dict(p.values) for p in exp.points],
                      point_names=[p.name for p in exp.points])
    names = tuple(a.name for a in exp.axes)
    if exp.design == "factorial":
        combos = itertools.product(*(a.values for a in exp.axes)) if exp.axes else [()]
        return Design("factorial", names, [dict(zip(names, c)) for c in combos])
    problem = salib_problem(exp)
    if exp.design == "lhs":
        from SALib.sample import latin

        X = latin.sample(problem, exp.samples, seed=exp.design_seed)
    elif exp.design == "sobol":
        from SALib.sample import sobol

        X = sobol.sample(problem, exp.samples, calc_second_order=exp.second_order,
                         seed=exp.design_seed)
    else:
        from SALib.sample import morris

        X = morris.sample(problem, exp.samples, num_levels=exp.levels, seed=exp.design_seed)
    return Design(exp.design, names, [_point(exp, row) for row in X], np.asarray(X))


def describe(exp: Experiment, design: Design) -> str:
    """Plain-language summary of what a sweep will run (for ``--dry-run``)."""
    lines = [f"experiment {exp.name}: {exp.title}".rstrip(": "),
             f"scenario {exp.scenario.name} ({exp.scenario.path}), horizon {exp.days} days, "
             f"regimes {', '.join(exp.regimes)}",
             f"design {design.kind}: {len(design.points)} point(s)"]
    for point in exp.points:
        values = ", ".join(f"{k}={v}" for k, v in point.values.items()) or "the scenario as is"
        lines.append(f"  {point.name}: {values} — {', '.join(point.regimes)}, "
                     f"{point.replicates} replicate(s)")
    for a in exp.axes:
        if a.values is not None:
            lines.append(f"  {a.name}: {', '.join(map(str, a.values))}")
        else:
            lines.append(f"  {a.name}: sampled in [{a.low:g}, {a.high:g}]")
    if exp.fixed:
        lines.append("fixed: " + ", ".join(f"{k}={v}" for k, v in exp.fixed.items()))
    seeds = (f"paired (common random numbers), seeds {exp.first_seed}.."
             f"{exp.first_seed + exp.replicates - 1}" if exp.seed_policy == "paired"
             else f"independent, entropy {exp.entropy}")
    lines.append(f"replicates {exp.replicates} per point and regime; seeds {seeds}")
    kept = [k for k, on in (("daily", exp.keep_daily), ("disputes", exp.keep_disputes),
                            ("events", exp.keep_events)) if on]
    lines.append("outputs: run summaries" + (", " + ", ".join(kept) if kept else "")
                 + (f" (every {exp.every} days)" if exp.keep_daily and exp.every > 1 else ""))
    if exp.design == "points":
        lines.append(f"runs: {run_count(exp)} (each named point under its regimes, with its "
                     "replicates)")
    else:
        lines.append(f"runs: {len(design.points)} points × {len(exp.regimes)} regimes × "
                     f"{exp.replicates} replicates = {run_count(exp)}")
    return "\n".join(lines)
