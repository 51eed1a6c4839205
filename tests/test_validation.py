"""Validation runs on the sweep engine: the stylized facts and the case replay are analyses
of a sweep of named points (stored, resumable, on any executor); facts are computed from
the stored runs; bad input exits 2. Few seeds and short horizons: the full 50-seed check is
`make validate`, not a test."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from govsim.cli import main
from govsim.runner import run
from govsim.scenario import load_scenario, scenario_to_toml
from govsim.statistics import paired
from govsim.sweep.engine import run_sweep
from govsim.sweep.spec import ExperimentError, load_experiment, parse_experiment
from govsim.validation.facts import BASE, evaluate, parse_settings
from govsim.validation.replay import (event_table, replay_experiment, sensitivity,
                                      source_days)
from govsim.validation.results import Results

ROOT = Path(__file__).resolve().parent.parent
EXPERIMENT = ROOT / "experiments" / "stylized_facts.toml"
SCENARIO = ROOT / "scenarios" / "parking_x_community.toml"
FACTS = ["1a", "1b", "2a", "2b", "2c", "3a", "3b", "3c", "4a", "4b", "4c", "4d", "4e",
         "4f", "5a", "5b", "6", "7a", "7b", "7c", "8a", "8b", "8c", "8d", "9a", "9b", "10"]


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
    text = text.replace("replicates = 50", "replicates = 3")
    path = tmp_path_factory.mktemp("exp") / "facts.toml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def facts_run(small_experiment, tmp_path_factory):
    """The facts experiment run through the sweep engine, its store read back."""
    exp = load_experiment(small_experiment)
    store = tmp_path_factory.mktemp("store") / "runs"
    run_sweep(exp, store, executor="sequential", progress=False)
    results = Results.from_store(store)
    return exp, evaluate(parse_settings(exp), results), results, store


def test_the_shipped_facts_file_is_a_sweep_of_named_points():
    exp = load_experiment(EXPERIMENT)
    assert exp.design == "points" and exp.scenario.path.resolve() == SCENARIO.resolve()
    names = {p.name: p for p in exp.points}
    assert names[BASE].regimes == ("market", "state", "grid") and not names[BASE].values
    assert names["burden_high"].values == {"committee_admin_burden": 0.9}
    settings = parse_settings(exp)
    assert settings.groups["grid_workers"]["points"][2] == BASE
    assert settings.groups["state_case"]["assembly_day"] == 23


@pytest.mark.parametrize("extra,named", [
    ("[facts.nonsense]\nx = 1\n", "[facts.nonsense]: unknown group"),
    ("[facts.admin_burden]\npoint = 'missing'\n", "point 'missing'"),
    ("[facts.admin_burden]\npont = 'burden_high'\n", "facts.admin_burden.pont"),
    ("[facts.market_lock_in]\nmax_closed_share = 2\n", "max_closed_share = 2"),
    ("[facts.grid_workers]\npoints = ['base', 'workers_50']\n", "at least 3"),
])
def test_bad_fact_settings_name_key_value_and_expectation(extra, named):
    import tomlkit

    doc = tomlkit.parse(EXPERIMENT.read_text())
    for group, table in tomlkit.parse(extra)["facts"].items():
        doc["facts"][group] = table  # the shipped group replaced by the bad one
    exp = parse_experiment(tomlkit.dumps(doc), EXPERIMENT)
    with pytest.raises(ExperimentError) as info:
        parse_settings(exp)
    assert any(named in m for m in info.value.messages), info.value.messages


def test_the_cli_refuses_bad_input_before_running_anything(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(EXPERIMENT.read_text().replace(
        'point = "burden_high"', 'point = "nowhere"').replace(
        "../scenarios/parking_x_community.toml", str(SCENARIO)))
    assert main(["facts", str(bad), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "point 'nowhere'" in err and "Traceback" not in err
    assert not (tmp_path / "o" / "runs").exists()
    assert main(["facts", "--seeds", "0"]) == 2
    assert "--seeds 0" in capsys.readouterr().err


def test_every_fact_is_checked_and_reported_with_a_verdict(facts_run):
    _, facts, _, _ = facts_run
    assert [r.fact for r in facts] == FACTS
    for r in facts:
        assert isinstance(r.holds, bool) and r.test and r.measure
        if r.ci is not None and None not in r.ci and r.effect is not None:
            assert r.ci[0] <= r.effect + 1e-9 and r.effect - 1e-9 <= r.ci[1]


def test_fact_numbers_are_the_stored_runs_numbers(facts_run):
    exp, facts, results, _ = facts_run
    got = {r.fact: r for r in facts}
    market = results.get(BASE, "market")
    settled = [r.summary["parking_closed"] for r in market]
    assert got["1a"].effect == pytest.approx(sum(settled) / len(settled))
    diff = paired([r.summary["confrontations"] for r in results.get(BASE, "grid")],
                  [r.summary["confrontations"] for r in results.get(BASE, "state")])
    assert got["4d"].effect == pytest.approx(np.mean(diff))
    assert got["4d"].holds == (got["4d"].ci[1] < 0)
    # where the big-fuss advantage lies is reported beside 3a's verdict, split two ways
    among = got["3a"].detail["advantage_among"]
    assert set(among) == {"interpersonal (neighbour, family, public order)",
                          "against firms, businesses and the state",
                          "taken up by a leader", "referred to departments"}
    assert all(v is None or math.isfinite(v) for v in among.values())
    # the stored runs are the library's runs: same seed, same summary
    again = run(exp.scenario, "market", market[1].seed, overrides=exp.fixed).summary
    assert again["confrontations"] == market[1].summary["confrontations"]
    # every variation ran on the same seeds (common random numbers)
    assert {tuple(r.seed for r in results.get(*v)) for v in results.variants()} == {(0, 1, 2)}


def test_govsim_facts_runs_resumes_and_writes_its_report(small_experiment, tmp_path, capsys):
    out = tmp_path / "v"
    args = ["facts", str(small_experiment), "--seeds", "2", "--days", "20", "--out",
            str(out), "--executor", "sequential", "--quiet"]
    assert main(args) == 0
    printed = capsys.readouterr()
    assert "holds" in printed.out or "DOES NOT HOLD" in printed.out
    data = json.loads((out / "facts.json").read_text())
    assert data["seeds"] == 2 and data["claims"] == len(FACTS)
    assert data["holds"] == sum(f["holds"] for f in data["facts"])
    assert "| 2b |" in (out / "facts.md").read_text()
    assert (out / "facts_km_by_regime.png").stat().st_size > 10_000
    assert (out / "runs" / "manifest.json").exists()
    assert main(["report", str(out / "runs")]) == 0  # an ordinary sweep store
    assert "base" in (out / "runs" / "report" / "summary.md").read_text()
    # the same command again needs --resume, and then runs nothing new
    assert main(args) == 2
    assert "--resume" in capsys.readouterr().err
    assert main(args + ["--resume"]) == 0
    assert "0 run(s) done" in capsys.readouterr().err
    assert json.loads((out / "facts.json").read_text()) == data


def test_replay_is_a_sweep_of_named_points_set_against_the_source(small_scenario, tmp_path):
    sc = load_scenario(small_scenario)
    source = source_days(sc)
    # read from the timeline's event kinds; the source gives no date for the settlement
    assert source == {"first_confrontation": 0, "guards": 3, "petition": 4, "state_action": 5,
                      "assembly": 23}
    text = replay_experiment(sc, seeds=2, sensitivity_seeds=2,
                             parameters=("preparatory_group_days",
                                         "confrontation_min_participants"))
    exp = parse_experiment(text, tmp_path / "replay.toml")
    assert {p.name for p in exp.points} == {
        "base", "preparatory_group_days-low", "preparatory_group_days-high",
        "confrontation_min_participants-low", "confrontation_min_participants-high"}
    run_sweep(exp, tmp_path / "runs", executor="sequential", progress=False)
    results = Results.from_store(tmp_path / "runs")
    rows = event_table(results, "state", source)
    first = next(r for r in rows if r["event"] == "first_confrontation")
    days = [r.summary["parking_first_confrontation_day"] for r in results.get("base", "state")]
    assert first["happened"] == sum(d is not None for d in days)
    rows = sensitivity(results, sc, parameters=("preparatory_group_days",
                                                "confrontation_min_participants"))
    by = {r.parameter: r for r in rows}
    a = by["preparatory_group_days"]
    assert (a.low, a.base, a.high) == (1.5, 3.0, 4.5)
    c = by["confrontation_min_participants"]
    assert (c.low, c.high) == (10, 30) and isinstance(c.low, int)
    assert rows[0].swing >= rows[-1].swing or math.isinf(rows[0].swing)


def test_govsim_replay_writes_tables_and_figures(small_scenario, tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["replay", str(small_scenario), "--seeds", "2", "--days", "30", "--out",
                 str(out), "--executor", "sequential", "--quiet"]) == 0
    assert "state:" in capsys.readouterr().out
    data = json.loads((out / "replay.json").read_text())
    assert set(data["events"]) == {"state", "market", "grid"}
    assert (out / "replay_experiment.toml").exists()  # the runs, as an experiment file
    assert (out / "replay_state.png").stat().st_size > 10_000


def test_a_horizon_too_short_for_anything_to_happen_still_gives_valid_json(small_experiment,
                                                                           tmp_path):
    out = tmp_path / "tiny"
    assert main(["facts", str(small_experiment), "--seeds", "2", "--days", "3", "--out",
                 str(out), "--executor", "sequential", "--quiet"]) == 0

    def reject(constant):
        raise AssertionError(f"non-finite number {constant} in facts.json")

    data = json.loads((out / "facts.json").read_text(), parse_constant=reject)
    two_b = next(f for f in data["facts"] if f["fact"] == "2b")
    assert two_b["holds"] is False  # no assembly can be held in three days
