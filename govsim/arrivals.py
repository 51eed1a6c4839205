"""Background disputes: the everyday disputes every community has, whatever its regime."""

from __future__ import annotations

from govsim.vocabulary import DisputeType

# The parking dispute comes from its episode, never from the background.
BACKGROUND_TYPES = tuple(t for t in DisputeType if t is not DisputeType.PARKING)


def draw_arrivals(model) -> None:
    """Today's new individual disputes: for each type, one Poisson draw for the whole
    population at its per-household rate, then the claimant households uniformly and a
    severity each — all from the arrival stream, so that every regime run with the same
    seed meets the same disputes (common random numbers)."""
    p = model.params
    rng = model.arrivals_rng
    n = model.community.n
    for dtype in BACKGROUND_TYPES:
        rate = p.arrival_rates[dtype.value]
        if rate <= 0:
            continue
        k = int(rng.poisson(rate * n))
        if not k:
            continue
        households = rng.integers(0, n, size=k)
        severity = rng.uniform(p.severity_min, p.severity_max, size=k)
        model.book.open_individual(dtype, households, dtype.respondent, severity)
