"""Disputes, the unit that gets resolved, and the book that keeps them.

A dispute moves ``latent → voiced → in handling → [collective action → confrontation →
petition] → resolved | abandoned``; one still open at the horizon is censored. The
:class:`DisputeBook` owns that lifecycle: it opens disputes, moves them between stages,
closes them exactly once, keeps the indexes (open disputes, open collective ones, a
household's disputes) and writes every change to the event log, so that the invariants
live in one place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from govsim.events import Event, EventKind, EventLog
from govsim.vocabulary import DisputeType, Outcome, Stage


@dataclass(eq=False)
class Dispute:
    """One dispute: who claims against whom, how grave, and where it stands.

    ``claimants`` are household ids; a collective dispute has many. Per-claimant state that
    changes every day (grievance, participation) lives in arrays here, so a collective
    dispute of hundreds of households is updated in a few vector operations. ``episode``
    is the scenario episode a dispute belongs to (the parking conflict), if any.
    """

    id: int
    type: DisputeType
    claimants: np.ndarray
    respondent: str
    severity: float
    opened: int
    stage: Stage = Stage.LATENT
    peak: Stage = Stage.LATENT
    detected: int | None = None
    voiced: int | None = None
    first_handled: int | None = None
    closed: int | None = None
    outcome: Outcome | None = None
    channel: str | None = None
    path: list[str] = field(default_factory=list)
    staff_days: float = 0.0
    failures: int = 0
    petitions: int = 0  # petitions made about it so far
    grid_routed: bool = False  # the grid sent it to one of its levels
    failed: Counter = field(default_factory=Counter)  # channel -> times it failed this dispute
    waiting_since: int | None = None
    complained: int | None = None
    case: Any = None  # its place in a channel's queue, while it has one
    episode: Any = None
    grievance: np.ndarray = field(default_factory=lambda: np.zeros(0))
    participating: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    active: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    fatigue: np.ndarray = field(default_factory=lambda: np.zeros(0))  # from confrontations

    def __post_init__(self) -> None:
        n = len(self.claimants)
        if len(self.fatigue) != n:
            self.fatigue = np.zeros(n)
        if len(self.grievance) != n:
            self.grievance = np.zeros(n)
        if len(self.participating) != n:
            self.participating = np.zeros(n, dtype=bool)
        if len(self.active) != n:
            self.active = np.ones(n, dtype=bool)

    @property
    def collective(self) -> bool:
        return len(self.claimants) > 1

    @property
    def is_open(self) -> bool:
        return not self.stage.final

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
        days = [d for d in (self.complained, self.detected) if d is not None]
        return min(days) if days else None

    @property
    def pursuing(self) -> np.ndarray:
        """The claimants still pursuing the dispute (all of an individual one's)."""
        return self.claimants[self.active] if self.collective else self.claimants

    def record(self) -> dict:
        """A flat, JSON-friendly row for the per-dispute table."""
        return {
            "dispute_id": self.id,
            "type": self.type.value,
            "claimants": int(len(self.claimants)),
            "respondent": self.respondent,
            "severity": round(float(self.severity), 6),
            "opened": self.opened,
            "detected": self.detected,
            "voiced": self.voiced,
            "complained": self.complained,
            "reported": self.reported,
            "first_handled": self.first_handled,
            "closed": self.closed,
            "outcome": self.outcome.value if self.outcome else None,
            "peak_stage": self.peak.name.lower(),
            "escalated": self.escalated,
            "path": ">".join(self.path),
            "petitions": self.petitions,
            "staff_days": round(self.staff_days, 6),
        }


Listener = Callable[[Dispute], None]


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
        self.all: list[Dispute] = []
        self.open: list[Dispute] = []
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
        d = Dispute(id=len(self.all), type=dtype, claimants=np.asarray(claimants),
                    respondent=respondent, severity=float(severity), opened=self.today,
                    episode=episode)
        if grievance is not None:
            d.grievance = np.asarray(grievance, dtype=float)
        self.all.append(d)
        self.open.append(d)
        if d.collective:
            self.open_collective.append(d)
        else:
            self._by_household.setdefault(int(d.claimants[0]), []).append(d)
        self.record(d, EventKind.OPENED, actor=respondent)
        for listener in self._open_listeners:
            listener(d)
        return d

    # ---- what happens ---------------------------------------------------------------------
    def record(self, dispute: Dispute, kind: EventKind, *, channel: str | None = None,
               actor: str | None = None, crowd: int | None = None,
               detail: str | None = None) -> None:
        """Log a happening that leaves the dispute's stage as it is."""
        self.log.add(Event(self.today, dispute.id, kind, dispute.stage, channel, actor,
                           crowd, detail))

    def move(self, dispute: Dispute, stage: Stage, kind: EventKind, *,
             channel: str | None = None, actor: str | None = None, crowd: int | None = None,
             detail: str | None = None) -> None:
        """Move an open dispute to ``stage`` (final stages only through :meth:`close`)."""
        if dispute.stage.final:
            raise ValueError(f"dispute {dispute.id} is closed; it cannot move to {stage.name}")
        if stage.final:
            raise ValueError(f"close dispute {dispute.id} with close(), not move()")
        dispute.stage = stage
        dispute.peak = max(dispute.peak, stage)
        if stage is Stage.VOICED and dispute.voiced is None:
            dispute.voiced = self.today
        self.record(dispute, kind, channel=channel, actor=actor, crowd=crowd, detail=detail)

    def close(self, dispute: Dispute, outcome: Outcome, *, actor: str | None = None,
              detail: str | None = None) -> None:
        """End a dispute, once. The closing event names the channel it was in, if any."""
        if dispute.stage.final:
            raise ValueError(f"dispute {dispute.id} is already closed ({dispute.outcome})")
        dispute.stage = outcome.stage
        dispute.closed = self.today
        dispute.outcome = outcome
        kind = (EventKind.RESOLVED if outcome.resolved else EventKind.ABANDONED
                if outcome is Outcome.ABANDONED else EventKind.CENSORED)
        self.record(dispute, kind, channel=dispute.channel, actor=actor, detail=detail)
        self.resolved += outcome.resolved
        self.abandoned += outcome is Outcome.ABANDONED
        for listener in self._close_listeners:
            listener(dispute)

    def end_of_day(self) -> None:
        """Drop today's closed disputes from the open indexes."""
        self.open = [d for d in self.open if d.is_open]
        self.open_collective = [d for d in self.open_collective if d.is_open]

    # ---- queries ----------------------------------------------------------------------------
    def open_of(self, household: int) -> list[Dispute]:
        return [d for d in self._by_household.get(household, []) if d.is_open]

    def __len__(self) -> int:
        return len(self.all)

    def __iter__(self):
        return iter(self.all)

    def records(self) -> list[dict]:
        return [d.record() for d in self.all]
