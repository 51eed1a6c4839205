"""Start-up: a command imports only what it uses. ``import govsim`` and parsing the command
line (``govsim --help``) import none of mesa, pandas, scipy and matplotlib (together about
a second); ``govsim run`` without ``--out`` draws no figure, so it imports no matplotlib.
Checked in a fresh interpreter by what ends up in ``sys.modules`` — not by timing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("mesa", "pandas", "scipy", "matplotlib")
# govsim's own heavy parts: the sweep engine, its store and its process pools
ENGINE = ("govsim.sweep.engine", "govsim.sweep.executors", "govsim.sweep.store",
          "govsim.sweep.reading", "govsim.sweep.durable")


def _after(code: str) -> dict:
    """What ``code`` left in a fresh interpreter: the heavy packages and the engine's
    modules it imported, and how many objects the cycle collector has frozen."""
    probe = (f"{code}\nimport gc, sys, json\n"
             f"print(json.dumps({{'heavy': sorted({{m.split('.')[0] for m in sys.modules}}"
             f" & {set(HEAVY)!r}), 'engine': sorted(set(sys.modules) & {set(ENGINE)!r}),"
             f" 'frozen': gc.get_freeze_count()}}))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _heavy_after(code: str) -> list[str]:
    """The heavy packages ``code`` imported in a fresh interpreter."""
    return _after(code)["heavy"]


def _cli(*argv: str) -> str:
    return ("import contextlib, io, govsim.cli\n"
            "with contextlib.redirect_stdout(io.StringIO()), "
            "contextlib.redirect_stderr(io.StringIO()):\n"
            f"    try: govsim.cli.main({list(argv)!r})\n"
            "    except SystemExit: pass")


def test_import_govsim_is_light():
    assert _heavy_after("import govsim; govsim.__version__") == []


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["sweep", "--help"],
                                  ["facts", "--help"], ["app", "--help"],
                                  ["validate", "parking_x_community"]])
def test_parsing_the_command_line_imports_nothing_heavy(argv):
    after = _after(_cli(*argv))
    assert after["heavy"] == [] and after["engine"] == []


@pytest.mark.parametrize("argv", [["run", "no_such_scenario"],
                                  ["run", "parking_x_community", "--seeds", "0"],
                                  ["run", "parking_x_community", "--set", "no_such=1"]])
def test_bad_input_to_run_is_refused_before_the_model_is_imported(argv):
    """Bad input is answered at once: the model (mesa, scipy) is imported only after the
    command line and the scenario are known to be good."""
    assert _heavy_after(_cli(*argv)) == []


def test_a_run_without_out_draws_no_figure():
    heavy = _heavy_after(_cli("run", "parking_x_community", "--regime", "grid", "--seeds",
                              "1", "--days", "5", "--quiet"))
    assert "mesa" in heavy and "matplotlib" not in heavy


def test_a_run_freezes_what_it_imported():
    """``govsim run`` imports the model once for the rest of the process and freezes it
    (``import_for_good``), so no collection during its runs walks those modules again."""
    after = _after(_cli("run", "parking_x_community", "--regime", "grid", "--seeds", "1",
                        "--days", "5", "--quiet"))
    assert after["frozen"] > 100_000 and after["engine"] == []


def test_the_command_leaves_nothing_for_a_last_collection_at_exit():
    """The ``govsim`` command freezes what is alive once its work is done, so the exit does
    not walk it all to free what the exit frees anyway (``govsim.cli.entry``); ``main``,
    which tests and scripts call and then go on, freezes nothing."""
    command = ("import sys, govsim.cli\nsys.argv = ['govsim', 'scenarios']\n"
               "try: govsim.cli.entry()\nexcept SystemExit as exc: assert exc.code == 0\n")
    at_start = _after("pass")["frozen"]  # what the interpreter itself starts with
    assert _after(command)["frozen"] > at_start + 10_000
    assert _after(_cli("scenarios"))["frozen"] == at_start


@pytest.mark.parametrize("chosen", [None, "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"])
def test_the_command_keeps_openblas_to_one_thread_unless_told(chosen):
    """The ``govsim`` command (``entry``) runs numpy's OpenBLAS on one thread, in itself and
    the processes it starts, unless the user chose a number where OpenBLAS looks for one;
    ``main``, which scripts call, leaves the environment alone."""
    import os

    from govsim.cli import BLAS_THREADS

    env = {k: v for k, v in os.environ.items() if k not in BLAS_THREADS}
    if chosen:
        env[chosen] = "4"
    probe = ("import contextlib, io, os, sys, govsim.cli\n"
             "assert 'numpy' not in sys.modules  # the setting must come before it\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n"
             "    assert govsim.cli.main(['scenarios']) == 0\n"
             "print('main', os.environ.get('OPENBLAS_NUM_THREADS'))\n"
             "sys.argv = ['govsim', 'scenarios']\n"
             "real = govsim.cli.main\n"
             "def spy():\n"
             "    print('entry', os.environ.get('OPENBLAS_NUM_THREADS'))\n"
             "    with contextlib.redirect_stdout(io.StringIO()):\n"
             "        return real()\n"
             "govsim.cli.main = spy\n"
             "try: govsim.cli.entry()\nexcept SystemExit as exc: assert exc.code == 0\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    told = "4" if chosen == "OPENBLAS_NUM_THREADS" else None
    expected = told if chosen else "1"
    assert done.stdout.split("\n")[:2] == [f"main {told}", f"entry {expected}"]


def test_the_workers_modules_are_frozen_only_in_a_fork_server():
    """``govsim.sweep.warm`` imports the model for good only where a sweep's fork server
    preloads it; imported anywhere else, it freezes nothing."""
    at_start = _after("pass")["frozen"]
    assert _after("import govsim.sweep.warm")["frozen"] == at_start
