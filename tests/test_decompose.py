"""``govsim decompose``: the grid − state difference shared among the grid's institutions
by Shapley values. The specification: the coalition of every institution *is* the grid
run; the shares follow Shapley's axioms (they add up to the difference, an institution
that never changes anything gets nothing, two interchangeable ones get the same); and the
command runs as a resumable sweep that writes its report."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from govsim import resources
from govsim.cli import main
from govsim.runner import run
from govsim.scenario import load_scenario, scenario_to_toml
from govsim.sweep.spec import parse_experiment
from govsim.validation.decompose import (BASE_REGIME, INSTITUTIONS, SCENARIO_GROUP,
                                         _name, coalitions, decompose_experiment,
                                         groups_for, shapley)
from govsim.validation.results import Results, Run


@pytest.mark.parametrize("name", ["parking_x_community", "xianlin_street", "district_grid"])
def test_every_group_added_to_the_state_regime_gives_the_grid_regimes_parameters(name):
    scenario = load_scenario(resources.scenario_path(name))
    every = {k: v for g in groups_for(scenario).values() for k, v in g.items()}
    assert scenario.model_params(BASE_REGIME, every) == scenario.model_params("grid")


def test_a_scenarios_own_grid_settings_become_one_more_group():
    district = groups_for(load_scenario(resources.scenario_path("district_grid")))
    assert SCENARIO_GROUP in district
    assert "households_per_grid_worker" in district[SCENARIO_GROUP]
    parking = groups_for(load_scenario(resources.scenario_path("parking_x_community")))
    assert list(parking) == list(INSTITUTIONS)


def test_the_full_coalition_run_is_the_grid_run_seed_for_seed():
    """Behaviour depends on parameters only, never on the regime's name: the state regime
    with every institution added reproduces the grid run exactly."""
    scenario = load_scenario(resources.scenario_path("parking_x_community"))
    every = {k: v for g in groups_for(scenario).values() for k, v in g.items()}
    grid = run(scenario, "grid", 3, days=60).summary
    built = run(scenario, BASE_REGIME, 3, overrides=every, days=60).summary
    assert built == grid


def test_the_experiment_has_one_named_point_per_coalition():
    scenario = load_scenario(resources.scenario_path("parking_x_community"))
    exp = parse_experiment(decompose_experiment(scenario, 4), Path("decompose.toml"))
    assert len(exp.points) == 2 ** len(INSTITUTIONS)
    assert list(exp.regimes) == [BASE_REGIME] and exp.replicates == 4
    groups = tuple(INSTITUTIONS)
    points = {p.name: p.values for p in exp.points}
    assert points[_name((), groups)] == {}
    assert points[_name(("hotline",), groups)] == {"hotline": True}


def _game(groups, value, seeds=(0, 1, 2)) -> Results:
    """Stored runs whose metric is ``value(coalition, seed)``: a game with known shares."""
    runs = [Run(_name(c, groups), BASE_REGIME, s, s,
                {"rmst_days": value(frozenset(c), s)})
            for c in coalitions(groups) for s in seeds]
    return Results(runs)


def _shares(result, metric="rmst_days"):
    return {s.institution: s.value for s in result["metrics"][metric]["shares"]}


def test_shares_add_up_and_follow_shapleys_axioms():
    groups = ("a", "b", "c", "null")

    def value(c, seed):  # a and b interchangeable, c with an interaction, null inert
        return 100 - 10 * ("a" in c) - 10 * ("b" in c) - 6 * ("c" in c) \
            - 8 * ("a" in c and "c" in c) + seed

    result = shapley(_game(groups, value), groups, metrics=("rmst_days",))
    shares = _shares(result)
    m = result["metrics"]["rmst_days"]
    assert m["total"] == pytest.approx(-34) and m["adds_up"]
    assert sum(shares.values()) == pytest.approx(m["total"])
    assert shares["null"] == pytest.approx(0)
    assert shares["b"] == pytest.approx(-10)
    assert shares["a"] == pytest.approx(-14) and shares["c"] == pytest.approx(-10)


def test_an_institution_that_only_works_with_another_shares_the_credit_evenly():
    groups = ("levels", "hotline")
    result = shapley(_game(groups, lambda c, s: -12.0 * (len(c) == 2)), groups,
                     metrics=("rmst_days",))
    assert _shares(result) == {"levels": pytest.approx(-6), "hotline": pytest.approx(-6)}


def test_only_seeds_with_every_coalition_stored_are_used():
    groups = ("a", "b")
    results = _game(groups, lambda c, s: float(len(c)), seeds=(0, 1, 2))
    kept = [r for c in coalitions(groups) for r in results.get(_name(c, groups), BASE_REGIME)
            if not (c == ("a",) and r.seed == 2)]
    assert shapley(Results(kept), groups, metrics=("rmst_days",))["seeds"] == 2


def test_govsim_decompose_writes_its_report_and_resumes(tmp_path, capsys):
    scenario = load_scenario(resources.scenario_path("parking_x_community"))
    scenario.params.update({"households": 200, "buildings": 5})
    path = tmp_path / "small.toml"
    path.write_text(scenario_to_toml(scenario))
    out = tmp_path / "dec"
    args = ["decompose", str(path), "--seeds", "2", "--days", "30", "--out", str(out),
            "--executor", "sequential", "--quiet"]
    assert main(args) == 0
    data = json.loads((out / "decomposition.json").read_text())
    assert data["seeds"] == 2 and data["institutions"] == list(INSTITUTIONS)
    for metric in data["metrics"].values():
        assert metric["adds_up"]
    assert (out / "decomposition.png").stat().st_size > 0
    assert "total (grid − state)" in (out / "decomposition.md").read_text()
    capsys.readouterr()
    assert main(args + ["--resume"]) == 0
    assert "0 run(s) done, 0 failed, 512 already stored" in capsys.readouterr().err


def test_govsim_decompose_refuses_bad_input_before_running(tmp_path, capsys):
    assert main(["decompose", "--seeds", "1", "--out", str(tmp_path / "x")]) == 2
    assert "--seeds" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
    assert main(["decompose", "no_such_scenario", "--out", str(tmp_path / "y")]) == 2
    assert "no_such_scenario" in capsys.readouterr().err


def test_the_cases_decomposition_ships_with_the_docs_and_adds_up():
    from govsim.validation.decompose import shipped

    data = shipped("parking_x_community")
    assert data is not None and data["seeds"] >= 20
    assert set(data["institutions"]) == set(INSTITUTIONS)
    for metric in ("rmst_days", "petitions", "satisfaction", "staff_days"):
        m = data["metrics"][metric]
        assert m["adds_up"]
        assert sum(v["value"] for v in m["shares"].values()) == pytest.approx(m["total"])
    assert shipped("xianlin_street") is None


def test_the_shipped_decomposition_is_only_offered_for_the_scenario_it_was_run_on():
    """The app shows the shipped shares for the case as shipped — not after a lever
    changed the runs they were computed from."""
    from govsim import resources
    from govsim.validation.decompose import shipped

    case = load_scenario(resources.scenario_path("parking_x_community"))
    assert shipped(case) is not None
    assert shipped(case.with_overrides({"households_per_grid_worker": 100.0})) is None
    assert shipped(case.with_overrides({"days": case.days + 30})) is None


def test_the_shipped_decomposition_still_describes_the_model():
    """Two of its seeds run again give the grid − state differences it stored: when the
    model changes, the shipped shares must be computed again (``make validate``, then copy
    ``out/validation/decompose/decomposition.json`` to ``govsim/docs/figures/``)."""
    from govsim.validation.decompose import shipped

    case = load_scenario(resources.scenario_path("parking_x_community"))
    data = shipped(case)
    assert data is not None, "no decomposition ships for the case as it is now"
    for k, seed in enumerate(data["seed_list"][:2]):
        grid, state = run(case, "grid", seed).summary, run(case, BASE_REGIME, seed).summary
        for metric in ("rmst_days", "petitions", "staff_days"):
            stored = data["metrics"][metric]["totals_by_seed"][k]
            assert grid[metric] - state[metric] == pytest.approx(stored), (metric, seed)

