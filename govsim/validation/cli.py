"""``govsim facts``, ``govsim replay`` and ``govsim decompose``: parsing and printing only.

Both run their runs as an ordinary sweep (the sweep engine: executors, the journaled result
store in ``OUT/runs``, ``--resume``) and then analyse the stored runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from govsim import resources
from govsim.errors import MAX_SEEDS, UsageError, check_out_dir, check_workers, require_int
from govsim.sweep.options import EXECUTORS

DEFAULT_EXPERIMENT = resources.DEFAULT_FACTS
DEFAULT_SCENARIO = resources.DEFAULT_SCENARIO
STORE = "runs"  # the sweep's result store, inside the output folder


def _seeds(flag: str, value: int | None, minimum: int = 1):
    require_int(flag, value, minimum, MAX_SEEDS)


def _check_run_options(args: argparse.Namespace) -> None:
    check_workers(args.workers)
    if args.address and args.executor != "dask":
        raise UsageError(f"--address {args.address}: only the dask executor connects to a "
                         "scheduler; add --executor dask")


def _sweep(exp, out: Path, args: argparse.Namespace, again: str) -> int | None:
    """Run (or resume) the experiment's runs into ``out/runs``; an exit status when the
    analysis cannot follow (interrupted), else None."""
    from govsim.sweep.engine import run_sweep
    from govsim.sweep.executors import start_fork_server
    from govsim.sweep.store import command_line

    if args.executor == "process":
        start_fork_server()
    res = run_sweep(exp, out / STORE, args.executor, args.workers, args.address,
                    args.resume, False, None, None, not args.quiet, command_line())
    print(res.describe(exp.name), file=sys.stderr)
    if res.interrupted:
        print(f"govsim: interrupted; continue with: {again} --out {out} --resume",
              file=sys.stderr)
        return 130
    if res.status:
        print(f"govsim: {res.problem()}; the analysis uses the runs stored ok",
              file=sys.stderr)
    return None


def _with(exp, replicates: int | None = None, days: int | None = None):
    """The experiment with its replicates or horizon changed on the command line: its text
    is edited and read again, so the result store knows it as a different experiment."""
    import tomlkit

    from govsim.sweep.spec import parse_experiment

    if replicates is None and days is None:
        return exp
    doc = tomlkit.parse(exp.text)
    if replicates is not None:
        doc["experiment"]["replicates"] = replicates
        for point in doc.get("points", {}).values():
            point.pop("replicates", None)
    if days is not None:
        doc["experiment"]["days"] = days
        doc.get("set", {}).pop("days", None)
    return parse_experiment(tomlkit.dumps(doc), exp.path)


def cmd_facts(args: argparse.Namespace) -> int:
    from govsim.scenario import check_days
    from govsim.sweep.spec import check_size, load_experiment
    from govsim.validation.facts import evaluate, parse_settings
    from govsim.validation.report import facts_table, write_facts
    from govsim.validation.results import Results

    _seeds("--seeds", args.seeds, 2)
    check_days(args.days)
    _check_run_options(args)
    exp = _with(load_experiment(resources.experiment_path(args.experiment)), args.seeds,
                args.days)
    settings = parse_settings(exp)
    check_size(exp)
    out = check_out_dir(args.out or Path("results") / exp.name, create=True)
    status = _sweep(exp, out, args, f"govsim facts {args.experiment}")
    if status is not None:
        return status
    results = Results.from_store(out / STORE)
    facts = evaluate(settings, results)
    written = write_facts(out, facts, results, exp, settings, exp.replicates)
    if args.json:
        print(json.dumps({"seeds": exp.replicates, "facts": [r.to_dict() for r in facts]},
                         indent=2, default=float))
        return 0
    print(f"{exp.title or exp.name} — {exp.replicates} paired seeds, "
          f"{settings.confidence:.0%} intervals\n")
    print(facts_table(facts))
    print("\nwritten: " + ", ".join(str(p) for p in written))
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from govsim.scenario import check_days, load_scenario
    from govsim.sweep.spec import parse_experiment
    from govsim.validation.replay import (REGIMES, event_table, replay_experiment,
                                          replay_figure, sensitivity, source_days)
    from govsim.validation.report import replay_markdown
    from govsim.validation.results import Results

    _seeds("--seeds", args.seeds)
    _seeds("--sensitivity-seeds", args.sensitivity_seeds, 0)
    check_days(args.days)
    _check_run_options(args)
    scenario = load_scenario(args.scenario)
    out = check_out_dir(args.out or Path("results") / "case_replay", create=True)
    text = replay_experiment(scenario, args.seeds, args.sensitivity_seeds, days=args.days)
    spec = out / "replay_experiment.toml"
    spec.write_text(text, encoding="utf-8")
    exp = parse_experiment(text, spec)
    status = _sweep(exp, out, args, f"govsim replay {args.scenario}")
    if status is not None:
        return status
    results = Results.from_store(out / STORE)
    source = source_days(scenario)
    tables = {r: event_table(results, r, source) for r in REGIMES}
    sens = sensitivity(results, scenario) if args.sensitivity_seeds else []
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
    figures = []
    for regime in REGIMES:
        name = f"replay_{regime}.png"
        replay_figure(results, regime, source, scenario.start_date, out / name)
        figures.append(name)
    payload = {"scenario": scenario.name, "seeds": args.seeds, "events": tables,
               "sensitivity": [vars(s) | {"swing": s.swing if s.swing != float("inf")
                                          else None} for s in sens]}
    (out / "replay.json").write_text(json.dumps(payload, indent=2, default=str))
    (out / "replay.md").write_text(replay_markdown(tables, sens, scenario, args.seeds,
                                                   figures, args.sensitivity_seeds))
    print(f"\nwritten: {out / 'replay.json'}, {out / 'replay.md'}, "
          + ", ".join(str(out / f) for f in figures))
    return 0


def cmd_decompose(args: argparse.Namespace) -> int:
    from govsim.scenario import check_days, load_scenario
    from govsim.sweep.spec import check_size, parse_experiment
    from govsim.validation.decompose import (decompose_experiment, figure, groups_for,
                                             markdown, shapley, to_json)
    from govsim.validation.results import Results

    _seeds("--seeds", args.seeds, 2)
    check_days(args.days)
    _check_run_options(args)
    scenario = load_scenario(args.scenario)
    out = check_out_dir(args.out or Path("results") / "decomposition", create=True)
    text = decompose_experiment(scenario, args.seeds, days=args.days)
    spec = out / "decompose_experiment.toml"
    exp = parse_experiment(text, spec)
    check_size(exp)
    spec.write_text(text, encoding="utf-8")
    status = _sweep(exp, out, args, f"govsim decompose {args.scenario}")
    if status is not None:
        return status
    groups = tuple(groups_for(scenario))
    result = shapley(Results.from_store(out / STORE), groups)
    if result["seeds"] < 2:
        print("govsim: fewer than two seeds have every coalition stored; nothing to decompose",
              file=sys.stderr)
        return 1
    (out / "decomposition.json").write_text(json.dumps(to_json(result, scenario, args.days), indent=2))
    (out / "decomposition.md").write_text(markdown(result, scenario))
    figure(result, out / "decomposition.png")
    print(markdown(result, scenario))
    print(f"written: {out / 'decomposition.json'}, {out / 'decomposition.md'}, "
          f"{out / 'decomposition.png'}")
    return 0


def _run_options(p: argparse.ArgumentParser, out: str) -> None:
    p.add_argument("--out", help=f"folder for the report and the runs' store (default: {out})")
    p.add_argument("--executor", default="process", choices=EXECUTORS,
                   help="where runs execute (default: process)")
    p.add_argument("--workers", type=int, help="processes or local Dask workers (default: "
                                               "the machine's cores)")
    p.add_argument("--address", help="tcp://HOST:PORT of a running dask scheduler")
    p.add_argument("--resume", action="store_true",
                   help="continue the runs stored in --out (after Ctrl-C or a crash)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def register(sub) -> None:
    p = sub.add_parser("facts", help="check the stylized facts of MODEL.md §8 (paired seeds)")
    p.add_argument("experiment", nargs="?", default=DEFAULT_EXPERIMENT,
                   help="experiment file or name (default: stylized_facts)")
    p.add_argument("--seeds", type=int, help="paired seeds 0..N-1 (default: the file's "
                                             "replicates)")
    p.add_argument("--days", type=int, help="horizon in days (default: the scenario's)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    _run_options(p, "results/<experiment name>")
    p.set_defaults(func=cmd_facts)

    p = sub.add_parser("replay", help="replay the parking case against the source's dates")
    p.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO,
                   help="scenario file or name (default: parking_x_community)")
    p.add_argument("--seeds", type=int, default=50, help="seeds per regime (default 50)")
    p.add_argument("--sensitivity-seeds", type=int, default=0,
                   help="also run the ±50%% sensitivity table with this many seeds")
    p.add_argument("--days", type=int, help="horizon in days (default: the scenario's)")
    _run_options(p, "results/case_replay")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("decompose", help="why grid wins: each institution's share of the "
                                         "grid − state difference (Shapley values)")
    p.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO,
                   help="scenario file or name (default: parking_x_community)")
    p.add_argument("--seeds", type=int, default=20,
                   help="paired seeds per coalition (default 20; 2^8 coalitions each)")
    p.add_argument("--days", type=int, help="horizon in days (default: the scenario's)")
    _run_options(p, "results/decomposition")
    p.set_defaults(func=cmd_decompose)
