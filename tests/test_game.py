"""The parking game of essay 6, completed as in MODEL.md."""

import itertools

import numpy as np
import pytest

from govsim.game import (BestResponseWithInertia, DeveloperStrategy as D, OwnerStrategy as O,
                         ParkingGame)

GAME = ParkingGame()


def test_default_matrix_sell_only_and_resist_are_dominant_and_the_only_equilibrium():
    assert GAME.dominant_strategy("developer") is D.SELL_ONLY
    assert GAME.dominant_strategy("owners") is O.RESIST
    assert GAME.pure_nash_equilibria() == [(D.SELL_ONLY, O.RESIST)]


def test_mutual_cooperation_pays_both_more_than_the_equilibrium():
    """It is a prisoner's dilemma: (rent, accept) beats (sell, resist) for both sides."""
    coop, nash = GAME.payoff(D.RENT, O.ACCEPT), GAME.payoff(D.SELL_ONLY, O.RESIST)
    assert coop[0] > nash[0] and coop[1] > nash[1]


@pytest.mark.parametrize("q,fine", list(itertools.product([0.1, 0.25, 0.5, 0.8, 1.0],
                                                          [0.5, 1.0, 1.5, 2.0, 4.0, 10.0])))
def test_a_sanction_flips_the_developer_exactly_when_qF_exceeds_d_minus_b(q, fine):
    d, b = GAME.sell_resist[0], GAME.rent_resist[0]
    flips = GAME.developer_best_response(O.RESIST, expected_sanction=q * fine) is D.RENT
    assert flips == (q * fine > d - b)
    assert flips == ParkingGame.sanction_flips_developer(q, fine, GAME)


def test_an_order_alone_does_not_make_owners_accept():
    assert GAME.owners_best_response(D.RENT, expected_sanction=10.0) is O.RESIST


def test_a_binding_agreement_makes_dual_track_the_settlement():
    terms = {"binding": True, "agreement_penalty": 3.0}
    assert GAME.anticipating_choice(**terms) == (D.DUAL_TRACK, O.ACCEPT)
    assert GAME.owners_best_response(D.SELL_ONLY, **terms) is O.RESIST


def test_dual_track_is_unavailable_without_a_counterpart_that_can_commit_the_owners():
    assert D.DUAL_TRACK not in GAME.strategies(binding=False)


def test_learning_with_inertia_reaches_the_best_response_and_stays():
    rng = np.random.default_rng(0)
    learner = BestResponseWithInertia(inertia=0.7, strategy=D.SELL_ONLY)
    path = [learner.review(GAME, rng, binding=True, agreement_penalty=3.0) for _ in range(60)]
    assert path[-1] is D.DUAL_TRACK
    first = path.index(D.DUAL_TRACK)
    assert all(s is D.DUAL_TRACK for s in path[first:])
    assert first > 0  # with this seed inertia held it back for a while


def test_without_inertia_the_developer_moves_at_its_first_review():
    learner = BestResponseWithInertia(inertia=0.0, strategy=D.SELL_ONLY)
    learner.review(GAME, np.random.default_rng(1), expected_sanction=4.0)
    assert learner.strategy is D.RENT
