"""Migration 0005 (the indexes a page of events is read from, issue 12's load goal) on a
store written by the previous version, on SQLite and PostgreSQL; and, on SQLite, that the
server's page queries are answered from those indexes."""

from __future__ import annotations

import pytest

from rearguard.store import migrations as migrations_module
from rearguard.store import open_store
from rearguard.store.sql import Database
from rearguard.types import Event

NEW = ("events_page", "events_cell")


def _indexes(db: Database) -> set[str]:
    if db.backend == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'"
    else:
        sql = ("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'events' "
               "AND schemaname = current_schema()")
    return {row["name"] for row in db.rows(sql)}


def _event(event_id: str, date: str | None, lat: float | None, lon: float | None) -> Event:
    return Event(event_id_cnty=event_id, event_date=date, year=None, time_precision=1,
                 disorder_type="Political violence",
                 event_type="Battles", sub_event_type="Armed clash",
                 actor1="Islamic State (Iraq)", country="Iraq", iso=368, latitude=lat,
                 longitude=lon)


def test_migration_0005_indexes_an_older_store(fresh_url: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    older = migrations_module.MIGRATIONS[:4]
    assert older[-1][0] == "0004_event_articles"
    with monkeypatch.context() as patch:
        patch.setattr(migrations_module, "MIGRATIONS", older)
        with open_store(fresh_url) as old:
            for n, (date, lat, lon) in enumerate([("2016-10-20", 34.1, 42.4),
                                                  ("2016-10-19", 35.0, 43.0),
                                                  (None, 36.0, 44.0), ("2016-10-21", None,
                                                                       None)], 1):
                old.put_event(_event(f"IRQ{n}", date, lat, lon))
            assert not set(NEW) & _indexes(old._db)
    with open_store(fresh_url) as store:
        assert store.migrations()[-1] == "0005_event_page_indexes" and store.pending() == []
        assert set(NEW) <= _indexes(store._db)
        # the rows are as they were and read as before
        assert [e.event_id_cnty for e in store.events()] == ["IRQ2", "IRQ1", "IRQ4", "IRQ3"]
        assert [e.event_id_cnty for e in store.events(bbox=(42, 34, 43.5, 35.5))] == \
            ["IRQ2", "IRQ1"]
        near = store.events_near(latitude=34.1, longitude=42.4, km=5,
                                 date_from="2016-10-01", date_to="2016-10-31")
        assert [e.event_id_cnty for e in near] == ["IRQ1"]
    with open_store(fresh_url) as again:  # idempotent
        assert again.pending() == [] and set(NEW) <= _indexes(again._db)


def test_page_queries_read_the_indexes_on_sqlite(tmp_path) -> None:
    """The first page walks ``events_page`` in order, from the index alone; a small bbox
    walks ``events_cell`` in each cell it overlaps, a large one ``events_page``; a cursor
    is a seek; the rows are read by id only once the page is known."""
    from rearguard.serve import queries

    url = str(tmp_path / "plan.db")
    with open_store(url) as store:
        for n in range(1, 30):
            store.put_event(_event(f"IRQ{n}", f"2016-10-{n:02d}", 30 + n / 10, 40 + n / 10))
    with open_store(url, create=False) as store:
        db = store._db
        plans: list[str] = []
        original = db.rows

        def explained(sql: str, params=()):
            if "FROM events WHERE" in sql and "event_id_cnty IN" not in sql:
                plans.append(" / ".join(str(r["detail"]) for r in original(
                    "EXPLAIN QUERY PLAN " + sql, params)))
            return original(sql, params)

        db.rows = explained  # type: ignore[method-assign]
        rows, more = queries.page_of_rows(db, queries.EventQuery(), limit=5)
        assert [r["event_id_cnty"] for r in rows] == [f"IRQ{n}" for n in range(1, 6)] and more
        assert "COVERING INDEX events_page" in plans[0] and "TEMP B-TREE" not in plans[0]
        plans.clear()
        plans.clear()
        rows, more = queries.page_of_rows(db, queries.EventQuery(), limit=5,
                                          after=queries.row_cursor(rows[-1]))
        assert [r["event_id_cnty"] for r in rows] == [f"IRQ{n}" for n in range(6, 11)]
        assert "COVERING INDEX events_page (status=? AND event_date>?)" in plans[0]
        for box, index in (((40.95, 31.0, 41.5, 31.5), "events_cell"),
                           ((-170.0, -80.0, 170.0, 80.0), "events_page")):
            expected = [e.event_id_cnty for e in store.events(bbox=box)][:5]
            plans.clear()
            rows, more = queries.page_of_rows(db, queries.EventQuery(bbox=box), limit=5)
            assert [r["event_id_cnty"] for r in rows] == expected and len(expected) == 5
            assert plans and all(f"COVERING INDEX {index}" in p for p in plans), plans
