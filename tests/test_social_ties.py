"""The ties inside buildings are drawn for all buildings at once (numpy), from the same
distribution as networkx's Watts–Strogatz generator that drew them one building at a time
before. The draws differ, so the tests compare distributions: of the graphs (edges per
building, degrees, clustering, rewired share) over many buildings, and of the regime
comparison's results over 50 paired seeds (``test_regime_comparison_is_unchanged``).

Every statistical test here has a pre-set threshold; the seeds are fixed, so each verdict
is reproducible.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy import stats

from govsim import community
from networkx_ties import networkx_building_ties

ALPHA = 0.001  # per distribution test below; each is deterministic (fixed seeds)


def _ties(builder, sizes, k, p, seed):
    sizes = np.asarray(sizes, dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    rows, cols = builder(starts, sizes, k, p, np.random.default_rng(seed))
    return starts, sizes, rows, cols


def _graph_stats(starts, sizes, rows, cols, k):
    """Per building: ties, share of ties off the ring lattice, mean local clustering (as
    networkx's average_clustering); per household: degree."""
    n = int(sizes.sum())
    building = np.repeat(np.arange(len(sizes)), sizes)
    a = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    a = ((a + a.T) > 0).astype(float)
    degree = np.asarray(a.sum(axis=1)).ravel()
    triangles = np.asarray((a @ a).multiply(a).sum(axis=1)).ravel() / 2
    pairs = degree * (degree - 1) / 2
    clustering = np.divide(triangles, pairs, out=np.zeros(n), where=pairs > 0)
    h = np.minimum(k, sizes - 1) // 2
    b = building[rows]
    offset = (cols - rows) % sizes[b]
    on_lattice = (np.minimum(offset, sizes[b] - offset) <= h[b])
    ties = np.bincount(b, minlength=len(sizes))
    return {"ties": ties,
            "rewired_share": np.bincount(b, ~on_lattice, minlength=len(sizes)) / ties,
            "clustering": np.bincount(building, clustering) / sizes,
            "degree": degree.astype(int)}


def _simple(rows, cols):
    """No self-ties and no tie drawn twice."""
    pairs = {(min(a, b), max(a, b)) for a, b in zip(rows.tolist(), cols.tolist())}
    return len(pairs) == len(rows) and all(a != b for a, b in pairs)


# Sizes around the scenarios' ~30 households a building, and small buildings where a
# household knows (nearly) everyone, which exercises networkx's skip and rejection rules.
SIZES = [30, 31, 8, 9, 12, 40] * 300


@pytest.mark.parametrize("p", [0.1, 0.5, 1.0])
def test_same_distribution_as_networkx(p):
    ours = _graph_stats(*_ties(community._small_world_ties, SIZES, 6, p, 1), 6)
    ref = _graph_stats(*_ties(networkx_building_ties, SIZES, 6, p, 2), 6)
    # rewiring moves ties, it never adds or drops one: m·h ties per building, always
    assert np.array_equal(ours["ties"], ref["ties"])
    for what in ("rewired_share", "clustering"):
        for size in set(SIZES):
            sel = np.asarray(SIZES) == size
            a, b = ours[what][sel], ref[what][sel]
            if np.ptp(np.r_[a, b]) == 0:  # e.g. 8 households, k 6: nobody can rewire
                assert np.array_equal(a, b)
                continue
            assert stats.ks_2samp(a, b).pvalue > ALPHA, (what, size)
            assert stats.mannwhitneyu(a, b).pvalue > ALPHA, (what, size)
    top = max(ours["degree"].max(), ref["degree"].max()) + 1
    table = np.array([np.bincount(ours["degree"], minlength=top),
                      np.bincount(ref["degree"], minlength=top)])
    table = table[:, table.sum(axis=0) > 0]
    assert stats.chi2_contingency(table).pvalue > ALPHA


def test_rewired_share_is_the_rewiring_probability():
    """In big buildings almost every chosen tie can move: the share off the lattice is
    close to p (a moved tie lands back on a lattice place with a small probability)."""
    s = _graph_stats(*_ties(community._small_world_ties, [200] * 200, 6, 0.2, 3), 6)
    assert s["rewired_share"].mean() == pytest.approx(0.2, abs=0.01)


@pytest.mark.parametrize("sizes,k", [([30, 31, 2, 1, 5], 6), ([10, 3], 1), ([12, 12], 0),
                                     ([7, 8], 5), ([2, 9, 4], 3)])
def test_without_rewiring_the_same_graph_as_networkx(sizes, k):
    """p = 0 is deterministic: the ring lattice (a path for k < 2), exactly networkx's."""
    ours = _ties(community._small_world_ties, sizes, k, 0.0, 0)
    ref = _ties(networkx_building_ties, sizes, k, 0.0, 0)
    as_set = lambda r, c: {(min(a, b), max(a, b)) for a, b in zip(r.tolist(), c.tolist())}
    assert as_set(*ours[2:]) == as_set(*ref[2:])


@pytest.mark.parametrize("p", [0.3, 1.0])
def test_ties_stay_simple_and_inside_the_building(p):
    starts, sizes, rows, cols = _ties(community._small_world_ties, [30, 9, 8, 50, 3] * 50,
                                      6, p, 4)
    building = np.repeat(np.arange(len(sizes)), sizes)
    assert np.array_equal(building[rows], building[cols])
    assert _simple(rows, cols)


def test_a_household_who_knows_everyone_keeps_its_ties():
    """networkx skips rewiring a household tied to all others: 7 households, k 6 stay a
    complete graph even at p = 1."""
    _, _, rows, cols = _ties(community._small_world_ties, [7] * 20, 6, 1.0, 5)
    assert len(rows) == 20 * 21 and _simple(rows, cols)


def test_the_community_draws_are_reproducible():
    params = {"households": 3000, "buildings": 100, "estates": 2, "building_ties": 6,
              "tie_rewiring": 0.1, "estate_ties": 1.0}
    b = community._building_of(params["households"], params["buildings"])
    est = (b * 2) // 100
    one = community._social_ties(b, est, 6, 0.1, 1.0, np.random.default_rng(9))
    two = community._social_ties(b, est, 6, 0.1, 1.0, np.random.default_rng(9))
    assert (one != two).nnz == 0


def test_graph_degrees_match_networkx_for_a_single_building():
    """One large building: the degree distribution of many draws against networkx's."""
    ours = np.concatenate([np.diff(community._social_ties(
        np.zeros(300, int), np.zeros(300, int), 8, 0.3, 0.0,
        np.random.default_rng(s)).indptr) for s in range(20)])
    ref = np.concatenate([[d for _, d in nx.watts_strogatz_graph(300, 8, 0.3, seed=s).degree()]
                          for s in range(20)])
    top = max(ours.max(), ref.max()) + 1
    table = np.array([np.bincount(ours, minlength=top), np.bincount(ref, minlength=top)])
    assert stats.chi2_contingency(table[:, table.sum(axis=0) > 0]).pvalue > ALPHA
