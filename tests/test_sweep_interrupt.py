"""Ctrl-C, SIGTERM and SIGKILL of a real ``govsim sweep`` on every executor: it ends (no
hang), prints no traceback, leaves no process behind, and a resume completes the store
with every run once."""

from __future__ import annotations

import os
import signal
import time

import psutil
import pytest

from govsim.sweep import load_experiment, run_sweep
from test_corpus import check_complete
from test_sweep import cli, write_experiment
from test_sweep_kill import _done, _start, _wait_for

SIGNALS = {
    # a terminal's Ctrl-C reaches the whole foreground process group, workers included
    "ctrl-c": lambda pid: os.killpg(pid, signal.SIGINT),
    "sigterm": lambda pid: os.kill(pid, signal.SIGTERM),
    "sigkill": lambda pid: os.kill(pid, signal.SIGKILL),  # the sweep alone: no clean-up
}
EXPECTED = {"ctrl-c": 130, "sigterm": 130, "sigkill": -signal.SIGKILL}


def _executors():
    out = ["sequential", "process"]
    try:
        import distributed  # noqa: F401

        out.append("dask")
    except ImportError:
        pass
    return out


def _gone(procs: list[psutil.Process], seconds: float = 20.0) -> list[psutil.Process]:
    """The processes still alive (zombies excepted) after waiting up to ``seconds``."""
    end = time.monotonic() + seconds
    while True:
        alive = [p for p in procs if _alive(p)]
        if not alive or time.monotonic() > end:
            return alive
        time.sleep(0.2)


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("how", list(SIGNALS))
@pytest.mark.parametrize("executor", _executors())
def test_stopping_a_sweep(executor, how, tmp_path):
    exp_path = write_experiment(tmp_path / "e.toml", replicates=2, households=900, days=60)
    out = tmp_path / "out"
    proc = _start("sweep", str(exp_path), "--out", str(out), "--executor", executor,
                  "--workers", "2", "--quiet")
    try:
        _wait_for(lambda: _done(out) >= 2, proc, timeout=120)
        tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        SIGNALS[how](proc.pid)
        _, err = proc.communicate(timeout=60)  # a hang fails here
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == EXPECTED[how], err
    assert "Traceback" not in err, err
    left = _gone(tree)
    described = [(p.pid, p.cmdline()[:4]) for p in left]
    for p in left:  # do not leave them to the next test either
        p.kill()
    assert not left, described
    if how != "sigkill":
        assert "--resume" in err  # says how to go on
    res = run_sweep(load_experiment(exp_path), out, executor="sequential", resume=True,
                    progress=False)
    assert res.status == 0 and res.skipped + res.done == 12
    check_complete(out, exp_path)


def test_two_resumes_of_one_folder_never_run_at_once(tmp_path):
    """A second sweep (resume) of a folder in use is refused, even when ``.lock`` was
    deleted under the first; the first then completes the store, each run once."""
    exp_path = write_experiment(tmp_path / "e.toml", replicates=2, households=900, days=60)
    out = tmp_path / "out"
    first = _start("sweep", str(exp_path), "--out", str(out), "--executor", "sequential",
                   "--quiet")
    try:
        _wait_for(lambda: _done(out) >= 1, first, timeout=120)
        (out / ".lock").unlink()
        second = cli("sweep", str(exp_path), "--out", str(out), "--resume", "--executor",
                     "sequential", "--quiet")
        assert second.returncode == 2, second.stderr
        assert "another sweep is running there" in second.stderr
        assert f"pid {first.pid}" in second.stderr and "Traceback" not in second.stderr
        _, err = first.communicate(timeout=180)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert first.returncode == 0, err
    check_complete(out, exp_path)
