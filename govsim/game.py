"""The parking game (essay 6) and the developer's learning rule.

The essay gives the developer {rent, sell-only} against owners {accept, resist} with rent
(1, 1) and sell-accepted (9, −9), and claims mutual non-cooperation is the dominant-strategy
equilibrium. The completion in MODEL.md that keeps that claim is a prisoner's dilemma:
(rent, resist) = (−2, 2) and (sell, resist) = (−1, −1). All cells are parameters.

Institutions change the game:

* the street office's **order** (责令, essay 6) to let cars park: defying it is sanctioned
  (F) with probability q — our extension, standing for the order's authority; the
  source reports the order, not its enforcement. It costs a selling developer qF and
  flips it to renting exactly when qF > d − b (d: sell-resist, b: rent-resist payoff);
* a **binding counterpart**: only an owners' assembly and the committee it elects can
  commit the owners (property law; a meeting convened by officials cannot). It costs an
  owner who still resists an agreed deal a penalty, and makes the dual-track compromise
  (租售并行) available;
* the **end of the collusion** (共谋): once the owners' committee has hired its own
  property firm, nobody bars the owners' cars, and selling only is no longer a strategy
  the developer can enforce.

Only with both sides' payoffs changed does the game leave mutual non-cooperation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np


class DeveloperStrategy(str, Enum):
    RENT = "rent"
    SELL_ONLY = "sell_only"
    DUAL_TRACK = "dual_track"  # 租售并行: rent and sell side by side


class OwnerStrategy(str, Enum):
    ACCEPT = "accept"
    RESIST = "resist"


Payoff = tuple[float, float]  # (developer, owners)


@dataclass(frozen=True)
class ParkingGame:
    """Payoff matrix of the parking game, with the institutional terms that change it."""

    rent_accept: Payoff = (1.0, 1.0)
    rent_resist: Payoff = (-2.0, 2.0)
    sell_accept: Payoff = (9.0, -9.0)
    sell_resist: Payoff = (-1.0, -1.0)
    dual_accept: Payoff = (3.0, 0.0)
    dual_resist: Payoff = (-1.0, -1.0)

    def payoff(self, dev: DeveloperStrategy, owners: OwnerStrategy, *,
               expected_sanction: float = 0.0, binding: bool = False,
               agreement_penalty: float = 0.0, enforceable: bool = True) -> Payoff:
        """Payoffs after institutions: the expected sanction for selling only against an
        order, a penalty on breaking a deal."""
        table = {
            (DeveloperStrategy.RENT, OwnerStrategy.ACCEPT): self.rent_accept,
            (DeveloperStrategy.RENT, OwnerStrategy.RESIST): self.rent_resist,
            (DeveloperStrategy.SELL_ONLY, OwnerStrategy.ACCEPT): self.sell_accept,
            (DeveloperStrategy.SELL_ONLY, OwnerStrategy.RESIST): self.sell_resist,
            (DeveloperStrategy.DUAL_TRACK, OwnerStrategy.ACCEPT): self.dual_accept,
            (DeveloperStrategy.DUAL_TRACK, OwnerStrategy.RESIST): self.dual_resist,
        }
        dev_pay, own_pay = table[(dev, owners)]
        if dev is DeveloperStrategy.SELL_ONLY:
            dev_pay -= expected_sanction
        if binding and owners is OwnerStrategy.RESIST and dev is not DeveloperStrategy.SELL_ONLY:
            # Resisting a deal the owners' own representatives agreed to is costly; nobody
            # is bound to accept sell-only.
            own_pay -= agreement_penalty
        return dev_pay, own_pay

    def strategies(self, binding: bool, enforceable: bool = True) -> list[DeveloperStrategy]:
        """Dual-track needs a counterpart that can commit the owners; selling only needs a
        property firm that bars the cars of owners who did not buy. Sell-only comes first
        so that a tie keeps the developer where the dispute started: a sanction flips it
        only when it makes renting strictly better."""
        base = ([DeveloperStrategy.SELL_ONLY] if enforceable else []) + [DeveloperStrategy.RENT]
        return base + [DeveloperStrategy.DUAL_TRACK] if binding else base

    def owners_best_response(self, dev: DeveloperStrategy, **terms) -> OwnerStrategy:
        accept = self.payoff(dev, OwnerStrategy.ACCEPT, **terms)[1]
        resist = self.payoff(dev, OwnerStrategy.RESIST, **terms)[1]
        return OwnerStrategy.ACCEPT if accept > resist else OwnerStrategy.RESIST

    def developer_best_response(self, owners: OwnerStrategy, binding: bool = False,
                                enforceable: bool = True, **terms) -> DeveloperStrategy:
        options = self.strategies(binding, enforceable)
        pays = [self.payoff(d, owners, binding=binding, **terms)[0] for d in options]
        return options[int(np.argmax(pays))]

    def dominant_strategy(self, player: str, binding: bool = False, **terms):
        """The strategy best against every strategy of the other player, or None."""
        if player == "developer":
            answers = {self.developer_best_response(o, binding, **terms) for o in OwnerStrategy}
        else:
            answers = {self.owners_best_response(d, binding=binding, **terms)
                       for d in self.strategies(binding)}
        return answers.pop() if len(answers) == 1 else None

    def pure_nash_equilibria(self, binding: bool = False, **terms) -> list[tuple]:
        """All cells where neither side gains by deviating alone."""
        found = []
        for d in self.strategies(binding):
            for o in OwnerStrategy:
                if (self.developer_best_response(o, binding, **terms) is d
                        and self.owners_best_response(d, binding=binding, **terms) is o):
                    found.append((d, o))
        return found

    def anticipating_choice(self, binding: bool = False, enforceable: bool = True,
                            **terms) -> tuple:
        """Developer's move when it foresees the owners' best response (a Stackelberg leader)."""
        best = None
        for d in self.strategies(binding, enforceable):
            o = self.owners_best_response(d, binding=binding, **terms)
            pay = self.payoff(d, o, binding=binding, **terms)[0]
            if best is None or pay > best[2]:
                best = (d, o, pay)
        return best[0], best[1]

    @staticmethod
    def sanction_flips_developer(q: float, sanction: float, game: "ParkingGame") -> bool:
        """A sanction F enforced with probability q flips the developer iff qF > d − b
        (MODEL.md §2)."""
        return q * sanction > game.sell_resist[0] - game.rent_resist[0]


@dataclass
class BestResponseWithInertia:
    """The developer's learning rule: at each review it keeps its strategy with probability
    ``inertia``, otherwise moves to the strategy that is best given the owners' foreseeable
    response under the institutions in force. Inertia stands for contracts already signed
    and the time a firm takes to change course."""

    inertia: float
    strategy: DeveloperStrategy = DeveloperStrategy.SELL_ONLY

    def review(self, game: ParkingGame, rng: np.random.Generator, binding: bool = False,
               **terms) -> DeveloperStrategy:
        target, _ = game.anticipating_choice(binding=binding, **terms)
        if target is not self.strategy and rng.random() >= self.inertia:
            self.strategy = target
        return self.strategy
