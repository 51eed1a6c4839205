"""What a run leaves behind: running counters kept while it runs, and the run record —
the dispute table, the typed event log and the counters — that metrics read.

A :class:`RunRecord` is plain data: it can be stored (JSON-friendly) and summarised again
later without the model.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Counters:
    """Counts a run keeps as it goes (transitions add to them), so that daily reporters and
    summaries never rescan the disputes."""

    confrontations: int = 0
    police_calls: int = 0
    petitions: int = 0
    repeat_petitions: int = 0
    skip_level_petitions: int = 0
    special_handlings: int = 0
    injuries: int = 0
    staff_days_cases: float = 0.0
    staff_days_standing: float = 0.0
    household_days: int = 0
    patrol_checks: int = 0  # open disputes a grid worker's patrol could find (benchmarks)
    participants_today: int = 0
    confronting_today: int = 0

    def new_day(self) -> None:
        self.participants_today = 0
        self.confronting_today = 0

    def add_staff_days(self, dispute, amount: float) -> None:
        """Staff time spent on a dispute's case (or on nothing in particular: ``None``)."""
        self.staff_days_cases += amount
        if dispute is not None:
            dispute.staff_days += amount

    @property
    def staff_days(self) -> float:
        return self.staff_days_cases + self.staff_days_standing

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for transient in ("participants_today", "confronting_today"):
            d.pop(transient)
        return d


@dataclass
class RunRecord:
    """One finished (or paused) run as data.

    ``days`` is the number of days simulated; ``disputes`` the per-dispute rows,
    ``episode_events`` the event records of the episodes' disputes (the parking conflict:
    its milestones are read from them; the whole log of a large run would be millions of
    rows that no summary reads), ``counters`` the run's counters, ``community`` what the
    summaries need of the community at the end (satisfaction, trust), ``episodes`` the
    milestone definitions of the episodes that ran.
    """

    days: int
    disputes: list[dict]
    episode_events: list[dict]
    counters: dict[str, Any]
    community: dict[str, Any]
    episodes: dict[str, dict[str, str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def last_day(self) -> int:
        return self.days - 1
