"""The owners' assembly (业主大会): how owners come to have a committee that can bind them.

Property law gives the process its shape (Property Management Regulations, 物业管理条例,
2003, revised 2007; MODEL.md §2): owners form the assembly under the guidance of the
street office or the district housing department, a meeting must be announced to every
owner 15 days ahead, and decisions need majorities of owners and floor area. So an
assembly is prepared (a preparatory group, 筹备组), called (the notice), and held (the
vote); if too few owners vote, it is called again. Backed by the street office it is
prepared in days and the street helps owners vote (essay 6: ten mobile ballot boxes, each
kept by two residents and two street staff); unaided, owners need much longer.
"""

from __future__ import annotations

import math
from enum import Enum

from govsim.agents.committee import OwnersCommittee
from govsim.events import AssemblySupport, EventKind


class AssemblyStage(Enum):
    PREPARING = "preparing"
    CALLED = "called"
    HELD = "held"


class OwnersAssembly:
    """The first owners' assembly of one estate, from preparation to the election."""

    def __init__(self, model, estate: int, backed: bool) -> None:
        self.model = model
        self.estate = estate
        self.backed = backed
        self.stage = AssemblyStage.PREPARING
        self.started = model.today
        self.attempts = 0
        p = model.params
        if backed:
            prep = model.rng.normal(p.preparatory_group_days, p.preparatory_group_sd)
        else:
            prep = model.rng.exponential(p.unaided_preparatory_days)
        self.next_day = model.today + max(1, int(math.ceil(prep)))

    def back(self) -> None:
        """The street office takes over an assembly the owners began: from now on it is
        prepared under its guidance and voted with its help."""
        p = self.model.params
        self.backed = True
        if self.stage is AssemblyStage.PREPARING:
            prep = self.model.rng.normal(p.preparatory_group_days, p.preparatory_group_sd)
            self.next_day = min(self.next_day, self.model.today + max(1, int(math.ceil(prep))))

    def prepared(self) -> None:
        """Preparation is done (a joint meeting settled it): call the assembly now."""
        if self.stage is AssemblyStage.PREPARING:
            self.call()

    def _record(self, kind: EventKind, **fields) -> None:
        """Tell every open collective dispute of the estate."""
        m = self.model
        for d in m.book.open_collective:
            if d.is_open and m.estate_of(d) == self.estate:
                m.book.record(d, kind, **fields)

    def step(self) -> None:
        if self.stage is AssemblyStage.HELD or self.model.today < self.next_day:
            return
        if self.stage is AssemblyStage.PREPARING:
            self.call()
        else:
            self.hold()

    def call(self) -> None:
        """The notice goes to every owner; the meeting is the legal notice period away."""
        m = self.model
        self.stage = AssemblyStage.CALLED
        self.attempts += 1
        self.next_day = m.today + max(1, m.params.assembly_notice_days)
        self._record(EventKind.ASSEMBLY_CALLED, detail=self.support)

    @property
    def support(self) -> str:
        return AssemblySupport.STATE_BACKED if self.backed else AssemblySupport.UNAIDED

    def hold(self) -> None:
        """The vote: with enough owners voting the assembly elects a committee; otherwise
        it must be called again."""
        m = self.model
        p = m.params
        mean = p.backed_turnout if self.backed else p.unaided_turnout
        turnout = min(1.0, max(0.0, m.rng.normal(mean, p.turnout_sd)))
        if self.backed:
            m.counts.staff_days_standing += p.assembly_staff_days
        if turnout < p.assembly_quorum:
            self._record(EventKind.ASSEMBLY_FAILED, detail=self.support)
            self.call()
            return
        self.stage = AssemblyStage.HELD
        OwnersCommittee.elect(m, self.estate, state_backed=self.backed)
