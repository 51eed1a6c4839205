"""An installed govsim (a wheel, not this checkout) finds its scenarios, experiments and
model description from any folder, and its commands run by scenario name."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from loopback import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The project built as a wheel and unpacked into a folder of its own; commands run
    with that folder first on the path, from an unrelated working directory."""
    base = tmp_path_factory.mktemp("installed")
    wheels, target, elsewhere = base / "wheels", base / "site", base / "elsewhere"
    elsewhere.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("govsim-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    env = dict(os.environ, PYTHONPATH=str(target))
    return {"names": names, "env": env, "cwd": elsewhere, "site": target}


def govsim(installed, *args, **kw):
    return subprocess.run([sys.executable, "-m", "govsim.cli", *args], cwd=installed["cwd"],
                          env=installed["env"], capture_output=True, text=True, **kw)


def test_the_wheel_carries_scenarios_experiments_and_the_model_description(installed):
    names = installed["names"]
    for shipped in ("govsim/scenarios/parking_x_community.toml",
                    "govsim/scenarios/xianlin_street.toml",
                    "govsim/experiments/stylized_facts.toml", "govsim/docs/ODD.md",
                    "govsim/docs/figures/decomposition.json"):
        assert shipped in names, shipped


def test_the_installed_package_is_the_one_that_runs(installed):
    proc = subprocess.run([sys.executable, "-c", "import govsim.resources as r; "
                           "print(r.scenarios_dir()); print(r.odd_text()[:6])"],
                          cwd=installed["cwd"], env=installed["env"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    where, odd = proc.stdout.splitlines()[:2]
    assert where.startswith(str(installed["site"])) and odd.startswith("# govs")


def test_scenarios_are_listed_and_run_by_name_from_any_folder(installed):
    listed = govsim(installed, "scenarios")
    assert listed.returncode == 0, listed.stderr
    for name in ("parking_x_community", "xianlin_street", "district_grid"):
        assert name in listed.stdout
    ran = govsim(installed, "run", "parking_x_community", "--regime", "grid", "--seeds", "1",
                 "--days", "8", "--quiet")
    assert ran.returncode == 0, ran.stderr
    assert "median days to resolution" in ran.stdout
    missing = govsim(installed, "run", "no_such_case", "--seeds", "1")
    assert missing.returncode == 2 and "parking_x_community" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_the_app_serves_from_any_folder(installed):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "govsim.cli", "app", "--port", str(port)],
                            cwd=installed["cwd"], env=installed["env"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the app did not answer"
                time.sleep(0.5)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
