"""The sweep engine: experiment files, designs, executors, the result store, reports.

    from govsim.sweep import load_experiment, run_sweep
    exp = load_experiment("experiments/regime_comparison.toml")
    run_sweep(exp, "results/regime_comparison", executor="process")
"""

from govsim.sweep.engine import SweepResult, run_sweep
from govsim.sweep.spec import Experiment, ExperimentError, load_experiment, parse_experiment
from govsim.sweep.store import ResultStore, read_table

__all__ = ["Experiment", "ExperimentError", "ResultStore", "SweepResult", "load_experiment",
           "parse_experiment", "read_table", "run_sweep"]
