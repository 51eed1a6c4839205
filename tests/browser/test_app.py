"""The browser app in a real browser against the real server (one server for the module).

Each test drives Debian's chromium through Playwright the way a student or a lecturer
would, and saves screenshots in test-artifacts/browser/. Every session of every test is
checked for requests that failed or left the machine (conftest), and the server for any
asset it would have fetched from the internet.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"

pytestmark = pytest.mark.timeout(300)
# Renders take a second or two, more on a busy machine; fail only when something is stuck.
expect.set_options(timeout=60_000)


def day(page, selector=".govsim-day") -> int:
    return int(page.locator(f"{selector} b").inner_text())


def wait_day(page, value: int, selector=".govsim-day") -> None:
    expect(page.locator(f"{selector} b")).to_have_text(str(value), timeout=60_000)


def advances_within(page, seconds: float, selector=".govsim-day") -> int:
    """The day shown moves on within ``seconds``; returns the day it moved to."""
    before = day(page, selector)
    expect(page.locator(f"{selector} b")).not_to_have_text(str(before),
                                                          timeout=seconds * 1000)
    return day(page, selector)


def stays(page, seconds: float, selector=".govsim-day") -> int:
    """The day shown stays put for ``seconds`` (after a Pause)."""
    first = day(page, selector)
    page.wait_for_timeout(seconds * 1000)
    assert day(page, selector) == first
    return first


def click(page, selector: str) -> None:
    page.locator(selector).first.click()


def open_section(page, selector: str) -> None:
    """Open a collapsible section of the controls (its widgets exist only while open)."""
    page.locator(f"{selector} button").first.click()


def download(page, label: str) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).click()
    return open(info.value.path(), "rb").read()


def png_of(page, button: str) -> str:
    """Save a figure as PNG (the browser draws it): the file's name, once it is a PNG."""
    with page.expect_download(timeout=60_000) as info:
        page.locator(button).first.click()
    assert open(info.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    return info.value.suggested_filename


def summary_of(page) -> dict:
    rows = list(csv.DictReader(io.StringIO(download(page, "Run summary (CSV)").decode())))
    assert len(rows) == 1
    return rows[0]


# ---- play, step, pause, speed ---------------------------------------------------------------------
def test_play_and_pause_work_after_any_interaction(session):
    """The issue's freeze: toggle a switch, step ten times, leave and return — Play moves
    the day within 3 s every time, and Pause stops it at once."""
    page = session.page
    open_section(page, ".govsim-institutions")
    click(page, ".govsim-switch-hotline")  # state plus a hotline: the run restarts
    expect(page.locator(".govsim-notice")).to_contain_text("Restarted from day 0 because "
                                                           "hotline changed to on")
    wait_day(page, 0)
    click(page, ".govsim-explore-play")
    advances_within(page, 3)
    click(page, ".govsim-explore-play")  # Pause
    expect(page.locator(".govsim-explore-play")).to_have_text(re.compile("Play"))
    stays(page, 1.5)
    for _ in range(10):
        before = day(page)
        click(page, ".govsim-explore-step")
        wait_day(page, before + 1)
    click(page, ".govsim-explore-play")
    advances_within(page, 3)
    click(page, ".govsim-nav-compare")  # leaving the page stops its play
    click(page, ".govsim-nav-explore")
    expect(page.locator(".govsim-explore-play")).to_have_text(re.compile("Play"))
    paused_at = stays(page, 1.5)
    click(page, ".govsim-explore-play")
    advances_within(page, 3)
    click(page, ".govsim-explore-play")
    stays(page, 1.0)
    assert day(page) > paused_at
    session.shot("explore_after_interactions")


def test_speed_is_shown_and_play_keeps_to_it(session):
    page = session.page
    expect(page.locator(".govsim-explore-speed-label")).to_contain_text("2 days per second")
    page.locator(".govsim-explore-speed button", has_text="4").click()
    expect(page.locator(".govsim-explore-speed-label")).to_contain_text("4 days per second")
    click(page, ".govsim-explore-play")
    start = day(page)
    page.wait_for_timeout(3000)
    moved = day(page) - start
    expect(page.locator(".govsim-play-status")).to_contain_text("days per second")
    click(page, ".govsim-explore-play")
    # at the chosen speed, or visibly capped — never silently slow
    status = page.locator(".govsim-play-status").inner_text()
    assert moved >= 8 or "capped" in status, (moved, status)


def test_page_loads_offline_and_a_bad_seed_names_the_range(session):
    page = session.page
    session.shot("explore_start")
    assert day(page) == 0
    click(page, ".govsim-explore-step")
    wait_day(page, 1)
    seed = page.locator(".govsim-seed input")
    seed.fill("-5")
    seed.press("Enter")
    warning = page.locator(".govsim-bad-seed")
    expect(warning).to_contain_text("enter a whole number from 0 to 2,147,483,647")
    expect(page.locator(".govsim-error")).to_have_count(0)  # not "something went wrong"
    assert day(page) == 1  # the run was left as it was
    seed.fill("7")
    seed.press("Enter")
    expect(warning).to_have_count(0)
    expect(page.locator(".govsim-notice")).to_contain_text("seed 7")
    wait_day(page, 0)


# ---- honest controls ---------------------------------------------------------------------------------
def test_levers_show_values_and_say_when_they_do_nothing(session):
    page = session.page
    open_section(page, ".govsim-levers")
    grid_worker = page.locator(".govsim-lever-households_per_grid_worker")
    expect(grid_worker).to_contain_text("households per grid worker: 200")
    expect(grid_worker).to_contain_text("needs “grid workers' patrols”")
    expect(grid_worker.locator(".v-slider--disabled")).to_have_count(1)
    expect(page.locator(".govsim-lever-hierarchy_layers")).to_contain_text(": 2")
    click(page, ".govsim-regime-grid")
    expect(page.locator(".govsim-notice")).to_contain_text("under the grid regime")
    expect(grid_worker.locator(".govsim-needs")).to_have_count(0)
    expect(page.locator(".govsim-lever-hierarchy_layers")).to_contain_text(": 1")
    session.shot("explore_levers_grid")


def test_a_regime_change_says_what_it_cleared(session):
    page = session.page
    open_section(page, ".govsim-institutions")
    click(page, ".govsim-switch-hotline")
    expect(page.locator(".govsim-changed")).to_contain_text("hotline: on")
    click(page, ".govsim-regime-market")
    notice = page.locator(".govsim-notice")
    expect(notice).to_contain_text("Restarted from day 0 under the market regime")
    expect(notice).to_contain_text("replaced your institution changes (hotline: on)")
    expect(page.locator(".govsim-changed")).to_contain_text("none")


def test_changing_the_regime_changes_the_run(session):
    page = session.page
    click(page, ".govsim-explore-end")
    wait_day(page, 120)
    expect(page.locator(".govsim-finished")).to_be_visible()
    state = summary_of(page)
    click(page, ".govsim-regime-market")
    wait_day(page, 0)
    expect(page.locator(".govsim-regime-desc")).to_contain_text("negotiation, court and")
    click(page, ".govsim-explore-end")
    wait_day(page, 120)
    market = summary_of(page)
    assert (state["regime"], market["regime"]) == ("state", "market")
    assert state["disputes"] == market["disputes"]  # same seed: the same disputes arrive
    assert float(state["petitions"]) > 0 and float(market["petitions"]) == 0


def test_exported_scenario_reruns_with_the_same_results(session, tmp_path):
    page = session.page
    open_section(page, ".govsim-institutions")
    click(page, ".govsim-switch-hotline")  # state regime plus a hotline
    expect(page.locator(".govsim-changed")).to_contain_text("hotline: on")
    click(page, ".govsim-explore-end")
    wait_day(page, 120)
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
    for key in ("median_days", "resolved_share", "confrontations", "petitions",
                "staff_days", "satisfaction", "disputes"):
        if cli[key] is None:
            assert app[key] == "", key
        else:
            assert float(app[key]) == pytest.approx(cli[key], rel=1e-12, abs=1e-12), key
    assert len(download(page, "Daily data (CSV)").decode().splitlines()) == 1 + 120


# ---- the live network ------------------------------------------------------------------------------
def test_clicking_the_network_shows_a_households_and_an_organisations_state(session):
    page = session.page
    for _ in range(3):
        click(page, ".govsim-explore-step")
    wait_day(page, 3)
    canvas = page.locator(".govsim-fig-network canvas").nth(1)

    def where(kind: str) -> dict:
        """Where on the canvas a household in a dispute, or the first organisation, is."""
        return page.evaluate("""(kind) => {
            const vm = document.querySelector('.govsim-fig-network .govsim-network').__vue__;
            const i = vm.states.findIndex((s) => s > 0);
            const [x, y] = kind === 'org' ? vm.orgScreen[0] : vm.screen[i];
            return {x, y};
        }""", kind)

    canvas.click(position=where("household"))
    detail = page.locator(".govsim-detail")
    expect(detail).to_contain_text("Household")
    expect(detail).to_contain_text("trust in")
    expect(detail).to_contain_text("disputes")
    canvas.click(position=where("org"))
    expect(detail).to_contain_text("neighbourhood committee")
    expect(detail).to_contain_text("mean trust of households in it")
    session.shot("explore_network_detail")
    assert png_of(page, ".govsim-network-png") == "network.png"


# ---- Compare --------------------------------------------------------------------------------------------
def test_compare_runs_three_regimes_in_step(session):
    page = session.page
    click(page, ".govsim-nav-compare")
    click(page, ".govsim-compare-start")
    advances_within(page, 5, ".govsim-compare-day-grid")
    click(page, ".govsim-compare-play")  # pause
    expect(page.locator(".govsim-compare-play")).to_have_text(re.compile("Play"))
    page.wait_for_timeout(800)
    days = [day(page, f".govsim-compare-day-{r}") for r in ("market", "state", "grid")]
    assert len(set(days)) == 1, days
    table = page.locator(".govsim-headline").inner_text()
    for word in ("market", "state", "grid", "median days to resolution", "petitions"):
        assert word in table
    page.locator(".govsim-fig-km_by_regime").scroll_into_view_if_needed()
    expect(page.locator(".govsim-fig-km_by_regime canvas").first).to_be_visible()
    assert png_of(page, ".govsim-fig-km_by_regime .govsim-chart-png") == "km_by_regime.png"
    click(page, ".govsim-compare-step")
    wait_day(page, days[0] + 1, ".govsim-compare-day-market")
    session.shot("compare")
    why = page.locator(".govsim-why-table")  # why grid wins, for the case as shipped
    why.scroll_into_view_if_needed()
    for word in ("grid workers' patrols find disputes", "total (grid − state)"):
        assert word in why.inner_text()
    expect(page.locator(".govsim-why-chart canvas").first).to_be_visible()
    session.shot("compare_why")


# ---- Case replay -------------------------------------------------------------------------------------------
def test_case_replay_tells_the_story_beside_2010(session):
    page = session.page
    click(page, ".govsim-nav-replay")
    timeline = page.locator(".govsim-timeline")
    for date in ("2010-09-01", "2010-09-04", "2010-09-05", "2010-09-06", "2010-09-24"):
        expect(timeline).to_contain_text(date)
    milestones = page.locator(".govsim-milestones")
    expect(milestones).to_contain_text("petition to the district")
    expect(milestones.locator(".govsim-ms-petition")).to_contain_text("day 4 (2010-09-05)")
    expect(milestones.locator(".govsim-ms-state_order")).to_contain_text(
        re.compile(r"days? (earlier|later)|same day"))
    expect(page.locator(".govsim-answer")).to_contain_text("不闹不解决")
    expect(page.locator(".govsim-answer")).to_contain_text("after the owners petitioned")
    narrative = page.locator(".govsim-narrative")
    expect(narrative).to_contain_text("developer: parking sell only from today")
    expect(narrative.locator(".govsim-line-confrontation").first).to_contain_text(
        re.compile(r"days \d+–\d+ .*every day.*\d+–\d+ owners block the gate"))
    expect(narrative.locator(".govsim-line-petition")).to_have_count(1)
    expect(narrative.locator(".govsim-line-state_order")).to_have_count(1)
    assert narrative.locator(".govsim-line-confrontation").count() < 5  # folded, not 14
    page.locator(".govsim-fig-timeline").scroll_into_view_if_needed()
    expect(page.locator(".govsim-fig-timeline canvas").first).to_be_visible()
    session.shot("replay")


# ---- languages, projector, offline ------------------------------------------------------------------------------
def test_chinese_mode_leaves_no_english(session):
    page = session.page
    click(page, ".govsim-lang")
    expect(page.locator(".govsim-explore-step")).to_have_text("单步")
    expect(page.locator(".govsim-explore-play")).to_have_text("连续运行")
    expect(page.locator(".govsim-scenario")).to_contain_text("车位冲突")
    open_section(page, ".govsim-institutions")
    click(page, ".govsim-switch-hotline")
    expect(page.locator(".govsim-changed")).to_contain_text("统一服务热线：开启")
    allowed = {"govsim", "English", "CSV", "TOML", "PNG", "MODEL"}

    def english_left() -> set[str]:
        text = page.locator(".govsim-root").inner_text()
        return set(re.findall(r"[A-Za-z]{3,}", text)) - allowed

    assert english_left() == set(), english_left()
    session.shot("explore_zh")
    click(page, ".govsim-nav-replay")
    expect(page.locator(".govsim-narrative")).to_contain_text("第 0 天", timeout=90_000)
    expect(page.locator(".govsim-narrative")).to_contain_text("每天")
    expect(page.locator(".govsim-answer")).to_contain_text("不闹不解决")
    assert english_left() == set(), english_left()
    session.shot("replay_zh")
    click(page, ".govsim-nav-round")
    assert english_left() == set(), english_left()
    click(page, ".govsim-nav-about")
    expect(page.get_by_text("这是什么？")).to_be_visible()
    click(page, ".govsim-lang")
    expect(page.get_by_text("What is it?")).to_be_visible()


def test_projector_mode_is_legible_from_the_back(session):
    page = session.page
    page.locator(".govsim-projector-switch").click()
    expect(page.locator(".govsim-projector")).to_have_count(1)
    figures = page.locator(".govsim-fig")
    expect(figures.first).to_be_visible()
    boxes = [figures.nth(i).bounding_box() for i in range(figures.count())]
    width = page.locator(".govsim-root").bounding_box()["width"]
    for box in boxes:  # one figure per row, at full width
        assert box["width"] > 0.85 * width, (box, width)
    tops = sorted(b["y"] for b in boxes)
    assert all(b > a + 100 for a, b in zip(tops, tops[1:])), tops
    assert "runs on Solara" not in page.content()  # no badge over a figure
    session.shot("explore_projector")
    click(page, ".govsim-nav-compare")
    click(page, ".govsim-compare-start")
    expect(page.locator(".govsim-fig-km_by_regime")).to_be_visible()
    session.shot("compare_projector")


def test_every_page_renders_offline(session):
    page = session.page
    for nav in ("compare", "replay", "round", "about", "explore"):
        click(page, f".govsim-nav-{nav}")
        page.wait_for_timeout(1500)
    expect(page.locator(".govsim-narrative")).to_have_count(0)
    assert session.failed == [] and session.outside == []


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


def test_a_closed_session_is_released(open_session, app_url):
    def kernels() -> int:
        with urllib.request.urlopen(app_url + "resourcez", timeout=5) as r:
            return json.load(r)["kernels"]["total"]

    s = open_session()
    click(s.page, ".govsim-explore-play")
    advances_within(s.page, 5)
    before = kernels()
    s.close()
    deadline = time.monotonic() + 60
    while kernels() >= before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert kernels() < before


# ---- the class round -------------------------------------------------------------------------------------
def test_a_class_round_with_a_lecturer_and_students(open_session):
    lecturer = open_session(viewport=(1400, 1000))
    click(lecturer.page, ".govsim-nav-round")
    click(lecturer.page, ".govsim-round-open")
    code = lecturer.page.locator(".govsim-round-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}", code), code
    students = []
    for name, role in (("Dev", "developer"), ("Ann", "owner"), ("Bo", "owner")):
        s = open_session(viewport=(1000, 800))
        page = s.page
        click(page, ".govsim-nav-round")
        page.locator(".govsim-round-code-in input").fill(code.lower())
        page.locator(".govsim-round-name input").fill(name)
        page.locator(".govsim-round-role button",
                     has_text="developer" if role == "developer" else "owner").click()
        click(page, ".govsim-round-join")
        expect(page.locator(".govsim-round-you")).to_contain_text(f"You are {name}")
        students.append(s.page)
    dev, ann, bo = students
    expect(lecturer.page.locator(".govsim-round-players")).to_contain_text("Bo")
    expect(dev.locator(".govsim-choice-dual_track")).to_be_disabled()  # nobody binds owners
    click(dev, ".govsim-choice-sell_only")
    click(ann, ".govsim-choice-resist")
    click(bo, ".govsim-choice-accept")
    expect(lecturer.page.locator(".govsim-round-count")).to_contain_text("3 of 3")
    expect(lecturer.page.locator(".govsim-term-order input")).to_be_disabled()
    click(lecturer.page, ".govsim-round-reveal")
    history = lecturer.page.locator(".govsim-round-history")
    expect(history).to_contain_text("sell only / resist")  # the game's prediction
    expect(lecturer.page.locator(".govsim-round-players")).to_contain_text("-9")
    expect(bo.locator(".govsim-round-result")).to_contain_text("Your payoff this round: -9")
    expect(ann.locator(".govsim-round-result")).to_contain_text("Your developer chose sell only")
    # between rounds: an owners' assembly binds the owners, a joint meeting binds nobody
    lecturer.page.locator(".govsim-term-joint_meeting input").check(force=True)
    expect(lecturer.page.locator(".govsim-round-prediction")).to_contain_text(
        "the developer chooses sell only")
    lecturer.page.locator(".govsim-term-assembly input").check(force=True)
    expect(lecturer.page.locator(".govsim-round-prediction")).to_contain_text(
        "dual track (rent and sell)")
    click(lecturer.page, ".govsim-round-next")
    expect(dev.locator(".govsim-choice-dual_track")).to_be_enabled()
    click(dev, ".govsim-choice-dual_track")
    click(ann, ".govsim-choice-accept")
    click(bo, ".govsim-choice-accept")
    expect(lecturer.page.locator(".govsim-round-count")).to_contain_text("3 of 3")
    click(lecturer.page, ".govsim-round-reveal")
    expect(history.locator("tr")).to_have_count(3)
    expect(history).to_contain_text("100%")
    lecturer.page.locator(".govsim-fig-round").scroll_into_view_if_needed()
    expect(lecturer.page.locator(".govsim-fig-round canvas").first).to_be_visible()
    lecturer.shot("round_lecturer")
