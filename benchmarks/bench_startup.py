"""Start-up: how long a user waits for a short command, and what the wait is made of.

Timed as a user meets them — whole commands, from start to exit, each ``REPEATS`` times
(at least 5), the commands taking turns; wall and CPU seconds (the command and every
process it waited for), median and range, the load average at each start:

- ``govsim --help`` (goal ≤ 0.3 s wall on an idle machine);
- ``govsim run parking_x_community --regime grid --seeds 1`` (goal ≤ 1.0 s wall, idle);
- ``python -c "import govsim"``, and for what remains: ``import mesa``,
  ``import scipy.stats``, ``import numpy`` and an empty interpreter.

Then one ``python -X importtime`` of the run command: its import time by top-level package
(own time of every module of the package), the rest of the command's time being the
interpreter, the model and printing.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from functools import partial
from pathlib import Path

from benchmarks.common import (QUICK, REPEATS, fmt, interleaved, load_range, spread,
                               timed_command)

PY = sys.executable
GOVSIM = str(Path(PY).with_name("govsim"))
RUN = ["run", "parking_x_community", "--regime", "grid", "--seeds", "1", "--quiet"]
COMMANDS = {
    "govsim --help": [GOVSIM, "--help"],
    "govsim run (case, grid, 1 seed)": [GOVSIM, *RUN],
    "import govsim": [PY, "-c", "import govsim"],
    "import mesa": [PY, "-c", "import mesa"],
    "import scipy.stats": [PY, "-c", "import scipy.stats"],
    "import numpy": [PY, "-c", "import numpy"],
    "python (nothing)": [PY, "-c", "pass"],
}
GOALS = {"govsim --help": 0.3, "govsim run (case, grid, 1 seed)": 1.0}


def commands() -> dict:
    configs = {name: partial(timed_command, argv) for name, argv in COMMANDS.items()}
    trials = interleaved(configs, repeats=max(REPEATS, 2 if QUICK else 5), say="start-up ")
    return {name: {"wall_s": spread(t["wall_s"] for t in ts),
                   "cpu_s": spread(t["cpu_s"] for t in ts),
                   "load_1min": [t["load_1min"] for t in ts]}
            for name, ts in trials.items()}


def import_breakdown() -> dict:
    """Seconds of import per top-level package in one run of the run command."""
    done = timed_command([PY, "-X", "importtime", "-m", "govsim.cli", *RUN])
    own: Counter = Counter()
    for line in done["stderr"].splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if m:
            own[m.group(2).split(".")[0]] += int(m.group(1)) / 1e6
    return {"wall_s": done["wall_s"], "imports_s": sum(own.values()),
            "by_package_s": {k: round(v, 4) for k, v in own.most_common(12)}}


def main() -> dict:
    cmd = commands()
    imports = import_breakdown()
    goals = {f"{name} ≤ {limit} s wall (median)": cmd[name]["wall_s"]["median"] <= limit
             for name, limit in GOALS.items()}
    table = [[f"{name}: wall s", r["wall_s"]["median"],
              f"{fmt(r['wall_s'])}; CPU {fmt(r['cpu_s'])} s; {load_range(r['load_1min'])}"
              + (f"; goal ≤ {GOALS[name]} s on an idle machine" if name in GOALS else "")]
             for name, r in cmd.items()]
    table.append(["run: import time (-X importtime, one run)", imports["imports_s"],
                  f"s of {imports['wall_s']:.2f} s wall (importtime inflates both)"])
    for pkg, seconds in imports["by_package_s"].items():
        table.append([f"run: imports of {pkg}", seconds, "s, own time of its modules"])
    for goal, met in goals.items():
        table.append([f"goal: {goal}", "met" if met else "NOT met", "at the load shown"])
    return {"commands": cmd, "run_imports": imports, "goals": goals, "table": table}


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=1, default=str))
