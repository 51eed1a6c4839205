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
from dataclasses import dataclass
from typing import Any

from govsim.parameters import PARAMETERS, resolve
from govsim.vocabulary import REGIMES, ChannelSpec

SWITCHES = ("negotiation", "court", "police", "committee_mediation", "social_mediation",
            "petition", "hotline", "grid_patrol", "joint_meeting", "street_intervention",
            "assembly_support", "assessment", "grid_levels", "information_platform",
            "legal_services")

_MARKET = {
    "negotiation": True, "court": True, "police": True,
    "committee_mediation": False, "social_mediation": False, "petition": False,
    "hotline": False, "grid_patrol": False, "joint_meeting": False,
    "street_intervention": False, "assembly_support": False, "assessment": False,
    "grid_levels": False, "information_platform": False, "legal_services": False,
}
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


@dataclass(frozen=True)
class Institutions:
    """The switches in force in one run."""

    negotiation: bool
    court: bool
    police: bool
    committee_mediation: bool
    social_mediation: bool
    petition: bool
    hotline: bool
    grid_patrol: bool
    joint_meeting: bool
    street_intervention: bool
    assembly_support: bool
    assessment: bool
    grid_levels: bool
    information_platform: bool
    legal_services: bool

    @classmethod
    def from_params(cls, params: Any) -> "Institutions":
        get = params.get if isinstance(params, Mapping) else params.__getattribute__
        return cls(**{k: bool(get(k)) for k in SWITCHES})

    def opens(self, spec: ChannelSpec) -> bool:
        """Does an institution in force open this channel? (A channel that needs an
        owners' committee opens per estate, once owners have elected one.)"""
        return spec.opened_by is not None and getattr(self, spec.opened_by)
