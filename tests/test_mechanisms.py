"""Each mechanism on its own, through the public API, against its textbook theory:
Granovetter's threshold cascade, a queueing channel against Erlang C and
Pollaczek–Khinchine, the parking game's equilibria and the developer's learning rule."""

import math

import numpy as np
import pytest

from govsim.channels import Channel, erlang_c_wait, exponential, fixed, lognormal
from govsim.collective import ThresholdMode, complete_graph, threshold_cascade
from govsim.game import BestResponseWithInertia, DeveloperStrategy, OwnerStrategy, ParkingGame

D, O = DeveloperStrategy, OwnerStrategy


# ---- collective action (Granovetter 1978) -----------------------------------------------
def test_thresholds_0_to_99_cascade_to_the_whole_crowd():
    joined = threshold_cascade(complete_graph(100), np.arange(100), mode=ThresholdMode.COUNT)
    assert joined.sum() == 100


def test_raising_the_threshold_of_the_one_person_at_1_to_2_stops_the_cascade_at_one():
    thresholds = np.arange(100)
    thresholds[1] = 2
    joined = threshold_cascade(complete_graph(100), thresholds, mode=ThresholdMode.COUNT)
    assert joined.sum() == 1 and joined[0]


def test_the_cascade_stops_at_a_fixed_point_on_any_network():
    rng = np.random.default_rng(4)
    adj = (rng.random((200, 200)) < 0.05).astype(float)
    adj = np.triu(adj, 1)
    adj = adj + adj.T
    thresholds = rng.uniform(0, 0.8, 200)
    thresholds[:5] = 0.0  # instigators
    joined = threshold_cascade(adj, thresholds, mode="fraction")
    deg = adj.sum(axis=1)
    share = np.divide(adj @ joined, deg, out=np.zeros(200), where=deg > 0)
    assert not np.any(~joined & (share >= thresholds))  # nobody left out would join
    assert joined[:5].all() and joined.sum() > 5


# ---- one channel, any arrival stream, any handling law -----------------------------------
def _drive(channel: Channel, arrivals: np.ndarray) -> np.ndarray:
    """Feed arrivals day by day, as the model does; return waiting times in arrival order."""
    done = []
    horizon = int(arrivals[-1]) + 1
    i = 0
    for day in range(horizon + 10_000):
        while i < len(arrivals) and arrivals[i] < day + 1:
            channel.submit(i, arrivals[i])
            i += 1
        done += channel.advance(day + 1)
        if i == len(arrivals) and len(done) == len(arrivals):
            break
    done.sort(key=lambda c: c.case)
    return np.array([c.waiting for c in done])


def _batch_mean(waits: np.ndarray, batches: int = 25, warmup: int = 2_000):
    """Mean and standard error by batch means (waits are autocorrelated)."""
    b = np.array_split(waits[warmup:], batches)
    means = np.array([x.mean() for x in b])
    return means.mean(), means.std(ddof=1) / math.sqrt(batches)


@pytest.mark.parametrize("lam,mu,c", [(2.0, 1.0, 3), (0.7, 1.0, 1)])
def test_poisson_arrivals_with_exponential_service_match_erlang_c(lam, mu, c):
    rng = np.random.default_rng(11)
    arrivals = np.cumsum(rng.exponential(1 / lam, 60_000))
    waits = _drive(Channel("m/m/c", c, exponential(1 / mu), rng), arrivals)
    mean, se = _batch_mean(waits)
    theory = erlang_c_wait(lam, mu, c)
    assert abs(mean - theory) < 4 * se, (mean, se, theory)
    # the tolerance is tight enough to tell a wrong server count apart
    assert abs(erlang_c_wait(lam, mu, c + 1) - theory) > 4 * se


def test_poisson_arrivals_with_fixed_service_match_pollaczek_khinchine():
    lam, d = 0.8, 1.0  # M/D/1: Wq = λ d² / (2 (1 − λ d))
    rng = np.random.default_rng(5)
    arrivals = np.cumsum(rng.exponential(1 / lam, 60_000))
    mean, se = _batch_mean(_drive(Channel("m/d/1", 1, fixed(d), rng), arrivals))
    theory = lam * d * d / (2 * (1 - lam * d))
    assert abs(mean - theory) < 4 * se, (mean, se, theory)
    assert theory < erlang_c_wait(lam, 1 / d, 1)  # half the M/M/1 wait


def test_poisson_arrivals_with_lognormal_service_match_pollaczek_khinchine():
    lam, m, cv = 0.5, 1.0, 0.8  # M/G/1: Wq = λ E[S²] / (2 (1 − ρ))
    rng = np.random.default_rng(8)
    arrivals = np.cumsum(rng.exponential(1 / lam, 60_000))
    mean, se = _batch_mean(_drive(Channel("m/g/1", 1, lognormal(m, cv), rng), arrivals))
    theory = lam * m * m * (1 + cv * cv) / (2 * (1 - lam * m))
    assert abs(mean - theory) < 4 * se, (mean, se, theory)


def test_deterministic_arrivals_never_wait_when_capacity_suffices():
    arrivals = np.arange(500) * 1.0 + 0.25
    waits = _drive(Channel("d/d/1", 1, fixed(0.9), np.random.default_rng(0)), arrivals)
    assert np.all(waits == 0)


def test_deterministic_overload_builds_a_queue_that_grows_linearly():
    arrivals = np.arange(200) * 1.0
    waits = _drive(Channel("d/d/1", 1, fixed(1.1), np.random.default_rng(0)), arrivals)
    assert np.allclose(waits, 0.1 * np.arange(200))


# ---- the parking game (essay 6, completed as in MODEL.md §2) -----------------------------
def test_default_game_has_sell_only_resist_as_unique_pure_equilibrium_and_dominant():
    g = ParkingGame()
    assert g.pure_nash_equilibria() == [(D.SELL_ONLY, O.RESIST)]
    assert g.dominant_strategy("developer") is D.SELL_ONLY
    assert g.dominant_strategy("owners") is O.RESIST


@pytest.mark.parametrize("q,fine", [(0.8, 5.0), (0.5, 1.0), (0.2, 4.0), (1.0, 1.5), (0.1, 30)])
def test_a_sanction_flips_the_developer_exactly_when_qF_exceeds_d_minus_b(q, fine):
    g = ParkingGame()
    d_minus_b = g.sell_resist[0] - g.rent_resist[0]
    flips = g.developer_best_response(O.RESIST, expected_sanction=q * fine) is D.RENT
    assert flips == (q * fine > d_minus_b) == ParkingGame.sanction_flips_developer(q, fine, g)


def test_after_the_order_owners_still_resist_rent_without_a_binding_agreement():
    g = ParkingGame()
    assert g.owners_best_response(D.RENT, expected_sanction=4.0) is O.RESIST
    # the order moves the equilibrium to (rent, resist): the developer yields, owners still
    # resist, so the dispute is not settled by the order alone
    assert g.pure_nash_equilibria(expected_sanction=4.0) == [(D.RENT, O.RESIST)]


def test_binding_agreement_with_penalty_makes_dual_track_the_accepted_choice():
    g = ParkingGame()
    terms = {"expected_sanction": 4.0, "agreement_penalty": 3.0}
    assert g.anticipating_choice(binding=True, **terms) == (D.DUAL_TRACK, O.ACCEPT)
    # a penalty too small to outweigh resisting leaves the owners resisting rent
    assert g.owners_best_response(D.RENT, binding=True, expected_sanction=4.0,
                                  agreement_penalty=0.5) is O.RESIST


# ---- the developer's learning rule ----------------------------------------------------------
def test_once_the_collusion_ends_selling_only_is_no_longer_a_strategy():
    g = ParkingGame()
    assert D.SELL_ONLY not in g.strategies(binding=True, enforceable=False)
    # with the owners' own firm at the gate and a committee that binds them, the
    # developer's best move is dual-track, and the owners accept it
    assert g.anticipating_choice(binding=True, enforceable=False,
                                 agreement_penalty=3.0) == (D.DUAL_TRACK, O.ACCEPT)
    # without a binding counterpart it can only rent, and owners keep resisting
    assert g.anticipating_choice(binding=False, enforceable=False) == (D.RENT, O.RESIST)


def test_best_response_with_inertia_converges_to_the_best_response_and_stays():
    g = ParkingGame()
    rng = np.random.default_rng(3)
    learner = BestResponseWithInertia(0.8, D.SELL_ONLY)
    terms = {"binding": True, "expected_sanction": 4.0, "agreement_penalty": 3.0}
    target = g.anticipating_choice(**terms)[0]
    reviews = 0
    while learner.strategy is not target:
        learner.review(g, rng, **terms)
        reviews += 1
        assert reviews < 200
    assert reviews > 1  # inertia delayed it (probability 0.8 of keeping each review)
    for _ in range(50):
        assert learner.review(g, rng, **terms) is target


def test_without_inertia_the_developer_moves_in_one_review_and_with_full_inertia_never():
    g = ParkingGame()
    rng = np.random.default_rng(0)
    quick = BestResponseWithInertia(0.0, D.SELL_ONLY)
    assert quick.review(g, rng, expected_sanction=4.0) is D.RENT
    stuck = BestResponseWithInertia(1.0, D.SELL_ONLY)
    assert all(stuck.review(g, rng, expected_sanction=4.0) is D.SELL_ONLY for _ in range(100))


# ---- the channel as the model drives it ----------------------------------------------------
def _drive_like_the_model(channel: Channel, lam: float, days: int, rng) -> np.ndarray:
    """Each day: a Poisson number of cases, each arriving at its own uniform time inside
    the day, submitted in the order they were drawn (the model's dispute-list order, not
    sorted by time); then the channel serves to the end of the day. Returns the waiting
    times of the cases in the order they arrived."""
    done = []
    for day in range(days):
        for at in day + rng.random(rng.poisson(lam)):
            channel.submit(float(at), float(at))  # the case is its own arrival time
        done += channel.advance(day + 1)
    done.sort(key=lambda c: c.arrival)
    return np.array([c.waiting for c in done])


@pytest.mark.parametrize("lam,mu,c", [(2.0, 1.0, 3), (4.5, 1.0, 5), (0.8, 1.0, 1)])
def test_cases_submitted_as_the_model_submits_them_wait_as_erlang_c_says(lam, mu, c):
    rng = np.random.default_rng(21)
    channel = Channel("m/m/c", c, exponential(1 / mu), rng)
    waits = _drive_like_the_model(channel, lam, 40_000, np.random.default_rng(22))
    mean, se = _batch_mean(waits)
    theory = erlang_c_wait(lam, mu, c)
    assert abs(mean - theory) < 4 * se, (mean, se, theory)


def test_a_case_never_starts_after_one_that_arrived_later():
    """FIFO by arrival: however a day's cases are submitted, service starts in the order
    of arrival, so no server idles while an earlier arrival waits."""
    rng = np.random.default_rng(3)
    channel = Channel("mediation", 2, exponential(0.8), rng)
    done = []
    for day in range(300):
        times = day + rng.random(rng.poisson(2.5))
        for at in times[::-1]:  # submitted latest first
            channel.submit(float(at), float(at))
        done += channel.advance(day + 1)
    by_arrival = sorted(done, key=lambda c: c.arrival)
    starts = [c.start for c in by_arrival]
    assert starts == sorted(starts)
    # and a case that finds a free server starts at once
    assert any(c.waiting == 0 for c in done) and all(c.start >= c.arrival for c in done)
