"""govsim: agent-based simulation of urban community governance.

The same community, hit by the same disputes, governed three ways — market-only,
state-only and grid-based compound governance (网格化) — with the 2010 parking-space
conflict (车位门) in a Nanjing community as the reference case.

Public API::

    from govsim import load_scenario, run, compare, aggregate, GovernanceModel
    scenario = load_scenario("scenarios/parking_x_community.toml")
    results = compare(scenario, seeds=range(20))        # regime -> [RunResult]
    table = {r: aggregate(rs) for r, rs in results.items()}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govsim._lazy import lazy_exports

# Names resolve on first use (PEP 562), so that ``import govsim`` — and the ``govsim``
# command before it knows what it will do — does not pay seconds for mesa and scipy.
_EXPORTS = {
    "govsim.disputes": ("Dispute", "DisputeBook"),
    "govsim.events": ("Event", "EventKind", "EventLog", "milestones"),
    "govsim.vocabulary": ("DisputeType", "Organisation", "Outcome", "REGIMES", "Stage"),
    "govsim.institutions": ("PRESETS", "Institutions", "preset"),
    "govsim.metrics": ("run_summary",),
    "govsim.record": ("RunRecord",),
    "govsim.statistics": ("kaplan_meier",),
    "govsim.model": ("GovernanceModel",),
    "govsim.parameters": ("PARAMETERS", "ParameterError", "ParamSpec"),
    "govsim.runner": ("RunResult", "aggregate", "build_model", "compare", "run", "run_model"),
    "govsim.scenario": ("Scenario", "ScenarioError", "load_scenario", "parse_scenario",
                        "scenario_to_toml"),
}

if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from govsim.disputes import Dispute, DisputeBook
    from govsim.events import Event, EventKind, EventLog, milestones
    from govsim.institutions import PRESETS, Institutions, preset
    from govsim.metrics import run_summary
    from govsim.record import RunRecord
    from govsim.statistics import kaplan_meier
    from govsim.vocabulary import REGIMES, DisputeType, Organisation, Outcome, Stage
    from govsim.model import GovernanceModel
    from govsim.parameters import PARAMETERS, ParameterError, ParamSpec
    from govsim.runner import RunResult, aggregate, build_model, compare, run, run_model
    from govsim.scenario import (Scenario, ScenarioError, load_scenario, parse_scenario,
                                 scenario_to_toml)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())

__version__ = "0.1.0"

__all__ = [
    "PARAMETERS", "PRESETS", "REGIMES", "Dispute", "DisputeBook", "DisputeType", "Event",
    "EventKind", "EventLog", "GovernanceModel", "Institutions", "Organisation", "Outcome",
    "ParamSpec", "ParameterError", "RunRecord", "RunResult", "Scenario", "ScenarioError",
    "Stage", "aggregate", "build_model", "compare", "kaplan_meier", "load_scenario",
    "milestones", "parse_scenario", "preset", "run", "run_model", "run_summary",
    "scenario_to_toml",
]
