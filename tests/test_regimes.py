"""Regimes are sets of institutions; nothing branches on a regime's name."""

import pytest

from govsim import PRESETS, GovernanceModel, preset
from govsim.institutions import SWITCHES
from govsim.runner import run_model


def outcome(regime, seed, **params):
    m = run_model(GovernanceModel(regime=regime, rng=seed, **params))
    return m.log.records(), m.summary()


@pytest.mark.parametrize("base,target", [("market", "state"), ("market", "grid"),
                                         ("grid", "state")])
def test_a_custom_mix_equal_to_a_preset_gives_the_presets_results(small, base, target):
    mix = {k: v for k, v in PRESETS[target].items()}
    # Start from another preset and switch every institution to the target's values.
    for key in set(PRESETS[base]) - set(PRESETS[target]):
        mix[key] = GovernanceModel(regime=target, rng=0, households=20, buildings=1).params[key]
    assert outcome(base, 4, **mix, **small) == outcome(target, 4, **small)


def test_the_regime_name_is_only_a_label(small):
    """A model told it is 'market' but given the grid's institutions behaves as grid."""
    m = GovernanceModel(regime="market", rng=2, **preset("grid"), **small)
    assert m.regime == "market"
    g = GovernanceModel(regime="grid", rng=2, **small)
    assert run_model(m).summary() == run_model(g).summary()


def test_switching_off_one_institution_changes_the_run(small):
    with_hotline = outcome("grid", 5, **small)
    without = outcome("grid", 5, hotline=False, **small)
    assert with_hotline != without


def test_presets_differ_only_in_institution_switches_and_parameters():
    from govsim.institutions import institution_keys

    for values in PRESETS.values():
        assert set(values) <= set(institution_keys())
        assert set(SWITCHES) <= set(values)


def test_grid_workers_exist_only_where_grid_patrol_is_switched_on(small):
    assert GovernanceModel(regime="grid", rng=1, **small).grid_workers
    assert not GovernanceModel(regime="state", rng=1, **small).grid_workers
    assert GovernanceModel(regime="state", rng=1, grid_patrol=True, **small).grid_workers
