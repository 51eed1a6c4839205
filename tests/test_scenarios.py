"""Scenario files: validated on load, with errors that name key, value and expectation."""

import subprocess
import sys

import pytest

from govsim import ScenarioError, load_scenario, parse_scenario, scenario_to_toml
from govsim.parameters import PARAMETERS

from govsim.resources import scenarios_dir

CASE = scenarios_dir() / "parking_x_community.toml"

GOOD = """
[scenario]
name = "tiny"
[community]
households = 300
"""


def messages(text):
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(text, "test.toml")
    return exc.value.messages


def test_the_case_scenario_loads_with_the_essay_figures(case):
    assert case.params["households"] == 1600
    assert case.start_date.isoformat() == "2010-09-01"
    assert [t["day"] for t in case.timeline] == [0, 3, 4, 5, 23]


def test_every_parameter_in_the_case_file_carries_a_meaning_and_a_source():
    for line in CASE.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("[", "name", "title", "description",
                                                "start_date", "day", "date", "kind", "label",
                                                "#")):
            assert "#" in line and "[" in line.split("#", 1)[1], line


def test_every_parameter_is_either_sourced_or_marked_an_assumption():
    for spec in PARAMETERS.values():
        assert spec.source and spec.meaning, spec.name


def test_unknown_key_is_named_with_a_suggestion():
    (msg,) = messages(GOOD + "housholds = 3\n")
    assert "community.housholds" in msg and "households" in msg


def test_wrong_type_names_key_value_and_expectation():
    (msg,) = messages('[community]\nhouseholds = "many"\n')
    assert "community.households" in msg and "'many'" in msg and "integer" in msg


def test_out_of_range_names_the_range():
    (msg,) = messages("[residents]\npeer_influence = 1.5\n")
    assert "residents.peer_influence" in msg and "1.5" in msg and "0 to 1" in msg


def test_all_problems_are_reported_at_once():
    msgs = messages('[community]\nhouseholds = -1\nbogus = 2\n[channels.court]\ncost = "x"\n'
                    "[regimes.anarchy]\npolice = false\n")
    assert len(msgs) == 4


def test_unknown_table_key_and_bad_section():
    msgs = messages('[disputes]\narrival_rates = {burglary = 0.1}\n[weather]\nrain = 1\n')
    assert any("arrival_rates.burglary" in m for m in msgs)
    assert any("[weather]" in m for m in msgs)


def test_invalid_toml_is_a_scenario_error():
    assert "not valid TOML" in messages("[community\n")[0]


def test_a_written_scenario_reads_back_unchanged(case):
    again = parse_scenario(scenario_to_toml(case))
    assert again.params == case.params and again.timeline == case.timeline
    full = parse_scenario(scenario_to_toml(case, complete=True))
    for regime in ("market", "state", "grid"):  # the complete file runs the same models
        assert full.model_params(regime) == case.model_params(regime)


def test_cli_reports_bad_files_with_status_2_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[community]\nhouseholds = "many"\n')
    for args in (["validate", str(bad)], ["run", str(bad), "--seeds", "1"],
                 ["run", str(tmp_path / "missing.toml")],
                 ["run", str(CASE), "--set", "peer_influence=7"],
                 ["run", str(CASE), "--set", "no_such_thing=1"]):
        proc = subprocess.run([sys.executable, "-m", "govsim.cli", *args],
                              capture_output=True, text=True)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert proc.stderr.strip()


def test_validate_accepts_the_case():
    proc = subprocess.run([sys.executable, "-m", "govsim.cli", "validate", str(CASE)],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "ok" in proc.stdout


def test_load_scenario_reads_the_shipped_scenarios():
    for path in CASE.parent.glob("*.toml"):
        assert load_scenario(path).name


def test_a_scenario_names_itself_in_both_languages():
    """The app's Chinese mode shows the file's title_zh; every shipped scenario has one, it
    survives writing the scenario out, and a wrong type is named."""
    from govsim.app.i18n import scenario_title

    for path in CASE.parent.glob("*.toml"):
        sc = load_scenario(path)
        assert sc.title_zh and scenario_title(sc, "zh") == sc.title_zh
        assert scenario_title(sc, "en") == sc.title
        assert parse_scenario(scenario_to_toml(sc), "again.toml").title_zh == sc.title_zh
    with pytest.raises(ScenarioError, match=r"scenario\.title_zh = 5: expected a string"):
        parse_scenario('[scenario]\nname = "x"\ntitle_zh = 5\n', "bad.toml")
