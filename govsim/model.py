"""The Mesa model: a community, its institutions, and the daily schedule of disputes.

One step is one day (MODEL.md §6):

1. new disputes arrive (one vectorised Poisson draw per type; scenario events);
2. grid workers patrol (only where disputes are open);
3. residents in open disputes act — nobody else;
4. channels serve their queues; the developer reviews its strategy; the street office
   decides; assemblies are held when due;
5. satisfaction drains where grievances are open; data are collected.

Everything random comes from the model's ``rng``: the community and the arrival stream each
get their own child stream, so two regimes run with the same seed face the same community
and the same disputes (common random numbers).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import mesa
import networkx as nx
import numpy as np
from mesa.discrete_space import Network

from govsim import channels as ch
from govsim.agents import (Developer, GridWorker, NeighbourhoodCommittee, OwnersCommittee,
                           Resident, SocialOrganisation, StreetOffice)
from govsim.agents.grid_worker import patrol
from govsim.agents.resident import act_collectively
from govsim.community import cached_community, community_graph
from govsim.disputes import Dispute, DisputeType, EventLog, Outcome, Stage
from govsim.game import DeveloperStrategy, OwnerStrategy, ParkingGame
from govsim.institutions import Institutions, preset
from govsim.parameters import CHANNEL_ORGANISATION, CHANNELS, resolve

_BACKGROUND_TYPES = [t for t in DisputeType if t is not DisputeType.PARKING]
_ADJUDICATING = {"court", "petition"}
# Where a grid worker sends a dispute it finds: the open channel that fits its type best.
_ROUTABLE = ("social_mediation", "committee_mediation", "hotline")


@dataclass(eq=False)
class Case:
    """A dispute's place in one channel's queue: chosen by the claimants, or a petition,
    joint meeting or police call raised around a collective dispute."""

    dispute: Dispute
    channel: str
    kind: str = "chosen"


class Layout(Mapping):
    """Node id -> (x, y) for households (from the community's position array) and
    organisations, without a Python tuple per household until one is asked for."""

    def __init__(self, positions: np.ndarray, organisations: dict[int, tuple[float, float]]):
        self._positions = positions
        self._organisations = organisations

    def __getitem__(self, node: int) -> tuple[float, float]:
        if 0 <= node < len(self._positions):
            x, y = self._positions[node]
            return (float(x), float(y))
        return self._organisations[node]

    def __iter__(self):
        yield from range(len(self._positions))
        yield from self._organisations

    def __len__(self) -> int:
        return len(self._positions) + len(self._organisations)


@contextlib.contextmanager
def cycle_collector_paused():
    """Pause Python's cycle collector while a model is built. Building allocates tens of
    thousands of long-lived objects (agents, cells, graph nodes) and no garbage, and the
    collector, triggered every few hundred allocations, would traverse them again and
    again: about 40% of the case's build time. Results do not depend on it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class GovernanceModel(mesa.Model):
    """A community governed by one set of institutions.

    ``GovernanceModel(regime="grid", rng=7, households=800, hotline=False)``: the regime
    names a preset of institution values; any parameter given by keyword overrides it and
    every other default (see :mod:`govsim.parameters`).

    ``collect_daily=False`` skips the daily series (:data:`MODEL_REPORTERS`): a sweep that
    keeps only run summaries need not pay for them (about a tenth of a run). It is an
    output switch, not a model parameter, and changes no result.
    """

    def __init__(self, regime: str = "state", rng: Any = None, *, collect_daily: bool = True,
                 **params: Any) -> None:
        if isinstance(rng, str):  # the app's seed box hands over text
            rng = int(rng)
        super().__init__(rng=rng)
        self.regime = regime
        self.params = resolve(preset(regime) | params)
        self.institutions = Institutions.from_params(self.params)
        community_rng, self.arrivals_rng, channel_rng = self.rng.spawn(3)

        self.today = -1
        self.log = EventLog()
        self.disputes: list[Dispute] = []
        self.open_disputes: list[Dispute] = []
        self._open_collective: list[Dispute] = []  # the collective ones among open_disputes
        self._by_household: dict[int, list[Dispute]] = {}
        self._ties: dict[int, Any] = {}
        self.known_to_state: dict[int, int] = {}
        self.orders: set[int] = set()
        self.joint_meetings_held: set[int] = set()
        self.pending_petitions: set[int] = set()
        self.owners_committees: dict[int, OwnersCommittee] = {}
        self.confrontations = 0
        self.police_calls = 0
        self.petitions = 0
        self.injuries = 0
        self.staff_days_cases = 0.0
        self.staff_days_standing = 0.0
        self.participants_today = 0
        self.confronting_today = 0
        self.resolved = 0
        self.abandoned = 0
        self.household_days = 0

        with cycle_collector_paused():  # building allocates; it makes no garbage
            self.community = cached_community(self.params, community_rng)
            self.channels = self._build_channels(channel_rng)
            self._build_agents()
        self.datacollector = mesa.DataCollector(model_reporters=MODEL_REPORTERS)
        self.collect_daily = collect_daily
        self.running = True

    # ---- assembly -----------------------------------------------------------------------
    def _servers(self, name: str) -> int | None:
        per_10k = self.params[f"{name}_servers_per_10k"]
        if per_10k <= 0:
            return None
        return max(1, int(round(per_10k * self.community.n / 10_000)))

    def _build_channels(self, rng: np.random.Generator) -> dict[str, ch.Channel]:
        streams = dict(zip(CHANNELS, rng.spawn(len(CHANNELS))))
        built = {}
        for name in CHANNELS:
            p = self.params
            mean = p[f"{name}_handling_days"]
            if name == "committee_mediation":
                mean /= 1.0 - p["committee_admin_burden"]  # staff time left after admin work
            law = p[f"{name}_handling"]
            handling = {"exponential": lambda: ch.exponential(mean),
                        "lognormal": lambda: ch.lognormal(mean, p[f"{name}_handling_cv"]),
                        "fixed": lambda: ch.fixed(mean)}[law]()
            built[name] = ch.Channel(name, self._servers(name), handling, streams[name])
        return built

    def _build_agents(self) -> None:
        c = self.community
        p = self.params
        n = c.n
        kinds: list[tuple[int, str]] = []
        next_node = n

        def node(kind: str) -> int:
            nonlocal next_node
            kinds.append((next_node, kind))
            next_node += 1
            return next_node - 1

        estates = int(c.estate.max()) + 1
        committee_nodes = [node("committee") for _ in range(estates)]
        social_nodes = [node("social_org") for _ in range(p["social_organisations"])]
        developer_node = node("developer") if p["parking_conflict"] else None
        street_node = node("street_office")
        n_workers = 0
        if self.institutions.grid_patrol:
            n_workers = max(1, int(np.ceil(n / p["households_per_grid_worker"])))
        worker_nodes = [node("grid_worker") for _ in range(n_workers)]
        self.owners_committee_nodes = [node("owners_committee") for _ in range(estates)]

        # Every household is an agent on the network space up to a size; above it, the
        # space holds the organisations and a household becomes an agent (without a cell)
        # when it first acts — same results, a fraction of the build time and memory.
        self.households_on_grid = n <= p["agent_network_max_households"]
        top = float(c.positions[:, 1].max()) + 1.5
        org_positions = {nid: (float(i % 12), top + i // 12) for i, (nid, _) in enumerate(kinds)}
        if self.households_on_grid:
            g = community_graph(c, kinds)
            positions = {i: tuple(xy) for i, xy in enumerate(c.positions.tolist())}
            positions.update(org_positions)
            self.layout = positions
        else:
            g = nx.Graph()
            g.add_nodes_from((nid, {"kind": kind}) for nid, kind in kinds)
            positions = org_positions
            self.layout = Layout(c.positions, org_positions)
        self._wire_institutional_ties(g, committee_nodes, social_nodes, developer_node,
                                      street_node, worker_nodes)
        self.grid = Network(g, layout=positions, random=self.random)

        self._residents: dict[int, Resident] = {}
        if self.households_on_grid:
            for h in range(n):
                self._residents[h] = Resident(self, h, self.grid[h])
        staff = p["committee_mediation_servers_per_10k"] * n / 10_000 / estates
        self.committees = [NeighbourhoodCommittee(self, e, staff, p["committee_admin_burden"],
                                                  self.grid[nid])
                           for e, nid in enumerate(committee_nodes)]
        mediators = p["social_mediation_servers_per_10k"] * n / 10_000 / max(1, len(social_nodes))
        self.social_organisations = [
            SocialOrganisation(self, mediators, self.institutions.social_mediation, self.grid[nid])
            for nid in social_nodes]
        game = ParkingGame(p["payoff_rent_accept"], p["payoff_rent_resist"],
                           p["payoff_sell_accept"], p["payoff_sell_resist"],
                           p["payoff_dual_accept"], p["payoff_dual_resist"])
        self.developer = (Developer(self, game, p["developer_inertia"], self.grid[developer_node])
                          if developer_node is not None else None)
        self.street_office = StreetOffice(self, self.grid[street_node])
        n_cells = c.n_cells
        cell_sizes = np.bincount(c.grid_cell, minlength=n_cells)
        self.grid_workers = [
            GridWorker(self, (i * n_cells) // n_workers,
                       int(cell_sizes[(i * n_cells) // n_workers]),
                       p["patrol_visits_per_day"], self.grid[nid])
            for i, nid in enumerate(worker_nodes)]

    def _wire_institutional_ties(self, g, committees, socials, developer, street, workers):
        c = self.community
        for e, nid in enumerate(committees):
            g.add_edge(nid, street, layer="institutional")
        for nid in socials:
            g.add_edge(nid, street, layer="institutional")
            for cn in committees:
                g.add_edge(nid, cn, layer="institutional")
        if developer is not None:
            g.add_edge(developer, street, layer="institutional")
        n_cells = c.n_cells
        for i, nid in enumerate(workers):
            g.add_edge(nid, street, layer="institutional")
            if not self.households_on_grid:
                continue
            cell = (i * n_cells) // len(workers)
            for h in np.flatnonzero(c.grid_cell == cell)[:: max(1, len(workers) // n_cells)]:
                g.add_edge(nid, int(h), layer="grid")

    # ---- queries used by agents -----------------------------------------------------------
    @property
    def residents(self):
        return self.agents_by_type[Resident]

    def resident(self, household: int) -> Resident:
        agent = self._residents.get(household)
        if agent is None:
            agent = self._residents[household] = Resident(self, household)
        return agent

    def representative(self, dispute: Dispute) -> Resident:
        """The claimant who speaks for a collective dispute: the first still active."""
        idx = int(np.flatnonzero(dispute.active)[0]) if dispute.active.any() else 0
        return self.resident(int(dispute.claimants[idx]))

    def grid_worker_of(self, household: int) -> GridWorker:
        cell = int(self.community.grid_cell[household])
        i = min(len(self.grid_workers) - 1,
                (cell * len(self.grid_workers)) // self.community.n_cells)
        return self.grid_workers[i]

    def estate_of(self, dispute: Dispute) -> int:
        return int(self.community.estate[dispute.claimants[0]])

    def open_disputes_of(self, household: int) -> list[Dispute]:
        return [d for d in self._by_household.get(household, []) if d.is_open]

    def open_collective(self) -> list[Dispute]:
        return list(self._open_collective)

    def ties_of(self, dispute: Dispute):
        if dispute.id not in self._ties:
            self._ties[dispute.id] = self.community.ties_among(dispute.claimants)
        return self._ties[dispute.id]

    def binding(self, dispute: Dispute) -> bool:
        """Is there a counterpart that can commit the owners to a deal?"""
        return (self.estate_of(dispute) in self.owners_committees
                or dispute.id in self.joint_meetings_held)

    def channels_open_to(self, dispute: Dispute) -> set[str]:
        open_ = self.institutions.channels_open()
        if self.estate_of(dispute) in self.owners_committees:
            open_.add("owners_committee")
        return open_

    def in_service(self, dispute: Dispute) -> bool:
        return dispute.case is not None and not self.channels[dispute.channel].is_waiting(
            dispute.case)

    def petition_pending(self, dispute: Dispute) -> bool:
        return dispute.id in self.pending_petitions

    # ---- transitions --------------------------------------------------------------------
    def transition(self, dispute: Dispute, stage: Stage, channel: str | None = None,
                   note: str = "") -> None:
        dispute.stage = stage
        if not stage.final:
            dispute.peak = max(dispute.peak, stage)
        if stage is Stage.VOICED and dispute.voiced is None:
            dispute.voiced = self.today
        self.log.add(self.today, dispute, stage, channel, note)

    def note(self, dispute: Dispute, text: str) -> None:
        """Log a happening that is not a change of stage (orders, strategy switches)."""
        self.log.add(self.today, dispute, dispute.stage, None, text)

    def add_staff_days(self, dispute: Dispute | None, amount: float) -> None:
        self.staff_days_cases += amount
        if dispute is not None:
            dispute.staff_days += amount

    def open_dispute(self, dtype: DisputeType, claimants: np.ndarray, respondent: str,
                     severity: float, grievance: np.ndarray | None = None) -> Dispute:
        d = Dispute(id=len(self.disputes), type=dtype, claimants=np.asarray(claimants),
                    respondent=respondent, severity=float(severity), opened=self.today)
        if grievance is not None:
            d.grievance = np.asarray(grievance, dtype=float)
        self.disputes.append(d)
        self.open_disputes.append(d)
        if d.collective:
            self._open_collective.append(d)
        if not d.collective:
            self._by_household.setdefault(int(d.claimants[0]), []).append(d)
        self.log.add(self.today, d, Stage.LATENT, None, "opened")
        return d

    def submit(self, dispute: Dispute, channel: str, at: float | None = None) -> None:
        """Send a dispute to a channel; arrivals spread over the day unless ``at`` is given."""
        at = self.today + self.rng.random() if at is None else at
        if channel in ("joint_meeting", "police"):
            self.channels[channel].submit(Case(dispute, channel, channel), at)
            return
        case = Case(dispute, channel)
        dispute.case = case
        dispute.channel = channel
        dispute.waiting_since = self.today
        dispute.path.append(channel)
        self.channels[channel].submit(case, at)
        stage = Stage.PETITION if channel == "petition" else Stage.IN_HANDLING
        if dispute.collective:
            stage = max(stage, dispute.stage) if not dispute.stage.final else stage
        if channel == "petition":
            self.petitions += 1
            self.known_to_state.setdefault(dispute.id, self.today)
        if channel == "hotline" and dispute.collective:
            self.known_to_state.setdefault(dispute.id, self.today)
        self.transition(dispute, stage, channel)

    def renege(self, dispute: Dispute) -> None:
        """Stop waiting: leave the queue, count it against the channel, and choose anew."""
        name = dispute.channel
        self.channels[name].withdraw(dispute.case)
        dispute.failed[name] += 1
        dispute.failures += 1
        dispute.case = None
        dispute.channel = None
        self.community.adjust_trust(dispute.claimants, CHANNEL_ORGANISATION[name],
                                    -self.params["trust_step"] / 2)
        self.transition(dispute, Stage.VOICED, name, "reneged")

    def detect(self, dispute: Dispute, by: str) -> None:
        """A grid worker found the dispute: the household is heard, the case routed."""
        dispute.detected = self.today
        relief = 1.0 - self.params["heard_relief"]
        dispute.grievance *= relief
        self.community.adjust_trust(dispute.claimants[dispute.active], "grid",
                                    self.params["trust_step"] / 2)
        self.note(dispute, f"detected by {by.replace('_', ' ')}")
        if dispute.collective:
            self.known_to_state.setdefault(dispute.id, self.today)
            return
        if dispute.stage is Stage.LATENT:
            self.transition(dispute, Stage.VOICED, note="found on patrol")
        open_ = self.channels_open_to(dispute)
        routes = [c for c in _ROUTABLE if c in open_]
        if routes:
            best = max(routes, key=lambda c: self.params[f"{c}_success"][dispute.type.value])
            self.submit(dispute, best)

    def gives_up(self, dispute: Dispute) -> bool:
        days_open = self.today - dispute.opened
        hazard = self.params["give_up_rate"] * (1 + dispute.failures + days_open / 30.0)
        return self.rng.random() < hazard

    def gives_up_collectively(self, dispute: Dispute) -> bool:
        """Claimants drop out one by one; below the quorum, the dispute is abandoned."""
        days_open = self.today - dispute.opened
        hazard = self.params["give_up_rate"] * (1 + dispute.failures + days_open / 30.0)
        active = np.flatnonzero(dispute.active)
        quit_ = active[self.rng.random(len(active)) < hazard]
        if len(quit_):
            dispute.active[quit_] = False
            dispute.participating[quit_] = False
        if dispute.active.sum() < self.params["collective_quorum_share"] * len(dispute.claimants):
            self.close(dispute, Outcome.ABANDONED, note="owners give up")
            return True
        return False

    def close(self, dispute: Dispute, outcome: Outcome, note: str = "") -> None:
        p = self.params
        c = self.community
        if dispute.case is not None:
            self.channels[dispute.channel].withdraw(dispute.case)
        stage = Stage.ABANDONED if outcome is Outcome.ABANDONED else Stage.RESOLVED
        if outcome is Outcome.CENSORED:
            stage = Stage.CENSORED
        dispute.closed = self.today
        dispute.outcome = outcome
        dispute.case = None
        self.pending_petitions.discard(dispute.id)
        self.transition(dispute, stage, dispute.channel, note)
        who = dispute.claimants[dispute.active] if dispute.collective else dispute.claimants
        self.resolved += outcome in (Outcome.AGREEMENT, Outcome.ADJUDICATED)
        self.abandoned += outcome is Outcome.ABANDONED
        if outcome in (Outcome.AGREEMENT, Outcome.ADJUDICATED):
            c.adjust_satisfaction(who, 0.5 if outcome is Outcome.AGREEMENT else 0.3,
                                  towards_one=True)
        elif outcome is Outcome.ABANDONED:
            c.adjust_satisfaction(dispute.claimants, -0.3)
            if dispute.id in self.known_to_state:
                c.adjust_trust(dispute.claimants, "street_office", -p["trust_step"])

    # ---- collective escalation ------------------------------------------------------------
    def confront(self, dispute: Dispute, crowd: int) -> None:
        """A crowd faces the property firm at a barred gate; police are called."""
        p = self.params
        self.confrontations += 1
        self.confronting_today += crowd
        self.note(dispute, f"{crowd} owners block the gate" +
                  ("; police called" if self.institutions.police else ""))
        if self.institutions.police:
            self.police_calls += 1
            self.submit(dispute, "police")
            self.add_staff_days(dispute, p["police_staff_days"])
        dev = self.developer
        if not dev.guards_hired and self.rng.random() < p["guard_escalation"]:
            dev.hire_guards(dispute)
        if dev.guards_hired:
            hurt = dispute.participating & dispute.active
            dispute.grievance[hurt] = np.minimum(2.0, dispute.grievance[hurt]
                                                 + p["injury_grievance"])
            self.injuries += 1
            self.community.adjust_trust(dispute.claimants[hurt], "developer", -p["trust_step"])
            self.community.adjust_satisfaction(dispute.claimants[hurt], -0.1)

    def petition(self, dispute: Dispute, crowd: int) -> None:
        """The group takes its case to the district (信访): the state now knows of it."""
        p = self.params
        self.petitions += 1
        self.pending_petitions.add(dispute.id)
        self.known_to_state.setdefault(dispute.id, self.today)
        self.channels["petition"].submit(Case(dispute, "petition", "petition"),
                                         self.today + self.rng.random())
        self.add_staff_days(dispute, p["petition_staff_days"])
        self.note(dispute, f"{max(crowd, 1)} owners petition the district government")

    def hold_owners_assembly(self, estate: int, state_backed: bool) -> None:
        nid = self.owners_committee_nodes[estate]
        self.owners_committees[estate] = OwnersCommittee(self, estate, self.today, state_backed,
                                                         self.grid[nid])
        for d in self.open_collective():
            if self.estate_of(d) == estate:
                how = "state-backed" if state_backed else "unaided"
                self.note(d, f"owners' assembly ({how}) elects an owners' committee")
                d.path.append("owners_assembly")

    # ---- the daily schedule -----------------------------------------------------------------
    def step(self) -> None:
        self.today = self.steps - 1
        self.participants_today = 0
        self.confronting_today = 0
        self._arrivals()
        if self.institutions.grid_patrol and self.grid_workers:
            patrol(self)
            self.staff_days_standing += len(self.grid_workers)
        for d in list(self.open_disputes):
            if not d.is_open:
                continue
            if d.collective:
                act_collectively(self, d)
                self.participants_today += d.participants if d.is_open else 0
            else:
                self.resident(int(d.claimants[0])).act_on(d)
        self._serve_channels()
        self._parking_game()
        self.street_office.step()
        self.street_office.hold_due_assemblies()
        self._self_organisation()
        self._drain_satisfaction()
        self.open_disputes = [d for d in self.open_disputes if d.is_open]
        self._open_collective = [d for d in self._open_collective if d.is_open]
        if self.collect_daily:
            self.datacollector.collect(self)
        if self.steps >= self.params["days"]:
            self.finish()

    def _arrivals(self) -> None:
        p = self.params
        rng = self.arrivals_rng
        n = self.community.n
        if p["parking_conflict"] and self.today == p["sell_only_day"]:
            self._sell_only_notice()
        for dtype in _BACKGROUND_TYPES:
            rate = p["arrival_rates"][dtype.value]
            if rate <= 0:
                continue
            k = int(rng.poisson(rate * n))
            if not k:
                continue
            households = rng.integers(0, n, size=k)
            severity = rng.uniform(p["severity_min"], p["severity_max"], size=k)
            for h, s in zip(households.tolist(), severity.tolist()):
                respondent = {"neighbour": "household", "family": "household",
                              "property_service": "property firm"}.get(dtype.value, "business")
                self.open_dispute(dtype, np.array([h]), respondent, s)

    def _sell_only_notice(self) -> None:
        c = self.community
        # The developer owns one estate (community X): the first; in a one-estate community
        # that is everyone (see docs/ODD.md, "Scale").
        claimants = np.flatnonzero(c.renter & (c.estate == 0))
        if len(claimants) == 0:
            return
        g0 = self.arrivals_rng.uniform(0, 2 * self.params["notice_grievance"], len(claimants))
        self.developer.announce_sell_only()
        d = self.open_dispute(DisputeType.PARKING, claimants, "developer", 1.0, g0)
        self.note(d, f"developer: parking sell-only from today; {len(claimants)} renting "
                     "households barred")

    def _serve_channels(self) -> None:
        for name, channel in self.channels.items():
            for done in channel.advance(self.today + 1):
                self._complete(done.case)

    def _complete(self, case: Case) -> None:
        d = case.dispute
        p = self.params
        if case.kind == "police":
            return
        if case.kind == "petition":
            self.pending_petitions.discard(d.id)
            return
        if case.kind == "joint_meeting":
            self.joint_meetings_held.add(d.id)
            self.add_staff_days(d, p["joint_meeting_staff_days"])
            if d.is_open:
                d.path.append("joint_meeting")
                self.note(d, "joint meeting: a binding dual-track deal can be made")
            return
        if not d.is_open or d.case is not case:
            return
        name = case.channel
        org = CHANNEL_ORGANISATION[name]
        self.add_staff_days(d, p[f"{name}_staff_days"])
        if d.first_handled is None:
            d.first_handled = self.today
            d.grievance *= 1.0 - p["heard_relief"]
        if d.collective and name == "committee_mediation":
            self.committees[self.estate_of(d)].relay(d)
        success = self.rng.random() < p[f"{name}_success"][d.type.value]
        who = d.claimants[d.active] if d.collective else d.claimants
        d.case = None
        if success:
            self.community.adjust_trust(who, org, p["trust_step"])
            outcome = Outcome.ADJUDICATED if name in _ADJUDICATING else Outcome.AGREEMENT
            self.close(d, outcome, note=f"settled by {name.replace('_', ' ')}")
            return
        self.community.adjust_trust(who, org, -p["trust_step"])
        d.failed[name] += 1
        d.failures += 1
        d.channel = None
        d.grievance += 0.1
        if d.collective:
            self.note(d, f"{name.replace('_', ' ')} fails to settle it")
        else:
            self.transition(d, Stage.VOICED, name, "not settled")

    def _parking_game(self) -> None:
        dev = self.developer
        if dev is None:
            return
        for d in self.open_collective():
            if d.type is not DisputeType.PARKING:
                continue
            strategy = dev.review(d)
            # A deal is struck when the developer has moved to the offer it prefers under
            # the terms in force and the owners' best reply to it is to accept.
            if (strategy in (DeveloperStrategy.RENT, DeveloperStrategy.DUAL_TRACK)
                    and strategy is dev.preferred(d)
                    and dev.owners_response(d) is OwnerStrategy.ACCEPT):
                self.close(d, Outcome.AGREEMENT, note=f"owners accept {strategy.value}")
                who = d.claimants
                for org in ("owners_committee", "street_office"):
                    self.community.adjust_trust(who, org, self.params["trust_step"])

    def _self_organisation(self) -> None:
        """Owners may hold an assembly unaided; hard, so rare (MODEL.md §5)."""
        for d in self.open_collective():
            estate = self.estate_of(d)
            if estate in self.owners_committees or estate in self.street_office.assemblies_due:
                continue
            share = d.participants / len(d.claimants)
            if self.rng.random() < self.params["self_organisation_rate"] * share:
                self.hold_owners_assembly(estate, state_backed=False)

    def _drain_satisfaction(self) -> None:
        """Open grievances wear satisfaction down: one vector update for all disputes."""
        drain = self.params["satisfaction_drain"]
        households: list = []
        grievance: list = []
        for d in self.open_disputes:
            if not d.is_open:
                continue
            if d.collective:
                active = d.active
                self.household_days += int(np.count_nonzero(active))
                households.append(np.unique(d.claimants[active]))
                grievance.append(d.grievance[active])
            elif d.active[0]:
                self.household_days += 1
                households.append(d.claimants)
                grievance.append(d.grievance)
        if households:
            self.community.drain_satisfaction(np.concatenate(households),
                                              -drain * np.concatenate(grievance))

    def finish(self) -> None:
        """End of horizon: what is still open is censored."""
        for d in self.open_disputes:
            if d.is_open:
                self.close(d, Outcome.CENSORED, note="open at horizon")
        self.open_disputes = []
        self._open_collective = []
        self.running = False

    # ---- outputs ------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        from govsim.metrics import run_summary

        return run_summary(self)

    def dispute_records(self) -> list[dict]:
        return [d.record() for d in self.disputes]


# ---- data collection: small functions with plain names -----------------------------------
def _open_state(m: GovernanceModel) -> tuple[dict, float]:
    """Open disputes by stage and their mean grievance, in one pass per collection."""
    cached = getattr(m, "_open_state_cache", None)
    if cached is not None and cached[0] == m.steps:
        return cached[1]
    by_stage: dict[Stage, int] = {}
    total = count = 0.0
    for d in m.open_disputes:
        by_stage[d.stage] = by_stage.get(d.stage, 0) + 1
        if not d.is_open:
            continue
        if len(d.claimants) == 1:  # a one-element sum is the element itself
            if d.active[0]:
                total += float(d.grievance[0])
                count += 1
        else:
            g = d.grievance[d.active]
            total += float(g.sum())
            count += len(g)
    state = (by_stage, total / count if count else 0.0)
    m._open_state_cache = (m.steps, state)
    return state


def _open_at(stage: Stage):
    return lambda m: _open_state(m)[0].get(stage, 0)


def staff_days(m: GovernanceModel) -> float:
    return m.staff_days_cases + m.staff_days_standing


def mean_grievance(m: GovernanceModel) -> float:
    return _open_state(m)[1]


def developer_strategy(m: GovernanceModel) -> str | None:
    return m.developer.strategy.value if m.developer is not None else None


MODEL_REPORTERS = {
    "day": lambda m: m.today,
    "open_latent": _open_at(Stage.LATENT),
    "open_voiced": _open_at(Stage.VOICED),
    "open_in_handling": _open_at(Stage.IN_HANDLING),
    "open_collective_action": _open_at(Stage.COLLECTIVE_ACTION),
    "open_confrontation": _open_at(Stage.CONFRONTATION),
    "open_petition": _open_at(Stage.PETITION),
    "participants": lambda m: m.participants_today,
    "confrontations": lambda m: m.confrontations,
    "police_calls": lambda m: m.police_calls,
    "petitions": lambda m: m.petitions,
    "resolved": lambda m: m.resolved,
    "abandoned": lambda m: m.abandoned,
    "mean_grievance": mean_grievance,
    "satisfaction_share": lambda m: m.community.satisfied_share,
    "staff_days": staff_days,
    "developer_strategy": developer_strategy,
    **{f"trust_{org}": (lambda org: lambda m: m.community.mean_trust(org))(org)
       for org in ("committee", "owners_committee", "social_org", "street_office", "police",
                   "court", "developer", "grid")},
}
