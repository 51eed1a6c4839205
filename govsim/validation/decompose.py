"""Why grid wins, decomposed: each institution's share of the difference between the grid
and the state regimes, as Shapley values over the institutions that set them apart.

The grid preset is the state preset plus a set of institutions (detection by grid workers,
the grid's levels, the hotline and its command centre, regular joint meetings, funded
social organisations, "1+X" legal services, assessment, a flat and proactive street
office). Every coalition of them is run — the state regime with those institutions added
— on the same paired seeds, as a sweep of named points. An institution's Shapley value is
its marginal effect averaged over every order in which the institutions could be added;
the values add up to the grid–state difference exactly, seed by seed, and their intervals
come from the spread over paired seeds.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass

import numpy as np

from govsim.statistics import mean_ci
from govsim.validation.points import named_points_text
from govsim.validation.results import Results

# institution -> the values that add it to the state preset (together: the grid preset)
INSTITUTIONS: dict[str, dict] = {
    "detection": {"grid_patrol": True},
    "grid_levels": {"grid_levels": True},
    "hotline": {"hotline": True},
    "joint_meetings": {"joint_meeting": True},
    "social_organisations": {"social_mediation": True},
    "legal_services": {"legal_services": True},
    "assessment": {"assessment": True},
    "flat_proactive_state": {"information_platform": True, "intervention_stage": "voiced",
                             "hierarchy_layers": 1},
}
METRICS = ("rmst_days", "petitions", "satisfaction", "staff_days")
# where a lower value is the better one (fewer days, petitions, staff-days)
LOWER_IS_BETTER = frozenset({"rmst_days", "petitions", "staff_days"})
BASE_REGIME = "state"


SCENARIO_GROUP = "scenario_grid_settings"


def groups_for(scenario) -> dict[str, dict]:
    """The institutions to share the difference among, for this scenario: the grid's
    institutions, and — when the scenario sets values under ``[regimes.grid]`` (or
    ``[regimes.state]``) that the grid run has and the state run with every institution
    added has not — those values as one more group, so the coalition of all groups is
    exactly the grid run and the shares add up to the real grid − state difference."""
    groups = dict(INSTITUTIONS)
    every = {k: v for g in groups.values() for k, v in g.items()}
    grid = scenario.model_params("grid")
    state_plus = scenario.model_params(BASE_REGIME, every)
    rest = {k: grid[k] for k in grid if grid[k] != state_plus.get(k)}
    if rest:
        groups[SCENARIO_GROUP] = rest
    return groups


def _name(members: tuple[str, ...], groups: tuple[str, ...]) -> str:
    return "c" + "".join("1" if g in members else "0" for g in groups)


def in_grids_favour(metric: str, difference: float | None) -> bool:
    """Whether a grid − state difference (or a share of it) in ``metric`` favours the grid."""
    d = difference or 0.0
    return d <= 0 if metric in LOWER_IS_BETTER else d >= 0


def coalitions(groups: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [tuple(g for g, on in zip(groups, bits) if on)
            for bits in itertools.product((False, True), repeat=len(groups))]


def decompose_experiment(scenario, seeds: int, days: int | None = None) -> str:
    """Every coalition of the scenario's groups (:func:`groups_for`) as a named point under
    the state regime."""
    values = groups_for(scenario)
    groups = tuple(values)
    points = {_name(members, groups): {k: v for g in members for k, v in values[g].items()}
              for members in coalitions(groups)}
    return named_points_text(
        "decomposition", "The grid–state difference by institution: "
        f"{scenario.title or scenario.name}",
        "Why grid wins (govsim decompose): every coalition of the grid's institutions "
        "added to the state regime, on paired seeds.",
        scenario, [BASE_REGIME], seeds, points, days)


@dataclass
class Share:
    institution: str
    metric: str
    value: float | None
    ci: tuple[float, float] | None


def shapley(results: Results, groups: tuple[str, ...], metrics=METRICS,
            confidence: float = 0.95) -> dict:
    """Shapley values per metric, per seed then over seeds; the total difference (all
    institutions minus none) with its interval, and the check that the values add up."""
    k = len(groups)
    weight = {s: math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k)
              for s in range(k)}
    runs = {members: {r.seed: r for r in results.get(_name(members, groups), BASE_REGIME)}
            for members in coalitions(groups)}
    seeds = sorted(set.intersection(*(set(v) for v in runs.values())))
    out: dict = {"seeds": len(seeds), "seed_list": seeds, "institutions": list(groups),
                 "metrics": {}}
    for metric in metrics:
        def v(members, seed):
            x = runs[members][seed].summary.get(metric)
            return np.nan if x is None else float(x)

        per_seed = {g: [] for g in groups}
        totals = []
        for seed in seeds:
            totals.append(v(tuple(groups), seed) - v((), seed))
            for g in groups:
                others = [x for x in groups if x != g]
                phi = 0.0
                for size in range(k):
                    for rest in itertools.combinations(others, size):
                        with_g = tuple(x for x in groups if x in rest or x == g)
                        without = tuple(x for x in groups if x in rest)
                        phi += weight[size] * (v(with_g, seed) - v(without, seed))
                per_seed[g].append(phi)
        shares = []
        for g in groups:
            m, ci = mean_ci([x for x in per_seed[g] if not math.isnan(x)], confidence)
            shares.append(Share(g, metric, m, ci))
        total, tci = mean_ci([x for x in totals if not math.isnan(x)], confidence)
        added = sum(s.value for s in shares if s.value is not None)
        out["metrics"][metric] = {"total": total, "total_ci": tci, "shares": shares,
                                  "totals_by_seed": totals,
                                  "adds_up": total is None or math.isclose(
                                      added, total, rel_tol=1e-9, abs_tol=1e-9)}
    return out


def to_json(result: dict, scenario, days: int | None = None) -> dict:
    """The decomposition as plain data (what the app's Compare page and scripts read),
    with what it was computed from: every parameter of the two regimes' runs, the seeds and
    each seed's grid − state difference — so that a reader can tell whether it still
    describes the model (:func:`shipped`, and a test that re-runs two seeds)."""
    return {"scenario": scenario.name, "seeds": result["seeds"],
            "seed_list": result["seed_list"],
            "parameters": {r: _plain(scenario.model_params(r, {"days": days} if days else None))
                           for r in (BASE_REGIME, "grid")},
            "institutions": result["institutions"],
            "metrics": {m: {"total": r["total"], "total_ci": r["total_ci"],
                            "totals_by_seed": [None if math.isnan(x) else x
                                               for x in r["totals_by_seed"]],
                            "adds_up": r["adds_up"],
                            "shares": {s.institution: {"value": s.value, "ci": s.ci}
                                       for s in r["shares"]}}
                        for m, r in result["metrics"].items()}}


SHIPPED = "figures/decomposition.json"  # in the docs: the case's decomposition


def shipped(scenario) -> dict | None:
    """The decomposition that ``docs/validation.md`` shows, as ``govsim decompose`` wrote it
    (:func:`to_json`), if it is of this scenario: what the app shows without running the
    5,120 runs again. None when there is none.

    ``scenario`` is a name, or a :class:`~govsim.scenario.Scenario`; a scenario must also
    run the state and grid regimes with exactly the parameters the decomposition was
    computed with — with one lever (or one default) changed, the shipped shares are not its
    shares."""
    from govsim import resources

    name = scenario if isinstance(scenario, str) else scenario.name
    try:
        data = json.loads((resources.docs_dir() / SHIPPED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("scenario") != name:
        return None
    if not isinstance(scenario, str) and not _same_runs(scenario, data):
        return None
    return data


def _plain(params: dict) -> dict:
    """Parameters as JSON gives them back (tuples become lists)."""
    return json.loads(json.dumps(params, default=str))


def _same_runs(scenario, data: dict) -> bool:
    stored = data.get("parameters")
    return isinstance(stored, dict) and all(
        _plain(scenario.model_params(r)) == stored.get(r) for r in (BASE_REGIME, "grid"))


def markdown(result: dict, scenario) -> str:
    lines = [f"# Why grid wins: {scenario.title or scenario.name}", "",
             f"Shapley values of the grid–state difference over {len(result['institutions'])} "
             f"institutions, {result['seeds']} paired seeds, 95% t intervals over seeds. "
             "Each column adds up to the total difference (grid − state).", ""]
    for metric, res in result["metrics"].items():
        lines += [f"## {metric}", "", "| institution | share of grid − state | 95% interval |",
                  "|---|---|---|"]
        for s in sorted(res["shares"], key=lambda s: -abs(s.value or 0)):
            ci = "—" if s.ci is None else f"[{s.ci[0]:.3g}, {s.ci[1]:.3g}]"
            lines.append(f"| {s.institution} | {_fmt(s.value)} | {ci} |")
        tci = res["total_ci"]
        lines.append(f"| **total (grid − state)** | **{_fmt(res['total'])}** | "
                     + ("—" if tci is None else f"[{tci[0]:.3g}, {tci[1]:.3g}]") + " |")
        lines.append("")
    return "\n".join(lines) + "\n"


def _fmt(v) -> str:
    return "—" if v is None else f"{v:.3g}"


def figure(result: dict, path) -> None:
    """One panel per metric: each institution's share with its interval."""
    import matplotlib.pyplot as plt

    metrics = list(result["metrics"])
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 4.2), dpi=110,
                             squeeze=False)
    for ax, metric in zip(axes.flat, metrics):
        shares = result["metrics"][metric]["shares"]
        names = [s.institution.replace("_", " ") for s in shares]
        vals = [s.value or 0.0 for s in shares]
        err = np.array([[0, 0] if s.ci is None else [s.value - s.ci[0], s.ci[1] - s.value]
                        for s in shares]).T
        y = np.arange(len(shares))
        ax.barh(y, vals, xerr=err, capsize=3,
                color=["#1b9e77" if in_grids_favour(metric, v) else "#d95f02" for v in vals])
        ax.set_yticks(y, names if ax is axes.flat[0] else [""] * len(names))
        ax.axvline(0, color="black", lw=0.8)
        ax.set_title(f"{metric}\n(total {_fmt(result['metrics'][metric]['total'])})",
                     fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle("Why grid wins: each institution's share of grid − state (Shapley values, "
                 f"{result['seeds']} paired seeds, 95% intervals); green: in the grid's "
                 "favour, orange: against")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
