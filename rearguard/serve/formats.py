"""Events as JSON, CSV (ACLED's 31 columns first), GeoJSON and NDJSON, page by page or
streamed in batches for a bulk export."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..export import CSV_COLUMNS
from ..types import Event, Evidence

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


_EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))
_EVIDENCE_FIELDS = tuple(f.name for f in dataclasses.fields(Evidence))


def as_dict(event: Event) -> dict[str, Any]:
    """``Event.to_dict()`` without ``dataclasses.asdict``'s deep copies (which took four
    fifths of a page's time): the same keys, order and values."""
    data = {name: getattr(event, name) for name in _EVENT_FIELDS}
    data["article_ids"] = list(event.article_ids)
    data["evidence"] = [{name: getattr(item, name) for name in _EVIDENCE_FIELDS}
                        for item in event.evidence]
    return data


_SCALARS = tuple(n for n in _EVENT_FIELDS if n not in ("article_ids", "evidence"))
_FLOATS = ("latitude", "longitude", "front_distance_km", "confidence")


def row_json(row: dict[str, Any]) -> str:
    """A stored event row as the JSON of ``Event.to_dict()`` (the same keys, order and
    values), splicing in the stored JSON of ``article_ids`` and ``evidence`` as it is
    (the store writes them from ``to_dict()``), instead of parsing and writing it again."""
    head = {name: row[name] for name in _SCALARS}
    if head["rear_area"] is not None:
        head["rear_area"] = bool(head["rear_area"])
    for name in _FLOATS:
        head[name] = _clean(head[name])
    return (dumps(head)[:-1] + ',"article_ids":' + (row["article_ids"] or "[]")
            + ',"evidence":' + (row["evidence"] or "[]") + "}")


def event_record(event: Event, fields: Sequence[str] | None) -> dict[str, Any]:
    data = as_dict(event)
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
        data = as_dict(event)
        row = {c: _cell(data[c]) for c in columns}
        has_cr = any(isinstance(v, str) and "\r" in v for v in row.values())
        (quoted if has_cr else plain).writerow(row)
    return out.getvalue()


def feature(event: Event, fields: Sequence[str] | None) -> dict[str, Any] | None:
    """The event as ``rearguard.export.geojson_feature`` makes it (a Point, every field a
    property; None without finite coordinates), optionally with only ``fields``."""
    lat, lon = event.latitude, event.longitude
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return {"type": "Feature", "id": event.event_id_cnty,
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": event_record(event, fields)}


def row_feature_json(row: dict[str, Any]) -> str | None:
    """:func:`feature` of a stored row, as JSON text (None without finite coordinates)."""
    lat, lon = row["latitude"], row["longitude"]
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return ('{"type":"Feature","id":' + dumps(row["event_id_cnty"])
            + ',"geometry":{"type":"Point","coordinates":'
            + dumps([round(lon, 6), round(lat, 6)]) + '},"properties":' + row_json(row) + "}")


def _features(rows: list[dict[str, Any]]) -> list[str]:
    return [f for f in (row_feature_json(r) for r in rows) if f is not None]


def render_rows(fmt: str, rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """A JSON, NDJSON or GeoJSON page of every field, straight from the stored rows."""
    if fmt == "ndjson":
        return "".join(row_json(row) + "\n" for row in rows)
    if fmt == "geojson":
        return ('{"type":"FeatureCollection",' + dumps(meta)[1:-1] + ',"features":['
                + ",".join(_features(rows)) + "]}")
    return dumps(meta)[:-1] + ',"events":[' + ",".join(row_json(r) for r in rows) + "]}"


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


def stream(fmt: str, batches: Iterator[list[dict[str, Any]]], fields: Sequence[str] | None
           ) -> Iterator[str]:
    """A whole export from batches of stored rows, one batch at a time (nothing but a
    batch is held in memory)."""
    from .queries import row_event

    raw = fmt in ("json", "ndjson", "geojson") and not fields
    if fmt == "json":
        yield '{"events":['
    elif fmt == "geojson":
        yield '{"type":"FeatureCollection","features":['
    first = True
    for rows in batches:
        if raw:
            if fmt == "ndjson":
                yield "".join(row_json(row) + "\n" for row in rows)
                continue
            items = [row_json(r) for r in rows] if fmt == "json" else _features(rows)
            if items:
                yield ("" if first else ",") + ",".join(items)
                first = False
            continue
        batch = [row_event(row) for row in rows]
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
