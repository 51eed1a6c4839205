"""Social organisations (社会组织): they run the mediation rooms of their estates."""

from __future__ import annotations

from mesa.discrete_space import CellAgent


class SocialOrganisation(CellAgent):
    """A social organisation working in one estate. The estate's social organisations run
    one mediation room together — the servers of its social-mediation channel — which opens
    where the institution is funded (``social_mediation``); the first of them hosts it."""

    def __init__(self, model, estate: int, households: int, cell=None) -> None:
        super().__init__(model)
        self.estate = estate
        self.funded = model.institutions.social_mediation
        room = model.channels.room("social_mediation", estate)
        self.hosts_room = room is None
        self.channel = room if room is not None else model.channels.build(
            "social_mediation", households, server=self, estate=estate)
        self.cases_heard = 0
        if cell is not None:
            self.cell = cell

    def heard(self, dispute) -> None:
        self.cases_heard += 1
