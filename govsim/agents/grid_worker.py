"""Grid workers (网格员): patrol their cell and find disputes before anyone complains."""

from __future__ import annotations

import numpy as np
from mesa.discrete_space import CellAgent

from govsim.disputes import Stage


class GridWorker(CellAgent):
    """One grid worker responsible for the households of a third-level cell."""

    def __init__(self, model, grid_cell: int, households: int, visits_per_day: float,
                 cell=None) -> None:
        super().__init__(model)
        self.grid_cell = grid_cell
        self.households = households
        self.visits_per_day = visits_per_day
        self.detected = 0
        if cell is not None:
            self.cell = cell


def patrol(model) -> None:
    """Today's patrols, evaluated only where they matter: at households with open,
    unattended disputes. A household is visited today with probability
    visits / households-per-worker, the same as a worker walking a random route; quiet
    households are never touched, so the cost grows with disputes, not with population."""
    p = model.params
    visit = min(1.0, p["patrol_visits_per_day"] / p["households_per_grid_worker"])
    if visit <= 0:
        return
    for d in model.open_disputes:
        if d.detected is not None or d.stage > Stage.VOICED or d.channel is not None:
            continue
        claimants = int(np.count_nonzero(d.active))
        p_found = 1.0 - (1.0 - visit) ** claimants
        if model.rng.random() < p_found:
            worker = model.grid_worker_of(int(d.claimants[0]))
            worker.detected += 1
            model.detect(d, by="grid_worker")
