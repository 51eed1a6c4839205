"""A yardstick: the classic Boltzmann wealth model of Mesa's introductory tutorial, written
here in its textbook form — no data collection, no Gini, no per-agent records (Mesa's
shipped example records both every step, which makes it a slower yardstick and flatters
whoever is compared with it).

Agents on a toroidal Moore grid, one unit of wealth each; every step, in random order,
each agent moves to a random neighbouring cell and, if it has wealth, gives one unit to a
random other agent in its new cell. :func:`agent_step_cost` gives CPU µs per agent-step,
stepped as the tutorial steps it or, like govsim's ``run_model``, with Python's cycle
collector paused (the same work; the difference is what the collector costs).
"""

from __future__ import annotations

import math
import time

import mesa

from govsim._lazy import cycle_collector_paused
from mesa.discrete_space import CellAgent, OrthogonalMooreGrid


class MoneyAgent(CellAgent):
    def __init__(self, model: mesa.Model, cell) -> None:
        super().__init__(model)
        self.cell = cell
        self.wealth = 1

    def step(self) -> None:
        self.cell = self.cell.neighborhood.select_random_cell()
        others = [a for a in self.cell.agents if a is not self]
        if self.wealth > 0 and others:
            self.random.choice(others).wealth += 1
            self.wealth -= 1


class MoneyModel(mesa.Model):
    """``n`` agents on a ``side`` × ``side`` torus."""

    def __init__(self, n: int, side: int, rng: int = 1) -> None:
        super().__init__(rng=rng)
        grid = OrthogonalMooreGrid((side, side), torus=True, capacity=None, random=self.random)
        cells = grid.all_cells.cells
        for _ in range(n):
            MoneyAgent(self, self.random.choice(cells))

    def step(self) -> None:
        self.agents.shuffle_do("step")


def agent_step_cost(n: int, steps: int, rng: int = 1, collector_paused: bool = False) -> dict:
    """CPU µs per agent-step of ``n`` agents, one per cell on average, over ``steps``
    steps (building the model not counted)."""
    side = max(1, math.ceil(math.sqrt(n)))
    model = MoneyModel(n, side, rng)
    t0 = time.process_time()
    if collector_paused:
        with cycle_collector_paused():
            for _ in range(steps):
                model.step()
    else:
        for _ in range(steps):
            model.step()
    cpu = time.process_time() - t0
    return {"agents": n, "steps": steps, "cpu_s": cpu, "us_per_agent_step": cpu / (n * steps) * 1e6}
