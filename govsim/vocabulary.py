"""The model's vocabulary, declared once: dispute types, stages, outcomes, organisations,
regimes and channels.

Everything else reads these names from here. A channel in particular is described once,
by a :class:`ChannelSpec` — who runs it, which institution opens it, whether residents
choose it, what a dispute's stage is while it is there, whether it tells the state, how a
success settles — so that adding a channel touches this table and the parameter table of
its numbers (:mod:`govsim.parameters`), and no code branches on a channel's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum, StrEnum


class DisputeType(StrEnum):
    """Kinds of dispute (essay 7 lists the traditional and new ones; the urban analogues —
    neighbour, property service, parking — are our assumption, docs/ODD.md)."""

    NEIGHBOUR = "neighbour"  # 邻里纠纷: noise, leaks, shared space
    FAMILY = "family"  # 婚姻、继承、赡养: marriage, inheritance, support of parents
    PROPERTY_SERVICE = "property_service"  # 物业纠纷: fees and service of the property firm
    PARKING = "parking"  # 车位门: the collective conflict with the developer
    ENVIRONMENT = "environment"  # 环境污染
    CONSUMER = "consumer"  # 消费者权益
    WAGES = "wages"  # 农民工欠薪: unpaid migrant wages
    DEMOLITION = "demolition"  # 征地拆迁
    PUBLIC_ORDER = "public_order"  # 治安纠纷: fights, threats — the police's (essay 7)

    @property
    def interpersonal(self) -> bool:
        """Between residents themselves; what mediators are best at."""
        return self in (DisputeType.NEIGHBOUR, DisputeType.FAMILY)

    @property
    def respondent(self) -> str:
        """Whom a claimant of this type of dispute claims against."""
        return {"neighbour": "household", "family": "household", "public_order": "household",
                "property_service": "property firm", "parking": "developer"}.get(
            self.value, "business")


class Stage(IntEnum):
    """Where a dispute stands, ordered by escalation so that ``max`` gives the peak."""

    LATENT = 0
    VOICED = 1
    IN_HANDLING = 2
    COLLECTIVE_ACTION = 3
    CONFRONTATION = 4
    PETITION = 5
    RESOLVED = 10
    ABANDONED = 11
    CENSORED = 12

    @property
    def final(self) -> bool:
        return self >= FIRST_FINAL_STAGE

    @property
    def escalated(self) -> bool:
        return Stage.COLLECTIVE_ACTION <= self <= Stage.PETITION


FIRST_FINAL_STAGE = Stage.RESOLVED  # this stage and those after it are final


class Outcome(StrEnum):
    """How a dispute ended."""

    AGREEMENT = "agreement"  # settled by the parties (negotiation, mediation, a deal)
    ADJUDICATED = "adjudicated"  # decided by an authority (court, petition office)
    ABANDONED = "abandoned"  # the claimants gave up
    CENSORED = "censored"  # still open at the horizon

    @property
    def resolved(self) -> bool:
        """Resolved means settled or decided; giving up is never a resolution."""
        return self in (Outcome.AGREEMENT, Outcome.ADJUDICATED)

    @property
    def stage(self) -> Stage:
        return {Outcome.AGREEMENT: Stage.RESOLVED, Outcome.ADJUDICATED: Stage.RESOLVED,
                Outcome.ABANDONED: Stage.ABANDONED, Outcome.CENSORED: Stage.CENSORED}[self]


RESOLVED_OUTCOMES: tuple[str, ...] = tuple(o.value for o in Outcome if o.resolved)


class Organisation(StrEnum):
    """Whom residents trust or distrust: each channel is run by one of these."""

    COMMITTEE = "committee"  # 居委会, the neighbourhood committee
    OWNERS_COMMITTEE = "owners_committee"  # 业委会
    SOCIAL_ORG = "social_org"  # 社会组织
    STREET_OFFICE = "street_office"  # 街道办 (and the petition office it answers to)
    POLICE = "police"  # 派出所
    COURT = "court"  # 法院
    DEVELOPER = "developer"  # the counterpart in negotiation (the developer in the case)
    GRID = "grid"  # the grid: grid workers, the hotline and its command centre
    LEGAL = "legal"  # legal services: the "1+X" mediation rooms (lawyers, mediators)


ORGANISATIONS: tuple[str, ...] = tuple(o.value for o in Organisation)

REGIMES: tuple[str, ...] = ("market", "state", "grid")


class StateNotice(Enum):
    """When a channel tells the state (the street office) of a dispute."""

    NEVER = "never"
    COLLECTIVE = "collective"  # collective disputes only: the hotline's command centre
    #                             hands up what one grid cannot solve
    ALWAYS = "always"  # a petition always reaches the state


@dataclass(frozen=True)
class ChannelSpec:
    """What a channel *is*. Its numbers (servers, handling time, success by dispute type,
    staff-days, cost to residents) are parameters named ``<name>_<field>``.

    ``opened_by`` is the institution switch that opens it; ``needs_owners_committee`` marks
    a channel open only to the claimants of an estate that has elected one. ``chosen``:
    residents may pick it; ``routed``: a grid worker may send a dispute it found there.
    ``settles``: the outcome of a successful case (``None``: it never settles a dispute —
    a police call calms a crowd, a joint meeting makes a deal possible). ``per_estate``:
    each estate has its own (its committee's mediation, its owners' committee) rather than
    one for the whole community. ``burdened``: its staff lose ``committee_admin_burden`` of
    their time to administrative work (essay 1).
    """

    name: str
    organisation: Organisation
    opened_by: str | None
    stage: Stage = Stage.IN_HANDLING
    chosen: bool = True
    routed: bool = False
    settles: Outcome | None = Outcome.AGREEMENT
    tells_state: StateNotice = StateNotice.NEVER
    needs_owners_committee: bool = False
    per_estate: bool = False
    burdened: bool = False
    level: int | None = None  # the grid's level that serves it: 3 grid, 2 centre, 1 street
    funded: bool = False  # its handlers scale with public_funding (essay 1)
    legal: bool = False  # its chance of settling scales with legal_support (essay 1)
    supervised: bool = False  # a command centre sends a failed case back once (essay 9)
    label: str = ""

    @property
    def settles_disputes(self) -> bool:
        return self.settles is not None


# Listed in the order channels serve their queues each day.
CHANNEL_SPECS: tuple[ChannelSpec, ...] = (
    ChannelSpec("negotiation", Organisation.DEVELOPER, "negotiation",
                label="bilateral negotiation between the parties"),
    ChannelSpec("committee_mediation", Organisation.COMMITTEE, "committee_mediation",
                routed=True, per_estate=True, burdened=True, funded=True,
                label="mediation by the neighbourhood committee (居委会)"),
    ChannelSpec("social_mediation", Organisation.SOCIAL_ORG, "social_mediation", routed=True,
                per_estate=True, funded=True,
                label="mediation and services of the estate's social organisations, bought "
                      "by the government (essay 9)"),
    ChannelSpec("court", Organisation.COURT, "court", settles=Outcome.ADJUDICATED, legal=True,
                label="litigation in court"),
    ChannelSpec("petition", Organisation.STREET_OFFICE, "petition", stage=Stage.PETITION,
                settles=Outcome.ADJUDICATED, tells_state=StateNotice.ALWAYS,
                label="petition (信访): the district's petition office refers it to the "
                      "departments"),
    ChannelSpec("special_handling", Organisation.STREET_OFFICE, "petition",
                stage=Stage.PETITION, chosen=False, settles=Outcome.ADJUDICATED,
                tells_state=StateNotice.ALWAYS,
                label="special handling of a petition a leader takes up (特案特办)"),
    ChannelSpec("hotline", Organisation.GRID, "hotline", routed=True,
                tells_state=StateNotice.COLLECTIVE, level=1, supervised=True,
                label="the hotline; its command centre dispatches to departments and "
                      "supervises the whole process"),
    ChannelSpec("grid_mediation", Organisation.GRID, "grid_levels", routed=True, level=3,
                label="the grid's own cadres, on the spot (人到格中去、事在网中办)"),
    ChannelSpec("service_centre", Organisation.GRID, "grid_levels", chosen=False,
                routed=True, level=2,
                label="a service centre (grid, property, university, commerce) for what "
                      "one grid cannot solve"),
    ChannelSpec("joint_meeting", Organisation.STREET_OFFICE, "joint_meeting", chosen=False,
                settles=None, label="a joint meeting convened by the street office"),
    ChannelSpec("owners_committee", Organisation.OWNERS_COMMITTEE, None,
                needs_owners_committee=True, per_estate=True,
                label="collective bargaining by the owners' committee (业委会)"),
    ChannelSpec("police", Organisation.POLICE, "police", settles=Outcome.ADJUDICATED,
                label="the police station (派出所): free, fast, with some coercion; called to "
                      "public-order disputes and to confrontations (essay 7)"),
    ChannelSpec("legal_service", Organisation.LEGAL, "legal_services", routed=True,
                per_estate=True, level=2, funded=True, legal=True,
                label="the '1+X' legal services of a management area: one comprehensive "
                      "mediation room with lawyers, mediators and volunteers; free (essay 9)"),
)
CHANNELS: dict[str, ChannelSpec] = {s.name: s for s in CHANNEL_SPECS}
CHANNEL_NAMES: tuple[str, ...] = tuple(CHANNELS)
# the channels a petition is heard in (referred to departments, or specially handled)
PETITION_CHANNELS: tuple[str, ...] = tuple(s.name for s in CHANNEL_SPECS
                                           if s.stage is Stage.PETITION)
# the channels the grid serves itself (its levels and the hotline's command centre)
GRID_CHANNELS: tuple[str, ...] = tuple(s.name for s in CHANNEL_SPECS
                                       if s.organisation is Organisation.GRID)
