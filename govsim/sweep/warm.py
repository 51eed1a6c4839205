"""What every pool worker needs, imported once by the fork server before it forks any.

The import takes about a second (mesa with pandas and scipy's spatial modules, networkx,
scipy.stats for every run summary's Kaplan–Meier estimate) and every sweep on the process
executor waits for it before its first run, so it is done the way Python's :mod:`gc`
documentation advises for a process that forks without exec: the cycle collector is off
while the modules load (they make hundreds of thousands of long-lived objects and no garbage
worth a collection; with it on the import took ~8% longer here) and what they made is then
frozen, so that no worker's collection walks it, and no collection copies its pages either.
The collector is back on before the first fork: workers collect as usual.
"""

from __future__ import annotations

import gc
import importlib

# scipy.stats too: every run's summary needs it (Kaplan–Meier), and govsim imports it only
# at first use, so without it here each worker would import it (~0.35 s) on its first run.
WORKER_MODULES = ("govsim.runner", "govsim.metrics", "govsim.sweep.tasks", "scipy.stats")


def _import_frozen(modules=WORKER_MODULES) -> None:
    was_on = gc.isenabled()
    gc.disable()
    try:
        for name in modules:
            importlib.import_module(name)
    finally:
        gc.freeze()
        if was_on:
            gc.enable()


_import_frozen()
