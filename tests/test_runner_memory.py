"""A run pauses Python's cycle collector (:func:`govsim.runner.run_model`); that is safe
only because a run makes no reference cycles, which these tests check."""

import gc

import pytest

from govsim.model import GovernanceModel
from govsim.runner import build_model, run_model
from govsim.vocabulary import REGIMES


@pytest.mark.parametrize("regime", REGIMES)
def test_a_run_leaves_no_cycles_for_the_collector(regime, case):
    """Everything a run frees, reference counting frees: with the collector off from the
    first day to the horizon, a collection afterwards finds nothing unreachable. (A cycle
    made each day — say, a case that points at its queue and back, dropped unfreed — would
    make this fail, and would make the pause in run_model leak memory.) A first run
    beforehand makes the imports a run makes at first use (scipy.stats leaves a few dozen
    objects of garbage, once)."""
    run_model(build_model(case, regime, 2, days=20))
    model = build_model(case, regime, 3, days=60)
    gc.collect()
    gc.disable()
    try:
        while model.running:
            model.step()
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0
    assert model.summary()["disputes"] > 0


def test_run_model_gives_the_collector_back(small):
    """After a run the collector is on again (and stays off if it was off before)."""
    assert gc.isenabled()
    run_model(GovernanceModel(regime="grid", rng=1, **small))
    assert gc.isenabled()
    gc.disable()
    try:
        run_model(GovernanceModel(regime="grid", rng=1, **small))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pausing_the_collector_changes_no_result(small):
    """The same seed gives the same run with the collector on or paused."""
    paused = run_model(GovernanceModel(regime="state", rng=5, **small))
    stepped = GovernanceModel(regime="state", rng=5, **small)
    while stepped.running:
        stepped.step()
    assert paused.summary() == stepped.summary()
    assert list(paused.log) == list(stepped.log)
