"""Sweeps: runs per second for the parking case on 1 and 2 workers (goal: 2 workers ≥ 1.8×
one on the 300-run regime comparison, idle machine, end to end), and the cost per run
against ``mesa.batch_run`` doing the same work (goal: not above it).

Everything is timed as a user meets it — a command, from its start to its exit — each
configuration ``REPEATS`` times, the configurations taking turns; figures are medians with
their range, the load average at the start of every trial beside them, and ratios are
taken repeat by repeat (trials next to each other in time):

- ``govsim sweep`` (process pool, 1 and 2 workers) of the case: 3 regimes × S paired
  seeds, keeping run summaries only; 36 runs (a class demo) and 300 (the design of
  ``experiments/regime_comparison.toml``). From the store's time stamps come the start-up
  (command start to the first run starting: the interpreter, the fork server importing
  mesa and scipy) and the steady throughput (each worker's first run left out);
- the same runs through ``mesa.batch_run`` (``number_processes`` 1 and 2) in a fresh
  interpreter, with the **same data collection**: the run summary, collected once at the
  end, and no daily series (``CaseModel``) — results checked to be the same runs;
- ``experiments/regime_comparison.toml`` as shipped (300 runs; daily series and dispute
  tables kept) on 1 and 2 workers: the speed-up goal's own experiment;
- the work per run in CPU instructions (valgrind's callgrind, when installed): our
  sequential executor against ``batch_run`` with one process, as the difference between
  sweeps of 3 and 1 seeds (6 runs): the marginal cost of a run, imports and per-sweep
  costs taken out. Instruction counts do not move with the machine's load; which runs a
  full collection of the cycle collector falls in does (each walks the whole heap), so
  with a difference of 3 runs the figure moved by ±8% between two counts of one tree.

    python -m benchmarks sweep
``GOVSIM_BENCH_QUICK=1``: small sweeps of 30-day runs, one repeat (to check the harness).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # batch_run's workers import this module by name
    sys.path.insert(0, str(ROOT))

import mesa  # noqa: E402

from benchmarks.common import (QUICK, REPEATS, fmt, interleaved, load, load_range,  # noqa: E402
                               spread, timed_command)
from govsim.institutions import REGIMES  # noqa: E402
from govsim.model import GovernanceModel  # noqa: E402
from govsim.runner import overrides_for_outputs  # noqa: E402
from govsim.scenario import load_scenario  # noqa: E402

CASE = ROOT / "scenarios" / "parking_x_community.toml"
SHIPPED = ROOT / "experiments" / "regime_comparison.toml"
SIZES = {"demo": 2, "experiment": 4} if QUICK else {"demo": 12, "experiment": 100}  # seeds
SWEEP_REPEATS = 1 if QUICK else REPEATS
DAYS = 30 if QUICK else None  # None: the scenario's 120 days


@functools.cache
def _case_params(regime: str) -> dict:
    return load_scenario(CASE).model_params(regime, overrides_for_outputs())


class CaseModel(GovernanceModel):
    """The case under one regime, for ``mesa.batch_run``, built and kept as a sweep of run
    summaries builds and keeps it: households agents once they act (``runner.run``), no
    daily series, and the run summary collected once at the end."""

    def __init__(self, regime: str = "state", rng=None, **extra):
        super().__init__(regime=regime, rng=rng, collect_daily=False,
                         **(_case_params(regime) | extra))

    def finish(self) -> None:
        super().finish()
        summary = self.summary()
        self.datacollector = mesa.DataCollector(
            model_reporters={k: (lambda m, v=v: v) for k, v in summary.items()})
        self.datacollector.collect(self)


def _experiment(folder: Path, seeds: int, days: int) -> Path:
    path = folder / f"bench_{seeds}.toml"
    path.write_text(f"""
[experiment]
name = "bench_sweep"
scenario = "{CASE}"
regimes = {json.dumps(list(REGIMES))}
replicates = {seeds}
days = {days}
""")
    return path


def _steady(finished: list[float], workers: int) -> float | None:
    """Runs per second once every worker is busy: the first completion of each worker,
    which carries its start-up, is left out."""
    t = sorted(finished)
    return (len(t) - workers) / (t[-1] - t[workers - 1]) if len(t) > workers + 1 else None


def ours_cli(exp: Path, workers: int, folder: Path) -> dict:
    """``govsim sweep`` as a user types it, timed from start to exit."""
    from govsim.sweep import read_table

    out = folder / f"out_{workers}_{time.monotonic_ns()}"
    start = time.time()
    t = timed_command([sys.executable, "-m", "govsim.cli", "sweep", str(exp), "--workers",
                       str(workers), "--out", str(out), "--quiet"])
    runs = read_table(out)
    shutil.rmtree(out, ignore_errors=True)
    first = runs.loc[runs["finished_at"].idxmin()]
    # CPU of the command alone: the pool's workers are the fork server's children, which
    # the command does not wait for, so their time is not in it (batch_run's is)
    return {"runs": len(runs), "seconds": t["wall_s"], "parent_cpu_s": t["cpu_s"],
            "startup_s": float(first["finished_at"] - start - first["wall_s"]),
            "steady_runs_per_s": _steady(list(runs["finished_at"]), workers),
            "_key": {(r.regime, int(r.seed)): float(r.staff_days) for r in runs.itertuples()}}


def batch_cli(seeds: int, processes: int, days: int) -> dict:
    """The same runs through ``mesa.batch_run`` in a fresh interpreter, start to exit."""
    t = timed_command([sys.executable, str(Path(__file__).resolve()), "--batch-run",
                       str(seeds), str(processes), str(days)])
    key = {(r, int(s)): v for r, s, v in json.loads(t["stdout"])}
    return {"runs": len(key), "seconds": t["wall_s"], "cpu_s": t["cpu_s"], "_key": key}


def batch(seeds: int, processes: int, days: int) -> list:
    from mesa.batchrunner import batch_run

    return batch_run(CaseModel, parameters={"regime": list(REGIMES), "days": days},
                     rng=list(range(seeds)), max_steps=days, number_processes=processes,
                     data_collection_period=-1, display_progress=False)


# ---- instructions ---------------------------------------------------------------------------
def _count(side: str, seeds: int, days: int) -> None:
    """What is counted under valgrind: one sweep of ``seeds`` seeds × 3 regimes."""
    if side == "ours":
        from govsim.sweep import load_experiment, run_sweep

        with tempfile.TemporaryDirectory() as tmp:
            run_sweep(load_experiment(_experiment(Path(tmp), seeds, days)), Path(tmp) / "out",
                      executor="sequential", progress=False)
    else:
        batch(seeds, 1, days)


def _instructions(side: str, seeds: int, days: int) -> int:
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                        sys.executable, str(Path(__file__).resolve()), "--count", side,
                        str(seeds), str(days)], cwd=ROOT, capture_output=True, text=True)
    m = re.search(r"Collected\s*:\s*(\d+)", p.stderr)
    if p.returncode != 0 or not m:
        raise RuntimeError(f"valgrind failed: {p.stderr[-2000:]}")
    return int(m.group(1))


MORE_SEEDS = 3  # the larger of the two sweeps counted under valgrind


def instructions_per_run(days: int) -> dict | None:
    """Instructions of one more run, ours against batch_run's (None without valgrind)."""
    if shutil.which("valgrind") is None:
        return None
    from concurrent.futures import ThreadPoolExecutor

    jobs = [(side, seeds) for side in ("ours", "batch_run") for seeds in (1, MORE_SEEDS)]
    with ThreadPoolExecutor(max_workers=len(os.sched_getaffinity(0))) as pool:
        counts = dict(zip(jobs, pool.map(lambda j: _instructions(*j, days), jobs)))
    runs = len(REGIMES)
    extra = runs * (MORE_SEEDS - 1)
    out = {side: {"per_run": (counts[side, MORE_SEEDS] - counts[side, 1]) / extra,
                  "sweep_of_1_seed": counts[side, 1]} for side in ("ours", "batch_run")}
    out["ratio_per_run"] = out["ours"]["per_run"] / out["batch_run"]["per_run"]
    # what a sweep costs besides its runs: imports, the store's manifest and tables
    out["fixed_difference"] = ((counts["ours", 1] - runs * out["ours"]["per_run"])
                               - (counts["batch_run", 1] - runs * out["batch_run"]["per_run"]))
    return out


# ---- one size ---------------------------------------------------------------------------------
def _per_trial(trials: list[dict]) -> dict:
    """A configuration's trials: seconds, runs per second and ms per run as spreads."""
    runs = trials[0]["runs"]
    out = {"runs": runs, "load_1min": [t["load_1min"] for t in trials]}
    for key in ("seconds", "cpu_s", "parent_cpu_s", "startup_s", "steady_runs_per_s"):
        if key in trials[0]:
            out[key] = spread(t[key] for t in trials)
    out["runs_per_s"] = spread(runs / t["seconds"] for t in trials)
    out["ms_per_run"] = spread(1000 * t["seconds"] / runs for t in trials)
    return out


def _ratios(trials: dict[str, list[dict]], a: str, b: str, key: str = "seconds") -> dict:
    """``b``'s / ``a``'s figure, repeat by repeat (how many times faster ``a`` is)."""
    return spread(y[key] / x[key] for x, y in zip(trials[a], trials[b])
                  if x.get(key) and y.get(key))


def measure_size(seeds: int, days: int, folder: Path) -> tuple[dict, bool]:
    exp = _experiment(folder, seeds, days)
    configs = {"ours_1": partial(ours_cli, exp, 1, folder),
               "ours_2": partial(ours_cli, exp, 2, folder),
               "batch_run_1": partial(batch_cli, seeds, 1, days),
               "batch_run_2": partial(batch_cli, seeds, 2, days)}
    trials = interleaved(configs, SWEEP_REPEATS, say=f"{seeds * len(REGIMES)} runs, ")
    keys = [t.pop("_key") for ts in trials.values() for t in ts]
    res = {name: _per_trial(ts) for name, ts in trials.items()}
    res["speedup_2_workers"] = _ratios(trials, "ours_2", "ours_1")
    res["speedup_2_workers_steady"] = spread(
        b["steady_runs_per_s"] / a["steady_runs_per_s"]
        for a, b in zip(trials["ours_1"], trials["ours_2"])
        if a["steady_runs_per_s"] and b["steady_runs_per_s"])
    res["batch_run_speedup_2_processes"] = _ratios(trials, "batch_run_2", "batch_run_1")
    res["cost_per_run_vs_batch_run_1"] = _ratios(trials, "batch_run_1", "ours_1")
    res["cost_per_run_vs_batch_run_2"] = _ratios(trials, "batch_run_2", "ours_2")
    return res, all(k == keys[0] for k in keys)


def measure_shipped(folder: Path) -> dict:
    """``experiments/regime_comparison.toml`` as shipped, on 1 and 2 workers."""
    configs = {f"ours_{w}": partial(ours_cli, SHIPPED, w, folder) for w in (1, 2)}
    trials = interleaved(configs, SWEEP_REPEATS, say="regime_comparison.toml, ")
    for ts in trials.values():
        for t in ts:
            t.pop("_key")
    res = {name: _per_trial(ts) for name, ts in trials.items()}
    res["speedup_2_workers"] = _ratios(trials, "ours_2", "ours_1")
    return res


# ---- the table -------------------------------------------------------------------------------
def _table(out: dict, days: int) -> list[list]:
    big, small = out["sizes"]["experiment"], out["sizes"]["demo"]
    nb, ns, ins = big["ours_1"]["runs"], small["ours_1"]["runs"], out["instructions"]
    loads = load_range([x for s in out["sizes"].values() for c in s.values()
                        if isinstance(c, dict) and "load_1min" in c for x in c["load_1min"]])
    rows = [
        ["sweep: runs/s, 1 worker", big["ours_1"]["runs_per_s"]["median"],
         f"{fmt(big['ours_1']['runs_per_s'])}; {nb} runs of the case, {days} days, summaries "
         f"kept, command start to exit; {load_range(big['ours_1']['load_1min'])}"],
        ["sweep: runs/s, 2 workers", big["ours_2"]["runs_per_s"]["median"],
         f"{fmt(big['ours_2']['runs_per_s'])}; {load_range(big['ours_2']['load_1min'])}"],
        ["sweep: speed-up on 2 workers", big["speedup_2_workers"]["median"],
         f"x ({fmt(big['speedup_2_workers'])}) end to end, {nb} runs (goal ≥ 1.8, idle)"],
        ["sweep: speed-up on 2 workers, steady", (big["speedup_2_workers_steady"] or {})
         .get("median"), f"x ({fmt(big['speedup_2_workers_steady'])}), first run per "
                         "worker left out"],
        ["sweep: speed-up on 2 workers, small sweep", small["speedup_2_workers"]["median"],
         f"x ({fmt(small['speedup_2_workers'])}) end to end, {ns} runs"],
        ["sweep: start-up (command start to first run)", big["ours_2"]["startup_s"]["median"],
         f"s ({fmt(big['ours_2']['startup_s'])}), 2 workers"],
        ["batch_run: speed-up on 2 processes", big["batch_run_speedup_2_processes"]["median"],
         f"x ({fmt(big['batch_run_speedup_2_processes'])}) end to end, {nb} runs"],
        ["sweep / batch_run, time per run, 1 process", big["cost_per_run_vs_batch_run_1"]
         ["median"], f"({fmt(big['cost_per_run_vs_batch_run_1'])}); same collection "
                     "(summaries, no daily series); goal ≤ 1"],
        ["sweep / batch_run, time per run, 2 processes", big["cost_per_run_vs_batch_run_2"]
         ["median"], f"({fmt(big['cost_per_run_vs_batch_run_2'])}); goal ≤ 1"],
        ["sweep / batch_run, small sweep, 1 process", small["cost_per_run_vs_batch_run_1"]
         ["median"], f"({fmt(small['cost_per_run_vs_batch_run_1'])}), {ns} runs: "
                     "start-up weighs more"],
        ["sweep: instructions per run / batch_run", ins and ins["ratio_per_run"],
         "(valgrind; not measured: quick mode or no valgrind)" if ins is None else
         f"({ins['ours']['per_run'] / 1e6:.0f} / {ins['batch_run']['per_run'] / 1e6:.0f} "
         "M instructions per run, marginal; goal ≤ 1)"],
        ["sweep: fixed cost beyond batch_run's", ins and ins["fixed_difference"] / 1e6,
         "M instructions (store, manifest, tables; once per sweep)"],
        ["sweep: same runs as batch_run", out["same_runs_as_batch_run"], ""],
    ]
    shipped = out.get("regime_comparison_toml")
    if shipped:
        rows.append(["regime_comparison.toml: speed-up on 2 workers",
                     shipped["speedup_2_workers"]["median"],
                     f"x ({fmt(shipped['speedup_2_workers'])}); 300 runs, daily series and "
                     f"disputes kept; {fmt(shipped['ours_1']['seconds'])} s -> "
                     f"{fmt(shipped['ours_2']['seconds'])} s; "
                     f"{load_range(shipped['ours_1']['load_1min'] + shipped['ours_2']['load_1min'])}"])
    rows.append(["sweep: load average (1 min) over the trials", loads, f"on {out['cpus']} CPUs"])
    return rows


def main() -> dict:
    days = DAYS or load_scenario(CASE).days
    out: dict = {"scenario": CASE.name, "days": days, "cpus": len(os.sched_getaffinity(0)),
                 "repeats": SWEEP_REPEATS, "quick": QUICK, "load_1min_before": load(),
                 "sizes": {}}
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        for size, seeds in SIZES.items():
            out["sizes"][size], same_here = measure_size(seeds, days, Path(tmp))
            same = same and same_here
        if not QUICK:
            out["regime_comparison_toml"] = measure_shipped(Path(tmp))
    out["same_runs_as_batch_run"] = same
    print("bench_sweep: instructions per run (valgrind)", file=sys.stderr, flush=True)
    out["instructions"] = None if QUICK else instructions_per_run(days)
    out["load_1min_after"] = load()
    big, ins = out["sizes"]["experiment"], out["instructions"]
    shipped = out.get("regime_comparison_toml")
    out["goals"] = {
        "speedup_2_workers_at_least_1.8 (regime_comparison.toml, end to end, median)":
            None if shipped is None else shipped["speedup_2_workers"]["median"] >= 1.8,
        "speedup_2_workers_at_least_1.8 (300 runs, summaries, end to end, median)":
            big["speedup_2_workers"]["median"] >= 1.8,
        "no_slower_than_batch_run (300 runs, end to end, median, 1 and 2 processes)":
            max(big["cost_per_run_vs_batch_run_1"]["median"],
                big["cost_per_run_vs_batch_run_2"]["median"]) <= 1.0,
        "no_slower_than_batch_run (instructions per run)":
            None if ins is None else ins["ratio_per_run"] <= 1.0,
    }
    out["table"] = _table(out, days)
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["--count"]:  # one side, under valgrind
        _count(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1:2] == ["--batch-run"]:  # the batch_run side, in a fresh interpreter
        seeds, processes, days = map(int, sys.argv[2:5])
        rows = batch(seeds, processes, days)
        print(json.dumps([[r["regime"], r["rng"], float(r["staff_days"])] for r in rows]))
    else:
        print(json.dumps(main(), indent=2, default=str))
