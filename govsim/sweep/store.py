"""The result store: a folder that knows which runs are done and never loses one.

Layout of ``--out DIR``::

    manifest.json        what was run, from what, with what software, by which commands
    status.log           append-only, one JSON object per line: sweep starts and ends,
                         every run done or failed, damage found and set aside
    journal/B.jsonl      write-ahead journal of the batch B being filled: one line per
                         finished run, written the moment its result arrives
    parts/runs/B.*       committed batches (Parquet or CSV): one row per run, each row
                         carrying the batch's row counts (``batch_rows``)
    parts/daily/B.*      … daily series, dispute tables, event logs, when asked
    sessions/S.json      one per live sweep, locked while it runs (see locking.py)
    damaged/B/           parts of a batch found damaged, set aside; its runs are redone
    runs.parquet         the whole table, rewritten from the parts at the end of a sweep
    daily.parquet …      (``.csv`` with ``--format csv``)

    .lock                held (``flock``) while the folder's shared state changes

A batch is committed by writing its parts to temporary names, renaming them into place
(``runs`` last: that rename is the commit) and deleting its journal. A sweep killed at any
moment therefore leaves committed batches, at most one journal whose complete lines are
recovered on ``--resume``, and temporary files that are deleted; only runs that were still
computing are lost. Journal lines and parts are ``fsync``-ed, so this holds for a machine
that loses power too. The parts are the truth; the top-level tables are a convenience view.

Damage is found, not trusted: on every start, each committed batch is read back and its row
counts compared, table by table, with those recorded at commit; a batch with a part
missing, unreadable, foreign or of the wrong length is moved to ``damaged/`` and its runs
are computed again. Journal lines that are torn or not records of this experiment are
skipped. A missing or malformed manifest stops the sweep with a message naming it.

Several sweeps may share a folder at once (the shards of a job array): whatever reads or
changes shared state does so holding ``.lock``, each sweep journals and commits under its
own session's names, and a sweep never touches the journal, temporary files or parts of a
live one. Two sweeps that could compute the same run never run at once (locking.py).

Here: the store that writes, journals and recovers (:class:`ResultStore`). How a whole
file is written is :mod:`govsim.sweep.durable`; how a batch is read back and checked, and
the tables read from the parts (:func:`~govsim.sweep.reading.read_table`), is
:mod:`govsim.sweep.reading`.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import uuid
from importlib import metadata
from pathlib import Path
from typing import Any

from govsim import resources
from govsim.errors import UsageError, check_out_dir
from govsim.sweep.durable import tmp_owner, write_frame, write_table, write_text
from govsim.sweep.locking import (LOCK, SESSIONS, Session, folder_lock, is_live,
                                  live_sessions, overlaps)
from govsim.sweep.reading import (ROW_KEYS, STATUSES, TABLES, Batch, Damage, StoreError,
                                  batch_of, kept_batches, kept_rows, read_manifest,
                                  read_statuses)
from govsim.sweep.reading import check_store, read_table, read_tables  # noqa: F401 — scripts
# written before the reading side had a module of its own import these from here
from govsim.sweep.tables import arrow_table, as_text, from_text, join, unpack

DAMAGED = "damaged"
_OWN = (LOCK, "journal", "parts", SESSIONS)  # what a store being created holds at first
_VERSIONED = ("mesa", "numpy", "scipy", "pandas", "pyarrow", "networkx", "SALib", "tqdm",
              "dask", "distributed")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in ("govsim", *_VERSIONED):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _git() -> dict[str, Any]:
    root = resources.source_checkout()
    if root is None:
        return {"commit": None}
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return {"commit": None}
    if head.returncode:
        return {"commit": None}
    return {"commit": head.stdout.strip(), "dirty": bool(dirty.stdout.strip())}


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def session_of(batch: str) -> str:
    """Batches are named ``<session>-<sequence>``: recovery asks whose a batch is."""
    return batch.rsplit("-", 1)[0]


# ---- journal lines ---------------------------------------------------------------------------
def _journal_line(row: dict, tables: dict[str, bytes]) -> str:
    """One finished run as a journal line (read back by :func:`_record`): its row, and its
    kept tables packed by the worker, as text."""
    packed = {name: as_text(data) for name, data in tables.items()}
    return json.dumps({"row": row, "tables": packed}, default=_jsonable) + "\n"


def _record(line: str, planned: dict[str, int]) -> dict | None:
    """A journal line as a record of one of this experiment's runs (run id ↦ seed) — its
    row and its tables as Arrow — or ``None`` for a torn line (the one being written when
    a sweep died) or a foreign one. Lines of earlier versions, which listed each table's
    rows as objects, are read too."""
    import pyarrow as pa

    try:
        rec = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(rec, dict) or not isinstance(rec.get("row"), dict):
        return None
    row = rec["row"]
    if (not set(ROW_KEYS[:-1]) <= set(row) or row["run_id"] not in planned
            or row["seed"] != planned[row["run_id"]] or row["status"] not in STATUSES):
        return None
    packed = rec.get("tables", {})
    if not isinstance(packed, dict) or not set(packed) <= set(TABLES[1:]):
        return None
    tables = {}
    for table in TABLES[1:]:
        if table in packed:
            if not isinstance(packed[table], str):
                return None
            try:
                tables[table] = from_text(packed[table])
            except (ValueError, OSError, pa.ArrowException):  # damaged: not a record
                return None
            continue
        rows = rec.get(table)  # an earlier version's line
        if rows is not None and not (isinstance(rows, list)
                                     and all(isinstance(x, dict) for x in rows)):
            return None
        if rows:
            tables[table] = arrow_table(rows)
    return {"row": row, "tables": tables}


class ResultStore:
    """One result folder. Open it with :meth:`open`; fill it batch by batch."""

    def __init__(self, root: Path, fmt: str) -> None:
        self.root = Path(root)
        self.fmt = fmt
        self.session = (dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
                        + "-" + uuid.uuid4().hex[:6])
        self._seq = 0
        self._journal = None
        self._batch: str | None = None
        self._pending: list[dict] = []
        self._registration: Session | None = None
        self.notices: list[str] = []  # damage found and set aside, for the user

    # ---- opening --------------------------------------------------------------------------
    @staticmethod
    def check(root: str | Path, exp, fmt: str | None = None, resume: bool = False,
              join: bool = False, shard: tuple[int, int] | None = None) -> str:
        """Whether a sweep of ``exp`` may use ``root``, changing nothing (called before
        the executor starts); returns the store's format. :meth:`open` checks again, under
        the lock."""
        root = _out_dir(root)
        if not root.exists():
            return fmt or "parquet"
        _refuse_foreign(root)
        if (root / "manifest.json").exists():
            fmt = _admit(root, exp, fmt, resume, join)
        rivals = [r for r in live_sessions(root) if overlaps(shard, r.shard)]
        if rivals:
            raise _busy(root, rivals[0])
        return fmt

    @classmethod
    def open(cls, root: str | Path, exp, design, tasks, command: list[str],
             fmt: str | None = None, resume: bool = False, join: bool = False,
             shard: tuple[int, int] | None = None) -> "ResultStore":
        """Open ``root`` for a sweep of ``exp`` and record this session in its manifest.

        A folder holding results is reused only with ``resume`` — or ``join``, for the
        shards of one experiment, which may start at the same moment — and only for the
        same experiment (and format): mixing two experiments' runs would silently corrupt
        both. A folder with other files in it is never written to. No other live sweep may
        compute runs this one could (:func:`~govsim.sweep.locking.overlaps`)."""
        root = _out_dir(root)
        if root.exists():
            _refuse_foreign(root)
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"--out {root}: cannot create it ({exc.strerror})") from None
        with folder_lock(root):
            if (root / "manifest.json").exists():
                fmt = _admit(root, exp, fmt, resume, join)
            else:
                _refuse_foreign(root)  # files may have appeared since the first look
            store = cls(root, fmt or "parquet")
            _make_folders(root)
            store._register(shard, command)
            try:
                store._start_manifest(exp, design, tasks, command)
            except BaseException:
                store.close()
                raise
        _import_writers()
        return store

    def _register(self, shard: tuple[int, int] | None, command: list[str]) -> None:
        """Announce this sweep, then look for rivals (in that order: see locking.py)."""
        reg = Session(self.root, self.session, {
            "pid": os.getpid(), "host": platform.node(), "started": _now(),
            "shard": list(shard) if shard else None, "command": command})
        reg.register()
        rivals = [r for r in reg.rivals() if overlaps(shard, r.shard)]
        if rivals:
            reg.close()
            raise _busy(self.root, rivals[0])
        self._registration = reg

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def manifest(self) -> dict:
        return read_manifest(self.root)

    def _write_manifest(self, data: dict) -> None:
        write_text(self.manifest_path, json.dumps(data, indent=2, default=_jsonable),
                   self.session)

    def _start_manifest(self, exp, design, tasks, command: list[str]) -> None:
        if self.manifest_path.exists():
            m = self.manifest()
        else:
            m = {
                "experiment": {"name": exp.name, "title": exp.title, "path": str(exp.path),
                               "sha256": exp.sha256, "text": exp.text,
                               "scenario": str(exp.scenario.path),
                               "scenario_sha256": hashlib.sha256(
                                   exp.scenario_text.encode()).hexdigest()},
                "format": self.fmt,
                "design": {"kind": design.kind, "parameters": list(design.names),
                           "points": len(design.points), "point_params": design.points,
                           "point_names": design.point_names,
                           "matrix": None if design.matrix is None
                           else design.matrix.tolist()},
                "regimes": list(exp.regimes), "replicates": exp.replicates, "days": exp.days,
                "seed_policy": exp.seed_policy, "seed_entropy": exp.entropy,
                "first_seed": exp.first_seed, "runs_total": len(tasks),
                "seeds": {t.run_id: t.seed for t in tasks},
                "testing_fail": [list(x) for x in exp.fail],
                "created": _now(),
                "sessions": [],
            }
        m["sessions"].append({"session": self.session, "command": command,
                              "cwd": os.getcwd(), "host": platform.node(),
                              "versions": _versions(), "git": _git(),
                              "started": _now(), "ended": None})
        self._write_manifest(m)

    def end_manifest(self, **info: Any) -> None:
        with folder_lock(self.root):
            m = self.manifest()
            for s in m["sessions"]:
                if isinstance(s, dict) and s.get("session") == self.session:
                    s.update(info, ended=_now())
            self._write_manifest(m)

    # ---- the status log -------------------------------------------------------------------
    def log(self, event: str, **fields: Any) -> None:
        line = json.dumps({"time": _now(), "session": self.session, "event": event, **fields},
                          default=_jsonable)
        with open(self.root / "status.log", "a") as fh:
            fh.write(line + "\n")

    # ---- recovery -------------------------------------------------------------------------
    def _part(self, table: str, batch: str) -> Path:
        return self.root / "parts" / table / f"{batch}.{self.fmt}"

    def committed_batches(self) -> set[str]:
        return {batch_of(p) for p in (self.root / "parts" / "runs").glob(f"*.{self.fmt}")}

    def recover(self, planned: dict[str, int]) -> int:
        """Tidy after killed sweeps and damage: drop their temporary files and the parts of
        batches they never committed, set damaged batches aside, and commit the complete
        lines of journals nobody is writing. ``planned`` maps every run id of the
        experiment to its seed. Returns the number of runs recovered from journals.
        Nothing a live sweep (another shard) owns is touched."""
        with folder_lock(self.root):
            self._drop_leftovers()
            self._set_aside_damaged(planned)
            return self._replay_journals(planned)

    def _dead(self, session: str) -> bool:
        return session != self.session and not is_live(self.root, session)

    def _drop_leftovers(self) -> None:
        for tmp in [*self.root.glob("*.tmp"), *self.root.glob("parts/*/*.tmp"),
                    *self.root.glob(f"{SESSIONS}/*.tmp")]:
            owner = (tmp.name.split(".")[0] if tmp.parent.name == SESSIONS
                     else tmp_owner(tmp))
            if self._dead(owner):
                tmp.unlink(missing_ok=True)
        for stale in (self.root / SESSIONS).glob("*.json"):
            if self._dead(stale.name.removesuffix(".json")):
                stale.unlink(missing_ok=True)

    def _set_aside_damaged(self, planned: dict[str, int]) -> None:
        """Check every committed batch; move a damaged one's parts to ``damaged/`` so that
        its runs count as not stored and are computed again."""
        for batch in sorted(self.committed_batches()):
            try:
                Batch(self.root, self.fmt, batch, planned).check()
            except Damage as dmg:
                moved = self._quarantine(batch)
                note = (f"{dmg.path}: {dmg.reason}; its batch is set aside in "
                        f"{moved} and its runs will be computed again")
                self.notices.append(note)
                self.log("batch-damaged", batch=batch, file=str(dmg.path), reason=dmg.reason,
                         moved_to=str(moved))
        committed = self.committed_batches()
        for table in TABLES[1:]:  # parts of batches whose commit never happened
            for part in (self.root / "parts" / table).glob(f"*.{self.fmt}"):
                batch = batch_of(part)
                if batch not in committed and self._dead(session_of(batch)):
                    shutil.rmtree(part) if part.is_dir() else part.unlink()

    def _quarantine(self, batch: str) -> Path:
        target = self.root / DAMAGED / batch
        target.mkdir(parents=True, exist_ok=True)
        for table in TABLES[1:] + ("runs",):  # runs last: until then the batch is whole
            part = self._part(table, batch)
            if part.exists():
                shutil.move(part, target / f"{table}.{part.name}")
        return target

    def _quarantine_file(self, path: Path, reason: str) -> None:
        target = self.root / DAMAGED / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.move(path, target)
        self.notices.append(f"{path}: {reason}; set aside in {target}")
        self.log("file-damaged", file=str(path), reason=reason, moved_to=str(target))

    def _replay_journals(self, planned: dict[str, int]) -> int:
        import pyarrow as pa

        recovered = 0
        done = self.stored()
        for journal in sorted((self.root / "journal").glob("*.jsonl")):
            batch = journal.stem
            if not self._dead(session_of(batch)):
                continue  # a live sweep (another shard) is writing it
            if not journal.is_file():
                self._quarantine_file(journal, "not a file")
                continue
            with open(journal, "rb") as fh:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue
                lines = fh.read().decode("utf-8", "replace").splitlines()
            records, skipped = [], 0
            for line in lines:
                rec = _record(line, planned)
                if rec is None:
                    skipped += line.strip() != ""
                elif done.get(rec["row"]["run_id"]) != "ok":
                    records.append(rec)
            if skipped:
                self.log("journal-lines-skipped", journal=str(journal), lines=skipped)
            if records and batch not in self.committed_batches():
                records = list({r["row"]["run_id"]: r for r in records}.values())
                try:
                    self._commit(batch, records)
                except (ValueError, TypeError, pa.ArrowException) as exc:
                    # lines that read as whole but cannot be stored: their runs are
                    # computed again, rather than this resume failing every time
                    self._quarantine_file(journal, f"its runs could not be stored ({exc})")
                    continue
                recovered += len(records)
                for r in records:
                    done[r["row"]["run_id"]] = r["row"]["status"]
            journal.unlink()
        return recovered

    # ---- what is stored -------------------------------------------------------------------
    def stored(self) -> dict[str, str]:
        """run id → "ok" or "failed" for every stored run (ok wins over failed)."""
        out: dict[str, str] = {}
        for part in sorted((self.root / "parts" / "runs").glob(f"*.{self.fmt}")):
            try:
                ids, statuses = read_statuses(part)
            except Exception as exc:  # noqa: BLE001 — recovery sets such parts aside
                raise StoreError(str(Damage(batch_of(part), part, exc))
                                 + "; --resume sets it aside") from None
            for rid, status in zip(ids, statuses):
                if out.get(rid) != "ok":
                    out[rid] = status
        return out

    # ---- writing --------------------------------------------------------------------------
    def add(self, row: dict, tables: dict[str, bytes] | None = None) -> None:
        """Journal one finished run at once (it survives a kill from now on): its row and
        its kept tables, packed by the worker (:mod:`govsim.sweep.tables`)."""
        if self._journal is None:
            # created and locked in one step, so that another sweep's recovery never
            # takes the new journal for a dead one
            with folder_lock(self.root):
                self._batch = f"{self.session}-{self._seq:05d}"
                self._seq += 1
                self._journal = open(self.root / "journal" / f"{self._batch}.jsonl", "a")
                fcntl.flock(self._journal, fcntl.LOCK_EX)
        tables = tables or {}
        self._journal.write(_journal_line(row, tables))
        self._journal.flush()
        os.fsync(self._journal.fileno())
        self._pending.append({"row": row, "tables": {name: unpack(data)
                                                     for name, data in tables.items()}})

    @property
    def pending(self) -> int:
        return len(self._pending)

    def commit(self) -> None:
        """Write the batch being filled as parts and retire its journal."""
        if self._journal is None:
            return
        with folder_lock(self.root):
            self._commit(self._batch, self._pending)
            Path(self._journal.name).unlink(missing_ok=True)
        self._journal.close()
        self._journal = None
        self._pending = []

    def _commit(self, batch: str, records: list[dict]) -> None:
        """Write ``records`` (a row and Arrow tables each, see :func:`_record`) as the parts
        of ``batch``, ``runs`` last."""
        import pyarrow as pa

        counts = {"runs": len(records)}
        for table in TABLES[1:]:
            parts = [t.add_column(0, "run_id", pa.array([r["row"]["run_id"]] * t.num_rows,
                                                        pa.string()))
                     for r in records if (t := r["tables"].get(table)) is not None
                     and t.num_rows]
            counts[table] = sum(t.num_rows for t in parts)
            if parts:
                write_table(join(parts), self._part(table, batch), self.fmt, self.session)
        runs = [dict(r["row"], batch=batch, batch_rows=json.dumps(counts)) for r in records]
        write_table(arrow_table(runs), self._part("runs", batch), self.fmt, self.session)

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self._registration is not None:
            self._registration.close()
            self._registration = None

    # ---- the consolidated view ------------------------------------------------------------
    def consolidate(self) -> list[Path]:
        """Rewrite the top-level tables from the committed parts: the runs through pandas
        (deduplicated), the others straight from Arrow."""
        written = []
        with folder_lock(self.root):
            kept = kept_batches(self.root)
            if kept is None:
                return written
            batches, runs = kept
            target = self.root / f"runs.{self.fmt}"
            write_frame(runs, target, self.fmt, self.session)
            written.append(target)
            for table in TABLES[1:]:
                side = kept_rows(batches, runs, table)
                if side is not None:
                    target = self.root / f"{table}.{self.fmt}"
                    write_table(side, target, self.fmt, self.session)
                    written.append(target)
        return written


def _import_writers() -> None:
    """Import pandas and pyarrow, which every commit writes with, as the store opens.

    A sweep on the process executor opens its store while the fork server is still
    importing the model (about a second, on the other core), so their ~0.35 s delays no
    run; left to the first commit, they took that time from the workers, both busy then.
    Not at module import: ``govsim sweep`` refuses bad input before paying for them."""
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401


def _out_dir(root: str | Path) -> Path:
    try:
        return check_out_dir(root)
    except UsageError as exc:
        raise StoreError(str(exc)) from None


def _refuse_foreign(root: Path) -> None:
    """Refuse a folder that is neither a store nor one being created by another sweep (a
    shard started at the same moment holds only what ``_OWN`` names, still empty), and a
    store whose manifest is gone."""
    if not root.is_dir():
        raise StoreError(f"--out {root}: is a file; expected a folder")
    if (root / "manifest.json").exists():
        return
    held = [p for sub in ("parts", "journal") for p in (root / sub).rglob("*") if p.is_file()]
    # Each listing is checked against the manifest again: a shard started at the same
    # moment may have written its manifest (and then its log and journal) since the look.
    if held and not (root / "manifest.json").exists():
        raise StoreError(f"{root / 'manifest.json'}: missing, but the folder holds results "
                         f"({held[0].relative_to(root)}, …); expected the manifest.json that "
                         "govsim sweep writes — restore it, or sweep into a new --out")
    foreign = [p for p in root.iterdir()
               if p.name not in _OWN and not p.name.startswith("manifest.json")]
    if foreign and not (root / "manifest.json").exists():
        raise StoreError(f"--out {root}: folder exists, is not empty and has no "
                         "manifest.json; expected an empty or new folder")


def _make_folders(root: Path) -> None:
    """The store's folders (made when missing); one that is a file is named."""
    for sub in ("journal", SESSIONS, "parts", *(f"parts/{t}" for t in TABLES)):
        path = root / sub
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path}: a file where the store keeps its {sub} folder; "
                             "expected a folder — move the file aside")
        path.mkdir(exist_ok=True)
    log = root / "status.log"
    if log.exists() and not log.is_file():
        raise StoreError(f"{log}: not a file; expected the store's log — move it aside")


def _admit(root: Path, exp, fmt: str | None, resume: bool, join: bool) -> str:
    """The format of the store in ``root`` if a sweep of ``exp`` may continue it."""
    old = read_manifest(root)
    if not (resume or join):
        raise StoreError(f"--out {root}: already holds a sweep ({old['experiment']['name']}); "
                         "expected --resume to continue it, or an empty or new folder")
    if old["experiment"]["sha256"] != exp.sha256:
        raise StoreError(f"--out {root}: holds a sweep of a different experiment file (its "
                         "hash differs); expected the same file to resume, or a new folder")
    if fmt and fmt != old["format"]:
        raise StoreError(f"--format {fmt}: the store in {root} is {old['format']}; expected "
                         "the same format to resume")
    return old["format"]


def _busy(root: Path, rival) -> StoreError:
    return StoreError(f"--out {root}: another sweep is running there, {rival.describe()}; "
                      "expected it to finish first (only the shards --shard I/N of one job "
                      "array, same N, may run in one folder at once)")


def command_line() -> list[str]:
    return [Path(sys.argv[0]).name, *sys.argv[1:]]
