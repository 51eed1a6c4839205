"""What every pool worker needs, imported once by the fork server before it forks any.

The import takes most of a second (mesa with pandas and scipy's spatial modules, networkx;
scipy.stats for every run summary's Kaplan–Meier estimate) and every sweep on the process
executor waits for it before its first run. So it is done the way Python's :mod:`gc`
documentation advises for a process that forks without exec, and the way ``govsim run``
imports the model (:func:`~govsim._lazy.import_for_good`): with the cycle collector paused
(the import makes hundreds of thousands of long-lived objects and no garbage worth a
collection), then frozen, so that no worker's collection walks them. The server is back to
collecting before its first fork: workers collect as usual. A worker ready 0.88–0.95 s
after the command started, against 1.02–1.10 s with a plain import (5 pairs in turns).
"""

from __future__ import annotations

import importlib

from govsim._lazy import import_for_good
from govsim.sweep import lifeline

# scipy.stats too: every run's summary needs it (Kaplan–Meier), and govsim imports it only
# at first use, so without it here each worker would import it (~0.35 s) on its first run.
WORKER_MODULES = ("govsim.runner", "govsim.metrics", "govsim.sweep.tasks", "scipy.stats")

if lifeline.IN_FORK_SERVER:
    import_for_good(*WORKER_MODULES)
else:  # imported elsewhere (a test, a doc build): the modules, and nothing frozen
    for _module in WORKER_MODULES:
        importlib.import_module(_module)
