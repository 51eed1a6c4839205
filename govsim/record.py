"""What a run leaves behind: running counters kept while it runs, and the run record —
the dispute table, the typed event log and the counters — that metrics read.

A :class:`RunRecord` is plain data: it can be stored (JSON-friendly) and summarised again
later without the model.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

ROUND_DIGITS = 6  # decimals of the floats in a dispute row


def rounded(values: np.ndarray, digits: int = ROUND_DIGITS) -> list[float]:
    """``[round(v, digits) for v in values]``, exactly, for a whole column at once.

    Python's ``round`` is correctly rounded (half to even, on the float's exact value), and
    so is this: ``rint(v × 10^digits) / 10^digits`` is the same float, except where the
    product's own rounding could tip ``rint`` across a half — within a few units in the last
    place of a half-integer, or beyond the integers a float holds exactly — and there
    Python's ``round`` is asked (tested against it). A street's year has tens of thousands
    of dispute rows, and ``round`` costs about half a microsecond a call."""
    values = np.asarray(values, dtype=float)
    scale = 10.0 ** digits
    product = values * scale
    whole = np.rint(product)
    out = (whole / scale).tolist()
    with np.errstate(invalid="ignore"):
        unsure = ~(np.abs(np.abs(product - whole) - 0.5) > 4.0 * np.spacing(product))
    for i in np.flatnonzero(unsure | ~np.isfinite(product)
                            | (np.abs(product) >= 2.0 ** 52)).tolist():
        out[i] = round(float(values[i]), digits)
    return out


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
