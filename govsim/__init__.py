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

from govsim.disputes import Dispute, DisputeType, EventLog, Outcome, Stage
from govsim.institutions import PRESETS, REGIMES, Institutions, preset
from govsim.metrics import kaplan_meier, run_summary
from govsim.model import GovernanceModel
from govsim.parameters import PARAMETERS, ParameterError, ParamSpec
from govsim.runner import RunResult, aggregate, build_model, compare, run, run_model
from govsim.scenario import (Scenario, ScenarioError, load_scenario, parse_scenario,
                             scenario_to_toml)

__version__ = "0.1.0"

__all__ = [
    "PARAMETERS", "PRESETS", "REGIMES", "Dispute", "DisputeType", "EventLog", "GovernanceModel",
    "Institutions", "Outcome", "ParamSpec", "ParameterError", "RunResult", "Scenario",
    "ScenarioError", "Stage", "aggregate", "build_model", "compare", "kaplan_meier",
    "load_scenario", "parse_scenario", "preset", "run", "run_model", "run_summary",
    "scenario_to_toml",
]
