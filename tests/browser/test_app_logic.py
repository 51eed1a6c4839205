"""The app's non-visual layer, without a browser: exports, honest controls, the play engine,
the case's story, the class round, what is sent to the browser, both languages."""

from __future__ import annotations

import html
import re
import threading
import time

import pytest

from govsim.app import charts as C
from govsim.app import levers as LV
from govsim.app import narrative as N
from govsim.app import views as V
from govsim.app.classround import ROUNDS, RoundError, Terms
from govsim.app.components import notice_text
from govsim.app.i18n import STRINGS, _EVENTS_ZH, event_text, tr
from govsim.app.i18n_params import missing_chinese, param_text
from govsim.app.playback import Playback
from govsim.app.session import Comparison, Explore, SeedError, check_seed, replay
from govsim.events import EventKind
from govsim.parameters import PARAMETERS, ParameterError
from govsim.runner import run
from govsim.scenario import parse_scenario

SMALL = {"households": 400, "buildings": 10, "days": 40}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def small_case(case):
    return case.with_overrides(SMALL)


# ---- exports and restarts -----------------------------------------------------------------------
def test_exported_scenario_reproduces_the_app_run(small_case):
    ex = Explore(small_case, "state", seed=3)
    ex.set_param("hotline", True)  # an institution: must land under [regimes.state]
    ex.set_param("payoff_sell_resist", (-3.0, -1.0))
    ex.run_to_end()
    reread = parse_scenario(ex.toml(), "exported.toml")
    again = run(reread, "state", 3)
    assert again.summary == ex.model.summary()
    # and the change mattered: without it the run differs
    assert run(small_case, "state", 3).summary != again.summary


def test_a_restart_says_why_and_a_regime_change_says_what_it_cleared(small_case):
    ex = Explore(small_case, "state", seed=0)
    ex.set_param("hotline", True)
    ex.set_param("agreement_penalty", 5.0)  # not an institution: survives a regime change
    assert ex.notice.reason == "param" and ex.notice.name == "agreement_penalty"
    assert "Restarted from day 0 because" in notice_text(ex.notice, "en")
    ex.set_regime("grid")
    assert ex.notice.cleared == (("hotline", True),)
    assert ex.overrides == {"agreement_penalty": 5.0}
    en, zh = notice_text(ex.notice, "en"), notice_text(ex.notice, "zh")
    assert "hotline: on" in en and "Your other changes stay" in en
    assert "统一服务热线：开启" in zh and not LATIN_WORD.search(zh)


def test_bad_values_are_refused_and_the_model_kept(small_case):
    ex = Explore(small_case, "grid", seed=0)
    before = ex.model
    with pytest.raises(ParameterError, match="committee_admin_burden"):
        ex.set_param("committee_admin_burden", 3.0)
    assert ex.model is before and ex.error is None
    for bad in ("-5", "seven", 2**31, "1.5", None):
        with pytest.raises(SeedError):
            ex.set_seed(bad)
    assert ex.model is before and ex.seed == 0 and check_seed(" 42 ") == 42
    assert "0 to 2,147,483,647" in tr("bad_seed", "en", value="-5", max=f"{2**31 - 1:,}")


def test_an_error_in_building_or_stepping_is_shown_not_raised(small_case, monkeypatch):
    """A page must keep serving: the error becomes the session's message."""
    import govsim.app.session as session

    ex = Explore(small_case, "state", seed=0)
    monkeypatch.setattr(ex.model, "step", lambda: 1 / 0)
    ex.step(3)
    assert ex.error.startswith("ZeroDivisionError") and not ex.running

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(session, "build_model", broken)
    cmp = Comparison(small_case, seed=0)
    assert cmp.error == "RuntimeError: boom" and cmp.models == {} and not cmp.running
    cmp.step(2)  # nothing to step; no exception
    ex.reset()
    assert ex.model is None and ex.error == "RuntimeError: boom"


def test_comparison_steps_three_regimes_on_common_random_numbers(small_case):
    cmp = Comparison(small_case, seed=1)
    cmp.step(10)
    assert set(cmp.days.values()) == {9}
    counts = {r: sum(1 for d in m.disputes if not d.collective) for r, m in cmp.models.items()}
    assert len(set(counts.values())) == 1, counts


# ---- the play engine ---------------------------------------------------------------------------
def test_play_paces_itself_pauses_within_a_frame_and_closes():
    steps, lock = [], threading.Lock()

    def step():
        with lock:
            steps.append(time.monotonic())
        return True

    pb = Playback(step)
    pb.set_speed(50)
    pb.play()
    time.sleep(0.3)
    pb.pause()
    pb.join(2)
    n = len(steps)
    assert n >= 3 and not pb.playing
    time.sleep(0.2)
    assert len(steps) == n  # nothing after Pause returned and the thread ended
    pb.play()
    pb.play()  # a second Play while playing starts no second thread
    time.sleep(0.2)
    pb.close()
    pb.join(2)
    assert not pb.playing and not pb._thread.is_alive()
    pb.play()  # closed for good
    assert not pb.playing


def test_play_waits_for_the_page_to_show_each_frame():
    """With a page that acknowledges, a frame not yet shown holds the next step back
    (a busy browser slows the play; frames never pile up in it)."""
    pb = Playback(lambda: True)
    pb.acknowledging = True
    pb.set_speed(100)
    frames = []
    pb._on_frame = lambda: frames.append(pb.sent())
    pb.play()
    time.sleep(0.3)
    assert frames == [1]  # sent one, waits for its acknowledgement
    pb.shown(1)
    time.sleep(0.2)
    assert frames == [1, 2]
    pb.pause()
    pb.shown(2)
    pb.join(2)
    assert frames == [1, 2] and not pb.playing


def test_play_stops_at_the_horizon(small_case):
    ex = Explore(small_case, "state", seed=0)
    ex.playback.set_speed(1000)
    ex.playback.play()
    ex.playback.join(30)
    assert not ex.playback.playing and not ex.running and ex.model.today == 39
    ex.close()


# ---- the case's story ------------------------------------------------------------------------------
def _ev(day, kind, crowd=None, **kw):
    return {"day": day, "dispute_id": 0, "kind": kind, "stage": "confrontation",
            "channel": kw.get("channel"), "actor": kw.get("actor"), "crowd": crowd,
            "detail": kw.get("detail")}


def test_repeated_events_fold_into_one_line_per_run_of_days():
    events = [_ev(0, "notice", 657, actor="developer", detail="sell_only")]
    events += [_ev(d, "confrontation", c, actor="owners")
               for d, c in zip(range(1, 9), (176, 190, 195, 193, 192, 191, 190, 189))]
    events += [_ev(d, "police_call", actor="police") for d in range(1, 9)]
    events += [_ev(6, "petition"), _ev(7, "state_order", actor="street_office"),
               _ev(12, "confrontation", 40, actor="owners"), _ev(14, "future_kind")]
    lines = N.fold(events)
    kinds = [(line.record["kind"], line.first, line.last) for line in lines]
    assert kinds == [("notice", 0, 0), ("confrontation", 1, 8), ("police_call", 1, 8),
                     ("petition", 6, 6), ("state_order", 7, 7), ("confrontation", 12, 12),
                     ("future_kind", 14, 14)]
    gate = lines[1]
    assert gate.every_day and gate.crowd == (176, 195)
    assert event_text(gate.shown_record(), "en") == "176–195 owners block the gate"
    assert event_text(gate.shown_record(), "zh") == "176–195 户业主在小区门口对峙"
    # a kind this version does not know still reads, in both languages
    assert event_text(lines[-1].record, "en") == "future_kind"
    assert "新的事件" in event_text(lines[-1].record, "zh")


def test_the_run_is_set_beside_2010_milestone_by_milestone(case):
    rep = replay(case, "state", 0, 2)
    ms = N.against_source(rep.events, case.timeline)
    kinds = [m.kind for m in ms]
    assert kinds[:5] == [item["kind"] for item in case.timeline] and kinds[-1] == "resolved"
    by = {m.kind: m for m in ms}
    assert by["petition"].source_day == 4 and by["state_order"].source_day == 5
    assert by["petition"].day is not None and by["state_order"].day >= by["petition"].day
    answer = N.state_answer(rep.events)  # 不闹不解决: the state answers the petition
    assert answer.case == "after_petition"
    assert N.state_answer(replay(case, "grid", 0, 1).events).case == "before_petition"
    assert N.state_answer(replay(case, "market", 0, 1).events).case == "no_state"


# ---- what the browser draws -------------------------------------------------------------------------
def test_the_network_is_sent_once_and_each_day_as_one_index_per_household(small_case):
    ex = Explore(small_case, "grid", seed=0)
    ex.step(5)
    static = V.network_static(ex.model, "stage", lambda k: tr(k, "en"))
    states = V.network_states(ex.model, "stage")
    assert len(static["points"]) == len(states) == 400
    assert max(states) < len(static["palette"]) and min(states) >= 0
    assert len(V.org_fill(ex.model, static)) == len(static["orgs"])
    h = next(i for i, s in enumerate(states) if s > 0)
    detail = V.household_detail(ex.model, h)
    assert detail["disputes"] and set(detail["trust"]) >= {"committee", "grid"}
    org = static["orgs"][0]
    assert "trust" in V.organisation_detail(ex.model, org["node"], org["kind"])


def test_street_scale_is_drawn_by_building(case):
    ex = Explore(case.with_overrides({"households": 6000, "buildings": 60, "days": 5}),
                 "grid", seed=0)
    ex.step(2)
    assert V.aggregated(ex.model)
    for colour_by in ("stage", "grievance"):
        static = V.network_static(ex.model, colour_by, lambda k: k)
        states = V.network_states(ex.model, colour_by)
        assert len(static["points"]) == len(states) == 60
        assert max(states) < len(static["palette"])
    assert V.building_detail(ex.model, 0)["households"] == 100


def test_projector_charts_are_legible(small_case):
    ex = Explore(small_case, "state", seed=0)
    ex.step(3)
    t = lambda key, **kw: tr(key, "en", **kw)  # noqa: E731
    for build in C.EXPLORE_CHARTS.values():
        option = build(ex.model, t, True)
        assert all(s["lineStyle"]["width"] >= 4 for s in option["series"])
        assert option["xAxis"]["minInterval"] == 1  # whole days
        legend = option.get("legend")
        if legend:  # beside the plotting area, never on it
            assert legend["orient"] == "vertical" and legend["right"] < option["grid"]["right"]
        assert option["textStyle"]["fontSize"] >= 20


# ---- why grid wins -----------------------------------------------------------------------------------
def _number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", "").replace("+", ""))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_shows_each_institutions_share_adding_up_to_the_total(case, lang):
    """The shipped decomposition of the case: one row per institution and a total row, in
    both languages; in every column the shares add up to the total the table shows."""
    from govsim.app.why_grid import METRICS, shares_chart, shares_table
    from govsim.validation.decompose import shipped

    data = shipped(case)
    assert data is not None
    table = shares_table(data, lang)
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    assert len(rows) == 1 + len(data["institutions"]) + 1  # header, institutions, total
    for metric in data["metrics"]:
        shares = [_number(re.search(rf"govsim-why-{i}-{metric}'>([^ <]+)", table).group(1))
                  for i in data["institutions"]]
        total = _number(re.search(rf"govsim-why-total-{metric}'><b>([^ <]+)", table).group(1))
        decimals = 0 if metric == "staff_days" else 1
        assert sum(shares) == pytest.approx(total, abs=len(shares) * 0.5 * 10 ** -decimals)
    if lang == "zh":
        assert not LATIN_WORD.search(re.sub(r"<[^>]+>|RMST", "", table))
    chart = shares_chart(data, "rmst_days", lang, projector=False)
    bars = chart["series"][0]["data"][::-1]  # drawn bottom-up
    assert len(bars) == len(data["institutions"]) + 1
    detection = bars[data["institutions"].index("detection")]
    assert detection["value"] < 0 and detection["itemStyle"]["color"] == "#1b9e77"
    assert set(METRICS) >= set(data["metrics"])


def _texts(widget) -> list[str]:
    out = [v for a in ("unsafe_innerHTML", "value") if isinstance(v := getattr(widget, a, None),
                                                               str) and v]
    for child in getattr(widget, "children", None) or []:
        if not isinstance(child, str):
            out += _texts(child)
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_shows_the_shipped_shares_only_for_the_runs_they_describe(case, lang):
    """The section renders the table for the case as shipped; with one lever changed it
    says no decomposition ships for these parameters and gives the command for one."""
    import solara

    from govsim.app.why_grid import WhyGridWins

    box, _ = solara.render(WhyGridWins(case, lang, False), handle_error=False)
    shown = html.unescape(" ".join(_texts(box)))
    assert tr("why_total", lang) in shown and tr("inst_detection", lang) in shown
    changed = case.with_overrides({"households_per_grid_worker": 100.0})
    box, _ = solara.render(WhyGridWins(changed, lang, False), handle_error=False)
    shown = html.unescape(" ".join(_texts(box)))
    assert "govsim decompose" in shown and tr("why_total", lang) not in shown


# ---- honest levers ---------------------------------------------------------------------------------
def test_levers_come_from_the_parameter_table_and_say_when_they_do_nothing(small_case):
    assert set(LV.switches()) == {n for n, s in PARAMETERS.items()
                                  if s.group == "institutions" and s.kind == "bool"}
    main, more = LV.levers()
    assert "households_per_grid_worker" in main and "committee_admin_burden" in main
    ex = Explore(small_case, "state", seed=0)
    assert LV.inactive_because("households_per_grid_worker", ex.value) == ("grid_patrol",)
    ex.set_regime("grid")
    assert LV.inactive_because("households_per_grid_worker", ex.value) is None
    for name in main + more:
        spec = PARAMETERS[name]
        if spec.kind in ("int", "float"):
            rng = LV.slider_range(name)
            assert spec.low <= rng.low <= spec.default <= rng.high <= spec.high, name


# ---- both languages ----------------------------------------------------------------------------------
def test_every_event_of_a_run_reads_in_chinese_without_english_left(small_case):
    seen = set()
    for regime in ("market", "state", "grid"):
        ex = Explore(small_case, regime, seed=0)
        ex.run_to_end()
        for record in ex.model.log.records():
            zh = event_text(record, "zh")
            assert zh and not LATIN_WORD.search(zh), (record, zh)
            assert event_text(record, "en") == record["note"]
            seen.add(record["kind"])
    assert {"notice", "confrontation", "petition", "state_order", "resolved"} <= seen
    assert set(_EVENTS_ZH) >= {k.value for k in EventKind}, "a kind without Chinese wording"


def test_every_label_and_lever_exists_in_both_languages():
    for key, (en, zh) in STRINGS.items():
        assert en.strip() and zh.strip(), key
    main, more = LV.levers()
    shown = [*LV.switches(), *main, *more, *LV.PAYOFFS]
    assert missing_chinese(shown) == [], "add them to govsim/app/i18n_params.py"
    for name in shown:
        label, meaning, source = param_text(name, "zh")
        assert not LATIN_WORD.search(label + meaning), name


def test_the_chinese_sources_say_what_the_english_ones_say():
    """A lever's source written in Chinese names the same essays and the same MODEL.md
    sections as the table's English, and is an assumption exactly when that is: a changed
    English source shows here as a Chinese one to write again."""
    main, more = LV.levers()
    for name in [*LV.switches(), *main, *more, *LV.PAYOFFS]:
        _, _, en = param_text(name, "en")
        _, _, zh = param_text(name, "zh")
        assert (sorted(re.findall(r"essays? (\d+)", en)) ==
                sorted(re.findall(r"第 (\d+) 篇", zh))), (name, en, zh)
        assert re.findall(r"§(\d+)", en) == re.findall(r"第 (\d+) 节", zh), (name, en, zh)
        assert en.startswith("assumption") == zh.startswith("假设"), (name, en, zh)


def test_chinese_uses_the_terms_a_native_reader_expects():
    """shared/design/CHINESE.md: 对峙 for the gate, 派出所 for the police, 政府主导 /
    市场主导, 人力投入（人·日）, 只售不租 / 租售并行, 街道办责令整改."""
    zh = " ".join(v[1] for v in STRINGS.values())
    for wrong in ("纯市场", "纯政府", "人工日", "租售并举", "文六", "文一", "制度开关",
                  "雇人看守", "限时派单", "“1+X”法律服务室"):
        assert wrong not in zh, wrong
    assert tr("stage_confrontation", "zh") == "对峙" and tr("org_police", "zh") == "派出所"
    assert tr("regime_state", "zh") == "政府主导" and tr("play", "zh") == "连续运行"


# ---- the class round ---------------------------------------------------------------------------------
def test_a_class_round_scores_choices_against_the_prediction(case):
    r = ROUNDS.open(case.model_params("state"))
    assert ROUNDS.get(r.code.lower()) is r and len(r.code) == 4
    dev = r.join("Ann", "developer")
    owners = [r.join("", "owner") for _ in range(4)]
    assert r.predict().developer == "sell_only" and r.predict().owners == "resist"
    assert "dual_track" not in r.options("developer")  # nobody can bind the owners yet
    r.choose(dev.id, "sell_only")
    for i, o in enumerate(owners):
        r.choose(o.id, "resist" if i < 3 else "accept")
    with pytest.raises(RoundError):  # institutions never change under a student's feet
        r.set_terms(Terms(order=True))
    res = r.reveal()
    assert res.payoffs[owners[0].id] == -1.0 and res.payoffs[owners[3].id] == -9.0
    assert res.payoffs[dev.id] == pytest.approx((3 * -1 + 9) / 4)
    assert res.developers_as_predicted == 1.0 and res.owners_as_predicted == 0.75
    r.set_terms(Terms(assembly=True, own_firm=True, joint_meeting=True))
    r.next_round()
    assert r.options("developer") == ("rent", "dual_track")  # sell-only cannot be enforced
    assert (r.predict().developer, r.predict().owners) == ("dual_track", "accept")
    with pytest.raises(RoundError):
        r.choose(dev.id, "sell_only")
    # a joint meeting alone binds nobody: the game is the market's
    assert r.predict(Terms(joint_meeting=True)) == r.predict(Terms())


def test_a_round_without_a_student_developer_is_played_by_the_model(case):
    r = ROUNDS.open(case.model_params("state"))
    o = r.join("Bo", "owner")
    r.choose(o.id, "accept")
    res = r.reveal()
    assert res.developer_choices["model"] == "sell_only" and res.payoffs[o.id] == -9.0
