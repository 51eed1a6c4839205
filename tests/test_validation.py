"""The validation machinery: the experiment file is checked like a scenario, facts are
computed from the runs (recomputed here), the CLI writes its outputs, bad input exits 2.
Few seeds and short horizons: the full 50-seed check is `make validate`, not a test."""

import json
import math
import textwrap
from pathlib import Path

import numpy as np
import pytest

from govsim.cli import main
from govsim.validation import ExperimentError, load_experiment
from govsim.validation.experiment import parse_experiment
from govsim.validation.facts import by_variant, check_facts, paired
from govsim.validation.replay import event_table, sensitivity, source_days
from govsim.scenario import load_scenario, scenario_to_toml

ROOT = Path(__file__).resolve().parent.parent
EXPERIMENT = ROOT / "experiments" / "stylized_facts.toml"
SCENARIO = ROOT / "scenarios" / "parking_x_community.toml"


@pytest.fixture(scope="module")
def small_scenario(tmp_path_factory) -> Path:
    """The case community at a quarter of its size, with the case's timeline."""
    sc = load_scenario(SCENARIO)
    sc.params.update({"households": 400, "buildings": 10, "days": 40})
    path = tmp_path_factory.mktemp("sc") / "small.toml"
    path.write_text(scenario_to_toml(sc))
    return path


@pytest.fixture(scope="module")
def small_experiment(small_scenario, tmp_path_factory) -> Path:
    text = EXPERIMENT.read_text().replace('"../scenarios/parking_x_community.toml"',
                                          f'"{small_scenario}"')
    text = text.replace("[800, 400, 200, 100, 50]", "[400, 200, 100]")
    path = tmp_path_factory.mktemp("exp") / "facts.toml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def facts_run(small_experiment):
    exp = load_experiment(small_experiment)
    results, records = check_facts(exp, seeds=3)
    return exp, results, records


def test_the_shipped_experiment_file_is_valid():
    exp = load_experiment(EXPERIMENT)
    assert exp.scenario.resolve() == SCENARIO.resolve()
    assert exp.households_per_grid_worker == (800, 400, 200, 100, 50)
    assert exp.window == (21, 28)


@pytest.mark.parametrize("text,named", [
    ("[experiment]\nseedz = 3\n", "experiment.seedz"),
    ("[experiment]\nseeds = 'many'\n", "experiment.seeds = 'many'"),
    ("[state_case]\nwindow = [28, 21]\n", "state_case.window = [28, 21]"),
    ("[admin_burden]\ncommittee_admin_burden = 2.0\n", "committee_admin_burden = 2.0"),
    ("[social_organisations]\nset = { social_mediaton = false }\n", "social_mediaton"),
    ("[grid_workers]\nhouseholds_per_grid_worker = [200, 100]\n", "at least 3"),
    ("[facts]\nx = 1\n", "[facts]: unknown section"),
])
def test_a_bad_experiment_names_key_value_and_expectation(text, named, tmp_path):
    with pytest.raises(ExperimentError) as info:
        parse_experiment(text, "bad.toml", ROOT / "experiments")
    assert any(named in m for m in info.value.messages), info.value.messages


def test_the_cli_turns_a_bad_experiment_into_a_message_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[experiment]\nseeds = -1\nconfidence = 'high'\n")
    assert main(["facts", str(bad), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "experiment.seeds = -1" in err and "experiment.confidence = 'high'" in err
    assert "Traceback" not in err
    assert main(["facts", "--seeds", "0"]) == 2
    assert "--seeds 0" in capsys.readouterr().err


def test_every_fact_is_checked_and_reported_with_a_verdict(facts_run):
    _, results, _ = facts_run
    ids = [r.fact for r in results]
    assert ids == ["1a", "1b", "2a", "2b", "3a", "3b", "4a", "4b", "4c", "4d", "4e", "4f",
                   "5a", "5b", "6", "7a", "7b", "7c"]
    for r in results:
        assert isinstance(r.holds, bool) and r.test and r.measure
        if r.ci is not None and None not in r.ci and r.effect is not None:
            assert r.ci[0] <= r.effect + 1e-9 and r.effect - 1e-9 <= r.ci[1]


def test_fact_numbers_are_computed_from_the_runs(facts_run):
    exp, results, records = facts_run
    v = by_variant(records)
    got = {r.fact: r for r in results}
    # 1a: share of market runs in which the parking dispute settled
    settled = [r["summary"]["parking_closed"] for r in v["market"]]
    assert got["1a"].effect == pytest.approx(sum(settled) / len(settled))
    # 4d: paired mean difference of confrontations, grid − state, seed by seed
    diff = paired([r["summary"]["confrontations"] for r in v["grid"]],
                  [r["summary"]["confrontations"] for r in v["state"]])
    assert got["4d"].effect == pytest.approx(np.mean(diff))
    assert got["4d"].holds == (got["4d"].ci[1] < 0)
    # 7c: the grid pays for its workers in staff-days
    assert got["7c"].detail["grid_mean"] > got["7c"].detail["state_mean"]
    # every variation ran on the same seeds (common random numbers)
    assert {tuple(r["seed"] for r in rs) for rs in v.values()} == {(0, 1, 2)}


def test_facts_are_the_same_with_two_processes(small_experiment, facts_run):
    exp, results, records = facts_run
    again, records2 = check_facts(load_experiment(small_experiment), seeds=3, workers=2)
    assert [r.to_dict() for r in again] == [r.to_dict() for r in results]


def test_govsim_facts_writes_json_markdown_and_figures(small_experiment, tmp_path, capsys):
    out = tmp_path / "v"
    assert main(["facts", str(small_experiment), "--seeds", "2", "--days", "20", "--out",
                 str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "holds" in printed or "DOES NOT HOLD" in printed
    data = json.loads((out / "facts.json").read_text())
    assert data["seeds"] == 2 and len(data["facts"]) == data["claims"] == 18
    assert data["holds"] == sum(f["holds"] for f in data["facts"])
    md = (out / "facts.md").read_text()
    assert "| 2b |" in md and "facts_km_by_regime.png" in md
    assert (out / "facts_km_by_regime.png").stat().st_size > 10_000
    assert (out / "facts_grid_workers.png").stat().st_size > 10_000


def test_replay_sets_the_simulated_days_against_the_source(small_scenario):
    sc = load_scenario(small_scenario)
    source = source_days(sc)
    # read from the timeline's event kinds; the source gives no date for the settlement
    assert source == {"first_confrontation": 0, "guards": 3, "petition": 4, "state_action": 5,
                      "assembly": 23}
    from govsim.validation.replay import replay_runs

    records = replay_runs(small_scenario, seeds=2, regimes=("state",))
    rows = event_table(records, "state", source)
    first = next(r for r in rows if r["event"] == "first_confrontation")
    days = [r["case"]["first_confrontation"] for r in records]
    assert first["happened"] == sum(d is not None for d in days)
    if first["happened"]:
        assert first["median"] == pytest.approx(np.median([d for d in days if d is not None]))
    acted = [r["case"]["state_action"] for r in records]
    esc = [min(x for x in (r["case"]["first_confrontation"], r["case"]["petition"])
               if x is not None) for r in records if r["case"]["state_action"] is not None]
    assert all(a >= e for a, e in zip([a for a in acted if a is not None], esc))


def test_sensitivity_moves_one_parameter_at_a_time(small_scenario):
    rows = sensitivity(small_scenario, seeds=2, parameters=("preparatory_group_days",
                                                            "confrontation_min_participants"))
    by = {r.parameter: r for r in rows}
    a = by["preparatory_group_days"]
    assert (a.low, a.base, a.high) == (1.5, 3.0, 4.5)
    c = by["confrontation_min_participants"]
    assert (c.low, c.high) == (10, 30) and isinstance(c.low, int)
    # a longer preparation cannot make the state-backed assembly, hence settlement, earlier
    if a.median_low is not None and a.median_high is not None:
        assert a.median_low <= a.median_high
    assert rows[0].swing >= rows[-1].swing or math.isinf(rows[0].swing)


def test_a_horizon_too_short_for_anything_to_settle_still_gives_valid_json(small_experiment,
                                                                          tmp_path):
    out = tmp_path / "tiny"
    assert main(["facts", str(small_experiment), "--seeds", "2", "--days", "3", "--out",
                 str(out), "--quiet"]) == 0

    def reject(constant):
        raise AssertionError(f"non-finite number {constant} in facts.json")

    data = json.loads((out / "facts.json").read_text(), parse_constant=reject)
    two_b = next(f for f in data["facts"] if f["fact"] == "2b")
    assert two_b["holds"] is False  # nothing can settle in three days
