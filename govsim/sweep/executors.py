"""Where runs execute: every backend is a :class:`concurrent.futures.Executor`.

- ``sequential``: in this process, one run after another (debugging, tiny sweeps);
- ``process``: a process pool over this machine's cores; when a worker dies the pool is
  broken as a whole (``BrokenProcessPool``), so the sweep asks for a fresh one with
  :meth:`Backend.renew` and resubmits what was in flight;
- ``dask``: an embedded ``LocalCluster``, or an existing scheduler (``--address``) whose
  workers may be on other machines. Dask reschedules a dead worker's tasks itself.

Stopping is bounded on every backend: :meth:`Backend.abort` (Ctrl-C, SIGTERM) kills the
pool's workers or cancels Dask's futures at once, and every close has a timeout. Workers
die with the sweep even when it is SIGKILL-ed (see :mod:`govsim.sweep.lifeline`).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import re
import signal
import socket
import sys
import threading
from concurrent.futures import CancelledError, Executor, Future, ProcessPoolExecutor

from govsim.errors import UsageError
from govsim.sweep import lifeline
from govsim.sweep.options import EXECUTORS

DASK_HINT = ("the dask executor needs the optional extra: pip install 'govsim[dask]' "
             "(or: pip install 'dask[distributed]')")
CLOSE_SECONDS = 10.0  # the longest any one step of closing a backend may take

log = logging.getLogger(__name__)


class BackendError(UsageError):
    """A backend that cannot be used (missing extra, unreachable scheduler)."""


class SequentialExecutor(Executor):
    """Runs each submitted call at once, in the calling process."""

    def __init__(self) -> None:
        self._shutdown = False

    def submit(self, fn, /, *args, **kwargs) -> Future:
        if self._shutdown:
            raise RuntimeError("cannot submit after shutdown")
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 — handed to the caller via the future
            if isinstance(exc, KeyboardInterrupt):
                raise
            fut.set_exception(exc)
        return fut

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._shutdown = True


# The lifeline first (the server dies with the sweep from then on), then the model (warm.py)
FORK_SERVER_PRELOAD = ["govsim.sweep.lifeline", "govsim.sweep.warm"]


def start_fork_server() -> None:
    """Start the process pool's fork server now, in the background.

    Workers fork from a server that has already imported the model
    (:mod:`govsim.sweep.warm`: mesa, scipy, networkx…), so starting or restarting a worker
    costs milliseconds, and no thread state of this process is forked (the reason for not
    using plain ``fork``). The import itself takes about a second; started early — by
    ``govsim sweep`` before it reads the experiment — it overlaps this process's own
    start-up instead of following it. Idempotent."""
    from multiprocessing import forkserver

    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(FORK_SERVER_PRELOAD)
    os.environ[lifeline.PARENT_ENV] = str(os.getpid())  # the server dies with this process
    try:
        forkserver.ensure_running()
    finally:
        os.environ.pop(lifeline.PARENT_ENV, None)


def _fork_server_pid() -> int | None:
    from multiprocessing import forkserver

    return getattr(forkserver._forkserver, "_forkserver_pid", None)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def _unimportable_main() -> str | None:
    """The main script, when worker processes would fail to import it again: a script
    read from standard input (``python - < script.py``), whose ``__main__.__file__`` is
    ``<stdin>``. ``multiprocessing`` re-imports the main script in every worker, the fork
    server's and Dask's nannies alike, so every run would fail. ``None`` when there is
    nothing to re-import (``python -m``, ``python -c``) or it is a file."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        return None
    path = getattr(main, "__file__", None)
    if path is None:
        return None
    # where multiprocessing looks: a relative path from the directory Python started in
    start = mp.process.ORIGINAL_DIR
    if os.path.isfile(path if os.path.isabs(path) or start is None
                      else os.path.join(start, path)):
        return None
    return path


def _reachable(address: str) -> None:
    """Fail at once, with a plain message, when nothing listens at ``address`` (Dask's
    client would otherwise retry until its timeout)."""
    m = re.fullmatch(r"(?:tcp://)?\[?([^\]]+?)\]?:(\d+)/?", address.strip())
    if not m:
        raise BackendError(f"--address {address}: expected tcp://HOST:PORT, e.g. "
                           "tcp://127.0.0.1:8786")
    try:
        socket.create_connection((m.group(1), int(m.group(2))), timeout=5).close()
    except OSError as exc:
        raise BackendError(f"--address {address}: cannot reach a Dask scheduler ({exc}); "
                           "expected one started with 'dask scheduler'") from None


class Backend:
    """Owns an executor (and, for Dask, the client and cluster behind it)."""

    def __init__(self, kind: str, workers: int | None = None, address: str | None = None):
        if kind not in EXECUTORS:
            raise BackendError(f"--executor {kind!r}: expected one of {', '.join(EXECUTORS)}")
        self._aborted = False
        if address and kind != "dask":
            raise BackendError(f"--address {address}: only the dask executor connects to a "
                               "scheduler; add --executor dask")
        if kind == "process" or (kind == "dask" and not address):
            if (script := _unimportable_main()) is not None:
                raise BackendError(
                    f"the {kind} executor starts worker processes, which import the main "
                    f"script again, and {script!r} is not a file (a script read from "
                    "standard input?): save the script to a file and run that, or use the "
                    "sequential executor")
        self.kind = kind
        self.workers = workers or (1 if kind == "sequential" else default_workers())
        self.address = address
        self._client = self._cluster = None
        self.executor: Executor = self._open()

    def _open(self) -> Executor:
        if self.kind == "sequential":
            return SequentialExecutor()
        if self.kind == "process":
            start_fork_server()
            return ProcessPoolExecutor(max_workers=self.workers,
                                       mp_context=mp.get_context("forkserver"),
                                       initializer=lifeline.pool_worker,
                                       initargs=(_fork_server_pid(),))
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise BackendError(DASK_HINT) from None
        if self.address:
            _reachable(self.address)
            try:
                self._client = Client(self.address, timeout="30s")
            except (OSError, TimeoutError) as exc:
                raise BackendError(f"--address {self.address}: cannot reach a Dask scheduler "
                                   f"({exc}); expected one started with 'dask scheduler'"
                                   ) from None
            n = len(self._client.scheduler_info().get("workers", {}))
            self.workers = n or self.workers
        else:
            with lifeline.signals_ignored(signal.SIGINT):  # workers spawned now inherit it
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                             processes=True, dashboard_address=None,
                                             preload=["govsim.sweep.lifeline"])
            self._client = Client(self._cluster)
        # pure=False: a resubmitted run must be a new task, not the failed one again.
        return self._client.get_executor(pure=False)

    def describe(self) -> str:
        workers = f"{self.workers} worker{'s' if self.workers != 1 else ''}"
        if self.kind == "dask":
            return f"dask ({self.address or 'local cluster'}, {workers})"
        return f"{self.kind} ({workers})"

    def renew(self) -> Executor:
        """A fresh executor after the current one broke (process pools only)."""
        try:
            self.executor.shutdown(wait=False, cancel_futures=True)
        except Exception:  # noqa: BLE001 — a broken pool may fail to shut down cleanly
            pass
        self.executor = self._open()
        return self.executor

    def abort(self) -> None:
        """Stop now (Ctrl-C, SIGTERM): kill the pool's workers, or cancel Dask's futures;
        what they were computing is lost, as it would be in a crash."""
        self._aborted = True
        if self.kind == "process":
            for proc in list(getattr(self.executor, "_processes", {}).values()):
                try:
                    proc.kill()
                except (OSError, ValueError, AttributeError):
                    pass
            self.executor.shutdown(wait=False, cancel_futures=True)
        elif self.kind == "dask":
            logging.getLogger("tornado.application").addFilter(not_a_cancelled_run)
            _bounded(lambda: self.executor.shutdown(wait=False), "cancelling Dask's futures")

    def close(self) -> None:
        """Release the executor; after :meth:`abort`, without waiting for any run. Each
        step is bounded by :data:`CLOSE_SECONDS`."""
        if self.kind != "dask":
            self.executor.shutdown(wait=not self._aborted, cancel_futures=True)
            return
        if not self._aborted:
            _bounded(lambda: self.executor.shutdown(wait=True), "waiting for Dask's runs")
        if self._client is not None:
            _bounded(lambda: self._client.close(timeout=CLOSE_SECONDS), "closing the client")
        if self._cluster is not None:
            _bounded(lambda: self._cluster.close(timeout=CLOSE_SECONDS),
                     "closing the local cluster")

    def __enter__(self) -> "Backend":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def not_a_cancelled_run(record: logging.LogRecord) -> bool:
    """``False`` (drop it) for the traceback Tornado logs when a run the sweep has just
    cancelled was being fetched at that moment.

    Distributed's ``ClientExecutor`` hands each result over in a loop callback that waits
    for the run, then gathers it; a cancel landing between the two makes the gather raise
    ``FutureCancelledError`` inside the callback, and Tornado's loop logs that as
    "Exception in callback", traceback and all (seen once in CI after a Ctrl-C). After
    :meth:`Backend.abort` a cancelled run is what the user asked for, and the sweep reports
    what it did not store; so this filter, set on ``tornado.application`` by the abort
    (and left there: govsim cancels runs only when it aborts), drops records about a cancelled
    future and only those."""
    exc = record.exc_info[1] if record.exc_info else None
    return not isinstance(exc, CancelledError)


def _bounded(step, what: str, seconds: float = CLOSE_SECONDS) -> None:
    """Run a clean-up step that could block (a scheduler gone silent) for at most
    ``seconds``; a step still running then is abandoned (its thread is a daemon, and local
    workers end with this process anyway)."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            step()
        except BaseException as exc:  # noqa: BLE001 — reported below, never raised
            errors.append(exc)

    thread = threading.Thread(target=run, name=f"govsim: {what}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        log.warning("%s took longer than %.0f s; going on without it", what, seconds)
    elif errors:
        log.warning("%s failed: %s", what, errors[0])
