"""ACLED-style CSV: exactly ACLED's 31 columns in ACLED's order, then rearguard's own.

Lists (``article_ids``) are joined with ``;``, booleans are ``true``/``false`` and None is an
empty cell. Evidence is not written (it is nested; use JSON Lines, GeoJSON or Parquet to
keep it), so events read back from CSV have no evidence. Reading restores the types: ints,
floats, booleans, and None for empty optional cells. Two things do not survive a CSV round
trip: an ``event_date`` of ``""`` comes back as None, and an article id containing ``;``
(or an empty id) is split differently.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from ..errors import InputError
from ..types import ACLED_COLUMNS, EXTRA_COLUMNS, Event
from ._common import FIELD_KINDS, REQUIRED, PathOrFile, text_input, text_output, where

CSV_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + EXTRA_COLUMNS
_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return value


def _writer(stream: Any, quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL) -> Any:
    return csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\n",
                          quoting=quoting)


def _has_cr(row: dict[str, Any]) -> bool:
    return any(isinstance(v, str) and "\r" in v for v in row.values())


def csv_text(events: Iterable[Event], *, header: bool = True) -> str:
    """The events as CSV text (ACLED's columns first)."""
    out = io.StringIO()
    write_csv(events, out, header=header)
    return out.getvalue()


def write_csv(events: Iterable[Event], out: PathOrFile, *, header: bool = True) -> int:
    """Write the events as CSV to a path, ``"-"`` or a text file, one row at a time.
    Returns the number of rows written."""
    count = 0
    with text_output(out) as stream:
        writer = _writer(stream)
        # With "\n" line ends the csv module leaves a lone "\r" unquoted, which no reader
        # can read back; the rare row holding one is written with every cell quoted.
        quoted = _writer(stream, csv.QUOTE_ALL)
        if header:
            writer.writeheader()
        for event in events:
            row = {k: _cell(v) for k, v in event.row().items()}
            (quoted if _has_cr(row) else writer).writerow(row)
            count += 1
    return count


def read_csv(source: PathOrFile) -> Iterator[Event]:
    """Events from CSV written by :func:`write_csv` (or any CSV with at least the required
    ACLED columns; columns rearguard does not know are ignored). Evidence comes back empty."""
    name = where(source)
    with text_input(source) as stream:
        reader = csv.DictReader(stream)
        columns = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise InputError("E106", where=name,
                             detail=f"CSV header lacks column(s): {', '.join(missing)}")
        for row in reader:
            yield _event_from_row(row, f"{name}:{reader.line_num}")


def _event_from_row(row: dict[str, str | None], place: str) -> Event:
    values: dict[str, Any] = {}
    for column, text in row.items():
        if column not in FIELD_KINDS or column == "evidence" or text is None:
            continue
        kind, optional = FIELD_KINDS[column]
        try:
            value = _parse(text, kind, optional)
        except ValueError as e:
            raise InputError("E106", where=place,
                             detail=f"column {column!r}: {text!r} is not usable ({e})") from None
        if value is not _DEFAULT:
            values[column] = value
    try:
        return Event(**values)
    except TypeError as e:  # a required cell was empty
        raise InputError("E106", where=place, detail=str(e)) from None


_DEFAULT = object()


def _parse(text: str, kind: str, optional: bool) -> Any:
    if kind == "str":
        return None if optional and text == "" else text
    if kind == "ids":
        return tuple(text.split(";")) if text else ()
    if text.strip() == "":
        return None if optional else _DEFAULT
    if kind == "bool":
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError("expected true or false")
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            number = float(text)
            if not number.is_integer():
                raise ValueError("expected an integer") from None
            return int(number)
    return float(text)
