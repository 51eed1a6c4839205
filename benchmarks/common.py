"""What every benchmark shares: how repeats are interleaved and summarised, the machine's
load beside each figure, the work units a run is measured in, and child processes.

The machine these run on is shared (2 cores, other people's jobs, ±25% drift in wall time
from one minute to the next), so no figure is a single run: every configuration is
measured ``REPEATS`` times, the configurations taking turns (A B C A B C …) so that a burst
of load hits them alike, and each figure is reported as its median with the range
(min–max) and the 1-minute load average at the start of every repeat. Times are CPU
seconds of the measuring process where possible, which other work inflates less.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUICK = os.environ.get("GOVSIM_BENCH_QUICK") == "1"
REPEATS = 2 if QUICK else 3


def load() -> float:
    """The 1-minute load average now (2.0 on 2 cores: both busy on average)."""
    return round(os.getloadavg()[0], 2)


def spread(values: Iterable[float | None]) -> dict | None:
    """Median, min, max and every value of a figure's repeats (None where undefined)."""
    v = [x for x in values if x is not None]
    if not v:
        return None
    return {"median": statistics.median(v), "min": min(v), "max": max(v), "n": len(v),
            "values": [round(x, 6) for x in v]}


def interleaved(configs: dict[str, Callable[[], dict]], repeats: int = REPEATS,
                say: str = "") -> dict[str, list[dict]]:
    """Run every configuration ``repeats`` times, taking turns, each trial stamped with
    the load average at its start: ``{name: [trial, …]}``."""
    trials: dict[str, list[dict]] = {name: [] for name in configs}
    for rep in range(repeats):
        for name, measure in configs.items():
            print(f"  {say}{name} ({rep + 1}/{repeats})", file=sys.stderr, flush=True)
            at = load()
            trial = measure()
            trial["load_1min"] = at
            trials[name].append(trial)
    return trials


def summarise(trials: list[dict], keys: Iterable[str]) -> dict:
    """Each key's spread over the trials, and the load averages they started at."""
    out = {k: spread(t.get(k) for t in trials) for k in keys}
    out["load_1min"] = [t["load_1min"] for t in trials]
    return out


def fmt(s: dict | None, digits: int = 3) -> str:
    """'median (min–max)' of a spread."""
    if s is None:
        return "—"
    return (f"{s['median']:.{digits}g} ({s['min']:.{digits}g}–{s['max']:.{digits}g})"
            if s["n"] > 1 else f"{s['median']:.{digits}g}")


def load_range(trials: Iterable[dict] | Iterable[float]) -> str:
    """'load 0.4–1.9' over the trials (or load values) of a figure."""
    values = [t["load_1min"] if isinstance(t, dict) else t for t in trials]
    return f"load {min(values):.1f}–{max(values):.1f}"


# ---- the units a run is measured in ---------------------------------------------------------
def work_units(record) -> dict:
    """What a finished run did, counted from its :class:`~govsim.record.RunRecord`:

    - ``dispute_days``: (dispute, day) pairs with the dispute open — the days from the one
      it opened to the one it closed, both counted (a dispute is in the day's loops on
      both; one still open at the horizon counts to the last day);
    - ``events``: logged transitions (the event log), channel completions (cases served)
      and patrol checks (open disputes a grid worker's patrol could find that day);
    - ``household_days``: households × days, whatever they did.
    """
    last = record.days - 1
    dispute_days = sum((last if r["closed"] is None else r["closed"]) - r["opened"] + 1
                       for r in record.disputes)
    transitions = int(record.extra["events_logged"])
    completions = int(sum(record.extra.get("served", {}).values()))
    patrol = int(record.counters.get("patrol_checks", 0))
    return {"dispute_days": dispute_days, "transitions": transitions,
            "channel_completions": completions, "patrol_checks": patrol,
            "events": transitions + completions + patrol, "disputes": len(record.disputes)}


# ---- processes --------------------------------------------------------------------------------
def peak_rss_mib() -> float:
    """This process's peak resident memory so far."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def child(module: str, spec: dict, timeout: float | None = None) -> dict:
    """``python -m benchmarks.<module> --child SPEC`` in a fresh interpreter; its last
    line of output is the JSON it measured."""
    done = subprocess.run([sys.executable, "-m", f"benchmarks.{module}", "--child",
                           json.dumps(spec)], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({module} {spec}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def timed_command(argv: list[str], **kwargs) -> dict:
    """Run a command to its end: wall seconds, and CPU seconds (user + system) of it and
    every process it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, **kwargs)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n"
                           f"{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "stdout": done.stdout, "stderr": done.stderr}
