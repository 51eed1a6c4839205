"""The analyses' runs written as an experiment of named points (``[points.NAME]``), so
that the sweep engine runs them — with its executors, result store and ``--resume`` — and
``govsim sweep`` can run the same file by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def named_points_text(name: str, title: str, comment: str, scenario, regimes: list[str],
                      replicates: int, points: dict[str, dict[str, Any]],
                      days: int | None = None) -> str:
    """Experiment text: ``scenario`` under ``regimes`` with ``replicates`` paired seeds, at
    each named point (its parameter values, and optionally its own ``regimes`` and
    ``replicates``)."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment(comment))
    exp = tomlkit.table()
    exp.add("name", name)
    exp.add("title", title)
    exp.add("scenario", str(Path(scenario.path).resolve()))
    exp.add("regimes", list(regimes))
    exp.add("replicates", replicates)
    if days is not None:
        exp.add("days", days)
    doc.add("experiment", exp)
    table = tomlkit.table(is_super_table=True)
    for point, values in points.items():
        t = tomlkit.table()
        for key, value in values.items():
            t.add(key, value)
        table.add(point, t)
    doc.add("points", table)
    return tomlkit.dumps(doc)
