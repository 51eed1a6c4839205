"""The sweep engine: experiment files, designs, executors, the result store, reports.

    from govsim.sweep import load_experiment, run_sweep
    exp = load_experiment("experiments/regime_comparison.toml")
    run_sweep(exp, "results/regime_comparison", executor="process")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govsim._lazy import lazy_exports

_EXPORTS = {
    "govsim.sweep.engine": ("SweepResult", "run_sweep"),
    "govsim.sweep.spec": ("Experiment", "ExperimentError", "load_experiment",
                          "parse_experiment"),
    "govsim.sweep.reading": ("read_table",),
    "govsim.sweep.store": ("ResultStore",),
}
if TYPE_CHECKING:
    from govsim.sweep.engine import SweepResult, run_sweep
    from govsim.sweep.spec import Experiment, ExperimentError, load_experiment, parse_experiment
    from govsim.sweep.reading import read_table
    from govsim.sweep.store import ResultStore

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())

__all__ = ["Experiment", "ExperimentError", "ResultStore", "SweepResult", "load_experiment",
           "parse_experiment", "read_table", "run_sweep"]
