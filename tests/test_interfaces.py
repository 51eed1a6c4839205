"""The model works with Mesa's own tooling and the CLI prints what it promises."""

import json
import subprocess
import sys

import mesa

from govsim import GovernanceModel
from govsim.runner import daily_records, run_model
from govsim.reporters import MODEL_REPORTERS

from govsim.resources import scenarios_dir

CASE = scenarios_dir() / "parking_x_community.toml"


def test_mesa_batch_run_returns_the_run_summaries_beside_the_daily_reporters():
    results = mesa.batch_run(GovernanceModel,
                             parameters={"regime": ["market", "grid"], "households": 200,
                                         "buildings": 5, "days": 15,
                                         "parking_conflict": True},
                             rng=[1, 2], max_steps=50, number_processes=1,
                             data_collection_period=-1, display_progress=False)
    assert len(results) == 4
    for row in results:
        assert row["Step"] == 15  # the model stops itself at its horizon
        assert {"confrontations", "satisfaction_share", "trust_grid"} <= set(row)
        # the same run's summary, with no glue
        again = run_model(GovernanceModel(regime=row["regime"], rng=row["rng"],
                                          households=200, buildings=5, days=15,
                                          parking_conflict=True)).summary()
        for key in ("median_days", "rmst_days", "petitions", "satisfaction", "resolved_share",
                    "parking_closed_day", "parking_first_state_action_day"):
            assert row[key] == again[key], key
    assert any(row["parking_first_state_action_day"] is not None for row in results)


def test_the_daily_series_keeps_only_daily_reporters(small):
    """One row a day of Mesa's collected table, its daily reporters' columns only (the run
    summary attached to the last day's row is left out)."""
    m = run_model(GovernanceModel(regime="state", rng=3, **small))
    rows = daily_records(m)
    assert len(rows) == small["days"] and "rmst_days" not in rows[-1]
    mesa_rows = m.datacollector.get_model_vars_dataframe()[list(MODEL_REPORTERS)].to_dict(
        "records")
    assert rows == mesa_rows  # and of the same plain types, as tables are written from them
    assert [[type(v) for v in r.values()] for r in rows] == [
        [type(v) for v in r.values()] for r in mesa_rows]


def test_a_finished_run_is_recorded_once_and_a_live_one_afresh(small):
    """While a model runs, its dispute rows are today's; once it is over its record is
    made once, and the summary and the dispute table read that same record."""
    m = GovernanceModel(regime="grid", rng=4, **small)
    m.step()
    first = len(m.dispute_records())
    for _ in range(10):
        m.step()
    assert len(m.dispute_records()) > first  # new disputes show at once
    run_model(m)
    assert m.record() is m.record()
    assert m.dispute_records() is m.record().disputes
    assert m.summary()["disputes"] == len(m.dispute_records())


def test_run_json_has_the_documented_keys():
    proc = subprocess.run([sys.executable, "-m", "govsim.cli", "run", str(CASE), "--seeds", "2",
                           "--days", "40", "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["scenario"] == "parking_x_community"
    assert payload["days"] == 40 and payload["seeds"] == [0, 1]
    assert set(payload["regimes"]) == {"market", "state", "grid"}
    for regime in payload["regimes"].values():
        for key in ("median_days", "p90_days", "rmst_days", "resolved_share", "confrontations",
                    "petitions", "satisfaction", "staff_days"):
            assert key in regime
        assert {"closed_share", "median_closed_day", "first_confrontation_day",
                "first_state_action_day"} <= set(regime["parking"])


def test_run_writes_figure_and_tables(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "govsim.cli", "run", str(CASE), "--seeds", "1",
                           "--days", "30", "--regime", "grid", "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "median days to resolution" in proc.stdout
    assert (tmp_path / "km_by_regime.png").stat().st_size > 10_000
    assert (tmp_path / "runs.csv").read_text().count("\n") == 2


def test_a_dispute_tables_floats_are_rounded_as_python_rounds_them():
    """The book rounds a whole column of a run's dispute table at once; every value must
    be exactly Python's ``round(v, 6)``: halves (1/128 is 0.0078125), values a float's
    rounding of ``v × 10^6`` could tip, large, negative and non-finite ones included."""
    import math

    import numpy as np

    from govsim.record import rounded

    rng = np.random.default_rng(11)
    values = np.concatenate([
        rng.uniform(0, 1, 20_000), rng.uniform(-50, 50, 5_000), rng.exponential(30, 5_000),
        np.arange(1, 2_000, 2) / 128, (np.arange(0, 3_000) + 0.5) / 1e6,
        np.nextafter((np.arange(0, 3_000) + 0.5) / 1e6, 1.0), [0.0, -0.0, 1e300, -1e17,
                                                               2.0 ** 52 / 1e6, 123456.7890125]])
    expected = [round(float(v), 6) for v in values]
    assert rounded(values) == expected
    odd = rounded(np.array([math.inf, -math.inf, math.nan]))
    assert odd[:2] == [math.inf, -math.inf] and math.isnan(odd[2])
