"""The app's non-visual layer, without a browser: exports, bounded input, translations."""

from __future__ import annotations

import re

import pytest

from govsim.app.i18n import STRINGS, event_text, param_text
from govsim.app.session import Comparison, Explore, replay
from govsim.parameters import ParameterError
from govsim.runner import run
from govsim.scenario import parse_scenario

SMALL = {"households": 400, "buildings": 10, "days": 40}


@pytest.fixture
def small_case(case):
    return case.with_overrides(SMALL)


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


def test_bad_values_are_refused_and_the_model_kept(small_case):
    ex = Explore(small_case, "grid", seed=0)
    before = ex.model
    with pytest.raises(ParameterError, match="committee_admin_burden"):
        ex.set_param("committee_admin_burden", 3.0)
    assert ex.model is before and ex.error is None


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
    ex.step(2)
    assert ex.error == "RuntimeError: boom"


def test_comparison_steps_three_regimes_on_common_random_numbers(small_case):
    cmp = Comparison(small_case, seed=1)
    cmp.step(10)
    assert set(cmp.days.values()) == {9}
    # the same disputes arrive under every regime: same counts of background arrivals
    counts = {r: sum(1 for d in m.disputes if not d.collective) for r, m in cmp.models.items()}
    assert len(set(counts.values())) == 1, counts


def test_every_event_of_a_run_reads_in_chinese_without_english_left(small_case):
    seen = set()
    for regime in ("market", "state", "grid"):
        rep = replay(small_case, regime, 0, 1)
        ex = Explore(small_case, regime, seed=0)
        ex.run_to_end()
        for record in [*rep.events, *ex.model.log.records()]:
            zh = event_text(record, "zh")
            assert zh and not re.search(r"[A-Za-z]{3,}", zh), (record, zh)
            assert event_text(record, "en") == record["note"]
            seen.add(record["kind"])
    # the case's own story is all there: the notice, the fuss, the state's answer
    assert {"notice", "confrontation", "petition", "state_order", "resolved"} <= seen


def test_every_label_exists_in_both_languages():
    for key, (en, zh) in STRINGS.items():
        assert en.strip() and zh.strip(), key
    for name in ("hotline", "committee_admin_burden", "payoff_sell_resist",
                 "households_per_grid_worker"):
        label, meaning, source = param_text(name, "zh")
        assert re.search(r"[\u4e00-\u9fff]", label + meaning), name


def test_app_command_rejects_bad_input_with_status_2(capsys, tmp_path):
    from govsim.cli import main

    assert main(["app", str(tmp_path / "missing.toml")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["app", "--port", "70000"]) == 2
    assert "--port 70000: expected a port number" in capsys.readouterr().err
