"""The composed pipeline on the bundled seed report: each stage's record, and the output
the extractor gave before the stages were composed in ``rearguard.pipeline`` (event ids,
order, types, places, flags; control records), unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from rearguard.control import find_control, rear_areas
from rearguard.events.extract import find_incidents
from rearguard.events.merge import build_events
from rearguard.events.reported import keep_reported
from rearguard.pipeline import Pipeline, article_from_file, extract_article
from rearguard.types import (
    Article,
    ControlChange,
    ControlRecords,
    Extraction,
    Incidents,
    Located,
    Parsed,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples/shirqat-2016-11-06.txt"
ISLAMIC_STATE = "Islamic State (Iraq)"
IRAQI_FORCES = "Military Forces of Iraq"

# (id, date, sub-event type, location, actor1, rear area, front) of the built events, as
# extracted before the composition moved into pipeline.py.
EVENTS = [
    ("IRQ8119911", "2016-11-06", "Armed clash", "Ash Sharqāt", ISLAMIC_STATE, True, "Mosul"),
    ("IRQ8641146", "2016-09-15", "Government regains territory", "Ash Sharqāt", IRAQI_FORCES,
     False, ""),
    ("IRQ1183770", "2016-10-17", "Armed clash", "Mosul", IRAQI_FORCES, False, ""),
    ("IRQ6773543", "2016-10-17", "Armed clash", "Kirkuk", ISLAMIC_STATE, False, ""),
    ("IRQ3284632", "2016-10-17", "Non-state actor overtakes territory", "Ar Ruţbah",
     ISLAMIC_STATE, False, ""),
    ("IRQ3284633", "2016-10-20", "Government regains territory", "Ar Ruţbah", IRAQI_FORCES,
     False, ""),
]
# The events the report brings as news: September's recapture of Shirqat, seven weeks
# before, is background (the news step, docs/decisions.md); its control record stays.
BACKGROUND = "IRQ8641146"
REPORTED = [row for row in EVENTS if row[0] != BACKGROUND]
# (kind, place, holder, previous holder, date, precision, extent, held days)
CONTROL = [
    ("claimed", "Ash Sharqāt", ISLAMIC_STATE, IRAQI_FORCES, "2016-11-06", 1, "partial", None),
    ("contested", "Ash Sharqāt", "", "", "2016-11-06", 1, "full", None),
    ("retaken", "Ash Sharqāt", IRAQI_FORCES, ISLAMIC_STATE, "2016-09-15", 3, "full", None),
    ("captured", "Ar Ruţbah", ISLAMIC_STATE, IRAQI_FORCES, "2016-10-17", 2, "full", 3),
    ("retaken", "Ar Ruţbah", IRAQI_FORCES, ISLAMIC_STATE, "2016-10-20", 2, "full", None),
]


@pytest.fixture(scope="module")
def article() -> Article:
    return article_from_file(EXAMPLE)


@pytest.fixture(scope="module")
def pipeline(settings) -> Pipeline:
    return Pipeline(settings)


@pytest.fixture(scope="module")
def result(article: Article, settings) -> Extraction:
    return extract_article(article, settings=settings)


def _control_row(r: ControlChange) -> tuple:
    return (r.kind, r.place, r.holder, r.previous_holder, r.date, r.date_precision, r.extent,
            r.held_days)


def test_the_seed_extraction_is_unchanged(article: Article, result: Extraction) -> None:
    assert article.id == "8cd0aa690c306456" and article.published == "2016-11-06"
    assert [(e.event_id_cnty, e.event_date, e.sub_event_type, e.location, e.actor1,
             e.rear_area, e.front) for e in result.events] == REPORTED
    assert [_control_row(r) for r in result.control] == CONTROL
    first = result.events[0]
    assert first.fatalities == 2 and first.captured == 5 and first.front_distance_km == 91.5
    assert first.rear_area_reason.startswith(f"Ash Sharqāt was retaken by {IRAQI_FORCES}")


def test_each_stage_returns_its_record(pipeline: Pipeline, article: Article,
                                       result: Extraction) -> None:
    parsed = pipeline.parse(article)
    assert isinstance(parsed, Parsed) and len(parsed.chunks) == len(parsed.docs) == 14
    located = pipeline.locate(parsed)
    assert isinstance(located, Located) and len(located.toponyms) == 14
    assert "Ash Sharqāt" in {p.name for p in located.places.values()}
    incidents = find_incidents(parsed, located, vague=pipeline.vague)
    assert isinstance(incidents, Incidents)
    assert [p.name if p else None for p in incidents.places] == [
        "Ash Sharqāt", "Ash Sharqāt", "Mosul", "Kirkuk", "Ar Ruţbah"]
    control = find_control(incidents, located.places.values())
    assert [[r.kind for r in records] for records in control.by_incident] == [
        ["claimed", "contested"], ["retaken"], [], [], ["captured", "retaken"]]
    events = build_events(incidents, control)
    assert [e.event_id_cnty for e in events] == [row[0] for row in EVENTS]
    reported = keep_reported(article, events)
    assert [e.event_id_cnty for e in reported] == [row[0] for row in REPORTED]
    flagged = rear_areas(article.text, list(reported), control.records,
                         places=list(located.places.values()), actors=incidents.actors)
    assert Extraction(article, tuple(flagged), control.records) == result


def test_control_records_decide_territorial_types(pipeline: Pipeline, article: Article) -> None:
    """Without the control stage's records, Rutba taken and held three days is an armed
    clash and its retaking no second event, and territory regained with no place that
    changed hands is an armed clash too: the dependency the composer orders."""
    parsed = pipeline.parse(article)
    incidents = find_incidents(parsed, pipeline.locate(parsed), vague=pipeline.vague)
    alone = build_events(incidents, ControlRecords(by_incident=()))
    territorial = ("Government regains territory", "Non-state actor overtakes territory")
    assert [(e.event_id_cnty, e.sub_event_type) for e in alone] == [
        (id_, "Armed clash" if id_ == "IRQ3284632" or sub in territorial else sub)
        for id_, _, sub, *_ in EVENTS if id_ != "IRQ3284633"]
    assert any(sub in territorial for _, _, sub, *_ in EVENTS)


GOLDEN = sorted((Path(__file__).resolve().parents[1] / "examples/golden").glob("*.txt"))


def _token_rows(parsed: Parsed) -> list[list[tuple]]:
    return [[(t.idx, t.tag_, t.pos_, str(t.morph), t.dep_, t.head.i, t.ent_iob_, t.ent_type_,
              t.is_sent_start) for t in doc] for doc in parsed.docs]


def test_articles_extracted_together_are_extracted_as_one_at_a_time(
        pipeline: Pipeline, article: Article) -> None:
    articles = [article, *(article_from_file(path) for path in GOLDEN)]
    together = pipeline.extract_many(articles)
    alone = [pipeline.extract(a) for a in articles]
    assert [x.to_dict() for x in together] == [x.to_dict() for x in alone]  # type: ignore[union-attr]
    assert sum(len(x.events) for x in alone) > len(REPORTED)
    # the batch's parse: each article's sentences get the docs they get on their own
    for one, many in zip([pipeline.parse(a) for a in articles], pipeline.parse_many(articles),
                         strict=True):
        assert one.chunks == many.chunks and _token_rows(one) == _token_rows(many)


def test_an_article_that_fails_keeps_its_place_in_a_batch(
        pipeline: Pipeline, article: Article, monkeypatch: pytest.MonkeyPatch) -> None:
    golden = [article_from_file(path) for path in GOLDEN[:2]]
    composed = Pipeline._composed

    def failing(self: Pipeline, parsed: Parsed) -> Extraction:
        if parsed.article is golden[0]:
            raise ValueError("this one fails")
        return composed(self, parsed)

    monkeypatch.setattr(Pipeline, "_composed", failing)
    found = pipeline.extract_many([article, golden[0], golden[1]])
    assert isinstance(found[1], ValueError)
    assert [x.article.id for x in (found[0], found[2])] == [article.id, golden[1].id]  # type: ignore[union-attr]
    assert found[0].to_dict() == pipeline.extract(article).to_dict()  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="this one fails"):
        pipeline.extract(golden[0])
