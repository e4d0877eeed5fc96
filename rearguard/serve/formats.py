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

import orjson

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
    """:func:`row_json_bytes` as text."""
    return row_json_bytes(row).decode("utf-8")


def row_json_bytes(row: dict[str, Any]) -> bytes:
    """A stored event row as the JSON of ``Event.to_dict()`` (the same keys, order and
    values, and the same bytes as ``json.dumps(..., ensure_ascii=False, separators=(",",
    ":"))`` encoded in UTF-8), splicing in the stored JSON of ``article_ids`` and
    ``evidence`` as it is (the store writes them from ``to_dict()``) instead of parsing and
    writing it again. The rest is written by orjson, in C."""
    head: dict[str, Any] = {name: row[name] for name in _SCALARS}
    if head["rear_area"] is not None:
        head["rear_area"] = bool(head["rear_area"])
    fixed: dict[str, orjson.Fragment] = {}
    for name in _FLOATS:
        value = head[name]
        if type(value) is float and value != 0 and abs(value) < 1e-4 and math.isfinite(value):
            # json.dumps writes 1e-05 where orjson writes 0.00001 (no exponent below 1e-4)
            fixed[name] = orjson.Fragment(repr(value))
    try:
        text = orjson.dumps({**head, **fixed} if fixed else head)
    except TypeError:  # what orjson will not write (a lone surrogate): the slow way
        text = dumps({k: _clean(v) for k, v in head.items()}).encode("utf-8")
    return (text[:-1] + b',"article_ids":' + (row["article_ids"] or "[]").encode("utf-8")
            + b',"evidence":' + (row["evidence"] or "[]").encode("utf-8") + b"}")


def _coordinate(value: float) -> bytes:
    return repr(round(value, 6)).encode("ascii")  # json.dumps' text of a finite float


def feature_bytes(event_id: str, latitude: float | None, longitude: float | None,
                  properties: bytes) -> bytes | None:
    """:func:`feature` from the point and the event's JSON (None without finite
    coordinates)."""
    if latitude is None or longitude is None \
            or not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    return (b'{"type":"Feature","id":' + orjson.dumps(event_id)
            + b',"geometry":{"type":"Point","coordinates":[' + _coordinate(longitude) + b","
            + _coordinate(latitude) + b']},"properties":' + properties + b"}")


def render_features(features: Sequence[bytes], meta: dict[str, Any]) -> bytes:
    """A GeoJSON FeatureCollection of these features (:func:`feature_bytes`), with the
    meta as foreign members."""
    return _joined(b'{"type":"FeatureCollection",' + orjson.dumps(meta)[1:-1]
                   + b',"features":[', features, b"]}")


def _joined(head: bytes, items: Sequence[bytes], tail: bytes) -> bytes:
    """``head + b",".join(items) + tail`` in one copy (a page is about 200 KB)."""
    parts = [head]
    for item in items:
        parts += (item, b",")
    if items:
        parts[-1] = tail
    else:
        parts.append(tail)
    return b"".join(parts)


def render_events(fmt: str, keys: Sequence[dict[str, Any]], bodies: Sequence[bytes],
                  meta: dict[str, Any]) -> bytes:
    """A JSON, NDJSON or GeoJSON page of every field from each event's key
    (:data:`.queries.KEY_COLUMNS`) and JSON (:func:`row_json_bytes`): the bytes of
    :func:`render_page`."""
    if fmt == "ndjson":
        return b"".join(body + b"\n" for body in bodies)
    if fmt == "geojson":
        return render_features([f for f in (
            feature_bytes(k["event_id_cnty"], k["latitude"], k["longitude"], body)
            for k, body in zip(keys, bodies, strict=True)) if f is not None], meta)
    return _joined(orjson.dumps(meta)[:-1] + b',"events":[', bodies, b"]}")


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
    found = feature_bytes(row["event_id_cnty"], row["latitude"], row["longitude"],
                          row_json_bytes(row))
    return None if found is None else found.decode("utf-8")


def _features(rows: list[dict[str, Any]]) -> list[str]:
    return [f for f in (row_feature_json(r) for r in rows) if f is not None]


def render_rows(fmt: str, rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """A JSON, NDJSON or GeoJSON page of every field, straight from the stored rows."""
    return render_events(fmt, rows, [row_json_bytes(r) for r in rows], meta).decode("utf-8")


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
