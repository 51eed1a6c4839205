"""Give memory back to the system after a browser session closes.

A closed session's models are garbage once its kernel is closed (Solara collects the
kernel's reference cycles about a second later). Python then holds the freed memory in its
own and glibc's free lists, so the server's footprint would stay at the class's peak. A
``malloc_trim`` shortly after the collection returns what is free; bursts of closing
sessions (a class leaving) are coalesced into one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading

DELAY_S = 3.0  # after Solara's own collection of the closed kernel (1 s)

_lock = threading.Lock()
_pending = False


def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


_LIBC = _libc()


def trim_now() -> None:
    gc.collect()
    if _LIBC is not None and hasattr(_LIBC, "malloc_trim"):
        _LIBC.malloc_trim(0)


def trim_soon() -> None:
    """Collect and trim once, a few seconds from now (calls in between share it)."""
    global _pending
    with _lock:
        if _pending:
            return
        _pending = True

    def run():
        global _pending
        with _lock:
            _pending = False
        trim_now()

    timer = threading.Timer(DELAY_S, run)
    timer.daemon = True
    timer.current_context = None  # Solara's threads inherit the (closing) session otherwise
    timer.start()
