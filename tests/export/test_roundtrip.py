"""Export then import gives the events back: exactly for JSON Lines and Parquet, all but
evidence for CSV, and the located events for GeoJSON."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rearguard.export import FORMATS, read_events, write_events

from .strategies import events, make_event

FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _through_text(fmt: str, items: list) -> list:
    out = io.StringIO()
    write_events(items, fmt, out)
    out.seek(0)
    return list(read_events(out, fmt))


def test_formats() -> None:
    assert FORMATS == ("csv", "geojson", "jsonl", "parquet")


@FAST
@given(st.lists(events(), max_size=4))
def test_jsonl_round_trip(items) -> None:
    assert _through_text("jsonl", items) == items


@FAST
@given(st.lists(events(), max_size=4))
def test_parquet_round_trip(items) -> None:
    out = io.BytesIO()
    assert write_events(items, "parquet", out) == len(items)
    out.seek(0)
    assert list(read_events(out, "parquet")) == items


@FAST
@given(st.lists(events(csv_safe=True), max_size=4))
def test_csv_round_trip_without_evidence(items) -> None:
    expected = [dataclasses.replace(e, evidence=()) for e in items]
    assert _through_text("csv", items) == expected


@FAST
@given(st.lists(events(), max_size=4))
def test_geojson_round_trip_of_located_events(items) -> None:
    expected = [e for e in items if e.latitude is not None and e.longitude is not None]
    assert _through_text("geojson", items) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_through_a_path(fmt: str, tmp_path: Path) -> None:
    items = [make_event(latitude=35.4, longitude=43.25, article_ids=("a", "b")),
             make_event(event_id_cnty="IRQ2", notes='say "hi", then\nleave')]
    path = tmp_path / f"events.{fmt}"
    write_events(iter(items), fmt, path)
    back = list(read_events(str(path), fmt))
    assert back[0] == items[0]
    if fmt != "geojson":
        assert back[1] == items[1]


def test_empty_inputs_round_trip(tmp_path: Path) -> None:
    for fmt in FORMATS:
        path = tmp_path / f"empty.{fmt}"
        assert write_events([], fmt, path) == 0
        assert list(read_events(path, fmt)) == []


def test_writers_stream() -> None:
    """CSV and JSON Lines write each event before the next one is drawn."""
    seen: list[int] = []
    out = io.StringIO()

    def source():
        for i in range(3):
            seen.append(len(out.getvalue()))
            yield make_event(event_id_cnty=f"E{i}", latitude=1.0, longitude=2.0)

    for fmt in ("csv", "jsonl", "geojson"):
        seen.clear()
        out.seek(0)
        out.truncate()
        write_events(source(), fmt, out)
        assert seen[0] < seen[1] < seen[2], fmt


def test_large_parquet_in_row_groups(tmp_path: Path, monkeypatch) -> None:
    from rearguard.export import parquet

    monkeypatch.setattr(parquet, "BATCH", 7)
    items = [make_event(event_id_cnty=f"E{i}", fatalities=i) for i in range(30)]
    path = tmp_path / "many.parquet"
    assert write_events(iter(items), "parquet", path) == 30
    assert list(read_events(path, "parquet")) == items


