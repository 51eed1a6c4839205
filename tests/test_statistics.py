"""The statistics every report shares (govsim.statistics)."""

from __future__ import annotations

import warnings

import numpy as np

from govsim.statistics import kaplan_meier, kaplan_meier_band


def test_the_band_is_nan_where_every_dispute_left_is_resolved_and_nothing_is_warned():
    """Once the curve reaches 0 the pointwise band is undefined: its bounds are NaN there
    and defined before, and scipy's warning about it does not reach the user (the report
    prints to a terminal)."""
    times = np.array([1.0, 2.0, 2.0, 3.0, 4.0, 5.0])
    resolved = np.array([True, True, False, True, True, True])  # the last one resolves
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t, s, lo, hi = kaplan_meier_band(times, resolved)
    assert s[-1] == 0.0 and np.isnan(lo[-1]) and np.isnan(hi[-1])
    assert np.all(np.isfinite(lo[:-1])) and np.all(lo[:-1] <= s[:-1] + 1e-12)
    assert np.all(s[:-1] <= hi[:-1] + 1e-12)
    np.testing.assert_allclose(s, kaplan_meier(times, resolved).survival)
