"""The shape of each format: CSV header and cells, GeoJSON validity, the compatibility
helpers (csv_text, geojson_text) and the streamed writers agreeing with them."""

from __future__ import annotations

import csv
import io
import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from rearguard.export import (
    CSV_COLUMNS,
    csv_text,
    geojson_collection,
    geojson_text,
    read_events,
    write_events,
)
from rearguard.types import ACLED_COLUMNS, EXTRA_COLUMNS, Evidence

from .strategies import events, make_event

ACLED_31 = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)


def _write(items, fmt: str) -> str:
    out = io.StringIO()
    write_events(items, fmt, out)
    return out.getvalue()


def test_csv_header_is_acled_then_ours() -> None:
    header = next(csv.reader(io.StringIO(_write([make_event()], "csv"))))
    assert len(ACLED_31) == 31 and tuple(header[:31]) == ACLED_31 == ACLED_COLUMNS
    assert tuple(header[31:]) == EXTRA_COLUMNS
    assert tuple(header) == CSV_COLUMNS
    assert "evidence" not in header


def test_csv_cells() -> None:
    event = make_event(rear_area=True, article_ids=("a1", "b2"), inter1=None,
                       evidence=(Evidence("actor1", "Iraqi army", 0, 10),))
    text = _write([event], "csv")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["rear_area"] == "true" and row["article_ids"] == "a1;b2"
    assert row["inter1"] == "" and row["latitude"] == ""
    assert "Iraqi army" not in text
    assert text == csv_text([event])  # the stream writer and csv_text agree
    (back,) = read_events(io.StringIO(text), "csv")
    assert back.inter1 is None and back.rear_area is True and back.evidence == ()
    assert back.year == 2016 and isinstance(back.confidence, float)


def test_csv_reads_acled_only_columns() -> None:
    """A CSV with only ACLED's columns reads, rearguard's fields taking their defaults."""
    full = next(csv.DictReader(io.StringIO(csv_text([make_event(fatalities=3)]))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACLED_31, extrasaction="ignore")
    writer.writeheader()
    writer.writerow(full)
    out.seek(0)
    (back,) = read_events(out, "csv")
    assert back == make_event(fatalities=3)


def _check_feature_collection(text: str) -> dict:
    def no_constants(name: str) -> float:
        raise AssertionError(f"non-standard JSON constant {name}")

    data = json.loads(text, parse_constant=no_constants)
    assert data["type"] == "FeatureCollection" and isinstance(data["features"], list)
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in (lon, lat))
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    return data


@settings(max_examples=40, deadline=None)
@given(st.lists(events(), max_size=4))
def test_geojson_is_valid_rfc7946(items) -> None:
    text = _write(items, "geojson")
    data = _check_feature_collection(text)
    located = [e for e in items if e.latitude is not None and e.longitude is not None]
    assert len(data["features"]) == len(located)
    for feature, event in zip(data["features"], located, strict=True):
        lon, lat = feature["geometry"]["coordinates"]
        assert abs(lon - event.longitude) <= 5e-7 and abs(lat - event.latitude) <= 5e-7
        assert feature["properties"] == json.loads(json.dumps(event.to_dict()))
    assert text == geojson_text(items) + "\n"  # streamed text == the one-shot helper


def test_geojson_lon_lat_order_and_rounding() -> None:
    event = make_event(latitude=35.123456789, longitude=43.987654321,
                       evidence=(Evidence("location", "Shirqat", 4, 11),))
    data = _check_feature_collection(_write([event, make_event()], "geojson"))
    (feature,) = data["features"]
    assert feature["geometry"]["coordinates"] == [43.987654, 35.123457]
    assert feature["id"] == "IRQ1"
    assert feature["properties"]["latitude"] == 35.123456789
    assert feature["properties"]["evidence"][0]["text"] == "Shirqat"
    assert geojson_collection([event])["features"][0] == feature


def test_geojson_non_finite_numbers() -> None:
    events_ = [make_event(latitude=float("nan"), longitude=1.0),
               make_event(latitude=1.0, longitude=2.0, confidence=float("inf"))]
    data = _check_feature_collection(_write(events_, "geojson"))
    (feature,) = data["features"]
    assert feature["properties"]["confidence"] is None


def test_jsonl_is_to_dict_per_line() -> None:
    items = [make_event(), make_event(event_id_cnty="IRQ2", notes="two\nlines")]
    lines = _write(items, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == [e.to_dict() for e in items]


def test_parquet_columns(tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "e.parquet"
    write_events([make_event(article_ids=("a",),
                             evidence=(Evidence("actor1", "army", 1, 5),))], "parquet", path)
    table = pq.read_table(path)
    assert tuple(table.column_names) == (*CSV_COLUMNS, "evidence")
    assert table.schema.field("article_ids").type == pa.list_(pa.string())
    assert pa.types.is_struct(table.schema.field("evidence").type.value_type)
    assert table.column("evidence").to_pylist()[0][0]["text"] == "army"
    assert table.schema.field("fatalities").type == pa.int64()
    assert table.schema.field("rear_area").type == pa.bool_()
