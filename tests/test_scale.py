"""Scale: the street and district scenarios load and run under every regime; quiet
households cost nothing; the community cache is exact; the compact agent mode used at
scale gives the same results as one agent per household. (Speed itself is measured in
``benchmarks/``, never asserted here.)"""

import json
import subprocess
import sys

import numpy as np
import pytest
from golden_log import CASES, GOLDEN, run_case

from govsim import GovernanceModel, load_scenario
import govsim.community as community
from govsim.agents import Resident
from govsim.community import COMMUNITY_PARAMS, ORG_INDEX, cached_community
from govsim.parameters import PARAMETERS
import govsim.runner as runner
from govsim.runner import build_model, run, run_model

from conftest import ROOT

REGIMES = ("market", "state", "grid")
SCALE = {"street": ROOT / "scenarios" / "xianlin_street.toml",
         "district": ROOT / "scenarios" / "district_grid.toml"}


@pytest.mark.parametrize("name", sorted(SCALE))
def test_scale_scenarios_validate(name):
    done = subprocess.run([sys.executable, "-m", "govsim.cli", "validate", str(SCALE[name])],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "ok" in done.stdout


def test_street_matches_the_essay_structure():
    s = load_scenario(SCALE["street"])
    m = build_model(s, "grid", 0, days=1)
    c = m.community
    assert c.n == 40_000
    assert int(c.building.max()) + 1 == 1341
    assert int(c.estate.max()) + 1 == 25
    assert len(m.committees) == 25
    cells = int(c.grid_cell.max()) + 1
    assert 1_100 <= cells <= 1_200
    assert int(c.second_level.max()) + 1 == 40
    assert int(c.first_level.max()) + 1 == 6
    assert not m.households_on_space  # the compact agent mode


@pytest.mark.parametrize("name", sorted(SCALE))
def test_scale_scenarios_run_under_every_regime(name):
    s = load_scenario(SCALE[name])
    summaries = {}
    for regime in REGIMES:
        m = run_model(build_model(s, regime, 4, days=3))
        assert not m.running and m.today == 2
        summaries[regime] = m.summary()
        assert summaries[regime]["disputes"] > 0
    # common random numbers: the same disputes arrive under every regime
    assert len({x["disputes"] for x in summaries.values()}) == 1
    grid = build_model(s, "grid", 4, days=1)
    if name == "district":
        assert 4_900 <= len(grid.grid_workers) <= 5_100  # essay 9: ~5,000 grid workers
        assert len(grid.social_organisations) == 1_500


def test_parking_conflict_stays_in_the_developers_estate():
    s = load_scenario(SCALE["street"])
    m = build_model(s, "state", 2, days=1)
    m.step()
    parking = [d for d in m.disputes if d.collective]
    assert len(parking) == 1
    estates = set(m.community.estate[parking[0].claimants].tolist())
    assert estates == {0}
    assert len(parking[0].claimants) < 0.1 * m.community.n


@pytest.mark.parametrize("compact", [False, True])
def test_each_open_individual_dispute_gets_exactly_one_act_per_day(monkeypatch, compact):
    acts: dict[int, int] = {}
    original = Resident.act_all

    def spy(model, rows=None):
        rows = model.book.table.open_rows(collective=False) if rows is None else rows
        acts[model.today] = acts.get(model.today, 0) + len(rows)
        return original(model, rows)

    monkeypatch.setattr(Resident, "act_all", staticmethod(spy))
    cap = 0 if compact else 100_000
    m = GovernanceModel(regime="grid", rng=5, households=3000, buildings=80, estates=2,
                        days=40, agent_network_max_households=cap)
    while m.running:
        m.step()
    for day in range(40):
        expected = sum(1 for d in m.disputes if not d.collective and d.opened <= day
                       and (d.closed is None or d.closed >= day))
        assert acts.get(day, 0) == expected
    acted = {int(d.claimants[0]) for d in m.disputes if not d.collective}
    if compact:  # only households that ever had a dispute became agents
        assert set(m._residents) <= acted | {int(h) for d in m.disputes if d.collective
                                             for h in d.claimants}
        assert len(m._residents) < m.community.n / 3
    else:
        assert len(m._residents) == m.community.n


@pytest.mark.parametrize("name", [n for n in sorted(CASES) if n.startswith("small")])
def test_compact_agent_mode_gives_the_pinned_results(name):
    pinned = json.loads(GOLDEN.read_text())
    assert run_case(name, agent_network_max_households=0) == pinned[name]


def test_a_run_made_for_its_outputs_makes_households_agents_only_when_they_act(case,
                                                                               monkeypatch):
    """run() (the CLI, sweeps, the facts) drops its model once read: households become
    agents when they first act — whatever the scenario's cap, which is for models that are
    watched (a complete scenario file names it) — unless the caller sets the cap."""
    built = []
    real = runner.build_model
    monkeypatch.setattr(runner, "build_model",
                        lambda *a, **k: built.append(real(*a, **k)) or built[-1])
    cap = "agent_network_max_households"
    run(case, "grid", 2, days=20)
    run(case.with_overrides({cap: 20_000}), "grid", 2, days=20)
    run(case, "grid", 2, {cap: 20_000}, days=20)
    compact, chosen_by_scenario, chosen_by_caller = built
    for m in (compact, chosen_by_scenario):
        assert not m.households_on_space
        assert 0 < len(m._residents) < m.community.n / 4  # only those who acted
    assert chosen_by_caller.households_on_space
    assert len(chosen_by_caller._residents) == chosen_by_caller.community.n


@pytest.mark.parametrize("regime", REGIMES)
def test_a_run_gives_the_same_outputs_whether_households_are_agents_from_the_start(case,
                                                                                    regime):
    """Every table of the parking case is the same with one agent per household from the
    build (the app's way) as with agents made when households first act (run()'s way)."""
    keep = ("daily", "disputes", "events")
    compact = run(case, regime, 3, keep=keep)
    full = run(case, regime, 3, {"agent_network_max_households": 20_000}, keep=keep)
    assert len(compact.events) > 100
    for table in ("summary", "daily", "disputes", "events"):
        assert getattr(compact, table) == getattr(full, table), table


def test_compact_mode_keeps_layout_and_organisations_on_the_space():
    m = GovernanceModel(regime="grid", rng=3, households=600, buildings=20,
                        agent_network_max_households=100, days=5)
    c = m.community
    assert not m.households_on_space
    assert m.layout[7] == tuple(float(v) for v in c.positions[7])
    assert len(m.layout) == c.n + len(list(m.space.all_cells))
    for worker in m.grid_workers:
        assert worker.cell is not None
    r = m.resident(7)
    assert r is m.resident(7) and r.household == 7 and r.cell is None


def _params(**over):
    return {"households": 900, "buildings": 30, "estates": 2, "households_per_grid_cell": 200,
            "cells_per_second_level": 28, "second_level_per_first": 7, "building_ties": 6,
            "tie_rewiring": 0.1, "estate_ties": 1.0, "parking_renter_share": 0.4,
            "initial_trust": PARAMETERS["initial_trust"].default,
            "voice_threshold": 0.3, "participation_threshold_mean": 0.3,
            "participation_threshold_sd": 0.2, "patience_days": 14.0,
            "satisfaction_baseline": 0.8, "satisfied_at": 0.6} | over


def _stream(seed):
    return np.random.default_rng(seed).spawn(3)[0]


def test_community_cache_reuses_the_network_for_the_same_seed_and_parameters():
    assert set(_params()) == set(COMMUNITY_PARAMS)
    a = cached_community(_params(), _stream(42))
    b = cached_community(_params(), _stream(42))
    assert a.adjacency is b.adjacency  # built once
    assert a.trust is not b.trust and np.array_equal(a.trust, b.trust)
    a.adjust_trust(np.array([0, 1, 2]), "committee", 0.3)
    assert not np.array_equal(a.trust, b.trust)  # each model changes only its own copy
    c = cached_community(_params(), _stream(42))
    assert np.array_equal(c.trust, b.trust)


def test_community_cache_is_not_shared_across_parameters_or_seeds():
    base = cached_community(_params(), _stream(42))
    other_seed = cached_community(_params(), _stream(43))
    other_ties = cached_community(_params(building_ties=4), _stream(42))
    other_trust = cached_community(_params(initial_trust=_params()["initial_trust"]
                                           | {"grid": 0.9}), _stream(42))
    assert other_seed.adjacency is not base.adjacency
    assert (other_seed.adjacency != base.adjacency).nnz > 0
    assert other_ties.adjacency.nnz != base.adjacency.nnz
    grid = ORG_INDEX["grid"]
    assert other_trust.trust[:, grid].mean() > base.trust[:, grid].mean() + 0.2


def test_regimes_of_one_seed_share_one_community_and_get_the_same_one_uncached(monkeypatch):
    a = GovernanceModel(regime="market", rng=9, households=500, buildings=12)
    b = GovernanceModel(regime="grid", rng=9, households=500, buildings=12)
    assert a.community.adjacency is b.community.adjacency
    monkeypatch.setattr(community, "_CACHE", community.OrderedDict())  # start cold
    fresh = GovernanceModel(regime="state", rng=9, households=500, buildings=12)
    assert fresh.community.adjacency is not a.community.adjacency
    assert (fresh.community.adjacency != a.community.adjacency).nnz == 0
    assert np.array_equal(fresh.community.satisfaction, a.community.satisfaction)
