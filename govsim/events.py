"""The event log: what happened to each dispute, as data.

An :class:`Event` has a :class:`EventKind` and structured fields (actor, channel, crowd,
detail); its text (:attr:`Event.note`) is written for people from those fields and is
never parsed. Every consumer — run summaries, validation, the app, exports — reads the
same days through :func:`milestones`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from govsim.vocabulary import Stage


class EventKind(StrEnum):
    """Kinds of happening. Closing a dispute is one of RESOLVED, ABANDONED, CENSORED."""

    OPENED = "opened"  # a dispute arises
    NOTICE = "notice"  # the respondent announces what harms the claimants (sell-only)
    VOICED = "voiced"  # the claimants complain (or a grid worker's visit brings it out)
    DETECTED = "detected"  # a grid worker finds it before anyone complains
    FOLLOWED_UP = "followed_up"  # a grid worker checks on it and takes it up again
    SUBMITTED = "submitted"  # a case joins a channel's queue
    RENEGED = "reneged"  # the claimants stop waiting in a queue
    NOT_SETTLED = "not_settled"  # a channel heard the case and failed to settle it
    COLLECTIVE_ACTION = "collective_action"  # the day's crowd changes the dispute's stage
    CONFRONTATION = "confrontation"  # a crowd confronts the respondent (at the gate)
    POLICE_CALL = "police_call"  # the police are called to a confrontation
    GUARDS_HIRED = "guards_hired"  # the developer hires toughs as guards
    PETITION = "petition"  # a petition (信访) to the district (detail: repeat, skip-level)
    SPECIAL_HANDLING = "special_handling"  # a leader takes the petition up (特案特办)
    REFERRED = "referred"  # a department passes the petition on to another (踢皮球)
    STATE_ORDER = "state_order"  # the street office orders (责令) the respondent
    ASSEMBLY_BACKED = "assembly_backed"  # the street office backs an owners' assembly
    ASSEMBLY_ORGANISED = "assembly_organised"  # owners start organising one unaided
    ASSEMBLY_CALLED = "assembly_called"  # every owner is given notice of the meeting
    ASSEMBLY_FAILED = "assembly_failed"  # too few owners voted; it must be called again
    ASSEMBLY_HELD = "assembly_held"  # an owners' assembly elects an owners' committee
    FIRM_REPLACED = "firm_replaced"  # the owners' committee's property firm takes over
    JOINT_MEETING = "joint_meeting"  # a joint meeting of the grid takes the dispute up
    STRATEGY_SWITCH = "strategy_switch"  # the developer changes its parking strategy
    DEAL = "deal"  # the owners accept the developer's offer
    RESOLVED = "resolved"
    ABANDONED = "abandoned"
    CENSORED = "censored"  # still open at the horizon


CLOSING = frozenset({EventKind.RESOLVED, EventKind.ABANDONED, EventKind.CENSORED})


class PetitionAgain(StrEnum):
    """An event's ``detail`` on a petition that follows a failed one (essay 7)."""

    REPEAT = "repeat"  # 缠访、反复上访: to the district again
    SKIP_LEVEL = "skip-level"  # 越级上访: over the district's head to the city


class AssemblySupport(StrEnum):
    """An event's ``detail`` on an owners' assembly: who organised it."""

    STATE_BACKED = "state-backed"  # a preparatory group under the street office's guidance
    UNAIDED = "unaided"  # the owners on their own


@dataclass(frozen=True, slots=True)
class Event:
    """One happening to one dispute; ``stage`` is the dispute's stage after it."""

    day: int
    dispute_id: int
    kind: EventKind
    stage: Stage
    channel: str | None = None
    actor: str | None = None
    crowd: int | None = None
    detail: str | None = None

    @property
    def note(self) -> str:
        return describe(self)

    def record(self, note: bool = True) -> dict[str, Any]:
        """The event as a flat row; ``note`` adds its text for people."""
        row = {"day": self.day, "dispute_id": self.dispute_id, "kind": self.kind.value,
               "stage": self.stage.name.lower(), "channel": self.channel,
               "actor": self.actor, "crowd": self.crowd, "detail": self.detail}
        if note:
            row["note"] = self.note
        return row

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Event":
        """The event again from a stored record (its ``note`` is not read)."""
        return cls(int(record["day"]), int(record["dispute_id"]), EventKind(record["kind"]),
                   Stage[str(record["stage"]).upper()], record.get("channel"),
                   record.get("actor"), record.get("crowd"), record.get("detail"))


def _words(name: str | None) -> str:
    return (name or "").replace("_", " ")


_TEXT = {
    EventKind.OPENED: lambda e: "dispute arises",
    EventKind.NOTICE: lambda e: f"{_words(e.actor)}: parking {_words(e.detail)} from today; "
                                f"{e.crowd} renting households barred",
    EventKind.VOICED: lambda e: ("found on patrol" if e.actor == "grid_worker"
                                 else "complaint"),
    EventKind.DETECTED: lambda e: f"detected by {_words(e.actor)}",
    EventKind.FOLLOWED_UP: lambda e: "a grid worker checks on it and takes it up again",
    EventKind.SUBMITTED: lambda e: f"taken to {_words(e.channel)}",
    EventKind.RENEGED: lambda e: f"stops waiting for {_words(e.channel)}",
    EventKind.NOT_SETTLED: lambda e: f"{_words(e.channel)} fails to settle it",
    EventKind.COLLECTIVE_ACTION: lambda e: (f"{e.crowd} owners take part" if e.crowd
                                            else "the crowd disperses"),
    EventKind.CONFRONTATION: lambda e: f"{e.crowd} owners block the gate",
    EventKind.POLICE_CALL: lambda e: "police called",
    EventKind.GUARDS_HIRED: lambda e: "developer hires guards",
    EventKind.PETITION: lambda e: (
        (f"{e.crowd} owners petition the district government" if e.crowd
         else "petition to the district")
        + {PetitionAgain.REPEAT: " again",
           PetitionAgain.SKIP_LEVEL: ", over the district's head to the city"}.get(
            e.detail or "", "")),
    EventKind.SPECIAL_HANDLING: lambda e: "a leader takes the petition up: special handling "
                                          "with the departments' resources",
    EventKind.REFERRED: lambda e: "the petition is passed on to another department",
    EventKind.STATE_ORDER: lambda e: "street office orders the developer to let cars park",
    EventKind.ASSEMBLY_BACKED: lambda e: "street office backs an owners' assembly",
    EventKind.ASSEMBLY_ORGANISED: lambda e: "owners start organising an assembly themselves",
    EventKind.ASSEMBLY_CALLED: lambda e: f"owners' assembly ({_words(e.detail)}) called: "
                                         "every owner is given the legal notice",
    EventKind.ASSEMBLY_FAILED: lambda e: "too few owners voted; the assembly must be called "
                                         "again",
    EventKind.ASSEMBLY_HELD: lambda e: f"owners' assembly ({_words(e.detail)}) elects an "
                                       "owners' committee",
    EventKind.FIRM_REPLACED: lambda e: "the owners' committee's own property firm takes over "
                                       "the gate",
    EventKind.JOINT_MEETING: lambda e: "joint meeting of street, committees, firms and owners "
                                       "takes the dispute up",
    EventKind.STRATEGY_SWITCH: lambda e: f"developer switches to {_words(e.detail)}",
    EventKind.DEAL: lambda e: f"owners accept {_words(e.detail)}",
    EventKind.RESOLVED: lambda e: (f"settled by {_words(e.channel)}" if e.channel
                                   else f"settled ({_words(e.detail)})"),
    EventKind.ABANDONED: lambda e: "claimants give up",
    EventKind.CENSORED: lambda e: "open at horizon",
}


def describe(event: Event) -> str:
    """The event in plain English, for people; the app has its own Chinese wording."""
    return _TEXT[event.kind](event)


class EventLog:
    """Append-only log of what happened, in the order it happened.

    Kept as columns (one list per field) rather than as one object per event: a year of a
    street logs hundreds of thousands of events, and plain lists of numbers and names cost
    less to append and nothing for the cycle collector to traverse. :class:`Event` objects
    are made when someone reads the log."""

    FIELDS = ("day", "dispute_id", "kind", "stage", "channel", "actor", "crowd", "detail")

    def __init__(self) -> None:
        self._columns: tuple[list, ...] = tuple([] for _ in self.FIELDS)

    def append(self, day: int, dispute_id: int, kind: EventKind, stage: Stage,
               channel: str | None = None, actor: str | None = None, crowd: int | None = None,
               detail: str | None = None) -> None:
        c = self._columns
        c[0].append(day)
        c[1].append(dispute_id)
        c[2].append(kind)
        c[3].append(stage)
        c[4].append(channel)
        c[5].append(actor)
        c[6].append(crowd)
        c[7].append(detail)

    def extend(self, day: int, dispute_ids: Sequence[int], kind: EventKind, stage: Stage,
               channel: str | None = None, actor: str | None = None) -> None:
        """The same happening, on the same day, to each of ``dispute_ids`` in turn."""
        k = len(dispute_ids)
        c = self._columns
        c[1].extend(dispute_ids)
        for column, value in ((c[0], day), (c[2], kind), (c[3], stage), (c[4], channel),
                              (c[5], actor), (c[6], None), (c[7], None)):
            column.extend(itertools.repeat(value, k))

    def add(self, event: Event) -> None:
        self.append(event.day, event.dispute_id, event.kind, event.stage, event.channel,
                    event.actor, event.crowd, event.detail)

    @property
    def events(self) -> list[Event]:
        return list(self)

    def for_dispute(self, dispute_id: int) -> list[Event]:
        return self.of_disputes({dispute_id})

    def of_disputes(self, ids: set[int]) -> list[Event]:
        """The events of some disputes, without making an object of every other event."""
        c = self._columns
        return [Event(*(column[i] for column in c))
                for i, d in enumerate(c[1]) if d in ids]

    def records(self, notes: bool = True) -> list[dict]:
        return [e.record(notes) for e in self]

    def __len__(self) -> int:
        return len(self._columns[0])

    def __iter__(self):
        return (Event(*values) for values in zip(*self._columns))


@dataclass(frozen=True)
class Milestones:
    """The first day of each kind of event of one dispute, and how often each happened."""

    first: dict[EventKind, int]
    counts: dict[EventKind, int]

    def day(self, kind: EventKind) -> int | None:
        return self.first.get(kind)

    def count(self, kind: EventKind) -> int:
        return self.counts.get(kind, 0)


def milestones(events: Iterable[Event | dict], dispute_id: int) -> Milestones:
    """Milestone days of one dispute from a log — a live :class:`EventLog`, or the records
    of a stored run (dicts with ``kind`` and ``day``)."""
    first: dict[EventKind, int] = {}
    counts: dict[EventKind, int] = {}
    for e in events:
        if isinstance(e, dict):
            if e["dispute_id"] != dispute_id:
                continue
            kind, day = EventKind(e["kind"]), int(e["day"])
        else:
            if e.dispute_id != dispute_id:
                continue
            kind, day = e.kind, e.day
        first.setdefault(kind, day)
        counts[kind] = counts.get(kind, 0) + 1
    return Milestones(first, counts)
