"""The result store: a folder that knows which runs are done and never loses one.

Layout of ``--out DIR``::

    manifest.json        what was run, from what, with what software, by which commands
    status.log           append-only, one JSON object per line: sweep starts and ends,
                         every run done or failed
    journal/B.jsonl      write-ahead journal of the batch B being filled: one line per
                         finished run, written the moment its result arrives
    parts/runs/B.*       committed batches (Parquet or CSV): one row per run
    parts/daily/B.*      … daily series, dispute tables, event logs, when asked
    runs.parquet         the whole table, rewritten from the parts at the end of a sweep
    daily.parquet …      (``.csv`` with ``--format csv``)

    .lock                held (``flock``) while the folder's shared state changes

A batch is committed by writing its parts to temporary names, renaming them into place
(``runs`` last: that rename is the commit) and deleting its journal. A sweep killed at any
moment therefore leaves committed batches, at most one journal whose complete lines are
recovered on ``--resume``, and temporary files that are deleted; only runs that were still
computing are lost. Journal lines and parts are ``fsync``-ed, so this holds for a machine
that loses power too. The parts are the truth; the top-level tables are a convenience view.

Several sweeps may share a folder at once (the shards of a job array): whatever reads or
changes shared state — the manifest, a new journal, a commit, recovery, the top-level
tables — does so holding ``.lock``, and each sweep journals and commits under its own
session's names.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import platform
import subprocess
import sys
import uuid
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: ``govsim sweep`` starts without pandas
    import pandas as pd

TABLES = ("runs", "daily", "disputes", "events")
LOCK = ".lock"
FORMATS = ("parquet", "csv")
_VERSIONED = ("mesa", "numpy", "scipy", "pandas", "pyarrow", "networkx", "SALib", "tqdm",
              "dask", "distributed")


class StoreError(Exception):
    """A result folder that cannot be used for this sweep."""


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
    root = Path(__file__).resolve().parents[2]
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


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _durable_replace(tmp: Path, path: Path) -> None:
    """Rename a fully written temporary file into place so that it survives a crash: its
    data reaches the disk before the rename, and the rename before we go on."""
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _tmp_name(path: Path) -> Path:
    """A temporary name no other process writes to (sweeps may share the folder)."""
    return path.with_name(f"{path.name}.{os.getpid()}.tmp")


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = _tmp_name(path)
    tmp.write_text(text)
    _durable_replace(tmp, path)


def _write_frame(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    tmp = _tmp_name(path)
    if fmt == "parquet":
        frame.to_parquet(tmp, index=False)
    else:
        frame.to_csv(tmp, index=False)
    _durable_replace(tmp, path)


@contextlib.contextmanager
def _locked(root: Path):
    """Hold the folder's lock: one sweep at a time changes its shared state."""
    with open(root / LOCK, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read_frame(path: Path) -> pd.DataFrame:
    import pandas as pd

    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return str(value)


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

    # ---- opening --------------------------------------------------------------------------
    @classmethod
    def open(cls, root: str | Path, exp, design, tasks, command: list[str],
             fmt: str | None = None, resume: bool = False, join: bool = False
             ) -> "ResultStore":
        """Open ``root`` for a sweep of ``exp`` and record this session in its manifest.

        A folder holding results is reused only with ``resume`` — or ``join``, for the
        shards of one experiment, which may start at the same moment — and only for the
        same experiment (and format): mixing two experiments' runs would silently corrupt
        both. A folder with other files in it is never written to."""
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise StoreError(f"--out {root}: is a file; expected a folder")

        def foreign() -> bool:
            """Anything but what a store being created by another sweep (a shard started
            at the same moment) holds before its manifest appears."""
            return any(p.name not in (LOCK, "journal", "parts")
                       and not p.name.startswith("manifest.json.") for p in root.iterdir())

        if root.exists() and not (root / "manifest.json").exists() and foreign():
            raise StoreError(f"--out {root}: folder exists, is not empty and has no "
                             "manifest.json; expected an empty or new folder")
        root.mkdir(parents=True, exist_ok=True)
        with _locked(root):
            manifest = root / "manifest.json"
            if manifest.exists():
                old = json.loads(manifest.read_text())
                if not (resume or join):
                    raise StoreError(f"--out {root}: already holds a sweep "
                                     f"({old['experiment']['name']}); expected --resume to "
                                     "continue it, or an empty or new folder")
                if old["experiment"]["sha256"] != exp.sha256:
                    raise StoreError(f"--out {root}: holds a sweep of a different "
                                     "experiment file (its hash differs); expected the same "
                                     "file to resume, or a new folder")
                if fmt and fmt != old["format"]:
                    raise StoreError(f"--format {fmt}: the store in {root} is "
                                     f"{old['format']}; expected the same format to resume")
                fmt = old["format"]
            elif foreign():  # appeared since the first look
                raise StoreError(f"--out {root}: folder is not empty and has no "
                                 "manifest.json; expected an empty or new folder")
            store = cls(root, fmt or "parquet")
            for sub in ("journal", *(f"parts/{t}" for t in TABLES)):
                (root / sub).mkdir(parents=True, exist_ok=True)
            store._start_manifest(exp, design, tasks, command)
        return store

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def manifest(self) -> dict:
        p = self.manifest_path
        return json.loads(p.read_text()) if p.exists() else {}

    def _write_manifest(self, data: dict) -> None:
        _atomic_write_text(self.manifest_path, json.dumps(data, indent=2, default=_jsonable))

    def _start_manifest(self, exp, design, tasks, command: list[str]) -> None:
        m = self.manifest()
        if not m:
            m = {
                "experiment": {"name": exp.name, "title": exp.title, "path": str(exp.path),
                               "sha256": exp.sha256, "text": exp.text,
                               "scenario": str(exp.scenario.path),
                               "scenario_sha256": hashlib.sha256(
                                   exp.scenario_text.encode()).hexdigest()},
                "format": self.fmt,
                "design": {"kind": design.kind, "parameters": list(design.names),
                           "points": len(design.points), "point_params": design.points,
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
        with _locked(self.root):
            m = self.manifest()
            for s in m.get("sessions", []):
                if s["session"] == self.session:
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
        return {p.name.split(".")[0] for p in (self.root / "parts" / "runs").glob(
            f"*.{self.fmt}")}

    def recover(self) -> int:
        """Tidy after a killed sweep: drop temporary files and parts of uncommitted
        batches, and commit the complete lines of journals nobody is writing. Returns the
        number of runs recovered from journals. (Under the lock: a live sweep sharing the
        folder writes its temporary files and parts holding it too, so what is found here
        was left by a dead one.)"""
        with _locked(self.root):
            return self._recover()

    def _recover(self) -> int:
        for tmp in [*self.root.glob("*.tmp"), *self.root.glob("parts/*/*.tmp")]:
            tmp.unlink(missing_ok=True)
        recovered = 0
        done = self.stored()
        for journal in sorted((self.root / "journal").glob("*.jsonl")):
            batch = journal.stem
            with open(journal, "r+") as fh:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live sweep (another shard) is writing it
                records = []
                for line in fh.read().splitlines():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError:
                        break  # the line being written when the sweep died
                if batch not in self.committed_batches():
                    records = [r for r in records if done.get(r["row"]["run_id"]) != "ok"]
                    if records:
                        self._commit(batch, records)
                        recovered += len(records)
                        for r in records:
                            done[r["row"]["run_id"]] = r["row"]["status"]
            journal.unlink()
        committed = self.committed_batches()
        for table in TABLES[1:]:
            for part in (self.root / "parts" / table).glob(f"*.{self.fmt}"):
                if part.name.split(".")[0] not in committed:
                    part.unlink()
        return recovered

    # ---- what is stored -------------------------------------------------------------------
    def stored(self) -> dict[str, str]:
        """run id → "ok" or "failed" for every stored run (ok wins over failed)."""
        out: dict[str, str] = {}
        for part in sorted((self.root / "parts" / "runs").glob(f"*.{self.fmt}")):
            frame = _read_frame(part)
            for rid, status in zip(frame["run_id"], frame["status"]):
                if out.get(rid) != "ok":
                    out[rid] = status
        return out

    # ---- writing --------------------------------------------------------------------------
    def add(self, row: dict, daily=None, disputes=None, events=None) -> None:
        """Journal one finished run at once (it survives a kill from now on)."""
        if self._journal is None:
            # created and locked in one step, so that another sweep's recovery never
            # takes the new journal for a dead one
            with _locked(self.root):
                self._batch = f"{self.session}-{self._seq:05d}"
                self._seq += 1
                self._journal = open(self.root / "journal" / f"{self._batch}.jsonl", "a")
                fcntl.flock(self._journal, fcntl.LOCK_EX)
        record = {"row": row, "daily": daily, "disputes": disputes, "events": events}
        self._journal.write(json.dumps(record, default=_jsonable) + "\n")
        self._journal.flush()
        os.fsync(self._journal.fileno())
        self._pending.append(record)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def commit(self) -> None:
        """Write the batch being filled as parts and retire its journal."""
        if self._journal is None:
            return
        with _locked(self.root):
            self._commit(self._batch, self._pending)
            Path(self._journal.name).unlink()
        self._journal.close()
        self._journal = None
        self._pending = []

    def _commit(self, batch: str, records: list[dict]) -> None:
        import pandas as pd

        for table in TABLES[1:]:
            rows = [dict(run_id=r["row"]["run_id"], **x)
                    for r in records for x in (r[table] or [])]
            if rows:
                _write_frame(pd.DataFrame(rows), self._part(table, batch), self.fmt)
        runs = pd.DataFrame([dict(r["row"], batch=batch) for r in records])
        _write_frame(runs, self._part("runs", batch), self.fmt)

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    # ---- the consolidated view ------------------------------------------------------------
    def consolidate(self) -> list[Path]:
        """Rewrite the top-level tables from the committed parts."""
        written = []
        with _locked(self.root):
            for table in TABLES:
                frame = read_table(self.root, table)
                target = self.root / f"{table}.{self.fmt}"
                if frame is None:
                    continue
                _write_frame(frame, target, self.fmt)
                written.append(target)
        return written


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Parts written in different batches may disagree on a column's type (a metric that
    is undefined in every run of one batch comes back as objects): make numbers numbers."""
    import pandas as pd

    for col in frame.columns[frame.dtypes == object]:
        vals = frame[col].dropna()
        if len(vals) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                             for v in vals):
            frame[col] = pd.to_numeric(frame[col])
    return frame


def read_table(root: str | Path, table: str = "runs") -> pd.DataFrame | None:
    """One table of a store, from its committed parts: runs deduplicated by run id (an
    ``ok`` row wins over ``failed`` ones, then the latest), other tables restricted to
    the rows of the runs kept."""
    import pandas as pd

    root = Path(root)
    m = json.loads((root / "manifest.json").read_text())
    fmt = m["format"]
    runs_parts = sorted((root / "parts" / "runs").glob(f"*.{fmt}"))
    if not runs_parts:
        return None
    runs = _tidy(pd.concat([_read_frame(p) for p in runs_parts], ignore_index=True))
    runs["_ok"] = runs["status"] == "ok"
    runs = (runs.sort_values(["_ok", "finished_at"], kind="stable")
            .drop_duplicates("run_id", keep="last").drop(columns="_ok"))
    runs = runs.sort_values(["point", "replicate", "regime"], kind="stable")
    runs = runs.reset_index(drop=True)
    if table == "runs":
        return runs
    committed = {p.name.split(".")[0] for p in runs_parts}
    keep = dict(zip(runs["run_id"], runs["batch"]))
    parts = [p for p in sorted((root / "parts" / table).glob(f"*.{fmt}"))
             if p.name.split(".")[0] in committed]
    if not parts:
        return None
    frames = []
    for p in parts:
        f = _read_frame(p)
        batch = p.name.split(".")[0]
        frames.append(f[f["run_id"].map(keep) == batch])
    return _tidy(pd.concat(frames, ignore_index=True))


def command_line() -> list[str]:
    return [Path(sys.argv[0]).name, *sys.argv[1:]]
