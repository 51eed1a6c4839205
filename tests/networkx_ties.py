"""The social ties inside buildings as govsim drew them before they were vectorised: one
``networkx.watts_strogatz_graph`` per building. A reference for the tests only, swapped in
through the private switch ``govsim.community._building_ties``:

    with networkx_ties():
        model = GovernanceModel(...)   # built with networkx's generator

It consumes the community's random stream exactly as the old code did (one integer seed
per building), so runs built with it repeat the event logs pinned before the change.
"""

from __future__ import annotations

import contextlib

import networkx as nx
import numpy as np

from govsim import community


def networkx_building_ties(starts: np.ndarray, sizes: np.ndarray, k: int, rewiring: float,
                           rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) of the ties inside each building, one networkx graph per building."""
    rows: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    cols: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for lo, m in zip(starts.tolist(), sizes.tolist()):
        if m < 2 or k == 0:
            continue
        kk = min(k, m - 1)
        if kk < 2:
            g = nx.path_graph(m)
        else:
            g = nx.watts_strogatz_graph(m, kk, rewiring, seed=int(rng.integers(2**31)))
        e = np.asarray(g.edges(), dtype=np.int64).reshape(-1, 2)
        rows.append(e[:, 0] + lo)
        cols.append(e[:, 1] + lo)
    return np.concatenate(rows), np.concatenate(cols)


@contextlib.contextmanager
def networkx_ties():
    """Build communities with :func:`networkx_building_ties` inside the block (the
    community cache is emptied on the way in and out, since it does not know the builder)."""
    saved = community._building_ties
    community._building_ties = networkx_building_ties
    community._CACHE.clear()
    try:
        yield
    finally:
        community._building_ties = saved
        community._CACHE.clear()
