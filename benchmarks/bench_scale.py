"""Scale: what a simulated day costs, in units that describe the code rather than the
scenario, under every regime; peak memory; a yardstick (the classic Boltzmann wealth model
in the same process); how cost grows with households; the build; where the time goes.

Units (counted from each run's record, see :func:`benchmarks.common.work_units`):

- **CPU µs per dispute-day** — run time over (dispute, day) pairs with the dispute open;
- **CPU µs per event** — run time over logged transitions + channel completions + patrol
  checks;
- CPU µs per household-day — run time over households × days. Shown for comparison only:
  it is (cost per dispute-day) × (open disputes per household), and the second factor is
  set by the scenario's arrival rates, not by the code.

Runs are built as ``govsim.runner.run`` builds them (households Mesa agents when they first
act), the daily series collected (25 reporters; ``govsim run`` and sweeps that keep only
summaries skip them), and run by ``govsim.runner.run_model``, as the CLI and sweeps run
them (the cycle collector paused).
Imports a run makes at first use happen before the clock starts.

Each (scenario, regime) is run in a fresh process (so peak memory is that run's own),
``REPEATS`` times with the configurations taking turns; figures are medians with their
range and the load average at the start of each repeat. ``GOVSIM_BENCH_QUICK=1``: short
runs of the case and the street, to check the harness (not to quote).
"""

from __future__ import annotations

import cProfile
import gc
import json
import pstats
import sys
import time
from functools import partial

import numpy as np

from benchmarks.common import (QUICK, REPEATS, ROOT, child, fmt, interleaved, load,
                               load_range, peak_rss_mib, spread, summarise, work_units)

REGIMES = ("market", "state", "grid")
SCENARIOS = {
    "case": ROOT / "scenarios" / "parking_x_community.toml",
    "street": ROOT / "scenarios" / "xianlin_street.toml",
    "district": ROOT / "scenarios" / "district_grid.toml",
}
# The district's regimes are compared over 120 days (a year costs minutes per regime); one
# full year under grid governance, the costliest, is run for the year's time and memory.
DISTRICT_COMPARISON_DAYS = 120
QUICK_DAYS = {"case": 10, "street": 3}
# Boltzmann steps timed beside our run, at the same population; the district has none: a
# 400,000-agent Boltzmann model alone takes ~40 s and 1.1 GiB to build and warm up.
BOLTZMANN_STEPS = {"case": 20, "street": 5}
SCALING_SIZES = (2_500, 5_000) if QUICK else (5_000, 10_000, 20_000, 40_000, 80_000)
SCALING_DAYS = 10 if QUICK else 120
SEED = 1


# ---- one run, in a child process -------------------------------------------------------------
def warm_imports() -> None:
    """Import now what a run imports at first use (scipy.stats for its summary's
    Kaplan–Meier, ~0.5 s), so that no import is timed as part of a run."""
    from govsim.statistics import _scipy_stats

    _scipy_stats()


def measure_run(path: str, regime: str, days: int | None, overrides: dict,
                boltzmann_steps: int = 0) -> dict:
    """Build and run one model in this process, as the CLI and sweeps do (``runner.run``:
    households agents once they act, the cycle collector paused): CPU seconds, units, peak
    memory; then, if asked, the Boltzmann yardstick at the same population in the same
    process."""
    from govsim.runner import build_model, overrides_for_outputs, run_model
    from govsim.scenario import load_scenario

    warm_imports()
    scenario = load_scenario(path)
    rss_before = peak_rss_mib()
    t0 = time.process_time()
    model = build_model(scenario, regime, SEED, overrides_for_outputs(overrides), days)
    t1 = time.process_time()
    run_model(model)
    t2 = time.process_time()
    out = {"households": model.community.n, "days": model.params["days"],
           "build_cpu_s": t1 - t0, "run_cpu_s": t2 - t1, "peak_rss_mib": peak_rss_mib(),
           "rss_before_model_mib": rss_before, **work_units(model.record())}
    if boltzmann_steps:
        del model
        out["boltzmann"], out["boltzmann_paused"] = boltzmann_both_ways(
            out["households"], boltzmann_steps)
    return out


def boltzmann_both_ways(agents: int, steps: int) -> tuple[dict, dict]:
    """The yardstick stepped as the tutorial steps it and with the collector paused, in
    the order A B B A, each on a collected heap (no dead model of ours left in it): neither
    way always comes second. Returns the mean µs per agent-step of each way."""
    from benchmarks.boltzmann import agent_step_cost

    costs: dict[bool, list[float]] = {False: [], True: []}
    for paused in (False, True, True, False):
        gc.collect()
        costs[paused].append(agent_step_cost(agents, steps, collector_paused=paused)
                             ["us_per_agent_step"])
    return ({"us_per_agent_step": float(np.mean(costs[False]))},
            {"us_per_agent_step": float(np.mean(costs[True]))})


def _per_unit(trial: dict) -> dict:
    """The run's CPU time per unit, and against a Boltzmann agent-step."""
    run = trial["run_cpu_s"] * 1e6
    household_days = trial["households"] * trial["days"]
    out = {"us_per_dispute_day": run / trial["dispute_days"] if trial["dispute_days"] else None,
           "us_per_event": run / trial["events"] if trial["events"] else None,
           "us_per_household_day": run / household_days,
           "open_disputes_per_household": trial["dispute_days"] / household_days}
    boltz = trial.get("boltzmann")
    if boltz:
        out["boltzmann_us_per_agent_step"] = boltz["us_per_agent_step"]
        out["household_day_per_agent_step"] = (out["us_per_household_day"]
                                               / boltz["us_per_agent_step"])
        paused = trial["boltzmann_paused"]["us_per_agent_step"]
        out["boltzmann_paused_us_per_agent_step"] = paused
        out["household_day_per_agent_step_paused"] = out["us_per_household_day"] / paused
    return out


FIGURES = ("run_cpu_s", "build_cpu_s", "us_per_dispute_day", "us_per_event",
           "us_per_household_day", "boltzmann_us_per_agent_step",
           "household_day_per_agent_step", "boltzmann_paused_us_per_agent_step",
           "household_day_per_agent_step_paused", "peak_rss_mib")
UNITS = ("households", "days", "disputes", "dispute_days", "events", "transitions",
         "channel_completions", "patrol_checks", "open_disputes_per_household")


def _result(trials: list[dict]) -> dict:
    """One configuration: its units (the same in every repeat: runs are deterministic)
    and the spread of every figure."""
    trials = [t | _per_unit(t) for t in trials]
    units = {k: trials[0][k] for k in UNITS}
    assert all(t["events"] == units["events"] for t in trials), "runs differ between repeats"
    return {"units": units, **summarise(trials, FIGURES)}


def _days(name: str) -> int | None:
    if QUICK:
        return QUICK_DAYS[name]
    return DISTRICT_COMPARISON_DAYS if name == "district" else None


def costs() -> dict:
    """Every scenario under every regime (and the district's full year under grid)."""
    configs = {}
    for name, path in SCENARIOS.items():
        if QUICK and name not in QUICK_DAYS:
            continue
        for regime in REGIMES:
            configs[f"{name}/{regime}"] = partial(
                child, "bench_scale", {"path": str(path), "regime": regime,
                                       "days": _days(name), "overrides": {},
                                       "boltzmann_steps": BOLTZMANN_STEPS.get(name, 0)})
    if not QUICK:
        configs["district/grid/year"] = partial(
            child, "bench_scale", {"path": str(SCENARIOS["district"]), "regime": "grid",
                                   "days": None, "overrides": {}})
    trials = interleaved(configs, say="cost ")
    return {name: _result(t) for name, t in trials.items()}


def scaling() -> dict:
    """Grid regime at a street-like structure (~30 households a building, an estate per
    ~1,600), households doubling: run time ∝ households^b fitted on log–log axes, and the
    cost per dispute-day at each size (flat when the cost follows the disputes)."""
    configs = {}
    for n in SCALING_SIZES:
        over = {"households": n, "buildings": max(1, round(n / 30)),
                "estates": max(1, round(n / 1600)), "social_organisations": max(1, n // 270)}
        configs[str(n)] = partial(child, "bench_scale", {
            "path": str(SCENARIOS["street"]), "regime": "grid", "days": SCALING_DAYS,
            "overrides": over})
    results = {n: _result(t) for n, t in interleaved(configs, say="households ").items()}
    x = np.log([int(n) for n in results])
    y = np.log([r["run_cpu_s"]["median"] for r in results.values()])
    b = float(np.polyfit(x, y, 1)[0])
    return {"days": SCALING_DAYS, "sizes": results, "exponent": b,
            "time_ratio_for_10x_households": 10 ** b}


# ---- the build: vectorised ties against networkx's generator ------------------------------------
def measure_build(path: str, repeats: int) -> dict:
    """In this process: the street's build (CPU s) with the vectorised building ties and
    with one networkx graph per building (the tests' reference, swapped in through the
    private switch), taking turns; the community cache is emptied before each build."""
    sys.path.insert(0, str(ROOT / "tests"))
    from networkx_ties import networkx_ties

    from govsim import community
    from govsim.runner import build_model
    from govsim.scenario import load_scenario

    scenario = load_scenario(path)

    def build() -> float:
        community._CACHE.clear()
        t0 = time.process_time()
        build_model(scenario, "grid", SEED, days=1)
        return time.process_time() - t0

    build()  # warm: first use of every code path
    out: dict[str, list] = {"vectorised": [], "networkx": [], "load_1min": []}
    for _ in range(repeats):
        out["load_1min"].append(load())
        out["vectorised"].append(build())
        with networkx_ties():
            out["networkx"].append(build())
    return out


def build() -> dict:
    raw = child("bench_scale", {"build": str(SCENARIOS["street"]),
                                "repeats": 2 if QUICK else 7})
    ratio = [a / b for a, b in zip(raw["networkx"], raw["vectorised"])]
    return {"scenario": "street", "build_cpu_s_vectorised": spread(raw["vectorised"]),
            "build_cpu_s_networkx": spread(raw["networkx"]), "speedup": spread(ratio),
            "load_1min": raw["load_1min"]}


# ---- where the time goes -------------------------------------------------------------------
def profile_street(days: int = 120, top: int = 15) -> dict:
    """One cProfile of the street under grid governance: shares of run time (one run is
    enough for shares; the profiler's overhead inflates the times themselves)."""
    from govsim.runner import build_model, run_model
    from govsim.scenario import load_scenario

    warm_imports()
    scenario = load_scenario(SCENARIOS["street"])
    days = 5 if QUICK else days
    prof = cProfile.Profile(time.process_time)  # CPU time: the machine is shared
    prof.enable()
    run_model(build_model(scenario, "grid", SEED, days=days))
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt

    def rows(key: int) -> list[dict]:
        entries = sorted(stats.stats.items(), key=lambda kv: kv[1][key], reverse=True)
        out = []
        for (file, line, func), (cc, nc, tt, ct, _) in entries[:top]:
            short = file.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
            out.append({"function": f"{short}:{line}({func})", "calls": nc,
                        "share_own": round(tt / total, 3), "share_cumulative": round(ct / total, 3)})
        return out

    return {"scenario": "street", "regime": "grid", "days": days,
            "by_own_time": rows(2), "by_cumulative_time": rows(3)}


# ---- the table -------------------------------------------------------------------------------
def _table(cost: dict, scale: dict, bld: dict, prof: dict) -> list[list]:
    rows = []
    for key, r in cost.items():
        u = r["units"]
        rows.append([f"{key}: µs per dispute-day", r["us_per_dispute_day"]["median"],
                     f"{fmt(r['us_per_dispute_day'])}; {u['dispute_days']:,} dispute-days, "
                     f"{u['households']:,} households x {u['days']} days; "
                     f"{load_range(r['load_1min'])}"])
        rows.append([f"{key}: µs per event", r["us_per_event"]["median"],
                     f"{fmt(r['us_per_event'])}; {u['events']:,} events = {u['transitions']:,} "
                     f"transitions + {u['channel_completions']:,} completions + "
                     f"{u['patrol_checks']:,} patrol checks"])
        rows.append([f"{key}: µs per household-day", r["us_per_household_day"]["median"],
                     f"{fmt(r['us_per_household_day'])}; "
                     f"{u['open_disputes_per_household']:.3f} open disputes per household"])
        if r["household_day_per_agent_step"]:
            rows.append([f"{key}: household-day / Boltzmann agent-step",
                         r["household_day_per_agent_step"]["median"],
                         f"{fmt(r['household_day_per_agent_step'])}; classic model, no data "
                         f"collection, same process, "
                         f"{fmt(r['boltzmann_us_per_agent_step'])} µs per agent-step"])
            rows.append([f"{key}: same, Boltzmann's collector paused too",
                         r["household_day_per_agent_step_paused"]["median"],
                         f"{fmt(r['household_day_per_agent_step_paused'])}; "
                         f"{fmt(r['boltzmann_paused_us_per_agent_step'])} µs per agent-step "
                         "(our runs pause it: run_model)"])
        rows.append([f"{key}: run / build", r["run_cpu_s"]["median"],
                     f"CPU s ({fmt(r['run_cpu_s'])}); build {fmt(r['build_cpu_s'])} s; "
                     f"peak {fmt(r['peak_rss_mib'], 4)} MiB"])
    rows.append(["scaling exponent (grid)", scale["exponent"],
                 f"run time ∝ households^b; 10x households -> "
                 f"{scale['time_ratio_for_10x_households']:.1f}x time"])
    for n, r in scale["sizes"].items():
        rows.append([f"scaling {int(n):,} households: µs per dispute-day",
                     r["us_per_dispute_day"]["median"], fmt(r["us_per_dispute_day"])])
    rows.append(["street build: networkx / vectorised ties", bld["speedup"]["median"],
                 f"x ({fmt(bld['speedup'])}); build {fmt(bld['build_cpu_s_networkx'])} -> "
                 f"{fmt(bld['build_cpu_s_vectorised'])} CPU s; {load_range(bld['load_1min'])}"])
    for r in prof["by_own_time"][:5]:
        rows.append([f"profile: {r['function'][-48:]}", r["share_own"],
                     "share of street run time (own time, one profiled run)"])
    return rows


def main() -> dict:
    print("cost per dispute-day, event, household-day (a process per run)", file=sys.stderr)
    cost = costs()
    print("scaling", file=sys.stderr)
    scale = scaling()
    print("build", file=sys.stderr)
    bld = build()
    print("profile: street, grid", file=sys.stderr)
    prof = profile_street()
    return {"costs": cost, "scaling": scale, "build": bld, "profile_street": prof,
            "repeats": REPEATS, "quick": QUICK, "table": _table(cost, scale, bld, prof)}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        spec = json.loads(sys.argv[2])
        if "build" in spec:
            print(json.dumps(measure_build(spec["build"], spec["repeats"])))
        else:
            print(json.dumps(measure_run(**spec)))
    else:
        print(json.dumps(main(), indent=1, default=str))
