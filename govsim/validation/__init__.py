"""Validation: the stylized facts of MODEL.md §8 and the replay of the 2010 parking case.

* :mod:`govsim.validation.experiment` reads and checks ``experiments/stylized_facts.toml``;
* :mod:`govsim.validation.runs` runs one model and keeps what validation needs;
* :mod:`govsim.validation.facts` checks each fact with paired seeds and a stated test;
* :mod:`govsim.validation.replay` sets the simulated case against the source's dates and
  measures one-at-a-time sensitivity of the state-only closing day;
* :mod:`govsim.validation.report` writes tables, ``facts.json``, markdown and figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govsim._lazy import lazy_exports

_EXPORTS = {
    "govsim.validation.experiment": ("ExperimentError", "FactsExperiment", "load_experiment"),
    "govsim.validation.facts": ("FactResult", "check_facts"),
}
if TYPE_CHECKING:
    from govsim.validation.experiment import ExperimentError, FactsExperiment, load_experiment
    from govsim.validation.facts import FactResult, check_facts

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())

__all__ = ["ExperimentError", "FactsExperiment", "FactResult", "check_facts", "load_experiment"]
