"""The street office (街道办): the lowest level of government, and how it decides to act."""

from __future__ import annotations

import math

from mesa.discrete_space import CellAgent

from govsim.disputes import Stage

_STAGE_BY_NAME = {s.name.lower(): s for s in Stage}


class StreetOffice(CellAgent):
    """Acts on a collective dispute once it knows of it and its escalation has reached the
    intervention stage, after a delay of one Poisson draw per bureaucratic layer.

    The threshold is the state logic of essay 6 — 不闹不解决，小闹小解决，大闹大解决: under a
    reactive regime it is the petition; under grid governance a voiced dispute suffices.
    Acting means an order to the developer (a fine if it defies it), backing an owners'
    assembly, and convening a joint meeting where those institutions exist.
    """

    def __init__(self, model, cell=None) -> None:
        super().__init__(model)
        self.threshold = _STAGE_BY_NAME[model.params["intervention_stage"]]
        self.due: dict[int, int] = {}  # dispute id -> day the intervention takes effect
        self.acted: dict[int, int] = {}
        self.assemblies_due: dict[int, int] = {}  # estate -> day of the owners' assembly
        if cell is not None:
            self.cell = cell

    def step(self) -> None:
        m = self.model
        p = m.params
        if not m.institutions.street_intervention:
            return
        for d in m.open_collective():
            if d.id in self.due or d.id not in m.known_to_state or d.peak < self.threshold:
                continue
            delay = int(m.rng.poisson(p["hierarchy_layers"] * p["layer_delay_days"]))
            self.due[d.id] = m.today + delay
        for d in m.open_collective():
            if self.due.get(d.id) == m.today and d.id not in self.acted:
                self.intervene(d)

    def intervene(self, dispute) -> None:
        m = self.model
        p = m.params
        self.acted[dispute.id] = m.today
        m.orders.add(dispute.id)
        m.add_staff_days(dispute, p["intervention_staff_days"])
        m.note(dispute, "street office orders the developer to let cars park")
        estate = m.estate_of(dispute)
        if (m.institutions.assembly_support and estate not in m.owners_committees
                and estate not in self.assemblies_due):
            prep = m.rng.normal(p["assembly_preparation_days"], p["assembly_preparation_sd"])
            self.assemblies_due[estate] = m.today + max(1, int(math.ceil(prep)))
            m.note(dispute, "street office backs an owners' assembly")
        if m.institutions.joint_meeting:
            m.submit(dispute, "joint_meeting", at=m.today + p["joint_meeting_delay_days"])

    def hold_due_assemblies(self) -> None:
        m = self.model
        for estate, day in list(self.assemblies_due.items()):
            if day == m.today:
                del self.assemblies_due[estate]
                m.hold_owners_assembly(estate, state_backed=True)
                m.staff_days_standing += m.params["assembly_staff_days"]
