"""The sweep engine: experiment files, designs, executors, the result store, the report.

Runs are tiny (300 households, 40 days) so that the real machinery — process pools, the
CLI, the store on disk — is exercised within seconds.
"""

from __future__ import annotations

import json
import math
import shutil
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pytest

from govsim.cli import main
from govsim.runner import run
from govsim.sweep import load_experiment, read_table, run_sweep
from govsim.sweep.engine import select
from govsim.sweep.store import ResultStore, StoreError

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "parking_x_community.toml"
VOLATILE = ["wall_s", "worker", "finished_at", "batch", "attempts"]


def write_experiment(path: Path, *, replicates: int = 2, households: int = 300,
                     days: int = 40, regimes=("market", "state", "grid"),
                     values=(0.3, 0.7), extra: str = "",
                     outputs: str = "daily = true\nevery = 10\ndisputes = true\n") -> Path:
    path.write_text(f"""
[experiment]
name = "tiny"
question = "Does the sweep machinery work?"
scenario = "{SCENARIO}"
regimes = {json.dumps(list(regimes))}
replicates = {replicates}
days = {days}

[set]
households = {households}
buildings = 10

[parameters.committee_admin_burden]
values = {json.dumps(list(values))}

[outputs]
{outputs}
{extra}
""")
    return path


def write_design_experiment(path: Path, design: str, ranges: dict[str, tuple[float, float]],
                            outputs: list[str]) -> Path:
    """A sampled design (Sobol, Morris) on a small community under the state regime."""
    parameters = "".join(f"[parameters.{name}]\nlow = {low}\nhigh = {high}\n"
                         for name, (low, high) in ranges.items())
    path.write_text(f"""
[experiment]
scenario = "{SCENARIO}"
regimes = ["state"]
days = 30
[set]
households = 400
buildings = 5
[design]
{design}
{parameters}[analysis]
outputs = {json.dumps(outputs)}
""")
    return path


def results(out: Path) -> pd.DataFrame:
    """The stored runs without what legitimately differs between executors."""
    return read_table(out).drop(columns=VOLATILE).set_index("run_id").sort_index()


def cli(*args: str, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govsim.cli", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, **kw)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A 12-run experiment swept sequentially in this process: the reference."""
    d = tmp_path_factory.mktemp("tiny")
    exp_path = write_experiment(d / "tiny.toml")
    res = run_sweep(load_experiment(exp_path), d / "seq", executor="sequential",
                    progress=False)
    assert (res.done, res.failed) == (12, 0)
    return exp_path, d / "seq"


# ---- experiment files ------------------------------------------------------------------------
BAD = [
    ("[parameters.comittee_admin_burden]\nvalues = [0.1]\n",
     "parameters.comittee_admin_burden: unknown parameter", "committee_admin_burden"),
    ("[parameters.committee_admin_burden]\nvalues = [0.1, 1.5]\n",
     "committee_admin_burden", "1.5"),
    ("[design]\nkind = \"sobol\"\nsamples = 10\n"
     "[parameters.order_sanction]\nlow = 0.0\nhigh = 5.0\n[parameters.guard_escalation]\nlow = 0.0\n"
     "high = 0.5\n", "design.samples = 10", "power of 2"),
    ("[design]\nkind = \"latin\"\n", "design.kind = 'latin'", "factorial"),
    ("[outputs]\nevery = 0\n", "outputs.every = 0", "from 1"),
    ("[parameters.households]\nlow = 100\nhigh = 50\nsteps = 3\n", "low < high", "100"),
    ("[surprise]\nx = 1\n", "[surprise]: unknown section", "experiment"),
]


@pytest.mark.parametrize("body, must, also", BAD)
def test_bad_experiment_files_are_rejected_naming_the_key(tmp_path, capsys, body, must, also):
    path = tmp_path / "bad.toml"
    path.write_text(f'[experiment]\nscenario = "{SCENARIO}"\nreplicates = 1\n{body}')
    assert main(["sweep", str(path), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert must in err and also in err, err
    assert "Traceback" not in err


def _processes_with(name: str, value: str) -> list[int]:
    """The live processes whose environment sets ``name`` to ``value``."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get(name) == value:
                found.append(proc.pid)
        except psutil.Error:  # gone meanwhile, a zombie, or not ours to read
            pass
    return found


def test_a_bad_experiment_on_the_process_pool_is_refused_and_nothing_is_left_running(
        tmp_path):
    """``govsim sweep`` starts its fork server before it reads the experiment, so that the
    server's imports overlap the reading. A bad experiment still ends the command at once
    with exit 2 and a message naming the problem, no traceback, no results folder — and
    the server, started for nothing, goes with it."""
    from govsim.sweep.lifeline import PARENT_ENV

    bad = tmp_path / "bad.toml"
    bad.write_text("x = \n")
    out = tmp_path / "out"
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:  # a file, not a pipe: a lingering server would hold that
        sweep = subprocess.Popen([sys.executable, "-c",
                                  "from govsim.cli import entry; entry()",
                                  "sweep", str(bad), "--out", str(out)],
                                 stdout=subprocess.DEVNULL, stderr=stderr)
        sweep.wait(timeout=120)
    err = log.read_text()
    assert sweep.returncode == 2, err
    assert "not valid TOML" in err and "Traceback" not in err, err
    assert not out.exists()
    # the kernel kills the server as the command exits (lifeline); without that it would
    # live on until its imports end, most of a second later
    left = _processes_with(PARENT_ENV, str(sweep.pid))
    for _ in range(5):
        if not left:
            break
        time.sleep(0.1)
        left = _processes_with(PARENT_ENV, str(sweep.pid))
    assert not left


def test_bad_regime_missing_scenario_and_shard_are_rejected(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('[experiment]\nscenario = "nowhere.toml"\nregimes = ["anarchy"]\n'
                    'replicates = 0\n')
    assert main(["sweep", str(path), "--dry-run"]) == 2
    err = capsys.readouterr().err
    for text in ("experiment.scenario = 'nowhere.toml': no such file",
                 "'anarchy' is not a regime", "experiment.replicates = 0"):
        assert text in err
    good = write_experiment(tmp_path / "ok.toml")
    assert main(["sweep", str(good), "--shard", "3/2", "--dry-run"]) == 2
    assert "--shard 3/2" in capsys.readouterr().err


def test_one_experiment_format_serves_sweeps_and_facts(capsys):
    """The stylized facts are a sweep of named points; a sweep with no facts to check is
    refused by govsim facts with a message, before anything runs."""
    facts = str(ROOT / "experiments" / "stylized_facts.toml")
    sweep = str(ROOT / "experiments" / "regime_comparison.toml")
    assert main(["sweep", facts, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "design points" in out and "burden_high: committee_admin_burden=0.9" in out
    assert main(["facts", sweep, "--quiet"]) == 2
    assert "no fact group to check" in capsys.readouterr().err


def test_dry_run_counts_runs_and_runs_nothing(tmp_path, capsys):
    path = write_experiment(tmp_path / "e.toml")
    assert main(["sweep", str(path), "--dry-run", "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "2 points × 3 regimes × 2 replicates = 12" in out
    assert "committee_admin_burden: 0.3, 0.7" in out
    assert not (tmp_path / "o").exists()


def test_the_four_experiments_are_valid_and_sized_as_documented(capsys):
    sizes = {"regime_comparison": 300, "grid_density": 210, "admin_burden": 630,
             "sensitivity": 1536}
    for name, runs in sizes.items():
        exp = load_experiment(ROOT / "experiments" / f"{name}.toml")
        assert exp.question.strip(), name
        _, tasks, _ = select(exp)
        assert len(tasks) == runs, name
        assert len({t.run_id for t in tasks}) == runs
    dens = load_experiment(ROOT / "experiments" / "grid_density.toml").axes[0].values
    assert dens[0] == 80.0 and dens[-1] == 800.0  # essay-9 density to a tenth of it


# ---- designs and seeds -----------------------------------------------------------------------
def test_paired_seeds_are_common_random_numbers(tiny):
    exp_path, _ = tiny
    _, tasks, _ = select(load_experiment(exp_path))
    by_rep = {}
    for t in tasks:
        by_rep.setdefault(t.replicate, set()).add(t.seed)
    assert by_rep == {0: {0}, 1: {1}}  # same seed for every regime and every point
    assert len({t.run_id for t in tasks}) == len(tasks)


def test_sampled_designs_respect_bounds_and_types(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(f"""
[experiment]
scenario = "{SCENARIO}"
regimes = ["grid"]
[design]
kind = "lhs"
samples = 20
seed = 3
[parameters.households]
low = 100
high = 400
[parameters.order_enforcement]
low = 0.2
high = 0.9
""")
    exp = load_experiment(path)
    design, tasks, _ = select(exp)
    assert len(design.points) == 20
    hh = [p["households"] for p in design.points]
    assert all(isinstance(h, int) and 100 <= h <= 400 for h in hh)
    assert all(0.2 <= p["order_enforcement"] <= 0.9 for p in design.points)
    again, _, _ = select(load_experiment(path))
    assert again.points == design.points  # the design seed makes it reproducible


# ---- executors: the same results everywhere --------------------------------------------------
def test_stored_summary_is_the_library_run(tiny):
    exp_path, seq = tiny
    exp = load_experiment(exp_path)
    row = read_table(seq).iloc[5]
    direct = run(exp.scenario, row["regime"], int(row["seed"]),
                 overrides={**exp.fixed, "committee_admin_burden":
                            row["param_committee_admin_burden"]}).summary
    for key, value in direct.items():
        stored = row[key]
        if value is None:
            assert stored is None or (isinstance(stored, float) and math.isnan(stored)), key
        else:
            assert stored == value, key


def test_process_pool_gives_identical_results(tiny, tmp_path):
    exp_path, seq = tiny
    res = run_sweep(load_experiment(exp_path), tmp_path / "proc", executor="process",
                    workers=2, progress=False)
    assert (res.done, res.failed) == (12, 0)
    pd.testing.assert_frame_equal(results(seq), results(tmp_path / "proc"))
    assert read_table(tmp_path / "proc")["worker"].nunique() >= 1


def test_cli_sweep_csv_then_resume_skips_everything(tiny, tmp_path, capsys):
    exp_path, seq = tiny
    out = tmp_path / "csv"
    p = cli("sweep", str(exp_path), "--out", str(out), "--workers", "2", "--format", "csv")
    assert p.returncode == 0, p.stderr
    assert (out / "runs.csv").exists() and (out / "daily.csv").exists()
    assert "12 run(s) done, 0 failed" in p.stderr
    a, b = results(seq), results(out)
    # a metric undefined in every run is None read back from Parquet, NaN from CSV
    pd.testing.assert_frame_equal(a.drop(columns="error").fillna(np.nan),
                                  b[a.columns].drop(columns="error").fillna(np.nan),
                                  check_dtype=False)
    again = cli("sweep", str(exp_path), "--out", str(out), "--resume", "--executor",
                "sequential")
    assert again.returncode == 0
    assert "0 run(s) done, 0 failed, 12 already stored" in again.stderr
    assert main(["sweep", str(exp_path), "--out", str(out), "--executor", "sequential"]) == 2
    assert "expected --resume" in capsys.readouterr().err
    assert main(["sweep", str(exp_path), "--out", str(out), "--resume", "--format",
                 "parquet", "--executor", "sequential"]) == 2
    assert "--format parquet: the store" in capsys.readouterr().err


def test_manifest_and_status_log(tiny):
    _, seq = tiny
    m = json.loads((seq / "manifest.json").read_text())
    assert m["runs_total"] == 12 and len(m["seeds"]) == 12
    assert m["experiment"]["sha256"] and "[experiment]" in m["experiment"]["text"]
    s = m["sessions"][0]
    assert s["versions"]["mesa"].startswith("3.5") and s["ended"] and s["started"]
    events = [json.loads(x)["event"] for x in (seq / "status.log").read_text().splitlines()]
    assert events[0] == "sweep-start" and events[-1] == "sweep-end"
    assert events.count("run-done") == 12


def test_shards_are_disjoint_and_complete(tiny, tmp_path):
    exp_path, seq = tiny
    out = tmp_path / "sharded"
    exp = load_experiment(exp_path)
    r1 = run_sweep(exp, out, executor="sequential", shard_spec=(1, 2), progress=False)
    r2 = run_sweep(exp, out, executor="sequential", shard_spec=(2, 2), progress=False)
    assert r1.total + r2.total == 12 and r1.total > 0 and r2.total > 0
    pd.testing.assert_frame_equal(results(seq), results(out))


def test_shards_started_at_once_share_one_folder(tiny, tmp_path):
    """A job array: three shard processes start together on one empty --out folder. Each
    joins the store the first one created; together they store every run once, and the
    manifest keeps all three sessions."""
    exp_path, seq = tiny
    out = tmp_path / "array"
    procs = [subprocess.Popen([sys.executable, "-m", "govsim.cli", "sweep", str(exp_path),
                               "--out", str(out), "--shard", f"{i}/3", "--executor",
                               "sequential", "--quiet"], cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for i in (1, 2, 3)]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    pd.testing.assert_frame_equal(results(seq), results(out))
    raw = pd.concat([pd.read_parquet(p) for p in (out / "parts" / "runs").glob("*.parquet")])
    assert sorted(raw.run_id) == sorted(results(seq).index)  # each run stored once
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert len(sessions) == 3 and all(s["ended"] and s["done"] > 0 for s in sessions)
    assert not list((out / "journal").iterdir()) and not list(out.rglob("*.tmp"))



def test_a_store_whose_manifest_appears_during_the_first_look_is_joined(tmp_path, monkeypatch):
    """The race behind the job-array test, made deterministic: another shard writes its
    manifest and log (and journals a run) between this sweep's look for a manifest and its
    listing of the folder. The folder is a store being created, not a foreign folder."""
    from govsim.sweep import store as store_module
    root = tmp_path / "array"
    for sub in ("journal", "parts", "sessions"):
        (root / sub).mkdir(parents=True)
    for name in ("manifest.json", "status.log", "journal/s1.jsonl"):
        (root / name).write_text("{}")
    looks = {"n": 0}
    real_exists = Path.exists

    def manifest_missing_at_first_look(path):
        if path.name == "manifest.json" and looks["n"] == 0:
            looks["n"] += 1
            return False
        return real_exists(path)

    monkeypatch.setattr(Path, "exists", manifest_missing_at_first_look)
    store_module._refuse_foreign(root)  # no StoreError
    assert looks["n"] == 1
    (root / "manifest.json").unlink()
    with pytest.raises(StoreError, match="manifest.json: missing"):
        store_module._refuse_foreign(root)

# ---- failures ----------------------------------------------------------------------------------
def test_failed_runs_are_recorded_then_retried(tmp_path):
    fail = '[testing]\nfail = [{regime = "market", replicate = 1}]\n'
    path = write_experiment(tmp_path / "f.toml", extra=fail)
    out = tmp_path / "out"
    p = cli("sweep", str(path), "--out", str(out), "--workers", "2")
    assert p.returncode == 1, p.stderr  # some runs failed, none lost
    assert "10 run(s) done, 2 failed" in p.stderr
    runs = read_table(out)
    failed = runs[runs.status == "failed"]
    assert len(runs) == 12 and len(failed) == 2
    assert set(failed.regime) == {"market"} and set(failed.replicate) == {1}
    assert failed.error.str.contains("InjectedFailure").all()
    log = (out / "status.log").read_text()
    assert log.count('"run-failed"') == 2
    # the fault is lifted (the [testing] table is not part of the experiment's identity)
    write_experiment(tmp_path / "f.toml")
    p = cli("sweep", str(path), "--out", str(out), "--retry-failed", "--executor",
            "sequential")
    assert p.returncode == 0, p.stderr
    assert "2 run(s) done, 0 failed, 10 already stored" in p.stderr
    runs = read_table(out)
    assert len(runs) == 12 and (runs.status == "ok").all()
    daily = read_table(out, "daily")
    assert not daily.duplicated(["run_id", "day"]).any()
    assert set(daily.run_id) == set(runs.run_id)
    # the consolidated view holds the kept runs (ok over failed) and only their rows
    top = pd.read_parquet(out / "runs.parquet")
    assert list(top.run_id) == list(runs.run_id) and (top.status == "ok").all()
    assert list(top.finished_at) == list(runs.finished_at)
    top_daily = pd.read_parquet(out / "daily.parquet")
    assert len(top_daily) == len(daily) and not top_daily.duplicated(["run_id", "day"]).any()


def _journal_row(stored: pd.Series) -> dict:
    """A row of ``read_table`` as the worker's row in a journal line: plain Python values,
    no ``batch`` (the commit adds it), a missing number as ``None``."""
    row = {k: (v.item() if hasattr(v, "item") else v)
           for k, v in stored.drop(labels=["batch"]).items()}
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}


# ---- crash recovery, state by state ------------------------------------------------------------
def test_recovery_from_every_state_a_kill_can_leave(tiny, tmp_path):
    """Build by hand what a SIGKILL leaves at each point of a commit, then resume."""
    exp_path, seq = tiny
    exp = load_experiment(exp_path)
    out = tmp_path / "killed"
    run_sweep(exp, out, executor="sequential", shard_spec=(1, 3), progress=False)
    stored_before = set(read_table(out).run_id)
    # a journal with two complete lines and a torn third one (killed while writing)
    ref = read_table(seq)
    todo = ref[~ref.run_id.isin(stored_before)]
    lines = []
    for _, r in todo.head(2).iterrows():
        lines.append(json.dumps({"row": _journal_row(r), "daily": [{"day": 0, "x": 1.0}],
                                 "disputes": None, "events": None}))
    (out / "journal" / "zz-torn-00000.jsonl").write_text("\n".join(lines) + '\n{"row": {"ru')
    # a temporary part (killed while writing a part) and an orphan daily part of a batch
    # whose runs part never got renamed in (killed between the two renames)
    (out / "parts" / "runs" / "yy-00000.parquet.tmp").write_bytes(b"PAR1 half")
    pd.DataFrame({"run_id": [todo.run_id.iloc[3]], "day": [0]}).to_parquet(
        out / "parts" / "daily" / "yy-00001.parquet")
    res = run_sweep(exp, out, executor="sequential", resume=True, progress=False)
    assert res.recovered == 2
    assert res.done == 12 - len(stored_before) - 2
    assert not list((out / "journal").iterdir())
    assert not list(out.glob("parts/*/*.tmp"))
    assert not (out / "parts" / "daily" / "yy-00001.parquet").exists()
    final = read_table(out)
    assert sorted(final.run_id) == sorted(ref.run_id)
    raw = pd.concat([pd.read_parquet(p) for p in (out / "parts" / "runs").glob("*.parquet")])
    assert not raw.run_id.duplicated().any()
    daily = read_table(out, "daily")
    assert not daily.duplicated(["run_id", "day"]).any()


def test_store_refuses_another_experiment_a_file_and_a_foreign_folder(tiny, tmp_path):
    exp_path, seq = tiny
    other = load_experiment(write_experiment(tmp_path / "other.toml", values=(0.1, 0.2)))
    design, tasks, _ = select(other)
    before = sorted(p.name for p in seq.rglob("*"))
    with pytest.raises(StoreError, match="different experiment"):
        ResultStore.open(seq, other, design, tasks, [], resume=True)
    with pytest.raises(StoreError, match="different experiment"):
        ResultStore.open(seq, other, design, tasks, [], join=True)  # a shard of another
    assert sorted(p.name for p in seq.rglob("*")) == before  # nothing written
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="is a file"):
        ResultStore.open(tmp_path / "notes.txt", other, design, tasks, [])
    with pytest.raises(StoreError, match="not empty"):
        ResultStore.open(tmp_path, other, design, tasks, [])
    assert not (tmp_path / ".lock").exists()  # a foreign folder is not written to


# ---- report --------------------------------------------------------------------------------------
def test_report_tables_and_figures(tiny):
    _, seq = tiny
    assert main(["report", str(seq)]) == 0
    rep = seq / "report"
    for name in ("summary.csv", "summary.md", "km_by_regime.png", "km_by_regime.svg",
                 "logrank.csv", "effects.png", "effects.svg"):
        assert (rep / name).stat().st_size > 0, name
    table = pd.read_csv(rep / "summary.csv")
    runs = read_table(seq)
    sel = runs[(runs.regime == "grid") & (runs.param_committee_admin_burden == 0.7)]
    row = table[(table.regime == "grid") & (table.param_committee_admin_burden == 0.7)
                & (table.metric == "staff_days")].iloc[0]
    assert row["mean"] == pytest.approx(sel.staff_days.mean())
    assert row["ci95_low"] <= row["mean"] <= row["ci95_high"]
    logrank = pd.read_csv(rep / "logrank.csv")
    assert len(logrank) == 3 and logrank.p_value.between(0, 1).all()


def test_report_curve_censors_a_dispute_given_up_at_the_last_day(tmp_path):
    """The report's time to resolution follows the rule of every other survival curve: a
    dispute abandoned on day 1 is not resolved then, nor censored then, but still open at
    the last simulated day. With one resolved on day 3 beside it, half are unresolved after
    day 3 and at day 9, the last (treated as resolved, or censored on day 1, none would be)."""
    from govsim.sweep.report import _km

    runs = pd.DataFrame({"run_id": ["r1"], "regime": ["grid"]})
    disputes = pd.DataFrame({"run_id": ["r1", "r1"], "outcome": ["agreement", "abandoned"],
                             "opened": [0, 0], "closed": [3, 1]})
    _km(disputes, runs, days=10, out=tmp_path)
    km = pd.read_csv(tmp_path / "km.csv")
    assert dict(zip(km["day"], km["unresolved"])) == {3.0: 0.5, 9.0: 0.5}


def test_report_sobol_indices(tmp_path):
    path = write_design_experiment(tmp_path / "sobol.toml", 'kind = "sobol"\nsamples = 4',
                                   {"blocked_grievance_growth": (0.05, 0.4),
                                    "committee_admin_burden": (0.0, 0.9)},
                                   ["staff_days", "rmst_days"])
    out = tmp_path / "o"
    res = run_sweep(load_experiment(path), out, executor="sequential", progress=False)
    assert res.done == 16  # 4 × (2 + 2)
    assert main(["report", str(out)]) == 0
    sens = pd.read_csv(out / "report" / "sensitivity.csv")
    assert set(sens.parameter) == {"blocked_grievance_growth", "committee_admin_burden"}
    assert {"S1", "ST", "S1_conf", "ST_conf"} <= set(sens.columns)
    assert np.isfinite(sens.ST).all()
    assert (out / "report" / "sensitivity_staff_days.svg").exists()


def test_report_on_a_folder_without_a_sweep(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "no manifest.json" in capsys.readouterr().err


def test_dask_missing_says_how_to_install(tiny, tmp_path):
    exp_path, _ = tiny
    fake = tmp_path / "nodask"
    (fake / "distributed").mkdir(parents=True)
    (fake / "distributed" / "__init__.py").write_text("raise ImportError('no dask here')\n")
    env = {**os.environ, "PYTHONPATH": str(fake)}
    p = cli("sweep", str(exp_path), "--out", str(tmp_path / "o"), "--executor", "dask",
            env=env)
    assert p.returncode == 2
    assert "pip install 'govsim[dask]'" in p.stderr and "Traceback" not in p.stderr


def test_a_script_read_from_standard_input_is_told_to_use_a_file_before_any_run(tiny, tmp_path):
    """Worker processes import the main script again; a script piped to python has none
    to import (``<stdin>``), and every run would fail. The process executor refuses at
    once, and leaves no store; the sequential one runs such a script as usual."""
    exp_path, _ = tiny
    script = ("import sys\n"
              "from govsim.sweep import load_experiment, run_sweep\n"
              f"exp = load_experiment({str(exp_path)!r})\n"
              "r = run_sweep(exp, sys.argv[2], executor=sys.argv[1], progress=False)\n"
              "print('runs done', r.done)\n")
    for executor, out in (("process", tmp_path / "pool"), ("sequential", tmp_path / "seq")):
        p = subprocess.run([sys.executable, "-", executor, str(out)], input=script,
                           capture_output=True, text=True, timeout=120, cwd=tmp_path)
        if executor == "process":
            assert p.returncode != 0 and "'<stdin>' is not a file" in p.stderr
            assert "sequential executor" in p.stderr and not out.exists()
        else:
            assert p.returncode == 0 and "runs done 12" in p.stdout, p.stderr


def test_morris_design_shares_runs_of_repeated_points(tmp_path):
    """Morris trajectories revisit grid levels: identical points are one run each, and the
    indices are still computed over every point of the design."""
    path = write_design_experiment(tmp_path / "morris.toml",
                                   'kind = "morris"\nsamples = 4\nlevels = 4',
                                   {"blocked_grievance_growth": (0.05, 0.4),
                                    "households_per_grid_worker": (80.0, 800.0)},
                                   ["staff_days"])
    exp = load_experiment(path)
    design, tasks, _ = select(exp)
    assert len(design.points) == 12
    distinct = {tuple(sorted(p.items())) for p in design.points}
    assert len(tasks) == len(distinct)
    out = tmp_path / "o"
    run_sweep(exp, out, executor="sequential", progress=False)
    assert main(["report", str(out)]) == 0
    sens = pd.read_csv(out / "report" / "sensitivity.csv").set_index("parameter")
    # grid workers do not exist under the state regime: no effect, measured as none
    assert sens.loc["households_per_grid_worker", "mu_star"] == 0.0
    assert sens.loc["blocked_grievance_growth", "mu_star"] > 0.0


def _plain_cells(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


def test_a_part_written_from_records_reads_back_as_those_records(tmp_path):
    """A run's records become Arrow columns in its worker and a part at the commit: a key a
    record lacks is a null, columns come in order of first appearance, and a column Arrow
    cannot type alone still goes through (as it did through pandas)."""
    from govsim.sweep.durable import write_table
    from govsim.sweep.tables import arrow_table, pack, unpack

    varied = [{"run_id": "a", "n": 1, "x": 0.5, "s": "ok"},
              {"run_id": "b", "n": None, "flag": True},
              {"run_id": "c", "n": 3, "x": 2, "s": None, "big": 2**62}]
    mixed = [{"v": 2**62}, {"v": 1.5}]
    for i, records in enumerate((varied, mixed)):
        path = tmp_path / f"part{i}.parquet"
        write_table(unpack(pack(arrow_table(records))), path, "parquet", "test")
        back, expected = pd.read_parquet(path), pd.DataFrame(records)
        assert list(back.columns) == list(expected.columns)
        pd.testing.assert_frame_equal(_plain_cells(back), _plain_cells(expected))


def test_a_journal_line_is_a_record_only_when_whole():
    """A journal line carries the run's row and its packed tables; a line whose packed
    table was cut short (the sweep killed while writing it) is no record, and a line in
    the earlier form, tables listed as objects, still is one."""
    from govsim.sweep.store import _record
    from govsim.sweep.tables import arrow_table, as_text, pack

    row = {"run_id": "r1", "point": 0, "regime": "grid", "replicate": 0, "seed": 7,
           "status": "ok"}
    daily = [{"day": 0, "open": 3}, {"day": 1, "open": 2}]
    text = as_text(pack(arrow_table(daily)))
    planned = {"r1": 7}
    whole = _record(json.dumps({"row": row, "tables": {"daily": text}}), planned)
    assert whole["row"] == row and whole["tables"]["daily"].to_pylist() == daily
    assert _record(json.dumps({"row": row, "tables": {"daily": text[:-8]}}), planned) is None
    assert _record(json.dumps({"row": row, "tables": {"nonsense": text}}), planned) is None
    earlier = _record(json.dumps({"row": row, "daily": daily, "disputes": None}), planned)
    assert earlier["tables"]["daily"].to_pylist() == daily


def test_a_packed_table_damaged_in_the_journal_is_no_record():
    """Arrow's reader takes many a damaged stream for a table, which then fails — or crashes
    the process — when the commit writes it; a journal line carrying one is no record, so
    its run is computed again instead of every resume failing."""
    import base64

    from govsim.sweep.store import _record
    from govsim.sweep.tables import arrow_table, pack, unpack

    row = {"run_id": "r1", "point": 0, "regime": "grid", "replicate": 0, "seed": 7,
           "status": "ok"}
    events = [{"day": d, "kind": "opened", "note": "x" * (d % 5)} for d in range(40)]
    packed = pack(arrow_table(events))
    readable_but_damaged = None
    for pos in range(len(packed)):  # the first bit flip that Arrow's reader still accepts
        for bit in range(8):
            damaged = bytearray(packed)
            damaged[pos] ^= 1 << bit
            try:
                unpack(bytes(damaged)).validate(full=True)
            except Exception:  # noqa: BLE001
                try:
                    unpack(bytes(damaged))
                except Exception:  # noqa: BLE001
                    continue
                readable_but_damaged = bytes(damaged)
                break
        if readable_but_damaged:
            break
    assert readable_but_damaged is not None
    line = json.dumps({"row": row, "tables": {
        "events": base64.b64encode(readable_but_damaged).decode()}})
    assert _record(line, {"r1": 7}) is None
    whole = json.dumps({"row": row, "tables": {"events": base64.b64encode(packed).decode()}})
    assert _record(whole, {"r1": 7})["tables"]["events"].to_pylist() == events


def test_runs_of_different_types_join_as_pandas_joined_them():
    """A column whole in one run and fractional in another is a float column; a run whose
    column is all missing takes the others' type; a flag beside a count is refused, not
    turned into numbers."""
    import pyarrow as pa

    from govsim.sweep.tables import arrow_table, join

    joined = join([arrow_table([{"n": 1, "s": None}]), arrow_table([{"n": 2.5, "s": "a"}])])
    assert joined.schema.field("n").type == pa.float64()
    assert joined.schema.field("s").type == pa.string()
    assert joined.to_pylist() == [{"n": 1.0, "s": None}, {"n": 2.5, "s": "a"}]
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        join([arrow_table([{"flag": True}]), arrow_table([{"flag": 2}])])


def test_a_journal_that_cannot_be_stored_is_set_aside_and_its_runs_redone(tiny, tmp_path,
                                                                           monkeypatch):
    """Journal lines that read as whole but cannot be written as parts do not stop every
    later resume: the journal is set aside under damaged/, said so, and its runs computed
    again."""
    import pyarrow as pa

    from govsim.sweep.store import _journal_line
    from govsim.sweep.tables import arrow_table, pack

    exp_path, seq = tiny
    exp = load_experiment(exp_path)
    out = tmp_path / "stuck"
    run_sweep(exp, out, executor="sequential", shard_spec=(1, 3), progress=False)
    ref = read_table(seq)
    todo = ref[~ref.run_id.isin(read_table(out).run_id)]
    r = todo.iloc[0]
    row = {"run_id": r.run_id, "point": int(r.point), "regime": r.regime,
           "replicate": int(r.replicate), "seed": int(r.seed), "status": "ok"}
    journal = out / "journal" / "zz-dead-00000.jsonl"
    journal.write_text(_journal_line(row, {"daily": pack(arrow_table([{"day": 0}]))}))
    real_commit = ResultStore._commit

    def unwritable(self, batch, records):
        if batch == "zz-dead-00000":
            raise pa.ArrowInvalid("cannot store this")
        return real_commit(self, batch, records)

    monkeypatch.setattr(ResultStore, "_commit", unwritable)
    res = run_sweep(exp, out, executor="sequential", resume=True, progress=False)
    assert res.recovered == 0 and res.status == 0
    assert any("could not be stored" in note for note in res.notices)
    assert (out / "damaged" / journal.name).exists() and not journal.exists()
    assert sorted(read_table(out).run_id) == sorted(ref.run_id)


def test_a_run_stored_twice_is_read_with_the_rows_of_its_kept_batch(tiny, tmp_path):
    """A run in two committed batches (stored again after a crash, say) is read once — the
    later ok row — and its daily rows come from that batch only, in read_table and in the
    consolidated file alike."""
    from govsim.sweep.tables import arrow_table

    exp_path, seq = tiny
    out = tmp_path / "twice"
    shutil.copytree(seq, out)
    runs = read_table(out)
    first = runs.iloc[0]
    row = _journal_row(first)
    row["finished_at"] = float(runs.finished_at.max()) + 1  # stored later
    store = ResultStore(out, "parquet")
    store._commit("zz-later-00000", [{"row": row, "tables": {
        "daily": arrow_table([{"day": 0, "marker": 1.0}])}}])
    store.consolidate()
    for daily in (read_table(out, "daily"), pd.read_parquet(out / "daily.parquet")):
        mine = daily[daily.run_id == first.run_id]
        assert list(mine.marker) == [1.0]  # the later batch's one row, not the first's
    again = read_table(out)
    assert len(again) == len(runs)
    assert again.set_index("run_id").loc[first.run_id, "batch"] == "zz-later-00000"


def test_a_run_id_that_looks_like_a_number_stays_text_in_a_csv_store(tmp_path):
    """A run id is a hex digest: now and then all digits, or digits with one "e". Read from
    a CSV part holding only such ids, it is still that text — else the run would match no
    task, and every resume would compute it again."""
    exp = load_experiment(write_experiment(tmp_path / "one.toml", replicates=1,
                                           regimes=("grid",), values=(0.3,), days=5,
                                           outputs="daily = true\nevery = 5\n"))
    out = tmp_path / "csv"
    assert run_sweep(exp, out, executor="sequential", fmt="csv", progress=False).status == 0
    row = _journal_row(read_table(out).iloc[0])
    from govsim.sweep.tables import arrow_table

    for n, rid in enumerate(("0123456789012345", "1234e56789012345")):
        store = ResultStore(out, "csv")
        store._commit(f"zz-{n}-00000", [{"row": dict(row, run_id=rid), "tables": {
            "daily": arrow_table([{"day": 0, "marker": 1.0}])}}])
        assert store.stored()[rid] == "ok"
        assert rid in set(read_table(out).run_id)
        assert rid in set(read_table(out, "daily").run_id)
