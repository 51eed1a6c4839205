"""The stored runs of a sweep of named points, as the analyses read them: by point and
regime, each list ordered by replicate so that lists of two variants pair up by seed."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govsim.metrics import SUMMARY_FIELDS


@dataclass(frozen=True)
class Run:
    """One stored run: its summary (None where a metric was undefined) and, when the
    sweep kept them, its dispute rows."""

    point: str
    regime: str
    replicate: int
    seed: int
    summary: dict[str, Any]
    disputes: list[dict] = field(default_factory=list)

    @property
    def last_day(self) -> int:
        return int(self.summary["days"]) - 1


def _defined(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


class Results:
    """Runs by (point, regime)."""

    def __init__(self, runs: list[Run]) -> None:
        self._by: dict[tuple[str, str], list[Run]] = {}
        for run in sorted(runs, key=lambda r: (r.point, r.regime, r.replicate)):
            self._by.setdefault((run.point, run.regime), []).append(run)

    @classmethod
    def from_store(cls, root: str | Path) -> "Results":
        """The ok runs of a store, with their dispute tables when kept."""
        from govsim.sweep.reading import read_tables

        tables = read_tables(root, ("runs", "disputes"))  # the runs' parts read once
        runs = next(tables)[1]
        if runs is None:
            return cls([])
        runs = runs[runs["status"] == "ok"]
        disputes = next(tables)[1]
        by_run: dict[str, list[dict]] = {}
        if disputes is not None:
            columns = [c for c in disputes.columns if c != "run_id"]
            for rid, frame in disputes.groupby("run_id", sort=False):
                by_run[rid] = [{k: _defined(v) for k, v in zip(columns, row)}
                               for row in frame[columns].itertuples(index=False)]
        fields = [f for f in SUMMARY_FIELDS if f in runs.columns]
        out = []
        for row in runs.to_dict("records"):
            summary = {f: _defined(row[f]) for f in fields}
            out.append(Run(str(row["point_name"]), row["regime"], int(row["replicate"]),
                           int(row["seed"]), summary, by_run.get(row["run_id"], [])))
        return cls(out)

    def get(self, point: str, regime: str) -> list[Run]:
        return self._by.get((point, regime), [])

    def variants(self) -> list[tuple[str, str]]:
        return list(self._by)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by.values())
