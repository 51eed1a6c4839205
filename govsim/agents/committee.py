"""Neighbourhood committees (居委会) and owners' committees (业委会): each serves its
estate's own channel."""

from __future__ import annotations

import math

from mesa.discrete_space import CellAgent

from govsim.agents.property_firm import PropertyFirm
from govsim.events import AssemblySupport, EventKind


class NeighbourhoodCommittee(CellAgent):
    """The neighbourhood committee of one estate. Its staff are the servers of the estate's
    committee mediation — stretched by administrative work (行政化, essay 1) — and it
    relays the collective disputes it hears up to the street office."""

    def __init__(self, model, estate: int, households: int, cell=None) -> None:
        super().__init__(model)
        self.estate = estate
        self.households = households
        self.admin_burden = model.params.committee_admin_burden
        self.channel = model.channels.build("committee_mediation", households, server=self,
                                            estate=estate)
        self.relayed = 0
        if cell is not None:
            self.cell = cell

    @property
    def staff(self) -> int | None:
        """Mediators (None: no limit)."""
        return self.channel.servers

    def heard(self, dispute) -> None:
        """After mediating a collective dispute, pass it up: the street office now knows."""
        if dispute.collective and not self.model.street_office.knows(dispute):
            self.model.street_office.learn(dispute)
            self.relayed += 1


class OwnersCommittee(CellAgent):
    """Elected by an owners' assembly (业主大会); bargains for the owners of its estate (its
    own channel), is the one counterpart that can bind them to a deal, and replaces the
    property firm the developer hired with one of its own (essay 6: 名城物业), which ends
    the developer–firm collusion."""

    def __init__(self, model, estate: int, elected: int, state_backed: bool, cell=None) -> None:
        super().__init__(model)
        self.estate = estate
        self.elected = elected
        self.state_backed = state_backed
        households = int((model.community.estate == estate).sum())
        self.channel = model.channels.build("owners_committee", households, server=self,
                                            estate=estate)
        self.hires_firm_on: int | None = None
        if model.property_firms[estate].colluding:
            wait = model.rng.exponential(model.params.firm_replacement_days)
            self.hires_firm_on = elected + max(1, int(math.ceil(wait)))
        if cell is not None:
            self.cell = cell

    def step(self) -> None:
        """On the day its own property firm takes over, nobody enforces the developer's
        rules at the gate any more."""
        m = self.model
        if self.hires_firm_on != m.today:
            return
        m.property_firms[self.estate] = PropertyFirm(self.estate, "owners_committee", m.today)
        for d in m.book.open_collective:
            if d.is_open and m.estate_of(d) == self.estate:
                m.book.record(d, EventKind.FIRM_REPLACED, actor="owners_committee")

    def heard(self, dispute) -> None:
        """Bargaining for the owners changes nothing else."""

    @classmethod
    def elect(cls, model, estate: int, state_backed: bool) -> "OwnersCommittee":
        """An owners' assembly is held in ``estate`` and elects a committee; every open
        collective dispute of the estate now has a counterpart that can bind the owners."""
        committee = cls(model, estate, model.today, state_backed,
                        model.space[model.nodes.owners_committees[estate]])
        model.owners_committees[estate] = committee
        for d in model.book.open_collective:
            if d.is_open and model.estate_of(d) == estate:
                model.book.record(d, EventKind.ASSEMBLY_HELD,
                                  detail=AssemblySupport.STATE_BACKED if state_backed
                                  else AssemblySupport.UNAIDED)
                d.path.append("owners_assembly")
        return committee
