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
    _trust_sum: list[float] = field(init=False)  # per organisation (plain floats: cheap to add to)
    _satisfied: int = field(init=False)
    n_cells: int = field(init=False)  # third-level grid cells
    _first_seen: np.ndarray = field(init=False, repr=False)  # scratch of _first_listings

    def __post_init__(self) -> None:
        self.n_cells = int(self.grid_cell.max()) + 1
        self._first_seen = np.empty(self.n, dtype=np.int64)
        self._trust_sum = self.trust.sum(axis=0).tolist()
        self._satisfied = int(np.count_nonzero(self.satisfaction >= self.satisfied_at))

    # Running sums keep daily reporters O(1) instead of O(households).
    def adjust_trust(self, households: np.ndarray, org: str, delta: float) -> None:
        col = ORG_INDEX[org]
        if type(households) is np.ndarray and households.size == 1:  # the common case (one
            # household, at every hearing): the same sums in plain floats
            h = households.item()
            before = self.trust.item(h, col)
            after = before + delta
            if after > 1.0:
                after = 1.0
            elif after < 0.0:
                after = 0.0
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
        if type(households) is np.ndarray and households.size == 1:  # the common case (one
            # household, at every close): the same result in plain floats
            h = households.item()
            before = self.satisfaction.item(h)
            after = before + (1.0 - before) * delta if towards_one else before + delta
            if after > 1.0:
                after = 1.0
            elif after < 0.0:
                after = 0.0
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
        while len(households):
            first = self._first_listings(households)
            self._add_satisfaction(households[first], delta[first])
            if first.all():
                return
            households, delta = households[~first], delta[~first]  # the next round

    def _first_listings(self, households: np.ndarray) -> np.ndarray:
        """Where in ``households`` each household is listed for the first time: the lowest
        position of each, found with ``np.minimum.at`` (applied for every listing, unlike
        an assignment through repeated indices) in a scratch array of the community's
        size — no sort; a day lists a household more than once on most days (its own
        dispute and a crowd's)."""
        at = np.arange(len(households))
        seen = self._first_seen
        seen[households] = len(households)
        np.minimum.at(seen, households, at)
        return seen[households] == at

    def _add_satisfaction(self, households: np.ndarray, delta: np.ndarray) -> None:
        """One round of :meth:`drain_satisfaction`: no household listed twice."""
        before = self.satisfaction[households]
        after = np.minimum(np.maximum(before + delta, 0.0), 1.0)  # np.clip, without its overhead
        self.satisfaction[households] = after
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
    starts = np.flatnonzero(np.r_[True, building[1:] != building[:-1]])
    sizes = np.diff(np.r_[starts, n])
    rows, cols = _building_ties(starts, sizes, k, rewiring, rng)
    extra = int(rng.poisson(estate_ties * n / 2.0))
    if extra:
        a = rng.integers(0, n, size=extra)
        est_start = np.searchsorted(estate, estate, side="left")
        est_end = np.searchsorted(estate, estate, side="right")
        span = est_end[a] - est_start[a]
        b = est_start[a] + (rng.random(extra) * span).astype(np.int64)
        keep = a != b
        rows = np.r_[rows, a[keep]]
        cols = np.r_[cols, b[keep]]
    data = np.ones(2 * len(rows))
    adj = sp.coo_matrix((data, (np.r_[rows, cols], np.r_[cols, rows])), shape=(n, n)).tocsr()
    adj.data[:] = 1.0  # duplicates collapse to one tie
    return adj


def _small_world_ties(starts: np.ndarray, sizes: np.ndarray, k: int, rewiring: float,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The ties inside every building at once, as (rows, cols) of household ids.

    Each building of m households is what ``networkx.watts_strogatz_graph(m, min(k, m-1),
    rewiring)`` draws (a path when that ``k`` is below 2): a ring where each household
    knows its ``h = k // 2`` nearest neighbours on each side, then every lattice tie
    (u, u+j) — in networkx's order, j = 1..h outer, u = 0..m-1 inner — is with
    probability ``rewiring`` replaced by (u, w), w uniform over the households u is not yet
    tied to (skipped when u knows everyone). Buildings are independent, so the building
    loop is vectorised; inside a building only the rewired ties need the sequential order:
    a loop of as many numpy steps as the most rewired building has rewired ties (about
    ``rewiring·k/2·m``; ~20 for the street's 1,341 buildings of 30). Same distribution
    as networkx, different draws.
    """
    kk = np.minimum(k, sizes - 1)
    path, ring = kk == 1, kk >= 2
    p_rows, p_cols = _path_ties(starts[path], sizes[path])
    r_rows, r_cols = _rewired_rings(starts[ring], sizes[ring], kk[ring] // 2, rewiring, rng)
    return np.r_[p_rows, r_rows], np.r_[p_cols, r_cols]


def _exclusive_cumsum(counts: np.ndarray) -> np.ndarray:
    """Where each block starts when blocks of ``counts`` items are laid end to end."""
    return np.cumsum(counts) - counts


def _path_ties(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Households i and i+1 of each building tied (networkx's path graph)."""
    links = sizes - 1
    u = np.repeat(starts - _exclusive_cumsum(links), links) + np.arange(int(links.sum()))
    return u, u + 1


def _rewired_rings(lo: np.ndarray, m: np.ndarray, h: np.ndarray, p: float,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Watts–Strogatz rings starting at household ``lo`` with ``m`` households and ``h``
    neighbours a side: see :func:`_small_world_ties`."""
    lattice = _Lattice(m, h)
    ring, j, u = lattice.ring, lattice.j, lattice.u
    for tie in _rewiring_rounds(ring, rng.random(len(ring)) < p):
        lattice.rewire(tie, rng)
    kept = ~lattice.gone
    r = ring[kept]
    added_ring, added_u, added_w = lattice.added()
    return (np.r_[lo[r] + u[kept], lo[added_ring] + added_u],
            np.r_[lo[r] + (u[kept] + j[kept]) % m[r], lo[added_ring] + added_w])


def _rewiring_rounds(ring: np.ndarray, coin: np.ndarray):
    """The lattice ties to rewire (indices), in rounds: round r holds each ring's r-th
    rewired tie, so a round touches every ring at most once and keeps each ring's order."""
    chosen = np.flatnonzero(coin)  # ordered by ring, then networkx's order inside it
    if not len(chosen):
        return
    rings = ring[chosen]
    rank = np.arange(len(chosen)) - np.searchsorted(rings, rings, side="left")
    by_round = np.argsort(rank, kind="stable")
    bounds = np.searchsorted(rank[by_round], np.arange(int(rank.max()) + 2))
    for r in range(len(bounds) - 1):
        yield chosen[by_round[bounds[r]:bounds[r + 1]]]


class _Lattice:
    """Rings of ``m`` households, each tied to ``h`` neighbours a side, while they are
    rewired. Households are numbered ring after ring (``first[ring] + position``); lattice
    tie (u, u+j) of a ring is number ``offset[ring] + (j-1)·m + u`` (networkx's order).
    Kept: which lattice ties are gone, the ties added instead (a small table of added
    neighbours per household, widened when full) and every household's degree."""

    def __init__(self, m: np.ndarray, h: np.ndarray):
        self.m, self.h = m, h
        self.first = _exclusive_cumsum(m)
        self.offset = _exclusive_cumsum(h * m)
        self.ring = np.repeat(np.arange(len(m)), h * m)
        pos = np.arange(len(self.ring)) - self.offset[self.ring]
        self.j = pos // m[self.ring] + 1
        self.u = pos % m[self.ring]
        self.gone = np.zeros(len(self.ring), dtype=bool)
        self.degree = np.repeat(2 * h, m)
        self.extra = np.full((int(m.sum()), 4), -1, dtype=np.int64)
        self.n_extra = np.zeros(int(m.sum()), dtype=np.int64)
        self._added: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def tied(self, ring: np.ndarray, u: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Whether households at positions ``u`` and ``w`` of ``ring`` are tied now."""
        m, h = self.m[ring], self.h[ring]
        d = (w - u) % m  # w is u's d-th neighbour ahead on the ring, or
        e = (u - w) % m  # u is w's e-th (both cannot hold: 2h < m)
        ahead, behind = (d >= 1) & (d <= h), (e >= 1) & (e <= h)
        tie = self.offset[ring] + (np.where(ahead, d, e) - 1) * m + np.where(ahead, u, w)
        lattice = (ahead | behind) & ~self.gone[np.where(ahead | behind, tie, 0)]
        node_u, node_w = self.first[ring] + u, self.first[ring] + w
        return lattice | (self.extra[node_u] == node_w[:, None]).any(axis=1)

    def rewire(self, tie: np.ndarray, rng: np.random.Generator) -> None:
        """Replace each listed lattice tie (u, u+j) — at most one per ring — by (u, w),
        w drawn as networkx draws it: uniform, again while it is u or already tied to u;
        skipped when u is tied to every other household of its ring."""
        ring, u, j = self.ring[tie], self.u[tie], self.j[tie]
        m = self.m[ring]
        can = self.degree[self.first[ring] + u] < m - 1
        tie, ring, u, j, m = tie[can], ring[can], u[can], j[can], m[can]
        w = np.empty(len(tie), dtype=np.int64)
        todo = np.arange(len(tie))
        while len(todo):
            draw = (rng.random(len(todo)) * m[todo]).astype(np.int64)
            bad = (draw == u[todo]) | self.tied(ring[todo], u[todo], draw)
            w[todo[~bad]] = draw[~bad]
            todo = todo[bad]
        self.gone[tie] = True
        node_u, node_w = self.first[ring] + u, self.first[ring] + w
        self.degree[self.first[ring] + (u + j) % m] -= 1
        self.degree[node_w] += 1
        self._note(node_u, node_w)
        self._note(node_w, node_u)
        self._added.append((ring, u, w))

    def _note(self, node: np.ndarray, neighbour: np.ndarray) -> None:
        """Add ``neighbour[i]`` to ``node[i]``'s added ties (the nodes are distinct)."""
        if len(node) and self.n_extra[node].max() >= self.extra.shape[1]:
            wider = np.full((len(self.extra), 2 * self.extra.shape[1]), -1, dtype=np.int64)
            wider[:, :self.extra.shape[1]] = self.extra
            self.extra = wider
        self.extra[node, self.n_extra[node]] = neighbour
        self.n_extra[node] += 1

    def added(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ring, u, w) of every added tie."""
        if not self._added:
            return tuple(np.zeros(0, dtype=np.int64) for _ in range(3))
        return tuple(np.concatenate(parts) for parts in zip(*self._added))


# The tie builder; tests swap in networkx's generator (a private switch, not a parameter).
_building_ties = _small_world_ties


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
