"""Grid workers (网格员): they patrol their cell, find disputes before anyone complains, and
route what they find."""

from __future__ import annotations

import numpy as np
from mesa.discrete_space import CellAgent

from govsim.events import EventKind
from govsim.vocabulary import Organisation, Stage


class GridWorker(CellAgent):
    """One grid worker responsible for the households of a third-level grid cell."""

    def __init__(self, model, grid_cell: int, households: int, visits_per_day: float,
                 cell=None) -> None:
        super().__init__(model)
        self.grid_cell = grid_cell
        self.households = households
        self.visits_per_day = visits_per_day
        self.detected = 0
        if cell is not None:
            self.cell = cell

    @staticmethod
    def patrol(model) -> None:
        """Today's patrols of all grid workers, evaluated only where they matter: at open
        disputes nobody has taken up yet. A household is visited today with probability
        visits / households-per-worker, as if its worker walked a random route; quiet
        households are never touched, so the cost grows with disputes, not population.
        Every worker is on duty every day: one staff-day each."""
        workers = model.grid_workers
        if not workers:
            return
        p = model.params
        model.counts.staff_days_standing += len(workers)
        visit = min(1.0, p.patrol_visits_per_day / p.households_per_grid_worker)
        if visit <= 0:
            return
        for d in model.book.open:
            if d.detected is not None or d.stage > Stage.VOICED or d.channel is not None:
                continue
            model.counts.patrol_checks += 1
            claimants = int(np.count_nonzero(d.active))
            p_found = 1.0 - (1.0 - visit) ** claimants
            if model.rng.random() < p_found:
                GridWorker.of(model, int(d.claimants[0])).detect(d)

    @staticmethod
    def of(model, household: int) -> "GridWorker":
        """The worker whose cell holds ``household``."""
        workers = model.grid_workers
        cell = int(model.community.grid_cell[household])
        return workers[min(len(workers) - 1, (cell * len(workers)) // model.community.n_cells)]

    def detect(self, dispute) -> None:
        """The household is heard: part of its grievance goes and its trust in the grid
        rises. A collective dispute is reported to the street office; an individual one is
        routed to the open channel most likely to settle it."""
        m = self.model
        p = m.params
        self.detected += 1
        dispute.detected = m.today
        dispute.grievance *= 1.0 - p.heard_relief
        m.community.adjust_trust(dispute.claimants[dispute.active], Organisation.GRID,
                                 p.minor_trust_step)
        m.book.record(dispute, EventKind.DETECTED, actor="grid_worker")
        if dispute.collective:
            m.street_office.learn(dispute)
            return
        if dispute.stage is Stage.LATENT:
            m.book.move(dispute, Stage.VOICED, EventKind.VOICED, actor="grid_worker")
        routes = [s for s in m.channels.open_to(dispute) if s.routed]
        if routes:
            best = max(routes, key=lambda s: p.channel(s.name).success[dispute.type.value])
            m.channels.submit(dispute, best.name)
