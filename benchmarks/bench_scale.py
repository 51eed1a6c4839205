"""Scale: cost per simulated household-day, scaling in households, peak memory, a yardstick
(Mesa's own BoltzmannWealth example) and a profile of the street scenario.

Every number is measured on the machine that runs it; nothing here is asserted. Times are
CPU seconds of the measuring process (``time.process_time``), so other work on a shared
machine inflates them less than wall-clock time; wall-clock seconds are recorded beside them.
Runs that report peak memory are made in a fresh subprocess each, so ``ru_maxrss`` is that
run's own.
``GOVSIM_BENCH_QUICK=1`` shortens every run (to check the harness, not to quote).
"""

from __future__ import annotations

import cProfile
import io
import json
import math
import os
import pstats
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
REGIMES = ("market", "state", "grid")
SCENARIOS = {
    "case": ROOT / "scenarios" / "parking_x_community.toml",
    "street": ROOT / "scenarios" / "xianlin_street.toml",
    "district": ROOT / "scenarios" / "district_grid.toml",
}
QUICK = os.environ.get("GOVSIM_BENCH_QUICK") == "1"
# Street-like structure at every size: ~30 households a building, an estate per ~1,600.
SCALING_SIZES = (2_500, 5_000, 10_000) if QUICK else (5_000, 10_000, 20_000, 40_000, 80_000)
SCALING_DAYS = 20 if QUICK else 120
SEED = 1


# The district's full year costs minutes per regime, so the three regimes are compared over
# 120 days and one full year is run under grid governance (the costliest) for memory.
DISTRICT_COMPARISON_DAYS = 120


def _days(scenario: str) -> int | None:
    """Each scenario's own horizon (the district: 120 days), or a short one in quick mode."""
    if QUICK:
        return {"case": 20, "street": 10, "district": 3}[scenario]
    return DISTRICT_COMPARISON_DAYS if scenario == "district" else None


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_run(path: str, regime: str, seed: int, overrides: dict, days: int | None) -> dict:
    """Build and run one model in this process; the caller decides which process that is."""
    from govsim.runner import build_model
    from govsim.scenario import load_scenario

    scenario = load_scenario(path)
    rss_before = _maxrss_mib()
    w0, t0 = time.perf_counter(), time.process_time()
    model = build_model(scenario, regime, seed, overrides or None, days)
    t1 = time.process_time()
    while model.running:
        model.step()
    t2, w2 = time.process_time(), time.perf_counter()
    n, horizon = model.community.n, model.params["days"]
    return {
        "households": n, "days": horizon, "household_days": n * horizon,
        "build_s": round(t1 - t0, 3), "run_s": round(t2 - t1, 3),
        "wall_s": round(w2 - w0, 3),
        "us_per_household_day": (t2 - t1) / (n * horizon) * 1e6,
        "us_per_household_day_with_build": (t2 - t0) / (n * horizon) * 1e6,
        "disputes": len(model.disputes), "events": len(model.log),
        "peak_rss_mib": round(_maxrss_mib(), 1), "rss_before_model_mib": round(rss_before, 1),
    }


def in_subprocess(path: Path, regime: str, overrides: dict | None = None,
                  days: int | None = None, seed: int = SEED) -> dict:
    spec = json.dumps({"path": str(path), "regime": regime, "seed": seed,
                       "overrides": overrides or {}, "days": days})
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_scale", "--child", spec],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark run failed ({path.name}, {regime}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cost_per_household_day() -> dict:
    """Every scenario under every regime, each run in its own process."""
    out = {}
    for name, path in SCENARIOS.items():
        for regime in REGIMES:
            r = in_subprocess(path, regime, days=_days(name))
            out[f"{name}/{regime}"] = r
            _say(name, regime, r)
    r = in_subprocess(SCENARIOS["district"], "grid", days=5 if QUICK else None)
    out["district/grid/full_year"] = r
    _say("district", "grid (full horizon)", r)
    return out


def _say(name: str, regime: str, r: dict) -> None:
    print(f"  {name:8s} {regime:6s} build {r['build_s']:7.2f} s  run {r['run_s']:8.2f} s"
          f"  {r['us_per_household_day']:.3f} µs/household-day  "
          f"peak {r['peak_rss_mib']:.0f} MiB", file=sys.stderr, flush=True)


def scaling() -> dict:
    """Run time against households at a street-like structure, grid regime (the one with
    the most machinery), fitted as time ∝ households^b on log–log axes."""
    out = {}
    for mode, cap in (("agents_for_disputants_only", 0), ("default", None)):
        rows = []
        for n in SCALING_SIZES:
            over = {"households": n, "buildings": max(1, round(n / 30)),
                    "estates": max(1, round(n / 1600)), "social_organisations": max(1, n // 270)}
            if cap is not None:
                over["agent_network_max_households"] = cap
            r = in_subprocess(SCENARIOS["street"], "grid", over, SCALING_DAYS)
            rows.append(r)
        x = np.log([r["households"] for r in rows])
        fit = {}
        for key in ("run_s", "total_s"):
            y = np.log([r["run_s"] + (r["build_s"] if key == "total_s" else 0) for r in rows])
            b = float(np.polyfit(x, y, 1)[0])
            fit[key] = {"exponent": b, "time_ratio_for_10x_households": 10 ** b}
        out[mode] = {"sizes": rows, "fit": fit, "days": SCALING_DAYS}
    return out


def boltzmann_step_cost(n: int, steps: int) -> dict:
    """Mesa's own BoltzmannWealth example at ``n`` agents, one agent per cell on average as
    in the example's defaults: µs per agent-step, with and without its data collection."""
    from mesa.examples.basic.boltzmann_wealth_model.model import (BoltzmannScenario,
                                                                  BoltzmannWealth)

    side = math.ceil(math.sqrt(n))
    model = BoltzmannWealth(BoltzmannScenario(n=n, width=side, height=side, rng=SEED))
    t0 = time.process_time()
    for _ in range(steps):
        model.step()
    as_shipped = (time.process_time() - t0) / (n * steps) * 1e6
    t0 = time.process_time()
    for _ in range(steps):
        model.agents.shuffle_do("step")
    agents_only = (time.process_time() - t0) / (n * steps) * 1e6
    return {"agents": n, "steps": steps, "us_per_agent_step": as_shipped,
            "us_per_agent_step_without_data_collection": agents_only}


def yardstick() -> dict:
    """In one process: our household-day (grid regime) and a Boltzmann agent-step at the
    same population, and their ratio (the goal: at most 1/4)."""
    out = {}
    plan = {"case": 20, "street": 5, "district": 2}
    horizon = {"case": None, "street": None, "district": 30}  # the district's year: see costs
    for name, steps in plan.items():
        ours = measure_run(str(SCENARIOS[name]), "grid", SEED, {},
                           _days(name) if QUICK else horizon[name])
        toy = boltzmann_step_cost(ours["households"], 2 if QUICK else steps)
        out[name] = {
            "households": ours["households"], "days": ours["days"],
            "ours_us_per_household_day": ours["us_per_household_day"],
            "boltzmann_us_per_agent_step": toy["us_per_agent_step"],
            "boltzmann_us_per_agent_step_without_data_collection":
                toy["us_per_agent_step_without_data_collection"],
            "ratio": ours["us_per_household_day"] / toy["us_per_agent_step"],
            "ratio_vs_agent_step_without_data_collection":
                ours["us_per_household_day"] / toy["us_per_agent_step_without_data_collection"],
        }
        print(f"  yardstick {name}: ours {ours['us_per_household_day']:.3f} µs, Boltzmann "
              f"{toy['us_per_agent_step']:.3f} µs -> ratio {out[name]['ratio']:.3f}",
              file=sys.stderr, flush=True)
    return out


def profile_street(days: int = 120, top: int = 15) -> dict:
    """cProfile of the street scenario under grid governance: where the time goes."""
    from govsim.runner import build_model, run_model
    from govsim.scenario import load_scenario

    scenario = load_scenario(SCENARIOS["street"])
    days = 10 if QUICK else days
    prof = cProfile.Profile(time.process_time)  # CPU time: the machine is shared
    prof.enable()
    run_model(build_model(scenario, "grid", SEED, days=days))
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt

    def rows(key: str) -> list[dict]:
        entries = sorted(stats.stats.items(), key=lambda kv: kv[1][2 if key == "tottime" else 3],
                         reverse=True)
        out = []
        for (file, line, func), (cc, nc, tt, ct, _) in entries[:top]:
            short = file.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
            out.append({"function": f"{short}:{line}({func})", "calls": nc,
                        "tottime_s": round(tt, 3), "cumtime_s": round(ct, 3),
                        "share_of_total": round((tt if key == "tottime" else ct) / total, 3)})
        return out

    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(top)
    return {"scenario": "street", "regime": "grid", "days": days, "total_s": round(total, 2),
            "by_own_time": rows("tottime"), "by_cumulative_time": rows("cumtime")}


def main() -> dict:
    print("cost per household-day (subprocess per run)", file=sys.stderr, flush=True)
    costs = cost_per_household_day()
    print("scaling", file=sys.stderr, flush=True)
    scale = scaling()
    print("yardstick: BoltzmannWealth", file=sys.stderr, flush=True)
    yard = yardstick()
    print("profile: street, grid", file=sys.stderr, flush=True)
    prof = profile_street()

    table = []
    for key, r in costs.items():
        table.append([f"{key}: cost", r["us_per_household_day"], "µs per household-day "
                      f"({r['households']:,} households x {r['days']} days; "
                      f"build {r['build_s']:.1f} s, run {r['run_s']:.1f} s)"])
    for key, r in costs.items():
        table.append([f"{key}: peak memory", r["peak_rss_mib"], "MiB (own process)"])
    for mode, s in scale.items():
        f = s["fit"]["run_s"]
        table.append([f"scaling exponent ({mode})", f["exponent"],
                      f"run time ∝ households^b; 10x households -> "
                      f"{f['time_ratio_for_10x_households']:.1f}x time (goal ≤ 12x)"])
    for name, y in yard.items():
        table.append([f"{name}: ours / Boltzmann agent-step", y["ratio"],
                      f"({y['ours_us_per_household_day']:.3f} / "
                      f"{y['boltzmann_us_per_agent_step']:.3f} µs; goal ≤ 0.25)"])
    for r in prof["by_own_time"][:5]:
        table.append([f"profile: {r['function'][-48:]}", r["share_of_total"],
                      "share of street run time (own time)"])
    district_year = costs["district/grid/full_year"]
    table.append(["district/grid full year vs Boltzmann (other process)",
                  district_year["us_per_household_day"]
                  / yard["district"]["boltzmann_us_per_agent_step"], "ratio (goal ≤ 0.25)"])
    goals = {
        "district_year_under_4GiB": (district_year["days"] >= 365
                                     and district_year["peak_rss_mib"] < 4096),
        "ten_x_households_at_most_12x_time":
            scale["agents_for_disputants_only"]["fit"]["run_s"]["time_ratio_for_10x_households"]
            <= 12,
        "household_day_at_most_quarter_of_boltzmann_step": all(y["ratio"] <= 0.25
                                                               for y in yard.values()),
    }
    for goal, met in goals.items():
        table.append([f"goal: {goal}", "met" if met else "NOT met", ""])
    return {"cost_per_household_day": costs, "scaling": scale, "yardstick": yard,
            "profile_street": prof, "goals": goals, "quick": QUICK, "table": table}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        spec = json.loads(sys.argv[2])
        print(json.dumps(measure_run(spec["path"], spec["regime"], spec["seed"],
                                     spec["overrides"], spec["days"])))
    else:
        print(json.dumps(main(), indent=1, default=str))
