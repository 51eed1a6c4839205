"""``govsim sweep`` and ``govsim report``: argument parsing and printing only."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from govsim.sweep.executors import EXECUTORS, BackendError, start_fork_server
from govsim.sweep.spec import ExperimentError
from govsim.sweep.store import FORMATS, StoreError, command_line


def _fail(message: str) -> int:
    print(f"govsim: {message}", file=sys.stderr)
    return 2


def _shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise ValueError(f"--shard {text}: expected I/N with 1 ≤ I ≤ N, e.g. 2/8")
    return int(m.group(1)), int(m.group(2))


def cmd_sweep(args: argparse.Namespace) -> int:
    from govsim.sweep.spec import load_experiment

    try:
        shard_spec = _shard(args.shard)
        if args.workers is not None and args.workers < 1:
            raise ValueError(f"--workers {args.workers}: expected at least 1")
        exp = load_experiment(args.experiment)
        if args.executor == "process" and not args.dry_run:
            start_fork_server()  # its imports overlap ours (the engine, pandas, the design)
        from govsim.sweep.designs import describe
        from govsim.sweep.engine import run_sweep, select

        if args.dry_run:
            design, tasks, mine = select(exp, shard_spec)
            print(describe(exp, design))
            if shard_spec:
                print(f"shard {shard_spec[0]}/{shard_spec[1]}: {len(mine)} of {len(tasks)} runs")
            return 0
        out = args.out or str(Path("results") / exp.name)
        res = run_sweep(exp, out, args.executor, args.workers, args.address, args.resume,
                        args.retry_failed, shard_spec, args.format, not args.quiet,
                        command_line())
    except (ExperimentError, StoreError, BackendError, ValueError) as exc:
        return _fail(str(exc))
    state = "interrupted" if res.interrupted else "finished"
    print(f"{exp.name}: {state} on {res.executor or args.executor} in {res.seconds:.1f} s — "
          f"{res.done} run(s) done, {res.failed} failed, {res.skipped} already stored"
          + (f", {res.recovered} recovered from a killed sweep" if res.recovered else "")
          + f"; {res.total} in this sweep", file=sys.stderr)
    print(out)
    if res.interrupted:
        print(f"govsim: interrupted; continue with: govsim sweep {args.experiment} "
              f"--out {out} --resume", file=sys.stderr)
        return 130
    return 1 if res.failed else 0


def cmd_report(args: argparse.Namespace) -> int:
    from govsim.sweep.report import ReportError, write_report

    try:
        written = write_report(Path(args.dir))
    except ReportError as exc:
        return _fail(str(exc))
    print("\n".join(str(p) for p in written))
    return 0


def register(sub) -> None:
    p = sub.add_parser("sweep", help="run an experiment file (a parameter sweep)",
                       description="Run every run of an experiment file and store the results "
                                   "(resumable). Exit status: 0 all runs ok, 1 some runs "
                                   "failed (recorded), 2 bad input, 130 interrupted.")
    p.add_argument("experiment", help="experiment file (TOML), e.g. "
                                      "experiments/regime_comparison.toml")
    p.add_argument("--out", help="result folder (default: results/<experiment name>)")
    p.add_argument("--executor", default="process", choices=EXECUTORS,
                   help="where runs execute (default: process)")
    p.add_argument("--workers", type=int, help="processes or local Dask workers "
                                               "(default: the machine's cores)")
    p.add_argument("--address", help="tcp://HOST:PORT of a running dask scheduler "
                                     "(with --executor dask)")
    p.add_argument("--resume", action="store_true", help="continue a sweep in --out, "
                                                         "skipping stored runs")
    p.add_argument("--retry-failed", action="store_true",
                   help="with the stored runs, re-run those recorded as failed")
    p.add_argument("--shard", metavar="I/N", help="run only the I-th of N deterministic "
                                                  "slices (job arrays: the slices may share "
                                                  "one --out folder, at once or in turn)")
    p.add_argument("--dry-run", action="store_true", help="print the design and the number "
                                                          "of runs; run nothing")
    p.add_argument("--format", choices=FORMATS, help="table format of a new store "
                                                     "(default parquet)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("report", help="tables and figures of a sweep's results",
                       description="Write summary tables (means, 95%% CIs), Kaplan–Meier "
                                   "curves with log-rank tests and sensitivity indices to "
                                   "DIR/report/.")
    p.add_argument("dir", help="a sweep's result folder")
    p.set_defaults(func=cmd_report)
