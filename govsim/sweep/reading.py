"""Reading a result store: its tables, its manifest, and its committed batches read back
and checked (the folder's layout is described in :mod:`govsim.sweep.store`). Also here,
since reading is what needs them first: the store's table names and row keys, and
:class:`StoreError`, which the store that writes raises too.

Damage is found, not trusted: a :class:`Batch` is a committed batch read back, its parts
compared table by table with the row counts its commit recorded; a part missing,
unreadable, foreign or of the wrong length is :class:`Damage`. Recovery sets such a batch
aside (:class:`~govsim.sweep.store.ResultStore`); :func:`read_table` and
:func:`check_store` stop with a :class:`StoreError` naming the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govsim.errors import UsageError
from govsim.sweep.options import FORMATS
from govsim.sweep.tables import join

if TYPE_CHECKING:  # imported where used: ``govsim sweep`` starts without pandas
    import pandas as pd
    import pyarrow as pa


TABLES = ("runs", "daily", "disputes", "events")
STATUSES = ("ok", "failed")
ROW_KEYS = ("run_id", "point", "regime", "replicate", "seed", "status", "batch")


class StoreError(UsageError):
    """A result folder that cannot be used for this sweep (message names the file)."""


def batch_of(part: Path) -> str:
    return part.name.split(".")[0]


def read_frame(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """A part as a frame. From CSV a run id is always text: a part whose ids all look like
    numbers (a hex digest of digits only, or "1234e567…") would otherwise read as numbers
    and match no run — rare, but over a long sweep's one-run batches, it happens."""
    import pandas as pd

    if path.suffix == ".parquet":
        return pd.read_parquet(path, columns=columns)
    return pd.read_csv(path, usecols=columns, dtype={"run_id": str})


def read_statuses(path: Path) -> tuple[list, list]:
    """(run ids, statuses) of a runs part: these two columns only, from Parquet without
    pandas (about a third of the time of the whole part; a sweep reads every part at its
    end)."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        columns = pq.read_table(path, columns=["run_id", "status"]).to_pydict()
        return columns["run_id"], columns["status"]
    frame = read_frame(path, columns=["run_id", "status"])
    return frame["run_id"].tolist(), frame["status"].tolist()


# ---- the manifest -----------------------------------------------------------------------------
_MANIFEST_SHAPE = {  # key -> type every reader relies on
    "experiment": dict, "format": str, "design": dict, "regimes": list, "replicates": int,
    "days": int, "runs_total": int, "seeds": dict, "sessions": list,
}
_EXPERIMENT_SHAPE = {"name": str, "sha256": str, "text": str}
_DESIGN_SHAPE = {"kind": str, "parameters": list, "point_params": list}


def _shape_problems(data: Any, shape: dict, where: str) -> list[str]:
    if not isinstance(data, dict):
        return [f"{where} is {type(data).__name__}, expected an object"]
    return [f"{where}{key} is {'missing' if key not in data else type(data[key]).__name__}"
            f", expected {kind.__name__}"
            for key, kind in shape.items() if not isinstance(data.get(key), kind)]


def read_manifest(root: Path) -> dict:
    """``root/manifest.json``, checked to hold everything the store and the report read;
    a missing or malformed one is a :class:`StoreError` naming it."""
    path = Path(root) / "manifest.json"
    advice = ("expected the manifest.json that govsim sweep writes; restore it, or move "
              "the folder aside and sweep into a new --out")
    try:
        if path.exists() and not path.is_file():
            raise StoreError(f"{path}: not a regular file; {advice}")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{path}: missing; {advice}") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise StoreError(f"{path}: damaged, not readable JSON ({exc}); {advice}") from None
    problems = _shape_problems(data, _MANIFEST_SHAPE, "")
    if not problems:
        problems = (_shape_problems(data["experiment"], _EXPERIMENT_SHAPE, "experiment.")
                    + _shape_problems(data["design"], _DESIGN_SHAPE, "design."))
        if data["format"] not in FORMATS:
            problems.append(f"format is {data['format']!r}, expected one of "
                            + ", ".join(FORMATS))
    if problems:
        raise StoreError(f"{path}: damaged ({'; '.join(problems[:3])}); {advice}")
    return data


# ---- batches: what a commit recorded, and whether the parts still say so ---------------------
class Mismatch(ValueError):
    """A part that reads but does not say what its batch's commit wrote."""


def batch_counts(frame: pd.DataFrame) -> dict[str, int] | None:
    """The row counts recorded when a batch was committed (``None``: a store written
    before they were recorded)."""
    if "batch_rows" not in frame.columns or frame.empty:
        return None
    values = set(frame["batch_rows"].astype(str))
    if len(values) != 1:
        raise Mismatch("its rows disagree on the batch's row counts")
    try:
        counts = json.loads(values.pop())
    except ValueError:
        counts = None
    if not isinstance(counts, dict) or not all(isinstance(counts.get(t), int)
                                               for t in TABLES):
        raise Mismatch("its batch_rows are not row counts")
    return counts


def _check_runs_part(frame: pd.DataFrame, name: str, planned: dict[str, int] | None
                     ) -> dict | None:
    missing = set(ROW_KEYS) - set(frame.columns)
    if missing:
        raise Mismatch(f"no column {', '.join(sorted(missing))}")
    if not (frame["batch"].astype(str) == name).all():
        raise Mismatch(f"its rows say they belong to another batch than {name}")
    if not frame["status"].isin(STATUSES).all():
        raise Mismatch("a run's status is neither ok nor failed")
    if planned is not None and not (frame["seed"] == frame["run_id"].map(planned)).all():
        raise Mismatch("it holds runs that are not this experiment's")
    counts = batch_counts(frame)
    if counts is not None and len(frame) != counts["runs"]:
        raise Mismatch(f"{len(frame)} rows where the commit wrote {counts['runs']}")
    return counts


def _rows_of(table: pa.Table, run_ids) -> pa.Array:
    """Which rows of ``table`` are about the runs ``run_ids``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.is_in(table["run_id"], value_set=pa.array(sorted(run_ids), pa.string()))


def _side_part(path: Path, expected: int | None, run_ids: set[str]) -> pa.Table | None:
    """A daily, disputes or events part of a committed batch: present when rows were
    committed, readable, of the committed length, about the batch's runs only. Read as
    Arrow: these are the store's large tables, and going through pandas part by part was
    most of a sweep's consolidation."""
    import pyarrow as pa

    if not path.exists():
        if expected:
            raise Mismatch(f"missing, where the commit wrote {expected} rows")
        return None
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
    else:
        table = pa.Table.from_pandas(read_frame(path), preserve_index=False)
    if expected is not None and table.num_rows != expected:
        raise Mismatch(f"{table.num_rows} rows where the commit wrote {expected}")
    if ("run_id" not in table.column_names
            or not _rows_of(table, run_ids).to_numpy(zero_copy_only=False).all()):
        raise Mismatch("its rows are not about the batch's runs")
    return table


class Damage(Exception):
    """A committed batch whose parts no longer say what its commit wrote."""

    def __init__(self, batch: str, path: Path, exc: Exception) -> None:
        self.batch, self.path = batch, path
        if isinstance(exc, Mismatch):
            self.reason = str(exc)
        else:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
            self.reason = f"unreadable ({first})"
        super().__init__(f"{path}: {self.reason}")


class Batch:
    """One committed batch, read back and checked table by table (see :class:`Damage`)."""

    def __init__(self, root: Path, fmt: str, name: str,
                 planned: dict[str, int] | None = None):
        self.root, self.fmt, self.name = root, fmt, name
        path = self.path("runs")
        try:
            self.runs = read_frame(path)
            self.counts = _check_runs_part(self.runs, name, planned)
        except Exception as exc:  # noqa: BLE001 — any failure to read a part is damage
            raise Damage(name, path, exc) from None

    def path(self, table: str) -> Path:
        return self.root / "parts" / table / f"{self.name}.{self.fmt}"

    def table(self, table: str) -> pa.Table | None:
        path = self.path(table)
        try:
            return _side_part(path, None if self.counts is None else self.counts[table],
                              set(self.runs["run_id"]))
        except Exception as exc:  # noqa: BLE001
            raise Damage(self.name, path, exc) from None

    def check(self) -> None:
        for table in TABLES[1:]:
            self.table(table)


# ---- tables ----------------------------------------------------------------------------------
def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Parts written in different batches may disagree on a column's type (a metric that
    is undefined in every run of one batch comes back as objects; text as pandas' string
    type or as objects): make numbers numbers, and text plain objects."""
    import pandas as pd

    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.StringDtype):
            frame[col] = frame[col].astype(object)
    for col in frame.columns[frame.dtypes == object]:
        vals = frame[col].dropna()
        if len(vals) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                             for v in vals):
            frame[col] = pd.to_numeric(frame[col])
        elif len(vals) and all(isinstance(v, str) for v in vals):
            frame[col] = frame[col].where(frame[col].notna(), None)
    return frame


def _damaged(dmg: Damage) -> StoreError:
    return StoreError(f"{dmg.path}: {dmg.reason}; run the sweep again with --resume to set "
                      "its batch aside and recompute its runs")


def check_store(root: str | Path) -> None:
    """Every committed batch of the store, table by table, against the row counts of its
    commit; the first damage found is a :class:`StoreError` naming the file."""
    root = Path(root)
    fmt = read_manifest(root)["format"]
    for part in sorted((root / "parts" / "runs").glob(f"*.{fmt}")):
        try:
            Batch(root, fmt, batch_of(part)).check()
        except Damage as dmg:
            raise _damaged(dmg) from None


def read_table(root: str | Path, table: str = "runs") -> pd.DataFrame | None:
    """One table of a store, from its committed parts: runs deduplicated by run id (an
    ``ok`` row wins over ``failed`` ones, then the latest), other tables restricted to
    the rows of the runs kept. A part that is missing, unreadable or not of its committed
    length is a :class:`StoreError` naming it (``--resume`` repairs the store)."""
    return next(iter(read_tables(root, (table,))))[1]


def read_tables(root: str | Path, tables: tuple[str, ...] = TABLES
                ) -> Iterator[tuple[str, pd.DataFrame | None]]:
    """(name, table) for each of ``tables`` in turn (see :func:`read_table`), one table in
    memory at a time, the runs' parts read once for all of them: which runs are kept
    decides every other table's rows."""
    kept = kept_batches(Path(root))
    for table in tables:
        if kept is None:
            yield table, None
        elif table == "runs":
            yield table, kept[1]
        else:
            side = kept_rows(*kept, table)
            yield table, None if side is None else _tidy(side.to_pandas())


def kept_batches(root: Path) -> tuple[list[Batch], pd.DataFrame] | None:
    """The committed batches and the runs kept of them — an ``ok`` row over ``failed``
    ones, then the latest — or ``None`` before the first commit."""
    import pandas as pd

    fmt = read_manifest(root)["format"]
    try:
        batches = [Batch(root, fmt, batch_of(p))
                   for p in sorted((root / "parts" / "runs").glob(f"*.{fmt}"))]
        if not batches:
            return None
        runs = _tidy(pd.concat([b.runs for b in batches], ignore_index=True))
    except Damage as dmg:
        raise _damaged(dmg) from None
    runs = runs.drop(columns=[c for c in ("batch_rows",) if c in runs.columns])
    runs["_ok"] = runs["status"] == "ok"
    runs = (runs.sort_values(["_ok", "finished_at"], kind="stable")
            .drop_duplicates("run_id", keep="last").drop(columns="_ok"))
    runs = runs.sort_values(["point", "replicate", "regime"], kind="stable")
    return batches, runs.reset_index(drop=True)


def kept_rows(batches: list[Batch], runs: pd.DataFrame, table: str) -> pa.Table | None:
    """The rows of ``table`` about the runs kept, each from the batch its run was kept
    from (a run stored twice, failed then ok, has rows in one of them only)."""
    kept_in: dict[str, list[str]] = {}
    for run_id, batch in zip(runs["run_id"], runs["batch"]):
        kept_in.setdefault(batch, []).append(run_id)
    try:
        parts = [(b.name, b.table(table)) for b in batches]
    except Damage as dmg:
        raise _damaged(dmg) from None
    parts = [t.filter(_rows_of(t, kept_in.get(name, ()))) for name, t in parts
             if t is not None]
    return join(parts) if parts else None
