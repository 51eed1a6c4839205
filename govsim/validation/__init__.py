"""Validation: analyses of sweeps of named points.

* :mod:`govsim.validation.results` reads a sweep's stored runs by point and regime;
* :mod:`govsim.validation.facts` checks each stylized fact of MODEL.md §8 with a stated
  test (``experiments/stylized_facts.toml`` names the points and settings);
* :mod:`govsim.validation.replay` writes the case replay as an experiment and sets its
  simulated days against the source's dates, with a one-at-a-time sensitivity table;
* :mod:`govsim.validation.report` writes tables, ``facts.json``, markdown and figures.

The runs themselves are the sweep engine's (``govsim.sweep``): executors, result store,
``--resume``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govsim._lazy import lazy_exports

_EXPORTS = {
    "govsim.validation.facts": ("FactResult", "evaluate", "parse_settings"),
    "govsim.validation.results": ("Results", "Run"),
}
if TYPE_CHECKING:
    from govsim.validation.facts import FactResult, evaluate, parse_settings
    from govsim.validation.results import Results, Run

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())

__all__ = ["FactResult", "Results", "Run", "evaluate", "parse_settings"]
