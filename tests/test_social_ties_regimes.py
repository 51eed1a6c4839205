"""The vectorised building ties leave the regime comparison's results unchanged: the parking
case under the three regimes, 50 paired seeds built with the new ties and with networkx's
generator (the reference of ``networkx_ties.py``) on the same model code, compared metric
by metric.

The decision rule was fixed before looking: two-sample Kolmogorov–Smirnov and
Mann–Whitney tests of each run metric, and a log-rank test of all disputes' times to
resolution pooled over seeds, for each regime; the distributions count as unchanged when
no p-value is below 0.01 divided by the number of tests (Bonferroni: a 1% chance of a
false alarm for the whole family). The seeds are fixed, so the verdict is reproducible.
About 35 CPU seconds, spread over two processes.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from scipy import stats

from govsim import load_scenario, run
from govsim.statistics import durations, logrank
from govsim.vocabulary import REGIMES
from networkx_ties import networkx_ties

SEEDS = range(50)
FAMILY_ALPHA = 0.01
# Per run: time to resolution (Kaplan–Meier median), petitions, satisfaction and the
# parking milestones. A milestone or median never reached counts as the day after the
# horizon, so the rank tests see it as the latest.
METRICS = ("median_days", "rmst_days", "petitions", "satisfaction", "parking_closed_day",
           "parking_first_confrontation_day", "parking_first_petition_day",
           "parking_first_state_action_day", "parking_assembly_day")


def _runs(seed: int, reference: bool) -> dict:
    """One seed under every regime: run metrics and (times, resolved) of every dispute."""
    scenario = load_scenario("parking_x_community")

    def one(regime):
        r = run(scenario, regime, seed, keep=("disputes",))
        days = r.summary["days"]
        never = days + 1
        metrics = {m: never if r.summary[m] is None else float(r.summary[m]) for m in METRICS}
        return metrics, durations(r.disputes, days - 1)

    if reference:
        with networkx_ties():
            return {regime: one(regime) for regime in REGIMES}
    return {regime: one(regime) for regime in REGIMES}


@pytest.fixture(scope="module")
def paired():
    """{"new"|"networkx": [per seed: {regime: (metrics, durations)}]}."""
    jobs = [(s, ref) for ref in (False, True) for s in SEEDS]
    with ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) as pool:
        done = list(pool.map(_runs, *zip(*jobs)))
    return {"new": done[:len(SEEDS)], "networkx": done[len(SEEDS):]}


def _p_values(paired) -> dict[str, float]:
    out = {}
    for regime in REGIMES:
        for m in METRICS:
            a = np.array([seed[regime][0][m] for seed in paired["new"]])
            b = np.array([seed[regime][0][m] for seed in paired["networkx"]])
            if np.ptp(np.r_[a, b]) == 0:  # e.g. no state action under market-only
                continue
            out[f"{regime} {m} KS"] = stats.ks_2samp(a, b).pvalue
            out[f"{regime} {m} Mann-Whitney"] = stats.mannwhitneyu(a, b).pvalue
        pooled = [tuple(np.concatenate(parts) for parts in
                        zip(*[seed[regime][1] for seed in paired[side]]))
                  for side in ("new", "networkx")]
        out[f"{regime} time to resolution, log-rank"] = logrank(*pooled)[1]
    return out


def test_regime_comparison_is_unchanged(paired):
    p = _p_values(paired)
    threshold = FAMILY_ALPHA / len(p)
    print(f"\n{len(p)} tests, each must give p >= {threshold:.2g}; the lowest:")
    for name, value in sorted(p.items(), key=lambda kv: kv[1])[:5]:
        print(f"{name:60s} p = {value:.3f}")
    assert min(p.values()) >= threshold, {k: v for k, v in p.items() if v < threshold}


def test_the_comparison_is_not_empty(paired):
    """The tests above compare real spreads: every regime resolves disputes in every run."""
    for side in paired.values():
        assert all(seed[r][1][1].any() for seed in side for r in REGIMES)
