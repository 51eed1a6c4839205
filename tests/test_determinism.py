"""Same scenario and seed, same history; all randomness flows from the model's rng."""

import numpy as np

from govsim import GovernanceModel
from govsim.runner import run_model


def history(regime, seed, **params):
    m = run_model(GovernanceModel(regime=regime, rng=seed, **params))
    return m.log.records(), m.summary()


def test_same_seed_gives_an_identical_event_log(small):
    for regime in ("market", "grid"):
        assert history(regime, 11, **small) == history(regime, 11, **small)


def test_different_seeds_give_different_histories(small):
    assert history("state", 1, **small)[0] != history("state", 2, **small)[0]


def test_the_network_topology_comes_from_the_seed(small):
    a = GovernanceModel(rng=5, **small).community.adjacency
    b = GovernanceModel(rng=5, **small).community.adjacency
    c = GovernanceModel(rng=6, **small).community.adjacency
    assert (a != b).nnz == 0
    assert (a != c).nnz > 0


def test_regimes_with_the_same_seed_face_the_same_community_and_disputes(small):
    """Common random numbers: the community and the arrival stream do not depend on the
    regime, so paired comparisons isolate the institutions."""
    models = {r: run_model(GovernanceModel(regime=r, rng=9, **small))
              for r in ("market", "state", "grid")}
    ref = models["market"]
    for m in models.values():
        assert np.array_equal(m.community.renter, ref.community.renter)
        assert (m.community.adjacency != ref.community.adjacency).nnz == 0
        arrivals = [(d.opened, d.type, tuple(d.claimants), d.severity) for d in m.disputes]
        assert arrivals == [(d.opened, d.type, tuple(d.claimants), d.severity)
                            for d in ref.disputes]


def test_skipping_the_daily_series_changes_no_result(small):
    """``collect_daily=False`` (what a sweep keeping only summaries asks for) is an output
    switch: same event log and summary, only the daily table stays empty."""
    full = run_model(GovernanceModel(regime="grid", rng=4, **small))
    lean = run_model(GovernanceModel(regime="grid", rng=4, collect_daily=False, **small))
    assert lean.log.records() == full.log.records()
    assert lean.summary() == full.summary()
    assert len(full.datacollector.get_model_vars_dataframe()) == small.get("days", 120)
    assert lean.datacollector.get_model_vars_dataframe().empty
