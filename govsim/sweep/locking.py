"""Who may change a result folder, and who is computing in it.

Two mechanisms, for two questions:

- :func:`folder_lock` — ``.lock``, held (``flock``) for the short moments a sweep changes
  shared state (manifest, a new journal, a commit, recovery). After taking it, the lock
  checks that the file it locked is still the one at ``.lock`` (deleted or replaced in the
  meantime: it takes the new one), so a deleted lock file cannot let two holders in at once.
- :class:`Session` — ``sessions/<id>.json``, one file per live sweep, written and locked
  before the sweep computes anything and held until it ends. A file whose lock can be taken
  belongs to a dead sweep. It answers "who is running here?" without ``.lock``: a sweep
  registers first and looks for rivals second, so of two sweeps starting at the same moment
  at least one sees the other, even if ``.lock`` was deleted. Two sweeps of one folder
  therefore never compute the same run.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path

LOCK = ".lock"
SESSIONS = "sessions"


@contextlib.contextmanager
def folder_lock(root: Path):
    """Hold the folder's lock: one sweep at a time changes its shared state."""
    path = root / LOCK
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            held = os.fstat(fd)
            try:
                now = os.stat(path)
            except FileNotFoundError:
                now = None
        except BaseException:
            os.close(fd)
            raise
        if now is not None and (now.st_ino, now.st_dev) == (held.st_ino, held.st_dev):
            break
        os.close(fd)  # the file was deleted or replaced while we waited: lock the new one
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@dataclass(frozen=True)
class Rival:
    """Another live sweep in the folder, as its session file describes it."""

    session: str
    info: dict

    @property
    def shard(self) -> tuple[int, int] | None:
        s = self.info.get("shard")
        return (int(s[0]), int(s[1])) if isinstance(s, list) and len(s) == 2 else None

    def describe(self) -> str:
        what = (f"shard {self.shard[0]}/{self.shard[1]}" if self.shard
                else "the whole experiment")
        return (f"session {self.session} (pid {self.info.get('pid', '?')} on "
                f"{self.info.get('host', '?')}, started {self.info.get('started', '?')}, "
                f"{what})")


def overlaps(mine: tuple[int, int] | None, theirs: tuple[int, int] | None) -> bool:
    """Whether two sweeps may compute a run in common: shards of one job array (same N,
    different I) never do; anything else may."""
    if mine is None or theirs is None:
        return True
    return mine[1] != theirs[1] or mine[0] == theirs[0]


class Session:
    """This sweep's entry in ``sessions/``, locked from :meth:`register` to :meth:`close`."""

    def __init__(self, root: Path, session: str, info: dict) -> None:
        self.folder = root / SESSIONS
        self.session = session
        self.info = info
        self._fd: int | None = None

    @property
    def path(self) -> Path:
        return self.folder / f"{self.session}.json"

    def register(self) -> None:
        """Write and lock the session file under a temporary name, then rename it into
        place: nobody ever sees it unlocked and takes it for a dead sweep's."""
        self.folder.mkdir(exist_ok=True)
        tmp = self.folder / f"{self.session}.json.tmp"
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.write(fd, json.dumps(self.info).encode())
            os.fsync(fd)
            os.replace(tmp, self.path)
        except BaseException:
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        self._fd = fd

    def rivals(self) -> list[Rival]:
        return [r for r in live_sessions(self.folder.parent) if r.session != self.session]

    def close(self) -> None:
        if self._fd is not None:
            self.path.unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None


def live_sessions(root: Path, tidy: bool = False) -> list[Rival]:
    """The sweeps alive in ``root`` now; with ``tidy``, dead sweeps' files are removed."""
    out = []
    folder = root / SESSIONS
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        alive, info = _probe(path)
        if alive:
            out.append(Rival(path.name.removesuffix(".json"), info))
        elif tidy:
            path.unlink(missing_ok=True)
    return out


def is_live(root: Path, session: str) -> bool:
    return _probe(root / SESSIONS / f"{session}.json")[0]


def _probe(path: Path) -> tuple[bool, dict]:
    """(whether a live sweep holds the session file, what it says about itself)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False, {}
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            alive = True
        else:
            alive = False
            fcntl.flock(fd, fcntl.LOCK_UN)
        try:
            info = json.loads(os.read(fd, 65536) or b"{}")
        except ValueError:
            info = {}
        return alive, info if isinstance(info, dict) else {}
    finally:
        os.close(fd)
