"""The story of one dispute, for a student: its events folded, its milestones set beside
the source's dates, and the moment the state answered.

Everything is built from event kinds and fields (:mod:`govsim.events`), never from the
English notes, so a kind added to the model later is told too: grouped with its
repetitions like any other, in the words :func:`govsim.app.i18n.event_text` has for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsim.events import EventKind, milestones

HIDDEN = frozenset({EventKind.OPENED.value})  # "a dispute arises": the notice says it better
SETTLED = EventKind.RESOLVED.value


@dataclass(frozen=True)
class Line:
    """One line of the story: an event, or the same event repeated on consecutive days.

    ``days`` counts the days it happened on between ``first`` and ``last``; ``crowd`` is
    the smallest and largest crowd of the repetitions (None when the kind has none)."""

    first: int
    last: int
    days: int
    record: dict
    crowd: tuple[int, int] | None = None

    @property
    def every_day(self) -> bool:
        return self.days == self.last - self.first + 1

    @property
    def folded(self) -> bool:
        return self.last > self.first

    def shown_record(self) -> dict:
        """The event record to write this line from: a folded crowd becomes a range."""
        if not self.folded or self.crowd is None:
            return self.record
        lo, hi = self.crowd
        return {**self.record, "crowd": f"{lo}–{hi}" if lo != hi else lo}


def _key(record: dict) -> tuple:
    crowd = record.get("crowd")
    return (record["kind"], record.get("actor"), record.get("channel"), record.get("detail"),
            bool(crowd))


def fold(events: list[dict]) -> list[Line]:
    """The events in order, a repetition on consecutive days folded into the line of its
    first day ("days 1–8: 176–195 owners block the gate every day"). Two events repeat
    each other when kind, actor, channel, detail and whether a crowd is named agree."""
    lines: list[dict] = []
    open_runs: dict[tuple, int] = {}  # key -> index in lines of its run still extendable
    for record in events:
        if record["kind"] in HIDDEN:
            continue
        day = int(record["day"])
        key = _key(record)
        crowd = record.get("crowd")
        at = open_runs.get(key)
        if at is not None and day <= lines[at]["last"] + 1:
            run = lines[at]
            if day != run["last"]:
                run["days"] += 1
            run["last"] = day
            if crowd:
                lo, hi = run["crowd"]
                run["crowd"] = (min(lo, crowd), max(hi, crowd))
            continue
        open_runs[key] = len(lines)
        lines.append({"first": day, "last": day, "days": 1, "record": record,
                      "crowd": (crowd, crowd) if crowd else None})
    return [Line(**line) for line in lines]


# ---- milestones against the source -----------------------------------------------------------
@dataclass(frozen=True)
class Milestone:
    """One milestone of the case: the day it came in this run (None: it did not) and the
    day it came in the source's timeline (None: the source gives none)."""

    kind: str
    day: int | None
    source_day: int | None
    source_label: dict | None = None  # the timeline item (label, label_zh, date)

    @property
    def difference(self) -> int | None:
        if self.day is None or self.source_day is None:
            return None
        return self.day - self.source_day


def _event_kind(kind: str) -> EventKind | None:
    try:
        return EventKind(kind)
    except ValueError:  # a timeline may name a kind this version of the model lacks
        return None


def milestone_kinds(timeline: list[dict]) -> list[str]:
    """The kinds a case is judged by: those of its timeline, in order, then settlement."""
    kinds = list(dict.fromkeys(str(item["kind"]) for item in timeline if item.get("kind")))
    return kinds + [SETTLED] if SETTLED not in kinds else kinds


def case_dispute_id(events: list[dict]) -> int | None:
    """The case's dispute in a run: the one a notice opened (the developer's sell-only)."""
    return next((e["dispute_id"] for e in events if e["kind"] == EventKind.NOTICE.value),
                None)


def milestone_days(events: list[dict], dispute_id: int | None,
                   kinds: list[str]) -> dict[str, int | None]:
    """The first day of each kind for one dispute (None when it did not happen)."""
    if dispute_id is None:
        return dict.fromkeys(kinds)
    ms = milestones(events, dispute_id)
    return {k: (ms.day(kind) if (kind := _event_kind(k)) is not None else None) for k in kinds}


def against_source(events: list[dict], timeline: list[dict]) -> list[Milestone]:
    """Each milestone of the case beside its date in the source (line by line)."""
    kinds = milestone_kinds(timeline)
    days = milestone_days(events, case_dispute_id(events), kinds)
    by_kind = {}
    for item in timeline:
        if item.get("kind"):
            by_kind.setdefault(str(item["kind"]), item)
    return [Milestone(k, days[k], by_kind[k]["day"] if k in by_kind else None, by_kind.get(k))
            for k in kinds]


# ---- the state's answer --------------------------------------------------------------------------
@dataclass(frozen=True)
class StateAnswer:
    """When the owners made a fuss and when the state acted: the 不闹不解决 question.
    ``case`` names which of the four stories this run tells."""

    confrontation: int | None
    petition: int | None
    order: int | None

    @property
    def case(self) -> str:
        if self.order is None:
            return "petition_unanswered" if self.petition is not None else "no_state"
        if self.petition is not None and self.order >= self.petition:
            return "after_petition"
        return "before_petition"


def state_answer(events: list[dict]) -> StateAnswer:
    pid = case_dispute_id(events)
    days = milestone_days(events, pid, [EventKind.CONFRONTATION.value,
                                        EventKind.PETITION.value, EventKind.STATE_ORDER.value])
    return StateAnswer(*days.values())
