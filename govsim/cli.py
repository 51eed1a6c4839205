"""The ``govsim`` command: argument parsing and printing only; the work is the library's.

Every subcommand lives in a function ``cmd_<name>`` registered in :data:`SUBCOMMANDS`;
bad input (scenario, parameter, experiment) ends with a message naming the problem and
exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from govsim import resources
from govsim._lazy import import_for_good
from govsim.errors import MAX_SEEDS, UsageError, check_out_dir, require_int
from govsim.institutions import DESCRIPTIONS, REGIMES
from govsim.parameters import PARAMETERS, ParameterError
from govsim.scenario import ScenarioError, check_days, load_scenario, parse_assignment


ROWS = [  # (key, label, format)
    ("median_days", "median days to resolution (KM)", "{:.1f}"),
    ("median_days_from_report", "  … from the first report", "{:.1f}"),
    ("p90_days", "p90 days to resolution (KM)", "{:.1f}"),
    ("rmst_days", "restricted mean days (RMST)", "{:.1f}"),
    ("resolved_share", "share of disputes resolved", "{:.0%}"),
    ("abandoned_share", "share abandoned", "{:.0%}"),
    ("detected_first_share", "found before a complaint", "{:.0%}"),
    ("confrontations", "confrontations", "{:.1f}"),
    ("police_calls", "police called to confrontations", "{:.1f}"),
    ("petitions", "petitions", "{:.1f}"),
    ("repeat_petitions", "  … of which repeated", "{:.1f}"),
    ("skip_level_petitions", "  … over the district's head", "{:.1f}"),
    ("special_handlings", "  … taken up by a leader", "{:.1f}"),
    ("satisfaction", "households satisfied", "{:.0%}"),
    ("satisfaction_parking_claimants", "  … parking claimants", "{:.0%}"),
    ("satisfaction_others", "  … everyone else", "{:.0%}"),
    ("staff_days", "staff-days", "{:,.0f}"),
    ("staff_days_per_resolved", "staff-days per resolved dispute", "{:.1f}"),
]
# quantiles read off the pooled Kaplan–Meier curve: the note says how many runs reach them
POOLED = ("median_days", "median_days_from_report", "p90_days")
PARKING_ROWS = [
    ("closed_share", "parking: share of runs settled", "{:.0%}"),
    ("median_closed_day", "parking: median day settled", "{:.0f}"),
    ("first_confrontation_day", "parking: first confrontation (day)", "{:.0f}"),
    ("first_petition_day", "parking: first petition (day)", "{:.0f}"),
    ("first_state_action_day", "parking: street office acts (day)", "{:.0f}"),
    ("assembly_day", "parking: owners' assembly (day)", "{:.0f}"),
]


def _fmt(value: Any, pattern: str) -> str:
    return "—" if value is None else pattern.format(value)


def format_table(aggregates: dict[str, dict], seeds: int) -> str:
    """Metrics down, regimes across, means (parking: medians) over seeds."""
    regimes = list(aggregates)
    width = max(len(label) for _, label, _ in ROWS + PARKING_ROWS) + 2
    lines = [f"{'':<{width}}" + "".join(f"{r:>12}" for r in regimes)]
    partial = False
    for key, label, pattern in ROWS:
        cells = []
        for r in regimes:
            cell = _fmt(aggregates[r].get(key), pattern)
            reached = aggregates[r].get("reached_runs", {}).get(key)
            if key in POOLED and reached is not None and reached < seeds:
                cell += f" ({reached}/{seeds})"
                partial = True
            cells.append(f"{cell:>12}")
        lines.append(f"{label:<{width}}" + "".join(cells))
    if any(aggregates[r]["parking"]["closed_share"] is not None for r in regimes):
        for key, label, pattern in PARKING_ROWS:
            lines.append(f"{label:<{width}}" + "".join(
                f"{_fmt(aggregates[r]['parking'].get(key), pattern):>12}" for r in regimes))
    lines.append(f"(means over {seeds} paired seeds; medians and p90 of every run's disputes "
                 "pooled; parking rows are medians over seeds; — = not reached or not "
                 "defined)")
    if partial:
        lines.append("(k/n): only k of the n runs reach that quantile on their own")
    return "\n".join(lines)


def _overrides(assignments: list[str]) -> dict[str, Any]:
    out = {}
    for text in assignments or []:
        key, value = parse_assignment(text)
        out[key] = value
    return out


def cmd_run(args: argparse.Namespace) -> int:
    check_days(args.days)
    require_int("--seeds", args.seeds, 1, MAX_SEEDS)
    scenario = load_scenario(args.scenario)
    overrides = _overrides(args.set)
    out = check_out_dir(args.out, create=True) if args.out else None
    # the input is good: only now the imports that take most of a second (the model with
    # mesa; scipy.stats for Kaplan–Meier), which bad input never waits for
    import_for_good("govsim.runner", "scipy.stats")
    from govsim.runner import aggregate, compare
    regimes = list(REGIMES) if args.regime == "all" else [args.regime]
    seeds = list(range(args.seeds))
    days = args.days or overrides.get("days") or scenario.days
    results = compare(scenario, regimes, seeds, overrides, args.days, keep=("disputes",),
                      progress=not args.quiet)
    aggregates = {r: aggregate(results[r]) for r in regimes}
    payload = {"scenario": scenario.name, "days": days, "seeds": seeds,
               "regimes": aggregates}
    if out:
        written = _write_outputs(out, scenario, results, payload, days)
    if args.json:
        print(json.dumps(payload, indent=2, allow_nan=False))
        return 0
    title = scenario.title or scenario.name
    print(f"{title} — {days} days, {len(seeds)} seeds, regimes: {', '.join(regimes)}\n")
    print(format_table(aggregates, len(seeds)))
    if out:
        print("\nwritten: " + ", ".join(str(p) for p in written))
    return 0


def _write_outputs(out: Path, scenario, results, payload, days) -> list[Path]:
    from govsim.plots import km_figure, pooled_durations

    curves = {r: pooled_durations([x.disputes for x in rs], days) for r, rs in results.items()}
    fig = km_figure(curves, days, title=f"{scenario.name}: time to resolution by regime")
    figure = out / "km_by_regime.png"
    fig.savefig(figure)
    summary = out / "summary.json"
    summary.write_text(json.dumps(payload, indent=2, allow_nan=False))
    runs = out / "runs.csv"
    rows = [{"regime": r, "seed": x.seed, **x.summary} for r, rs in results.items() for x in rs]
    with runs.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return [figure, summary, runs]


def cmd_validate(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    print(f"{args.scenario}: ok — {scenario.title or scenario.name} "
          f"({scenario.params.get('households', 'default')} households, {scenario.days} days)")
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    """The scenarios govsim ships (or those of ``--dir``), by name; ``--complete NAME``
    prints one as a complete file: every parameter, commented with its meaning and source."""
    if args.complete:
        from govsim.scenario import scenario_to_toml

        print(scenario_to_toml(load_scenario(args.complete), complete=True), end="")
        return 0
    directory = Path(args.dir) if args.dir else resources.scenarios_dir()
    found = sorted(directory.glob("*.toml"))
    if not found:
        raise UsageError(f"--dir {directory}: no scenario files (*.toml) in it")
    width = max(len(p.stem) for p in found) + 2
    for path in found:
        try:
            sc = load_scenario(path)
            print(f"{path.stem:<{width}} {sc.title or sc.name}")
        except ScenarioError as exc:
            print(f"{path.stem:<{width}} INVALID: {exc.messages[0]}")
    where = directory if args.dir else "shipped with govsim"
    print(f"\n({where}; run one by name or path: govsim run {found[0].stem})")
    print("regimes: " + "; ".join(f"{k} = {v}" for k, v in DESCRIPTIONS.items()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govsim", description="Urban community governance: market, state and grid "
                                   "regimes compared on neighbourhood disputes.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="run a scenario under one or all regimes")
    p.add_argument("scenario", help="scenario file (TOML), or the name of one govsim ships "
                                    "(govsim scenarios lists them)")
    p.add_argument("--regime", default="all", choices=[*REGIMES, "all"])
    p.add_argument("--seeds", type=int, default=20,
                   help=f"paired seeds 0..N-1 (default 20, at most {MAX_SEEDS:,})")
    p.add_argument("--days", type=int, help="horizon in days (default: the scenario's; "
                                            f"at most {int(PARAMETERS['days'].high):,})")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", default=[],
                   help="override a parameter for every regime (repeatable)")
    p.add_argument("--out", help="folder for the figure, summary.json and runs.csv "
                                 "(checked and made before any run starts)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("validate", help="check a scenario file")
    p.add_argument("scenario")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("scenarios", help="list the scenarios, one line each (or print one "
                                         "complete)")
    p.add_argument("--dir", help="list the scenario files of this folder instead of those "
                                 "govsim ships")
    p.add_argument("--complete", metavar="SCENARIO", help="print this scenario (name or "
                   "path) with every parameter, each commented with its meaning and source")
    p.set_defaults(func=cmd_scenarios)

    for register in SUBCOMMANDS:
        register(sub)
    return parser


# Further subcommands register here: functions taking the subparsers object.
SUBCOMMANDS: list = []

from govsim.sweep.cli import register as _register_sweep  # noqa: E402

SUBCOMMANDS.append(_register_sweep)

from govsim.app.server import register as _register_app  # noqa: E402

SUBCOMMANDS.append(_register_app)

from govsim.validation.cli import register as _register_validation  # noqa: E402

SUBCOMMANDS.append(_register_validation)


def main(argv: list[str] | None = None) -> int:
    """Run one command. The one place errors become messages and exit statuses: bad input
    (any :class:`UsageError`, a parameter) is one message and status 2; Ctrl-C is 130; an
    operating-system error names the path and the reason (status 1); anything else is a
    bug, said so in one line (status 1; ``GOVSIM_TRACEBACK=1`` shows the traceback)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (UsageError, ParameterError) as exc:
        _say(str(exc))
        return 2
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:  # e.g. `govsim scenarios | head -1`: nothing left to say
        sys.stdout = open(os.devnull, "w")
        return 1
    except MemoryError:
        _say("out of memory; expected a smaller job (fewer runs, households or days)")
        return 1
    except OSError as exc:
        if os.environ.get("GOVSIM_TRACEBACK"):
            raise
        where = " -> ".join(str(p) for p in (exc.filename, exc.filename2) if p)
        _say(f"{where or 'system error'}: {exc.strerror or exc}")
        return 1
    except Exception as exc:  # noqa: BLE001 — not bad input: a bug, said plainly
        if os.environ.get("GOVSIM_TRACEBACK"):
            raise
        _say(f"internal error (a bug in govsim, please report it): "
             f"{type(exc).__name__}: {exc}")
        return 1


def _say(message: str) -> None:
    print(f"govsim: {message}", file=sys.stderr)


# where OpenBLAS looks for its number of threads, first to last
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")


def entry() -> NoReturn:
    """The ``govsim`` command: :func:`main`, then exit without a last full collection.

    At exit Python collects cyclic garbage once more, walking every object still alive,
    only to free memory the exit frees anyway: a sweep, with pandas and pyarrow loaded,
    took 0.08–0.12 s from its end to its exit, 0.03 s frozen (6 small sweeps, in turns).
    ``govsim run`` froze its imports already (:func:`~govsim._lazy.import_for_good`). The
    command is over and has closed what it wrote, so what is alive now is frozen out of
    that walk. Not in :func:`main`: tests and scripts call it and go on.

    First, before numpy is loaded: OpenBLAS, which numpy loads, starts a thread per core
    that spins for a while after numpy's import, taking CPU from whatever else runs — at a
    sweep's start, the fork server importing the model on one core and this process
    importing its writers on the other. govsim does no linear algebra that a second
    thread would speed up, so the command and the processes it starts keep one thread
    unless the user chose a number in any variable OpenBLAS reads (a sweep's first run
    0.08 s sooner, 4 pairs in turns; ``govsim run`` 0.15 s less CPU, the same wall time)."""
    if not any(os.environ.get(v) for v in BLAS_THREADS):
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    status = main()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    entry()
