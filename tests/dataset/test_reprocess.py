"""Issue 11, point 3: extracting the stored articles again after an upgrade, through the
same merge and log, with the pipeline version stored on each event."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from rearguard.dataset import derive, ingest, reprocess
from rearguard.dataset.version import pipeline_version

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests/data"
CORPUS = [str(DATA / "dataset"), str(ROOT / "examples/golden")]


def _state(store) -> list[tuple]:
    return sorted((e.event_id_cnty, e.fatalities, e.event_date, e.location, e.article_ids)
                  for e in store.events())


def test_the_same_pipeline_changes_nothing(store, settings) -> None:
    ingest(CORPUS, store=store, settings=settings)
    version = pipeline_version(settings)
    before, log = _state(store), store.history()
    assert len(before) >= 5
    assert all(store.event_meta(e[0]).pipeline_version == version for e in before)
    assert all(store.article_meta(a.id).extracted_with == version for a in store.articles()
               if store.article_meta(a.id).duplicate_of is None)
    skipped = reprocess(store, settings=settings)
    assert skipped.articles == 0 and skipped.seen == store.count("articles")
    forced = reprocess(store, settings=settings, force=True)
    assert forced.articles == store.count("articles") and forced.events_new == 0
    assert forced.events_updated == 0 and forced.events_deleted == 0
    assert _state(store) == before and store.history() == log


def _upgraded(extract):
    """A 'newer pipeline': the real extraction, with every toll one higher and the
    Mogadishu follow-up's event dropped."""

    def newer(extractor, article):
        found = extract(extractor, article)
        events = tuple(dataclasses.replace(e, fatalities=e.fatalities + 1)
                       for e in found.events if e.event_date != "2020-01-04")
        return dataclasses.replace(found, events=events)

    return newer


def test_a_new_pipeline_updates_events_in_place(store, settings, monkeypatch) -> None:
    ingest(CORPUS, store=store, settings=settings)
    before = {e.event_id_cnty: e for e in store.events()}
    (dropped,) = [e for e in before.values() if e.event_date == "2020-01-04"]
    monkeypatch.setattr(derive.Extractor, "__call__", _upgraded(derive.Extractor.__call__))
    monkeypatch.setattr("rearguard.dataset.pipeline_version", lambda settings=None: "9.9+new")
    report = reprocess(store, settings=settings)
    assert report.articles == len(list(store.articles(sources_only=True))) > 5
    after = {e.event_id_cnty: e for e in store.events()}
    assert set(after) == set(before) - {dropped.event_id_cnty}  # the same ids
    for event_id, event in after.items():
        assert event.fatalities == before[event_id].fatalities + 1
        assert store.event_meta(event_id).pipeline_version == "9.9+new"
        entry = store.history(event_id)[-1]
        assert entry["action"] == "updated"
        assert "reprocessed with pipeline 9.9+new" in entry["detail"]
    assert store.event_meta(dropped.event_id_cnty).status == "deleted"
    assert report.events_deleted == 1 and report.events_new == 0
    # everything is current now: a second run extracts nothing
    assert reprocess(store, settings=settings).articles == 0


def test_since_limits_the_articles(store, settings, monkeypatch) -> None:
    ingest([str(DATA / "dataset")], store=store, settings=settings)
    monkeypatch.setattr("rearguard.dataset.pipeline_version", lambda settings=None: "new")
    report = reprocess(store, settings=settings, since="2019-12-29")
    assert report.articles == 2  # AFP (29 December) and AP (4 January), not Reuters
    assert sorted(a.id for a in store.articles()
                  if store.article_meta(a.id).extracted_with == "new") == sorted(
        a.id for a in store.articles(since="2019-12-29"))


def test_events_stored_before_reports_were_kept(store, settings, tmp_path) -> None:
    """A store from before migration 0003 has events but no reports: they stand as they
    are (a legacy report) until their articles are extracted again; then the legacy
    report is gone and the event is the merge of real reports."""
    source = tmp_path / "m.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "reuters", "published": "2019-12-28",
         "text": (DATA / "dataset/mogadishu-reuters-2019-12-28.txt").read_text()},
        {"id": "afp", "published": "2019-12-29",
         "text": (DATA / "dataset/mogadishu-afp-2019-12-29.txt").read_text()}]))
    ingest([str(source)], store=store, settings=settings)
    (event,) = [e for e in store.events() if e.event_date == "2019-12-28"]
    # make it look like an event of an older store: no reports, no version
    db = store._db
    db.execute("DELETE FROM reports")
    db.execute("UPDATE events SET pipeline_version = NULL")
    db.execute("UPDATE articles SET extracted_with = NULL")
    store.put_event(dataclasses.replace(event, fatalities=70))  # as it was stored then
    reprocess(store, settings=settings, since="2019-12-29")  # AFP only
    mixed = store.event_meta(event.event_id_cnty)
    assert sorted(mixed.pipeline_version.split(";")) == sorted(
        ["legacy", pipeline_version(settings)])
    (legacy,) = store.reports(event_id=event.event_id_cnty, legacy=True)
    assert legacy.event.article_ids == ("reuters",)  # AFP speaks for itself now
    assert store.get_event(event.event_id_cnty).article_ids == ("reuters", "afp")
    reprocess(store, settings=settings)  # Reuters too
    assert store.reports(event_id=event.event_id_cnty, legacy=True) == []
    after = store.get_event(event.event_id_cnty)
    assert after.fatalities == 79 and after.article_ids == ("reuters", "afp")
    assert store.event_meta(event.event_id_cnty).pipeline_version == pipeline_version(settings)
