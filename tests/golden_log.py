"""Pinned event logs: fingerprints of a few small runs, so a speed-up that changes results
is caught.

``python tests/golden_log.py --write`` regenerates ``tests/golden/event_logs.json`` from the
current tree. Do that *before* a performance change (on the tree as it is), then make the
change: the test must still pass. A calibration commit (new defaults, changed mechanisms)
legitimately changes the logs; regenerate after it, and say so in the commit message.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from govsim import GovernanceModel
from govsim.reporters import daily_series

GOLDEN = Path(__file__).resolve().parent / "golden" / "event_logs.json"

# Small, but together they touch every mechanism: background disputes of all types, the
# parking conflict, several estates, all three regimes.
CASES = {
    f"{name}-{regime}-seed{seed}": (regime, seed, params)
    for name, params in {
        "small": {"households": 400, "buildings": 10, "days": 60, "parking_conflict": True},
        "estates": {"households": 2400, "buildings": 60, "estates": 3, "days": 45,
                    "social_organisations": 2, "parking_conflict": True},
    }.items()
    for regime in ("market", "state", "grid")
    for seed in (3, 11)
}


def _digest(obj) -> str:
    text = json.dumps(obj, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(model: GovernanceModel) -> dict[str, str | int]:
    """Hashes of the event log, the dispute table, the summary and the daily series of a
    finished run."""
    return {
        "events": len(model.log),
        "event_log": _digest(model.log.records()),
        "disputes": _digest(model.dispute_records()),
        "summary": _digest(model.summary()),
        "daily": _digest(daily_series(model.datacollector)),
    }


def run_case(name: str, **extra) -> dict[str, str | int]:
    regime, seed, params = CASES[name]
    model = GovernanceModel(regime=regime, rng=seed, **(params | extra))
    while model.running:
        model.step()
    return fingerprint(model)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite the pinned fingerprints")
    args = ap.parse_args(argv)
    current = {name: run_case(name) for name in CASES}
    if args.write:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
        print(f"wrote {len(current)} fingerprints to {GOLDEN}")
        return 0
    pinned = json.loads(GOLDEN.read_text())
    bad = [n for n in CASES if pinned.get(n) != current[n]]
    print("all match" if not bad else f"differ: {', '.join(bad)}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
