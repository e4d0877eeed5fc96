"""Events as JSON, CSV (ACLED's 31 columns first), GeoJSON and NDJSON, page by page or
streamed in batches for a bulk export."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..export import CSV_COLUMNS, geojson_feature
from ..types import Event

FORMATS = ("json", "csv", "geojson", "ndjson")
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "ndjson": "application/x-ndjson",
}


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def event_record(event: Event, fields: Sequence[str] | None) -> dict[str, Any]:
    data = event.to_dict()
    if fields:
        return {name: _clean(data[name]) for name in fields}
    return {name: _clean(value) for name, value in data.items()}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return value


def csv_chunk(events: Iterable[Event], fields: Sequence[str] | None, *, header: bool) -> str:
    """CSV rows: every column (ACLED's 31 first, then rearguard's; evidence is not a CSV
    column) or the ``fields`` asked for, in that order. A cell holding a carriage return
    gets every cell of its row quoted, so the file reads back."""
    columns = [f for f in fields if f != "evidence"] if fields else list(CSV_COLUMNS)
    out = io.StringIO()
    plain = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    quoted = csv.DictWriter(out, fieldnames=columns, lineterminator="\n",
                            extrasaction="ignore", quoting=csv.QUOTE_ALL)
    if header:
        plain.writeheader()
    for event in events:
        data = event.to_dict()
        row = {c: _cell(data[c]) for c in columns}
        has_cr = any(isinstance(v, str) and "\r" in v for v in row.values())
        (quoted if has_cr else plain).writerow(row)
    return out.getvalue()


def feature(event: Event, fields: Sequence[str] | None) -> dict[str, Any] | None:
    found = geojson_feature(event)
    if found is not None and fields:
        found["properties"] = {k: found["properties"][k] for k in fields}
    return found


def render_page(fmt: str, events: list[Event], fields: Sequence[str] | None,
                meta: dict[str, Any]) -> str:
    """One page: JSON ``{meta..., "events": [...]}``, a GeoJSON FeatureCollection with the
    meta as foreign members, CSV with a header, or NDJSON lines."""
    if fmt == "csv":
        return csv_chunk(events, fields, header=True)
    if fmt == "ndjson":
        return "".join(dumps(event_record(e, fields)) + "\n" for e in events)
    if fmt == "geojson":
        features = [f for f in (feature(e, fields) for e in events) if f is not None]
        return dumps({"type": "FeatureCollection", **meta, "features": features})
    return dumps({**meta, "events": [event_record(e, fields) for e in events]})


def stream(fmt: str, batches: Iterator[list[Event]], fields: Sequence[str] | None
           ) -> Iterator[str]:
    """A whole export, one batch at a time (nothing but a batch is held in memory)."""
    if fmt == "json":
        yield '{"events":['
    elif fmt == "geojson":
        yield '{"type":"FeatureCollection","features":['
    first = True
    for batch in batches:
        if fmt == "csv":
            yield csv_chunk(batch, fields, header=first)
            first = False
        elif fmt == "ndjson":
            yield "".join(dumps(event_record(e, fields)) + "\n" for e in batch)
        else:
            items = ([dumps(event_record(e, fields)) for e in batch] if fmt == "json" else
                     [dumps(f) for f in (feature(e, fields) for e in batch) if f is not None])
            if items:
                yield ("" if first else ",") + ",".join(items)
                first = False
    if fmt == "csv" and first:
        yield csv_chunk([], fields, header=True)
    if fmt in ("json", "geojson"):
        yield "]}\n"
