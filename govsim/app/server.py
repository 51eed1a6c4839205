"""``govsim app``: serve the browser app with Solara, fully offline, for a class.

Solara's front-end files come from the ``solara-assets`` package (installed into the
virtualenv's ``share/solara/cdn``), and the app uses only assets found there (ECharts and
requirejs; no KaTeX: it never renders Markdown in the browser). Solara's proxy would fetch
a missing asset from a CDN; here its CDN address is a loopback port where nothing listens,
so the server never contacts another host — a missing file fails at once, and the tests
notice. The scenario reaches the pages through an environment variable, because ``solara
run`` imports the page module in its own way.

For a class: a browser session that disconnects without closing is released after
``SESSION_TIMEOUT`` (Solara's default keeps it a day), and the "Made with Solara" badge
stays off the projected page. Memory freed by closed sessions goes back to the system:
Python allocates with glibc's malloc (``PYTHONMALLOC=malloc``; its own arenas are freed
only when wholly empty, and thirty sessions' small objects interleave in them), glibc keeps
few arenas, and :mod:`govsim.app.memory` trims the heap after sessions close. Measured:
without this a class of thirty left the server at 1.4× its memory before the class, with
it at 1.2× (``benchmarks/app_load.json``).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

from govsim.errors import UsageError
from govsim import resources
from govsim.scenario import load_scenario

SCENARIO_ENV = "GOVSIM_APP_SCENARIO"
DEFAULT_SCENARIO = resources.DEFAULT_SCENARIO
SESSION_TIMEOUT = "90s"
NO_CDN = "http://127.0.0.1:9/"  # the discard port: nothing answers, nothing leaves the machine


def solara_command(host: str, port: int) -> list[str]:
    main = Path(__file__).resolve().parent / "main.py"
    return [sys.executable, "-m", "solara", "run", str(main), "--host", host, "--port",
            str(port), "--no-open", "--production", "--no-check-version"]


def solara_env(scenario: Path) -> dict[str, str]:
    env = dict(os.environ)
    env[SCENARIO_ENV] = str(scenario)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    env.setdefault("SOLARA_ASSETS_PROXY_CACHE_DIR", str(Path(sys.prefix) / "share" / "solara"
                                                        / "cdn"))
    env.setdefault("SOLARA_ASSETS_CDN", NO_CDN)
    env.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", SESSION_TIMEOUT)
    env.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    env.setdefault("MALLOC_ARENA_MAX", "2")
    env.setdefault("PYTHONMALLOC", "malloc")
    return env


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine."""
    if host.strip().lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may well resolve to a public address
        return False


def cmd_app(args: argparse.Namespace) -> int:
    # a bad file ends here with a clear message, exit status 2
    scenario = load_scenario(args.scenario).path.resolve()
    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: expected a port number from 1 to 65535")
    cdn = Path(solara_env(scenario)["SOLARA_ASSETS_PROXY_CACHE_DIR"])
    if not cdn.is_dir():
        raise UsageError(f"Solara's front-end files are missing ({cdn}): install the project "
                         "with 'make setup' (it installs solara-assets)")
    if not is_loopback(args.host):
        print(f"govsim app: warning: --host {args.host} makes the app reachable from other "
              "machines, and it has no authentication: anyone who reaches the port can use "
              "it and run models on this machine", file=sys.stderr, flush=True)
    print(f"govsim app: serving {scenario.name} at http://{args.host}:{args.port}/ "
          "(Ctrl-C stops it)", flush=True)
    os.execve(sys.executable, solara_command(args.host, args.port), solara_env(scenario))
    return 0  # not reached: the process is now the Solara server


def register(sub) -> None:
    p = sub.add_parser("app", help="serve the browser app (Explore, Compare, Case replay)")
    p.add_argument("scenario", nargs="?", default=str(DEFAULT_SCENARIO),
                   help="scenario file or name (default: the parking case)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; the app has no authentication, "
                        "so another address is warned about)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.set_defaults(func=cmd_app)
