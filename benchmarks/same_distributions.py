"""Did a change that reorders random draws leave the model's results where they were?

A speed-up that draws the same random numbers in another order (one vector draw for all
disputes instead of one draw each) changes every individual run but must not change what
the model says. This script runs the regime comparison — the parking case under market,
state and grid, seeds 0..N-1 — and either writes the run summaries as a reference, or
compares the current code's summaries with a reference written by an earlier version:
per regime and metric a two-sample Kolmogorov–Smirnov test and a Mann–Whitney test, with
Holm's correction over all of them, and the two medians side by side.

    python -m benchmarks.same_distributions --write ref.json      # with the old code
    python -m benchmarks.same_distributions --against ref.json    # with the new code

Exit status 1 when some distribution differs at the 5% level after correction.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

METRICS = ("rmst_days", "median_days", "resolved_share", "abandoned_share", "petitions",
           "confrontations", "satisfaction", "staff_days", "detected_first_share",
           "parking_closed_day", "parking_first_petition_day",
           "parking_first_state_action_day", "parking_assembly_day")
REGIMES = ("market", "state", "grid")


def summaries(seeds: int, scenario: str = "parking_x_community") -> dict:
    from govsim import resources
    from govsim.runner import run
    from govsim.scenario import load_scenario

    sc = load_scenario(resources.scenario_path(scenario))
    out = {}
    for regime in REGIMES:
        rows = [run(sc, regime, seed).summary for seed in range(seeds)]
        out[regime] = {m: [r.get(m) for r in rows] for m in METRICS}
    return {"scenario": scenario, "seeds": seeds, "summaries": out}


def _defined(values) -> list[float]:
    return [float(v) for v in values if v is not None and not (
        isinstance(v, float) and math.isnan(v))]


def compare(reference: dict, current: dict, alpha: float = 0.05) -> tuple[list[dict], bool]:
    from scipy import stats

    rows = []
    for regime in REGIMES:
        for m in METRICS:
            a = _defined(reference["summaries"][regime][m])
            b = _defined(current["summaries"][regime][m])
            row = {"regime": regime, "metric": m, "n_ref": len(a), "n_new": len(b),
                   "median_ref": float(sorted(a)[len(a) // 2]) if a else None,
                   "median_new": float(sorted(b)[len(b) // 2]) if b else None,
                   "p_ks": None, "p_mw": None}
            if len(a) >= 5 and len(b) >= 5 and (len(set(a)) > 1 or len(set(b)) > 1):
                row["p_ks"] = float(stats.ks_2samp(a, b).pvalue)
                row["p_mw"] = float(stats.mannwhitneyu(a, b).pvalue)
            rows.append(row)
    pvalues = sorted((p, i, k) for i, r in enumerate(rows) for k in ("p_ks", "p_mw")
                     if (p := r[k]) is not None)
    differs = False
    for rank, (p, i, k) in enumerate(pvalues):  # Holm's step-down correction
        adjusted = min(1.0, p * (len(pvalues) - rank))
        rows[i][k + "_holm"] = adjusted
        if adjusted < alpha:
            differs = True
    return rows, differs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=50)
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, help="write the current code's summaries here")
    group.add_argument("--against", type=Path, help="compare with summaries written earlier")
    args = ap.parse_args(argv)
    current = summaries(args.seeds)
    if args.write:
        args.write.write_text(json.dumps(current))
        print(f"wrote {args.write}")
        return 0
    reference = json.loads(args.against.read_text())
    rows, differs = compare(reference, current)
    print(f"{'regime':7} {'metric':32} {'median ref':>10} {'median new':>10} "
          f"{'KS p':>7} {'MW p':>7} {'KS Holm':>8} {'MW Holm':>8}")
    for r in rows:
        def fmt(k):
            v = r.get(k)
            return "—" if v is None else f"{v:.3f}"

        def med(k):
            return "—" if r[k] is None else f"{r[k]:.3g}"
        print(f"{r['regime']:7} {r['metric']:32} {med('median_ref'):>10} {med('median_new'):>10} "
              f"{fmt('p_ks'):>7} {fmt('p_mw'):>7} {fmt('p_ks_holm'):>8} {fmt('p_mw_holm'):>8}")
    print("some distribution differs (Holm-adjusted p < 0.05)" if differs
          else "no distribution differs at the 5% level (Holm-adjusted)")
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main())
