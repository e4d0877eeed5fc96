"""The store's part of revisions, review and re-extraction (issue 11, points 1-3), on both
backends: migration 0003, article identity and revisions, event status and edits, the
new filters, the deletions feed and reports."""

from __future__ import annotations

import dataclasses

import pytest

from rearguard.pipeline import content_id
from rearguard.store import Store, open_store, text_hash, utc_now
from rearguard.store import migrations as migrations_module
from rearguard.types import Article, ControlChange, Event, Evidence


def event(event_id: str = "IRQ1", **fields) -> Event:
    base = dict(event_date="2016-10-20", year=2016, time_precision=1,
                disorder_type="Political violence", event_type="Battles",
                sub_event_type="Armed clash", actor1="Islamic State (Iraq)",
                country="Iraq", iso=368, latitude=34.1, longitude=42.4, confidence=0.7)
    base.update(fields)
    return Event(event_id_cnty=event_id, **base)


def test_text_hash_is_the_article_id_of_a_text() -> None:
    for text in ("", "Daesh attacked Hit.", "ش  \u00e9\n"):
        assert text_hash(text) == content_id(text)


def test_articles_identity_duplicates_and_revisions(store: Store) -> None:
    first = Article(id="a1", text="Five were killed.", url="https://x.example/1",
                    published="2016-10-20")
    assert store.add_article(first)
    meta = store.article_meta("a1")
    assert meta.content_hash == text_hash(first.text) and meta.revision == 1
    assert meta.status == "active" and meta.duplicate_of is None and meta.updated_at
    assert store.article_id_for_hash(text_hash(first.text)) == "a1"
    copy = Article(id="a2", text=first.text, url="https://y.example/1")
    assert store.add_article(copy, duplicate_of="a1")
    assert store.article_id_for_hash(text_hash(first.text)) == "a1"  # not the duplicate
    assert store.duplicates_of("a1") == ["a2"]
    assert [a.id for a in store.articles(sources_only=True)] == ["a1"]
    revised = dataclasses.replace(first, text="Fourteen were killed.", published="2016-10-21")
    assert store.revise_article("a1", revised, "a changed text at its URL") == 2
    assert store.get_article("a1").text == "Fourteen were killed."
    assert store.article_meta("a1").content_hash == text_hash("Fourteen were killed.")
    (kept,) = store.article_revisions("a1")
    assert kept["text"] == "Five were killed." and kept["revision"] == 1
    assert kept["why"] == "a changed text at its URL" and kept["published"] == "2016-10-20"
    store.keep_older_revision("a1", Article(id="a1", text="Three?"), "older")
    assert [r["text"] for r in store.article_revisions("a1")] == ["Five were killed.", "Three?"]
    assert store.get_article("a1").text == "Fourteen were killed."
    store.set_article_status("a1", "rejected", "a hoax")
    assert store.article_meta("a1").status == "rejected"
    assert store.article_meta("a1").review_note == "a hoax"
    assert [a.id for a in store.articles(sources_only=True)] == []
    assert [a.id for a in store.articles(since="2016-10-21")] == ["a1"]
    with pytest.raises(ValueError):
        store.set_article_status("a1", "maybe", None)


def test_status_edits_and_updated_at(store: Store) -> None:
    before = utc_now()
    store.put_event(event("IRQ1"))
    store.put_event(event("IRQ2", latitude=34.11))
    meta = store.event_meta("IRQ1")
    assert meta.status == "active" and meta.edits == {} and meta.pipeline_version is None
    assert meta.updated_at >= before
    store.set_event_status("IRQ2", "rejected")
    assert [e.event_id_cnty for e in store.events()] == ["IRQ1"]
    assert [e.event_id_cnty for e in store.events(status="rejected")] == ["IRQ2"]
    assert len(list(store.events(status=None))) == 2
    # a rejected event is still a merge candidate; a deleted one is not
    near = dict(latitude=34.1, longitude=42.4, km=10, date_from="2016-10-19",
                date_to="2016-10-21")
    assert {e.event_id_cnty for e in store.events_near(**near)} == {"IRQ1", "IRQ2"}
    store.set_event_status("IRQ2", "deleted")
    assert {e.event_id_cnty for e in store.events_near(**near)} == {"IRQ1"}
    # put_event keeps status and edits, and moves updated_at
    store.set_event_edits("IRQ2", {"fatalities": 3})
    mark = utc_now()
    store.put_event(event("IRQ2", fatalities=1))
    meta = store.event_meta("IRQ2")
    assert meta.status == "deleted" and meta.edits == {"fatalities": 3}
    assert meta.updated_at >= mark
    assert [e.event_id_cnty for e in store.events(changed_since=mark, status=None)] == ["IRQ2"]
    assert list(store.events(changed_since=mark)) == []  # not active
    store.set_event_version("IRQ1", "0.1.0+abc")
    assert store.event_meta("IRQ1").pipeline_version == "0.1.0+abc"
    with pytest.raises(ValueError):
        store.set_event_status("IRQ1", "gone")


def test_new_filters(store: Store) -> None:
    store.put_event(event("IRQ1", fatalities=0, confidence=0.4))
    store.put_event(event("IRQ2", fatalities=12, confidence=0.9, rear_area=True,
                          sub_event_type="Attack", event_type="Battles"))
    store.put_event(event("IRQ3", fatalities=3, confidence=0.6,
                          sub_event_type="Remote explosive/landmine/IED",
                          event_type="Explosions/Remote violence"))

    def ids(**kw):
        return [e.event_id_cnty for e in store.events(**kw)]

    assert ids(min_confidence=0.6) == ["IRQ2", "IRQ3"]
    assert ids(min_fatalities=3) == ["IRQ2", "IRQ3"]
    assert ids(min_fatalities=13) == []
    assert ids(rear_area=True) == ["IRQ2"]
    assert ids(rear_area=False) == ["IRQ1", "IRQ3"]
    assert ids(sub_event_type="attack") == ["IRQ2"]
    assert ids(sub_event_type="Battles") == []  # a sub-event type only
    assert ids(event_type="Battles") == ["IRQ1", "IRQ2"]
    # the export filters select the same events from a list
    from rearguard.export import filter_events

    every = list(store.events())
    for kw in ({"min_confidence": 0.6}, {"min_fatalities": 3}, {"rear_area": True},
               {"rear_area": False}, {"sub_event_type": "ATTACK"}):
        assert [e.event_id_cnty for e in filter_events(every, **kw)] == ids(**kw)


def test_events_of_an_article_and_the_deletions_feed(store: Store) -> None:
    odd = 'x%_"\\y'
    store.put_event(event("IRQ1", article_ids=("a1", odd)))
    store.put_event(event("IRQ2", article_ids=("a10",)))
    store.put_event(event("IRQ3", article_ids=("xay",)))
    assert store.event_ids_of_article("a1") == ["IRQ1"]  # not a10
    assert store.event_ids_of_article(odd) == ["IRQ1"]  # % and _ are literal
    assert store.event_ids_of_article("a") == []
    store.put_event(event("IRQ1", article_ids=("a10",)))  # a put replaces the links
    assert store.event_ids_of_article("a1") == [] and store.event_ids_of_article("a10") == [
        "IRQ1", "IRQ2"]
    store.delete_event("IRQ2")
    assert store.event_ids_of_article("a10") == ["IRQ1"]
    store.put_event(event("IRQ2", article_ids=("a10",)))
    start = utc_now()
    store.set_event_status("IRQ1", "rejected")
    store.log("IRQ1", "rejected", "not an event")
    store.set_event_status("IRQ2", "deleted")
    store.log("IRQ2", "deleted", "no report supports it")
    store.set_event_status("IRQ3", "rejected")
    store.log("IRQ3", "rejected", "duplicate")
    store.set_event_status("IRQ3", "active")  # restored: not in the feed
    store.log("IRQ3", "restored", "was real")
    feed = store.deletions(start)
    assert [(d["event_id_cnty"], d["status"], d["reason"]) for d in feed] == [
        ("IRQ1", "rejected", "not an event"), ("IRQ2", "deleted", "no report supports it")]
    assert all(d["deleted_at"] >= start for d in feed)
    assert store.deletions(utc_now()) == []


def test_reports_and_control_of_an_article(store: Store) -> None:
    reported = event("IRQ5", fatalities=4,
                     evidence=(Evidence("fatalities", "four", 3, 7, "a1"),))
    store.add_report("IRQ5", "a1", 0, "2016-10-20", "v1", reported)
    store.add_report("IRQ5", None, 0, None, "legacy", event("IRQ5"))
    (first, legacy) = store.reports(event_id="IRQ5")
    assert first.event == reported and first.article_id == "a1" and first.seq == 0
    assert legacy.article_id is None and store.reports(legacy=True) == [legacy]
    assert store.reports(article_id="a1") == [first]
    store.update_report(legacy.id, event("IRQ5", fatalities=9))
    assert store.reports(legacy=True)[0].event.fatalities == 9
    store.delete_report(first.id)
    assert [r.article_id for r in store.reports(event_id="IRQ5")] == [None]
    record = ControlChange(place="Hit", geonameid=None, latitude=33.6, longitude=42.8,
                           country="Iraq", admin1="Anbar", holder="Military Forces of Iraq",
                           previous_holder="", date="2016-04-14", date_precision=1,
                           kind="retaken", extent="full", confidence=0.8, article_id="a1")
    assert store.add_control(record)
    assert store.add_control(dataclasses.replace(record, article_id="a2"))
    assert store.remove_control_of_article("a1") == [record]
    assert [r.article_id for r in store.control()] == ["a2"]


def test_migration_0003_backfills_an_older_store(fresh_url: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A store written before 0003 gets the hash of every text, for every event the time
    of its last change-log entry, and (0004) the index of its events' articles."""
    older = migrations_module.MIGRATIONS[:2]
    assert [name for name, _ in older] == ["0001_initial", "0002_article_language_flags"]
    with monkeypatch.context() as patch:
        patch.setattr(migrations_module, "MIGRATIONS", older)
        with open_store(fresh_url) as old:
            db = old._db
            db.begin()
            db.execute("INSERT INTO articles (id, text) VALUES (?, ?)", ["a1", "Five died."])
            db.execute("INSERT INTO events (event_id_cnty, event_date, disorder_type, "
                       "event_type, sub_event_type, actor1, article_ids) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       ["IRQ1", "2016-10-20", "Political violence", "Battles",
                        "Armed clash", "Islamic State (Iraq)", '["a1","b%","a1"]'])
            for at in ("2026-01-01T00:00:00.000000+00:00", "2026-02-01T00:00:00.000000+00:00"):
                db.execute("INSERT INTO change_log (event_id, action, detail, at) "
                           "VALUES (?, ?, ?, ?)", ["IRQ1", "created", "x", at])
            db.commit()
            assert old.pending() == []
    with open_store(fresh_url) as store:
        assert store.migrations()[2:4] == ["0003_revisions_review", "0004_event_articles"]
        assert store.event_ids_of_article("a1") == store.event_ids_of_article("b%") == ["IRQ1"]
        assert store.event_ids_of_article("b") == []
        assert store.article_meta("a1").content_hash == content_id("Five died.")
        assert store.article_meta("a1").revision == 1
        meta = store.event_meta("IRQ1")
        assert meta.status == "active" and meta.pipeline_version is None
        assert meta.updated_at == "2026-02-01T00:00:00.000000+00:00"


def test_logged_ids_and_distinct_values_on_both_backends(store: Store) -> None:
    """``history ID`` and ``export`` suggest close values from these; on PostgreSQL an
    ORDER BY ... COLLATE after SELECT DISTINCT was refused."""
    store.put_event(event("IRQ2", country="Iraq"))
    store.put_event(event("SYR1", country="Syria"))
    for event_id in ("SYR1", "IRQ2", "IRQ10", "IRQ2"):
        store.log(event_id, "created", "x")
    assert store.logged_event_ids() == ["IRQ10", "IRQ2", "SYR1"]
    assert store.distinct("country") == ["Iraq", "Syria"]
