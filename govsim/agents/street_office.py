"""The street office (街道办): the lowest level of government — what it knows, when it
acts, and what acting means."""

from __future__ import annotations

import math

from mesa.discrete_space import CellAgent

from govsim.agents.committee import OwnersCommittee
from govsim.events import EventKind
from govsim.vocabulary import Stage

_STAGE_BY_NAME = {s.name.lower(): s for s in Stage}


class StreetOffice(CellAgent):
    """Learns of collective disputes (a grid worker's report, the hotline's command
    centre, a committee's relay, a petition) and acts on one once its escalation has
    reached the intervention stage, after a delay of one Poisson draw per bureaucratic
    layer.

    The threshold is the state logic of essay 6 — 不闹不解决，小闹小解决，大闹大解决: under a
    reactive regime it is the petition; under grid governance a voiced dispute suffices.
    Acting means an order to the developer (责令), backing an owners' assembly, and
    convening a joint meeting where those institutions exist.
    """

    def __init__(self, model, cell=None) -> None:
        super().__init__(model)
        self.threshold = _STAGE_BY_NAME[model.params.intervention_stage]
        self.known: dict[int, int] = {}  # dispute id -> day the state learnt of it
        self.pending_petitions: set[int] = set()  # disputes whose petition awaits an answer
        self.due: dict[int, int] = {}  # dispute id -> day the intervention takes effect
        self.acted: dict[int, int] = {}  # dispute id -> day of the order
        self.assemblies_due: dict[int, int] = {}  # estate -> day of the owners' assembly
        self.joint_meetings_held: set[int] = set()
        if cell is not None:
            self.cell = cell

    # ---- what the state knows -------------------------------------------------------------
    def knows(self, dispute) -> bool:
        return dispute.id in self.known

    def learn(self, dispute) -> None:
        self.known.setdefault(dispute.id, self.model.today)

    def receive_petition(self, dispute) -> None:
        """A petition reaches the district: the state knows, and an answer is pending."""
        self.pending_petitions.add(dispute.id)
        self.learn(dispute)

    def petition_pending(self, dispute) -> bool:
        return dispute.id in self.pending_petitions

    def petition_answered(self, case) -> None:
        self.pending_petitions.discard(case.dispute.id)

    def forget(self, dispute) -> None:
        """A closed dispute's petition needs no answer any more."""
        self.pending_petitions.discard(dispute.id)

    def ordered(self, dispute) -> bool:
        return dispute.id in self.acted

    # ---- deciding and acting ------------------------------------------------------------------
    def step(self) -> None:
        """Schedule an intervention in every known collective dispute that has reached the
        threshold; intervene in those whose day has come."""
        m = self.model
        p = m.params
        if not m.institutions.street_intervention:
            return
        for d in m.book.open_collective:
            if (not d.is_open or d.id in self.due or not self.knows(d)
                    or d.peak < self.threshold):
                continue
            delay = int(m.rng.poisson(p.hierarchy_layers * p.layer_delay_days))
            self.due[d.id] = m.today + delay
        for d in m.book.open_collective:
            if d.is_open and self.due.get(d.id) == m.today and d.id not in self.acted:
                self.intervene(d)

    def intervene(self, dispute) -> None:
        m = self.model
        p = m.params
        self.acted[dispute.id] = m.today
        m.counts.add_staff_days(dispute, p.intervention_staff_days)
        m.book.record(dispute, EventKind.STATE_ORDER, actor="street_office")
        estate = m.estate_of(dispute)
        if (m.institutions.assembly_support and estate not in m.owners_committees
                and estate not in self.assemblies_due):
            prep = m.rng.normal(p.assembly_preparation_days, p.assembly_preparation_sd)
            self.assemblies_due[estate] = m.today + max(1, int(math.ceil(prep)))
            m.book.record(dispute, EventKind.ASSEMBLY_BACKED, actor="street_office")
        if m.institutions.joint_meeting:
            m.channels.raise_case(dispute, "joint_meeting", self.joint_meeting_held,
                                  at=m.today + p.joint_meeting_delay_days)

    def joint_meeting_held(self, case) -> None:
        """Government, committees, firms and owners met on the dispute: a deal made there
        binds both sides."""
        d = case.dispute
        m = self.model
        self.joint_meetings_held.add(d.id)
        m.counts.add_staff_days(d, m.params.joint_meeting_staff_days)
        if d.is_open:
            d.path.append("joint_meeting")
            m.book.record(d, EventKind.JOINT_MEETING, actor="street_office")

    def hold_due_assemblies(self) -> None:
        """Hold the owners' assemblies whose preparation ends today (their staff-days are the
        street's: ballot boxes are kept by street staff, essay 6)."""
        m = self.model
        for estate, day in list(self.assemblies_due.items()):
            if day == m.today:
                del self.assemblies_due[estate]
                OwnersCommittee.elect(m, estate, state_backed=True)
                m.counts.staff_days_standing += m.params.assembly_staff_days
