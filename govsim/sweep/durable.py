"""The result store's whole files — parts, consolidated tables, the manifest — written
so that no crash leaves half of one.

Each is written whole under a temporary name that says which sweep (session) owns it,
then ``fsync``-ed and renamed into place, and the rename ``fsync``-ed too: the file is
either there, complete, or not there, even after a power loss. Recovery deletes temporary
files whose owner is dead (:func:`tmp_owner`). (The journal and ``status.log`` are
appended to instead, a line at a time; a torn last line is skipped when read back.)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: ``govsim sweep`` starts without pandas
    import pandas as pd
    import pyarrow as pa


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


def _tmp_name(path: Path, owner: str) -> Path:
    """A temporary name no other sweep writes to; ``owner`` (a session) tells recovery
    whether its writer is still alive."""
    return path.with_name(f"{path.name}.{owner}.tmp")


def tmp_owner(tmp: Path) -> str:
    return tmp.name.removesuffix(".tmp").rsplit(".", 1)[-1]


def _durable_write(path: Path, owner: str, write: Callable[[Path], object]) -> None:
    """``write(tmp)`` a whole file under a temporary name, then put it in place durably."""
    tmp = _tmp_name(path, owner)
    write(tmp)
    _durable_replace(tmp, path)


def write_text(path: Path, text: str, owner: str) -> None:
    _durable_write(path, owner, lambda tmp: tmp.write_text(text))


def write_frame(frame: pd.DataFrame, path: Path, fmt: str, owner: str) -> None:
    _durable_write(path, owner, partial(frame.to_parquet if fmt == "parquet" else
                                        frame.to_csv, index=False))


def write_table(table: pa.Table, path: Path, fmt: str, owner: str) -> None:
    """Write an Arrow table as a part: Parquet straight from Arrow, CSV through pandas (its
    CSV is what the store has always written)."""
    if fmt != "parquet":
        write_frame(table.to_pandas(), path, fmt, owner)
        return
    import pyarrow.parquet as pq

    _durable_write(path, owner, partial(pq.write_table, table))
