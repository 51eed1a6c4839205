"""Regimes are sets of institutions.

A regime is nothing but values for the institution switches and their parameters; the
model never looks at a regime's name. ``market``, ``state`` and ``grid`` are presets, and any
mix (grid without social organisations, state plus hotline, …) is built by overriding
switches. Two mixes with equal values give identical runs.

:func:`parameters_for` is the one place where the layers of a run's parameters meet:
defaults < the regime's preset < the scenario < the scenario's table for that regime <
overrides (the command line, a sweep point, the app).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import make_dataclass
from typing import Any

from govsim.parameters import INSTITUTION_SWITCHES, PARAMETERS, resolve
from govsim.vocabulary import REGIMES, ChannelSpec

SWITCHES: tuple[str, ...] = tuple(INSTITUTION_SWITCHES)  # declared in govsim.parameters

# The market has only what needs no public institution: every other switch is off.
_MARKET = {k: False for k in SWITCHES} | {"negotiation": True, "court": True, "police": True}
_STATE = _MARKET | {
    "committee_mediation": True, "petition": True, "street_intervention": True,
    "assembly_support": True,
    "committee_admin_burden": 0.7, "intervention_stage": "petition", "hierarchy_layers": 2,
}
# The grid keeps the state's committees as they are: the source does not say the reform
# lightened their administrative burden (MODEL.md §5).
_GRID = _STATE | {
    "social_mediation": True, "hotline": True, "grid_patrol": True, "joint_meeting": True,
    "assessment": True, "grid_levels": True, "information_platform": True,
    "legal_services": True, "intervention_stage": "voiced", "hierarchy_layers": 1,
}

PRESETS: dict[str, dict[str, Any]] = {"market": _MARKET, "state": _STATE, "grid": _GRID}
assert tuple(PRESETS) == REGIMES, "one preset per regime of the vocabulary"

DESCRIPTIONS = {
    "market": "negotiation, court and police only; no state intervention; owners must "
              "self-organise unaided",
    "state": "market + committee mediation under heavy administrative burden + petition "
             "ladder; the street office acts only after a petition, through two layers",
    "grid": "state + grid workers who find disputes before complaints, three grid levels "
            "(cadres in the grids, service centres, the street), a hotline whose command "
            "centre dispatches and supervises, regular joint meetings, funded social "
            "organisations, '1+X' legal services, an information platform, and assessment "
            "of officials on outcomes; "
            "the street office acts as soon as a collective dispute is voiced, through one "
            "layer",
}


def institution_keys() -> tuple[str, ...]:
    """Parameters that belong to institutions (what a regime may set)."""
    return tuple(k for k, s in PARAMETERS.items() if s.group == "institutions")


def preset(name: str) -> dict[str, Any]:
    """The institution values of a named preset."""
    try:
        return dict(PRESETS[name])
    except KeyError:
        raise ValueError(f"regime = {name!r}: expected one of {', '.join(REGIMES)}") from None


def parameters_for(regime: str, *layers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Every parameter of a run under ``regime``: the defaults, then the regime's preset,
    then each layer in order (scenario, scenario[regime], overrides), every value checked."""
    merged = preset(regime)
    for layer in layers:
        merged.update(layer or {})
    return resolve(merged)


def _from_params(cls, params: Any):
    get = params.get if isinstance(params, Mapping) else params.__getattribute__
    return cls(**{k: bool(get(k)) for k in SWITCHES})


def _opens(self, spec: ChannelSpec) -> bool:
    """Does an institution in force open this channel? (A channel that needs an owners'
    committee opens per estate, once owners have elected one.)"""
    return spec.opened_by is not None and getattr(self, spec.opened_by)


# The switches in force in one run: a frozen record with one boolean field per switch,
# made from SWITCHES so that a new switch is declared in one place (govsim.parameters).
Institutions = make_dataclass(
    "Institutions", [(name, bool) for name in SWITCHES], frozen=True,
    namespace={"from_params": classmethod(_from_params), "opens": _opens,
               "__doc__": "The institution switches in force in one run."})
Institutions.__module__ = __name__
