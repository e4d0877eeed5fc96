"""Writers for event records: ACLED-style CSV, GeoJSON (RFC 7946) and JSON Lines.

CSV starts with exactly ACLED's 31 columns in ACLED's order, then rearguard's own
(``injured``, ``captured``, ``claimed_by``, ``rear_area``, ``rear_area_reason``,
``confidence``, ``article_ids``); lists are joined with ``;``. GeoJSON is a
FeatureCollection of Points in longitude, latitude order with every column as a property;
events without coordinates are left out of it (they stay in CSV and JSON).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from ..types import ACLED_COLUMNS, EXTRA_COLUMNS, Event

CSV_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + EXTRA_COLUMNS


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return value


def csv_text(events: Iterable[Event], *, header: bool = True) -> str:
    """The events as CSV text (ACLED's columns first)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    if header:
        writer.writeheader()
    for event in events:
        writer.writerow({k: _cell(v) for k, v in event.row().items()})
    return out.getvalue()


def geojson_feature(event: Event) -> dict[str, Any] | None:
    if event.latitude is None or event.longitude is None:
        return None
    properties = event.to_dict()
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
