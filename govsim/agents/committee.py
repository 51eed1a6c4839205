"""Neighbourhood committees (居委会) and owners' committees (业委会)."""

from __future__ import annotations

from mesa.discrete_space import CellAgent


class NeighbourhoodCommittee(CellAgent):
    """The residents' committee of one estate: mediates, and relays collective disputes up.

    Its mediation capacity is its staff time left after administrative tasks (行政化):
    ``admin_burden`` stretches every mediation by 1 / (1 − burden).
    """

    def __init__(self, model, estate: int, staff: float, admin_burden: float, cell=None) -> None:
        super().__init__(model)
        self.estate = estate
        self.staff = staff
        self.admin_burden = admin_burden
        self.relayed = 0
        if cell is not None:
            self.cell = cell

    def relay(self, dispute) -> None:
        """Pass a collective dispute up to the street office (it then knows of it)."""
        if dispute.id not in self.model.known_to_state:
            self.model.known_to_state[dispute.id] = self.model.today
            self.relayed += 1


class OwnersCommittee(CellAgent):
    """Elected by an owners' assembly; bargains for the owners and can bind them to a deal."""

    def __init__(self, model, estate: int, elected: int, state_backed: bool, cell=None) -> None:
        super().__init__(model)
        self.estate = estate
        self.elected = elected
        self.state_backed = state_backed
        self.mandate = True
        if cell is not None:
            self.cell = cell
