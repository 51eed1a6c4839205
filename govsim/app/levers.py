"""The switches and levers a student may touch, read from the parameter table and the
regime presets, with the range a slider shows and whether a lever does anything under the
institutions in force.

Switches are the ``institutions`` parameters that are true or false; levers the others.
Levers the presets set differently (what makes a regime) come first; the rest sit under
"more levers". A parameter added to the table appears here without a change to the app.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from govsim.institutions import PRESETS
from govsim.parameters import PARAMETERS, ParamSpec
from govsim.vocabulary import CHANNEL_SPECS

PAYOFFS = tuple(n for n, s in PARAMETERS.items() if n.startswith("payoff_") and s.kind == "pair")
PAYOFF_RANGE = (-20.0, 20.0, 0.5)

# What a lever needs in order to act: an institution switch (or any of several). The
# parameter table does not say this yet; until it does, this is the one place. Read off
# the model: grid workers exist only with patrols, the committees' burden slows only their
# mediation, the street office's order and its delay need its intervention, preparatory
# groups are the street's backing, joint meetings have their interval, the petition office
# handles petitions, assessment is its own switch; funding and legal support act on the
# channels the vocabulary marks funded or legal.
REQUIRES: dict[str, tuple[str, ...]] = {
    "petition_attention_scale": ("petition",),
    "skip_level_factor": ("petition",),
    "buck_passing": ("petition",),
    "skip_level_staff_days": ("petition",),
    "accountable_buck_passing": ("assessment",),
    "assessment_threshold_shift": ("assessment",),
    "supervised_redispatch": ("hotline",),
    "social_voice": ("social_mediation",),
    "public_funding": tuple(dict.fromkeys(s.opened_by for s in CHANNEL_SPECS
                                          if getattr(s, "funded", False) and s.opened_by)),
    "legal_support": tuple(dict.fromkeys(s.opened_by for s in CHANNEL_SPECS
                                         if getattr(s, "legal", False) and s.opened_by)),
    "households_per_grid_worker": ("grid_patrol",),
    "patrol_visits_per_day": ("grid_patrol",),
    "committee_admin_burden": ("committee_mediation",),
    "intervention_stage": ("street_intervention",),
    "hierarchy_layers": ("street_intervention",),
    "layer_delay_days": ("street_intervention",),
    "intervention_staff_days": ("street_intervention",),
    "order_sanction": ("street_intervention",),
    "order_enforcement": ("street_intervention",),
    "assembly_support": ("street_intervention", "joint_meeting"),
    "preparatory_group_days": ("assembly_support",),
    "preparatory_group_sd": ("assembly_support",),
    "backed_turnout": ("assembly_support",),
    "joint_meeting_interval_days": ("joint_meeting",),
}


def _institutions() -> list[ParamSpec]:
    return [s for s in PARAMETERS.values() if s.group == "institutions"]


def switches() -> tuple[str, ...]:
    return tuple(s.name for s in _institutions() if s.kind == "bool")


def _differs_across_presets(name: str) -> bool:
    values = {repr(p.get(name, PARAMETERS[name].default)) for p in PRESETS.values()}
    return len(values) > 1


# Levers a class reaches for first, besides those the presets set differently.
FEATURED = ("committee_admin_burden", "households_per_grid_worker", "order_sanction",
            "order_enforcement", "public_funding", "legal_support")


def levers() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(regime levers, more levers): the non-switch institution parameters — those that
    make the regimes differ, and the featured ones, first."""
    names = [s.name for s in _institutions() if s.kind != "bool"]
    main = tuple(n for n in names if _differs_across_presets(n) or n in FEATURED)
    return main, tuple(n for n in names if n not in main)


def inactive_because(name: str, value_of) -> tuple[str, ...] | None:
    """The switches of which none is on, when ``name`` needs one of them; else None.
    ``value_of(name)`` is the value in force."""
    needs = REQUIRES.get(name)
    if needs and not any(bool(value_of(n)) for n in needs):
        return needs
    return None


def _nice(x: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``x``."""
    if x <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(x))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= x - 1e-12)


@dataclass(frozen=True)
class SliderRange:
    low: float
    high: float
    step: float
    integer: bool


def slider_range(name: str, *values: Any) -> SliderRange:
    """A range a class can read: inside the spec, up to about four times the largest of
    the default, the presets' values and ``values`` (the value in force)."""
    spec = PARAMETERS[name]
    integer = spec.kind == "int"
    known = [v for v in (spec.default, *(p.get(name) for p in PRESETS.values()), *values)
             if isinstance(v, (int, float)) and not isinstance(v, bool)]
    low = spec.low if spec.low is not None else 0.0
    top = max([abs(v) for v in known if v] or [1.0])
    high = spec.high if spec.high is not None else 4 * top
    if spec.high is None or spec.high > 4 * top:
        high = min(high, _nice(4 * top))
    high = max(high, *known) if known else high
    step = _nice((high - low) / 100)
    step = max(1.0, round(step)) if integer else step
    return SliderRange(float(low), float(high), float(step), integer)
