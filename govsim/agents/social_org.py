"""Social organisations (社会组织): mediators, volunteers and legal aid."""

from __future__ import annotations

from mesa.discrete_space import CellAgent


class SocialOrganisation(CellAgent):
    """Staffs the '1 + X' legal-service room: a mediator, a lawyer, volunteers.

    Its mediators are the servers of the social-mediation channel when that institution is
    funded; unfunded, it exists in the network but handles no cases.
    """

    def __init__(self, model, mediators: float, funded: bool, cell=None) -> None:
        super().__init__(model)
        self.mediators = mediators
        self.funded = funded
        if cell is not None:
            self.cell = cell
