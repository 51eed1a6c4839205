"""The daily series: small reporter functions with plain names, read by Mesa's
DataCollector once a day. Counts come from the run's running counters; the open disputes
are read once per day for the stage counts and the mean grievance."""

from __future__ import annotations

import numpy as np

from govsim.vocabulary import ORGANISATIONS, Stage

_STAGES = {int(s) for s in Stage}


def _open_state(m) -> tuple[dict, float]:
    """Open disputes by stage and their mean grievance, in one pass per collection."""
    cached = getattr(m, "_open_state_cache", None)
    if cached is not None and cached[0] == m.steps:
        return cached[1]
    t = m.book.table
    rows = t.open_rows()
    by_stage = {Stage(k): int(v) for k, v in enumerate(np.bincount(t.stage[rows]))
                if v and k in _STAGES}
    individual = rows[~t.collective[rows]]
    total = float(t.grievance[individual].sum())
    count = float(len(individual))
    for d in m.book.open_collective:
        if d.is_open:
            g = d.grievance[d.active]
            total += float(g.sum())
            count += len(g)
    state = (by_stage, total / count if count else 0.0)
    m._open_state_cache = (m.steps, state)
    return state


def _open_at(stage: Stage):
    return lambda m: _open_state(m)[0].get(stage, 0)


def mean_grievance(m) -> float:
    return _open_state(m)[1]


def staff_days(m) -> float:
    return m.counts.staff_days


def developer_strategy(m) -> str | None:
    parking = m.episodes.get("parking")
    return parking.developer.strategy.value if parking is not None else None


def _trust(org: str):
    return lambda m: m.community.mean_trust(org)


MODEL_REPORTERS = {
    "day": lambda m: m.today,
    "open_latent": _open_at(Stage.LATENT),
    "open_voiced": _open_at(Stage.VOICED),
    "open_in_handling": _open_at(Stage.IN_HANDLING),
    "open_collective_action": _open_at(Stage.COLLECTIVE_ACTION),
    "open_confrontation": _open_at(Stage.CONFRONTATION),
    "open_petition": _open_at(Stage.PETITION),
    "participants": lambda m: m.counts.participants_today,
    "confrontations": lambda m: m.counts.confrontations,
    "police_calls": lambda m: m.counts.police_calls,
    "petitions": lambda m: m.counts.petitions,
    "resolved": lambda m: m.book.resolved,
    "abandoned": lambda m: m.book.abandoned,
    "mean_grievance": mean_grievance,
    "satisfaction_share": lambda m: m.community.satisfied_share,
    "staff_days": staff_days,
    "developer_strategy": developer_strategy,
    **{f"trust_{org}": _trust(org) for org in ORGANISATIONS},
}


def attach_summary(datacollector, summary: dict) -> None:
    """Put the run summary on the last day's row of the daily table, in columns of its own
    (empty on earlier days), so that ``mesa.batch_run`` returns the summaries — median and
    restricted mean days, petitions, satisfaction, the parking milestones — beside the
    daily reporters. A summary value named like a daily reporter is that reporter's last
    value already (the counters are cumulative) and is not repeated."""
    rows = len(datacollector.model_vars.get("day", []))
    if not rows:
        return
    for key, value in summary.items():
        if key not in MODEL_REPORTERS:
            datacollector.model_vars[key] = [None] * (rows - 1) + [value]


def daily_series(datacollector) -> list[dict]:
    """The daily reporters only, one dict per day (the summary columns left out), read from
    the collector's columns as they are: each column holds one plain type, so a pandas
    frame in between changed nothing but the time (2.2 of a case run's ~40 ms)."""
    columns = {name: datacollector.model_vars[name] for name in MODEL_REPORTERS
               if name in datacollector.model_vars}
    return [dict(zip(columns, day)) for day in zip(*columns.values())]
