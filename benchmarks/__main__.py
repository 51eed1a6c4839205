"""Run every benchmark module and write ``benchmarks/results.json`` plus a short table.

Each ``benchmarks/bench_*.py`` module has ``main() -> dict``: a JSON-friendly dict of what it
measured. If the dict has a ``"table"`` entry — rows of ``[what, value, unit]`` — those rows
are printed in the summary; everything is written to the JSON file. Every figure is a
median of interleaved repeats with its range and the load average beside it
(``benchmarks/common.py``); the whole suite takes about 13 minutes on 2 cores.

    python -m benchmarks                 # all modules
    python -m benchmarks scale           # only bench_scale.py
    python -m benchmarks --quick         # shorter runs (GOVSIM_BENCH_QUICK=1), a smoke test
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def modules() -> list[str]:
    return sorted(p.stem for p in HERE.glob("bench_*.py"))


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("only", nargs="*", help="run only these (e.g. 'scale' for bench_scale.py)")
    ap.add_argument("--quick", action="store_true", help="short runs, to check the harness")
    ap.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    args = ap.parse_args(argv)
    if args.quick:
        os.environ["GOVSIM_BENCH_QUICK"] = "1"
    names = modules()
    wanted = [n if n.startswith("bench_") else f"bench_{n}" for n in args.only]
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        print(f"unknown benchmark(s) {', '.join(unknown)}: expected one of "
              f"{', '.join(n.removeprefix('bench_') for n in names)}", file=sys.stderr)
        return 2
    if wanted:
        names = [n for n in names if n in wanted]
    results: dict = {
        "_meta": {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                  "python": platform.python_version(), "machine": platform.machine(),
                  "cpus": os.cpu_count(), "quick": bool(args.quick),
                  "load_avg_at_start": os.getloadavg()},
    }
    if args.out.exists() and wanted:  # keep the other modules' last results
        previous = json.loads(args.out.read_text())
        results = {k: v for k, v in previous.items() if k != "_meta"} | results
    failed = []
    for name in names:
        print(f"== {name}", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            out = module.main()
        except Exception:  # one broken benchmark must not lose the others' results
            traceback.print_exc()
            failed.append(name)
            results[name] = {"error": traceback.format_exc(limit=3)}
            continue
        out["_seconds"] = round(time.perf_counter() - start, 1)
        results[name] = out
    results["_meta"]["load_avg_at_end"] = os.getloadavg()
    args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(f"\nwrote {args.out}")
    for name in names:
        rows = results[name].get("table", [])
        if not rows:
            continue
        print(f"\n{name} ({results[name].get('_seconds', '?')} s)")
        width = max(len(str(r[0])) for r in rows)
        for what, value, unit in rows:
            print(f"  {str(what):<{width}}  {_format(value):>12}  {unit}")
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
