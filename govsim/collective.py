"""Collective action as a threshold cascade on a network (Granovetter 1978).

A person joins once enough of the people they watch have joined. ``thresholds`` are either
counts of joined neighbours (Granovetter's original crowd form) or fractions of one's
neighbours (the usual network form). The cascade runs synchronously to its fixed point:
joining is monotone, so the fixed point is reached in at most ``n`` rounds.
"""

from __future__ import annotations

from enum import Enum

import numpy as np
import scipy.sparse as sp


class ThresholdMode(str, Enum):
    COUNT = "count"  # join when at least k neighbours have joined
    FRACTION = "fraction"  # join when at least a share f of one's neighbours have joined


def threshold_cascade(adjacency: sp.spmatrix | np.ndarray, thresholds: np.ndarray,
                      eligible: np.ndarray | None = None,
                      initially_active: np.ndarray | None = None,
                      mode: ThresholdMode | str = ThresholdMode.FRACTION) -> np.ndarray:
    """Return who has joined once the cascade stops.

    ``eligible`` masks people who may join at all (for example those angry enough);
    ``initially_active`` are already in. A threshold of 0 means joining unprompted.
    """
    mode = ThresholdMode(mode)
    adjacency = sp.csr_matrix(adjacency, dtype=np.float64)
    n = adjacency.shape[0]
    thresholds = np.asarray(thresholds, dtype=np.float64)
    if thresholds.shape != (n,):
        raise ValueError(f"need one threshold per node ({n}), got shape {thresholds.shape}")
    eligible = np.ones(n, dtype=bool) if eligible is None else np.asarray(eligible, bool)
    active = np.zeros(n, dtype=bool) if initially_active is None else \
        np.asarray(initially_active, bool).copy()
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    for _ in range(n + 1):
        joined_neighbours = adjacency @ active.astype(np.float64)
        if mode is ThresholdMode.FRACTION:
            pressure = np.divide(joined_neighbours, degree, out=np.zeros(n), where=degree > 0)
        else:
            pressure = joined_neighbours
        newly = eligible & ~active & (pressure >= thresholds - 1e-12)
        if not newly.any():
            break
        active |= newly
    return active


def complete_graph(n: int) -> sp.csr_matrix:
    """Everyone watches everyone: Granovetter's crowd."""
    dense = np.ones((n, n)) - np.eye(n)
    return sp.csr_matrix(dense)
