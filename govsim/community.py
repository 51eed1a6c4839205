"""The community: households, buildings, estates, nested grid cells and the social network.

Household state that every household has (building, grid cell, car, trust, thresholds,
satisfaction) is kept in numpy arrays, so population-wide draws are single vector
operations and a quiet household costs nothing per day. The household part of the network
does not depend on the regime; it is built once per (parameters, seed) from its own random
stream, which is what makes comparisons across regimes paired (common random numbers).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field, replace

import networkx as nx
import numpy as np
import scipy.sparse as sp

from govsim.vocabulary import ORGANISATIONS

ORG_INDEX = {name: i for i, name in enumerate(ORGANISATIONS)}

# Every parameter the household part of the community depends on. ``build_community`` sees
# only these (a missing name fails loudly), so the cache key below cannot miss one.
COMMUNITY_PARAMS = ("households", "buildings", "estates", "households_per_grid_cell",
                    "cells_per_second_level", "second_level_per_first", "building_ties",
                    "tie_rewiring", "estate_ties", "parking_renter_share", "initial_trust",
                    "voice_threshold", "participation_threshold_mean",
                    "participation_threshold_sd", "patience_days", "satisfaction_baseline",
                    "satisfied_at")


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
        col = ORG_INDEX[org]
        if np.ndim(households) == 1 and len(households) == 1:  # the common case, same sums
            h = int(households[0])
            before = float(self.trust[h, col])
            after = min(1.0, max(0.0, before + delta))
            self.trust[h, col] = after
            self._trust_sum[col] += after - before
            return
        households = np.unique(np.asarray(households))
        before = self.trust[households, col]
        after = np.clip(before + delta, 0.0, 1.0)
        self.trust[households, col] = after
        self._trust_sum[col] += float(after.sum() - before.sum())

    def adjust_satisfaction(self, households: np.ndarray, delta: float,
                            towards_one: bool = False) -> None:
        """Move the satisfaction of each listed household (once, however often it is
        listed) by ``delta``, or a share ``delta`` of the way to 1; per-household deltas go
        through :meth:`drain_satisfaction`."""
        if np.ndim(households) == 1 and len(households) == 1:  # the common case, same result
            h = int(households[0])
            before = float(self.satisfaction[h])
            after = before + (1.0 - before) * delta if towards_one else before + delta
            after = min(1.0, max(0.0, after))
            self.satisfaction[h] = after
            self._satisfied += (after >= self.satisfied_at) - (before >= self.satisfied_at)
            return
        households = np.unique(np.asarray(households))
        before = self.satisfaction[households]
        after = before + (1.0 - before) * delta if towards_one else before + delta
        after = np.clip(after, 0.0, 1.0)
        self.satisfaction[households] = after
        self._satisfied += int(np.count_nonzero(after >= self.satisfied_at)
                               - np.count_nonzero(before >= self.satisfied_at))

    def drain_satisfaction(self, households: np.ndarray, delta: np.ndarray) -> None:
        """Add ``delta[i]`` to household ``households[i]``'s satisfaction, clipped to 0–1,
        for many disputes at once. A household listed k times is updated k times in list
        order, exactly as k successive :meth:`adjust_satisfaction` calls would do; each
        round of updates touches every household at most once and is one vector step."""
        if len(households) == 0:
            return
        order = np.argsort(households, kind="stable")
        ranked = households[order]
        first = np.r_[True, ranked[1:] != ranked[:-1]]
        group_start = np.maximum.accumulate(np.where(first, np.arange(len(ranked)), 0))
        rank = np.empty(len(households), dtype=np.int64)
        rank[order] = np.arange(len(ranked)) - group_start
        for r in range(int(rank.max()) + 1):
            sel = rank == r
            h = households[sel]
            before = self.satisfaction[h]
            after = np.clip(before + delta[sel], 0.0, 1.0)
            self.satisfaction[h] = after
            self._satisfied += int(np.count_nonzero(after >= self.satisfied_at)
                                   - np.count_nonzero(before >= self.satisfied_at))

    def fresh_copy(self) -> Community:
        """The same households and ties, with their own trust and satisfaction to change."""
        return replace(self, trust=self.trust.copy(), satisfaction=self.satisfaction.copy())

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
    params = {k: params[k] for k in COMMUNITY_PARAMS}
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


_CACHE: OrderedDict[tuple, Community] = OrderedDict()
CACHE_SIZE = 4


def _cache_key(params: dict, rng: np.random.Generator) -> tuple:
    # A child stream is fixed by its seed sequence (entropy, spawn key, pool size), not by
    # how far its parent has been drawn, so this identifies the draws exactly.
    seq = rng.bit_generator.seed_seq
    values = tuple(repr(params[k]) for k in COMMUNITY_PARAMS)
    return (repr(seq.entropy), tuple(seq.spawn_key), seq.pool_size, values)


def cached_community(params: dict, rng: np.random.Generator) -> Community:
    """``build_community(params, rng)``, built once per (community parameters, stream) and
    reused — e.g. by the three regimes of one seed, whose communities are the same by
    design. Each caller gets its own trust and satisfaction arrays; the ties, the layout
    and the drawn thresholds are shared and never written to."""
    key = _cache_key(params, rng)
    pristine = _CACHE.get(key)
    if pristine is None:
        pristine = build_community(params, rng)
        for name in ("building", "estate", "grid_cell", "second_level", "first_level",
                     "renter", "positions", "voice_threshold", "participation_threshold",
                     "patience"):
            getattr(pristine, name).flags.writeable = False
        _CACHE[key] = pristine
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return pristine.fresh_copy()


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
