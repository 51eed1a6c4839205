"""The benchmarks' own logic, quickly (the measurements themselves are never asserted):
the work units a run is measured in are counted right, the yardstick model runs, and
``mesa.batch_run`` gets the same collection as a sweep of summaries."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT))

from benchmarks.boltzmann import MoneyModel, agent_step_cost  # noqa: E402
from benchmarks.common import spread, work_units  # noqa: E402
from govsim import GovernanceModel  # noqa: E402


def test_dispute_days_are_the_open_disputes_of_every_day():
    """A dispute is in the day's loops from the day it opens to the day it closes: after
    each day, the open ones plus those closed that day."""
    m = GovernanceModel(regime="grid", rng=2, households=400, buildings=10, days=40)
    seen = 0
    while m.running:
        m.step()
        closed_today = sum(d.closed == m.today for d in m.disputes)
        seen += len(m.book.open) + closed_today
    units = work_units(m.record())
    assert units["dispute_days"] == seen > 0
    assert units["events"] == (len(m.log) + sum(m.channels.served().values())
                               + m.counts.patrol_checks)


def test_patrol_checks_happen_only_where_grid_workers_patrol():
    runs = {}
    for regime in ("market", "grid"):
        m = GovernanceModel(regime=regime, rng=2, households=400, buildings=10, days=20)
        while m.running:
            m.step()
        runs[regime] = work_units(m.record())["patrol_checks"]
    assert runs["market"] == 0 < runs["grid"]


def test_the_yardstick_keeps_its_wealth():
    m = MoneyModel(200, 14, rng=3)
    for _ in range(10):
        m.step()
    assert sum(a.wealth for a in m.agents) == 200
    assert agent_step_cost(100, 2)["us_per_agent_step"] > 0


def test_batch_run_collects_the_run_summary_once():
    from mesa.batchrunner import batch_run

    from benchmarks.bench_sweep import CaseModel

    rows = batch_run(CaseModel, parameters={"regime": ["state"], "days": 5}, rng=[0, 1],
                     max_steps=5, number_processes=1, data_collection_period=-1,
                     display_progress=False)
    assert len(rows) == 2 and all("median_days" in r and "staff_days" in r for r in rows)
    assert "open_latent" not in rows[0]  # no daily series


def test_spread_reports_median_and_range():
    assert spread([3.0, 1.0, 2.0, None]) == {"median": 2.0, "min": 1.0, "max": 3.0, "n": 3,
                                             "values": [3.0, 1.0, 2.0]}
    assert spread([None]) is None
