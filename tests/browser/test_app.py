"""The browser app in a real browser against the real server (one server for the module).

Each test drives Debian's chromium through Playwright the way a student would, and saves
screenshots in test-artifacts/browser/.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"

pytestmark = pytest.mark.timeout(300)
# Renders take a second or two, more on a busy machine; fail only when something is stuck.
expect.set_options(timeout=60_000)


def day(page, selector=".govsim-day") -> int:
    return int(re.search(r"(\d+)", page.locator(selector).inner_text()).group(1))


def wait_day(page, value: int, selector=".govsim-day") -> None:
    expect(page.locator(selector)).to_have_text(re.compile(rf":\s*{value}\s*$"),
                                                timeout=60_000)
    assert day(page, selector) == value


def click(page, selector: str) -> None:
    page.locator(selector).click()


def download(page, label: str) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).click()
    path = info.value.path()
    return open(path, "rb").read()


def summary_of(page) -> dict:
    rows = list(csv.DictReader(io.StringIO(download(page, "Run summary (CSV)").decode())))
    assert len(rows) == 1
    return rows[0]


def test_page_loads_offline_and_steps(session):
    page = session.page
    session.shot("explore_start")
    assert day(page) == 0
    click(page, ".govsim-explore-step")
    wait_day(page, 1)
    click(page, ".govsim-explore-step")
    wait_day(page, 2)
    session.shot("explore_day2")
    click(page, ".govsim-explore-reset")
    wait_day(page, 0)
    seed = page.locator(".govsim-seed input")
    seed.fill("-5")
    seed.press("Enter")
    expect(page.locator(".v-alert")).to_contain_text("seed = -5: expected a whole number")
    seed.fill("7")
    seed.press("Enter")
    expect(page.locator(".v-alert")).to_have_count(0)
    click(page, ".govsim-explore-step")  # the app kept serving
    wait_day(page, 1)
    assert session.failed == [], session.failed
    assert session.outside == [], session.outside


def test_changing_the_regime_changes_the_run(session):
    page = session.page
    click(page, ".govsim-explore-end")
    expect(page.locator(".govsim-day")).to_contain_text("120", timeout=60_000)
    state = summary_of(page)
    click(page, ".govsim-regime-market")
    wait_day(page, 0)
    expect(page.locator(".govsim-help").nth(1)).to_contain_text("negotiation, court and police")
    click(page, ".govsim-explore-end")
    expect(page.locator(".govsim-day")).to_contain_text("120", timeout=60_000)
    market = summary_of(page)
    session.shot("explore_market_end")
    assert (state["regime"], market["regime"]) == ("state", "market")
    assert state["disputes"] == market["disputes"]  # same seed: the same disputes arrive
    keys = ("petitions", "confrontations", "resolved_share", "staff_days", "median_days")
    assert any(state[k] != market[k] for k in keys), (state, market)
    assert float(state["petitions"]) > 0 and float(market["petitions"]) == 0  # no petition ladder


def test_exported_scenario_reruns_with_the_same_results(session, tmp_path):
    page = session.page
    page.get_by_text("Institutions (switch single ones on or off)").click()
    page.get_by_text("hotline", exact=True).click()  # state regime plus a hotline
    expect(page.locator(".govsim-changed")).to_contain_text("hotline = True")
    click(page, ".govsim-explore-end")
    expect(page.locator(".govsim-day")).to_contain_text("120", timeout=60_000)
    app = summary_of(page)
    toml = download(page, "Scenario (TOML)")
    path = tmp_path / "exported.toml"
    path.write_bytes(toml)
    (ARTIFACTS / "exported_state_hotline.toml").write_bytes(toml)
    out = subprocess.run([sys.executable, "-m", "govsim.cli", "run", str(path), "--regime",
                          "state", "--seeds", "1", "--json", "--quiet"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    cli = json.loads(out.stdout)["regimes"]["state"]
    for key in ("median_days", "p90_days", "resolved_share", "confrontations", "petitions",
                "staff_days", "satisfaction", "disputes"):
        expected = cli[key]
        got = app[key]
        if expected is None:
            assert got == "", key
        else:
            assert float(got) == pytest.approx(expected, rel=1e-12, abs=1e-12), key
    daily = download(page, "Daily data (CSV)").decode().splitlines()
    assert len(daily) == 1 + 120


def test_compare_runs_three_regimes_in_step(session):
    page = session.page
    click(page, ".govsim-nav-compare")
    click(page, ".govsim-compare-start")
    expect(page.locator(".govsim-compare-day-grid")).to_contain_text(re.compile(r": (1\d|[5-9])"),
                                                                    timeout=90_000)
    session.shot("compare_playing")
    assert page.locator(".govsim-compare-play").is_enabled(), page.locator(".v-alert").all_inner_texts()
    click(page, ".govsim-compare-play")  # pause
    expect(page.locator(".govsim-compare-play")).to_have_text(re.compile("Play", re.I))
    page.wait_for_timeout(1500)
    days = [day(page, f".govsim-compare-day-{r}") for r in ("market", "state", "grid")]
    assert days[0] >= 5 and len(set(days)) == 1, days
    table = page.locator(".govsim-headline").inner_text()
    for word in ("market", "state", "grid", "median days to resolution", "petitions"):
        assert word in table
    expect(page.locator(".govsim-fig-km_by_regime img")).to_be_visible()
    session.shot("compare")
    assert page.locator(".govsim-compare-step").is_enabled(), page.locator(".v-alert").all_inner_texts()
    click(page, ".govsim-compare-step")
    wait_day(page, days[0] + 1, ".govsim-compare-day-market")
    assert len({day(page, f".govsim-compare-day-{r}") for r in ("market", "state", "grid")}) == 1


def test_case_replay_shows_the_timeline(session):
    page = session.page
    click(page, ".govsim-nav-replay")
    timeline = page.locator(".govsim-timeline")
    for date in ("2010-09-01", "2010-09-04", "2010-09-05", "2010-09-06", "2010-09-24"):
        expect(timeline).to_contain_text(date)
    expect(timeline).to_contain_text("owners petition the district government")
    expect(page.locator(".govsim-fig-timeline img")).to_be_visible(timeout=90_000)
    narrative = page.locator(".govsim-narrative")
    expect(narrative).to_contain_text("day 0 (2010-09-01): developer: parking sell only")
    expect(narrative).to_contain_text("owners block the gate")
    session.shot("replay")


def test_language_switch_changes_labels(session):
    page = session.page
    expect(page.locator(".govsim-explore-step")).to_have_text(re.compile("Step", re.I))
    click(page, ".govsim-lang")
    expect(page.locator(".govsim-explore-step")).to_have_text("单步")
    expect(page.locator(".govsim-nav-compare")).to_have_text("比较")
    expect(page.get_by_text("治理模式", exact=True)).to_be_visible()
    session.shot("explore_zh")
    click(page, ".govsim-nav-replay")
    expect(page.locator(".govsim-timeline")).to_contain_text("到区政府上访")
    expect(page.locator(".govsim-narrative")).to_contain_text("第 0 天", timeout=90_000)
    session.shot("replay_zh")
    click(page, ".govsim-nav-about")
    expect(page.get_by_text("这是什么？")).to_be_visible()
    click(page, ".govsim-lang")
    expect(page.get_by_text("What is it?")).to_be_visible()
    expect(page.locator(".govsim-nav-explore")).to_have_text(re.compile("Explore", re.I))


def test_about_page_and_projector_mode(session):
    page = session.page
    click(page, ".govsim-nav-about")
    headings = ("What is it?", "How it works", "How to use it", "Things to notice",
                "Things to try", "Extending the model", "Related models",
                "Credits and references", "Source essays")
    positions = [page.get_by_text(h, exact=True).bounding_box()["y"] for h in headings]
    assert positions == sorted(positions)  # NetLogo's Info-tab order
    expect(page.locator(".govsim-about")).to_contain_text("essay 6")
    session.shot("about")
    page.get_by_text("Projector mode").click()
    expect(page.locator(".govsim-projector")).to_have_count(1)
    click(page, ".govsim-nav-explore")
    expect(page.locator(".govsim-fig-network img")).to_be_visible()
    session.shot("explore_projector")


def test_two_sessions_keep_separate_models(open_session):
    a, b = open_session(), open_session()
    for n in (1, 2):
        click(a.page, ".govsim-explore-step")
        wait_day(a.page, n)
    assert day(b.page) == 0
    click(b.page, ".govsim-explore-step")
    wait_day(b.page, 1)
    click(b.page, ".govsim-regime-grid")
    wait_day(b.page, 0)
    a.page.wait_for_timeout(1000)
    assert day(a.page) == 2
    expect(a.page.locator(".govsim-regime-state")).to_have_class(re.compile("primary"))
