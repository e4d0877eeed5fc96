"""Golden test for the control stage: the seed report (published 2016-11-06)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rearguard.geo.distance import haversine_km
from rearguard.pipeline import extract_article
from rearguard.types import Article, ControlChange, Extraction

SEED = "seed/000_1444002c944f9f67.txt"
SHIRQAT = (35.51, 43.23)
RUTBA = (33.04, 40.29)
ISLAMIC_STATE = "Islamic State (Iraq)"
IRAQI_FORCES = "Military Forces of Iraq"


@pytest.fixture(scope="module")
def result(shared_dir: Path, settings) -> Extraction:
    text = (shared_dir / SEED).read_text(encoding="utf-8")
    return extract_article(Article(id="seed", text=text, published="2016-11-06"),
                           settings=settings)


def _at(records, point, **fields) -> list[ControlChange]:
    return [r for r in records if r.latitude is not None
            and haversine_km(r.latitude, r.longitude, *point) <= 25
            and all(getattr(r, k) == v for k, v in fields.items())]


def test_shirqat_held_by_iraqi_forces_since_september(result: Extraction) -> None:
    (record,) = _at(result.control, SHIRQAT, kind="retaken")
    assert record.holder == IRAQI_FORCES
    assert record.previous_holder == ISLAMIC_STATE
    assert record.date.startswith("2016-09") and record.date_precision == 3
    assert any(e.field == "statement" and e.text == "recaptured" for e in record.evidence)


def test_rutba_taken_then_retaken_three_days_later(result: Extraction) -> None:
    (taken,) = _at(result.control, RUTBA, kind="captured")
    (retaken,) = _at(result.control, RUTBA, kind="retaken")
    assert taken.holder == ISLAMIC_STATE and retaken.holder == IRAQI_FORCES
    assert retaken.previous_holder == ISLAMIC_STATE
    assert taken.held_days == 3
    # after the 17 October offensive began
    assert "2016-10-17" <= taken.date < retaken.date <= "2016-11-06"
    assert taken.date_precision == retaken.date_precision == 2


def test_islamic_states_claim_over_districts_of_shirqat(result: Extraction) -> None:
    (claim,) = _at(result.control, SHIRQAT, kind="claimed")
    assert claim.holder == ISLAMIC_STATE
    assert claim.extent == "partial"
    assert claim.date == "2016-11-06"
    assert claim.confidence < _at(result.control, SHIRQAT, kind="retaken")[0].confidence


def test_shirqat_assault_is_a_rear_area_attack(result: Extraction) -> None:
    (event,) = [e for e in result.events if e.event_date == "2016-11-06"
                and haversine_km(e.latitude, e.longitude, *SHIRQAT) < 15]
    assert event.rear_area is True
    assert event.rear_area_reason == (
        "Ash Sharqāt was retaken by Military Forces of Iraq in 2016-09, about two months before")
    assert event.front == "Mosul"
    assert 80 < event.front_distance_km < 120  # "over 100 kilometres from Mosul"


def test_other_events_are_not_rear_area(result: Extraction) -> None:
    others = [e for e in result.events if not (e.event_date == "2016-11-06"
              and haversine_km(e.latitude, e.longitude, *SHIRQAT) < 15)]
    assert others and not any(e.rear_area for e in others)
    assert all(e.front == "" and e.front_distance_km is None for e in others)


def test_control_evidence_is_verbatim(result: Extraction, shared_dir: Path) -> None:
    text = (shared_dir / SEED).read_text(encoding="utf-8")
    assert len(result.control) >= 4
    for record in result.control:
        assert record.article_id == "seed"
        for evidence in record.evidence:
            assert text[evidence.start:evidence.end] == evidence.text
