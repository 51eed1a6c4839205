"""Speed-ups must not change results: the same seed gives the same event log, summary and
daily series as the pinned fingerprints (regenerate with ``python tests/golden_log.py
--write`` after a deliberate change of the model, never to make an optimisation pass)."""

import json

import pytest

from golden_log import CASES, GOLDEN, run_case


@pytest.fixture(scope="module")
def pinned():
    return json.loads(GOLDEN.read_text())


def test_every_case_is_pinned(pinned):
    assert set(pinned) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_event_log_is_unchanged(name, pinned):
    assert run_case(name) == pinned[name]
