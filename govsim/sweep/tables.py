"""A run's kept tables (daily series, disputes, events) on their way from a worker to the
store: Arrow tables, packed in Arrow's IPC stream format.

The worker turns its records into columns and packs them, in parallel with the other
workers; the sweep's own process then journals bytes and joins tables at each commit. It
used to receive lists of dicts, encode every cell as JSON for the journal and rebuild every
row at the commit — about 4 ms of its CPU per run of the parking case with daily series and
disputes kept, taken from the workers whenever they use every core.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa


def arrow_table(rows: list[dict]) -> pa.Table:
    """Records as a table: columns in order of first appearance, a key a record lacks a
    null. Arrow types each column itself; a column it cannot type alone (a huge integer
    beside a fraction) is typed by pandas, as every table once was — a whole number beside
    a fraction is a float — and what cannot be one column is Arrow's error."""
    import pyarrow as pa

    names = dict.fromkeys(key for row in rows for key in row)
    try:
        return pa.table({name: pa.array([row.get(name) for row in rows]) for name in names})
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        import pandas as pd

        return pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False)


def join(parts: list[pa.Table]) -> pa.Table:
    """Tables of several runs as one, columns matched by name, a column missing from a run
    null there, a column all null in a run taking the others' type. Where runs disagree
    otherwise — integers in one, fractions in another — their records are joined the way
    every batch once was, as one pandas frame: a whole number beside a fraction becomes a
    float; what cannot share a column (text beside numbers, a flag beside a count) is an
    error, not a silent conversion. (Rare, so the slow way is fine.)"""
    import pyarrow as pa

    try:
        return pa.concat_tables(parts, promote_options="default")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return arrow_table([row for part in parts for row in part.to_pylist()])


def pack(table: pa.Table) -> bytes:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def unpack(data: bytes) -> pa.Table:
    """The table :func:`pack` made, from bytes this process was just handed."""
    import pyarrow as pa

    return pa.ipc.open_stream(data).read_all()


def as_text(data: bytes) -> str:
    """Packed bytes as text, for a JSON journal line."""
    return base64.b64encode(data).decode("ascii")


def from_text(text: str) -> pa.Table:
    """The table :func:`as_text` wrote, checked in full: Arrow's reader alone accepts many
    damaged streams, whose tables then fail, or crash the process, when written. Anything
    else raises ``ValueError``, ``OSError`` or another of Arrow's errors."""
    table = unpack(base64.b64decode(text.encode("ascii"), validate=True))
    table.validate(full=True)
    return table
