"""A run pauses Python's cycle collector (:func:`govsim.runner.run_model`); that is safe
only because stepping makes no cyclic garbage and :func:`govsim.runner.run` frees the
finished model itself, which these tests check."""

import gc
import weakref

import pytest

from govsim import runner
from govsim.model import GovernanceModel
from govsim.runner import build_model, run_model
from govsim.vocabulary import REGIMES


@pytest.mark.parametrize("collect_daily", [True, False])
@pytest.mark.parametrize("regime", REGIMES)
def test_stepping_leaves_no_cycles_for_the_collector(regime, collect_daily, case):
    """Everything a day frees, reference counting frees: with the collector off from the
    first day to the horizon, a collection afterwards finds nothing unreachable. (A cycle
    made each day — say, a case that points at itself, dropped unfreed — would make this
    fail, and would make the pause in run_model leak memory.) A first run beforehand makes
    the imports a run makes at first use (scipy.stats leaves a few dozen objects of garbage,
    once)."""
    run_model(build_model(case, regime, 2, days=20))
    model = build_model(case, regime, 3, collect_daily=collect_daily)
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


def test_run_model_pauses_the_collector_and_gives_it_back(small, monkeypatch):
    """Every day of the run is stepped with the collector off; afterwards it is on again
    (and stays off if it was off before)."""
    enabled_while_stepping = []
    step = GovernanceModel.step

    def watched(self):
        enabled_while_stepping.append(gc.isenabled())
        step(self)

    monkeypatch.setattr(GovernanceModel, "step", watched)
    assert gc.isenabled()
    run_model(GovernanceModel(regime="grid", rng=1, **small))
    assert enabled_while_stepping and not any(enabled_while_stepping)
    assert gc.isenabled()
    gc.disable()
    try:
        run_model(GovernanceModel(regime="grid", rng=1, **small))
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("collector_on", [True, False])
def test_run_frees_its_model_before_returning(case, monkeypatch, collector_on):
    """A finished model is cyclic garbage (Mesa's model and agents point at each other):
    run() frees it before it returns, so a loop of runs (a sweep worker, a many-seed
    ``govsim run``) never holds dead models waiting for a full collection — also when the
    collector is off as the run starts (the caller turned it off, or another thread of the
    app is in the middle of a run)."""
    built = []

    def build(*args, **kwargs):
        model = build_model(*args, **kwargs)
        built.append(weakref.ref(model))
        return model

    monkeypatch.setattr(runner, "build_model", build)
    if not collector_on:
        gc.disable()
    try:
        for seed in range(3):
            result = runner.run(case, "state", seed, days=20, keep=("disputes",))
            assert built[-1]() is None, f"the model of seed {seed} outlived its run"
            assert result.summary["disputes"] == len(result.disputes) > 0
    finally:
        gc.enable()


def test_pausing_the_collector_changes_no_result(small):
    """The same seed gives the same run with the collector on or paused (objects land at
    other addresses; nothing may depend on them)."""
    paused = run_model(GovernanceModel(regime="state", rng=5, **small))
    stepped = GovernanceModel(regime="state", rng=5, **small)
    while stepped.running:
        stepped.step()
    assert paused.summary() == stepped.summary()
    assert list(paused.log) == list(stepped.log)
