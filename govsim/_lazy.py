"""Package attributes that import their module on first use (PEP 562).

``import govsim`` and the ``govsim`` command should not pay seconds for mesa, scipy and
pandas before they know they need them; the process pool's fork server imports those in
parallel instead (see :func:`govsim.sweep.executors.start_fork_server`).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
from collections.abc import Callable, Iterator


def lazy_exports(package: str, exports: dict[str, tuple[str, ...]], namespace: dict
                 ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package`` whose public names live in submodules:
    ``exports`` maps a module to the names it provides; a name, once looked up, is stored
    in the package's ``namespace`` so the lookup happens once."""
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *where})

    return __getattr__, __dir__


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector inside the block: for work that allocates tens of
    thousands of long-lived objects and no cyclic garbage — building a model (agents,
    cells, graph nodes), running it (:func:`govsim.runner.run_model` says why), importing
    mesa or scipy.stats. The collector, triggered every few hundred allocations, would
    traverse them again and again: about 40% of the case's build time, about 11% of the CPU
    time of ``import mesa, scipy.stats``. Results do not depend on it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_for_good(*modules: str) -> None:
    """Import ``modules`` that stay for the rest of a one-command process (the model with
    mesa, scipy.stats), with the collector paused, then freeze every object that exists
    (:func:`gc.freeze`): later collections never walk them again. Without the freeze the
    pause only defers that walk to the collections after it: ``govsim run
    parking_x_community --seeds 1`` (three runs) took 1.60 s wall instead of 1.27 s (8
    paired runs). For a command's process, or a sweep's fork server (which lives as long
    as its sweep): what exists now is never collected, garbage included — so never in a
    long-lived process (the app, a notebook calling ``govsim.cli.main``)."""
    with cycle_collector_paused():
        for module in modules:
            importlib.import_module(module)
    gc.freeze()
