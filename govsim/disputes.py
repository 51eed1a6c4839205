"""Disputes, the unit that gets resolved, and the book that keeps them.

A dispute moves ``latent → voiced → in handling → [collective action → confrontation →
petition] → resolved | abandoned``; one still open at the horizon is censored. The
:class:`DisputeBook` owns that lifecycle: it opens disputes, moves them between stages,
closes them exactly once, keeps the indexes (open disputes, open collective ones, a
household's disputes) and writes every change to the event log, so that the invariants
live in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from govsim.events import EventKind, EventLog
from govsim.record import ROUND_DIGITS, rounded
from govsim.vocabulary import FIRST_FINAL_STAGE, DisputeType, Outcome, Stage


class DisputeTable:
    """The numbers every dispute has, one row per dispute (its id), as columns.

    Each day the rules of the many individual disputes run as array operations over the
    open rows (:meth:`govsim.agents.resident.Resident.act_all`, the grid's patrol, the
    drain on satisfaction, the daily reporters); only a dispute whose state changes goes
    through Python. A :class:`Dispute` is the row's face: its setters write the columns,
    so the table and the objects cannot drift apart. An individual dispute's grievance
    lives here (the object's ``grievance`` is a view of its cell); a collective dispute
    keeps per-claimant arrays of its own.
    """

    COLUMNS = {"grievance": np.float64, "severity": np.float64, "opened": np.int32,
               "household": np.int64, "failures": np.int32, "waiting_since": np.int32,
               "stage": np.int8, "detected": np.int32, "open": np.bool_,
               "collective": np.bool_, "has_case": np.bool_, "in_service": np.bool_,
               "grid_routed": np.bool_}

    def __init__(self, capacity: int = 1024) -> None:
        self.n = 0
        for name, dtype in self.COLUMNS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))
        # Ids of the rows open when last asked (open_rows), and where the rows added since
        # begin: a day's rules then look at the disputes open now, not at every row a
        # year has made. A row opens once, when added, and never reopens.
        self._open_ids = np.zeros(0, dtype=np.int64)
        self._unlisted = 0

    def add(self) -> int:
        """A new row (zeros) for the next dispute."""
        self._make_room(1)
        self.n += 1
        return self.n - 1

    def _make_room(self, rows: int) -> None:
        """Double the columns until ``rows`` more fit."""
        while self.n + rows > len(self.open):
            for name in self.COLUMNS:
                column = getattr(self, name)
                setattr(self, name, np.concatenate([column, np.zeros_like(column)]))

    def add_individual(self, households: np.ndarray, severity: np.ndarray,
                       opened: int) -> range:
        """Rows for new individual disputes of ``households`` (one each), written in
        one vector operation per column: what :class:`Dispute` writes for one."""
        k = len(households)
        self._make_room(k)
        rows = slice(self.n, self.n + k)
        self.severity[rows] = severity
        self.opened[rows] = opened
        self.household[rows] = households
        self.collective[rows] = False
        self.open[rows] = True
        self.stage[rows] = Stage.LATENT
        self.waiting_since[rows] = -1
        self.detected[rows] = -1
        self.n += k
        return range(rows.start, rows.stop)

    def open_rows(self, collective: bool | None = None) -> np.ndarray:
        """Ids of the open disputes (only individual or only collective ones if asked),
        in the order they opened. Reading updates the kept list: like every change to a
        model, calls from two threads need the model's lock (the app holds it)."""
        ids = self._open_ids
        if self._unlisted < self.n:
            ids = np.concatenate([ids, np.arange(self._unlisted, self.n)])
            self._unlisted = self.n
        ids = self._open_ids = ids[self.open[ids]]
        ids.flags.writeable = False  # kept for the next call: callers get a view to read
        if collective is not None:
            ids = ids[self.collective[ids] == collective]
        return ids


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


# the words a dispute's record uses for its type, outcome and peak stage
_WORD: dict[Any, str | None] = {None: None, **{e: e.value for e in (*DisputeType, *Outcome)}}
_STAGE_WORD = {s: s.name.lower() for s in Stage}

# participating, active and fatigue of every individual dispute
_ALONE = (_read_only(np.zeros(1, dtype=bool)), _read_only(np.ones(1, dtype=bool)),
          _read_only(np.zeros(1)))


class Dispute:
    """One dispute: who claims against whom, how grave, and where it stands.

    ``claimants`` are household ids; a collective dispute has many. Per-claimant state that
    changes every day (grievance, participation) lives in arrays here, so a collective
    dispute of hundreds of households is updated in a few vector operations. ``episode``
    is the scenario episode a dispute belongs to (the parking conflict), if any. Numbers the
    daily array rules read are mirrored in the book's :class:`DisputeTable`.
    """

    __slots__ = ("id", "type", "claimants", "household", "respondent", "severity", "opened",
                 "collective", "peak", "voiced", "first_handled", "closed", "outcome", "path",
                 "staff_days", "petitions", "failed", "complained", "episode", "participating",
                 "active", "fatigue", "_table", "_stage", "_failures", "_waiting_since",
                 "_detected", "_grid_routed", "_channel", "_case", "_grievance")

    def __init__(self, table: DisputeTable, id: int, type: DisputeType, claimants: np.ndarray,
                 respondent: str, severity: float, opened: int, episode: Any = None, *,
                 row_written: bool = False) -> None:
        """``row_written``: the table's row already holds the new dispute's numbers (the
        book opened a day's individual disputes at once, :meth:`DisputeTable.add_individual`).
        """
        self._table = table
        self.id = id
        self.type = type
        self.claimants = claimants
        self.household = int(claimants[0])  # the (first) claimant household
        self.respondent = respondent
        self.severity = severity
        self.opened = opened
        self.episode = episode
        n = len(claimants)
        self.collective = n > 1
        self.peak = Stage.LATENT
        self.voiced = self.first_handled = self.closed = self.complained = None
        self.outcome: Outcome | None = None
        self.path: list[str] = []
        self.staff_days = 0.0
        self.petitions = 0  # petitions made about it so far
        self.failed: dict[str, int] = {}  # channel -> times it failed this dispute
        if self.collective:
            self.participating = np.zeros(n, dtype=bool)
            self.active = np.ones(n, dtype=bool)
            self.fatigue = np.zeros(n)  # from confrontations
            self._grievance = np.zeros(n)
        else:  # one household, who never joins a crowd: shared, read-only
            self.participating, self.active, self.fatigue = _ALONE
            self._grievance = None
        self._stage = Stage.LATENT
        self._failures = 0
        self._waiting_since = None
        self._detected = None
        self._grid_routed = False
        self._channel = None
        self._case = None
        if not row_written:
            table.severity[id] = severity
            table.opened[id] = opened
            table.household[id] = self.household
            table.collective[id] = self.collective
            table.open[id] = True
            table.stage[id] = Stage.LATENT
            table.waiting_since[id] = -1
            table.detected[id] = -1

    def __repr__(self) -> str:
        return (f"Dispute({self.id}, {self.type.value}, claimants={len(self.claimants)}, "
                f"stage={self._stage.name}, outcome={self.outcome})")

    # Numbers the daily array rules read: kept here and mirrored in the table's column of
    # the same name (-1 there stands for None). Spelled out one by one: they are read and
    # written at every transition.
    @property
    def stage(self) -> Stage:
        return self._stage

    @stage.setter
    def stage(self, value: Stage) -> None:
        self._stage = value
        self._table.stage[self.id] = value

    @property
    def failures(self) -> int:
        return self._failures

    @failures.setter
    def failures(self, value: int) -> None:
        self._failures = value
        self._table.failures[self.id] = value

    @property
    def waiting_since(self) -> int | None:
        return self._waiting_since

    @waiting_since.setter
    def waiting_since(self, value: int | None) -> None:
        self._waiting_since = value
        self._table.waiting_since[self.id] = -1 if value is None else value

    @property
    def detected(self) -> int | None:
        """The day a grid worker found it."""
        return self._detected

    @detected.setter
    def detected(self, value: int | None) -> None:
        self._detected = value
        self._table.detected[self.id] = -1 if value is None else value

    @property
    def grid_routed(self) -> bool:
        """The grid sent it to one of its levels."""
        return self._grid_routed

    @grid_routed.setter
    def grid_routed(self, value: bool) -> None:
        self._grid_routed = value
        self._table.grid_routed[self.id] = value

    @property
    def channel(self) -> str | None:
        """The channel whose queue holds the claimants' case, if any."""
        return self._channel

    @channel.setter
    def channel(self, name: str | None) -> None:
        self._channel = name
        self._table.has_case[self.id] = name is not None

    @property
    def case(self):
        """The claimants' place in a channel's queue, while they have one; a new or no
        place is not (yet) in service."""
        return self._case

    @case.setter
    def case(self, case) -> None:
        self._case = case
        self.waiting()

    def queued(self, case, channel: str, today: int) -> None:
        """The claimants' case joins ``channel``'s queue today (what setting ``case``,
        ``channel`` and ``waiting_since`` one by one does, at every submission)."""
        self._case = case
        self._channel = channel
        self._waiting_since = today
        t, i = self._table, self.id
        t.has_case[i] = True
        t.in_service[i] = False
        t.waiting_since[i] = today

    def started(self) -> None:
        """A handler has taken the claimants' case up."""
        self._table.in_service[self.id] = True

    def waiting(self) -> None:
        """The claimants' case (if any) waits for a handler (again)."""
        self._table.in_service[self.id] = False

    @property
    def in_service(self) -> bool:
        return bool(self._table.in_service[self.id])

    @property
    def grievance(self) -> np.ndarray:
        """Per claimant; an individual dispute's is a view of its cell in the table."""
        if self._grievance is not None:
            return self._grievance
        return self._table.grievance[self.id:self.id + 1]

    @grievance.setter
    def grievance(self, values) -> None:
        if self._grievance is not None:
            self._grievance = np.asarray(values, dtype=float)
        else:
            self._table.grievance[self.id:self.id + 1] = values

    def relieve(self, share: float) -> None:
        """Being heard takes ``share`` of every claimant's grievance away."""
        if self._grievance is None:
            self._table.grievance[self.id] *= 1.0 - share
        else:
            self._grievance *= 1.0 - share

    def aggrieve(self, amount: float) -> None:
        """A failure adds ``amount`` to every claimant's grievance."""
        if self._grievance is None:
            self._table.grievance[self.id] += amount
        else:
            self._grievance += amount

    @property
    def is_open(self) -> bool:
        return self._stage < FIRST_FINAL_STAGE

    @property
    def escalated(self) -> bool:
        """Did the claimants ever make a fuss (collective action, confrontation, petition)?"""
        return self.peak >= Stage.COLLECTIVE_ACTION

    @property
    def participants(self) -> int:
        return int(np.count_nonzero(self.participating & self.active))

    @property
    def reported(self) -> int | None:
        """The day the dispute first reached anyone: a complaint, or a grid worker's
        finding when that came first."""
        complained, detected = self.complained, self._detected
        if complained is None or detected is None:
            return detected if complained is None else complained
        return min(complained, detected)

    @property
    def pursuing(self) -> np.ndarray:
        """The claimants still pursuing the dispute (all of an individual one's)."""
        return self.claimants[self.active] if self.collective else self.claimants

    def record(self, severity: float | None = None, staff_days: float | None = None) -> dict:
        """A flat, JSON-friendly row for the per-dispute table, its floats rounded to
        ``ROUND_DIGITS`` places — or given so rounded, when the book makes every row at once
        (:meth:`DisputeBook.records`). A run's table has one row for every dispute: the
        enums' words are looked up, not asked for."""
        if severity is None:
            severity = round(float(self.severity), ROUND_DIGITS)
        if staff_days is None:
            staff_days = round(self.staff_days, ROUND_DIGITS)
        return {
            "dispute_id": self.id,
            "type": _WORD[self.type],
            "claimants": len(self.claimants),
            "respondent": self.respondent,
            "severity": severity,
            "opened": self.opened,
            "detected": self._detected,
            "voiced": self.voiced,
            "complained": self.complained,
            "reported": self.reported,
            "first_handled": self.first_handled,
            "closed": self.closed,
            "outcome": _WORD[self.outcome],
            "peak_stage": _STAGE_WORD[self.peak],
            "escalated": self.escalated,
            "path": ">".join(self.path),
            "petitions": self.petitions,
            "staff_days": staff_days,
        }


Listener = Callable[[Dispute], None]

# each outcome's final stage, closing event and whether it counts as resolved
_CLOSING = {o: (o.stage, EventKind.RESOLVED if o.resolved else EventKind.ABANDONED
                if o is Outcome.ABANDONED else EventKind.CENSORED, o.resolved)
            for o in Outcome}


class DisputeBook:
    """Every dispute of a run and the rules of its lifecycle.

    ``today`` is read from the clock given at construction (the model's day). Listeners
    registered with :meth:`on_open` run when a dispute opens (a collective one gets its
    claimants' group); those registered with :meth:`on_close` run, in order, after a
    dispute is closed — the channel network withdraws its case, the residents feel the
    outcome.
    """

    def __init__(self, clock: Callable[[], int], log: EventLog | None = None) -> None:
        self._clock = clock
        self.log = log if log is not None else EventLog()
        self.table = DisputeTable()
        self.all: list[Dispute] = []
        self.open_collective: list[Dispute] = []
        self._by_household: dict[int, list[Dispute]] = {}
        self._open_listeners: list[Listener] = []
        self._close_listeners: list[Listener] = []
        self.resolved = 0
        self.abandoned = 0

    @property
    def today(self) -> int:
        return self._clock()

    def on_open(self, listener: Listener) -> None:
        self._open_listeners.append(listener)

    def on_close(self, listener: Listener) -> None:
        self._close_listeners.append(listener)

    # ---- opening ------------------------------------------------------------------------
    def open_dispute(self, dtype: DisputeType, claimants: np.ndarray, respondent: str,
                     severity: float, grievance: np.ndarray | None = None,
                     episode: Any = None) -> Dispute:
        d = Dispute(self.table, self.table.add(), dtype, np.asarray(claimants), respondent,
                    float(severity), self.today, episode)
        if grievance is not None:
            d.grievance = np.asarray(grievance, dtype=float)
        self.all.append(d)
        if d.collective:
            self.open_collective.append(d)
        else:
            self._by_household.setdefault(d.household, []).append(d)
        self.record(d, EventKind.OPENED, actor=respondent)
        for listener in self._open_listeners:
            listener(d)
        return d

    def open_individual(self, dtype: DisputeType, households: np.ndarray, respondent: str,
                        severity: np.ndarray) -> list[Dispute]:
        """Open one individual dispute for each of ``households`` (in that order), as
        :meth:`open_dispute` would one by one, with the table's rows and the log's
        ``opened`` events written at once (a street's background arrivals of a day)."""
        today = self._clock()
        households = np.array(households, dtype=np.int64)  # the disputes' own: a copy
        severity = np.asarray(severity, dtype=float)
        rows = self.table.add_individual(households, severity, today)
        opened = [Dispute(self.table, i, dtype, households[k:k + 1], respondent, s, today,
                          row_written=True)
                  for k, (i, s) in enumerate(zip(rows, severity.tolist()))]
        self.all.extend(opened)
        by_household = self._by_household
        for d in opened:
            by_household.setdefault(d.household, []).append(d)
        self.log.extend(today, rows, EventKind.OPENED, Stage.LATENT, actor=respondent)
        for d in opened:
            for listener in self._open_listeners:
                listener(d)
        return opened

    # ---- what happens ---------------------------------------------------------------------
    def record(self, dispute: Dispute, kind: EventKind, *, channel: str | None = None,
               actor: str | None = None, crowd: int | None = None,
               detail: str | None = None) -> None:
        """Log a happening that leaves the dispute's stage as it is."""
        self.log.append(self._clock(), dispute.id, kind, dispute._stage, channel, actor,
                        crowd, detail)

    def move(self, dispute: Dispute, stage: Stage, kind: EventKind, *,
             channel: str | None = None, actor: str | None = None, crowd: int | None = None,
             detail: str | None = None) -> None:
        """Move an open dispute to ``stage`` (final stages only through :meth:`close`)."""
        if dispute._stage >= FIRST_FINAL_STAGE:
            raise ValueError(f"dispute {dispute.id} is closed; it cannot move to {stage.name}")
        if stage >= FIRST_FINAL_STAGE:
            raise ValueError(f"close dispute {dispute.id} with close(), not move()")
        dispute.stage = stage
        if stage > dispute.peak:
            dispute.peak = stage
        today = self._clock()
        if stage is Stage.VOICED and dispute.voiced is None:
            dispute.voiced = today
        self.log.append(today, dispute.id, kind, stage, channel, actor, crowd, detail)

    def close(self, dispute: Dispute, outcome: Outcome, *, actor: str | None = None,
              detail: str | None = None) -> None:
        """End a dispute, once. The closing event names the channel it was in, if any."""
        if dispute._stage >= FIRST_FINAL_STAGE:
            raise ValueError(f"dispute {dispute.id} is already closed ({dispute.outcome})")
        stage, kind, resolved = _CLOSING[outcome]
        dispute.stage = stage
        self.table.open[dispute.id] = False
        today = dispute.closed = self._clock()
        dispute.outcome = outcome
        self.log.append(today, dispute.id, kind, stage, dispute._channel, actor, None, detail)
        self.resolved += resolved
        self.abandoned += outcome is Outcome.ABANDONED
        for listener in self._close_listeners:
            listener(dispute)

    def end_of_day(self) -> None:
        """Drop today's closed disputes from the open indexes."""
        self.open_collective = [d for d in self.open_collective if d.is_open]

    def fail(self, dispute: Dispute, channel: str) -> None:
        """A channel did not settle the dispute (it heard it and failed, or the claimants
        gave up waiting for it)."""
        dispute.failed[channel] = dispute.failed.get(channel, 0) + 1
        dispute.failures += 1

    # ---- queries ----------------------------------------------------------------------------
    @property
    def open(self) -> list[Dispute]:
        """The open disputes, in the order they opened."""
        return [self.all[i] for i in self.table.open_rows()]

    def open_of(self, household: int) -> list[Dispute]:
        return [d for d in self._by_household.get(household, []) if d.is_open]

    def __len__(self) -> int:
        return len(self.all)

    def __iter__(self):
        return iter(self.all)

    def records(self) -> list[dict]:
        """Every dispute's row, their floats rounded a column at a time."""
        severity = rounded(self.table.severity[:self.table.n])
        staff_days = rounded(np.array([d.staff_days for d in self.all]))
        return [d.record(s, w) for d, s, w in zip(self.all, severity, staff_days)]
