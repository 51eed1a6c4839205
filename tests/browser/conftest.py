"""A real ``govsim app`` server and Debian's chromium, for the browser tests.

The server is started on a free loopback port exactly as a user starts it (``govsim app``),
polled until it answers HTTP 200 and terminated at teardown. Solara's CDN address points at
a loopback trap that counts every asset the server would have fetched from the internet:
there must be none. The browser is the system's ``/usr/bin/chromium`` (``make test``
installs it with apt-get when missing); Playwright never downloads one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from loopback import free_port  # tests/loopback.py

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.app_load import CdnTrap  # noqa: E402  (the load test's trap, the same)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


@pytest.fixture(scope="session")
def cdn_trap():
    trap = CdnTrap()
    yield trap
    trap.close()


@pytest.fixture(scope="module")
def app_url(cdn_trap):
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / f"app-server-{port}.log", "w")
    env = dict(os.environ, SOLARA_ASSETS_CDN=cdn_trap.url)
    proc = subprocess.Popen([sys.executable, "-m", "govsim.cli", "app", "--port", str(port)],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"govsim app exited with status {proc.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"govsim app did not answer on {url} within 120 s; see {log.name}")
            time.sleep(0.5)
        yield url
        # the server never reached for the internet (a missing asset would have)
        assert cdn_trap.requests == [], f"the server asked the CDN for {cdn_trap.requests}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: 'make test' installs Debian's chromium "
                    "(apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Session:
    """One browser context on the app, recording every request that failed, was refused
    or left the machine (there must be none: the app renders offline)."""

    def __init__(self, browser, url: str, viewport=(1500, 1100)) -> None:
        self.context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.failed: list[str] = []
        self.outside: list[str] = []
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        self.page.on("response", lambda r: self.failed.append(f"{r.url} {r.status}")
                     if r.status >= 400 else None)
        self.page.on("request", self._record)
        self.page.goto(url)
        self.page.wait_for_selector(".govsim-day b")

    def _record(self, request) -> None:
        parsed = urlparse(request.url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOOPBACK:
            self.outside.append(request.url)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_session(browser, app_url):
    """Open a new browser session (context) on the app; all are closed at teardown."""
    opened: list[Session] = []

    def _open(**kw) -> Session:
        opened.append(Session(browser, app_url, **kw))
        return opened[-1]

    yield _open
    for s in opened:
        s.close()
    for s in opened:  # every session of every test rendered offline
        assert s.failed == [], f"failed requests: {s.failed}"
        assert s.outside == [], f"requests that left the machine: {s.outside}"


@pytest.fixture
def session(open_session):
    return open_session()
