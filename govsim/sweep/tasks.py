"""One run of a sweep as data: what to run (:class:`RunTask`), what came back
(:class:`RunOutcome`), and :func:`execute`, the function every executor calls.

Tasks carry the scenario's *text*, not a path or a model, so that they pickle small and run
on any worker — a process on this machine or a Dask worker on another one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import socket
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from govsim.sweep.designs import Design
from govsim.sweep.spec import Experiment
from govsim.sweep.tables import arrow_table, pack


class InjectedFailure(RuntimeError):
    """Raised by runs named in an experiment's ``[testing] fail`` list."""


@dataclass(frozen=True)
class RunTask:
    run_id: str
    point: int
    regime: str
    replicate: int
    seed: int
    params: dict[str, Any]  # the design point's values (the swept parameters)
    overrides: dict[str, Any]  # fixed values and the point's values, as passed to the model
    scenario_text: str
    scenario_source: str
    keep: tuple[str, ...] = ()
    every: int = 1
    fail: bool = False
    point_name: str | None = None  # named points only


@dataclass
class RunOutcome:
    run_id: str
    status: str  # "ok" or "failed"
    summary: dict[str, Any] = field(default_factory=dict)
    # the kept tables that have rows ("daily", "disputes", "events"), packed (tables.py)
    tables: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None
    wall_s: float = 0.0
    worker: str = ""
    finished_at: float = 0.0


def run_id(regime: str, params: dict[str, Any], replicate: int,
           point_name: str | None = None) -> str:
    """Deterministic id of a run: its regime, its parameter values and its replicate — and
    its name, for a named point (two named points are two variants even when their values
    coincide)."""
    key = {"regime": regime, "params": params, "replicate": replicate}
    if point_name is not None:
        key["point"] = point_name
    text = json.dumps(key, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def seed_for(exp: Experiment, rid: str, replicate: int) -> int:
    """``paired``: replicate r has seed first + r everywhere (common random numbers).
    ``independent``: a seed drawn from the experiment's entropy and the run's id."""
    if exp.seed_policy == "paired":
        return exp.first_seed + replicate
    ss = np.random.SeedSequence([exp.entropy, int(rid, 16)])
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))


def plan(exp: Experiment, design: Design) -> list[RunTask]:
    """Every run of the experiment, in a fixed order: point, replicate, regime.

    Two design points with the same values (Morris trajectories revisit grid levels;
    rounding integer parameters can merge samples) are the same runs: they get the same
    ids and run once, listed under the first such point."""
    keep = tuple(k for k, on in (("daily", exp.keep_daily), ("disputes", exp.keep_disputes),
                                 ("events", exp.keep_events)) if on)
    fail = set(exp.fail)
    tasks, seen = [], set()
    source = str(exp.scenario.path or exp.scenario.name)
    named = {p.name: p for p in exp.points}
    for p, params in enumerate(design.points):
        name = design.point_names[p] if design.point_names else None
        regimes = named[name].regimes if name else exp.regimes
        replicates = named[name].replicates if name else exp.replicates
        for rep in range(replicates):
            for regime in regimes:
                rid = run_id(regime, params, rep, name)
                if rid in seen:
                    continue
                seen.add(rid)
                doomed = bool({(regime, rep), (regime, None), (None, rep)} & fail)
                tasks.append(RunTask(
                    run_id=rid, point=p, regime=regime, replicate=rep,
                    seed=seed_for(exp, rid, rep), params=dict(params),
                    overrides={**exp.fixed, **params}, scenario_text=exp.scenario_text,
                    scenario_source=source, keep=keep, every=exp.every, fail=doomed,
                    point_name=name))
    return tasks


def shard(tasks: list[RunTask], index: int, count: int) -> list[RunTask]:
    """The ``index``-th of ``count`` deterministic slices (1-based), by run id, so that a
    job array's slices are disjoint and cover every run whatever order tasks are listed in."""
    return [t for t in tasks if int(t.run_id, 16) % count == index - 1]


@functools.lru_cache(maxsize=8)
def _scenario(text: str, source: str):
    from govsim.scenario import parse_scenario

    return parse_scenario(text, source)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def execute(task: RunTask) -> RunOutcome:
    """Run one task. A run that raises comes back as a ``failed`` outcome carrying its
    error, so one bad run never stops a sweep; only the infrastructure (a dead worker)
    makes the future itself fail."""
    from govsim.runner import run

    start = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        if task.fail:
            raise InjectedFailure(f"run {task.run_id} ({task.regime}, replicate "
                                  f"{task.replicate}) is listed in [testing] fail")
        scenario = _scenario(task.scenario_text, task.scenario_source)
        result = run(scenario, task.regime, task.seed, overrides=task.overrides,
                     keep=task.keep)
        daily = None
        if result.daily is not None:
            last = len(result.daily) - 1
            daily = [row for i, row in enumerate(result.daily)
                     if i % task.every == 0 or i == last]
        kept = {"daily": daily, "disputes": result.disputes, "events": result.events}
        return RunOutcome(task.run_id, "ok", {k: _plain(v) for k, v in result.summary.items()},
                          tables={name: pack(arrow_table(rows))
                                  for name, rows in kept.items() if rows},
                          wall_s=time.perf_counter() - start, worker=worker,
                          finished_at=time.time())
    except Exception as exc:  # noqa: BLE001 — any error of a run is recorded, not raised
        tb = traceback.format_exception(exc)
        return RunOutcome(task.run_id, "failed", error=(
            f"{type(exc).__name__}: {exc}\n" + "".join(tb[-3:])).strip(),
            wall_s=time.perf_counter() - start, worker=worker, finished_at=time.time())
