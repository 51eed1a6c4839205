"""Running scenarios: one run, and the three regimes on common random numbers.

This is the library API the CLI, the sweep engine and the app all call; none of them builds
a model by hand.
"""

from __future__ import annotations

import gc
import statistics
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from govsim._lazy import cycle_collector_paused
from govsim.vocabulary import REGIMES
from govsim.model import GovernanceModel
from govsim.reporters import daily_series
from govsim.statistics import pooled_quantile
from govsim.scenario import Scenario

HEADLINE = ("median_days", "p90_days", "rmst_days", "resolved_share", "confrontations",
            "petitions", "satisfaction", "staff_days")
PARKING = ("closed_share", "median_closed_day", "first_confrontation_day",
           "first_state_action_day")


@dataclass
class RunResult:
    """What one run leaves behind: its summary, and optionally its daily series, its
    per-dispute table and its event log."""

    regime: str
    seed: int
    summary: dict[str, Any]
    daily: list[dict] | None = None
    disputes: list[dict] | None = None
    events: list[dict] | None = None
    timeline: list[dict] = field(default_factory=list)


def build_model(scenario: Scenario, regime: str, seed: int,
                overrides: dict[str, Any] | None = None, days: int | None = None,
                collect_daily: bool = True) -> GovernanceModel:
    params = scenario.model_params(regime, overrides)
    if days is not None:
        params["days"] = days
    return GovernanceModel(regime=regime, rng=seed, collect_daily=collect_daily, **params)


def run_model(model: GovernanceModel) -> GovernanceModel:
    """Step ``model`` to its horizon, with Python's cycle collector paused meanwhile.

    Stepping makes no cyclic garbage (``tests/test_runner_memory.py``): what a day frees,
    reference counting frees, so the pause leaves nothing uncollected. Left running, the
    collector would walk the heap — the run's disputes, the community, every module
    imported — again and again as the run allocates, finding nothing (what that cost:
    docs/ODD.md §8). The pause is process-wide: in the app, other sessions' threads go
    without automatic collection while a comparison runs (their garbage waits, it is not
    lost). The model itself is cyclic garbage once dropped (Mesa's model and agents point
    at each other): :func:`run` frees it before returning; a loop of ``run_model`` calls
    keeps dead models until a full collection, as it always did — use :func:`run`."""
    with cycle_collector_paused():
        while model.running:
            model.step()
    return model


def daily_records(model: GovernanceModel) -> list[dict]:
    return daily_series(model.datacollector)


AGENTS_CAP = "agent_network_max_households"


def overrides_for_outputs(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """``overrides`` for a run made for its outputs (:func:`run`: the CLI, sweeps, the
    stylized facts): households become Mesa agents when they first act, not all at the
    build — unless the caller sets ``agent_network_max_households``.

    Such a run's model is dropped once its tables are read, so an agent on the network
    space for every quiet household serves nothing, and building them was about 20 of the
    70 ms of a run of the parking case. Neither construction draws anything random, so
    every output is the same (docs/ODD.md §8, tested). A scenario's own value is for the
    models it makes to be watched or stepped (the app, :func:`build_model`), which keep
    every household on the space up to it; here it would change no output, only the time
    (a file written by ``govsim scenarios --complete`` names every parameter)."""
    return {AGENTS_CAP: 0, **(overrides or {})}


def run(scenario: Scenario, regime: str, seed: int, overrides: dict[str, Any] | None = None,
        days: int | None = None, keep: Iterable[str] = ()) -> RunResult:
    """Run one scenario under one regime with one seed. ``keep`` may name ``daily``,
    ``disputes`` and ``events`` to return those tables besides the summary."""
    keep = set(keep)
    with cycle_collector_paused():
        model = run_model(build_model(scenario, regime, seed, overrides_for_outputs(overrides),
                                      days, collect_daily="daily" in keep))
        result = RunResult(
            regime=regime, seed=seed, summary=model.summary(),
            daily=daily_records(model) if "daily" in keep else None,
            disputes=model.dispute_records() if "disputes" in keep else None,
            events=model.log.records() if "events" in keep else None,
        )
        # Built and run with the collector paused, the whole model is still in the young
        # generation and unreachable once dropped: one pass over that generation frees it.
        # The collector would do the same when the pause ends — unless it was already off
        # (the caller's, or another thread's run in the app), and then dead models piled up.
        del model
        gc.collect(0)
    return result


def compare(scenario: Scenario, regimes: Iterable[str] = REGIMES,
            seeds: Iterable[int] = range(20), overrides: dict[str, Any] | None = None,
            days: int | None = None, keep: Iterable[str] = ("disputes",),
            progress: bool = True) -> dict[str, list[RunResult]]:
    """Every regime on the same seeds (common random numbers): the ``i``-th runs of two
    regimes face the same community and the same disputes."""
    regimes = list(regimes)
    seeds = list(seeds)
    out: dict[str, list[RunResult]] = {r: [] for r in regimes}
    bar = _progress_bar(len(regimes) * len(seeds), progress)
    for seed in seeds:
        for regime in regimes:
            out[regime].append(run(scenario, regime, seed, overrides, days, keep))
            bar.update()
    bar.close()
    return out


class _NoBar:
    """What ``compare`` updates when no bar is shown."""

    def update(self) -> None: ...

    def close(self) -> None: ...


def _progress_bar(total: int, shown: bool):
    """A progress bar on stderr when ``shown`` (tqdm is imported only then)."""
    if not shown:
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="runs", unit="run", file=sys.stderr, leave=False)


def _mean(values: list) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.fmean(vals) if vals else None


def _median(values: list) -> float | None:
    vals = [v for v in values if v is not None]
    return float(statistics.median(vals)) if vals else None


def aggregate(results: list[RunResult]) -> dict[str, Any]:
    """Headline metrics of one regime over seeds: means of run metrics, ``None`` where a
    metric is undefined in every run; parking metrics as medians over the runs. The median
    and p90 days are those of the Kaplan–Meier curve of every run's disputes pooled (when
    the runs kept their disputes), beside the number of runs whose own curve reaches them
    — a mean of per-run medians would silently drop the others."""
    s = [r.summary for r in results]
    out: dict[str, Any] = {k: _mean([x[k] for x in s]) for k in HEADLINE}
    out["reached_runs"] = {k: sum(x[k] is not None for x in s)
                           for k in ("median_days", "p90_days", "median_days_from_report")}
    out["runs"] = len(s)
    tables = [r.disputes for r in results]
    if tables and all(t is not None for t in tables):
        last = int(s[0]["days"]) - 1
        for since, key in (("opened", "median_days"), ("reported", "median_days_from_report")):
            out[key] = pooled_quantile(tables, last, 0.5, since)
        out["p90_days"] = pooled_quantile(tables, last, 0.9)
        out["pooled"] = True
    for k in ("abandoned_share", "police_calls", "detected_first_share", "escalated_share",
              "staff_days_per_resolved", "household_days_in_dispute", "disputes",
              "rmst_days_from_report", "repeat_petitions", "skip_level_petitions",
              "special_handlings", "satisfaction_parking_claimants", "satisfaction_others"):
        out[k] = _mean([x[k] for x in s])
    out["parking"] = {
        "closed_share": _mean([float(x["parking_closed"]) for x in s if x["parking_present"]]),
        "median_closed_day": _median([x["parking_closed_day"] for x in s]),
        "first_confrontation_day": _median([x["parking_first_confrontation_day"] for x in s]),
        "first_petition_day": _median([x["parking_first_petition_day"] for x in s]),
        "first_state_action_day": _median([x["parking_first_state_action_day"] for x in s]),
        "assembly_day": _median([x["parking_assembly_day"] for x in s]),
        "confrontations": _mean([x["parking_confrontations"] for x in s]),
    }
    return out
