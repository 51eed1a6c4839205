"""Guarantees of issue 11 that the corpus (test_corpus.py) and the kill tests
(test_sweep_interrupt.py) do not show by themselves."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from govsim.cli import main
from govsim.errors import MAX_INPUT_BYTES
from govsim.sweep import load_experiment, read_table, run_sweep
from govsim.sweep.engine import select
from govsim.sweep.locking import Session, folder_lock
from govsim.sweep.spec import MAX_RUNS, ExperimentError, RUN_METRICS, TEXT_METRICS, check_size
from govsim.sweep.store import ResultStore, StoreError
from test_corpus import TINY

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "scenarios" / "parking_x_community.toml"


def test_run_metrics_are_those_of_a_run():
    """analysis.outputs is checked against RUN_METRICS: it must follow the model."""
    from govsim.runner import run
    from govsim.scenario import load_scenario

    summary = run(load_scenario(CASE), "grid", 0, overrides={"households": 30, "buildings": 2,
                                                             "days": 3}).summary
    assert set(RUN_METRICS) | set(TEXT_METRICS) == set(summary)


def test_input_files_are_bounded(tmp_path, capsys):
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * MAX_INPUT_BYTES + "\n")
    assert main(["validate", str(big)]) == 2
    assert "larger than 4 MiB" in capsys.readouterr().err


def test_the_run_cap_is_lifted_only_by_allow_large(tmp_path):
    path = tmp_path / "e.toml"
    path.write_text(TINY.read_text().replace("replicates = 2", "replicates = 20000")
                    .replace('scenario = "../../../scenarios', f'scenario = "{ROOT}/scenarios'))
    exp = load_experiment(path)
    with pytest.raises(ExperimentError, match="120,000 runs, above the cap of 100,000"):
        check_size(exp)
    assert check_size(exp, allow_large=True) == 120_000 > MAX_RUNS


def test_results_go_where_the_user_meant(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["sweep", str(TINY), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"results would go to {tmp_path / 'results' / 'tiny'}" in out
    assert not (tmp_path / "results").exists()


def test_a_resume_of_failed_runs_exits_1_until_they_are_retried(tmp_path, capsys):
    fail = tmp_path / "fail.toml"
    fail.write_text(TINY.read_text().replace('"../../../scenarios', f'"{ROOT}/scenarios')
                    + '\n[testing]\nfail = [{regime = "market"}, {regime = "state"}, '
                      '{regime = "grid"}]\n')
    out = tmp_path / "out"
    args = ["sweep", str(fail), "--out", str(out), "--executor", "sequential", "--quiet"]
    assert main(args) == 1
    assert main([*args, "--resume"]) == 1  # nothing computed now, but the store is not ok
    err = capsys.readouterr().err
    assert "12 run(s) of this sweep are stored as failed" in err and "--retry-failed" in err
    ok = tmp_path / "ok.toml"  # the same experiment (the [testing] table is not its identity)
    ok.write_text(fail.read_text().split("[testing]")[0])
    assert main(["sweep", str(ok), "--out", str(out), "--executor", "sequential", "--quiet",
                 "--retry-failed"]) == 0
    runs = read_table(out)  # the failed rows stay in their parts; the ok ones win
    assert len(runs) == 12 and (runs.status == "ok").all()


def test_sweeps_that_could_share_a_run_never_run_at_once(tmp_path):
    """Registered first, rivals second: a live sweep of the whole experiment, or a shard of
    another job array (other N), keeps every other sweep out; shards of one array share."""
    exp = load_experiment(TINY)
    design, tasks, _ = select(exp)
    out = tmp_path / "out"
    run_sweep(exp, out, executor="sequential", shard_spec=(1, 2), progress=False)
    live = Session(out, "20990101T000000-aaaaaa", {"pid": 4242, "host": "h", "shard": [1, 2]})
    live.register()
    try:
        for shard in (None, (1, 2), (1, 3)):
            with pytest.raises(StoreError, match="another sweep is running there.*pid 4242"):
                ResultStore.open(out, exp, design, tasks, [], resume=True, join=True,
                                 shard=shard)
        store = ResultStore.open(out, exp, design, tasks, [], join=True, shard=(2, 2))
        store.close()
    finally:
        live.close()
    assert not list((out / "sessions").iterdir())


def test_the_folder_lock_survives_its_file_being_replaced(tmp_path):
    """A sweep that waited for .lock while the file was deleted and made anew locks the
    new file, so it still excludes the next one."""
    (tmp_path / ".lock").touch()
    order = []
    with folder_lock(tmp_path):
        waiter = threading.Thread(target=lambda: _hold(tmp_path, order, "second"))
        waiter.start()
        (tmp_path / ".lock").unlink()  # deleted while held and waited for
        order.append("first")
    waiter.join(10)
    with folder_lock(tmp_path):
        order.append("third")
    assert order == ["first", "second", "third"]
    assert os.path.exists(tmp_path / ".lock")


def _hold(root: Path, order: list, name: str) -> None:
    with folder_lock(root):
        order.append(name)


def test_app_warns_that_it_has_no_authentication(monkeypatch, capsys):
    from govsim.app import server

    assert server.is_loopback("127.0.0.1") and server.is_loopback("localhost")
    assert server.is_loopback("::1") and not server.is_loopback("0.0.0.0")
    assert not server.is_loopback("example.org")

    def no_exec(*args):
        raise SystemExit(0)

    monkeypatch.setattr(os, "execve", no_exec)
    with pytest.raises(SystemExit):
        main(["app", str(CASE), "--host", "0.0.0.0", "--port", "8765"])
    assert "no authentication" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["app", str(CASE), "--port", "8765"])
    assert "no authentication" not in capsys.readouterr().err


def test_timeline_text_is_escaped_in_the_page():
    from govsim.app.pages import timeline_rows

    rows = timeline_rows([{"day": 3, "date": "<b>2010</b>",
                           "label": "<script>alert(1)</script>", "label_zh": "<i>x</i>"}],
                         "en")
    assert "<script>" not in rows and "&lt;script&gt;alert(1)&lt;/script&gt;" in rows
    assert "&lt;b&gt;2010&lt;/b&gt;" in rows


def test_an_unexpected_error_is_one_line_naming_it(monkeypatch, capsys):
    import govsim.cli as cli

    def broken(args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli, "cmd_validate", broken)
    monkeypatch.delenv("GOVSIM_TRACEBACK", raising=False)
    parser = cli.build_parser
    monkeypatch.setattr(cli, "build_parser", lambda: _with(parser(), broken))
    assert main(["validate", str(CASE)]) == 1
    err = capsys.readouterr().err
    assert "internal error" in err and "ZeroDivisionError: boom" in err
    assert "Traceback" not in err


def _with(parser, func):
    parser._subparsers._group_actions[0].choices["validate"].set_defaults(func=func)
    return parser


def test_an_os_error_names_the_path(monkeypatch, capsys, tmp_path):
    import govsim.cli as cli

    def denied(args):
        raise PermissionError(13, "Permission denied", str(tmp_path / "x"))

    parser = cli.build_parser
    monkeypatch.setattr(cli, "build_parser", lambda: _with(parser(), denied))
    assert main(["validate", str(CASE)]) == 1
    assert f"govsim: {tmp_path / 'x'}: Permission denied" in capsys.readouterr().err
