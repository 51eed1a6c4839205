"""``govsim facts`` and ``govsim replay``: parsing and printing only."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tqdm.auto import tqdm

from govsim import resources
from govsim.errors import MAX_SEEDS, UsageError, check_out_dir, check_workers, require_int

DEFAULT_EXPERIMENT = resources.DEFAULT_FACTS
DEFAULT_SCENARIO = resources.DEFAULT_SCENARIO


def _seeds(flag: str, value: int | None, minimum: int = 1):
    require_int(flag, value, minimum, MAX_SEEDS)


def _bar(total: int, quiet: bool):
    bar = tqdm(total=total, desc="runs", unit="run", file=sys.stderr, disable=quiet,
               leave=False)
    return bar, bar.update


def cmd_facts(args: argparse.Namespace) -> int:
    from govsim.scenario import check_days
    from govsim.validation.experiment import ExperimentError, load_experiment
    from govsim.validation.facts import check_facts, plan
    from govsim.validation.report import facts_table, write_facts

    _seeds("--seeds", args.seeds, 2)
    check_workers(args.workers)
    check_days(args.days)
    out = check_out_dir(args.out, create=True) if args.out else None
    try:
        exp = load_experiment(args.experiment)
    except ExperimentError as exc:
        raise UsageError(f"invalid experiment {exc}") from None
    if args.days:
        exp.days = args.days
    seeds = args.seeds or exp.seeds
    bar, tick = _bar(len(plan(exp, seeds)), args.quiet or args.json)
    results, records = check_facts(exp, seeds, args.workers, tick)
    bar.close()
    written = write_facts(out, results, records, exp, seeds) if out else []
    if args.json:
        print(json.dumps({"seeds": seeds, "facts": [r.to_dict() for r in results]}, indent=2,
                         default=float))
        return 0
    print(f"{exp.title or exp.name} — {seeds} paired seeds, {exp.confidence:.0%} intervals\n")
    print(facts_table(results))
    if written:
        print("\nwritten: " + ", ".join(str(p) for p in written))
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from govsim.scenario import load_scenario
    from govsim.validation.replay import (SENSITIVE, event_table, replay_figure, replay_runs,
                                          sensitivity, source_days)
    from govsim.validation.report import replay_markdown

    _seeds("--seeds", args.seeds)
    check_workers(args.workers)
    _seeds("--sensitivity-seeds", args.sensitivity_seeds, 0)
    out = check_out_dir(args.out, create=True) if args.out else None
    scenario = load_scenario(args.scenario)
    source = source_days(scenario)
    bar, tick = _bar(3 * args.seeds, args.quiet)
    records = replay_runs(args.scenario, args.seeds, workers=args.workers, progress=tick)
    bar.close()
    tables = {r: event_table(records, r, source) for r in ("state", "market", "grid")}
    sens = []
    if args.sensitivity_seeds:
        bar, tick = _bar(args.sensitivity_seeds * (1 + 2 * len(SENSITIVE)), args.quiet)
        sens = sensitivity(args.scenario, args.sensitivity_seeds, workers=args.workers,
                           progress=tick)
        bar.close()
    for regime, rows in tables.items():
        print(f"{regime}: " + "; ".join(
            f"{r['event']} {'—' if r['median'] is None else format(r['median'], '.0f')}"
            f" (source {r['source_day'] if r['source_day'] is not None else '—'}, "
            f"{r['happened']}/{r['runs']} runs)" for r in rows))
    if sens:
        print("\nstate-only median closing day, one parameter at a time ±50%:")
        for s in sens:
            print(f"  {s.parameter:<32} {s.median_low!s:>6} | {s.median_base!s:>6} | "
                  f"{s.median_high!s:>6}   swing {s.swing:g}")
    if out:
        figures = []
        for regime in ("state", "market", "grid"):
            name = f"replay_{regime}.png"
            replay_figure(records, regime, source, scenario.start_date, out / name)
            figures.append(name)
        payload = {"scenario": scenario.name, "seeds": args.seeds, "events": tables,
                   "sensitivity": [vars(s) | {"swing": s.swing if s.swing != float("inf")
                                              else None} for s in sens],
                   "runs": [{"regime": r["regime"], "seed": r["seed"], **r["case"]}
                            for r in records]}
        (out / "replay.json").write_text(json.dumps(payload, indent=2, default=str))
        (out / "replay.md").write_text(replay_markdown(tables, sens, scenario, args.seeds,
                                                       figures, args.sensitivity_seeds))
        print(f"\nwritten: {out / 'replay.json'}, {out / 'replay.md'}, "
              + ", ".join(str(out / f) for f in figures))
    return 0


def register(sub) -> None:
    p = sub.add_parser("facts", help="check the stylized facts of MODEL.md §8 (paired seeds)")
    p.add_argument("experiment", nargs="?", default=str(DEFAULT_EXPERIMENT),
                   help="experiment file (default: experiments/stylized_facts.toml)")
    p.add_argument("--seeds", type=int, help="paired seeds 0..N-1 (default: the file's)")
    p.add_argument("--days", type=int, help="horizon in days (default: the scenario's)")
    p.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    p.add_argument("--out", help="folder for facts.json, facts.md and figures")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_facts)

    p = sub.add_parser("replay", help="replay the parking case against the source's dates")
    p.add_argument("scenario", nargs="?", default=str(DEFAULT_SCENARIO))
    p.add_argument("--seeds", type=int, default=50, help="seeds per regime (default 50)")
    p.add_argument("--sensitivity-seeds", type=int, default=0,
                   help="also run the ±50%% sensitivity table with this many seeds")
    p.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    p.add_argument("--out", help="folder for replay.json, replay.md and figures")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_replay)
