"""Each actor's rules, one at a time: a test here fails when its rule is broken.

Most tests build a quiet community (no background disputes, no parking conflict), open one
dispute by hand and call the rule of the actor that owns it.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from govsim import GovernanceModel
from govsim.agents import GridWorker, Resident
from govsim.agents.resident import give_up_hazard
from govsim.events import EventKind, PetitionAgain
from govsim.metrics import run_summary
from govsim.record import RunRecord
from govsim.runner import run_model
from govsim.statistics import durations, kaplan_meier
from govsim.vocabulary import CHANNELS, DisputeType, Organisation, Outcome, Stage

NO_ARRIVALS = {t.value: 0.0 for t in DisputeType if t is not DisputeType.PARKING}


def quiet(regime: str = "grid", **params) -> GovernanceModel:
    """A small community with no disputes of its own; the clock at day 0."""
    m = GovernanceModel(regime=regime, rng=1, households=300, buildings=6, days=30,
                        parking_conflict=False, arrival_rates=NO_ARRIVALS, **params)
    m.today = 0
    return m


def with_parking(**params) -> GovernanceModel:
    """A small community with the parking conflict switched on (an episode, off by
    default)."""
    return GovernanceModel(parking_conflict=True, **params)


def individual(m: GovernanceModel, dtype=DisputeType.NEIGHBOUR, household: int = 5,
               grievance: float = 0.0):
    return m.book.open_dispute(dtype, np.array([household]), "household", 0.5,
                               np.array([grievance]))


def kinds(m: GovernanceModel, dispute) -> list[EventKind]:
    return [e.kind for e in m.log.for_dispute(dispute.id)]


# ---- outcomes and the censoring rule ----------------------------------------------------------
def test_an_abandoned_dispute_is_never_counted_as_resolved():
    t, e = durations([{"outcome": "abandoned", "opened": 0, "closed": 2},
                      {"outcome": "agreement", "opened": 0, "closed": 5}], last_day=9)
    assert list(t) == [9.0, 5.0] and list(e) == [False, True]
    m = quiet()
    d = individual(m)
    m.book.close(d, Outcome.ABANDONED)
    assert m.book.resolved == 0 and m.book.abandoned == 1
    assert not Outcome.ABANDONED.resolved and not Outcome.CENSORED.resolved


def test_giving_up_early_never_makes_resolution_look_faster():
    """Two runs alike but that one dispute, resolved late in one and abandoned early in the
    other: the median can only get longer, never shorter."""
    rows = [{"outcome": "agreement", "opened": 0, "closed": c} for c in (3, 4, 6)]
    resolved = rows + [{"outcome": "agreement", "opened": 0, "closed": 20}]
    abandoned = rows + [{"outcome": "abandoned", "opened": 0, "closed": 1}]
    km = [kaplan_meier(*durations(r, 29), horizon=30) for r in (resolved, abandoned)]
    assert km[1].rmst() >= km[0].rmst()


def test_a_dispute_closes_once_and_nothing_happens_to_it_afterwards():
    m = quiet()
    d = individual(m)
    m.book.close(d, Outcome.AGREEMENT)
    with pytest.raises(ValueError):
        m.book.close(d, Outcome.ABANDONED)
    with pytest.raises(ValueError):
        m.book.move(d, Stage.VOICED, EventKind.VOICED)
    m = run_model(GovernanceModel(regime="state", rng=2, households=500, buildings=10,
                                  days=60))
    for d in m.disputes:
        log = m.log.for_dispute(d.id)
        assert log[-1].kind in (EventKind.RESOLVED, EventKind.ABANDONED, EventKind.CENSORED)
        assert sum(e.stage.final for e in log) == 1


# ---- residents --------------------------------------------------------------------------------
def test_settlement_raises_satisfaction_by_the_stated_share_and_giving_up_lowers_it():
    m = quiet(satisfaction_gain_agreement=0.5, satisfaction_gain_adjudicated=0.3,
              satisfaction_loss_abandoned=0.2)
    sat = m.community.satisfaction
    for outcome, expect in ((Outcome.AGREEMENT, lambda s: s + 0.5 * (1 - s)),
                            (Outcome.ADJUDICATED, lambda s: s + 0.3 * (1 - s)),
                            (Outcome.ABANDONED, lambda s: max(0.0, s - 0.2))):
        h = {Outcome.AGREEMENT: 10, Outcome.ADJUDICATED: 11, Outcome.ABANDONED: 12}[outcome]
        before = float(sat[h])
        m.book.close(individual(m, household=h), outcome)
        assert sat[h] == pytest.approx(expect(before)), outcome
    before = float(sat[13])
    m.book.close(individual(m, household=13), Outcome.CENSORED)
    assert sat[13] == before  # still open at the horizon: nothing felt yet


def test_a_days_drain_on_satisfaction_is_each_disputes_own_in_turn():
    """Open disputes drain satisfaction in one vector step a round; a household with
    several open disputes is drained once per dispute, in order, clipped each time —
    exactly as one adjustment per dispute would (clipping makes the order matter)."""
    rng = np.random.default_rng(3)
    households = np.concatenate([rng.integers(0, 300, 400), [7, 7, 7, 9, 9]])
    delta = np.concatenate([rng.normal(0.0, 0.4, 400), [-0.9, 0.8, -0.3, 0.9, -0.95]])
    vector, one_by_one = quiet().community, quiet().community
    vector.drain_satisfaction(households, delta)
    for h, d in zip(households, delta):
        one_by_one.adjust_satisfaction(np.array([h]), float(d))
    assert np.array_equal(vector.satisfaction, one_by_one.satisfaction)
    assert vector.satisfied_share == one_by_one.satisfied_share


def test_giving_up_abandons_a_dispute_the_state_knew_of_and_costs_trust_in_it():
    m = quiet(trust_step=0.1)
    d = individual(m, household=20)
    m.street_office.learn(d)
    trust = m.community.trust[20, list(Organisation).index(Organisation.STREET_OFFICE)]
    m.book.close(d, Outcome.ABANDONED)
    after = m.community.trust[20, list(Organisation).index(Organisation.STREET_OFFICE)]
    assert after == pytest.approx(max(0.0, trust - 0.1))


def test_the_give_up_hazard_grows_with_failures_and_time_open():
    m = quiet(give_up_rate=0.01, give_up_time_scale_days=30.0)
    d = individual(m)
    m.today = 15
    d.failures = 2
    assert give_up_hazard(m, d) == pytest.approx(0.01 * (1 + 2 + 15 / 30))


def test_a_household_complains_once_its_grievance_reaches_its_voice_threshold():
    m = quiet(regime="market", give_up_rate=0.0, grievance_growth=0.0)
    thresholds = m.community.voice_threshold
    angry, calm = (int(h) for h in np.flatnonzero(thresholds > 0.1)[:2])
    d = individual(m, household=angry, grievance=thresholds[angry] + 0.01)
    m.resident(angry).act_on(d)
    assert d.stage >= Stage.VOICED and d.complained == 0
    below = individual(m, household=calm, grievance=thresholds[calm] - 0.05)
    m.resident(calm).act_on(below)
    assert below.stage is Stage.LATENT and below.complained is None


def test_a_household_waiting_past_its_patience_leaves_the_queue_and_trusts_less():
    m = quiet(regime="state", give_up_rate=0.0, minor_trust_step=0.05,
              committee_mediation_servers_per_10k=1.0, committee_mediation_handling="fixed",
              committee_mediation_handling_days=50.0)
    blocker = individual(m, household=1, grievance=2.0)
    m.channels.submit(blocker, "committee_mediation")
    m.channels.serve()  # the only mediator is busy for fifty days
    h = 2
    d = individual(m, household=h, grievance=2.0)
    m.channels.submit(d, "committee_mediation")
    col = list(Organisation).index(Organisation.COMMITTEE)
    before = float(m.community.trust[h, col])
    m.today = int(m.community.patience[h]) + 1
    m.resident(h).act_on(d)
    assert EventKind.RENEGED in kinds(m, d)
    assert d.failed["committee_mediation"] == 1
    assert m.community.trust[h, col] == pytest.approx(max(0.0, before - 0.05))


# ---- channels -----------------------------------------------------------------------------------
def test_a_failed_hearing_angers_and_costs_trust_a_successful_one_settles():
    for success, closed in ((0.0, False), (1.0, True)):
        m = quiet(regime="state", failure_grievance=0.25, heard_relief=0.0, trust_step=0.1,
                  committee_mediation_success={"neighbour": success})
        d = individual(m, grievance=0.5)
        col = list(Organisation).index(Organisation.COMMITTEE)
        before = float(m.community.trust[5, col])
        m.channels.submit(d, "committee_mediation")
        for m.today in range(0, 30):
            m.channels.serve()
            if d.first_handled is not None:
                break
        assert (not d.is_open) is closed
        if closed:
            assert d.outcome is Outcome.AGREEMENT
            assert m.community.trust[5, col] == pytest.approx(min(1.0, before + 0.1))
        else:
            assert d.grievance[0] == pytest.approx(0.75)
            assert m.community.trust[5, col] == pytest.approx(max(0.0, before - 0.1))
            assert d.stage is Stage.VOICED and d.channel is None


def test_courts_and_petitions_decide_mediators_and_negotiators_agree():
    assert CHANNELS["court"].settles is Outcome.ADJUDICATED
    assert CHANNELS["petition"].settles is Outcome.ADJUDICATED
    for name in ("negotiation", "committee_mediation", "social_mediation", "hotline"):
        assert CHANNELS[name].settles is Outcome.AGREEMENT
    assert CHANNELS["police"].settles is Outcome.ADJUDICATED  # with some coercion (essay 7)
    assert CHANNELS["joint_meeting"].settles is None  # it binds nobody


def test_the_committees_administrative_burden_stretches_each_mediation():
    light = quiet(regime="state", committee_admin_burden=0.0,
                  committee_mediation_handling="fixed", committee_mediation_handling_days=2.0)
    heavy = quiet(regime="state", committee_admin_burden=0.75,
                  committee_mediation_handling="fixed", committee_mediation_handling_days=2.0)
    for m, days in ((light, 2.0), (heavy, 8.0)):
        assert m.committees[0].channel.handling(m.rng) == pytest.approx(days)


def test_the_hotline_tells_the_state_of_collective_disputes_and_a_petition_always():
    m = quiet(regime="grid")
    one = individual(m)
    m.channels.submit(one, "hotline")
    assert not m.street_office.knows(one)
    many = m.book.open_dispute(DisputeType.PROPERTY_SERVICE, np.arange(30, 60), "firm", 0.5)
    m.channels.submit(many, "hotline")
    assert m.street_office.knows(many)
    other = individual(m, household=99)
    m.channels.submit(other, "petition")
    assert m.street_office.knows(other) and m.counts.petitions == 1


def test_the_committee_relays_the_collective_disputes_it_mediates():
    m = quiet(regime="state", committee_mediation_success={"property_service": 0.0})
    many = m.book.open_dispute(DisputeType.PROPERTY_SERVICE, np.arange(30, 60), "firm", 0.5)
    m.channels.submit(many, "committee_mediation")
    assert not m.street_office.knows(many)
    for m.today in range(0, 30):
        m.channels.serve()
        if many.first_handled is not None:
            break
    assert m.street_office.knows(many) and m.committees[0].relayed == 1


# ---- grid workers -------------------------------------------------------------------------------
def test_a_found_dispute_is_routed_to_the_open_channel_most_likely_to_settle_it():
    m = quiet(regime="grid", grid_levels=False, social_mediation_success={"neighbour": 0.95},
              hotline_success={"neighbour": 0.2})
    d = individual(m)
    GridWorker.of(m, 5).detect(d)
    assert d.channel == "social_mediation" and d.detected == 0
    m = quiet(regime="grid", grid_levels=False, social_mediation=False,
              legal_services=False, hotline_success={"neighbour": 0.99})
    d = individual(m)
    GridWorker.of(m, 5).detect(d)
    assert d.channel == "hotline"


def test_patrols_look_only_at_disputes_nobody_has_taken_up_and_cost_a_day_per_worker():
    m = quiet(regime="grid", patrol_visits_per_day=200.0, households_per_grid_worker=100.0)
    waiting = individual(m, household=3)
    m.channels.submit(waiting, "committee_mediation")
    found = individual(m, household=4)
    GridWorker.patrol(m)
    assert found.detected == 0  # every household visited today
    assert waiting.detected is None  # already in a channel: not the grid's to find
    assert m.counts.staff_days_standing == len(m.grid_workers) == 3


# ---- the street office ----------------------------------------------------------------------------
@pytest.mark.parametrize("regime", ["state", "grid"])
def test_the_street_office_never_acts_before_the_dispute_reached_its_stage(regime):
    m = run_model(with_parking(regime=regime, rng=4, households=800, buildings=20,
                                  days=40))
    threshold = m.street_office.threshold
    acted = 0
    for d in m.disputes:
        log = m.log.for_dispute(d.id)
        order = next((e.day for e in log if e.kind is EventKind.STATE_ORDER), None)
        if order is None:
            continue
        acted += 1
        reached = min(e.day for e in log if not e.stage.final and e.stage >= threshold)
        assert reached <= order
    assert acted >= 1


def test_without_a_petition_ladder_a_state_that_waits_for_petitions_never_acts():
    m = run_model(with_parking(regime="state", rng=4, households=800, buildings=20,
                                  days=40, petition=False))
    assert not any(e.kind is EventKind.STATE_ORDER for e in m.log)


# ---- the parking conflict ------------------------------------------------------------------------
def test_owners_confront_only_while_the_gate_is_closed_and_police_come_only_if_there_are_police():
    m = run_model(with_parking(regime="market", rng=3, households=600, buildings=12,
                                  days=40, police=False))
    assert m.counts.confrontations > 0 and m.counts.police_calls == 0
    parking = m.episodes["parking"]
    for e in m.log:
        if e.kind is EventKind.CONFRONTATION:
            assert e.crowd >= m.params.confrontation_min_participants
    parking.developer.learner.strategy = parking.developer.learner.strategy.RENT
    assert not parking.harming(parking.dispute)


def test_without_a_counterpart_that_binds_the_owners_there_is_no_deal():
    m = run_model(with_parking(regime="state", rng=4, households=600, buildings=12,
                                  days=60, assembly_support=False, self_organisation_rate=0.0,
                                  court=False))
    assert not any(e.kind is EventKind.DEAL for e in m.log)
    with_assembly = run_model(with_parking(regime="state", rng=4, households=600,
                                              buildings=12, days=60))
    deals = [e for e in with_assembly.log if e.kind is EventKind.DEAL]
    assembly = [e.day for e in with_assembly.log if e.kind is EventKind.ASSEMBLY_HELD]
    assert deals and assembly and deals[0].day >= assembly[0]


def test_injuries_follow_only_once_guards_are_hired():
    m = run_model(with_parking(regime="market", rng=3, households=600, buildings=12,
                                  days=40, guard_escalation=0.0))
    assert m.counts.injuries == 0
    m = run_model(with_parking(regime="market", rng=3, households=600, buildings=12,
                                  days=40, guard_escalation=1.0))
    assert m.counts.injuries == m.counts.confrontations > 0


# ---- summaries read outputs ------------------------------------------------------------------------
def test_a_summary_is_recomputed_from_the_stored_record_alone():
    m = run_model(GovernanceModel(regime="grid", rng=6, households=400, buildings=10,
                                  days=30))
    record = m.record()
    # stored and read back as plain data: no live object survives the trip
    fields = json.loads(json.dumps({k: getattr(record, k)
                                    for k in record.__dataclass_fields__}))
    stored = RunRecord(**fields)
    assert run_summary(stored) == m.summary()


# ---- owners' self-government -----------------------------------------------------------------------
def _assembly_days(m):
    kinds_days = [(e.kind, e.day) for e in m.log]
    return ([d for k, d in kinds_days if k is EventKind.ASSEMBLY_CALLED],
            [d for k, d in kinds_days if k is EventKind.ASSEMBLY_HELD],
            [d for k, d in kinds_days if k is EventKind.ASSEMBLY_FAILED])


def test_an_assembly_is_held_the_legal_notice_period_after_it_is_called():
    m = run_model(with_parking(regime="state", rng=4, households=600, buildings=12,
                                  days=80, assembly_notice_days=15, backed_turnout=0.9))
    called, held, failed = _assembly_days(m)
    assert called and held and not failed
    assert held[0] - called[0] == 15
    ordered = next(e.day for e in m.log if e.kind is EventKind.STATE_ORDER)
    assert called[0] > ordered  # prepared first, under the street's guidance


def test_without_enough_owners_voting_the_assembly_is_called_again():
    m = run_model(with_parking(regime="state", rng=4, households=600, buildings=12,
                                  days=80, backed_turnout=0.3, assembly_quorum=0.5,
                                  turnout_sd=0.01))
    called, held, failed = _assembly_days(m)
    assert failed and not held
    # every call fails fifteen days later, except one still pending at the horizon
    notice = m.params.assembly_notice_days
    pending = 1 if called[-1] + notice > m.today else 0
    assert len(called) == len(failed) + pending
    assert all(b - a == notice for a, b in zip(called, failed))


def test_a_joint_meeting_cannot_bind_the_owners_only_their_committee_can():
    m = run_model(with_parking(regime="grid", rng=5, households=600, buildings=12,
                                  days=60, assembly_support=False, self_organisation_rate=0.0,
                                  court=False))
    assert any(e.kind is EventKind.JOINT_MEETING for e in m.log)
    assert not any(e.kind is EventKind.DEAL for e in m.log)
    assert not m.owners_committees


def test_the_owners_committees_own_firm_ends_the_collusion_at_the_gate():
    m = run_model(with_parking(regime="market", rng=5, households=600, buildings=12,
                                  days=150, self_organisation_rate=1.0,
                                  unaided_preparatory_days=1.0, unaided_turnout=0.9,
                                  firm_replacement_days=2.0, court=False,
                                  developer_inertia=1.0))  # no deal: the gate alone changes
    parking = m.episodes["parking"]
    replaced = [e.day for e in m.log if e.kind is EventKind.FIRM_REPLACED]
    assert replaced and not parking.firm.colluding
    assert not parking.harming(parking.dispute)  # nobody bars the owners' cars any more
    after = [e for e in m.log if e.kind is EventKind.CONFRONTATION and e.day > replaced[0]]
    assert not after


# ---- petitions (essay 7) and the graded response (essay 6) ------------------------------------
def test_a_leaders_attention_grows_with_the_fuss():
    m = quiet(regime="state", petition_attention_scale=10.0, skip_level_factor=10.0)
    office = m.petition_office
    d = individual(m)
    d.petitions = 1
    first = office.attention(office.fuss(d, 1, "district"))
    crowd = office.attention(office.fuss(d, 80, "district"))
    d.petitions = 3
    repeated = office.attention(office.fuss(d, 1, "district"))
    over_the_head = office.attention(office.fuss(d, 1, "city"))
    assert first < repeated < over_the_head and first < crowd
    assert first == pytest.approx(1 - np.exp(-0.1))
    assert crowd > 0.99


def test_a_petition_a_leader_takes_up_is_heard_by_special_handling():
    m = quiet(regime="state", petition_attention_scale=0.1,  # every petition taken up
              special_handling_success={"environment": 1.0},
              petition_success={"environment": 0.0})
    d = individual(m, DisputeType.ENVIRONMENT)
    m.channels.submit(d, "petition")
    assert d.channel == "special_handling" and EventKind.SPECIAL_HANDLING in kinds(m, d)
    for m.today in range(0, 40):
        m.channels.serve()
        if not d.is_open:
            break
    assert d.outcome is Outcome.ADJUDICATED  # by special handling's numbers, not petition's
    assert d.staff_days == pytest.approx(m.params.special_handling_staff_days)


@pytest.mark.parametrize("assessed", [False, True])
def test_departments_pass_petitions_on_unless_held_accountable(assessed):
    m = quiet(regime="state", assessment=assessed, buck_passing=0.9,
              accountable_buck_passing=0.0, petition_attention_scale=100_000.0,
              petition_servers_per_10k=1000.0)
    disputes = [individual(m, DisputeType.WAGES, household=h) for h in range(40)]
    for d in disputes:
        m.channels.submit(d, "petition")
    for m.today in range(0, 200):
        m.channels.serve()
    passed_on = {e.dispute_id for e in m.log if e.kind is EventKind.REFERRED}
    if assessed:
        assert not passed_on
    else:
        assert len(passed_on) > 30  # most petitions passed on at least once
    assert all(not d.is_open or d.channel is None for d in disputes)  # decided in the end


def test_a_household_whose_petition_failed_petitions_again_and_then_over_the_districts_head():
    m = quiet(regime="state", give_up_rate=0.0, repeat_petition_propensity=1.0,
              skip_level_after=2, skip_level_propensity=1.0, minor_trust_step=0.05,
              petition_attention_scale=100_000.0)
    d = individual(m, DisputeType.WAGES, grievance=2.0)
    d.failed["petition"] = 1
    m.resident(5).act_on(d)
    assert d.channel == "petition" and m.counts.repeat_petitions == 1
    assert m.log.events[-1].detail == PetitionAgain.REPEAT
    m.channels.withdraw(d)
    d.channel = None
    d.failed["petition"] = 2
    col = list(Organisation).index(Organisation.STREET_OFFICE)
    trust = float(m.community.trust[5, col])
    m.resident(5).act_on(d)
    assert m.counts.skip_level_petitions == 1
    assert any(e.detail == PetitionAgain.SKIP_LEVEL for e in m.log if e.kind is EventKind.PETITION)
    assert m.community.trust[5, col] == pytest.approx(max(0.0, trust - 0.05))


def test_a_big_crowds_petition_directs_the_street_office_a_small_ones_is_referred_down():
    m = quiet(regime="state", petition_attention_scale=10.0, layer_delay_days=0.0)
    big = m.book.open_dispute(DisputeType.PROPERTY_SERVICE, np.arange(30, 230), "firm", 0.5)
    m.petition_office.receive_collective(big, crowd=200)
    assert m.street_office.knows(big) and m.street_office.due[big.id] == m.today
    m = quiet(regime="state", petition_attention_scale=100_000.0)  # nobody is taken up
    small = m.book.open_dispute(DisputeType.PROPERTY_SERVICE, np.arange(30, 35), "firm", 0.5)
    m.petition_office.receive_collective(small, crowd=5)
    assert not m.street_office.knows(small) and m.street_office.petition_pending(small)
    for m.today in range(0, 100):
        m.channels.serve()
        if m.street_office.knows(small):
            break
    assert m.street_office.knows(small) and not m.street_office.petition_pending(small)


# ---- the grid as an organisation (essay 6, essay 9) ----------------------------------------------
def test_the_grid_sends_what_it_finds_to_its_own_cadres_first_and_hands_up_what_they_cannot_solve():
    m = quiet(regime="grid", grid_mediation_success={"property_service": 0.0},
              service_centre_success={"property_service": 1.0}, heard_relief=0.0)
    d = individual(m, DisputeType.PROPERTY_SERVICE)
    GridWorker.of(m, 5).detect(d)
    assert d.channel == "grid_mediation" and d.grid_routed
    for m.today in range(0, 30):
        m.channels.serve()
        if not d.is_open:
            break
    assert d.path[:2] == ["grid_mediation", "service_centre"]  # handed up, not chosen
    assert d.outcome is Outcome.AGREEMENT and m.grid_levels.handed_up == 1
    # without the levels the grid routes to the channel most likely to settle it
    m = quiet(regime="grid", grid_levels=False)
    d = individual(m, DisputeType.PROPERTY_SERVICE)
    GridWorker.of(m, 5).detect(d)
    assert d.channel != "grid_mediation"


def test_the_command_centre_sends_a_failed_hotline_case_back_once():
    m = quiet(regime="grid", hotline_success={"consumer": 0.0}, grid_levels=False)
    d = individual(m, DisputeType.CONSUMER)
    m.channels.submit(d, "hotline")
    for m.today in range(0, 30):
        m.channels.serve()
    assert d.failed["hotline"] == 2 and m.grid_levels.redispatched == 1
    assert d.channel is None  # after the second failure it is the household's again


def test_an_assessed_street_office_acts_one_stage_sooner_and_the_platform_skips_the_layers():
    state = quiet(regime="state")
    assessed = quiet(regime="state", assessment=True, assessment_threshold_shift=1)
    assert state.street_office.threshold is Stage.PETITION
    assert assessed.street_office.threshold is Stage.CONFRONTATION
    m = quiet(regime="grid", hierarchy_layers=10, layer_delay_days=30.0)
    many = m.book.open_dispute(DisputeType.PROPERTY_SERVICE, np.arange(30, 60), "firm", 0.5)
    many.detected = 0
    m.street_office.learn(many)
    m.book.move(many, Stage.VOICED, EventKind.VOICED)
    m.street_office.step()
    assert m.street_office.acted.get(many.id) == 0  # found by the grid: no layers to pass


def test_public_funding_scales_handlers_and_legal_support_the_chance_of_a_settlement():
    rich = quiet(regime="grid", public_funding=2.0)
    poor = quiet(regime="grid", public_funding=0.5)
    assert rich.committees[0].channel.servers > poor.committees[0].channel.servers
    for support, outcome in ((0.0, False), (1.5, True)):
        m = quiet(regime="grid", legal_support=support,
                  legal_service_success={"wages": 0.7})
        d = individual(m, DisputeType.WAGES)
        m.channels.submit(d, "legal_service")
        for m.today in range(0, 40):
            m.channels.serve()
            if d.first_handled is not None:
                break
        assert (d.outcome is Outcome.AGREEMENT) is outcome


def test_funded_social_organisations_give_a_collective_dispute_a_voice():
    calls = []
    for social in (True, False):
        m = quiet(regime="grid", social_mediation=social, social_voice=0.5, heard_relief=0.4,
                  grievance_cooling=0.0, peer_influence=0.0)
        many = m.book.open_dispute(DisputeType.PROPERTY_SERVICE, np.arange(30, 60), "firm",
                                   0.5, np.full(30, 1.0))
        m.groups[many.id].act()
        calls.append(float(many.grievance.mean()))
    assert calls[0] == pytest.approx(calls[1] * (1 - 0.4 * 0.5))


def test_households_call_the_police_for_public_order_disputes():
    m = run_model(GovernanceModel(regime="market", rng=2, households=2000, buildings=40,
                                  days=60, parking_conflict=False))
    first = {d.path[0] for d in m.disputes if d.type is DisputeType.PUBLIC_ORDER and d.path}
    assert "police" in first
    settled = {e.dispute_id for e in m.log if e.kind is EventKind.RESOLVED
               and e.channel == "police"}
    police = [d for d in m.disputes if d.id in settled]
    # the police settle what they are for: public order and quarrels between residents
    # (their success with disputes against firms is a few per cent)
    theirs = [d for d in police if d.type is DisputeType.PUBLIC_ORDER or d.type.interpersonal]
    assert police and len(theirs) >= 0.8 * len(police)
    assert all(d.closed - d.waiting_since <= 1 for d in police)  # fast: within a day


def test_one_day_of_many_households_at_once_is_each_ones_own_rule():
    """``Resident.act_all`` takes every open individual dispute in one pass of array
    operations; each row must still get exactly its own rule, whatever the rows around it:
    a household being heard only waits; one in a queue within its patience waits and grows
    angrier; one past its patience leaves and chooses anew; a latent one speaks up once its
    grievance reaches its threshold and then takes the dispute somewhere; a quiet one stays
    quiet; a voiced one with no case takes it to a channel."""
    m = quiet(regime="state", give_up_rate=0.0, grievance_growth=0.1,
              court_servers_per_10k=1.0, court_handling="fixed", court_handling_days=50.0)
    c = m.community
    patient = [int(h) for h in np.flatnonzero(c.patience > 3)]
    loud_enough = [int(h) for h in np.flatnonzero(c.voice_threshold > 0.2)]
    pool = iter(h for h in patient if h in set(loud_enough))
    take = lambda n: [next(pool) for _ in range(n)]  # noqa: E731

    serving = individual(m, household=take(1)[0], grievance=1.0)
    m.channels.submit(serving, "court")
    m.channels.serve()  # the court's one judge is busy with it for fifty days
    waiting = [individual(m, household=h, grievance=1.0) for h in take(4)]
    impatient = [individual(m, household=h, grievance=1.0) for h in take(4)]
    for d in waiting + impatient:
        m.channels.submit(d, "court")
    for d in impatient:
        d.waiting_since = -1000
    loud = [individual(m, household=h, grievance=float(c.voice_threshold[h]) + 0.5)
            for h in take(4)]
    quiet_ones = [individual(m, household=h, grievance=0.0) for h in take(4)]
    voiced = [individual(m, household=h, grievance=1.0) for h in take(4)]
    for d in voiced:
        m.resident(int(d.claimants[0])).complain(d)
    rows = [serving, *waiting, *impatient, *loud, *quiet_ones, *voiced]
    before = {d.id: (len(m.log.for_dispute(d.id)), float(d.grievance[0])) for d in rows}
    m.today = 1

    Resident.act_all(m)

    def new_kinds(d):
        return [e.kind for e in m.log.for_dispute(d.id)[before[d.id][0]:]]

    growth = 0.1 * 0.5  # grievance_growth × severity
    assert new_kinds(serving) == [] and float(serving.grievance[0]) == before[serving.id][1]
    for d in waiting:
        assert new_kinds(d) == [] and m.channels.channel("court", d).is_waiting(d.case)
        assert float(d.grievance[0]) == pytest.approx(before[d.id][1] + growth)
    for d in impatient:
        assert new_kinds(d)[0] is EventKind.RENEGED and d.failed["court"] == 1
        assert EventKind.SUBMITTED in new_kinds(d) or EventKind.PETITION in new_kinds(d)
    for d in loud:
        kinds_now = new_kinds(d)
        assert kinds_now[0] is EventKind.VOICED and d.complained == 1
        assert EventKind.SUBMITTED in kinds_now or EventKind.PETITION in kinds_now
    for d in quiet_ones:
        assert new_kinds(d) == [] and d.stage is Stage.LATENT
        assert float(d.grievance[0]) == pytest.approx(growth)
    for d in voiced:
        assert new_kinds(d) and new_kinds(d)[0] in (EventKind.SUBMITTED, EventKind.PETITION)


def test_a_days_disputes_opened_at_once_are_what_opening_them_one_by_one_makes():
    """The book opens a day's background disputes together (their table rows and their
    'opened' events written at once); each must be exactly the dispute opening it alone
    makes."""
    households = np.array([7, 3, 7, 250])
    severity = np.array([0.25, 0.5, 0.75, 1.0])
    one_by_one, at_once = quiet(), quiet()
    alone = [one_by_one.book.open_dispute(DisputeType.FAMILY, households[k:k + 1],
                                          "household", float(severity[k]))
             for k in range(len(households))]
    together = at_once.book.open_individual(DisputeType.FAMILY, households, "household",
                                            severity)
    assert [d.record() for d in together] == [d.record() for d in alone]
    assert [d.household for d in together] == [7, 3, 7, 250]
    assert [e.record() for e in at_once.log] == [e.record() for e in one_by_one.log]
    a, b = one_by_one.book.table, at_once.book.table
    for column in a.COLUMNS:
        assert np.array_equal(getattr(a, column)[:a.n], getattr(b, column)[:b.n]), column
    assert [d.id for d in at_once.book.open_of(7)] == [together[0].id, together[2].id]


def test_the_open_rows_are_those_open_now_in_the_order_they_opened():
    """The table keeps the open rows between calls: rows opened since are added and rows
    closed since dropped."""
    m = quiet()
    first = [individual(m, household=h) for h in (1, 2, 3)]
    assert list(m.book.table.open_rows()) == [d.id for d in first]
    m.book.close(first[1], Outcome.ABANDONED)
    later = m.book.open_individual(DisputeType.FAMILY, np.array([4, 5]), "household",
                                   np.array([0.5, 0.5]))
    crowd = m.book.open_dispute(DisputeType.PROPERTY_SERVICE, np.arange(30, 40), "firm", 0.5)
    m.book.close(later[0], Outcome.AGREEMENT)
    t = m.book.table
    assert list(t.open_rows()) == [first[0].id, first[2].id, later[1].id, crowd.id]
    assert list(t.open_rows(collective=False)) == [first[0].id, first[2].id, later[1].id]
    assert list(t.open_rows(collective=True)) == [crowd.id]
    assert [d.id for d in m.book.open] == list(t.open_rows())


def test_cases_two_estates_finish_at_one_moment_are_dealt_with_in_estate_order():
    """Estates' channels of one name may finish cases at the same moment (fixed handling
    times; a case handed up during a day waits for the next): both are heard, the first
    estate's first."""
    m = quiet(regime="grid", estates=2, legal_service_handling="fixed")
    estate = m.community.estate
    d0, d1 = (individual(m, household=int(np.flatnonzero(estate == e)[0])) for e in (0, 1))
    m.channels.serve()  # every queue served to the end of day 0
    for d, moment in ((d0, 0.3), (d1, 0.7)):  # handed up during that serving
        m.channels._now = moment
        m.channels.submit(d, "legal_service")
    m.channels._now = None
    for m.today in range(1, 6):
        m.channels.serve()
    assert d0.first_handled == d1.first_handled is not None
    heard = [e.dispute_id for e in m.log if e.kind in (EventKind.RESOLVED, EventKind.NOT_SETTLED)]
    assert heard[:2] == [d0.id, d1.id]


def test_the_estates_channels_of_one_name_draw_their_service_times_from_one_stream():
    """Each channel name has one stream of service times, whichever estate's channel
    starts a case: the times, in the order cases start, are that stream's own draws one by
    one (drawn a block at a time, they must be the same numbers)."""
    import copy

    m = quiet(regime="state", estates=3, committee_mediation_handling="exponential")
    rooms = [m.channels.room("committee_mediation", e) for e in range(3)]
    stream = m.channels._streams["committee_mediation"]
    mean = (m.params.committee_mediation_handling_days
            / (1.0 - m.params.committee_admin_burden))
    fresh = copy.deepcopy(stream)
    drawn = [rooms[i % 3].handling(rooms[i % 3].rng) for i in range(40)]
    assert drawn == [float(fresh.exponential(mean)) for _ in range(40)]


def test_a_channel_built_in_an_estate_is_among_the_choices_already_worked_out_there():
    """A household's options (and their terms) are worked out once per estate and type of
    dispute; electing an owners' committee builds its channel in the estate, and from then
    on the estate's households may take their disputes there."""
    from govsim.agents.committee import OwnersCommittee

    m = quiet(regime="state", choice_noise=0.01,
              owners_committee_success={"property_service": 1.0})
    d = individual(m, DisputeType.PROPERTY_SERVICE, grievance=1.0)
    resident = m.resident(5)
    names = {s.name for s in resident.options(d)}
    assert "owners_committee" not in names
    assert resident.choose(d, 1.0) != "owners_committee"
    OwnersCommittee.elect(m, m.estate_of(d), state_backed=True)
    assert "owners_committee" in {s.name for s in resident.options(d)}
    assert resident.choose(d, 1.0) == "owners_committee"


@pytest.mark.parametrize("per_worker", [50.0, 200.0, 1000.0])
def test_grid_workers_share_out_every_cell_and_every_household(per_worker):
    """Fewer workers than cells: each takes a run of cells; more: cells are shared. Either
    way every cell is covered, the households add up, and a dispute found in a cell is
    credited to a worker who covers it."""
    m = GovernanceModel(regime="grid", rng=1, households=1600, buildings=20,
                        households_per_grid_worker=per_worker)
    cells = m.community.n_cells
    covered = sorted({c for w in m.grid_workers for c in w.cells})
    assert covered == list(range(cells))
    assert abs(sum(w.households for w in m.grid_workers) - 1600) <= len(m.grid_workers)
    for h in range(0, 1600, 37):
        cell = int(m.community.grid_cell[h])
        credited = GridWorker.of(m, h)
        assert cell in credited.cells  # ... and it is the first worker who covers the cell
        assert all(cell not in w.cells for w in m.grid_workers[:m.grid_workers.index(credited)])
