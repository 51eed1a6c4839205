"""The developer: owner of the underground spaces, player of the parking game."""

from __future__ import annotations

from mesa.discrete_space import CellAgent

from govsim.events import EventKind
from govsim.game import BestResponseWithInertia, DeveloperStrategy, OwnerStrategy, ParkingGame


class Developer(CellAgent):
    """Reviews its parking strategy each day with :class:`BestResponseWithInertia` under
    the terms in force for the dispute (a street order, a counterpart that can bind the
    owners), and decides whether to hire toughs when owners confront its property firm.
    The terms come from the episode it plays in."""

    def __init__(self, model, game: ParkingGame, inertia: float, guard_escalation: float,
                 cell=None) -> None:
        super().__init__(model)
        self.game = game
        self.learner = BestResponseWithInertia(inertia, DeveloperStrategy.RENT)
        self.guard_escalation = guard_escalation
        self.guards_hired = False
        if cell is not None:
            self.cell = cell

    @property
    def strategy(self) -> DeveloperStrategy:
        return self.learner.strategy

    @property
    def sells_only(self) -> bool:
        return self.strategy is DeveloperStrategy.SELL_ONLY

    def announce_sell_only(self) -> None:
        """From today, spaces are sold only (essay 6: the notice for Sep 1)."""
        self.learner.strategy = DeveloperStrategy.SELL_ONLY

    def review(self, dispute, terms: dict) -> DeveloperStrategy:
        before = self.strategy
        after = self.learner.review(self.game, self.model.rng, **terms)
        if after is not before:
            self.model.book.record(dispute, EventKind.STRATEGY_SWITCH, actor="developer",
                                   detail=after.value)
        return after

    def preferred(self, terms: dict) -> DeveloperStrategy:
        """The strategy it would move to now, foreseeing the owners' reply."""
        return self.game.anticipating_choice(**terms)[0]

    def owners_response(self, terms: dict) -> OwnerStrategy:
        return self.game.owners_best_response(self.strategy, **terms)

    def answer_confrontation(self, dispute) -> None:
        """Facing a crowd at the gate, it may hire local toughs as guards (essay 6, Sep 4);
        once hired, they stay."""
        if not self.guards_hired and self.model.rng.random() < self.guard_escalation:
            self.guards_hired = True
            self.model.book.record(dispute, EventKind.GUARDS_HIRED, actor="developer")
