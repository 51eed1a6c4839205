"""Every statistic govsim reports, once: the censoring rule, Kaplan–Meier, restricted mean
time, the log-rank test, intervals (t, exact binomial, order statistics) and the paired
seed bootstrap. The run table, the sweep report and the stylized facts all call these.

The censoring rule: time to resolution of a dispute is ``closed − opened`` in days. A
dispute still open at the horizon is right-censored at its time open; an abandoned one was
never resolved and is censored at the horizon too, so giving up never makes a regime look
faster.

``scipy.stats`` is imported where it is used: it costs about a second to import, and a
command that reports nothing statistical should not pay for it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from govsim._lazy import cycle_collector_paused
from govsim.vocabulary import RESOLVED_OUTCOMES


def _scipy_stats():
    """``scipy.stats``, imported at its first use: importing it costs about half a second
    (it formats every function's docstring), which a command that reports no statistics
    should not pay, and a command that does pays once, with the cycle collector paused."""
    with cycle_collector_paused():
        from scipy import stats
    return stats


# ---- time to resolution ---------------------------------------------------------------------
def durations(records: Sequence[dict], last_day: int, since: str = "opened"
              ) -> tuple[np.ndarray, np.ndarray]:
    """(days, resolved?) per dispute row: resolved ones at ``closed − since``, the others
    censored at the horizon (``last_day``, the last simulated day). ``since`` is the column
    the clock starts from (``opened``; or ``complained`` for time from the first complaint,
    rows without one left out)."""
    rows = [r for r in records if r.get(since) is not None]
    return censored_durations([r["outcome"] for r in rows], [r[since] for r in rows],
                              [r["closed"] for r in rows], last_day)


def censored_durations(outcome: Sequence[str], since: Sequence[float],
                       closed: Sequence[float | None], last_day: int
                       ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`durations` over columns (a table's, such as a sweep's dispute rows):
    ``closed`` is read only where the outcome is a resolution (elsewhere it may be missing
    or the day the dispute was given up, which does not count); a missing outcome is not
    a resolution."""
    resolved = np.fromiter((isinstance(o, str) and o in RESOLVED_OUTCOMES for o in outcome),
                           bool, len(outcome))
    end = np.full(len(resolved), float(last_day))
    end[resolved] = np.asarray(closed, dtype=object)[resolved].astype(float)
    return end - np.asarray(since, dtype=float), resolved


@dataclass(frozen=True)
class Survival:
    """Kaplan–Meier estimate of the share of disputes still unresolved after t days."""

    times: np.ndarray  # distinct event times
    survival: np.ndarray  # S(t) just after each time
    n: int
    events: int
    horizon: float

    def quantile(self, q: float) -> float | None:
        """Smallest t with S(t) ≤ 1 − q; None when the curve never gets that low."""
        below = np.flatnonzero(self.survival <= 1.0 - q + 1e-12)
        return float(self.times[below[0]]) if len(below) else None

    @property
    def median(self) -> float | None:
        return self.quantile(0.5)

    @property
    def p90(self) -> float | None:
        return self.quantile(0.9)

    def rmst(self, tau: float | None = None) -> float:
        """Restricted mean time to resolution: the area under S(t) up to ``tau``."""
        tau = self.horizon if tau is None else tau
        edges = np.r_[0.0, self.times[self.times < tau], tau]
        levels = np.r_[1.0, self.survival[self.times < tau]]
        return float(np.sum(np.diff(edges) * levels))


def _censored(times: np.ndarray, resolved: np.ndarray):
    stats = _scipy_stats()
    return stats.CensoredData(uncensored=times[resolved], right=times[~resolved])


def kaplan_meier(times: np.ndarray, resolved: np.ndarray, horizon: float | None = None
                 ) -> Survival:
    """Kaplan–Meier via :func:`scipy.stats.ecdf` on right-censored data."""
    stats = _scipy_stats()
    times = np.asarray(times, dtype=float)
    resolved = np.asarray(resolved, dtype=bool)
    horizon = float(times.max()) if horizon is None and len(times) else float(horizon or 0)
    if not resolved.any():
        return Survival(np.zeros(0), np.zeros(0), len(times), 0, horizon)
    sf = stats.ecdf(_censored(times, resolved)).sf
    return Survival(np.asarray(sf.quantiles), np.asarray(sf.probabilities), len(times),
                    int(resolved.sum()), horizon)


def kaplan_meier_band(times: np.ndarray, resolved: np.ndarray, confidence: float = 0.95
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(times, S(t), lower, upper): the curve with its pointwise confidence band. Where the
    band is undefined — from the time the curve reaches 0, every dispute left resolved —
    its bounds are NaN, which says so; scipy's warning about it is not passed on."""
    stats = _scipy_stats()
    sf = stats.ecdf(_censored(np.asarray(times, float), np.asarray(resolved, bool))).sf
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The confidence interval is undefined",
                                category=RuntimeWarning)
        ci = sf.confidence_interval(confidence)
    return (np.asarray(sf.quantiles), np.asarray(sf.probabilities),
            np.asarray(ci.low.probabilities), np.asarray(ci.high.probabilities))


def logrank(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
            ) -> tuple[float, float] | None:
    """(statistic, two-sided p) of the log-rank test of two (times, resolved) samples;
    None when neither has a resolution or one is empty."""
    stats = _scipy_stats()
    (ta, ea), (tb, eb) = a, b
    if not len(ta) or not len(tb) or not (np.any(ea) or np.any(eb)):
        return None
    res = stats.logrank(_censored(np.asarray(ta, float), np.asarray(ea, bool)),
                        _censored(np.asarray(tb, float), np.asarray(eb, bool)))
    return float(res.statistic), float(res.pvalue)


def pooled_quantile(tables: Sequence[Sequence[dict]], last_day: int, q: float = 0.5,
                    since: str = "opened") -> float | None:
    """The ``q``-quantile of days to resolution on the Kaplan–Meier curve of all runs'
    disputes pooled (a mean of per-run medians would drop the runs that never reach one)."""
    pairs = [durations(t, last_day, since) for t in tables]
    if not pairs:
        return None
    t = np.concatenate([p[0] for p in pairs])
    e = np.concatenate([p[1] for p in pairs])
    return kaplan_meier(t, e, last_day + 1).quantile(q)


# ---- intervals --------------------------------------------------------------------------------
def mean_ci(values, confidence: float = 0.95
            ) -> tuple[float | None, tuple[float, float] | None]:
    """Mean and Student-t interval over the defined values; (None, None) when none is."""
    stats = _scipy_stats()
    x = np.asarray([v for v in values if v is not None and not _nan(v)], dtype=float)
    if len(x) == 0:
        return None, None
    m = float(x.mean())
    if len(x) < 2 or float(x.std(ddof=1)) == 0.0:
        return m, (m, m)
    half = stats.t.ppf(0.5 + confidence / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    return m, (m - float(half), m + float(half))


def _nan(v) -> bool:
    return isinstance(v, float) and math.isnan(v)


def paired(a, b) -> list[float]:
    """Differences a − b over the seeds where both are defined."""
    return [x - y for x, y in zip(a, b) if x is not None and y is not None]


def share_ci(k: int, n: int, confidence: float = 0.95) -> tuple[float, tuple[float, float]]:
    """A share of runs with its Clopper–Pearson (exact binomial) interval."""
    stats = _scipy_stats()
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="exact")
    return k / n, (float(ci.low), float(ci.high))


def median_ci(values, confidence: float = 0.95) -> tuple[float, tuple[float, float]]:
    """Median with its order-statistic interval (no distribution assumed); ``inf`` may
    stand for "not reached"."""
    stats = _scipy_stats()
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    j = int(stats.binom.ppf((1 - confidence) / 2, n, 0.5))
    lo = x[max(j - 1, 0)]
    hi = x[min(n - j, n - 1)]
    return float(np.median(x)), (float(lo), float(hi))


BOOTSTRAP_DRAWS = 500
BOOTSTRAP_SEED = 20100901  # fixed: a report is reproducible


def seed_bootstrap(groups: Sequence[Sequence], statistic: Callable, confidence: float = 0.95,
                   draws: int = BOOTSTRAP_DRAWS) -> tuple[float, float] | None:
    """Percentile interval of ``statistic(*groups)`` resampling seeds — the same resample
    for every group, so that paired seeds stay paired."""
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    n = len(groups[0])
    values = []
    for _ in range(draws):
        idx = rng.integers(0, n, n)
        value = statistic(*[[g[i] for i in idx] for g in groups])
        if value is not None:
            values.append(value)
    if not values:
        return None
    lo, hi = np.percentile(values, [50 * (1 - confidence), 50 * (1 + confidence)])
    return float(lo), float(hi)


def summary_stats(values: np.ndarray, confidence: float = 0.95
                  ) -> tuple[int, float, float, float, float]:
    """(n defined, mean, sd, low, high) of the non-NaN values: the sweep report's cells."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    n = len(v)
    if n == 0:
        return 0, np.nan, np.nan, np.nan, np.nan
    mean = float(v.mean())
    if n == 1:
        return 1, mean, np.nan, np.nan, np.nan
    _, (lo, hi) = mean_ci(v.tolist(), confidence)
    return n, mean, float(v.std(ddof=1)), lo, hi
