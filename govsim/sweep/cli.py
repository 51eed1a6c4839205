"""``govsim sweep`` and ``govsim report``: argument parsing and printing only."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from govsim.errors import UsageError, check_out_dir, check_workers, max_workers
from govsim.sweep.options import EXECUTORS, FORMATS, MAX_RUNS, MAX_RUNS_LARGE

MAX_SHARDS = 100_000


def _shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d{1,6})\s*/\s*(\d{1,6})\s*", text)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)) <= MAX_SHARDS:
        raise UsageError(f"--shard {text}: expected I/N with 1 ≤ I ≤ N ≤ {MAX_SHARDS:,}, "
                         "e.g. 2/8")
    return int(m.group(1)), int(m.group(2))


def _check_args(args: argparse.Namespace) -> tuple[int, int] | None:
    """Everything on the command line that can be wrong, before the experiment is read."""
    shard_spec = _shard(args.shard)
    check_workers(args.workers)
    if args.address and args.executor != "dask":
        raise UsageError(f"--address {args.address}: only the dask executor connects to a "
                         "scheduler; add --executor dask")
    if args.resume and args.dry_run:
        raise UsageError("--resume with --dry-run: a dry run stores nothing; expected one "
                         "of the two")
    return shard_spec


def cmd_sweep(args: argparse.Namespace) -> int:
    shard_spec = _check_args(args)
    if args.executor == "process" and not args.dry_run:
        # First: its second of imports overlaps all of ours, reading the experiment too
        # (numpy, ~0.05 s). If the experiment is bad, it dies with this process unused.
        from govsim.sweep.executors import start_fork_server

        start_fork_server()
    from govsim.sweep.spec import check_size, load_experiment

    exp = load_experiment(args.experiment)
    check_size(exp, args.allow_large)
    out = check_out_dir(args.out or Path("results") / exp.name)
    if args.dry_run:
        return _dry_run(exp, shard_spec, out, args.allow_large)
    from govsim.sweep.engine import run_sweep
    from govsim.sweep.store import command_line

    res = run_sweep(exp, out, args.executor, args.workers, args.address, args.resume,
                    args.retry_failed, shard_spec, args.format, not args.quiet,
                    command_line(), allow_large=args.allow_large)
    print(res.describe(exp.name), file=sys.stderr)
    print(out)
    if res.interrupted:
        print(f"govsim: interrupted; continue with: govsim sweep {args.experiment} "
              f"--out {out} --resume", file=sys.stderr)
    elif res.status:
        print(f"govsim: {res.problem()}", file=sys.stderr)
    return res.status


def _dry_run(exp, shard_spec, out: Path, allow_large: bool) -> int:
    from govsim.sweep.designs import describe
    from govsim.sweep.engine import select

    design, tasks, mine = select(exp, shard_spec, allow_large)
    print(describe(exp, design))
    if shard_spec:
        print(f"shard {shard_spec[0]}/{shard_spec[1]}: {len(mine)} of {len(tasks)} runs")
    print(f"results would go to {out}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from govsim.sweep.report import write_report

    written = write_report(Path(args.dir))
    print("\n".join(str(p) for p in written))
    return 0


def register(sub) -> None:
    p = sub.add_parser("sweep", help="run an experiment file (a parameter sweep)",
                       description="Run every run of an experiment file and store the results "
                                   "(resumable). Exit status: 0 every run of the sweep (or "
                                   "shard) stored ok, 1 some stored failed (also when "
                                   "resuming computes nothing new), 2 bad input, 130 "
                                   f"interrupted. At most {MAX_RUNS:,} runs without "
                                   "--allow-large.")
    p.add_argument("experiment", help="experiment file (TOML), e.g. "
                                      "experiments/regime_comparison.toml")
    p.add_argument("--out", help="result folder (default: results/<experiment name>)")
    p.add_argument("--executor", default="process", choices=EXECUTORS,
                   help="where runs execute (default: process)")
    p.add_argument("--workers", type=int, help="processes or local Dask workers "
                                               "(default: the machine's cores; at most "
                                               f"{max_workers()}, 4 per core)")
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
    p.add_argument("--allow-large", action="store_true",
                   help=f"allow more than {MAX_RUNS:,} runs (up to {MAX_RUNS_LARGE:,})")
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
