"""GeoJSON (RFC 7946): a FeatureCollection of Points, ``[longitude, latitude]``.

Every field, evidence included, is a property (``latitude`` and ``longitude`` at full
precision there; the geometry is rounded to 6 decimals, about 0.1 m). Events without
finite coordinates are left out (they stay in CSV, JSON Lines and Parquet). Non-finite
numbers in properties are written as null, so the output is strict JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InputError
from ..types import Event
from ._common import PathOrFile, event_from_dict, text_input, text_output, where

_HEAD = '{"type": "FeatureCollection", "features": ['
_TAIL = "]}"


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def geojson_feature(event: Event) -> dict[str, Any] | None:
    """The event as a GeoJSON Feature, or None when it has no coordinates."""
    if not (_finite(event.latitude) and _finite(event.longitude)):
        return None
    assert event.latitude is not None and event.longitude is not None
    properties = {k: _clean(v) for k, v in event.to_dict().items()}
    return {
        "type": "Feature",
        "id": event.event_id_cnty,
        "geometry": {"type": "Point",
                     "coordinates": [round(event.longitude, 6), round(event.latitude, 6)]},
        "properties": properties,
    }


def geojson_collection(events: Iterable[Event]) -> dict[str, Any]:
    features = [f for f in (geojson_feature(e) for e in events) if f is not None]
    return {"type": "FeatureCollection", "features": features}


def geojson_text(events: Iterable[Event]) -> str:
    return json.dumps(geojson_collection(events), ensure_ascii=False)


def write_geojson(events: Iterable[Event], out: PathOrFile) -> int:
    """Write a FeatureCollection one feature at a time (the same text as
    :func:`geojson_text`, plus a final newline). Returns the number of features."""
    count = 0
    with text_output(out) as stream:
        stream.write(_HEAD)
        for event in events:
            feature = geojson_feature(event)
            if feature is None:
                continue
            if count:
                stream.write(", ")
            stream.write(json.dumps(feature, ensure_ascii=False, allow_nan=False))
            count += 1
        stream.write(_TAIL + "\n")
    return count


def read_geojson(source: PathOrFile) -> Iterator[Event]:
    """Events from a FeatureCollection written by :func:`write_geojson`. Properties give
    the fields; a feature without ``latitude``/``longitude`` properties takes them from
    its Point geometry."""
    name = where(source)
    with text_input(source) as stream:
        try:
            data = json.load(stream)
        except json.JSONDecodeError as e:
            raise InputError("E105", where=name, detail=e.msg) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise InputError("E106", where=name, detail="not a GeoJSON FeatureCollection")
    for number, feature in enumerate(data["features"], 1):
        place = f"{name}: feature {number}"
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise InputError("E106", where=place, detail="a feature without properties")
        properties = dict(feature["properties"])
        geometry = feature.get("geometry") or {}
        coordinates = geometry.get("coordinates") if geometry.get("type") == "Point" else None
        if coordinates and len(coordinates) >= 2:
            properties.setdefault("longitude", coordinates[0])
            properties.setdefault("latitude", coordinates[1])
        yield event_from_dict(properties, place)
