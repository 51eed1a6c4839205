"""Worker processes that end with the sweep that started them.

A process pool's workers are forked by a fork server, and both hold pipes to each other, so
neither notices when the sweep is SIGKILL-ed: they would live on (about 500 MiB). On Linux
each asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``): the fork server
when the sweep dies — at import, as the server preloads this module, told the sweep's pid
through :data:`PARENT_ENV` — and each pool worker when the fork server dies
(:func:`pool_worker`). Workers also ignore Ctrl-C: the terminal sends it to the whole process
group, and the sweep, not each worker, decides what an interrupt means.

Dask's local workers already exit when their parent dies (distributed watches a pipe);
:func:`dask_setup` makes them ignore Ctrl-C too (the module is a Dask worker preload), and keeps
them from printing a traceback when the sweep is killed while they send it a result.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading

PARENT_ENV = "GOVSIM_FORKSERVER_PARENT"
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None) -> None:
    """Be SIGKILL-ed when the parent process ends (Linux); if ``parent`` is already gone
    (it died before this call), end now."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the pipes still end most workers
            pass
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def ignore_interrupts() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def signals_ignored(*signals: int):
    """Ignore ``signals`` for a while: children started meanwhile inherit it, and a short
    clean-up is not torn by a second Ctrl-C. Only the main thread may change handlers;
    elsewhere this does nothing."""
    main = threading.current_thread() is threading.main_thread()
    old = {s: signal.signal(s, signal.SIG_IGN) for s in signals} if main else {}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def pool_worker(parent: int | None) -> None:
    """Initializer of a process pool's workers; ``parent`` is the fork server's pid."""
    ignore_interrupts()
    die_with_parent(parent)


def dask_setup(worker) -> None:  # noqa: ARG001 — Dask's preload hook
    ignore_interrupts()
    # on distributed's handler, so that every distributed logger's records pass the filter
    for handler in logging.getLogger("distributed").handlers:
        handler.addFilter(connection_to_the_sweep_closed)


_CLOSED = ("CommClosedError", "StreamClosedError")  # distributed's and tornado's names


def connection_to_the_sweep_closed(record: logging.LogRecord) -> bool:
    """``False`` (drop it) for an error a local Dask worker logs, with a traceback, because
    a connection closed under it — "failed during get data" as the sweep fetches a result,
    a heartbeat to the scheduler. An embedded cluster's workers talk only to the sweep (its
    client and scheduler) and to each other, so such a record only says that the sweep
    ended — killed by its user, who knows — and the sweep itself reports any run it lost.
    Any other record passes."""
    exc = record.exc_info[1] if record.exc_info else None
    return not (type(exc).__name__ in _CLOSED
                or isinstance(exc, (ConnectionResetError, BrokenPipeError)))


# True in a sweep's fork server, which preloads this module first (told by PARENT_ENV):
# govsim.sweep.warm then imports the model for good there, and only there.
IN_FORK_SERVER = False


def _as_fork_server_preload() -> None:
    global IN_FORK_SERVER
    parent = os.environ.pop(PARENT_ENV, None)
    if parent and parent.isdigit():
        IN_FORK_SERVER = True
        die_with_parent(int(parent))


_as_fork_server_preload()
