"""The stylized facts of MODEL.md §8, each checked on the runs of a sweep of named points
with a stated test.

Every regime and variation runs on the same seeds (common random numbers), so differences
are paired by seed. Tests (all in :mod:`govsim.statistics`): paired differences with a t
interval for per-run measures; Clopper–Pearson for shares of runs; pooled Kaplan–Meier,
the log-rank test and per-seed restricted mean time (RMST) for time to resolution; an
order-statistic interval for a median over runs; a seed bootstrap where the statistic is a
pooled curve. A fact "holds" only when its interval lies on the claimed side; otherwise it
is reported as not holding, with the numbers.

An experiment names the fact groups it checks in ``[facts.GROUP]`` tables (with their
settings) and the named points they compare (``experiments/stylized_facts.toml``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from govsim.errors import show
from govsim.statistics import (durations, kaplan_meier, logrank, mean_ci, median_ci,
                               paired, seed_bootstrap, share_ci)
from govsim.validation.results import Results, Run
from govsim.vocabulary import RESOLVED_OUTCOMES

BASE = "base"  # the point where every regime runs as its preset defines it


@dataclass
class FactResult:
    """One checked claim: what was measured, its interval, the test, and the verdict."""

    fact: str           # "1a", "4b", …
    claim: str
    measure: str
    effect: float | None
    ci: tuple[float, float] | None
    test: str
    holds: bool
    p_value: float | None = None
    n: int = 0
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready: numpy numbers as Python numbers, inf/NaN ("not reached") as None."""
        d = asdict(self)
        d["ci"] = list(self.ci) if self.ci is not None else None
        return _finite(d)


def _finite(obj):
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else None
    return obj


# ---- settings ----------------------------------------------------------------------------
@dataclass
class Settings:
    """What ``[facts]`` of an experiment says: the interval level and each group's settings."""

    confidence: float = 0.95
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)


def _share(v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
        raise ValueError("expected a number from 0 to 1")
    return float(v)


def _day(v):
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 100_000:
        raise ValueError("expected a whole day from 0 to 100,000")
    return v


def _point(v):
    if not isinstance(v, str):
        raise ValueError("expected the name of a [points.NAME] table")
    return v


def _points(v):
    """expected a list of at least 3 point names, fewest workers first"""
    if not isinstance(v, list) or len(v) < 3 or not all(isinstance(x, str) for x in v):
        raise ValueError("expected a list of at least 3 point names, fewest workers first")
    return tuple(v)


# group -> (setting -> (checker, default)); every group is optional
def _number(v):
    """expected a number ≥ 0"""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
        raise ValueError("expected a number ≥ 0")
    return float(v)


GROUPS: dict[str, dict[str, tuple[Callable, Any]]] = {
    "market_lock_in": {"max_closed_share": (_share, 0.5)},
    "state_case": {"assembly_day": (_day, 23)},
    "big_fuss": {"counterfactual": (_point, "no_petitions")},
    "grid_advantage": {"min_detected_first_share": (_share, 0.5)},
    "admin_burden": {"point": (_point, "burden_high")},
    "social_organisations": {"point": (_point, "without_social")},
    "grid_workers": {"points": (_points, None)},
    "petitions": {"busy": (_point, "busy")},
    "self_government": {"point": (_point, "no_self_government")},
    "police": {},
    "xianlin": {"min_satisfaction": (_share, 0.95),
                "max_petitions_per_10k": (_number, 1.0)},
}
# the regimes each group reads at its own points (besides BASE under every regime)
_REGIMES_AT_POINT = {"big_fuss": ("state", "grid"), "admin_burden": ("state",),
                     "social_organisations": ("grid",), "grid_workers": ("grid",),
                     "petitions": ("state",), "self_government": ("state",)}


def parse_settings(exp) -> Settings:
    """Check ``[facts]`` against :data:`GROUPS` and the experiment's named points; raise
    :class:`~govsim.sweep.spec.ExperimentError` naming every problem before anything runs."""
    from govsim.sweep.spec import ExperimentError

    errors: list[str] = []
    table = exp.facts or {}
    confidence = table.get("confidence", 0.95)
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) \
            or not 0.5 <= confidence <= 0.999:
        errors.append(f"facts.confidence = {show(confidence)}: expected a number from 0.5 "
                      "to 0.999")
        confidence = 0.95
    points = {p.name: p for p in exp.points}
    groups: dict[str, dict[str, Any]] = {}
    for name, body in table.items():
        if name == "confidence":
            continue
        if name not in GROUPS:
            errors.append(f"[facts.{name}]: unknown group; expected one of "
                          + ", ".join(GROUPS))
            continue
        if not isinstance(body, dict):
            errors.append(f"facts.{name} = {show(body)}: expected a table [facts.{name}]")
            continue
        settings = {}
        for key, (check, default) in GROUPS[name].items():
            value = body.get(key, default)
            if value is None:
                errors.append(f"facts.{name}.{key}: missing; {check.__doc__}")
                continue
            try:
                settings[key] = check(value)
            except ValueError as exc:
                errors.append(f"facts.{name}.{key} = {show(value)}: {exc}")
        for key in body:
            if key not in GROUPS[name]:
                errors.append(f"facts.{name}.{key}: unknown setting; expected one of "
                              + (", ".join(GROUPS[name]) or "none"))
        groups[name] = settings
    if not groups:
        errors.append("[facts]: no fact group to check; expected tables [facts.GROUP] of "
                      + ", ".join(GROUPS))
    if BASE not in points:
        errors.append(f"[points.{BASE}]: missing; the facts compare every regime at the "
                      "scenario's own values")
    for name, settings in groups.items():
        needed = settings.get("points") or [settings.get("point"),
                                            settings.get("counterfactual")]
        for point in filter(None, needed):
            if point not in points:
                errors.append(f"facts.{name}: point {show(point)} is not a [points.NAME] "
                              "table of this experiment")
                continue
            for regime in _REGIMES_AT_POINT.get(name, ()):
                if regime not in points[point].regimes:
                    errors.append(f"points.{point}.regimes: expected {regime!r} (facts."
                                  f"{name} reads it)")
    if errors:
        raise ExperimentError(str(exp.path), errors)
    return Settings(float(confidence), groups)


# ---- helpers -------------------------------------------------------------------------------
def _pool(runs: list[Run], keep=lambda d: True) -> tuple[list[dict], int]:
    return [d for r in runs for d in r.disputes if keep(d)], runs[0].last_day


def rmst(rows: list[dict], last_day: int) -> float | None:
    """Restricted mean days to resolution of these disputes (None if there are none)."""
    if not rows:
        return None
    return kaplan_meier(*durations(rows, last_day), horizon=last_day + 1).rmst()


def _logrank_p(a: list[dict], b: list[dict], last_day: int) -> float | None:
    res = logrank(durations(a, last_day), durations(b, last_day))
    return None if res is None else res[1]


def _per_seed_rmst(runs: list[Run], keep=lambda d: True) -> list[float | None]:
    return [rmst([d for d in r.disputes if keep(d)], r.last_day) for r in runs]


def _paired_fact(fact, claim, measure, a, b, conf, sign, n, detail=None, p=None, extra=""):
    m, ci = mean_ci(paired(a, b), conf)
    holds = ci is not None and (ci[1] < 0 if sign < 0 else ci[0] > 0)
    side = "below" if sign < 0 else "above"
    return FactResult(fact, claim, measure, m, ci,
                      f"paired difference over seeds, t {conf:.0%} interval{extra}; holds "
                      f"if {side} 0", bool(holds), p_value=p, n=n, detail=detail or {})


def _metric(runs: list[Run], key: str) -> list:
    return [r.summary.get(key) for r in runs]


# ---- the facts -------------------------------------------------------------------------------
def fact_market(res: Results, s: dict, conf: float) -> list[FactResult]:
    runs = res.get(BASE, "market")
    n = len(runs)
    k = sum(bool(r.summary["parking_closed"]) for r in runs)
    share, ci = share_ci(k, n, conf)
    outcomes: dict[str, int] = {}
    for r in runs:
        key = r.summary["parking_outcome"] or "none"
        outcomes[key] = outcomes.get(key, 0) + 1
    m, cci = mean_ci(_metric(runs, "parking_confrontations"), conf)
    return [
        FactResult("1a", "market: the parking dispute locks in (rarely settled)",
                   "share of runs in which the parking dispute is settled", share, ci,
                   f"Clopper–Pearson {conf:.0%} interval; holds if its upper end < "
                   f"{s['max_closed_share']:g}", ci[1] < s["max_closed_share"], n=n,
                   detail={"outcomes": outcomes}),
        FactResult("1b", "market: confrontations occur",
                   "confrontations at the gate per run (parking)", m, cci,
                   "t interval of the mean over seeds; holds if its lower end > 0",
                   cci is not None and cci[0] > 0, n=n),
    ]


def fact_state(res: Results, s: dict, conf: float) -> list[FactResult]:
    runs = res.get(BASE, "state")
    n = len(runs)
    acted = [r.summary for r in runs if r.summary["parking_first_state_action_day"] is not None]
    after = sum(1 for x in acted if any(
        d is not None and x["parking_first_state_action_day"] >= d
        for d in (x["parking_first_confrontation_day"], x["parking_first_petition_day"])))
    assembly = [r.summary["parking_assembly_day"] for r in runs]
    assembly = [math.inf if d is None else d for d in assembly]
    med, mci = median_ci(assembly, conf)
    target = s["assembly_day"]
    both = [r.summary for r in runs if r.summary["parking_closed_day"] is not None
            and r.summary["parking_assembly_day"] is not None]
    settled_after = sum(x["parking_closed_day"] >= x["parking_assembly_day"] for x in both)
    return [
        FactResult("2a", "state: the street office acts only after a confrontation or petition",
                   "runs where the street office acted no earlier than the first "
                   "confrontation or petition, of runs where it acted",
                   after / len(acted) if acted else None, None,
                   "count over all runs; holds if no run has the state acting before a "
                   "fuss (and it acts in at least one)", bool(acted) and after == len(acted),
                   n=n, detail={"acted": len(acted), "after_a_fuss": after}),
        FactResult("2b", "state: the owners' assembly comes about 18 days after the order "
                   "(Sep 6 → Sep 24) — preparation (set knowing the date) plus the 15-day notice",
                   "median day of the owners' assembly (day 0 = Sep 1)",
                   med if math.isfinite(med) else None, mci,
                   f"order-statistic {conf:.0%} interval of the median (inf: not held); "
                   f"holds if it contains the source's day {target} (a consistency check, not "
                   "held out: the preparation time was set knowing it)", bool(mci[0] <= target <= mci[1]), n=n,
                   detail={"held": sum(math.isfinite(d) for d in assembly)}),
        FactResult("2c", "state: the settlement follows the owners' committee ('而后')",
                   "runs settled on or after the assembly's day, of runs with both",
                   settled_after / len(both) if both else None, None,
                   "count; holds if every run with both settles on or after the assembly",
                   bool(both) and settled_after == len(both), n=n,
                   detail={"runs_with_both": len(both)}),
    ]


def _petitioned(d: dict) -> bool:
    return d["claimants"] == 1 and d["peak_stage"] == "petition"


def _between_residents(d: dict) -> bool:
    return d["type"] in ("neighbour", "family", "public_order")


def _escalation_advantage(runs: list[Run], without: list[Run], among=None) -> float | None:
    """How many days sooner the disputes that petitioned closed than the very same
    disputes (same arrivals: common random numbers) in runs with no petition ladder:
    restricted mean days without, minus with; ``among`` keeps only some of them."""
    with_rows, without_rows = [], []
    for a, b in zip(runs, without):
        ids = {d["dispute_id"] for d in a.disputes
               if _petitioned(d) and (among is None or among(d))}
        with_rows += [d for d in a.disputes if d["dispute_id"] in ids]
        without_rows += [d for d in b.disputes if d["dispute_id"] in ids]
    if not with_rows or not without_rows:
        return None
    last = runs[0].last_day
    return rmst(without_rows, last) - rmst(with_rows, last)


def fact_big_fuss(res: Results, s: dict, conf: float) -> list[FactResult]:
    return _big_fuss(res, s, conf) + fact_graded(res, s, conf)


def _big_fuss(res: Results, s: dict, conf: float) -> list[FactResult]:
    cf = s["counterfactual"]
    adv, ci, n = {}, {}, {}
    for regime in ("state", "grid"):
        runs, without = res.get(BASE, regime), res.get(cf, regime)
        k = min(len(runs), len(without))
        runs, without = runs[:k], without[:k]
        n[regime] = k
        adv[regime] = _escalation_advantage(runs, without)
        ci[regime] = (seed_bootstrap([runs, without], _escalation_advantage, conf)
                      if adv[regime] is not None else None)
    state, grid = res.get(BASE, "state"), res.get(BASE, "grid")
    state_cf, grid_cf = res.get(cf, "state"), res.get(cf, "grid")
    k = min(len(state), len(grid), len(state_cf), len(grid_cf))

    def shrink(s_, g_, scf, gcf):
        a, b = _escalation_advantage(s_, scf), _escalation_advantage(g_, gcf)
        return None if a is None or b is None else a - b

    diff = (adv["state"] - adv["grid"]
            if adv["state"] is not None and adv["grid"] is not None else None)
    dci = seed_bootstrap([state[:k], grid[:k], state_cf[:k], grid_cf[:k]], shrink, conf) \
        if diff is not None else None
    holds_a = ci["state"] is not None and ci["state"][0] > 0
    # Where the advantage lies (essay 7: petitions mostly settle policy disputes, and a
    # leader's attention is what makes them fast): reported, not part of the verdict.
    runs, without = res.get(BASE, "state"), res.get(cf, "state")
    parts = {"interpersonal (neighbour, family, public order)": _between_residents,
             "against firms, businesses and the state": lambda d: not _between_residents(d),
             "taken up by a leader": lambda d: "special_handling" in (d.get("path") or ""),
             "referred to departments": lambda d: "special_handling" not in (
                 d.get("path") or "")}
    where = {name: _escalation_advantage(runs, without, keep) for name, keep in parts.items()}
    return [
        FactResult("3a", "state: disputes whose claimants petition close sooner than they "
                   "would have without a petition ladder ('big fuss')",
                   "RMST days of the same disputes without petitions minus with (> 0: "
                   "escalating pays); disputes that reached the petition stage",
                   adv["state"], ci["state"], "paired by dispute and seed against the "
                   f"counterfactual point {cf!r}; seed-bootstrap {conf:.0%} interval; holds "
                   "if above 0", bool(holds_a), n=n["state"],
                   detail={"advantage_among": where}),
        FactResult("3b", "grid: the 'big fuss' advantage shrinks",
                   "escalation advantage under state minus under grid, days", diff, dci,
                   "paired seed-bootstrap interval; holds if above 0 and there is an "
                   "advantage under state to shrink (3a)",
                   bool(dci is not None and dci[0] > 0 and holds_a), n=k,
                   detail={"advantage_state": adv["state"], "advantage_grid": adv["grid"],
                           "ci_grid": ci["grid"]}),
    ]


def fact_grid(res: Results, s: dict, conf: float) -> list[FactResult]:
    st, g = res.get(BASE, "state"), res.get(BASE, "grid")
    n = len(st)
    m, ci = mean_ci(_metric(g, "detected_first_share"), conf)
    low = s["min_detected_first_share"]
    out = [FactResult("4a", "grid: most disputes are detected before a complaint",
                      "share of disputes found by a grid worker before any complaint (grid)",
                      m, ci, f"t interval of the mean over seeds; holds if its lower end > "
                      f"{low:g}", ci is not None and ci[0] > low, n=n)]
    rows_s, last = _pool(st)
    rows_g, _ = _pool(g)
    out.append(_paired_fact(
        "4b", "grid: disputes are resolved faster than under state",
        "RMST days to resolution, grid − state", _per_seed_rmst(g), _per_seed_rmst(st), conf,
        -1, n, p=_logrank_p(rows_g, rows_s, last), extra=" (log-rank p on pooled disputes)"))
    horizon = last + 1

    def day(r):
        d = r.summary["parking_closed_day"]
        return horizon if d is None else d
    out.append(_paired_fact(
        "4c", "grid: the parking dispute settles sooner than under state",
        "day the parking dispute is settled, grid − state (unsettled = horizon)",
        [day(r) for r in g], [day(r) for r in st], conf, -1, n))
    for fid, key in (("4d", "confrontations"), ("4e", "petitions")):
        a, b = _metric(g, key), _metric(st, key)
        out.append(_paired_fact(fid, f"grid: {key} are rarer than under state",
                                f"{key} per run, grid − state", a, b, conf, -1, n,
                                detail={"grid_mean": float(np.mean(a)),
                                        "state_mean": float(np.mean(b))}))
    a, b = _metric(g, "satisfaction"), _metric(st, "satisfaction")
    out.append(_paired_fact("4f", "grid: satisfaction is higher than under state",
                            "share of households satisfied, grid − state", a, b, conf, 1, n,
                            detail={"grid_mean": float(np.mean(a)),
                                    "state_mean": float(np.mean(b))}))
    return out


def fact_burden(res: Results, s: dict, conf: float) -> list[FactResult]:
    base, high = res.get(BASE, "state"), res.get(s["point"], "state")
    n = min(len(base), len(high))
    return [
        _paired_fact("5a", "higher committee administrative burden lowers mediation "
                     "throughput", "committee mediations completed per run, raised burden − "
                     "preset (state)", _metric(high, "served_committee_mediation"),
                     _metric(base, "served_committee_mediation"), conf, -1, n),
        _paired_fact("5b", "higher committee administrative burden raises escalation",
                     "share of disputes escalated (petition or collective action), raised "
                     "burden − preset", _metric(high, "escalated_share"),
                     _metric(base, "escalated_share"), conf, 1, n)]


_interpersonal = ("neighbour", "family")


def fact_social(res: Results, s: dict, conf: float) -> list[FactResult]:
    base, without = res.get(BASE, "grid"), res.get(s["point"], "grid")
    keep = (lambda d: d["type"] in _interpersonal)
    rows_w, last = _pool(without, keep)
    rows_b, _ = _pool(base, keep)
    km_w = kaplan_meier(*durations(rows_w, last), horizon=last + 1) if rows_w else None
    km_b = kaplan_meier(*durations(rows_b, last), horizon=last + 1) if rows_b else None
    return [_paired_fact(
        "6", "removing social organisations from grid slows interpersonal disputes",
        "RMST days to resolution of neighbour/family disputes, without − with",
        _per_seed_rmst(without, keep), _per_seed_rmst(base, keep), conf, 1, len(base),
        p=_logrank_p(rows_w, rows_b, last), extra=" (log-rank p on pooled disputes)",
        detail={"pooled_median_days_without": km_w.median if km_w else None,
                "pooled_median_days_with": km_b.median if km_b else None})]


def fact_workers(res: Results, s: dict, conf: float) -> list[FactResult]:
    points = s["points"]
    series = {p: _per_seed_rmst(res.get(p, "grid")) for p in points}
    staff = {p: _metric(res.get(p, "grid"), "staff_days") for p in points}
    n = len(res.get(BASE, "grid"))
    table = {p: {"rmst_days": mean_ci(series[p], conf)[0],
                 "staff_days": float(np.mean(staff[p])) if staff[p] else None} for p in points}
    first, last = points[0], points[-1]
    out = [_paired_fact("7a", "more grid workers speed resolution",
                        f"RMST days, {first} − {last} (> 0: more workers help)",
                        series[first], series[last], conf, 1, n,
                        detail={"by_point": table})]
    gain_first = paired(series[points[0]], series[points[1]])
    gain_last = paired(series[points[-2]], series[points[-1]])
    out.append(_paired_fact("7b", "…with diminishing returns",
                            f"gain of the first step ({points[0]}→{points[1]}) − gain of the "
                            f"last ({points[-2]}→{points[-1]}), RMST days", gain_first,
                            gain_last, conf, 1, n))
    g, st = _metric(res.get(BASE, "grid"), "staff_days"), _metric(res.get(BASE, "state"),
                                                                  "staff_days")
    out.append(_paired_fact("7c", "grid costs more staff-days than state",
                            "staff-days per run, grid − state", g, st, conf, 1, n,
                            detail={"grid_mean": float(np.mean(g)),
                                    "state_mean": float(np.mean(st))}))
    return out


def _rows(runs: list[Run], keep) -> list[dict]:
    return [d for r in runs for d in r.disputes if keep(d)]


def _fisher_greater(a_hits: int, a_n: int, b_hits: int, b_n: int) -> float | None:
    """One-sided Fisher exact p that share a exceeds share b."""
    from scipy import stats

    if not a_n or not b_n:
        return None
    table = [[a_hits, a_n - a_hits], [b_hits, b_n - b_hits]]
    return float(stats.fisher_exact(table, alternative="greater").pvalue)


def fact_graded(res: Results, s: dict, conf: float) -> list[FactResult]:
    """3c: the state's answer grows with the fuss (essay 6): petitions of a dispute that
    petitioned again, or of a crowd, are taken up by a leader more often than a first
    petition of one household."""
    runs = res.get(BASE, "state")
    single = _rows(runs, lambda d: d["claimants"] == 1 and d["petitions"] == 1)
    repeated = _rows(runs, lambda d: d["claimants"] == 1 and d["petitions"] >= 2)
    taken = (lambda d: "special_handling" in (d["path"] or "").split(">"))
    a, b = sum(map(taken, repeated)), sum(map(taken, single))
    p = _fisher_greater(a, len(repeated), b, len(single))
    shares = (a / len(repeated) if repeated else None, b / len(single) if single else None)
    effect = None if None in shares else shares[0] - shares[1]
    return [FactResult(
        "3c", "state: a bigger fuss gets a bigger answer (a leader takes up petitions "
        "that are repeated more often than first ones)",
        "share of petitioning disputes taken up by a leader: petitioned twice or more − "
        "once (pooled over seeds)", effect, None,
        f"one-sided Fisher exact test; holds if p < {1 - conf:.2g}",
        bool(p is not None and p < 1 - conf), p_value=p, n=len(runs),
        detail={"repeated": [a, len(repeated)], "once": [b, len(single)]})]


def _petitioned_any(d: dict) -> bool:
    return d["claimants"] == 1 and d["petitions"] >= 1


def fact_petitions(res: Results, s: dict, conf: float) -> list[FactResult]:
    """8: petitions (essay 7) — costly per case; repeat and skip-level petitions under
    state, fewer under grid; overwhelmed as disputes multiply."""
    st, g, busy = res.get(BASE, "state"), res.get(BASE, "grid"), res.get(s["busy"], "state")
    n = len(st)

    def staff(runs, keep):
        return [np.mean([d["staff_days"] for d in r.disputes if keep(d)] or [np.nan])
                for r in runs]
    resolved = (lambda d: d["outcome"] in RESOLVED_OUTCOMES)
    with_p = staff(st, lambda d: resolved(d) and _petitioned_any(d))
    without = staff(st, lambda d: resolved(d) and d["claimants"] == 1 and not d["petitions"])
    costly = _paired_fact("8a", "petitions are costly per case",
                          "staff-days per resolved dispute that petitioned − per resolved "
                          "dispute that did not (state)",
                          [None if math.isnan(x) else x for x in with_p],
                          [None if math.isnan(x) else x for x in without], conf, 1, n)
    pathology = [(r.summary["repeat_petitions"] or 0) + (r.summary["skip_level_petitions"]
                                                         or 0) for r in st]
    m, ci = mean_ci(pathology, conf)
    occur = FactResult("8b", "state: repeat and skip-level petitions occur",
                       "repeat + skip-level petitions per run (state)", m, ci,
                       "t interval of the mean; holds if its lower end > 0",
                       ci is not None and ci[0] > 0, n=n)
    gp = [(r.summary["repeat_petitions"] or 0) + (r.summary["skip_level_petitions"] or 0)
          for r in g]
    fall = _paired_fact("8c", "…and fall under grid",
                        "repeat + skip-level petitions per run, grid − state", gp, pathology,
                        conf, -1, n)
    k = min(len(st), len(busy))
    slow = _paired_fact("8d", "the petition apparatus is overwhelmed as disputes multiply",
                        f"RMST days of disputes that petitioned, point {s['busy']!r} − base "
                        "(state)", _per_seed_rmst(busy[:k], _petitioned_any),
                        _per_seed_rmst(st[:k], _petitioned_any), conf, 1, k)
    return [costly, occur, fall, slow]


def fact_self_government(res: Results, s: dict, conf: float) -> list[FactResult]:
    """9: owners' self-government ends the collusion (essay 6)."""
    base, without = res.get(BASE, "state"), res.get(s["point"], "state")
    agreed = (lambda r: r.summary["parking_outcome"] == "agreement")
    k_b, k_w = sum(map(agreed, base)), sum(map(agreed, without))
    share_w, ci_w = share_ci(k_w, len(without), conf) if without else (None, None)
    share_b, ci_b = share_ci(k_b, len(base), conf) if base else (None, None)
    replaced = [r.summary for r in base if r.summary["parking_assembly_day"] is not None]
    ended = sum(x["parking_firm_replaced_day"] is not None for x in replaced)
    return [
        FactResult("9a", "without owners' self-government the parking dispute is not settled "
                   "by agreement", "share of runs settled by agreement with no assembly "
                   "(neither backed nor unaided), state",
                   share_w, ci_w, f"Clopper–Pearson {conf:.0%}; holds if its upper end is "
                   "below the lower end of the same share with self-government",
                   bool(ci_w is not None and ci_b is not None and ci_w[1] < ci_b[0]),
                   n=len(without), detail={"with_self_government": share_b,
                                           "ci_with": ci_b}),
        FactResult("9b", "the owners' committee replaces the developer's property firm "
                   "(the collusion ends)", "runs where the firm was replaced, of runs with "
                   "an assembly (state)", ended / len(replaced) if replaced else None, None,
                   "count; holds if in every run with an assembly", bool(replaced)
                   and ended == len(replaced), n=len(base),
                   detail={"runs_with_assembly": len(replaced)}),
    ]


def fact_police(res: Results, s: dict, conf: float) -> list[FactResult]:
    """10: the police — the fastest channel for public-order disputes (essay 7)."""
    runs = res.get(BASE, "market")
    order = _rows(runs, lambda d: d["type"] == "public_order")
    others = _rows(runs, lambda d: d["type"] != "public_order" and d["claimants"] == 1)
    if not order or not others:
        return [FactResult("10", "public-order disputes are settled fastest (the police)",
                           "—", None, None, "no public-order disputes", False)]
    last = runs[0].last_day
    km_o = kaplan_meier(*durations(order, last), horizon=last + 1)
    km_x = kaplan_meier(*durations(others, last), horizon=last + 1)
    p = _logrank_p(order, others, last)
    diff = (km_o.rmst() - km_x.rmst())
    return [FactResult("10", "market: public-order disputes, the police's, are settled "
                       "faster than others", "RMST days, public-order − other individual "
                       "disputes (pooled, market)", diff, None,
                       f"log-rank test on pooled disputes; holds if faster and p < "
                       f"{1 - conf:.2g}", bool(diff < 0 and p is not None and p < 1 - conf),
                       p_value=p, n=len(runs),
                       detail={"median_public_order": km_o.median,
                               "median_others": km_x.median})]


def fact_xianlin(res: Results, s: dict, conf: float) -> list[FactResult]:
    """The reform's reported results (essay 6): satisfaction above 95%, zero petitions."""
    runs = res.get(BASE, "grid")
    n = len(runs)
    m, ci = mean_ci([r.summary["satisfaction"] for r in runs], conf)
    per = [10_000 * 365 * (r.summary["petitions"] or 0)
           / (r.summary["days"] * r.summary["households"]) for r in runs]
    mp, pci = mean_ci(per, conf)
    state = res.get(BASE, "state")
    detail = {}
    if state:
        detail["state_petitions_per_10k_year"] = mean_ci(
            [10_000 * 365 * (r.summary["petitions"] or 0)
             / (r.summary["days"] * r.summary["households"]) for r in state], conf)[0]
        detail["state_satisfaction"] = mean_ci([r.summary["satisfaction"] for r in state],
                                               conf)[0]
    return [
        FactResult("X1", "Xianlin under grid: satisfaction above 95%", "share of households "
                   "satisfied (grid)", m, ci, f"t interval; holds if its lower end ≥ "
                   f"{s['min_satisfaction']:g}", bool(ci is not None
                                                     and ci[0] >= s["min_satisfaction"]),
                   n=n, detail=detail),
        FactResult("X2", "Xianlin under grid: zero petitions ('零上访')", "petitions per "
                   "10,000 households per year (grid)", mp, pci, f"t interval; holds if its "
                   f"upper end ≤ {s['max_petitions_per_10k']:g}",
                   bool(pci is not None and pci[1] <= s["max_petitions_per_10k"]), n=n,
                   detail=detail),
    ]


CHECKS: dict[str, Callable[[Results, dict, float], list[FactResult]]] = {
    "market_lock_in": fact_market, "state_case": fact_state, "big_fuss": fact_big_fuss,
    "grid_advantage": fact_grid, "admin_burden": fact_burden,
    "social_organisations": fact_social, "grid_workers": fact_workers,
    "petitions": fact_petitions, "self_government": fact_self_government,
    "police": fact_police, "xianlin": fact_xianlin,
}
assert set(CHECKS) == set(GROUPS)


def evaluate(settings: Settings, results: Results) -> list[FactResult]:
    """Check every fact group the experiment names, in the order of :data:`CHECKS`."""
    return [r for name, check in CHECKS.items() if name in settings.groups
            for r in check(results, settings.groups[name], settings.confidence)]
