"""Dask executors for real: an embedded LocalCluster, and a scheduler plus two workers
started as separate processes on 127.0.0.1 that the CLI reaches with ``--address``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from govsim.sweep import load_experiment, read_table, run_sweep
from loopback import free_port
from test_sweep import cli, results, tiny, write_experiment  # noqa: F401 (fixture)
from test_sweep_kill import _check_complete, _done, _start, _wait_for

pytest.importorskip("distributed")
DASK = Path(sys.executable).with_name("dask")


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    common = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                  start_new_session=True)
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], **common)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen(
                [str(DASK), "worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                 "--no-dashboard"], **common))
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            client.run(__import__, "govsim.sweep.tasks")  # warm workers, as in real use
        yield address, procs
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def test_local_cluster_gives_identical_results(tiny, tmp_path):  # noqa: F811
    exp_path, seq = tiny
    out = tmp_path / "local"
    p = cli("sweep", str(exp_path), "--out", str(out), "--executor", "dask", "--workers", "2",
            timeout=240)
    assert p.returncode == 0, p.stderr
    assert "dask (local cluster, 2 workers)" in p.stderr
    pd.testing.assert_frame_equal(results(seq), results(out))


def test_one_worker_is_named_in_the_singular():
    from govsim.sweep.executors import Backend

    with Backend("dask", workers=1) as backend:
        assert backend.describe() == "dask (local cluster, 1 worker)"
    assert Backend("sequential").describe() == "sequential (1 worker)"


def test_scheduler_and_two_workers_over_tcp(tiny, cluster, tmp_path):  # noqa: F811
    exp_path, seq = tiny
    address, _ = cluster
    out = tmp_path / "remote"
    p = cli("sweep", str(exp_path), "--out", str(out), "--executor", "dask", "--address",
            address, timeout=240)
    assert p.returncode == 0, p.stderr
    assert f"dask ({address}, 2 workers)" in p.stderr
    pd.testing.assert_frame_equal(results(seq), results(out))
    workers = read_table(out)["worker"].unique()
    assert all(int(w.split(":")[1]) != os.getpid() for w in workers)


def test_unreachable_scheduler_is_a_clear_error(tiny, tmp_path):  # noqa: F811
    exp_path, _ = tiny
    p = cli("sweep", str(exp_path), "--out", str(tmp_path / "o"), "--executor", "dask",
            "--address", f"tcp://127.0.0.1:{free_port()}", timeout=120)
    assert p.returncode == 2 and "cannot reach a Dask scheduler" in p.stderr, p.stderr


def _sweeping(tmp_path, address: str, replicates: int, runs_done: int):
    """(experiment, result folder, process) of a CLI sweep through the scheduler at
    ``address`` that has stored ``runs_done`` runs by now."""
    exp_path = write_experiment(tmp_path / "e.toml", replicates=replicates, households=900,
                                days=60)
    out = tmp_path / "out"
    proc = _start("sweep", str(exp_path), "--out", str(out), "--executor", "dask",
                  "--address", address, "--quiet")
    _wait_for(lambda: _done(out) >= runs_done, proc, timeout=120)
    return exp_path, out, proc


def test_dask_worker_killed_mid_sweep(cluster, tmp_path):
    """Kill one of the two worker processes while it runs: Dask moves its tasks to the
    survivor; whatever Dask gives up on is recorded failed and redone by --retry-failed.
    The store ends complete and equal to a sequential sweep."""
    address, procs = cluster
    exp_path, out, proc = _sweeping(tmp_path, address, replicates=3, runs_done=2)
    os.killpg(procs[2].pid, signal.SIGKILL)  # the worker and its nanny
    _, err = proc.communicate(timeout=240)
    assert proc.returncode in (0, 1), err
    if proc.returncode == 1:  # runs caught on the dead worker too often: recorded failed
        p = cli("sweep", str(exp_path), "--out", str(out), "--executor", "dask",
                "--address", address, "--retry-failed", timeout=240)
        assert p.returncode == 0, p.stderr
    _check_complete(exp_path, out)
    ref = tmp_path / "ref"
    run_sweep(load_experiment(exp_path), ref, executor="sequential", progress=False)
    pd.testing.assert_frame_equal(results(ref), results(out))


def test_ctrl_c_against_a_scheduler_cancels_and_resumes(cluster, tmp_path):
    """Ctrl-C of a sweep using a running scheduler: the sweep ends (its futures cancelled,
    its client closed with a timeout), the cluster's workers live on for others, and a
    resume through the same scheduler completes the store."""
    address, procs = cluster
    exp_path, out, proc = _sweeping(tmp_path, address, replicates=2, runs_done=1)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert procs[0].poll() is None  # the scheduler is not ours to stop
    p = cli("sweep", str(exp_path), "--out", str(out), "--executor", "dask", "--address",
            address, "--resume", timeout=240)
    assert p.returncode == 0, p.stderr
    _check_complete(exp_path, out)


def test_after_ctrl_c_a_run_cancelled_mid_fetch_prints_no_traceback(cluster):
    """A Ctrl-C landing while Dask's executor fetches a finished run makes the fetch raise
    FutureCancelledError inside Tornado's loop, which logs it with a traceback (seen in
    CI). After the abort, such a record is dropped; any other error in the loop still
    prints. In a fresh process with distributed's logging, through a real client's loop."""
    address, _ = cluster
    probe = (
        "import time\n"
        "from distributed.client import FutureCancelledError\n"
        "from govsim.sweep.executors import Backend\n"
        f"backend = Backend('dask', address={address!r})\n"
        "backend.abort()\n"
        "async def fetch(exc):\n"
        "    raise exc\n"
        "for exc in (FutureCancelledError('run-1', reason='unknown'), ValueError('a bug')):\n"
        "    backend._client.loop.add_callback(fetch, exc)\n"
        "time.sleep(1)\n"
        "backend.close()\n")
    err = _stderr_of(probe)
    assert "ValueError: a bug" in err and "FutureCancelledError" not in err, err


def _stderr_of(program: str) -> str:
    """What ``program`` prints to stderr in a fresh Python process (which must succeed)."""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stderr


def _worker_record(message: str, *args, exc: BaseException | None = None):
    import logging

    info = (type(exc), exc, None) if exc is not None else None
    return logging.LogRecord("distributed.worker", logging.ERROR, __file__, 1, message, args,
                             info)


def test_a_local_worker_keeps_quiet_when_the_killed_sweep_drops_its_connection():
    """Killed mid-transfer, the sweep leaves its embedded cluster's workers logging
    tracebacks about closed connections; the workers' filter drops records caused by a
    closed connection, and only those."""
    from distributed.comm.core import CommClosedError
    from tornado.iostream import StreamClosedError

    from govsim.sweep.lifeline import connection_to_the_sweep_closed as passes

    closed = CommClosedError("in <TCP (closed)>: ConnectionResetError: [Errno 104]")
    for exc in (closed, StreamClosedError(), ConnectionResetError(104, "reset by peer")):
        assert not passes(_worker_record("failed during get data with %s -> %s",
                                         "tcp://127.0.0.1:1", None, exc=exc))
        assert not passes(_worker_record("Failed to communicate with scheduler", exc=exc))
    # the same failure for another reason, another error, a record without an exception
    assert passes(_worker_record("failed during get data with %s -> %s",
                                 "tcp://127.0.0.1:1", None, exc=TimeoutError("slow")))
    assert passes(_worker_record("Compute Failed", exc=ValueError("a bug")))
    assert passes(_worker_record("failed during get data with %s -> %s", "a", "b"))


def test_local_workers_filter_every_distributed_record():
    """The filter sits on distributed's own handler, so records of every distributed logger
    (worker, core, nanny…) pass through it: in a fresh process set up as a worker is, a
    closed connection logged by distributed.core prints nothing, another error does."""
    probe = (
        "import logging, distributed\n"
        "from distributed.comm.core import CommClosedError\n"
        "from govsim.sweep.lifeline import dask_setup\n"
        "dask_setup(None)\n"
        "log = logging.getLogger('distributed.core')\n"
        "for exc in (CommClosedError('closed'), ValueError('a bug')):\n"
        "    try:\n"
        "        raise exc\n"
        "    except Exception:\n"
        "        log.exception('handling op failed: %s', type(exc).__name__)\n")
    err = _stderr_of(probe)
    assert "handling op failed: ValueError" in err and "CommClosedError" not in err, err
