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
    null. Arrow types each column itself; a column it cannot type alone (mixed kinds, such
    as a huge integer beside a fraction) goes through pandas, as every table once did."""
    import pyarrow as pa

    names = dict.fromkeys(key for row in rows for key in row)
    try:
        return pa.table({name: pa.array([row.get(name) for row in rows]) for name in names})
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        import pandas as pd

        return pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False)


def pack(table: pa.Table) -> bytes:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def unpack(data: bytes) -> pa.Table:
    import pyarrow as pa

    return pa.ipc.open_stream(data).read_all()


def as_text(data: bytes) -> str:
    """Packed bytes as text, for a JSON journal line."""
    return base64.b64encode(data).decode("ascii")


def from_text(text: str) -> pa.Table:
    """The table :func:`as_text` wrote; ``ValueError`` (or Arrow's) if it is not one."""
    return unpack(base64.b64decode(text.encode("ascii"), validate=True))


def join(parts: list[pa.Table]) -> pa.Table:
    """Tables of several runs as one: columns matched by name, a column missing from a run
    null there, types widened where runs differ (int with float, null with text); columns
    whose types cannot be reconciled go through pandas."""
    import pyarrow as pa

    try:
        return pa.concat_tables(parts, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        import pandas as pd

        frame = pd.concat([p.to_pandas() for p in parts], ignore_index=True)
        return pa.Table.from_pandas(frame, preserve_index=False)
