"""Grid workers (网格员): they patrol their cell, find disputes before anyone complains, and
route what they find."""

from __future__ import annotations

import numpy as np
from mesa.discrete_space import CellAgent

from govsim.events import EventKind
from govsim.vocabulary import ChannelSpec, Organisation, Stage


def worker_of_cell(cell, workers: int, cells: int):
    """Which of ``workers`` grid workers is credited with what is found in third-level
    ``cell`` (of ``cells``): the first of those who cover it (:func:`cells_of_worker`).
    Works on one cell or an array of them."""
    cell = np.asarray(cell)
    if workers > cells:  # each cell shared: the first worker whose run starts there
        return (cell * workers + cells - 1) // cells
    return (cell * workers + workers - 1) // cells  # each worker a run of cells


def cells_of_worker(worker: int, workers: int, cells: int) -> range:
    """The run of neighbouring third-level cells ``worker`` covers: with fewer workers than
    cells each takes several, with more each cell is shared by several workers."""
    first = (worker * cells) // workers
    return range(first, max(first + 1, ((worker + 1) * cells) // workers))


def coverage(workers: int, cells: int) -> tuple[list[range], np.ndarray]:
    """Every worker's run of cells, and how many workers share each cell."""
    runs = [cells_of_worker(i, workers, cells) for i in range(workers)]
    sharers = np.zeros(cells, dtype=int)
    for run in runs:
        sharers[run.start:run.stop] += 1
    return runs, sharers


class GridWorker(CellAgent):
    """One grid worker responsible for the households of a run of third-level grid cells
    (``cells``, with ``households`` of them, shared with the cells' other workers). Patrols
    are the class's rule over all workers at once (:meth:`patrol`)."""

    def __init__(self, model, cells: range, households: int, cell=None) -> None:
        super().__init__(model)
        self.cells = cells
        self.households = households
        self.detected = 0
        if cell is not None:
            self.cell = cell

    @staticmethod
    def patrol(model) -> None:
        """Today's patrols of all grid workers, evaluated only where they matter: at open
        disputes nobody has taken up yet, and at disputes the grid took up that came back
        unsolved — grid workers check that problems were dealt with (问题处置核实, essay 9).
        A household is visited today with probability visits / households-per-worker, as
        if its worker walked a random route; quiet households are never touched, so the
        cost grows with disputes, not population. Every worker is on duty every day: one
        staff-day each."""
        workers = model.grid_workers
        if not workers:
            return
        p = model.params
        model.counts.staff_days_standing += len(workers)
        visit = min(1.0, p.patrol_visits_per_day / p.households_per_grid_worker)
        if visit <= 0:
            return
        t = model.book.table
        rows = t.open_rows()
        # within reach: no case anywhere, not escalated, and either never found or taken
        # up by the grid (an individual dispute) and back unsolved
        reach = (~t.has_case[rows] & (t.stage[rows] <= Stage.VOICED)
                 & ((t.detected[rows] < 0) | (t.grid_routed[rows] & ~t.collective[rows])))
        rows = rows[reach]
        model.counts.patrol_checks += len(rows)
        if not len(rows):
            return
        claimants = np.ones(len(rows))
        for k in np.flatnonzero(t.collective[rows]).tolist():
            claimants[k] = np.count_nonzero(model.book.all[rows[k]].active)
        found = rows[model.rng.random(len(rows)) < 1.0 - (1.0 - visit) ** claimants]
        # credited: the worker of the cell of each found dispute's (first) household
        for i, worker in zip(found.tolist(), GridWorker.of_each(model, t.household[found])):
            d = model.book.all[i]
            if d.detected is None:
                worker.detect(d)
            else:
                worker.follow_up(d)

    @staticmethod
    def of(model, household: int) -> "GridWorker":
        """The worker whose cell holds ``household``."""
        return GridWorker.of_each(model, np.array([household]))[0]

    @staticmethod
    def of_each(model, households: np.ndarray) -> list["GridWorker"]:
        """The worker of each household's cell, in one vector lookup (a patrol credits all
        its finds at once)."""
        workers = model.grid_workers
        c = model.community
        index = worker_of_cell(c.grid_cell[households], len(workers), c.n_cells)
        return [workers[i] for i in index.tolist()]

    def detect(self, dispute) -> None:
        """The household is heard: part of its grievance goes and its trust in the grid
        rises. A collective dispute is reported to the street office; an individual one is
        routed (:meth:`route`)."""
        m = self.model
        p = m.params
        self.detected += 1
        dispute.detected = m.today
        dispute.relieve(p.heard_relief)
        m.community.adjust_trust(dispute.pursuing, Organisation.GRID,
                                 p.minor_trust_step)
        m.book.record(dispute, EventKind.DETECTED, actor="grid_worker")
        if dispute.collective:
            m.street_office.learn(dispute)
            return
        if dispute.stage is Stage.LATENT:
            m.book.move(dispute, Stage.VOICED, EventKind.VOICED, actor="grid_worker")
        self.route(m, dispute)

    def follow_up(self, dispute) -> None:
        """A dispute the grid took up came back unsolved: the worker takes it up again,
        at the lowest level that has not yet failed it."""
        m = self.model
        m.book.record(dispute, EventKind.FOLLOWED_UP, actor="grid_worker")
        self.route(m, dispute, fresh=True)

    @staticmethod
    def route(model, dispute, above: int | None = None, fresh: bool = False) -> bool:
        """Where the grid's levels exist, a dispute it finds goes to the lowest level that
        is open (the cadres in the grid first), or — handed up — to the next level above
        ``above``; without levels, to the open channel most likely to settle it. Taken up
        again (``fresh``), it goes where it has not failed yet, if anywhere."""
        routes = model.channels.open_to(dispute, "routed")
        untried = [s for s in routes if not dispute.failed.get(s.name)] if fresh else routes
        if untried and len(untried) < len(routes):
            best, levelled = GridWorker._best_route(model, untried, above, dispute.type)
        else:  # the same for every dispute of its type in its estate: worked out once
            memo = model.channels.memo(dispute)
            key = ("route", above, dispute.type)
            found = memo.get(key)
            if found is None:
                found = memo[key] = GridWorker._best_route(model, routes, above,
                                                           dispute.type)
            best, levelled = found
        if best is None:
            return False
        if levelled:
            dispute.grid_routed = True
        model.channels.submit(dispute, best.name)
        return True

    @staticmethod
    def _best_route(model, routes, above: int | None, kind: str
                    ) -> tuple[ChannelSpec | None, bool]:
        """The channel :meth:`route` sends a dispute of type ``kind`` to among ``routes``
        (``None`` if none), and whether it is one of the grid's levels."""
        levelled = False
        if model.institutions.grid_levels:
            at_levels = [s for s in routes if s.level is not None
                         and (above is None or s.level < above)]
            if at_levels:
                lowest = max(s.level for s in at_levels)
                routes = [s for s in at_levels if s.level == lowest]
                levelled = True
            elif above is not None:
                return None, False
        elif above is not None:
            return None, False
        if not routes:
            return None, False
        # at that level (or, without levels, among all), the one most likely to settle it
        numbers = model.channels.numbers
        return max(routes, key=lambda s: numbers[s.name].success[kind]), levelled


class GridLevels:
    """The grid's levels as the server of its channels: when a level the grid sent a
    dispute to cannot solve it, the grid hands it up to the next (essay 6: 'what one grid
    cannot solve' goes to the service centres, and above them the street); the command
    centre behind the hotline sends a failed case back to the department once
    (full-process supervision, essay 9)."""

    def __init__(self, model) -> None:
        self.model = model
        self.handed_up = 0
        self.redispatched = 0

    def heard(self, dispute) -> None:
        """A hearing at a grid level changes nothing else."""

    def after_failure(self, case) -> bool:
        """True when the grid takes the failed case on (the household need not choose)."""
        m = self.model
        d = case.dispute
        spec = m.channels.spec(case.channel)
        spec_level = spec.level
        if spec.supervised and m.params.supervised_redispatch and case.redispatched == 0:
            case.redispatched += 1
            self.redispatched += 1
            m.channels.resubmit(case)
            return True
        if d.grid_routed and spec_level is not None:
            if GridWorker.route(m, d, above=spec_level):
                self.handed_up += 1
                return True
        return False
