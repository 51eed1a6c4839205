"""Killing things mid-sweep: a pool worker, then the sweep process itself (SIGKILL)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil

from govsim.runner import run
from govsim.sweep import load_experiment, read_table, run_sweep
from govsim.sweep.engine import select
from test_sweep import ROOT, write_experiment


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "govsim.cli", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _done(out: Path) -> int:
    log = out / "status.log"
    return log.read_text().count('"run-done"') if log.exists() else 0


def _wait_for(cond, proc: subprocess.Popen, timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    while not cond():
        assert proc.poll() is None, "sweep ended before the test could interfere"
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def _check_complete(exp_path: Path, out: Path) -> pd.DataFrame:
    """Exactly the experiment's runs, each once, all ok, side tables without duplicates."""
    _, tasks, _ = select(load_experiment(exp_path))
    runs = read_table(out)
    assert sorted(runs.run_id) == sorted(t.run_id for t in tasks)
    assert (runs.status == "ok").all()
    raw = pd.concat([pd.read_parquet(p) for p in (out / "parts" / "runs").glob("*.parquet")])
    assert not raw.run_id.duplicated().any()  # no run stored twice, even as parts
    daily = read_table(out, "daily")
    assert not daily.duplicated(["run_id", "day"]).any()
    assert daily.groupby("run_id").size().nunique() == 1  # same kept days in every run
    disputes = read_table(out, "disputes")
    assert not disputes.duplicated(["run_id", "dispute_id"]).any()
    assert set(disputes.run_id) == set(runs.run_id)
    return runs


def test_a_killed_pool_worker_is_replaced_and_its_runs_redone(tmp_path):
    exp_path = write_experiment(tmp_path / "e.toml", replicates=3, households=900, days=60)
    out = tmp_path / "out"
    proc = _start("sweep", str(exp_path), "--out", str(out), "--workers", "2", "--quiet")
    _wait_for(lambda: _done(out) >= 2, proc)
    main = psutil.Process(proc.pid)
    # forkserver layout: the sweep → the fork server → the pool's workers
    workers = [g for c in main.children() for g in c.children()]
    assert workers, "no pool workers found"
    workers[0].send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    assert '"pool-rebuilt"' in (out / "status.log").read_text()
    runs = _check_complete(exp_path, out)
    assert len(runs) == 18


def test_sigkilled_sweep_resumes_to_exactly_the_full_set(tmp_path):
    exp_path = write_experiment(tmp_path / "e.toml", replicates=5, households=300, days=40)
    out = tmp_path / "out"
    kills = 0
    for threshold in (3, 11):  # two kills at different moments
        # sequential: the killed process is the one computing and writing, so the kill
        # lands in a run, in a journal line or in a batch commit
        proc = _start("sweep", str(exp_path), "--out", str(out), "--executor",
                      "sequential", "--quiet", *(["--resume"] if kills else []))
        _wait_for(lambda: _done(out) >= threshold, proc)
        os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its workers, no clean-up
        proc.communicate(timeout=30)
        kills += 1
    before = {r for r in read_table(out).run_id} if read_table(out) is not None else set()
    assert len(before) < 30  # the kills really interrupted the sweep
    res = run_sweep(load_experiment(exp_path), out, executor="sequential", resume=True,
                    progress=False)
    assert res.failed == 0 and res.skipped + res.done == 30
    runs = _check_complete(exp_path, out)
    assert len(runs) == 30
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert len(sessions) == 3 and sessions[-1]["ended"] and not sessions[0]["ended"]
    # what was resumed is what an uninterrupted run computes (spot checks, in process)
    exp = load_experiment(exp_path)
    for _, row in runs.iloc[[0, 13, 29]].iterrows():
        direct = run(exp.scenario, row["regime"], int(row["seed"]), overrides={
            **exp.fixed, "committee_admin_burden": row["param_committee_admin_burden"]})
        for key in ("disputes", "staff_days", "rmst_days", "confrontations", "satisfaction"):
            assert row[key] == direct.summary[key], key


def _worker_state() -> dict:
    import gc

    return {"collector_on": gc.isenabled(), "frozen": gc.get_freeze_count(),
            "model_loaded": {"mesa", "scipy.stats", "govsim.runner"} <= set(sys.modules)}


def test_pool_workers_start_with_the_model_loaded_and_their_collector_on():
    """Workers fork from a server that imported the model once, with its objects frozen out
    of every later collection (govsim.sweep.warm); the collector itself is on again."""
    from govsim.sweep.executors import Backend

    with Backend("process", 1, None) as backend:
        state = backend.executor.submit(_worker_state).result(timeout=120)
    assert state["model_loaded"]
    assert state["collector_on"]
    assert state["frozen"] > 100_000
