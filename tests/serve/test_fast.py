"""The fast paths of ``rearguard serve`` give the answers of the plain ones: pages written
as bytes by orjson (the bytes json.dumps wrote), found through the 0005 indexes (a bbox
through its 1-degree cells), served by :class:`FastPages` around FastAPI's parameter
handling, and from the cache of rendered events, which a change to the store empties."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rearguard.serve import formats, queries
from rearguard.serve.formats import dumps, render_events, render_page, row_json_bytes
from rearguard.store import open_store
from rearguard.types import Event

from .conftest import TOKEN, client

SYNCED = re.compile(rb'"synced_at":"[^"]*"')


def _same(response) -> tuple[int, str, bytes, str | None]:
    """A response without what records when it was made."""
    return (response.status_code, response.headers.get("content-type", ""),
            SYNCED.sub(b"", response.content), response.headers.get("link"))


URLS = [
    "/events", "/events?limit=3", "/events?limit=1000", "/events.geojson?limit=5",
    "/events.ndjson?limit=4", "/events.json?limit=2", "/events.csv?limit=3",
    "/events?format=geojson&limit=7", "/events?format=csv", "/events?format=ndjson",
    "/events?country=Iraq", "/events?country=IQ&limit=2", "/events?country=Irak",
    "/events?bbox=40,32,46,37", "/events.geojson?bbox=40,32,46,37&limit=2",
    "/events?bbox=40,32,46,37&date_from=2016-10-01&date_to=2016-12-31",
    "/events?bbox=170,-10,-170,10", "/events?bbox=-180,-90,180,90&limit=4",
    "/events?bbox=40,37,46,32", "/events?bbox=a,b,c,d", "/events?bbox=1e400,0,1,1",
    "/events?rear_area=true", "/events?rear_area=false&total=true",
    "/events?rear_area=yes", "/events?rear_area=1", "/events?total=TRUE",
    "/events?limit=0", "/events?limit=01", "/events?limit=1000000000",
    "/events?limit=1000000001", "/events?limit=-1", "/events?limit=abc",
    "/events?limit=1&limit=2", "/events?unknown=1", "/events?format=xml",
    "/events.geojson?format=json", "/events?fields=fatalities,country&limit=3",
    "/events?fields=nope", "/events?cursor=abc", "/events?cursor=",
    "/events?date_from=2016-13-01", "/events?event_type=Battles",
    "/events?event_type=Nonsense", "/events?actor=%25", "/events?actor=Islamic%20State",
    "/events?admin1=Nineveh&total=true", "/events?updated_since=2000-01-01",
    "/events?country=%00", "/events?sub_event_type=Armed%20clash&limit=2",
    "/events?min_confidence=0.5", "/events/", "/events.txt",
]


def test_fast_pages_answer_as_fastapi_does(example_url, monkeypatch) -> None:
    from rearguard.serve.app import FastPages

    taken = []
    arguments = FastPages._arguments
    monkeypatch.setattr(FastPages, "_arguments", staticmethod(
        lambda scope: taken.append(arguments(scope)) or taken[-1]))
    with client(example_url) as fast, client(example_url, fast_pages=False,
                                             cache_mb=0) as plain:
        for url in URLS:
            first = fast.get(url, follow_redirects=False)
            assert _same(first) == _same(plain.get(url, follow_redirects=False)), url
            if first.status_code == 200 and first.headers.get("link"):
                following = first.headers["link"][1:first.headers["link"].index(">")]
                assert _same(fast.get(following)) == _same(plain.get(following)), following
        # and a second time, from the cache
        for url in URLS[:10]:
            assert _same(fast.get(url)) == _same(plain.get(url)), url
    assert sum(a is not None for a in taken) >= 30  # most went the fast way
    assert sum(a is None for a in taken) >= 10  # the others FastAPI's


def _old_row_json(row: dict) -> str:
    """The server's row writer before orjson (json.dumps of the scalars, the stored JSON of
    article_ids and evidence spliced in): the bytes the API answered."""
    head = {name: row[name] for name in queries.EVENT_FIELDS
            if name not in ("article_ids", "evidence")}
    if head["rear_area"] is not None:
        head["rear_area"] = bool(head["rear_area"])
    head = {k: formats._clean(v) for k, v in head.items()}
    return (dumps(head)[:-1] + ',"article_ids":' + (row["article_ids"] or "[]")
            + ',"evidence":' + (row["evidence"] or "[]") + "}")


def test_pages_are_the_bytes_the_server_wrote_before(example_url) -> None:
    """render_events (orjson, stored JSON spliced in) against the json.dumps writer it
    replaced, byte for byte, and against json.dumps of each Event's to_dict() as JSON, on
    every event of the example dataset."""
    with open_store(str(example_url), create=False) as store:
        db = store._db
        keys, _ = queries.page_keys(db, queries.EventQuery(), limit=1000)
        rows = queries.rows_by_id(db, [k["event_id_cnty"] for k in keys])
        ordered = [rows[k["event_id_cnty"]] for k in keys]
        events = [queries.row_event(dict(row)) for row in ordered]
        bodies = [row_json_bytes(row) for row in ordered]
    assert bodies == [_old_row_json(row).encode("utf-8") for row in ordered]
    meta = {"count": len(keys), "limit": 1000, "next": None, "synced_at": "t"}
    for fmt in ("json", "geojson", "ndjson"):
        written = render_events(fmt, keys, bodies, meta).decode("utf-8")
        reference = render_page(fmt, events, None, meta)
        if fmt == "ndjson":
            assert [json.loads(x) for x in written.splitlines()] == \
                [json.loads(x) for x in reference.splitlines()]
        else:
            assert json.loads(written) == json.loads(reference), fmt
    assert len(events) >= 10 and any(e.evidence for e in events)


_ROW = {name: None for name in queries.EVENT_FIELDS}
_floats = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([1e-05, -3.2e-07, 1e16, 5e-324, 0.0001, -0.0, 1e-4]))
_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)


@settings(max_examples=300, deadline=None)
@given(latitude=_floats, longitude=_floats, confidence=_floats, distance=_floats,
       notes=_text, actor=_text, fatalities=st.integers(-(2**63), 2**63 - 1),
       rear=st.sampled_from([None, 0, 1]))
def test_row_json_is_what_json_dumps_writes(latitude, longitude, confidence, distance, notes,
                                            actor, fatalities, rear) -> None:
    row = dict(_ROW, event_id_cnty="IRQ1", latitude=latitude, longitude=longitude,
               confidence=confidence, front_distance_km=distance, notes=notes, actor1=actor,
               fatalities=fatalities, rear_area=rear, article_ids='["a"]', evidence="[]")
    assert row_json_bytes(row) == _old_row_json(row).encode("utf-8")


@pytest.mark.parametrize("box", [(42.0, 35.0, 44.0, 37.0), (42.3, 35.3, 44.3, 37.3),
                                 (43.0, 36.0, 43.0, 36.0), (-180.0, -90.0, -179.5, -89.0),
                                 (179.0, 89.0, 180.0, 90.0), (10.0, 10.0, 17.9, 17.9)])
def test_box_cells_cover_every_point_in_the_box(box) -> None:
    from rearguard.store.migrations import event_cell

    cells = queries.box_cells(box)
    assert cells is not None and len(cells) <= queries.MAX_CELLS
    west, south, east, north = box
    for i in range(11):
        for j in range(11):
            lat, lon = south + (north - south) * i / 10, west + (east - west) * j / 10
            assert event_cell(lat, lon) in cells
    assert queries.box_cells((170.0, 0.0, -170.0, 1.0)) is None  # across the antimeridian
    assert queries.box_cells((0.0, 0.0, 20.0, 20.0)) is None  # 441 cells: walk in order


def _event(n: int, **fields) -> Event:
    base = dict(event_date=f"2016-10-{n:02d}", year=2016, time_precision=1,
                disorder_type="Political violence", event_type="Battles",
                sub_event_type="Armed clash", actor1="Islamic State (Iraq)", country="Iraq",
                iso=368, latitude=34.0 + n / 100, longitude=42.0 + n / 100, fatalities=n)
    base.update(fields)
    return Event(event_id_cnty=f"IRQ{n}", **base)


def test_the_cache_sees_every_change_to_the_store(store_url) -> None:
    """A write by another connection (another process, another thread) or by the server
    itself is in the next answer, on SQLite (data_version) and PostgreSQL (snapshot)."""
    with open_store(store_url) as store:
        for n in range(1, 6):
            store.put_event(_event(n))
    with client(store_url, token=TOKEN) as api:
        def fatalities(url: str = "/events") -> list[int]:
            return [e["fatalities"] for e in api.get(url).json()["events"]]

        assert fatalities() == [1, 2, 3, 4, 5]
        assert fatalities() == [1, 2, 3, 4, 5]  # from the cache
        assert api.app.state.cache.stats()["hits"] >= 5
        assert api.get("/events?total=true").json()["total"] == 5
        with open_store(store_url) as store:
            store.put_event(dataclasses.replace(_event(2), fatalities=20))
            store.put_event(_event(6))
        assert fatalities() == [1, 20, 3, 4, 5, 6]
        assert api.get("/events?total=true").json()["total"] == 6
        assert json.loads(api.get("/health").text)["events"] == 6
        rejected = api.post("/events/IRQ3/reject", json={"why": "a duplicate"},
                            headers={"Authorization": f"Bearer {TOKEN}"})
        assert rejected.status_code == 200, rejected.text
        assert fatalities() == [1, 20, 4, 5, 6]
        assert api.get("/events?total=true").json()["total"] == 5
        assert fatalities("/events?bbox=42,34,42.045,34.045") == [1, 20, 4]


def test_a_store_of_no_cache_still_answers(example_db) -> None:
    with client(example_db, cache_mb=0) as api:
        assert api.get("/events?limit=2").status_code == 200
        assert api.app.state.cache.stats()["events"] == 0
