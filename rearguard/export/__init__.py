"""Writers and readers for event records: ACLED-style CSV, GeoJSON (RFC 7946), JSON Lines
and Parquet, and the filters the dataset store uses.

* CSV (:mod:`.acled_csv`) starts with exactly ACLED's 31 columns in ACLED's order, then
  rearguard's own (``CSV_COLUMNS``); lists are joined with ``;``; evidence is not written.
* GeoJSON (:mod:`.geojson`) is a FeatureCollection of Points in longitude, latitude order
  with every field as a property; events without coordinates are left out of it.
* JSON Lines (:mod:`.jsonl`) is one ``Event.to_dict()`` per line.
* Parquet (:mod:`.parquet`) is one row per event; needs pyarrow (the ``parquet`` extra).

``write_events(events, fmt, out)`` takes ``out`` as a path, ``"-"`` for standard output or
an open file (text for csv/geojson/jsonl, binary for parquet) and streams: CSV, GeoJSON and
JSON Lines write event by event, Parquet in row groups. ``read_events(source, fmt)`` is the
inverse (a lazy iterator). Round trips are exact for JSON Lines and Parquet; CSV drops
evidence; GeoJSON drops events without coordinates.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ..errors import InputError
from ..types import Event
from ._common import PathOrFile, event_from_dict, is_file
from .acled_csv import CSV_COLUMNS, csv_text, read_csv, write_csv
from .deletions import DELETED_COLUMNS, write_deletions_csv, write_deletions_jsonl
from .filters import (
    check_filters,
    country_number,
    event_filter,
    filter_events,
    sync_time,
)
from .geojson import geojson_collection, geojson_feature, geojson_text, read_geojson, write_geojson
from .jsonl import read_jsonl, write_jsonl
from .parquet import read_parquet, write_parquet

FORMATS: tuple[str, ...] = ("csv", "geojson", "jsonl", "parquet")

_WRITERS: dict[str, Callable[[Iterable[Event], PathOrFile], int]] = {
    "csv": write_csv, "geojson": write_geojson, "jsonl": write_jsonl, "parquet": write_parquet,
}
_READERS: dict[str, Callable[[PathOrFile], Iterator[Event]]] = {
    "csv": read_csv, "geojson": read_geojson, "jsonl": read_jsonl, "parquet": read_parquet,
}


def _format(fmt: str) -> str:
    name = str(fmt).strip().lower()
    if name not in FORMATS:
        raise InputError("E144", fmt=fmt, known=", ".join(FORMATS))
    return name


def write_deletions(rows: Iterable[Mapping[str, Any]], fmt: str, out: PathOrFile = "-") -> int:
    """Write the deletions feed (``Store.deletions()`` rows; :mod:`.deletions`) as CSV or
    JSON Lines, with the same output rules as :func:`write_events`."""
    name = _format(fmt)
    if name not in ("csv", "jsonl"):
        raise InputError("E164", fmt=fmt)
    writer = write_deletions_csv if name == "csv" else write_deletions_jsonl
    return _write(writer, rows, out)  # type: ignore[arg-type]


def write_events(events: Iterable[Event], fmt: str, out: PathOrFile = "-") -> int:
    """Write ``events`` in ``fmt`` (one of :data:`FORMATS`) to ``out``: a path, ``"-"`` for
    standard output (not for parquet: E141) or an open file. Returns the number of records
    written (GeoJSON counts only events with coordinates).

    A path is written whole or not at all: the records go to a temporary file beside it,
    which replaces the path only when everything is written, so a failed export (a full
    disk, a store error half-way) leaves an earlier file at that path as it was. A path
    that cannot be written (its folder missing, a folder, no permission, no space) is one
    InputError E145; so is standard output that cannot be written (but not a closed pipe:
    BrokenPipeError is left to the caller)."""
    return _write(_WRITERS[_format(fmt)], events, out)


def _write(writer: Callable[[Iterable[Any], PathOrFile], int], events: Iterable[Any],
           out: PathOrFile) -> int:
    if is_file(out):
        return writer(events, out)
    if str(out) == "-":
        try:
            return writer(events, out)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise InputError("E145", path="standard output", detail=_reason(e)) from None
    return _write_path(writer, events, os.fspath(out))  # type: ignore[arg-type]


def _reason(error: OSError) -> str:
    return error.strerror or " ".join(str(error).split()) or type(error).__name__


def _write_path(writer: Callable[[Iterable[Any], PathOrFile], int],
                events: Iterable[Any], path: str) -> int:
    real = os.path.realpath(path)  # a symbolic link's target is replaced, not the link
    if os.path.isdir(real):
        raise InputError("E145", path=path, detail="it is a folder")
    folder = os.path.dirname(real)
    if not os.path.isdir(folder):
        raise InputError("E145", path=path, detail=f"the folder {folder} does not exist")
    if os.path.exists(real) and not stat.S_ISREG(os.stat(real).st_mode):
        try:  # a device or a named pipe (/dev/stdout, a FIFO): written as it is
            return writer(events, path)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise InputError("E145", path=path, detail=_reason(e)) from None
    temporary = os.path.join(folder, f".{os.path.basename(real)}.{secrets.token_hex(4)}.part")
    try:
        count = writer(events, temporary)
        os.replace(temporary, real)
    except OSError as e:
        raise InputError("E145", path=path, detail=_reason(e)) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return count


def read_events(source: PathOrFile, fmt: str) -> Iterator[Event]:
    """The events of a file written by :func:`write_events` (a path, ``"-"`` for standard
    input except parquet, or an open file). Events read from CSV have no evidence."""
    return _READERS[_format(fmt)](source)


__all__ = [
    "CSV_COLUMNS",
    "DELETED_COLUMNS",
    "FORMATS",
    "check_filters",
    "country_number",
    "csv_text",
    "event_filter",
    "event_from_dict",
    "filter_events",
    "geojson_collection",
    "geojson_feature",
    "geojson_text",
    "read_csv",
    "read_events",
    "read_geojson",
    "read_jsonl",
    "read_parquet",
    "sync_time",
    "write_csv",
    "write_deletions",
    "write_events",
    "write_geojson",
    "write_jsonl",
    "write_parquet",
]
