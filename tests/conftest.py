"""Shared fixtures: a small community that runs in a fraction of a second."""

from pathlib import Path

import pytest

from govsim import load_scenario

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "scenarios" / "parking_x_community.toml"

# with the parking conflict switched on, so that collective disputes, the gate and the
# owners' self-government are exercised too
SMALL = {"households": 400, "buildings": 10, "days": 60, "parking_conflict": True}


@pytest.fixture(scope="session")
def case():
    return load_scenario(CASE)


@pytest.fixture
def small():
    """Keyword parameters for a small, quick community."""
    return dict(SMALL)
