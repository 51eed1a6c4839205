"""One validation run: the model run once, and what validation keeps of it.

Runs are independent, so they may go to a process pool; every number comes from the
model's own seeded rng, so the records are the same whether runs go one after another or
in parallel.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from govsim.events import EventKind, milestones
from govsim.runner import build_model, run_model
from govsim.vocabulary import DisputeType, Outcome
from govsim.scenario import load_scenario

# The case's key events, as the event log records them (in this order on the timeline).
CASE_EVENTS = ("first_confrontation", "guards", "petition", "state_action", "assembly",
               "settlement")


@dataclass(frozen=True)
class Task:
    """One run to do: a scenario under a regime with overrides, one seed."""

    variant: str
    regime: str
    seed: int
    overrides: tuple = ()  # ((key, value), ...) so that tasks hash and pickle
    scenario: str = ""
    days: int | None = None


_EVENT_KINDS = {"first_confrontation": EventKind.CONFRONTATION,
                "guards": EventKind.GUARDS_HIRED, "petition": EventKind.PETITION,
                "state_action": EventKind.STATE_ORDER, "assembly": EventKind.ASSEMBLY_HELD}


def case_events(model) -> dict[str, int | None]:
    """Day of each key event of the parking dispute (None: it did not happen)."""
    d = next((x for x in model.disputes if x.type is DisputeType.PARKING), None)
    out: dict[str, int | None] = dict.fromkeys(CASE_EVENTS)
    if d is None:
        return out
    ms = milestones(model.log, d.id)
    for name, kind in _EVENT_KINDS.items():
        out[name] = ms.day(kind)
    out["settlement"] = d.closed if d.outcome is not None and Outcome(d.outcome).resolved \
        else None
    return out


def execute(task: Task) -> dict[str, Any]:
    """Run one task; return its summary, compact dispute rows, channel counts, case days."""
    scenario = load_scenario(task.scenario)
    model = run_model(build_model(scenario, task.regime, task.seed, dict(task.overrides),
                                  task.days))
    disputes = [{"type": d.type.value, "opened": d.opened, "closed": d.closed,
                 "outcome": d.outcome.value if d.outcome else None,
                 "escalated": d.escalated, "collective": d.collective}
                for d in model.disputes]
    return {"variant": task.variant, "regime": task.regime, "seed": task.seed,
            "last_day": model.today, "summary": model.summary(), "disputes": disputes,
            "served": model.channels.served(),
            "case": case_events(model)}


def execute_all(tasks: Iterable[Task], workers: int = 1, progress=None) -> list[dict]:
    """Run every task, in order; ``workers`` > 1 uses that many processes."""
    tasks = list(tasks)
    out = []
    if workers <= 1:
        for t in tasks:
            out.append(execute(t))
            if progress:
                progress()
        return out
    # spawn, not fork: the parent may hold threads (progress bar, BLAS)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for record in pool.map(execute, tasks, chunksize=1):
            out.append(record)
            if progress:
                progress()
    return out
