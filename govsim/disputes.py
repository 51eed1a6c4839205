"""Disputes: the unit that gets resolved, its stages, and the event log of every transition.

A dispute moves ``latent → voiced → in handling → [collective action → confrontation →
petition] → resolved | abandoned``; one still open at the horizon is censored. Every
transition is written to the :class:`EventLog` with its day, so time to detection, queueing
and bargaining can be separated afterwards.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from enum import Enum, IntEnum

import numpy as np


class DisputeType(str, Enum):
    """Kinds of dispute (essay 7: traditional and new urban disputes)."""

    NEIGHBOUR = "neighbour"  # 邻里纠纷: noise, leaks, shared space
    FAMILY = "family"  # 婚姻、继承、赡养: marriage, inheritance, support of parents
    PROPERTY_SERVICE = "property_service"  # 物业纠纷: fees and service of the property firm
    PARKING = "parking"  # 车位门: the collective conflict with the developer
    ENVIRONMENT = "environment"  # 环境污染
    CONSUMER = "consumer"  # 消费者权益
    WAGES = "wages"  # 农民工欠薪: unpaid migrant wages
    DEMOLITION = "demolition"  # 征地拆迁

    @property
    def interpersonal(self) -> bool:
        """Between residents themselves; what mediators are best at."""
        return self in (DisputeType.NEIGHBOUR, DisputeType.FAMILY)


class Stage(IntEnum):
    """Stages ordered by escalation, so ``max`` gives the peak stage."""

    LATENT = 0
    VOICED = 1
    IN_HANDLING = 2
    COLLECTIVE_ACTION = 3
    CONFRONTATION = 4
    PETITION = 5
    RESOLVED = 10
    ABANDONED = 11
    CENSORED = 12

    @property
    def final(self) -> bool:
        return self >= Stage.RESOLVED

    @property
    def escalated(self) -> bool:
        return Stage.COLLECTIVE_ACTION <= self <= Stage.PETITION


class Outcome(str, Enum):
    """How a dispute ended."""

    AGREEMENT = "agreement"  # settled by the parties (negotiation, mediation, dual-track deal)
    ADJUDICATED = "adjudicated"  # decided by an authority (court, petition office, order)
    ABANDONED = "abandoned"  # claimants gave up
    CENSORED = "censored"  # still open at the horizon


@dataclass
class Dispute:
    """One dispute: who claims against whom, how grave, and where it stands.

    ``claimants`` are household ids; a collective dispute has many. Per-claimant state that
    changes every day (grievance, participation) lives in arrays here, so a collective
    dispute of hundreds of households is updated in a few vector operations.
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
    failed: Counter = field(default_factory=Counter)  # channel -> times it failed this dispute
    waiting_since: int | None = None
    complained: int | None = None
    case: Any = None  # its place in a channel's queue, while it has one
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
            "first_handled": self.first_handled,
            "closed": self.closed,
            "outcome": self.outcome.value if self.outcome else None,
            "peak_stage": self.peak.name.lower(),
            "escalated": self.escalated,
            "path": ">".join(self.path),
            "staff_days": round(self.staff_days, 6),
        }


@dataclass(frozen=True, slots=True)
class Event:
    """One transition of one dispute."""

    day: int
    dispute_id: int
    stage: Stage
    channel: str | None = None
    note: str = ""

    def record(self) -> dict:
        return {
            "day": self.day,
            "dispute_id": self.dispute_id,
            "stage": self.stage.name.lower(),
            "channel": self.channel,
            "note": self.note,
        }


class EventLog:
    """Append-only log of every stage transition, in the order they happened."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(self, day: int, dispute: Dispute, stage: Stage, channel: str | None = None,
            note: str = "") -> None:
        self.events.append(Event(day, dispute.id, stage, channel, note))

    def for_dispute(self, dispute_id: int) -> list[Event]:
        return [e for e in self.events if e.dispute_id == dispute_id]

    def records(self) -> list[dict]:
        return [e.record() for e in self.events]

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self):
        return iter(self.events)
