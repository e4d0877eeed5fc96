"""Parquet: one row per event, ACLED's columns then rearguard's, then ``evidence``.

``article_ids`` is ``list<string>`` and ``evidence`` is ``list<struct<...>>`` with one
member per ``Evidence`` field (``field``, ``text``, ``start``, ``end``, ...), so every field
survives a round trip. pyarrow is optional (the ``parquet`` extra) and imported only when
Parquet is written or read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InputError, RearguardError
from ..types import ACLED_COLUMNS, EXTRA_COLUMNS, Event
from ._common import EVIDENCE_KINDS, FIELD_KINDS, PathOrFile, event_from_dict, is_file, where

COLUMNS: tuple[str, ...] = ACLED_COLUMNS + EXTRA_COLUMNS + ("evidence",)
BATCH = 8192


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RearguardError("E140") from None
    return pa, pq


def schema() -> Any:
    """The Arrow schema of the Parquet file (needs pyarrow)."""
    pa, _ = _pyarrow()
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(),
             "bool": pa.bool_(), "ids": pa.list_(pa.string()),
             "evidence": pa.list_(pa.struct([
                 (name, pa.int64() if kind == "int" else pa.string())
                 for name, kind in EVIDENCE_KINDS.items()]))}
    return pa.schema([pa.field(name, types[FIELD_KINDS[name][0]]) for name in COLUMNS])


def write_parquet(events: Iterable[Event], out: PathOrFile) -> int:
    """Write the events to a Parquet file (a path or a binary file), in row groups of
    ``BATCH`` events. Standard output cannot take Parquet (E141)."""
    if not is_file(out) and str(out) == "-":
        raise InputError("E141")
    pa, pq = _pyarrow()
    table_schema = schema()
    sink = out if is_file(out) else os.fspath(out)  # type: ignore[arg-type]
    count = 0
    with pq.ParquetWriter(sink, table_schema) as writer:
        rows: list[dict[str, Any]] = []
        for event in events:
            rows.append(event.to_dict())
            if len(rows) >= BATCH:
                writer.write_table(pa.Table.from_pylist(rows, schema=table_schema))
                count += len(rows)
                rows = []
        if rows or not count:
            writer.write_table(pa.Table.from_pylist(rows, schema=table_schema))
            count += len(rows)
    return count


def read_parquet(source: PathOrFile) -> Iterator[Event]:
    """Events from a Parquet file written by :func:`write_parquet`, batch by batch."""
    if not is_file(source) and str(source) == "-":
        raise InputError("E141")
    _, pq = _pyarrow()
    name = where(source)
    if not is_file(source) and not os.path.exists(source):  # type: ignore[arg-type]
        raise InputError("E101", path=name)
    try:
        parquet = pq.ParquetFile(source)
    except Exception as e:  # pyarrow raises ArrowInvalid and OSError subclasses
        raise InputError("E108", path=name, detail=str(e)) from None
    number = 0
    for batch in parquet.iter_batches(batch_size=BATCH):
        for row in batch.to_pylist():
            number += 1
            yield event_from_dict(row, f"{name}: row {number}")
