"""Input problems: the errors, the caps on sizes and the checks every command shares.

Whatever a user hands ``govsim`` — a scenario or experiment file, a command-line argument,
an output folder, a result store — is checked before any run starts. A problem is raised as
a :class:`UsageError` (or a subclass) whose message names the file or flag, the key, the
value and what was expected; :func:`govsim.cli.main` prints it once and exits with status
2. The helpers below are the one place each check lives, so that the same mistake gets the
same words from every command.
"""

from __future__ import annotations

import errno
import os
import reprlib
import tomllib
from pathlib import Path

# ---- sizes a user may ask for (stated in --help and the README) -----------------------------
MAX_INPUT_BYTES = 4 * 2**20  # a scenario or experiment file; the shipped ones are ~20 kB
MAX_SEEDS = 10_000  # --seeds of govsim run / facts / replay
MAX_WORKERS_PER_CORE = 4  # --workers: at most 4 × this machine's cores


class UsageError(Exception):
    """Bad input from the user: printed as one message, exit status 2."""


class InputFileError(UsageError, ValueError):
    """A scenario or experiment file that cannot be used; ``messages`` lists every problem
    found, each naming the key, the value and what was expected."""

    prefix = ""  # e.g. "invalid experiment ", put before the file's name

    def __init__(self, source: str, messages: list[str]) -> None:
        self.source = source
        self.messages = list(dict.fromkeys(messages))  # one problem, one line
        super().__init__(f"{self.prefix}{source}:\n"
                         + "\n".join(f"  - {m}" for m in self.messages))


_repr = reprlib.Repr(maxstring=60, maxother=60, maxlist=6, maxdict=4, maxlevel=2)


def show(value: object) -> str:
    """``repr(value)`` short enough for one line of a message (a value read from a file
    may be a megabyte of text or nested a thousand levels deep)."""
    return _repr.repr(value)


def read_input(path: str | Path, error: type[InputFileError]) -> str:
    """The text of an input file a person wrote, or ``error`` naming the file and why not:
    missing, not a regular file (``/dev/zero`` would never end), larger than
    :data:`MAX_INPUT_BYTES`, unreadable or not UTF-8."""
    path = Path(path)
    source = str(path)
    try:
        if not path.exists():
            raise error(source, ["no such file"])
        if not path.is_file():
            raise error(source, ["not a regular file; expected a TOML file"])
        with path.open("rb") as fh:
            data = fh.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise error(source, [f"cannot read it: {exc.strerror or exc}"]) from None
    if len(data) > MAX_INPUT_BYTES:
        raise error(source, [f"larger than {MAX_INPUT_BYTES // 2**20} MiB; expected a "
                             "TOML file a person wrote"])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(source, [f"not UTF-8 text (byte {exc.start}: {exc.reason}); expected "
                             "a TOML file saved as UTF-8"]) from None


def parse_toml(text: str, source: str, error: type[InputFileError]) -> dict:
    """Parse TOML text; invalid or absurdly nested text is ``error`` naming ``source``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(source, [f"not valid TOML: {exc}"]) from None
    except RecursionError:
        raise error(source, ["not usable TOML: arrays or tables nested too deeply"]) from None


def int_problem(where: str, value: object, low: int, high: int) -> str | None:
    """What is wrong with ``value`` as a whole number in [low, high], or ``None``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        said = f"{where} {value}" if where.startswith("--") else f"{where} = {show(value)}"
        return f"{said}: expected a whole number from {low:,} to {high:,}"
    return None


def require_int(where: str, value: int | None, low: int, high: int) -> None:
    """A command-line number in [low, high] (``None``: not given, nothing to check)."""
    if value is not None and (problem := int_problem(where, value, low, high)):
        raise UsageError(problem)


def max_workers() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    return MAX_WORKERS_PER_CORE * cores


def check_workers(value: int | None) -> None:
    require_int("--workers", value, 1, max_workers())


def check_out_dir(path: str | Path, flag: str = "--out", create: bool = False) -> Path:
    """The folder results go to, resolved (so that what is reported is where they go),
    checked before any run starts: a folder, or one that can be made, that this process
    may write in. ``create`` makes it now (the surest check: a read-only mount, ``/proc``
    or a full disk fail here, not after the runs)."""
    try:
        target = _checked_folder(Path(path).expanduser().resolve(), flag, path)
        if create:
            target.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError, RuntimeError) as exc:  # a NUL byte; a symlink loop
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"{flag} {path}: cannot use it as a folder ({reason}); expected a "
                         "folder you may write in") from None
    return target


def _checked_folder(target: Path, flag: str, given: str | Path) -> Path:
    if target.exists():
        if not target.is_dir():
            raise UsageError(f"{flag} {given}: is a file; expected a folder")
        _check_writable(target, flag, given)
        return target
    ancestor = target.parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise UsageError(f"{flag} {given}: {ancestor} is a file, so no folder can be made "
                         "under it; expected a folder path")
    _check_writable(ancestor, flag, given)
    return target


def _check_writable(folder: Path, flag: str, given: str | Path) -> None:
    readonly = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    if readonly or not os.access(folder, os.W_OK | os.X_OK):
        reason = os.strerror(errno.EROFS if readonly else errno.EACCES)
        raise UsageError(f"{flag} {given}: cannot write in {folder} ({reason}); expected "
                         "a folder you may write in")
