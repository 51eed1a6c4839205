"""EMA Workbench plugs in without glue: the parameter table becomes uncertainties and levers,
the regimes policies, the run summaries outcomes (``pip install 'govsim[ema]'``; ``make
setup`` installs it, so these run in CI)."""

import importlib.util
import math
import subprocess
import sys

import numpy as np
import pytest

from govsim import PARAMETERS, ParameterError, run
from govsim.institutions import institution_keys

needs_ema = pytest.mark.skipif(
    importlib.util.find_spec("ema_workbench") is None,
    reason="ema_workbench is not installed: pip install 'govsim[ema]' (make setup does)")

TINY = {"households": 200, "buildings": 5}
DAYS = 20


@pytest.fixture(scope="module")
def tiny(case):
    return case.with_overrides(TINY)


def test_import_govsim_stays_light_and_a_missing_extra_names_the_install_command():
    code = ("import sys, govsim\n"
            "assert 'ema_workbench' not in sys.modules\n"
            "sys.modules['ema_workbench'] = None  # as if it were not installed\n"
            "try:\n"
            "    import govsim.ema\n"
            "except ImportError as exc:\n"
            "    print(exc)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "pip install 'govsim[ema]'" in proc.stdout


def _bounds(p):
    return p.lower_bound, p.upper_bound


@needs_ema
def test_uncertainties_levers_and_outcomes_come_from_the_parameter_table(tiny):
    from govsim.ema import DEFAULT_UNCERTAINTIES, ema_model
    from govsim.metrics import TEXT_FIELDS as TEXT_METRICS

    import ema_workbench as ema

    model = ema_model(tiny, days=DAYS)
    reference = tiny.model_params("grid")
    uncertainties = {p.name: p for p in model.uncertainties}
    assert tuple(uncertainties) == DEFAULT_UNCERTAINTIES
    for name, p in uncertainties.items():
        spec, value = PARAMETERS[name], reference[name]
        assert spec.group != "institutions" and spec.is_assumption
        kind = ema.IntegerParameter if spec.kind == "int" else ema.RealParameter
        assert type(p) is kind, name
        assert _bounds(p) == pytest.approx((max(spec.low, value / 2),
                                            min(spec.high, value * 1.5))), name
        assert p.default == value  # no scenarios given: the scenario's own value

    levers = {p.name: p for p in model.levers}
    assert set(levers) == set(institution_keys())
    assert type(levers["grid_patrol"]) is ema.BooleanParameter
    assert type(levers["hierarchy_layers"]) is ema.IntegerParameter
    assert _bounds(levers["hierarchy_layers"]) == (0, 3)  # regimes 1–2, widened by half
    assert [c.name for c in levers["intervention_stage"].categories] == \
        list(PARAMETERS["intervention_stage"].choices)
    assert _bounds(levers["committee_admin_burden"]) == pytest.approx((0.35, 0.95))  # clipped
    assert _bounds(levers["order_enforcement"]) == pytest.approx((0.4, 1.0))

    names = [o.name for o in model.outcomes]
    assert {"median_days", "rmst_days", "resolved_share", "staff_days", "trust_grid",
            "parking_closed_day", "parking_closed"} <= set(names)
    assert not set(TEXT_METRICS) & set(names)

    chosen = ema_model(tiny, uncertainties={"satisfaction_baseline": None,
                                            "patience_days": (5, 30)},
                       outcomes=["rmst_days"], seeds=range(3))
    assert type(chosen) is ema.ReplicatorModel
    assert [p.name for p in chosen.uncertainties] == ["satisfaction_baseline", "patience_days"]
    assert _bounds(chosen.uncertainties["satisfaction_baseline"]) == pytest.approx((0.4, 0.99))
    assert _bounds(chosen.uncertainties["patience_days"]) == (5.0, 30.0)
    assert [o.name for o in chosen.outcomes] == ["rmst_days"]


@needs_ema
def test_what_cannot_be_an_ema_parameter_is_refused_by_name(tiny):
    from govsim.ema import ema_model, regime_policies

    with pytest.raises(ParameterError, match="did you mean 'patience_days'"):
        ema_model(tiny, uncertainties=["patience_day"])
    with pytest.raises(ValueError, match="arrival_rates.*a table"):
        ema_model(tiny, uncertainties=["arrival_rates"])
    with pytest.raises(ParameterError, match="patience_days.*out of range"):
        ema_model(tiny, uncertainties={"patience_days": (0.0, 30)})
    with pytest.raises(ValueError, match="order_sanction: a parameter is an uncertainty or a lever"):
        ema_model(tiny, uncertainties=["order_sanction"], levers=["order_sanction"])
    with pytest.raises(ValueError, match="outcome 'parking_outcome' \\(a text metric\\)"):
        ema_model(tiny, outcomes=["parking_outcome"])
    with pytest.raises(ValueError, match="name the regime"):
        ema_model(tiny, levers=["hotline"])
    no_policy = ema_model(tiny, days=DAYS)
    n = len(institution_keys())
    with pytest.raises(ValueError, match=rf"no value for .*\({n} in all\): run the model with "
                                         r"policies"):
        no_policy.function(seed=0)
    state_plus = ema_model(tiny, levers=["hotline"], regime="state")
    with pytest.raises(ValueError, match=r"grid differs .*regime \(state\) in .*grid_patrol"):
        regime_policies(state_plus, ["state", "grid"])
    assert [dict(p) for p in regime_policies(state_plus, ["state"])] == [{"hotline": False}]


def _overrides(row, names):
    return {k: row[k].item() if hasattr(row[k], "item") else row[k] for k in names}


def _same(a, b):
    return (a is None and math.isnan(b)) or a == b


@needs_ema
def test_a_latin_hypercube_over_the_three_regimes_runs_govsim_itself(tiny):
    from ema_workbench import SequentialEvaluator
    from ema_workbench.analysis.feature_scoring import get_feature_scores_all

    from govsim.ema import ema_model, regime_policies

    model = ema_model(tiny, days=DAYS, seeds=(7,))
    policies = regime_policies(model)
    assert [p.name for p in policies] == ["market", "state", "grid"]
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(
            scenarios=8, policies=policies, uncertainty_sampling_kwargs={"rng": 3})

    uncertainties = [p.name for p in model.uncertainties]
    levers = [p.name for p in model.levers]
    assert {*uncertainties, *levers, "policy", "scenario"} <= set(experiments.columns)
    assert len(experiments) == 24
    assert experiments["policy"].value_counts().to_dict() == {"market": 8, "state": 8, "grid": 8}
    # each uncertainty is a Latin hypercube: one sample in each of 8 equal strata
    for p in model.uncertainties:
        values = experiments.loc[experiments["policy"] == "grid", p.name].to_numpy(float)
        assert ((values >= p.lower_bound) & (values <= p.upper_bound)).all(), p.name
        if p.name != "confrontation_min_participants":  # an integer: strata merge
            strata = (values - p.lower_bound) / (p.upper_bound - p.lower_bound) * 8
            assert sorted(strata.astype(int)) == list(range(8)), p.name
    assert set(outcomes) == {o.name for o in model.outcomes}
    for name, values in outcomes.items():
        assert values.shape == (24,) and not np.isinf(values).any(), name
    assert np.isnan(outcomes["median_days"]).any()  # undefined in short runs: NaN, no crash

    # One row per regime, run again by govsim's own API: the same numbers (no glue errors).
    for regime in ("market", "state", "grid"):
        i = experiments.index[experiments["policy"] == regime][2]
        row = experiments.loc[i]
        assert row["grid_patrol"] == (regime == "grid")
        summary = run(tiny, regime, 7, _overrides(row, uncertainties), days=DAYS).summary
        for name, values in outcomes.items():
            assert _same(summary[name], values[i]), (regime, name, summary[name], values[i])

    scores = get_feature_scores_all(experiments[uncertainties],
                                    {"rmst_days": outcomes["rmst_days"]}, random_state=0)
    assert sorted(scores.index) == sorted(uncertainties)
    assert np.isfinite(scores["rmst_days"]).all() and (scores["rmst_days"] >= 0).all()
    assert scores["rmst_days"].sum() == pytest.approx(1.0)


@needs_ema
def test_several_seeds_are_replications_and_an_outcome_is_their_mean(tiny):
    from ema_workbench import perform_experiments

    from govsim.ema import ema_model, regime_policies

    seeds = (1, 2, 3)
    model = ema_model(tiny, uncertainties=["voice_threshold"], days=DAYS, seeds=seeds,
                      outcomes=["rmst_days", "median_days", "parking_closed"])
    experiments, outcomes = perform_experiments(
        model, scenarios=2, policies=regime_policies(model)[2:],
        uncertainty_sampling_kwargs={"rng": 5})
    for i in range(2):
        voice = experiments.loc[i, "voice_threshold"].item()
        runs = [run(tiny, "grid", s, {"voice_threshold": voice}, days=DAYS).summary
                for s in seeds]
        for name in ("rmst_days", "median_days"):
            defined = [r[name] for r in runs if r[name] is not None]
            expected = sum(defined) / len(defined) if defined else math.nan
            assert outcomes[name][i] == pytest.approx(expected, nan_ok=True), name
        assert outcomes["parking_closed"][i] == pytest.approx(
            sum(r["parking_closed"] for r in runs) / 3)
