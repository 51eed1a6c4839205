"""The developer and its property firm: they play the parking game."""

from __future__ import annotations

from mesa.discrete_space import CellAgent

from govsim.game import BestResponseWithInertia, DeveloperStrategy, OwnerStrategy, ParkingGame


class Developer(CellAgent):
    """Owns the underground spaces; its property firm runs the gate.

    Each day it reviews its parking strategy with :class:`BestResponseWithInertia` under
    the institutions in force for the dispute (a street order's expected fine, a binding
    counterpart on the owners' side). While it sells only, the property firm bars cars of
    owners without a bought space.
    """

    def __init__(self, model, game: ParkingGame, inertia: float, cell=None) -> None:
        super().__init__(model)
        self.game = game
        self.learner = BestResponseWithInertia(inertia, DeveloperStrategy.RENT)
        self.guards_hired = False
        if cell is not None:
            self.cell = cell

    @property
    def strategy(self) -> DeveloperStrategy:
        return self.learner.strategy

    @property
    def barring_cars(self) -> bool:
        return self.strategy is DeveloperStrategy.SELL_ONLY

    def announce_sell_only(self) -> None:
        """The scenario event: from today, spaces are sold only (essay 6, Sep 1)."""
        self.learner.strategy = DeveloperStrategy.SELL_ONLY

    def terms(self, dispute) -> dict:
        """The institutional terms the game is played under for this dispute."""
        m = self.model
        fine = m.params["fine"] * m.params["fine_enforcement"] if dispute.id in m.orders else 0.0
        return {"expected_fine": fine, "binding": m.binding(dispute),
                "agreement_penalty": m.params["agreement_penalty"]}

    def review(self, dispute) -> DeveloperStrategy:
        before = self.strategy
        after = self.learner.review(self.game, self.model.rng, **self.terms(dispute))
        if after is not before:
            self.model.note(dispute, f"developer switches to {after.value}")
        return after

    def preferred(self, dispute) -> DeveloperStrategy:
        """The strategy it would move to now, foreseeing the owners' reply."""
        return self.game.anticipating_choice(**self.terms(dispute))[0]

    def owners_response(self, dispute) -> OwnerStrategy:
        terms = self.terms(dispute)
        return self.game.owners_best_response(self.strategy, **terms)

    def hire_guards(self, dispute) -> None:
        self.guards_hired = True
        self.model.note(dispute, "developer hires guards")
