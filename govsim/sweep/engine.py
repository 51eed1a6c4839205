"""The sweep loop: plan the runs, skip those already stored, keep the executor busy, store
every result as it arrives, survive dead workers."""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from govsim.sweep.designs import Design, build_design
from govsim.sweep.executors import Backend
from govsim.sweep.lifeline import signals_ignored
from govsim.sweep.spec import Experiment, check_size
from govsim.sweep.store import ResultStore
from govsim.sweep.tasks import RunOutcome, RunTask, execute, plan, shard

MAX_ATTEMPTS = 3  # times a run may be caught on a dying worker before it is recorded failed
COMMIT_SECONDS = 30.0


@dataclass
class SweepResult:
    total: int  # runs in this sweep (this shard)
    skipped: int  # already stored before this invocation
    done: int  # finished ok now
    failed: int  # recorded failed now
    recovered: int  # recovered from a killed sweep's journal
    interrupted: bool = False
    executor: str = ""
    seconds: float = 0.0
    stored_failed: int = 0  # runs of this sweep stored failed at its end (now or before)
    missing: int = 0  # runs of this sweep not stored at its end
    notices: tuple[str, ...] = ()  # damage found in the store and repaired

    @property
    def status(self) -> int:
        """The exit status the store's state calls for: 130 interrupted, 1 some runs
        stored failed or missing, 0 every run of the sweep stored ok."""
        if self.interrupted:
            return 130
        return 1 if self.stored_failed or self.missing else 0

    def describe(self, name: str) -> str:
        state = "interrupted" if self.interrupted else "finished"
        return (f"{name}: {state} on {self.executor} in {self.seconds:.1f} s — "
                f"{self.done} run(s) done, {self.failed} failed, {self.skipped} already "
                "stored" + (f", {self.recovered} recovered from a killed sweep"
                            if self.recovered else "") + f"; {self.total} in this sweep")

    def problem(self) -> str:
        """Why the status is not 0, for the user."""
        parts = []
        if self.stored_failed:
            parts.append(f"{self.stored_failed} run(s) of this sweep are stored as failed "
                         "(their errors are in runs.parquet and status.log); "
                         "--retry-failed runs them again")
        if self.missing:
            parts.append(f"{self.missing} run(s) of this sweep are not stored; --resume "
                         "computes them")
        return "; ".join(parts)


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value, default=str)


def _row(task: RunTask, out: RunOutcome, attempts: int) -> dict:
    row = {"run_id": task.run_id, "point": task.point, "regime": task.regime,
           "replicate": task.replicate, "seed": task.seed}
    if task.point_name is not None:
        row["point_name"] = task.point_name
    row.update({f"param_{k}": _cell(v) for k, v in task.params.items()})
    row.update({"status": out.status, "error": out.error, "wall_s": out.wall_s,
                "worker": out.worker, "finished_at": out.finished_at, "attempts": attempts})
    row.update({k: _cell(v) for k, v in out.summary.items()})
    return row


def _failed(task: RunTask, error: str) -> RunOutcome:
    return RunOutcome(task.run_id, "failed", error=error, finished_at=time.time())


def select(exp: Experiment, shard_spec: tuple[int, int] | None = None,
           allow_large: bool = False) -> tuple[Design, list[RunTask], list[RunTask]]:
    """(design, every task of the experiment, the tasks of this shard); the run count is
    checked against its cap before anything is built."""
    check_size(exp, allow_large)
    design = build_design(exp)
    tasks = plan(exp, design)
    mine = shard(tasks, *shard_spec) if shard_spec else tasks
    return design, tasks, mine


def run_sweep(exp: Experiment, out: str | Path, executor: str = "process",
              workers: int | None = None, address: str | None = None, resume: bool = False,
              retry_failed: bool = False, shard_spec: tuple[int, int] | None = None,
              fmt: str | None = None, progress: bool = True,
              command: list[str] | None = None, allow_large: bool = False) -> SweepResult:
    started = time.perf_counter()
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
    try:
        design, tasks, mine = select(exp, shard_spec, allow_large)
        join = shard_spec is not None
        # Every check of the folder before the backend starts, and the backend before the
        # store is opened: neither a bad folder nor a missing extra or an unreachable
        # scheduler may leave a half-made store or a started cluster behind.
        ResultStore.check(out, exp, fmt, resume or retry_failed, join, shard_spec)
        with Backend(executor, workers, address) as backend:
            store = ResultStore.open(out, exp, design, tasks, command or [], fmt,
                                     resume=resume or retry_failed, join=join,
                                     shard=shard_spec)
            try:
                planned = {t.run_id: t.seed for t in tasks}
                return _sweep(store, backend, exp, mine, planned, retry_failed, shard_spec,
                              progress, started)
            finally:
                store.close()
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


def _sweep(store: ResultStore, backend: Backend, exp: Experiment, mine: list[RunTask],
           planned: dict[str, int], retry_failed: bool, shard_spec, progress: bool,
           started: float) -> SweepResult:
    recovered = store.recover(planned)
    stored = store.stored()
    todo = [t for t in mine if t.run_id not in stored
            or (retry_failed and stored[t.run_id] == "failed")]
    result = SweepResult(total=len(mine), skipped=len(mine) - len(todo), done=0,
                         failed=0, recovered=recovered, executor=backend.describe(),
                         notices=tuple(store.notices))
    for note in store.notices:
        print(f"govsim: warning: {note}", file=sys.stderr)
    bar = tqdm(total=len(mine), initial=result.skipped, desc=exp.name, unit="run",
               file=sys.stderr, disable=not progress, dynamic_ncols=True, smoothing=0.1)
    try:
        store.log("sweep-start", executor=result.executor, runs=len(mine),
                  to_run=len(todo), stored=result.skipped, recovered=recovered,
                  shard=list(shard_spec) if shard_spec else None)
        _loop(backend, store, todo, result, bar)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        # bounded (one batch, timeouts): a second Ctrl-C must not tear the commit
        with signals_ignored(signal.SIGINT, signal.SIGTERM):
            if result.interrupted:
                backend.abort()  # at once: running runs are lost anyway, may take minutes
            bar.close()
            store.commit()
            result.seconds = time.perf_counter() - started
            store.log("sweep-interrupted" if result.interrupted else "sweep-end",
                      done=result.done, failed=result.failed,
                      seconds=round(result.seconds, 2))
            store.end_manifest(done=result.done, failed=result.failed,
                               interrupted=result.interrupted, executor=result.executor)
    # what the store now holds decides the exit status (reading may take a while on a
    # large store: Ctrl-C works again here, and loses nothing)
    final = store.stored()
    result.stored_failed = sum(final.get(t.run_id) == "failed" for t in mine)
    result.missing = sum(t.run_id not in final for t in mine)
    if not result.interrupted:
        store.consolidate()
    return result


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _loop(backend: Backend, store: ResultStore, todo: list[RunTask], result: SweepResult,
          bar) -> None:
    queue = deque(todo)
    inflight: dict[Future, RunTask] = {}
    attempts: dict[str, int] = {}
    limit = max(2, 2 * backend.workers)
    batch = max(20, 4 * backend.workers)
    last_commit = time.monotonic()

    def record(task: RunTask, outcome: RunOutcome) -> None:
        store.add(_row(task, outcome, attempts.get(task.run_id, 0) + 1), outcome.tables)
        if outcome.status == "ok":
            result.done += 1
            store.log("run-done", run_id=task.run_id, wall_s=round(outcome.wall_s, 3))
        else:
            result.failed += 1
            store.log("run-failed", run_id=task.run_id, error=outcome.error)
            bar.set_postfix(failed=result.failed, refresh=False)
        bar.update()

    def retry(task: RunTask, error: str) -> None:
        attempts[task.run_id] = attempts.get(task.run_id, 0) + 1
        if attempts[task.run_id] >= MAX_ATTEMPTS:
            record(task, _failed(task, f"{error} (lost {MAX_ATTEMPTS} times with its "
                                       "worker; --retry-failed runs it again)"))
        else:
            queue.appendleft(task)

    while queue or inflight:
        broken = False
        while queue and len(inflight) < limit:
            task = queue.popleft()
            try:
                inflight[backend.executor.submit(execute, task)] = task
            except BrokenProcessPool:
                queue.appendleft(task)
                broken = True
                break
        finished, _ = wait(list(inflight), timeout=1.0, return_when=FIRST_COMPLETED)
        for fut in finished:
            task = inflight.pop(fut)
            try:
                outcome = fut.result()
            except BrokenProcessPool:
                broken = True
                retry(task, "BrokenProcessPool: a worker process died")
            except Exception as exc:  # noqa: BLE001 — infrastructure (e.g. KilledWorker)
                retry(task, f"{type(exc).__name__}: {exc}")
            else:
                record(task, outcome)
        if broken:
            for fut, task in list(inflight.items()):
                if fut.done() and fut.exception() is None:
                    record(task, fut.result())
                else:
                    retry(task, "BrokenProcessPool: a worker process died")
            inflight.clear()
            store.log("pool-rebuilt", reason="a worker process died")
            backend.renew()
        if store.pending >= batch or (store.pending and
                                      time.monotonic() - last_commit > COMMIT_SECONDS):
            store.commit()
            last_commit = time.monotonic()
