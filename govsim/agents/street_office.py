"""The street office (街道办): the lowest level of government — what it knows, when it
acts, and what acting means."""

from __future__ import annotations

from mesa.discrete_space import CellAgent

from govsim.agents.owners_assembly import OwnersAssembly
from govsim.events import EventKind
from govsim.vocabulary import Stage

_STAGE_BY_NAME = {s.name.lower(): s for s in Stage}
_FUSS_ORDER = [Stage.VOICED, Stage.IN_HANDLING, Stage.COLLECTIVE_ACTION, Stage.CONFRONTATION,
               Stage.PETITION]


class StreetOffice(CellAgent):
    """Learns of collective disputes (a grid worker's report, the hotline's command
    centre, a committee's relay, a petition) and acts on one once its escalation has
    reached the intervention stage, after a delay of one Poisson draw per bureaucratic
    layer.

    The threshold is the state logic of essay 6 — 不闹不解决，小闹小解决，大闹大解决: under a
    reactive regime it is the petition; under grid governance a voiced dispute suffices.
    Acting means an order to the developer (责令) and backing an owners' assembly where
    that institution exists. Where grid joint meetings exist, they are held regularly
    (定期召开, essay 6) and take up every open collective dispute the office knows.
    """

    def __init__(self, model, cell=None) -> None:
        super().__init__(model)
        self.threshold = self.threshold_under(model)
        self.known: dict[int, int] = {}  # dispute id -> day the state learnt of it
        self.pending_petitions: set[int] = set()  # disputes whose petition awaits an answer
        self.due: dict[int, int] = {}  # dispute id -> day the intervention takes effect
        self.acted: dict[int, int] = {}  # dispute id -> day of the order
        self.joint_meetings_held: set[int] = set()
        if cell is not None:
            self.cell = cell

    @staticmethod
    def threshold_under(model) -> Stage:
        """The stage at which the office acts: its regime's, one or more stages sooner
        where it is assessed on petitions (a petition counts against it; our extension),
        never before a dispute is voiced."""
        p = model.params
        stage = _STAGE_BY_NAME[p.intervention_stage]
        if model.institutions.assessment:
            order = _FUSS_ORDER
            stage = order[max(0, order.index(stage) - p.assessment_threshold_shift)]
        return stage

    # ---- what the state knows -------------------------------------------------------------
    def knows(self, dispute) -> bool:
        return dispute.id in self.known

    def learn(self, dispute) -> None:
        self.known.setdefault(dispute.id, self.model.today)

    def petition_pending_for(self, dispute) -> None:
        """A crowd's petition awaits an answer (they will not petition again meanwhile)."""
        self.pending_petitions.add(dispute.id)

    def petition_pending(self, dispute) -> bool:
        return dispute.id in self.pending_petitions

    def petition_answered(self, case) -> None:
        """A department has dealt with a crowd's petition and referred it down: the office
        now knows of the dispute, and acts by its own rule."""
        self.pending_petitions.discard(case.dispute.id)
        self.learn(case.dispute)

    def directed(self, dispute) -> None:
        """The district, its leader having taken the crowd's petition up, directs the office
        to act: it does, after one layer's delay, whatever its own threshold (the big
        answer to a big fuss)."""
        m = self.model
        self.learn(dispute)
        if not m.institutions.street_intervention or dispute.id in self.acted:
            self.pending_petitions.discard(dispute.id)
            return
        delay = int(m.rng.poisson(m.params.layer_delay_days))
        self.due[dispute.id] = min(self.due.get(dispute.id, m.today + delay), m.today + delay)

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
            # what the grid recorded reaches the office through the platform, not the layers
            layers = (0 if m.institutions.information_platform and d.detected is not None
                      else p.hierarchy_layers)
            delay = int(m.rng.poisson(layers * p.layer_delay_days))
            self.due[d.id] = m.today + delay
        for d in m.book.open_collective:
            if d.is_open and self.due.get(d.id) == m.today and d.id not in self.acted:
                self.intervene(d)

    def intervene(self, dispute) -> None:
        m = self.model
        p = m.params
        self.acted[dispute.id] = m.today
        self.pending_petitions.discard(dispute.id)  # the petition has its answer
        m.counts.add_staff_days(dispute, p.intervention_staff_days)
        m.book.record(dispute, EventKind.STATE_ORDER, actor="street_office")
        if m.institutions.assembly_support:
            self.back_assembly(dispute)

    def back_assembly(self, dispute) -> None:
        """Guide the owners to their first assembly (or take over one they started)."""
        m = self.model
        estate = m.estate_of(dispute)
        if estate in m.owners_committees:
            return
        assembly = m.assemblies.get(estate)
        if assembly is not None and assembly.backed:
            return
        if assembly is None:
            m.assemblies[estate] = OwnersAssembly(m, estate, backed=True)
        else:
            assembly.back()
        m.book.record(dispute, EventKind.ASSEMBLY_BACKED, actor="street_office")

    def convene_joint_meetings(self) -> None:
        """On the day of the regular joint meeting, every open collective dispute the office
        knows is put on its agenda."""
        m = self.model
        p = m.params
        interval = p.joint_meeting_interval_days
        if not m.institutions.joint_meeting or m.today % interval != interval // 2:
            return
        for d in m.book.open_collective:
            if d.is_open and self.knows(d):
                m.channels.raise_case(d, "joint_meeting", self.joint_meeting_held,
                                      at=float(m.today))

    def joint_meeting_held(self, case) -> None:
        """Street, committees, owners' committee, firms and the property firm met on the
        dispute (essay 6). A meeting convened by officials cannot bind the owners; it
        hears them and, where the street backs self-government, gets the owners' assembly
        under way or called."""
        d = case.dispute
        m = self.model
        self.joint_meetings_held.add(d.id)
        m.counts.add_staff_days(d, m.params.joint_meeting_staff_days)
        if not d.is_open:
            return
        d.path.append("joint_meeting")
        m.book.record(d, EventKind.JOINT_MEETING, actor="street_office")
        if m.institutions.assembly_support:
            self.back_assembly(d)
            assembly = m.assemblies.get(m.estate_of(d))
            if assembly is not None:
                assembly.prepared()
