"""A corpus of malformed inputs (tests/corpus/): each must end with the stated exit status,
one message naming the problem, no traceback — and, for sweeps, before anything is run.

- ``scenarios/*.toml``, ``experiments/*.toml``: one mistake per file; its ``# expect:`` lines
  are the text the message must contain (key, value, expectation). Experiment files name the
  real scenario by a path relative to their folder.
- ``cli.toml``: command lines, with placeholders for files the test makes.
- ``stores.toml``: damage done to a real result store, then a command on it.

Cases run in-process through :func:`govsim.cli.main`, so the whole corpus takes seconds.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from govsim.cli import main
from govsim.sweep import load_experiment, run_sweep
from test_sweep_kill import _check_complete

CORPUS = Path(__file__).resolve().parent / "corpus"
ROOT = CORPUS.parent.parent
SCENARIO = ROOT / "scenarios" / "parking_x_community.toml"


def _expects(path: Path) -> list[str]:
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    return [line.removeprefix("# expect: ") for line in lines
            if line.startswith("# expect: ")]


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _assert_message(err: str, must: list[str], status: int, expected: int = 2) -> None:
    assert status == expected, err
    assert "Traceback" not in err, err
    assert err.startswith("govsim: "), err
    for text in must:
        assert text in err, (text, err)


def _files(folder: str) -> list[Path]:
    return sorted((CORPUS / folder).glob("*.toml"))


def test_the_corpus_is_large_enough():
    cli = tomllib.loads((CORPUS / "cli" / "cases.toml").read_text())["case"]
    stores = tomllib.loads((CORPUS / "stores" / "cases.toml").read_text())["case"]
    assert len(_files("scenarios")) + len(_files("experiments")) + len(cli) + len(stores) >= 150


@pytest.mark.parametrize("path", _files("scenarios"), ids=lambda p: p.stem)
def test_malformed_scenario(path, capsys):
    status, _, err = _run(["validate", path], capsys)
    _assert_message(err, [str(path), *_expects(path)], status)
    assert err.count("invalid scenario") == 1  # said once


@pytest.mark.parametrize("path", _files("experiments"), ids=lambda p: p.stem)
def test_malformed_experiment(path, capsys, tmp_path):
    out = tmp_path / "out"
    status, _, err = _run(["sweep", path, "--out", out, "--executor", "sequential",
                           "--quiet"], capsys)
    _assert_message(err, [str(path), *_expects(path)], status)
    assert not out.exists()  # refused before anything was made, let alone run


# ---- the command line -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, str]:
    """The files and folders cli.toml's placeholders name."""
    d = tmp_path_factory.mktemp("cli")
    (d / "a_file").write_text("not a folder")
    (d / "foreign").mkdir()
    (d / "foreign" / "notes.txt").write_text("mine")
    (d / "empty").mkdir()
    return {"scenario": str(SCENARIO), "experiment": str(CORPUS / "stores" / "tiny.toml"),
            "file": str(d / "a_file"), "foreign": str(d / "foreign"),
            "empty": str(d / "empty"), "tmp": str(d)}


CLI = tomllib.loads((CORPUS / "cli" / "cases.toml").read_text())["case"]


@pytest.mark.parametrize("case", CLI, ids=[c["name"] for c in CLI])
def test_malformed_command_line(case, places, capsys):
    argv = [a.format(**places) for a in case["args"]]
    try:
        status, _, err = _run(argv, capsys)
    except SystemExit as exc:  # argparse: usage and one line naming the argument
        status, err = exc.code, capsys.readouterr().err
        assert status == case.get("status", 2) and "Traceback" not in err, err
        assert all(text in err for text in case["expect"]), err
        return
    _assert_message(err, [t.format(**places) for t in case["expect"]], status,
                    case.get("status", 2))


# ---- damaged stores ---------------------------------------------------------------------------
STORES = tomllib.loads((CORPUS / "stores" / "cases.toml").read_text())["case"]
TINY = CORPUS / "stores" / "tiny.toml"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A complete store of tiny.toml in two batches (two shards, one after the other)."""
    out = tmp_path_factory.mktemp("stores") / "pristine"
    exp = load_experiment(TINY)
    for i in (1, 2):
        run_sweep(exp, out, executor="sequential", shard_spec=(i, 2), progress=False)
    return out


def _damage(store: Path, case: dict) -> None:
    batches = sorted(p.name.split(".")[0] for p in (store / "parts" / "runs").glob("*"))
    target = store / case["path"].format(batch=batches[0])
    action = case["action"]
    if action == "delete":
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    elif action == "write":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(bytes.fromhex(case["hex"]) if "hex" in case
                           else case["text"].encode())
    elif action == "truncate":
        size = target.stat().st_size
        os.truncate(target, int(size * case.get("keep", 0.5)))
    elif action == "copy":
        shutil.copy(target, store / case["to"].format(batch=batches[0]))
    else:
        raise AssertionError(f"unknown action {action}")
    if "then_write" in case:  # a file where a folder was
        (store / case["then_write"]).write_text("x")
    if "then_mkdir" in case:  # a folder where a file was
        (store / case["then_mkdir"]).mkdir()


def check_complete(out: Path, exp_path: Path = TINY) -> pd.DataFrame:
    """Exactly the experiment's runs, each stored once and ok, with every side table."""
    return _check_complete(exp_path, out)


COMMANDS = {
    "resume": ["sweep", str(TINY), "--out", "{store}", "--resume", "--executor", "sequential",
               "--quiet"],
    "report": ["report", "{store}"],
}


@pytest.mark.parametrize("case", STORES, ids=[c["name"] for c in STORES])
def test_damaged_store(case, pristine, tmp_path, capsys):
    store = tmp_path / "store"
    shutil.copytree(pristine, store)
    _damage(store, case)
    argv = [a.format(store=store) for a in COMMANDS[case["command"]]]
    status, _, err = _run(argv, capsys)
    assert status == case["status"], err
    assert "Traceback" not in err, err
    for text in case.get("expect", []):
        assert text.format(store=store) in err, (text, err)
    if case.get("complete"):
        check_complete(store)
        assert not list((store / "journal").iterdir())
