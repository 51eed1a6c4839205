"""Every model parameter, once: default, type, range, meaning and source.

Scenario files, ``--set`` on the command line, sweep designs and the app's widgets are all
validated against this table, so a parameter is documented and checked in one place.
``source`` is an essay fact, a published figure quoted in MODEL.md, or ``"assumption"``.
"""

from __future__ import annotations

from dataclasses import dataclass, make_dataclass
from typing import Any

from govsim.vocabulary import CHANNEL_NAMES, ORGANISATIONS, DisputeType

DISPUTE_TYPES = tuple(t.value for t in DisputeType)
HANDLING_LAWS = ("exponential", "lognormal", "fixed")
STAGE_NAMES = ("voiced", "in_handling", "collective_action", "confrontation", "petition")


@dataclass(frozen=True)
class ParamSpec:
    """One parameter: what it is, what values it may take, where its default comes from."""

    name: str
    default: Any
    group: str
    meaning: str
    source: str
    low: float | None = None
    high: float | None = None
    choices: tuple | None = None
    keys: tuple | None = None  # for tables: the allowed keys

    @property
    def kind(self) -> str:
        d = self.default
        if isinstance(d, bool):
            return "bool"
        if isinstance(d, int):
            return "int"
        if isinstance(d, float):
            return "float"
        if isinstance(d, str):
            return "str"
        if isinstance(d, tuple):
            return "pair"
        if isinstance(d, dict):
            return "table"
        raise TypeError(f"unsupported default for {self.name}: {d!r}")

    @property
    def is_assumption(self) -> bool:
        return self.source.startswith("assumption")


_SPECS: list[ParamSpec] = []


def _p(name, default, group, meaning, source, low=None, high=None, choices=None, keys=None):
    _SPECS.append(ParamSpec(name, default, group, meaning, source, low, high, choices, keys))


A = "assumption"

# --- the run ---------------------------------------------------------------------------
_p("days", 120, "run", "days simulated (day 0 = Sep 1, 2010 in the parking case)",
   "assumption (long enough for the case to settle or lock in)", 1, 100_000)
_p("agent_network_max_households", 20_000, "run", "largest community in which every household "
   "is a Mesa agent on the network space; above it only organisations, and households once "
   "they have a dispute, are agents (results are the same either way; runs made for their "
   "outputs, by the CLI and sweeps, use 0 unless the caller sets it)",
   "assumption (implementation: build time and memory, docs/ODD.md 'Scale')", 0, 100_000_000)

# --- the community -----------------------------------------------------------------------
_p("households", 1600, "community", "households in the community", "essay 6: ~1,600 households",
   10, 2_000_000)
_p("buildings", 40, "community", "residential buildings", "assumption (essay 6 gives ~1,600 households and 24.1万 m², "
   "no building count; ~40 households a building)",
   1, 100_000)
_p("estates", 1, "community", "housing estates (each with its own neighbourhood committee)",
   "essay 6: one community (case)", 1, 10_000)
_p("households_per_grid_cell", 200, "community", "households in one third-level grid cell",
   "assumption within published figures, not the essays (MODEL.md §2: 160–255 households "
   "per grid in Chinese cities)", 20, 5_000)
_p("cells_per_second_level", 28, "community", "third-level cells per second-level grid",
   "essay 6: 1,144 third-level in 40 second-level grids", 1, 1_000)
_p("second_level_per_first", 7, "community", "second-level grids per first-level grid",
   "essay 6: 40 second-level in 6 first-level grids", 1, 1_000)
_p("building_ties", 6, "community", "neighbours each household knows in its building "
   "(Watts–Strogatz k)", A, 0, 100)
_p("tie_rewiring", 0.1, "community", "share of building ties rewired at random "
   "(Watts–Strogatz p)", A, 0.0, 1.0)
_p("estate_ties", 1.0, "community", "mean extra ties to households in other buildings of "
   "the same estate", A, 0.0, 50.0)
_p("parking_renter_share", 0.4, "community", "share of households renting an underground "
   "parking space", "assumption (essay 6: 'many owners rented')", 0.0, 1.0)
_p("social_organisations", 1, "community", "social organisations serving the community",
   "assumption (one per community; essay 9 reports ~1,500 in its district but no "
   "household count)", 0, 100_000)

# --- disputes ----------------------------------------------------------------------------
_p("arrival_rates", {"neighbour": 4e-4, "family": 2e-4, "property_service": 3e-4,
                     "environment": 1e-4, "consumer": 1e-4, "wages": 5e-5, "demolition": 0.0,
                     "public_order": 1e-4},
   "disputes", "new individual disputes per household per day, by type", A, 0.0, 0.1,
   keys=tuple(t for t in DISPUTE_TYPES if t != "parking"))
_p("severity_min", 0.1, "disputes", "lowest severity of a new dispute (0–1)", A, 0.0, 1.0)
_p("severity_max", 1.0, "disputes", "highest severity of a new dispute (0–1)", A, 0.0, 1.0)

# --- residents ---------------------------------------------------------------------------
_p("grievance_growth", 0.04, "residents", "daily rise in grievance per unit severity while "
   "a dispute is unattended", A, 0.0, 1.0)
_p("blocked_grievance_growth", 0.2, "residents", "daily rise in grievance of parking claimants "
   "while their cars are barred", A, 0.0, 2.0)
_p("notice_grievance", 0.35, "residents", "mean grievance of parking claimants on day 0, after "
   "the August notice", "assumption (essay 6: notice in Aug 2010)", 0.0, 1.0)
_p("grievance_cooling", 0.05, "residents", "daily share of grievance that fades while a "
   "claimant is not being harmed (parking: cars may park)", A, 0.0, 1.0)
_p("peer_influence", 0.3, "residents", "pull of the mean grievance of one's ties in the same "
   "dispute, per day", A, 0.0, 1.0)
_p("heard_relief", 0.3, "residents", "share of grievance relieved when a case is taken up "
   "(detected or handled)", A, 0.0, 1.0)
_p("voice_threshold", 0.3, "residents", "mean grievance at which a household complains "
   "(uniform between 0 and twice this)", A, 0.0, 2.0)
_p("activation_grievance", 0.5, "residents", "grievance above which a claimant is willing "
   "to act collectively", A, 0.0, 2.0)
_p("participation_threshold_mean", 0.3, "residents", "mean Granovetter threshold: share of "
   "one's ties in the dispute who must have joined", "assumption (Granovetter 1978 form)",
   0.0, 1.0)
_p("participation_threshold_sd", 0.2, "residents", "spread of participation thresholds "
   "(normal, clipped to 0–1)", A, 0.0, 1.0)
_p("confrontation_min_participants", 20, "residents", "participants needed to confront the "
   "property firm at the gate", "assumption (essay 6: 'dozens of cars')", 1, 100_000)
_p("confrontation_fatigue", 0.1, "residents", "willingness (grievance units) a participant "
   "loses with each confrontation at the gate", "assumption (calibration: confrontations "
   "taper under market instead of recurring daily)", 0.0, 2.0)
_p("fatigue_recovery", 0.01, "residents", "daily share of confrontation fatigue that wears "
   "off", A, 0.0, 1.0)
_p("petition_propensity", 0.12, "residents", "daily chance a confronting group petitions the "
   "district, per unit of mean grievance", "assumption, calibrated on the case's early dates "
   "(experiments/calibration.toml: petition Sep 5 = day 4, essay 6)", 0.0, 1.0)
_p("injury_grievance", 0.3, "residents", "grievance added to participants when hired guards "
   "injure owners", "assumption (essay 6: Sep 4 injuries)", 0.0, 2.0)
_p("patience_days", 14.0, "residents", "mean days a household waits in a queue before "
   "reneging (exponential)", A, 0.5, 365.0)
_p("give_up_rate", 0.004, "residents", "base daily hazard of giving up; grows with failures "
   "and time open", A, 0.0, 1.0)
_p("give_up_time_scale_days", 30.0, "residents", "days open that raise the give-up hazard by "
   "as much as one failed channel (hazard = rate × (1 + failures + days open / this))", A,
   1.0, 10_000.0)
_p("failure_grievance", 0.1, "residents", "grievance a failed attempt at a channel adds", A,
   0.0, 2.0)
_p("choice_noise", 0.15, "residents", "logit temperature of channel choice (0 = always the "
   "best-looking channel)", A, 0.001, 10.0)
_p("cost_weight", 1.0, "residents", "weight of a channel's cost in choice; anger discounts it",
   A, 0.0, 10.0)
_p("trust_weight", 0.5, "residents", "weight of trust in the channel's organisation in choice",
   A, 0.0, 10.0)
_p("initial_trust", {"committee": 0.5, "owners_committee": 0.5, "social_org": 0.45,
                     "street_office": 0.5, "police": 0.6, "court": 0.55, "developer": 0.35,
                     "grid": 0.5, "legal": 0.5},
   "residents", "mean initial trust in each organisation (0–1)",
   "assumption (essay 6 survey of 520 households: figures not given)", 0.0, 1.0,
   keys=ORGANISATIONS)
_p("trust_step", 0.1, "residents", "change in trust after a channel succeeds or fails", A,
   0.0, 1.0)
_p("minor_trust_step", 0.05, "residents", "smaller change in trust: down when a household gives "
   "up waiting in a channel's queue, up in the grid when a grid worker finds its dispute", A,
   0.0, 1.0)
_p("satisfaction_baseline", 0.8, "residents", "mean initial satisfaction (Beta, 0–1)", A,
   0.01, 0.99)
_p("satisfaction_drain", 0.005, "residents", "daily fall in satisfaction per unit grievance "
   "while a dispute is open", A, 0.0, 1.0)
_p("satisfaction_gain_agreement", 0.5, "residents", "share of the way to full satisfaction "
   "a claimant moves when its dispute is settled by agreement", A, 0.0, 1.0)
_p("satisfaction_gain_adjudicated", 0.3, "residents", "share of the way to full satisfaction "
   "a claimant moves when an authority decides its dispute", A, 0.0, 1.0)
_p("satisfaction_loss_abandoned", 0.3, "residents", "satisfaction a claimant loses when it "
   "gives up its dispute", A, 0.0, 1.0)
_p("satisfaction_loss_injury", 0.1, "residents", "satisfaction an owner loses when hired "
   "guards injure it", A, 0.0, 1.0)
_p("collective_quorum_share", 0.1, "residents", "a collective dispute is abandoned once fewer "
   "than this share of its claimants still pursue it", A, 0.0, 1.0)
_p("satisfied_at", 0.6, "residents", "satisfaction at or above which a household counts as "
   "satisfied", A, 0.0, 1.0)

# --- the parking game and the developer --------------------------------------------------
_p("parking_conflict", False, "developer", "the parking conflict (车位门) as an episode: the "
   "developer turns parking to sell-only on sell_only_day; off unless a scenario switches "
   "it on", "essay 6", None, None)
_p("sell_only_day", 0, "developer", "day sell-only starts (day 0 = Sep 1, 2010)",
   "essay 6: Sep 1", 0, 10_000)
_p("payoff_rent_accept", (1.0, 1.0), "developer", "(developer, owners) payoff: rent, owners "
   "accept", "essay 6", -100.0, 100.0)
_p("payoff_rent_resist", (-2.0, 2.0), "developer", "(developer, owners) payoff: rent, owners "
   "resist", "MODEL.md completion of essay 6", -100.0, 100.0)
_p("payoff_sell_accept", (9.0, -9.0), "developer", "(developer, owners) payoff: sell-only, "
   "owners accept", "essay 6", -100.0, 100.0)
_p("payoff_sell_resist", (-1.0, -1.0), "developer", "(developer, owners) payoff: sell-only, "
   "owners resist", "MODEL.md completion of essay 6", -100.0, 100.0)
_p("payoff_dual_accept", (3.0, 0.0), "developer", "(developer, owners) payoff: dual-track, "
   "owners accept", A, -100.0, 100.0)
_p("payoff_dual_resist", (-1.0, -1.0), "developer", "(developer, owners) payoff: dual-track, "
   "owners resist", A, -100.0, 100.0)
_p("agreement_penalty", 3.0, "developer", "owners' cost of resisting a deal their "
   "representatives bound them to", A, 0.0, 100.0)
_p("developer_inertia", 0.3, "developer", "daily chance the developer keeps its strategy "
   "even when another is better", "assumption (not calibrated: the source "
   "gives no date for the developer's change of strategy — '而后', afterwards)", 0.0, 1.0)
_p("guard_escalation", 0.10, "developer", "daily chance, on a confrontation day, that the "
   "developer hires guards", "assumption, calibrated on the case's early dates "
   "(experiments/calibration.toml: toughs hired Sep 4 = day 3, essay 6)", 0.0, 1.0)

# --- institutions (regime presets set these; see institutions.py) ------------------------
# The institution switches, declared here once: their names, what each means. The regime
# presets and the run's record of switches in force (govsim.institutions) derive from this.
INSTITUTION_SWITCHES: dict[str, str] = dict([
    ("negotiation", "bilateral negotiation between the parties"),
    ("court", "litigation in court"),
    ("police", "police answer calls to confrontations"),
    ("committee_mediation", "neighbourhood committee (居委会) mediates"),
    ("social_mediation", "funded social-organisation / people's mediation ('1 + X' room)"),
    ("petition", "petition ladder (信访) to the district and street office"),
    ("hotline", "one hotline (12345-style) dispatching departments with a deadline"),
    ("grid_patrol", "grid workers (网格员) patrol and detect latent disputes"),
    ("joint_meeting", "joint meetings of government, committees, firms and owners"),
    ("street_intervention", "the street office (街道办) intervenes in collective disputes"),
    ("assembly_support", "the street office backs an owners' assembly once it intervenes"),
    ("assessment", "towns, streets and departments are assessed, supervised and held "
                   "accountable on outcomes (考核、监督、问责, essay 9)"),
    ("grid_levels", "the grid's three levels handle disputes: cadres sunk into the grids on "
                    "the spot, service centres above them, the street above those "
                    "(essay 6)"),
    ("information_platform", "a shared information platform: what the grid records reaches "
                             "the street office at once (essay 6: '云管理'; essay 9)"),
    ("legal_services", "'1+X' legal services: a free comprehensive mediation room in every "
                       "management area (essay 9)"),
])
for _name, _meaning in INSTITUTION_SWITCHES.items():
    _p(_name, True, "institutions", _meaning, "MODEL.md §5 (regime presets)")
_p("committee_admin_burden", 0.7, "institutions", "share of committee staff time taken by "
   "administrative tasks (行政化)", "assumption (essay 1: committees over-loaded)", 0.0, 0.95)
_p("intervention_stage", "petition", "institutions", "escalation at which the street office "
   "acts on a collective dispute", "essay 6: 不闹不解决，小闹小解决，大闹大解决",
   choices=STAGE_NAMES)
_p("hierarchy_layers", 2, "institutions", "bureaucratic layers a case passes before the street "
   "office acts", "essay 6: two-level government, three-level management", 0, 10)
_p("layer_delay_days", 1.0, "institutions", "mean days each bureaucratic layer adds before the "
   "street office acts (Poisson)", "calibrated on the case's early dates: petition to the "
   "district Sep 5 → street office's order Sep 6, one layer (essay 6)", 0.0, 60.0)
_p("households_per_grid_worker", 200.0, "institutions", "households per grid worker",
   "assumption within published figures, not the essays (MODEL.md §2: 160–255 households "
   "per grid, usually one full-time grid worker per grid)", 10.0, 100_000.0)
_p("patrol_visits_per_day", 20.0, "institutions", "households one grid worker visits a day",
   A, 0.0, 500.0)
_p("order_sanction", 5.0, "institutions", "what the developer expects to lose by defying the "
   "street office's order (责令) to let cars park (payoff units)", "assumption (our extension: "
   "essay 6 reports the order of Sep 6, not how it was enforced; stands for the order's "
   "authority)", 0.0, 1_000.0)
_p("order_enforcement", 0.8, "institutions", "probability q that defying the order is "
   "sanctioned (the order moves the developer exactly when q × sanction > d − b)",
   "assumption (our extension, as order_sanction)", 0.0, 1.0)
_p("preparatory_group_days", 3.0, "institutions", "mean days for a state-backed preparatory "
   "group (筹备组) to prepare the first owners' assembly before it is called",
   "assumption, set knowing the case's date: of the 18 days from the order (Sep 6) to the "
   "assembly (Sep 24), the legal notice takes 15 and 3 remain — so the assembly's date "
   "checks consistency, it is not a prediction", 0.0, 365.0)
_p("preparatory_group_sd", 1.0, "institutions", "spread of the preparatory group's time "
   "(normal, whole days, at least one)", A, 0.0, 100.0)
_p("unaided_preparatory_days", 45.0, "institutions", "mean days owners organising an assembly "
   "without the street's guidance need before they can call it", "assumption (MODEL.md §5: "
   "self-organising unaided is hard)", 0.0, 3_650.0)
_p("assembly_notice_days", 15, "institutions", "days between calling an owners' assembly and "
   "holding it: every owner must be told 15 days ahead", "Property Management Regulations "
   "(物业管理条例, 2003, revised 2007): an assembly meeting is announced to all owners 15 days "
   "ahead (MODEL.md §2)", 0, 365)
_p("assembly_quorum", 0.5, "institutions", "share of owners who must vote for the assembly to "
   "decide (elect an owners' committee)", "Property Management Regulations: decisions need "
   "majorities of owners and of floor area (MODEL.md §2); one share stands for both", 0.0, 1.0)
_p("backed_turnout", 0.75, "institutions", "mean share of owners voting at an assembly the "
   "street office backs (mobile ballot boxes kept by residents and street staff)",
   "assumption (essay 6: 10 mobile ballot boxes, each kept by 2 residents and 2 street staff)",
   0.0, 1.0)
_p("unaided_turnout", 0.45, "institutions", "mean share of owners voting at an assembly owners "
   "organise unaided", "assumption (MODEL.md §5: hard)", 0.0, 1.0)
_p("turnout_sd", 0.1, "institutions", "spread of an assembly's turnout (normal, clipped 0–1)",
   A, 0.0, 1.0)
_p("firm_replacement_days", 7.0, "institutions", "mean days from an owners' committee's election "
   "until the property firm it hires takes over from the developer's (exponential)",
   "assumption (essay 6: '而后', afterwards, the new committee hired 名城物业; no date given)",
   0.0, 365.0)
_p("self_organisation_rate", 0.002, "institutions", "daily chance per unit participation share "
   "that owners start organising an assembly unaided", "assumption (MODEL.md §5: 'hard')",
   0.0, 1.0)
_p("joint_meeting_interval_days", 14, "institutions", "days between the regular (定期) grid "
   "joint meetings, which take up every open collective dispute the street office knows",
   "assumption (essay 6: joint meetings '定期召开'; the interval is not given)", 1, 365)
_p("petition_attention_scale", 10.0, "institutions", "how big a fuss a petition must make "
   "for a leader to take it up: the chance is 1 − exp(−fuss / this), the fuss counting "
   "petitioners, multiplied by one more for each earlier petition of the dispute and by "
   "skip_level_factor when it went over the district's head", "assumption (essay 6: "
   "不闹不解决，小闹小解决，大闹大解决; essay 7: petitions mobilise resources for the cases "
   "leaders take up)", 0.1, 100_000.0)
_p("skip_level_factor", 10.0, "institutions", "how much bigger a fuss a petition to the city, "
   "over the district's head (越级上访), makes", "assumption (essay 7: skip-level petitions)",
   1.0, 1_000.0)
_p("buck_passing", 0.3, "institutions", "chance that a department, when a routine petition "
   "reaches it, passes it on to another instead of deciding it (踢皮球)",
   "assumption (essay 7: buck-passing between departments)", 0.0, 0.95)
_p("accountable_buck_passing", 0.05, "institutions", "the same chance where departments are "
   "assessed, supervised and held accountable (the assessment institution)", "assumption "
   "(essay 9: the integrated enforcement bureau ended '推诿扯皮')", 0.0, 0.95)
_p("repeat_petition_propensity", 0.25, "residents", "daily chance, per unit of grievance, that "
   "a household whose petition failed petitions again at once (缠访、反复上访)",
   "assumption (essay 7: haggling and repeat petitions)", 0.0, 1.0)
_p("skip_level_after", 2, "residents", "failed petitions after which a household that "
   "petitions again may go over the district's head to the city", "assumption (essay 7: "
   "skip-level petitions)", 1, 100)
_p("skip_level_propensity", 0.5, "residents", "chance that such a household goes to the city "
   "rather than the district", "assumption (essay 7)", 0.0, 1.0)
_p("skip_level_staff_days", 20.0, "institutions", "extra staff-days a skip-level petition "
   "costs (the city sends it down with a deadline; the lower levels answer for it)",
   "assumption (essay 7: special handling 'increases the cost of resolving disputes')",
   0.0, 1_000.0)
_p("public_funding", 1.0, "institutions", "funding of grassroots public services relative to "
   "the calibrated case: scales the handlers of committee mediation, social mediation and "
   "the legal services", "assumption (essay 1: grassroots governance is under-funded)",
   0.05, 5.0)
_p("legal_support", 1.0, "institutions", "legal support of grassroots governance relative to "
   "the calibrated case: scales the chance that a court or a legal-service room settles a "
   "case", "assumption (essay 1: grassroots governance lacks legal support)", 0.0, 1.5)
_p("social_voice", 0.5, "institutions", "how much funded social organisations in an estate "
   "give a collective dispute's claimants a voice: that share of the relief of being heard "
   "once the dispute is voiced, and that much less inclination to petition",
   "assumption (essay 1: social organisations voice interests and settle conflicts "
   "'在社会矛盾转化为政治矛盾之前')", 0.0, 1.0)
_p("assessment_threshold_shift", 1, "institutions", "escalation stages by which a street "
   "office assessed on petitions acts sooner (from petition to confrontation, say): a "
   "petition counts against it", "assumption (our extension of essay 9's assessment and "
   "essay 6's '零上访'; the source does not say how officials react)", 0, 4)
_p("supervised_redispatch", True, "institutions", "the command centre sends a dispatched "
   "case that a department failed to solve back to it once (full-process supervision)",
   "essay 9: the command centre 'supervises the whole process' (全过程监督)", None, None)
_p("intervention_staff_days", 10.0, "institutions", "staff-days one street-office intervention "
   "costs (order, consultations)", A, 0.0, 1_000.0)
_p("assembly_staff_days", 40.0, "institutions", "street staff-days for an owners' assembly",
   "assumption (essay 6: 10 ballot boxes each kept by 2 street staff)", 0.0, 1_000.0)

# --- channels ----------------------------------------------------------------------------
_CHANNEL_DEFAULTS = {
    # name: servers per 10k households (0 = no limit), handling law, mean days, cv,
    #       staff-days per case, cost to residents, success by dispute type
    "negotiation": (0.0, "exponential", 3.0, 1.0, 0.0, 0.05,
                    {"neighbour": 0.45, "family": 0.45, "property_service": 0.3,
                     "parking": 0.0, "environment": 0.15, "consumer": 0.35, "wages": 0.25,
                     "demolition": 0.1, "public_order": 0.3}),
    "committee_mediation": (25.0, "exponential", 1.5, 1.0, 1.0, 0.1,
                            {"neighbour": 0.7, "family": 0.65, "property_service": 0.5,
                             "parking": 0.0, "environment": 0.3, "consumer": 0.3, "wages": 0.3,
                             "demolition": 0.2, "public_order": 0.4}),
    "social_mediation": (10.0, "exponential", 3.0, 1.0, 1.5, 0.1,
                         {"neighbour": 0.8, "family": 0.75, "property_service": 0.55,
                          "parking": 0.0, "environment": 0.35, "consumer": 0.5, "wages": 0.5,
                          "demolition": 0.3, "public_order": 0.35}),
    # Courts hear a finite number of cases at a time (essay 7: caseloads rising, short of
    # staff and funds); a case takes months of procedure, not of a judge's time.
    "court": (60.0, "lognormal", 75.0, 0.8, 5.0, 0.8,
              {"neighbour": 0.7, "family": 0.75, "property_service": 0.7, "parking": 0.2,
               "environment": 0.6, "consumer": 0.7, "wages": 0.7, "demolition": 0.5,
               "public_order": 0.6}),
    # Petitions deal mostly with policy disputes (essay 7): little fit for disputes between
    # neighbours or within a family, more for the new, policy-laden ones.
    # The departments a petition is referred to decide quickly when they decide at all
    # ("促使案件得到快速解决", essay 7), within the legal maxima (15 days to accept, 60 to
    # handle); passing it on (buck_passing) is what makes some petitions slow.
    "petition": (20.0, "lognormal", 7.0, 0.6, 3.0, 0.5,
                 {"neighbour": 0.2, "family": 0.15, "property_service": 0.45, "parking": 0.0,
                  "environment": 0.5, "consumer": 0.4, "wages": 0.55, "demolition": 0.5,
                  "public_order": 0.1}),
    # A leader's special handling mobilises several departments' resources: fast and
    # effective (essay 7), costly in staff. Raised by the petition office, never chosen.
    "special_handling": (1.0, "lognormal", 4.0, 0.5, 12.0, None,
                         {"neighbour": 0.85, "family": 0.85, "property_service": 0.85,
                          "parking": 0.0, "environment": 0.85, "consumer": 0.85,
                          "wages": 0.85, "demolition": 0.85, "public_order": 0.85}),
    "hotline": (3.0, "lognormal", 2.0, 0.5, 0.5, 0.05,
                {"neighbour": 0.5, "family": 0.3, "property_service": 0.75, "parking": 0.0,
                 "environment": 0.7, "consumer": 0.75, "wages": 0.7, "demolition": 0.4,
                 "public_order": 0.3}),
    # The grid's own level: street cadres sunk into the grids (essay 6) settle on the spot
    # what a grid can settle; one cadre's spare time per ~200 households (an assumption).
    "grid_mediation": (50.0, "exponential", 1.0, 1.0, 0.5, 0.02,
                       {"neighbour": 0.6, "family": 0.45, "property_service": 0.55,
                        "parking": 0.0, "environment": 0.35, "consumer": 0.35, "wages": 0.25,
                        "demolition": 0.15, "public_order": 0.5}),
    # Second-level service centres (grid, university, property, commerce; essay 6) take what
    # one grid cannot solve, with the departments' forces placed in the grid (essay 9).
    "service_centre": (10.0, "lognormal", 3.0, 0.6, 1.5, None,
                       {"neighbour": 0.55, "family": 0.45, "property_service": 0.8,
                        "parking": 0.0, "environment": 0.7, "consumer": 0.75, "wages": 0.7,
                        "demolition": 0.5, "public_order": 0.3}),
    # Joint meetings and police are convened or called by others, not chosen by residents,
    # and they do not settle a dispute by a success draw: no cost, no success table.
    "joint_meeting": (6.0, "fixed", 1.0, 0.0, 6.0, None, None),
    "owners_committee": (0.0, "exponential", 7.0, 1.0, 0.0, 0.1,
                         {"neighbour": 0.3, "family": 0.0, "property_service": 0.7,
                          "parking": 0.0, "environment": 0.4, "consumer": 0.2, "wages": 0.0,
                          "demolition": 0.3, "public_order": 0.1}),
    # The police: free, fast, proactive, with some coercion; public-order and violent
    # disputes are theirs, and "more and more disputes flow to the police" (essay 7).
    "police": (5.0, "fixed", 0.2, 0.0, 0.5, 0.0,
               {"neighbour": 0.3, "family": 0.15, "property_service": 0.05, "parking": 0.0,
                "environment": 0.05, "consumer": 0.1, "wages": 0.05, "demolition": 0.05,
                "public_order": 0.75}),
    # "1+X" (essay 9): one comprehensive mediation room per management area with lawyers,
    # mediators and volunteers — legal publicity, mediation, legal aid; free.
    "legal_service": (8.0, "exponential", 3.0, 1.0, 1.0, 0.0,
                      {"neighbour": 0.7, "family": 0.75, "property_service": 0.7,
                       "parking": 0.0, "environment": 0.5, "consumer": 0.7, "wages": 0.75,
                       "demolition": 0.5, "public_order": 0.4}),
}
assert tuple(_CHANNEL_DEFAULTS) == CHANNEL_NAMES, "one set of numbers per channel spec"
for _ch, (_srv, _law, _mean, _cv, _staff, _cost, _succ) in _CHANNEL_DEFAULTS.items():
    _g = f"channels.{_ch}"
    _p(f"{_ch}_servers_per_10k", _srv, _g, f"{_ch}: handlers per 10,000 households "
       "(0 = no limit)", A, 0.0, 10_000.0)
    _p(f"{_ch}_handling", _law, _g, f"{_ch}: law of handling time", A, choices=HANDLING_LAWS)
    _p(f"{_ch}_handling_days", _mean, _g, f"{_ch}: mean handling time in days",
       "assumption (essay 7: petitions get cases 'solved quickly'; within the legal maxima "
       "of MODEL.md §2: ≤15 d to accept, ≤60 d to handle)" if _ch == "petition" else A,
       0.01, 3_650.0)
    _p(f"{_ch}_handling_cv", _cv, _g, f"{_ch}: coefficient of variation (lognormal only)", A,
       0.0, 10.0)
    _p(f"{_ch}_staff_days", _staff, _g, f"{_ch}: staff-days one case costs", A, 0.0, 1_000.0)
    if _cost is not None:
        _p(f"{_ch}_cost", _cost, _g, f"{_ch}: cost to residents of using it (0–1)", A, 0.0,
           1.0)
    if _succ is not None:
        _p(f"{_ch}_success", dict(_succ), _g, f"{_ch}: chance a handled case is settled, by "
           "type (parking is settled by the game, not by this draw, except in court)",
           "assumption (essay 7: petitions mostly settle policy disputes)"
           if _ch == "petition" else A, 0.0, 1.0, keys=DISPUTE_TYPES)

PARAMETERS: dict[str, ParamSpec] = {s.name: s for s in _SPECS}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(s.group for s in _SPECS))


def defaults() -> dict[str, Any]:
    """A fresh copy of every default (tables copied, so callers may mutate)."""
    return {k: (dict(s.default) if isinstance(s.default, dict) else s.default)
            for k, s in PARAMETERS.items()}


class ParameterError(ValueError):
    """A parameter value that does not fit its spec; the message names key, value, expectation."""


def _describe(spec: ParamSpec) -> str:
    kind = {"bool": "true or false", "int": "an integer", "float": "a number",
            "str": "a string", "pair": "a pair [developer, owners] of numbers",
            "table": "a table"}[spec.kind]
    if spec.choices:
        return "one of " + ", ".join(repr(c) for c in spec.choices)
    if spec.low is not None and spec.high is not None:
        return f"{kind} from {spec.low:g} to {spec.high:g}"
    return kind


def _number(spec: ParamSpec, key: str, value: Any, integer: bool) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            (integer and isinstance(value, float) and not value.is_integer()):
        raise ParameterError(f"{key} = {value!r}: expected {_describe(spec)}")
    value = int(value) if integer else float(value)
    if value != value:  # NaN
        raise ParameterError(f"{key} = {value!r}: expected {_describe(spec)}")
    if (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
        raise ParameterError(f"{key} = {value!r}: out of range, expected {_describe(spec)}")
    return value


def coerce(name: str, value: Any) -> Any:
    """Check ``value`` against the spec of ``name`` and return it in canonical form."""
    spec = PARAMETERS.get(name)
    if spec is None:
        raise ParameterError(f"unknown parameter {name!r}{_suggest(name)}")
    kind = spec.kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise ParameterError(f"{name} = {value!r}: expected true or false")
        return value
    if kind in ("int", "float"):
        return _number(spec, name, value, kind == "int")
    if kind == "str":
        if not isinstance(value, str) or (spec.choices and value not in spec.choices):
            raise ParameterError(f"{name} = {value!r}: expected {_describe(spec)}")
        return value
    if kind == "pair":
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise ParameterError(f"{name} = {value!r}: expected {_describe(spec)}")
        return tuple(_number(spec, name, v, False) for v in value)
    if not isinstance(value, dict):
        raise ParameterError(f"{name} = {value!r}: expected a table with keys "
                             f"{', '.join(spec.keys)}")
    table = dict(spec.default)
    for k, v in value.items():
        if k not in spec.keys:
            raise ParameterError(f"{name}.{k}: unknown key, expected one of "
                                 f"{', '.join(spec.keys)}")
        table[k] = _number(spec, f"{name}.{k}", v, False)
    return table


def _suggest(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, PARAMETERS, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def resolve(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults updated by ``overrides``, every value checked."""
    params = defaults()
    for key, value in (overrides or {}).items():
        params[key] = coerce(key, value)
    if params["severity_min"] > params["severity_max"]:
        raise ParameterError(f"severity_min = {params['severity_min']} is above severity_max = "
                             f"{params['severity_max']}: expected severity_min ≤ severity_max")
    return params


# ---- the typed view ---------------------------------------------------------------------
@dataclass(frozen=True)
class ChannelParams:
    """The numbers of one channel (``<name>_<field>`` in the table), read together."""

    servers_per_10k: float
    handling: str
    handling_days: float
    handling_cv: float
    staff_days: float
    cost: float | None = None
    success: dict[str, float] | None = None


_PY_TYPES = {"bool": bool, "int": int, "float": float, "str": str, "pair": tuple,
             "table": dict}


def _channel(self, name: str) -> ChannelParams:
    values = {f: getattr(self, f"{name}_{f}", None) for f in ChannelParams.__dataclass_fields__}
    return ChannelParams(**values)


def _as_dict(self) -> dict[str, Any]:
    return {name: getattr(self, name) for name in PARAMETERS}


def _getitem(self, name: str) -> Any:
    """By name, for interfaces that hold a parameter's name (the app, exports, tests); the
    model itself reads attributes."""
    try:
        return getattr(self, name)
    except AttributeError:
        raise KeyError(name) from None


# One attribute per parameter of the table, typed by its default: the model reads
# ``params.grievance_growth`` rather than looking strings up, and a name missing from the
# table is an AttributeError at once.
Params = make_dataclass(
    "Params", [(s.name, _PY_TYPES[s.kind]) for s in _SPECS], frozen=True, slots=True,
    namespace={"__doc__": "Every parameter of one run, resolved and checked (typed view of "
                          ":data:`PARAMETERS`).",
               "channel": _channel, "as_dict": _as_dict, "__getitem__": _getitem,
               "from_dict": classmethod(lambda cls, values: cls(**values))})
