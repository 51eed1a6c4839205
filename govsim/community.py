"""The community: households, buildings, estates, nested grid cells and the social network.

Household state that every household has (building, grid cell, car, trust, thresholds,
satisfaction) is kept in numpy arrays, so population-wide draws are single vector
operations and a quiet household costs nothing per day. The household part of the network
does not depend on the regime; it is built once per (parameters, seed) from its own random
stream, which is what makes comparisons across regimes paired (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

from govsim.parameters import ORGANISATIONS

ORG_INDEX = {name: i for i, name in enumerate(ORGANISATIONS)}


@dataclass
class Community:
    """Households and their ties; per-household arrays indexed by household id 0..n-1."""

    n: int
    building: np.ndarray
    estate: np.ndarray
    grid_cell: np.ndarray
    second_level: np.ndarray
    first_level: np.ndarray
    renter: np.ndarray
    adjacency: sp.csr_matrix
    positions: np.ndarray
    trust: np.ndarray
    voice_threshold: np.ndarray
    participation_threshold: np.ndarray
    patience: np.ndarray
    satisfaction: np.ndarray
    satisfied_at: float
    _trust_sum: np.ndarray = field(init=False)
    _satisfied: int = field(init=False)

    def __post_init__(self) -> None:
        self._trust_sum = self.trust.sum(axis=0)
        self._satisfied = int(np.count_nonzero(self.satisfaction >= self.satisfied_at))

    # Running sums keep daily reporters O(1) instead of O(households).
    def adjust_trust(self, households: np.ndarray, org: str, delta: float) -> None:
        households = np.unique(np.asarray(households))
        col = ORG_INDEX[org]
        before = self.trust[households, col]
        after = np.clip(before + delta, 0.0, 1.0)
        self.trust[households, col] = after
        self._trust_sum[col] += float(after.sum() - before.sum())

    def adjust_satisfaction(self, households: np.ndarray, delta: np.ndarray | float,
                            towards_one: bool = False) -> None:
        households = np.unique(np.asarray(households))
        before = self.satisfaction[households]
        after = before + (1.0 - before) * delta if towards_one else before + delta
        after = np.clip(after, 0.0, 1.0)
        self.satisfaction[households] = after
        self._satisfied += int(np.count_nonzero(after >= self.satisfied_at)
                               - np.count_nonzero(before >= self.satisfied_at))

    def mean_trust(self, org: str) -> float:
        return float(self._trust_sum[ORG_INDEX[org]] / self.n)

    @property
    def satisfied_share(self) -> float:
        return self._satisfied / self.n

    @property
    def n_cells(self) -> int:
        return int(self.grid_cell.max()) + 1

    def ties_among(self, households: np.ndarray) -> sp.csr_matrix:
        """The social network restricted to ``households`` (e.g. one dispute's claimants)."""
        return self.adjacency[households][:, households].tocsr()


def _building_of(n: int, buildings: int) -> np.ndarray:
    buildings = min(buildings, n)
    return (np.arange(n) * buildings) // n


def _social_ties(building: np.ndarray, estate: np.ndarray, k: int, rewiring: float,
                 estate_ties: float, rng: np.random.Generator) -> sp.csr_matrix:
    """Dense small worlds inside buildings, sparse random ties across an estate."""
    n = len(building)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    starts = np.flatnonzero(np.r_[True, building[1:] != building[:-1]])
    ends = np.r_[starts[1:], n]
    for lo, hi in zip(starts, ends):
        m = hi - lo
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
    extra = int(rng.poisson(estate_ties * n / 2.0))
    if extra:
        a = rng.integers(0, n, size=extra)
        est_start = np.searchsorted(estate, estate, side="left")
        est_end = np.searchsorted(estate, estate, side="right")
        span = est_end[a] - est_start[a]
        b = est_start[a] + (rng.random(extra) * span).astype(np.int64)
        keep = a != b
        rows.append(a[keep])
        cols.append(b[keep])
    if rows:
        r = np.concatenate(rows)
        c = np.concatenate(cols)
    else:
        r = c = np.zeros(0, dtype=np.int64)
    data = np.ones(2 * len(r))
    adj = sp.coo_matrix((data, (np.r_[r, c], np.r_[c, r])), shape=(n, n)).tocsr()
    adj.data[:] = 1.0  # duplicates collapse to one tie
    return adj


def _layout(building: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Buildings on a square lattice, households on a small ring around their building.

    Cheap (linear in households) and seeded, unlike a spring layout, which costs seconds
    at a few thousand nodes.
    """
    n_b = int(building.max()) + 1
    side = int(np.ceil(np.sqrt(n_b)))
    bx = (np.arange(n_b) % side).astype(float)
    by = (np.arange(n_b) // side).astype(float)
    angle = rng.random(len(building)) * 2 * np.pi
    radius = 0.15 + 0.2 * rng.random(len(building))
    x = bx[building] + radius * np.cos(angle)
    y = by[building] + radius * np.sin(angle)
    return np.column_stack([x, y])


def build_community(params: dict, rng: np.random.Generator) -> Community:
    """Draw a community from ``params`` using only ``rng``."""
    n = params["households"]
    building = _building_of(n, params["buildings"])
    n_buildings = int(building.max()) + 1
    estate = (building * min(params["estates"], n_buildings)) // n_buildings
    cell = np.arange(n) // params["households_per_grid_cell"]
    second = cell // params["cells_per_second_level"]
    first = second // params["second_level_per_first"]
    adjacency = _social_ties(building, estate, params["building_ties"], params["tie_rewiring"],
                             params["estate_ties"], rng)
    positions = _layout(building, rng)
    renter = rng.random(n) < params["parking_renter_share"]
    means = np.array([params["initial_trust"][o] for o in ORGANISATIONS])
    trust = np.clip(means + rng.normal(0.0, 0.1, size=(n, len(ORGANISATIONS))), 0.0, 1.0)
    voice = rng.uniform(0.0, 2.0 * params["voice_threshold"], size=n)
    part = np.clip(rng.normal(params["participation_threshold_mean"],
                              params["participation_threshold_sd"], size=n), 0.0, 1.0)
    patience = rng.exponential(params["patience_days"], size=n)
    m = params["satisfaction_baseline"]
    satisfaction = rng.beta(10 * m, 10 * (1 - m), size=n)
    return Community(n=n, building=building, estate=estate, grid_cell=cell, second_level=second,
                     first_level=first, renter=renter, adjacency=adjacency, positions=positions,
                     trust=trust, voice_threshold=voice, participation_threshold=part,
                     patience=patience, satisfaction=satisfaction,
                     satisfied_at=params["satisfied_at"])


def community_graph(community: Community, organisations: list[tuple[int, str]]) -> nx.Graph:
    """The multi-layer network as a networkx graph: households, then organisation nodes.

    Household–household edges are social ties; each organisation node is tied to the
    households it serves (committee and grid worker by estate and cell) and to the street
    office (institutional ties).
    """
    g = nx.Graph()
    g.add_nodes_from(range(community.n), kind="household")
    coo = sp.triu(community.adjacency, k=1).tocoo()
    g.add_edges_from(zip(coo.row.tolist(), coo.col.tolist()), layer="social")
    for node, kind in organisations:
        g.add_node(node, kind=kind)
    return g
