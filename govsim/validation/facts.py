"""The stylized facts of MODEL.md §8, each checked with paired seeds and a stated test.

Every regime and variation runs on the same seeds (common random numbers), so differences
are paired by seed. Tests used:

* counts and per-run measures: paired difference, mean with a t 95% confidence interval;
* shares of runs: Clopper–Pearson interval (exact binomial);
* time to resolution: pooled Kaplan–Meier, ``scipy.stats.logrank``, and per-seed
  restricted mean time to resolution (RMST) compared pairwise;
* a median day over runs: distribution-free order-statistic interval.

A fact "holds" only when its interval lies on the claimed side; otherwise it is reported as
not holding, with the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from govsim.statistics import durations, kaplan_meier
from govsim.scenario import load_scenario
from govsim.validation.experiment import FactsExperiment
from govsim.validation.runs import Task, execute_all

BOOTSTRAP = 500


@dataclass
class FactResult:
    """One checked claim: what was measured, its interval, the test, and the verdict."""

    fact: str           # "1", "4b", …
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


# ---- statistics -------------------------------------------------------------------------
def mean_ci(values, confidence: float) -> tuple[float | None, tuple[float, float] | None]:
    """Mean and t interval over the defined values; (None, None) when none is defined."""
    x = np.asarray([v for v in values if v is not None], dtype=float)
    if len(x) == 0:
        return None, None
    m = float(x.mean())
    if len(x) < 2 or float(x.std(ddof=1)) == 0.0:
        return m, (m, m)
    half = stats.t.ppf(0.5 + confidence / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    return m, (m - float(half), m + float(half))


def paired(a, b) -> list[float]:
    """Differences a − b over seeds where both are defined."""
    return [x - y for x, y in zip(a, b) if x is not None and y is not None]


def share_ci(k: int, n: int, confidence: float) -> tuple[float, tuple[float, float]]:
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="exact")
    return k / n, (float(ci.low), float(ci.high))


def median_ci(values, confidence: float) -> tuple[float, tuple[float, float]]:
    """Median with the order-statistic interval (no distribution assumed); ``inf`` stands
    for "not reached"."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    j = int(stats.binom.ppf((1 - confidence) / 2, n, 0.5))
    lo = x[max(j - 1, 0)]
    hi = x[min(n - j, n - 1)]
    return float(np.median(x)), (float(lo), float(hi))


def _km(records: list[dict], last_day: int):
    t, e = durations(records, last_day)
    return t, e, kaplan_meier(t, e, horizon=last_day + 1)


def rmst(records: list[dict], last_day: int) -> float | None:
    """Restricted mean days to resolution of these disputes (None if there are none)."""
    if not records:
        return None
    return _km(records, last_day)[2].rmst()


def logrank(a: list[dict], b: list[dict], last_day: int) -> float | None:
    """Two-sided log-rank p-value for time to resolution of two pooled groups."""
    ta, ea = durations(a, last_day)
    tb, eb = durations(b, last_day)
    if not (ea.any() or eb.any()) or not len(a) or not len(b):
        return None
    x = stats.CensoredData(uncensored=ta[ea], right=ta[~ea])
    y = stats.CensoredData(uncensored=tb[eb], right=tb[~eb])
    return float(stats.logrank(x, y).pvalue)


# ---- the runs ---------------------------------------------------------------------------
def variants(exp: FactsExperiment) -> dict[str, tuple[str, dict]]:
    """Every regime or institution variation the facts need: name -> (regime, overrides)."""
    out = {"market": ("market", {}), "state": ("state", {}), "grid": ("grid", {}),
           "burden_high": (exp.burden_regime, {"committee_admin_burden": exp.burden_high}),
           "without_social": (exp.social_regime, dict(exp.social_set))}
    for v in exp.households_per_grid_worker:
        out[f"hpw_{v:g}"] = (exp.workers_regime, {"households_per_grid_worker": v})
    return out


def plan(exp: FactsExperiment, seeds: int | None = None) -> list[Task]:
    seeds = exp.seeds if seeds is None else seeds
    return [Task(name, regime, seed, tuple(sorted(ov.items())), str(exp.scenario), exp.days)
            for seed in range(seeds) for name, (regime, ov) in variants(exp).items()]


def by_variant(records: list[dict]) -> dict[str, list[dict]]:
    """Records grouped by variant, each list ordered by seed (so lists pair up)."""
    out: dict[str, list[dict]] = {}
    for r in sorted(records, key=lambda r: r["seed"]):
        out.setdefault(r["variant"], []).append(r)
    return out


# ---- the facts --------------------------------------------------------------------------
def _seed_bootstrap(groups: list[list[dict]], statistic: Callable, confidence: float
                    ) -> tuple[float, float]:
    """Percentile interval of ``statistic(*groups)`` resampling seeds (the same resample
    for every group, so pairing is kept). Fixed analysis seed: the report is reproducible."""
    rng = np.random.default_rng(20100901)
    n = len(groups[0])
    draws = []
    for _ in range(BOOTSTRAP):
        idx = rng.integers(0, n, n)
        value = statistic(*[[g[i] for i in idx] for g in groups])
        if value is not None:
            draws.append(value)
    if not draws:
        return None
    lo, hi = np.percentile(draws, [50 * (1 - confidence), 50 * (1 + confidence)])
    return float(lo), float(hi)


def _pool(runs: list[dict], keep=lambda d: True) -> tuple[list[dict], int]:
    rows = [d for r in runs for d in r["disputes"] if keep(d)]
    return rows, runs[0]["last_day"]


def fact_market(v, exp) -> list[FactResult]:
    runs = v["market"]
    n = len(runs)
    k = sum(bool(r["summary"]["parking_closed"]) for r in runs)
    share, ci = share_ci(k, n, exp.confidence)
    outcomes: dict[str, int] = {}
    for r in runs:
        key = r["summary"]["parking_outcome"] or "none"
        outcomes[key] = outcomes.get(key, 0) + 1
    conf = [r["summary"]["parking_confrontations"] for r in runs]
    m, cci = mean_ci(conf, exp.confidence)
    return [
        FactResult("1a", "market: the parking dispute locks in (rarely settled)",
                   "share of runs in which the parking dispute is settled", share, ci,
                   f"Clopper–Pearson {exp.confidence:.0%} interval; holds if its upper end "
                   f"< {exp.max_closed_share:g}", ci[1] < exp.max_closed_share, n=n,
                   detail={"outcomes": outcomes}),
        FactResult("1b", "market: confrontations occur",
                   "confrontations at the gate per run (parking)", m, cci,
                   "t interval of the mean over seeds; holds if its lower end > 0",
                   cci is not None and cci[0] > 0, n=n,
                   detail={"runs_with_confrontation": sum(c > 0 for c in conf)}),
    ]


def fact_state(v, exp) -> list[FactResult]:
    runs = v["state"]
    n = len(runs)
    acted = [r for r in runs if r["case"]["state_action"] is not None]
    after = 0
    strictly_after_confrontation = 0
    for r in acted:
        c = r["case"]
        escalation = [d for d in (c["first_confrontation"], c["petition"]) if d is not None]
        if escalation and c["state_action"] >= min(escalation):
            after += 1
        if c["first_confrontation"] is not None and c["state_action"] > c["first_confrontation"]:
            strictly_after_confrontation += 1
    closed = [r["case"]["settlement"] if r["case"]["settlement"] is not None else math.inf
              for r in runs]
    med, mci = median_ci(closed, exp.confidence)
    lo, hi = exp.window
    holds_2b = bool(lo <= med <= hi)
    return [
        FactResult("2a", "state: the street office acts only after a confrontation or petition",
                   "runs where the street office acted no earlier than the first "
                   "confrontation/petition, of runs where it acted", after / len(acted)
                   if acted else None, None,
                   "count over all runs; holds if no run has the state acting before "
                   "escalation (and it acts in at least one)", bool(acted) and after == len(acted),
                   n=n, detail={"acted": len(acted), "after_escalation": after,
                                "strictly_after_first_confrontation":
                                    strictly_after_confrontation}),
        FactResult("2b", "state: the parking dispute closes in about three to four weeks",
                   "median day the parking dispute is settled (day 0 = Sep 1)",
                   med if math.isfinite(med) else None, mci,
                   f"order-statistic {exp.confidence:.0%} interval of the median (inf: not "
                   f"settled); holds if the median is within days {lo}–{hi}", holds_2b, n=n,
                   detail={"settled_runs": sum(math.isfinite(c) for c in closed)}),
    ]


def _big_fuss_advantage(runs):
    rows, last = _pool(runs)
    esc = [d for d in rows if d["escalated"]]
    calm = [d for d in rows if not d["escalated"]]
    if not esc or not calm:
        return None
    return rmst(calm, last) - rmst(esc, last)


def fact_big_fuss(v, exp) -> list[FactResult]:
    out = []
    adv = {}
    for regime in ("state", "grid"):
        runs = v[regime]
        rows, last = _pool(runs)
        esc = [d for d in rows if d["escalated"]]
        calm = [d for d in rows if not d["escalated"]]
        adv[regime] = _big_fuss_advantage(runs)
        if regime == "state":
            p = logrank(esc, calm, last)
            ci = (_seed_bootstrap([runs], _big_fuss_advantage, exp.confidence)
                  if adv[regime] is not None else None)
            holds = (ci is not None and ci[0] > 0 and p is not None
                     and p < 1 - exp.confidence)
            out.append(FactResult(
                "3a", "state: disputes whose claimants escalate close sooner ('big fuss')",
                "RMST of non-escalated minus escalated disputes, days (> 0: escalating pays)",
                adv[regime], ci, "pooled Kaplan–Meier; log-rank test and seed-bootstrap "
                f"{exp.confidence:.0%} interval; holds if the interval is above 0 and p < "
                f"{1 - exp.confidence:.2g}", bool(holds), p_value=p, n=len(runs),
                detail={"escalated": len(esc), "not_escalated": len(calm),
                        "rmst_escalated": rmst(esc, last), "rmst_not_escalated":
                        rmst(calm, last)}))
    both = adv["state"] is not None and adv["grid"] is not None
    diff = adv["state"] - adv["grid"] if both else None
    ci = None
    if both:
        ci = _seed_bootstrap([v["state"], v["grid"]],
                             lambda s, g: (None if _big_fuss_advantage(s) is None
                                           or _big_fuss_advantage(g) is None
                                           else _big_fuss_advantage(s) - _big_fuss_advantage(g)),
                             exp.confidence)
    out.append(FactResult(
        "3b", "grid: the 'big fuss' advantage shrinks",
        "escalation advantage under state minus under grid, days",
        diff, ci, "paired seed-bootstrap interval; holds if above 0 and there is an "
        "advantage under state to shrink (3a)",
        bool(ci is not None and ci[0] > 0 and out[0].holds), n=len(v["state"]),
        detail={"advantage_state": adv["state"], "advantage_grid": adv["grid"]}))
    return out


def _per_seed_rmst(runs, keep=lambda d: True):
    return [rmst([d for d in r["disputes"] if keep(d)], r["last_day"]) for r in runs]


def _paired_fact(fact, claim, measure, a, b, exp, sign, n, detail=None, p=None, extra=""):
    diffs = paired(a, b)
    m, ci = mean_ci(diffs, exp.confidence)
    holds = ci is not None and (ci[1] < 0 if sign < 0 else ci[0] > 0)
    side = "below" if sign < 0 else "above"
    return FactResult(fact, claim, measure, m, ci,
                      f"paired difference over seeds, t {exp.confidence:.0%} interval"
                      f"{extra}; holds if {side} 0", bool(holds), p_value=p, n=n,
                      detail=detail or {})


def fact_grid(v, exp) -> list[FactResult]:
    s, g = v["state"], v["grid"]
    n = len(s)
    det = [r["summary"]["detected_first_share"] for r in g]
    m, ci = mean_ci(det, exp.confidence)
    out = [FactResult("4a", "grid: most disputes are detected before a complaint",
                      "share of disputes found by a grid worker before any complaint "
                      "(grid)", m, ci, f"t interval of the mean over seeds; holds if its lower "
                      f"end > {exp.min_detected_first_share:g}",
                      ci is not None and ci[0] > exp.min_detected_first_share, n=n)]
    rows_s, last = _pool(s)
    rows_g, _ = _pool(g)
    out.append(_paired_fact(
        "4b", "grid: disputes are resolved faster than under state",
        "RMST days to resolution, grid − state", _per_seed_rmst(g), _per_seed_rmst(s), exp,
        -1, n, p=logrank(rows_g, rows_s, last), extra=" (log-rank p on pooled disputes)"))
    horizon = s[0]["last_day"] + 1

    def day(r):
        d = r["case"]["settlement"]
        return horizon if d is None else d
    out.append(_paired_fact(
        "4c", "grid: the parking dispute settles sooner than under state",
        "day the parking dispute is settled, grid − state (unsettled = horizon)",
        [day(r) for r in g], [day(r) for r in s], exp, -1, n))
    for fid, key, what in (("4d", "confrontations", "confrontations"),
                           ("4e", "petitions", "petitions")):
        a = [r["summary"][key] for r in g]
        b = [r["summary"][key] for r in s]
        out.append(_paired_fact(fid, f"grid: {what} are rarer than under state",
                                f"{what} per run, grid − state", a, b, exp, -1, n,
                                detail={"grid_mean": float(np.mean(a)),
                                        "state_mean": float(np.mean(b))}))
    a = [r["summary"]["satisfaction"] for r in g]
    b = [r["summary"]["satisfaction"] for r in s]
    out.append(_paired_fact("4f", "grid: satisfaction is higher than under state",
                            "share of households satisfied, grid − state", a, b, exp, 1, n,
                            detail={"grid_mean": float(np.mean(a)),
                                    "state_mean": float(np.mean(b))}))
    return out


def fact_burden(v, exp) -> list[FactResult]:
    base, high = v[exp.burden_regime], v["burden_high"]
    n = len(base)
    a = [r["served"]["committee_mediation"] for r in high]
    b = [r["served"]["committee_mediation"] for r in base]
    out = [_paired_fact("5a", "higher committee administrative burden lowers mediation "
                        "throughput", f"committee mediations completed per run, burden "
                        f"{exp.burden_high:g} − preset ({exp.burden_regime})", a, b, exp, -1, n)]
    a = [r["summary"]["escalated_share"] for r in high]
    b = [r["summary"]["escalated_share"] for r in base]
    out.append(_paired_fact("5b", "higher committee administrative burden raises escalation",
                            "share of disputes escalated (petition or collective action), "
                            f"burden {exp.burden_high:g} − preset", a, b, exp, 1, n))
    return out


_INTERPERSONAL = ("neighbour", "family")


def fact_social(v, exp) -> list[FactResult]:
    base, without = v[exp.social_regime], v["without_social"]
    keep = (lambda d: d["type"] in _INTERPERSONAL)
    rows_w, last = _pool(without, keep)
    rows_b, _ = _pool(base, keep)
    km_w = _km(rows_w, last)[2] if rows_w else None
    km_b = _km(rows_b, last)[2] if rows_b else None
    return [_paired_fact(
        "6", "removing social organisations from grid slows interpersonal disputes",
        "RMST days to resolution of neighbour/family disputes, without − with",
        _per_seed_rmst(without, keep), _per_seed_rmst(base, keep), exp, 1, len(base),
        p=logrank(rows_w, rows_b, last), extra=" (log-rank p on pooled disputes)",
        detail={"without": dict(exp.social_set),
                "pooled_median_days_without": km_w.median if km_w else None,
                "pooled_median_days_with": km_b.median if km_b else None,
                "resolved_share_without": km_w.events / km_w.n if km_w else None,
                "resolved_share_with": km_b.events / km_b.n if km_b else None})]


def fact_workers(v, exp) -> list[FactResult]:
    values = exp.households_per_grid_worker  # fewest workers first
    series = {x: _per_seed_rmst(v[f"hpw_{x:g}"]) for x in values}
    staff = {x: [r["summary"]["staff_days"] for r in v[f"hpw_{x:g}"]] for x in values}
    n = len(v["state"])
    table = {f"{x:g}": {"rmst_days": mean_ci(series[x], exp.confidence)[0],
                        "staff_days": float(np.mean(staff[x]))} for x in values}
    out = [_paired_fact(
        "7a", "more grid workers speed resolution",
        f"RMST days, {values[0]:g} − {values[-1]:g} households per worker "
        "(> 0: more workers help)", series[values[0]], series[values[-1]], exp, 1, n,
        detail={"by_households_per_worker": table})]
    first = paired(series[values[0]], series[values[1]])
    last = paired(series[values[-2]], series[values[-1]])
    out.append(_paired_fact(
        "7b", "…with diminishing returns",
        f"gain of the first step ({values[0]:g}→{values[1]:g}) − gain of the last "
        f"({values[-2]:g}→{values[-1]:g}), RMST days", first, last, exp, 1, n))
    grid = [r["summary"]["staff_days"] for r in v["grid"]]
    state = [r["summary"]["staff_days"] for r in v["state"]]
    out.append(_paired_fact("7c", "grid costs more staff-days than state",
                            "staff-days per run, grid − state", grid, state, exp, 1, n,
                            detail={"grid_mean": float(np.mean(grid)),
                                    "state_mean": float(np.mean(state))}))
    return out


FACTS = (fact_market, fact_state, fact_big_fuss, fact_grid, fact_burden, fact_social,
         fact_workers)


def evaluate(exp: FactsExperiment, records: list[dict]) -> list[FactResult]:
    """Check every fact on finished runs."""
    v = by_variant(records)
    return [r for fact in FACTS for r in fact(v, exp)]


def check_facts(exp: FactsExperiment, seeds: int | None = None, workers: int = 1,
                progress=None) -> tuple[list[FactResult], list[dict]]:
    """Run the experiment and check the facts: (results, run records)."""
    load_scenario(exp.scenario)  # fail early, with the scenario's own message
    records = execute_all(plan(exp, seeds), workers, progress)
    return evaluate(exp, records), records
