"""Channels are multi-server FIFO queues that never exceed their capacity."""

import numpy as np

from govsim.channels import Channel, exponential, fixed


def test_capacity_is_never_exceeded_and_every_case_is_served():
    rng = np.random.default_rng(0)
    ch = Channel("mediation", servers=3, handling=exponential(2.0), rng=rng)
    arrivals = np.cumsum(rng.exponential(0.5, size=400))
    done = []
    for t in range(int(arrivals[-1]) + 200):
        for a in arrivals[(arrivals >= t) & (arrivals < t + 1)]:
            ch.submit(object(), a)
        done += ch.advance(t + 1)
        assert ch.in_service <= 3
    assert ch.max_in_service == 3
    assert len(done) == 400
    # at no instant were more than three cases in service
    events = sorted([(c.start, 1) for c in done] + [(c.finish, -1) for c in done],
                    key=lambda e: (e[0], e[1]))
    assert max(np.cumsum([e[1] for e in events])) <= 3


def test_cases_start_in_the_order_they_arrived():
    ch = Channel("court", servers=2, handling=fixed(3.0), rng=np.random.default_rng(0))
    cases = [f"case{i}" for i in range(10)]
    for i, c in enumerate(cases):
        ch.submit(c, 0.1 * i)
    done = []
    for t in range(40):
        done += ch.advance(t + 1)
    starts = sorted(done, key=lambda c: c.start)
    assert [c.case for c in starts] == cases
    assert all(c.waiting >= 0 for c in done)


def test_unlimited_channel_starts_every_case_on_arrival():
    ch = Channel("negotiation", servers=None, handling=fixed(1.0), rng=np.random.default_rng(0))
    for i in range(50):
        ch.submit(i, 0.5)
    done = ch.advance(2.0)
    assert len(done) == 50 and all(c.waiting == 0 for c in done)


def test_a_withdrawn_case_leaves_the_queue_and_is_never_served():
    ch = Channel("mediation", servers=1, handling=fixed(5.0), rng=np.random.default_rng(0))
    ch.submit("a", 0.0)
    ch.submit("b", 0.0)
    ch.advance(1.0)
    assert ch.is_waiting("b")
    assert ch.withdraw("b")
    assert not ch.is_waiting("b")
    done = ch.advance(20.0)
    assert [c.case for c in done] == ["a"]


def test_service_times_drawn_in_blocks_are_the_draws_one_per_case():
    """A law draws a block of service times at a time; each stream must still give the
    numbers one scalar draw per case would, whichever channels of a stream ask in turn
    and however streams alternate on one law."""
    from govsim.channels import lognormal

    sigma2 = np.log(1.0 + 0.8 ** 2)  # lognormal(3.0, 0.8): mean 3, coefficient of variation 0.8
    mu, sigma = np.log(3.0) - sigma2 / 2, np.sqrt(sigma2)
    for law, scalar in ((exponential(2.0), lambda r: float(r.exponential(2.0))),
                        (lognormal(3.0, 0.8), lambda r: float(r.lognormal(mu, sigma)))):
        a, b = np.random.default_rng(1), np.random.default_rng(2)
        drawn = [law(a if i % 3 else b) for i in range(3000)]
        a2, b2 = np.random.default_rng(1), np.random.default_rng(2)
        expected = [scalar(a2 if i % 3 else b2) for i in range(3000)]
        assert drawn == expected
