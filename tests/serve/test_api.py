"""The HTTP API (rearguard serve) on the example dataset, through FastAPI's TestClient."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from rearguard.export import csv_text, geojson_feature, read_events
from rearguard.store import open_store
from rearguard.types import ACLED_COLUMNS, Event

from .conftest import TOKEN, client


def _stored(url, **filters) -> list[Event]:
    with open_store(str(url), create=False) as store:
        return list(store.events(**filters))


def _walk(api, url: str) -> list[dict]:
    """Every event of a listing, following 'next' until it is null."""
    found, pages = [], 0
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["count"] == len(body["events"]) <= body["limit"]
        found += body["events"]
        url = body["next"]
        pages += 1
        assert pages < 100
    return found


@pytest.mark.parametrize("limit", [1, 4, 1000])
def test_pages_follow_next_through_every_event_in_store_order(example_url, limit) -> None:
    expected = [e.event_id_cnty for e in _stored(example_url)]
    with client(example_url) as api:
        found = _walk(api, f"/events?limit={limit}")
    assert [e["event_id_cnty"] for e in found] == expected
    assert len(expected) >= 10


def _filter_cases(events: list[Event]):
    """Filter values taken from the data, as (API parameters, Store.events keywords)."""
    iraq = next(e for e in events if e.country == "Iraq")
    dated = sorted(e.event_date for e in events if e.event_date)
    middle = dated[len(dated) // 2]
    return [
        ({"country": "Iraq"}, {"country": "Iraq"}),
        ({"country": "IQ"}, {"country": "IQ"}),
        ({"country": "som"}, {"country": "som"}),
        ({"admin1": iraq.admin1.upper()}, {"admin1": iraq.admin1.upper()}),
        ({"date_from": middle}, {"since": middle}),
        ({"date_to": middle}, {"until": middle}),
        ({"date_from": dated[1], "date_to": dated[-2]}, {"since": dated[1], "until": dated[-2]}),
        ({"event_type": "Battles"}, {"event_type": "Battles"}),
        ({"event_type": "armed clash"}, {"event_type": "armed clash"}),
        ({"sub_event_type": "Suicide bomb"}, {"sub_event_type": "Suicide bomb"}),
        ({"actor": "islamic state"}, {"actor": "islamic state"}),
        ({"bbox": "35,30,50,40"}, {"bbox": (35.0, 30.0, 50.0, 40.0)}),
        ({"bbox": "170,-90,60,90"}, {"bbox": (170.0, -90.0, 60.0, 90.0)}),  # antimeridian
        ({"rear_area": "true"}, {"rear_area": True}),
        ({"rear_area": "false"}, {"rear_area": False}),
        ({"min_confidence": "0.9"}, {"min_confidence": 0.9}),
        ({"min_fatalities": "5"}, {"min_fatalities": 5}),
        ({"country": "Iraq", "event_type": "Battles", "rear_area": "false"},
         {"country": "Iraq", "event_type": "Battles", "rear_area": False}),
    ]


def test_every_filter_keeps_what_the_store_keeps(example_url) -> None:
    everything = _stored(example_url)
    proper_subsets = 0
    with client(example_url) as api:
        for params, keywords in _filter_cases(everything):
            expected = [e.event_id_cnty for e in _stored(example_url, **keywords)]
            query = "&".join(f"{k}={v}" for k, v in params.items())
            found = _walk(api, f"/events?limit=3&{query}")
            assert [e["event_id_cnty"] for e in found] == expected, params
            proper_subsets += 0 < len(expected) < len(everything)
    assert proper_subsets >= 14  # the cases select something, and not everything


def test_csv_geojson_and_ndjson_pages(example_db) -> None:
    events = _stored(example_db)
    with client(example_db) as api:
        response = api.get("/events?format=csv&limit=1000")
        assert response.headers["content-type"].startswith("text/csv")
        header = next(csv.reader(io.StringIO(response.text)))
        assert tuple(header[:31]) == ACLED_COLUMNS and len(ACLED_COLUMNS) == 31
        assert response.text == csv_text(events)  # the export command's CSV, byte for byte
        assert api.get("/events.csv?limit=1000").text == response.text

        geo = api.get("/events.geojson?limit=1000")
        assert geo.headers["content-type"] == "application/geo+json"
        collection = geo.json()
        assert collection["type"] == "FeatureCollection" and collection["next"] is None
        located = [e for e in events if e.latitude is not None]
        assert [f["id"] for f in collection["features"]] == [e.event_id_cnty for e in located]
        # the export's GeoJSON features, exactly (the server writes them from stored rows)
        assert collection["features"] == json.loads(json.dumps(
            [geojson_feature(e) for e in located]))
        projected = api.get("/events.geojson?limit=1000&fields=fatalities").json()
        assert [f["properties"] for f in projected["features"]] == [
            {"event_id_cnty": e.event_id_cnty, "fatalities": e.fatalities} for e in located]
        first = collection["features"][0]
        assert first["geometry"]["coordinates"] == [round(located[0].longitude, 6),
                                                    round(located[0].latitude, 6)]

        lines = api.get("/events?format=ndjson&limit=1000").text.splitlines()
        assert [json.loads(line) for line in lines] == [e.to_dict() for e in events]
        page = api.get("/events?limit=1000").json()
        assert page["events"] == [e.to_dict() for e in events]


def test_next_url_is_in_the_link_header_for_every_format(example_db) -> None:
    with client(example_db) as api:
        response = api.get("/events.csv?limit=2")
        link = response.headers["link"]
        assert link.startswith("<http://testserver/events.csv?limit=2&cursor=")
        following = api.get(link[1:link.index(">")])
        rows = list(csv.DictReader(io.StringIO(following.text)))
        assert len(rows) == 2
        first_page = list(csv.DictReader(io.StringIO(response.text)))
        assert {r["event_id_cnty"] for r in rows}.isdisjoint(
            {r["event_id_cnty"] for r in first_page})


def test_limit_is_clamped_and_total_counts_every_match(example_db) -> None:
    total = len(_stored(example_db))
    with client(example_db, max_limit=3) as api:
        body = api.get("/events?limit=1000&total=true").json()
        assert body["limit"] == 3 and body["count"] == 3 and body["total"] == total
        assert body["next"]
        assert "total" not in api.get("/events").json()


def test_fields_projection(example_db) -> None:
    with client(example_db) as api:
        body = api.get("/events?fields=fatalities,country&limit=2").json()
        assert [list(e) for e in body["events"]] == [["event_id_cnty", "fatalities",
                                                      "country"]] * 2
        text = api.get("/events.csv?fields=country,fatalities&limit=2").text
        assert text.splitlines()[0] == "country,fatalities,event_id_cnty" or \
            text.splitlines()[0] == "event_id_cnty,country,fatalities"


def test_export_streams_everything_in_batches(example_db, monkeypatch) -> None:
    import rearguard.serve.app as app_module

    monkeypatch.setattr(app_module, "EXPORT_BATCH", 4)  # several batches
    events = _stored(example_db)
    with client(example_db) as api:
        response = api.get("/export")
        assert response.text == csv_text(events)
        assert "attachment" in response.headers["content-disposition"]
        lines = api.get("/export.ndjson").text.splitlines()
        assert [json.loads(x)["event_id_cnty"] for x in lines] == [
            e.event_id_cnty for e in events]
        geo = json.loads(api.get("/export?format=geojson").text)
        assert len(geo["features"]) == sum(e.latitude is not None for e in events)
        whole = json.loads(api.get("/export.json?country=Iraq").text)
        assert [e["event_id_cnty"] for e in whole["events"]] == [
            e.event_id_cnty for e in events if e.country == "Iraq"]
        empty = api.get("/export.csv?date_from=2100-01-01")
        assert empty.status_code == 200 and empty.text.count("\n") == 1  # the header
        assert json.loads(api.get("/export.geojson?date_from=2100-01-01").text)[
            "features"] == []


def test_csv_export_reads_back(example_db) -> None:
    with client(example_db) as api:
        text = api.get("/export.csv").text
    back = list(read_events(io.StringIO(text), "csv"))
    stored = _stored(example_db)
    assert [e.event_id_cnty for e in back] == [e.event_id_cnty for e in stored]
    assert [e.fatalities for e in back] == [e.fatalities for e in stored]


@pytest.mark.parametrize(("query", "says"), [
    ("cursor=notacursor", "cursor:"),
    ("cursor=WyJhIiwxXQ", "cursor:"),  # valid base64 JSON of the wrong shape
    ("date_from=2016-13-01", "date_from:"),
    ("date_to=yesterday", "date_to:"),
    ("bbox=1,2,3", "bbox:"),
    ("bbox=0,50,10,40", "bbox:"),
    ("bbox=nan,1,2,3", "bbox:"),
    ("fields=country,nonsense", "fields:"),
    ("event_type=Riot", "event_type:"),
    ("sub_event_type=Battles", "sub_event_type:"),
    ("country=Irak", "'Iraq'"),
    ("limit=0", "limit:"),
    ("limit=ten", "limit:"),
    ("min_confidence=2", "min_confidence:"),
    ("min_fatalities=-1", "min_fatalities:"),
    ("rear_area=maybe", "rear_area:"),
    ("updated_since=last%20week", "updated_since:"),
    ("format=xml", "format:"),
    ("actor=%00", "actor:"),
])
def test_bad_parameters_are_a_400_with_one_line(example_db, query, says) -> None:
    with client(example_db) as api:
        response = api.get(f"/events?{query}")
    assert response.status_code == 400, response.text
    message = response.json()["error"]
    assert says in message and "\n" not in message and "Traceback" not in message


def test_request_text_never_becomes_sql(example_db) -> None:
    count = len(_stored(example_db))
    nasty = ["'; DROP TABLE events; --", "x' OR '1'='1", "%", "_", "\\", '") OR 1=1 --']
    with client(example_db) as api:
        for value in nasty:
            for name in ("actor", "admin1", "country"):
                response = api.get("/events", params={name: value})
                assert response.status_code in (200, 400), response.text
                if response.status_code == 200:
                    assert response.json()["events"] == []
        # LIKE wildcards are literal, as in the store
        assert api.get("/events", params={"actor": "%"}).json()["events"] == []
        assert api.get("/events", params={"event_type": "x' OR '1'='1"}).status_code == 400
    assert len(_stored(example_db)) == count


def test_event_detail_has_sources_evidence_in_text_and_history(example_url) -> None:
    merged = next(e for e in _stored(example_url) if len(e.article_ids) > 1)
    with client(example_url) as api:
        body = api.get(f"/events/{merged.event_id_cnty}?context=40").json()
        assert body["event"]["event_id_cnty"] == merged.event_id_cnty
        assert body["status"] == "active"
        assert [s["article_id"] for s in body["sources"]] == list(merged.article_ids)
        spans = [span for s in body["sources"] for span in s["evidence"]]
        assert len(spans) == len(merged.evidence)
        assert all(span["in_text"] for span in spans)
        assert any(s["url"] is None and s["published"] for s in body["sources"])
        span = spans[0]
        assert len(span["before"]) <= 40 and len(span["after"]) <= 40
        actions = [h["action"] for h in body["history"]]
        assert actions[0] == "created" and "merged" in actions
        with_text = api.get(f"/events/{merged.event_id_cnty}?text=true").json()
        source = with_text["sources"][0]
        first = source["evidence"][0]
        assert source["text"][first["start"]:first["end"]] == first["text"]
        missing = api.get("/events/NOPE999")
        assert missing.status_code == 404 and "NOPE999" in missing.json()["error"]


def test_review_posts_need_the_token(writable_db) -> None:
    event_id = _stored(writable_db)[0].event_id_cnty
    with client(writable_db) as api:  # no token: read-only
        response = api.post(f"/events/{event_id}/reject", json={"why": "test"})
        assert response.status_code == 403 and "read-only" in response.json()["error"]
    with client(writable_db, token=TOKEN) as api:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            response = api.post(f"/events/{event_id}/reject", json={"why": "test"},
                                headers=headers)
            assert response.status_code == 401, headers
        assert event_id in [e.event_id_cnty for e in _stored(writable_db)]


def test_reject_restore_edit_and_the_sync_feeds(writable_db) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    events = _stored(writable_db)
    first, second = events[0].event_id_cnty, events[1].event_id_cnty
    with client(writable_db, token=TOKEN) as api:
        before = api.get("/events?limit=1").json()["synced_at"]
        response = api.post(f"/events/{first}/reject", json={"why": "a duplicate"},
                            headers=auth)
        assert response.json()["result"] == "rejected"
        assert first not in [e["event_id_cnty"] for e in _walk(api, "/events?limit=1000")]
        deleted = api.get("/deleted", params={"since": before}).json()["deleted"]
        assert [(d["event_id_cnty"], d["status"], d["reason"]) for d in deleted] == [
            (first, "rejected", "a duplicate")]
        assert api.get(f"/events/{first}").json()["status"] == "rejected"
        assert "deleted_timestamp" in api.get("/deleted?format=csv").text.splitlines()[0]

        edited = api.post(f"/events/{second}/edit", headers=auth,
                          json={"why": "final toll", "fields": {"fatalities": 81}})
        assert edited.status_code == 200 and edited.json()["event"]["fatalities"] == 81
        changed = api.get("/events", params={"updated_since": before}).json()["events"]
        assert [e["event_id_cnty"] for e in changed] == [second]
        assert changed[0]["fatalities"] == 81

        restored = api.post(f"/events/{first}/restore", json={"why": "real"}, headers=auth)
        assert restored.json()["result"] == "restored"
        assert api.get("/deleted", params={"since": before}).json()["deleted"] == []

        bad = api.post(f"/events/{second}/edit", headers=auth,
                       json={"why": "x", "fields": {"fatalities": -3}})
        assert bad.status_code == 400 and "fatalities" in bad.json()["error"]
        unknown = api.post("/events/NOPE1/reject", json={"why": "x"}, headers=auth)
        assert unknown.status_code == 404
        blank = api.post(f"/events/{second}/reject", json={"why": ""}, headers=auth)
        assert blank.status_code == 400


def test_control_by_place_by_geonameid_and_as_of_a_date(example_url) -> None:
    with client(example_url) as api:
        body = api.get("/control", params={"place": "Shirqat"}).json()
        records = body["records"]
        assert records and records[0]["place"] == "Ash Sharqāt"
        assert records[0]["source"]["published"] == "2016-11-06"
        geonameid = records[0]["geonameid"]
        by_id = api.get(f"/control/{geonameid}").json()
        assert [r["date"] for r in by_id["records"]] == [r["date"] for r in records]
        assert api.get("/control/1").status_code == 404

        ledger = api.get("/control", params={"at": "2016-12-31"})
        assert ledger.headers["content-type"] == "application/geo+json"
        features = ledger.json()["features"]
        shirqat = [f for f in features if f["properties"]["geonameid"] == geonameid]
        assert len(shirqat) == 1
        assert shirqat[0]["properties"]["held_by"] == "Military Forces of Iraq"
        assert shirqat[0]["properties"]["held_since"] == "2016-09-15"
        assert shirqat[0]["properties"]["statements"] == len(
            [r for r in records if r["date"] <= "2016-12-31"])
        assert all(f["properties"]["date"] <= "2016-12-31" for f in features)
        earlier = api.get("/control", params={"at": "2016-01-01"}).json()["features"]
        assert len(earlier) < len(features)
        boxed = api.get("/control", params={"at": "2020-01-01", "bbox": "40,30,50,40"})
        assert all(40 <= f["geometry"]["coordinates"][0] <= 50
                   for f in boxed.json()["features"])
        assert api.get("/control").status_code == 400
        assert api.get("/control?at=2016-02-30").status_code == 400


def test_alerts_since_a_time(example_db) -> None:
    with client(example_db) as api:
        body = api.get("/alerts", params={"since": "2000-01-01"}).json()
        kinds = {a["alert"] for a in body["alerts"]}
        assert kinds == {"rear_area", "control"}
        deadly = api.get("/alerts", params={"since": "2000-01-01",
                                            "rule": "fatalities>=20"}).json()["alerts"]
        assert deadly and all(a["event"]["fatalities"] >= 20 for a in deadly)
        later = api.get("/alerts", params={"since": body["synced_at"]}).json()
        assert later["alerts"] == []
        assert api.get("/alerts", params={"since": "2000-01-01",
                                          "rule": "nonsense"}).status_code == 400
        assert api.get("/alerts").status_code == 400


def test_health_and_openapi(example_url) -> None:
    with client(example_url) as api:
        health = api.get("/health").json()
        assert health["status"] == "ok" and health["read_only"] is True
        assert health["events"] == len(_stored(example_url))
        assert health["backend"] in ("sqlite", "postgresql")
        schema = api.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/events", "/events/{event_id_cnty}", "/deleted", "/control",
            "/control/{geonameid}", "/alerts", "/health", "/export"} <= paths
    parameters = {p["name"] for p in schema["paths"]["/events"]["get"]["parameters"]}
    assert {"country", "admin1", "date_from", "date_to", "event_type", "sub_event_type",
            "actor", "bbox", "rear_area", "min_confidence", "updated_since", "fields",
            "limit", "cursor", "format"} <= parameters


def test_cors_is_off_unless_asked(example_db) -> None:
    origin = {"Origin": "http://analyst.example"}
    with client(example_db) as api:
        assert "access-control-allow-origin" not in api.get("/health", headers=origin).headers
    with client(example_db, cors=["http://analyst.example"]) as api:
        allowed = api.get("/health", headers=origin).headers
        assert allowed["access-control-allow-origin"] == "http://analyst.example"
        other = api.get("/health", headers={"Origin": "http://evil.example"}).headers
        assert "access-control-allow-origin" not in other


def test_rate_limit_per_client(example_db) -> None:
    with client(example_db, rate=0.5, burst=3) as api:
        codes = [api.get("/health").status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        refused = api.get("/health")
        assert int(refused.headers["retry-after"]) >= 1
        assert "too many requests" in refused.json()["error"]


def test_undated_events_come_last_and_pages_hold_ties(tmp_path: Path) -> None:
    """Keyset pages over equal dates and undated events: same order as the store."""
    from rearguard.store import open_store

    url = str(tmp_path / "ties.db")
    base = dict(year=2020, time_precision=1, disorder_type="Political violence",
                event_type="Battles", sub_event_type="Armed clash", actor1="A")
    with open_store(url) as store:
        for number in range(1, 12):
            date = None if number % 4 == 0 else f"2020-01-0{number % 3 + 1}"
            store.put_event(Event(event_id_cnty=f"IRQ{number}", event_date=date, **base))
    expected = [e.event_id_cnty for e in _stored(url)]
    assert expected[-2:] == ["IRQ4", "IRQ8"]
    with client(url) as api:
        for limit in (1, 2, 3, 5):
            assert [e["event_id_cnty"] for e in _walk(api, f"/events?limit={limit}")] \
                == expected


def test_ingest_post_adds_articles_with_the_token(writable_db, settings) -> None:
    text = (Path(__file__).resolve().parents[1] / "data/articles/kunduz-2016-10-03.txt"
            ).read_text(encoding="utf-8")
    body = {"articles": [{"id": "kunduz", "text": text, "published": "2016-10-03",
                          "source": "Reuters"}]}
    before = {e.event_id_cnty for e in _stored(writable_db)}
    with client(writable_db) as api:
        assert api.post("/ingest", json=body).status_code == 403
    with client(writable_db, token=TOKEN, settings=settings) as api:
        assert api.post("/ingest", json=body).status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        report = api.post("/ingest", json=body, headers=auth).json()
        assert report["articles"] == 1 and report["events_new"] >= 1 and not report["errors"]
        new = [e for e in api.get("/events?country=Afghanistan&limit=1000").json()["events"]
               if e["event_id_cnty"] not in before]
        assert len(new) == report["events_new"] and new[0]["article_ids"] == ["kunduz"]
        again = api.post("/ingest", json=body, headers=auth).json()
        assert again["articles"] == 0 and again["seen"] == 1
        bad = api.post("/ingest", headers=auth, json={"articles": [
            {"text": "Clashes.", "published": "yesterday"}]})
        assert bad.status_code == 400, bad.text
        assert "articles:1" in bad.json()["error"] and "yesterday" in bad.json()["error"]
        assert bad.json()["articles"] == 0
        assert api.post("/ingest", headers=auth, json={"articles": []}).status_code == 400
