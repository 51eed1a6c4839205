"""The Mesa model: a community and its institutions put together, and the day's schedule.

Everything random comes from the model's ``rng``: the community, the arrival stream and
the channels' handling times each get their own child stream, so two regimes run with the
same seed face the same community and the same disputes (common random numbers).
"""

from __future__ import annotations

import math
from typing import Any

import mesa
import numpy as np

from govsim.agents import (GridWorker, NeighbourhoodCommittee, Resident, SocialOrganisation,
                           StreetOffice)
from govsim.agents.claimants import Claimants
from govsim.agents.grid_worker import GridLevels, coverage
from govsim.agents.committee import OwnersCommittee
from govsim.agents.owners_assembly import OwnersAssembly
from govsim.agents.petition_office import PetitionOffice
from govsim.agents.property_firm import PropertyFirm
from govsim._lazy import cycle_collector_paused
from govsim.arrivals import draw_arrivals
from govsim.channel_network import ChannelNetwork
from govsim.community import cached_community
from govsim.disputes import Dispute, DisputeBook
from govsim.episodes import ParkingConflict
from govsim.institutions import Institutions, parameters_for
from govsim.parameters import Params
from govsim.record import Counters, RunRecord
from govsim.reporters import MODEL_REPORTERS, attach_summary
from govsim.space import Nodes, build_space
from govsim.vocabulary import GRID_CHANNELS, ORGANISATIONS, Outcome


class GovernanceModel(mesa.Model):
    """A community governed by one set of institutions.

    ``GovernanceModel(regime="grid", rng=7, households=800, hotline=False)``: the regime
    names a preset of institution values; any parameter given by keyword overrides it and
    every other default (see :mod:`govsim.parameters`).

    ``collect_daily=False`` skips the daily series (:data:`MODEL_REPORTERS`): a sweep that
    keeps only run summaries need not pay for them. It is an output switch, not a model
    parameter, and changes no result.
    """

    def __init__(self, regime: str = "state", rng: Any = None, *, collect_daily: bool = True,
                 **params: Any) -> None:
        if isinstance(rng, str):  # the app's seed box hands over text
            rng = int(rng)
        super().__init__(rng=rng)
        self.regime = regime
        self.params = Params.from_dict(parameters_for(regime, params))
        self.institutions = Institutions.from_params(self.params)
        community_rng, self.arrivals_rng, channel_rng = self.rng.spawn(3)
        self.today = -1
        self.counts = Counters()
        self.book = DisputeBook(lambda: self.today)
        self.groups: dict[int, Claimants] = {}
        self.owners_committees: dict[int, OwnersCommittee] = {}
        self.assemblies: dict[int, OwnersAssembly] = {}
        with cycle_collector_paused():  # building allocates; it makes no garbage
            self.community = cached_community(self.params.as_dict(), community_rng)
            # read at every submission: a list lookup, not two numpy ones
            self._estate_of_household = self.community.estate.tolist()
            self.channels = ChannelNetwork(self, channel_rng)
            self._assemble()
        self.book.on_open(self._form_group)
        self.book.on_close(self.channels.withdraw)
        self.book.on_close(self.street_office.forget)
        self.book.on_close(lambda d: Resident.feel_outcome(self, d))
        self.datacollector = mesa.DataCollector(model_reporters=MODEL_REPORTERS)
        self.collect_daily = collect_daily
        self._summary: dict[str, Any] | None = None
        self._record: RunRecord | None = None  # kept once the run is over
        self.running = True

    def _assemble(self) -> None:
        """The organisations, each on its node of the network space."""
        c = self.community
        p = self.params
        n = c.n
        estates = int(c.estate.max()) + 1
        workers = (max(1, math.ceil(n / p.households_per_grid_worker))
                   if self.institutions.grid_patrol else 0)
        self.nodes = Nodes.allocate(n, estates, p.social_organisations, p.parking_conflict,
                                    workers)
        self.households_on_space = n <= p.agent_network_max_households
        self.space, self.layout = build_space(c, self.nodes, self.households_on_space,
                                              self.random)
        self._residents: dict[int, Resident] = {}
        if self.households_on_space:
            for h in range(n):
                self._residents[h] = Resident(self, h, self.space[h])
        per_estate = np.bincount(c.estate, minlength=estates)
        self.property_firms = {e: PropertyFirm(e) for e in range(estates)}
        self.committees = [NeighbourhoodCommittee(self, e, int(per_estate[e]), self.space[nid])
                           for e, nid in enumerate(self.nodes.committees)]
        self.social_organisations = [
            SocialOrganisation(self, i % estates, int(per_estate[i % estates]), self.space[nid])
            for i, nid in enumerate(self.nodes.social_orgs)]
        for e in range(estates):  # each management area's "1+X" room (plain data)
            self.channels.build("legal_service", int(per_estate[e]), estate=e)
        self.episodes: dict[str, ParkingConflict] = {}
        if p.parking_conflict:
            self.episodes["parking"] = ParkingConflict(self, self.space[self.nodes.developer])
        self.street_office = StreetOffice(self, self.space[self.nodes.street_office])
        self.petition_office = PetitionOffice(self, self.space[self.nodes.petition_office])
        self.grid_levels = GridLevels(self)
        for name in GRID_CHANNELS:
            self.channels.assign_server(name, self.grid_levels)
        cells = c.n_cells
        covers, sharers = coverage(workers, cells)
        share = np.bincount(c.grid_cell, minlength=cells) / np.maximum(sharers, 1)
        self.grid_workers = [
            GridWorker(self, run, round(float(share[run.start:run.stop].sum())),
                       self.space[nid])
            for run, nid in zip(covers, self.nodes.grid_workers)]

    def _form_group(self, dispute: Dispute) -> None:
        if dispute.collective:
            self.groups[dispute.id] = Claimants(self, dispute)

    # ---- the day ----------------------------------------------------------------------------
    def step(self) -> None:
        """One day (MODEL.md §6)."""
        self.today = self.steps - 1
        self.counts.new_day()
        for episode in self.episodes.values():  # the case's events of the day (the notice)
            episode.begin_day()
        draw_arrivals(self)  # new everyday disputes
        GridWorker.patrol(self)  # grid workers find disputes nobody has taken up yet
        Resident.act_all(self)  # households in their own open disputes; nobody else acts
        for d in list(self.book.open_collective):  # the claimants of collective disputes
            if d.is_open:
                self.groups[d.id].act()
        self.channels.serve()  # every channel serves its queue to the end of the day
        for episode in self.episodes.values():  # the developer plays the parking game
            episode.step()
        self.street_office.step()  # the state decides and acts
        self.street_office.convene_joint_meetings()
        for assembly in list(self.assemblies.values()):  # owners' self-government
            assembly.step()
        for committee in list(self.owners_committees.values()):
            committee.step()
        for d in self.book.open_collective:  # owners may organise an assembly unaided
            if d.is_open:
                self.groups[d.id].self_organise()
        Resident.drain_satisfaction(self)  # open grievances wear satisfaction down
        self.book.end_of_day()
        if self.collect_daily:
            self.datacollector.collect(self)
        if self.steps >= self.params.days:
            self.finish()

    def finish(self) -> None:
        """End of horizon: what is still open is censored; the run's summary joins the
        last day of the daily table (what ``mesa.batch_run`` reads)."""
        for d in self.book.open:
            if d.is_open:
                self.book.close(d, Outcome.CENSORED)
        self.book.end_of_day()
        self.running = False
        if self.collect_daily:
            attach_summary(self.datacollector, self.summary())

    # ---- queries the actors share ---------------------------------------------------------------
    @property
    def disputes(self) -> list[Dispute]:
        return self.book.all

    @property
    def log(self):
        return self.book.log

    @property
    def residents(self):
        return self.agents_by_type[Resident]

    def resident(self, household: int) -> Resident:
        """The household's agent; above the space's size it is made when first needed."""
        agent = self._residents.get(household)
        if agent is None:
            agent = self._residents[household] = Resident(self, household)
        return agent

    def estate_of(self, dispute: Dispute) -> int:
        return self._estate_of_household[dispute.household]

    # ---- outputs ------------------------------------------------------------------------------
    def record(self) -> RunRecord:
        """The run as data: what metrics, exports and stored sweeps read. Once the run is
        over it is made once and kept: its summary and its dispute table both read it (a
        year of a street has tens of thousands of dispute rows)."""
        if self._record is not None:
            return self._record
        record = RunRecord(
            days=self.today + 1, disputes=self.book.records(),
            episode_events=self._episode_events(),
            counters=self.counts.as_dict(),
            community={"households": self.community.n,
                       "satisfied_share": self.community.satisfied_share,
                       **self._satisfaction_split(),
                       "trust": {org: self.community.mean_trust(org)
                                 for org in ORGANISATIONS}},
            episodes={name: {k: v.value for k, v in e.MILESTONES.items()}
                      for name, e in self.episodes.items()},
            extra={"served": self.channels.served(),
                   "events_logged": len(self.log),
                   # the day owners' own property firm took over, by estate
                   "firms_replaced": {str(e): f.since for e, f in self.property_firms.items()
                                      if not f.colluding},
                   "parking_estate": str(ParkingConflict.ESTATE)})
        if not self.running:
            self._record = record
        return record

    def _episode_events(self) -> list[dict]:
        """The event records of the episodes' disputes (what their milestones are read
        from); the whole log stays with the model (``log``) and a run's exports."""
        ids = {e.dispute.id for e in self.episodes.values() if e.dispute is not None}
        if not ids:
            return []
        return [e.record(note=False) for e in self.log.of_disputes(ids)]

    def _satisfaction_split(self) -> dict[str, float | None]:
        """Shares satisfied among the parking conflict's claimants and everyone else."""
        c = self.community
        parking = self.episodes.get("parking")
        claimants = parking.dispute.claimants if parking and parking.dispute else np.zeros(
            0, dtype=int)
        satisfied = c.satisfaction >= c.satisfied_at
        mine = np.zeros(c.n, dtype=bool)
        mine[claimants] = True
        return {"satisfied_share_parking": float(satisfied[mine].mean()) if mine.any()
                else None,
                "satisfied_share_others": float(satisfied[~mine].mean()) if (~mine).any()
                else None}

    def summary(self) -> dict[str, Any]:
        """The run's summary (:func:`govsim.metrics.run_summary`); once the run is over it
        is computed once and kept."""
        from govsim.metrics import run_summary

        if self.running:
            return run_summary(self.record())
        if self._summary is None:
            self._summary = run_summary(self.record())
        return dict(self._summary)

    def dispute_records(self) -> list[dict]:
        """One row per dispute; once the run is over, the rows of its kept record."""
        return self.book.records() if self.running else self.record().disputes
