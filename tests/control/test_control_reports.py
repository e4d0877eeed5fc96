"""Beyond the seed: agency-style reports from other wars (examples/golden). The same rules
hold without special cases for Iraq."""

from __future__ import annotations

from pathlib import Path

import pytest

from rearguard.geo.distance import haversine_km
from rearguard.pipeline import article_from_file, extract_article
from rearguard.types import Extraction

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "examples/golden"


def _extract(path: Path, settings) -> Extraction:
    return extract_article(article_from_file(path), settings=settings)


def _near(items, lat: float, lon: float, km: float = 25.0):
    return [x for x in items if x.latitude is not None
            and haversine_km(x.latitude, x.longitude, lat, lon) <= km]


def test_taliban_attack_on_a_city_it_briefly_seized_the_year_before(settings) -> None:
    result = _extract(ROOT / "tests/data/articles/kunduz-2016-10-03.txt", settings)
    kunduz = (36.73, 68.86)
    records = _near(result.control, *kunduz)
    assert any(r.kind == "captured" and r.holder == "Taliban" and r.date.startswith("2015-09")
               and r.held_days == 14 for r in records)
    assert any(r.kind == "retaken" and r.holder == "Military Forces of Afghanistan"
               for r in records)
    (attack,) = [e for e in _near(result.events, *kunduz) if e.event_date == "2016-10-03"]
    assert attack.rear_area
    assert attack.rear_area_reason.startswith(
        "Kunduz was retaken by Military Forces of Afghanistan in 2015-09")
    assert attack.rear_area_reason.endswith("about a year before")


def test_islamic_state_retakes_a_city_the_army_recaptured(settings) -> None:
    result = _extract(GOLDEN / "palmyra-2016-12-11.txt", settings)
    palmyra = (34.56, 38.27)
    records = _near(result.control, *palmyra)
    army = [r for r in records if r.holder == "Military Forces of Syria" and r.kind == "retaken"]
    assert len(army) == 1 and army[0].date.startswith("2016-03")
    ours = [r for r in records if r.holder == "Islamic State (Syria)" and r.date == "2016-12-11"]
    assert ours and ours[0].kind == "retaken"
    events = [e for e in _near(result.events, *palmyra) if e.event_date == "2016-12-11"]
    assert any(e.rear_area and "retaken by Military Forces of Syria in 2016-03"
               in e.rear_area_reason for e in events)
    flagged = [e for e in events if e.rear_area]
    assert flagged[0].front  # eastern Aleppo, where the army has its troops
    assert 150 < flagged[0].front_distance_km < 260


def test_a_city_declared_liberated_is_not_a_rear_area(settings) -> None:
    result = _extract(GOLDEN / "marawi-2017-10-17.txt", settings)
    marawi = (8.0, 124.29)
    records = _near(result.control, *marawi)
    assert any(r.kind == "liberated" and r.holder == "Military Forces of the Philippines"
               and r.date == "2017-10-17" for r in records)
    assert any(r.kind == "captured" and r.date == "2017-05-23" and r.extent == "partial"
               for r in records)
    assert not any(e.rear_area for e in result.events)


@pytest.mark.parametrize("name", ["tiyeglow-2016-10-26.txt", "sloviansk-2014-07-05.txt"])
def test_no_rear_area_where_nobody_attacked_behind_lines(name: str, settings) -> None:
    result = _extract(GOLDEN / name, settings)
    assert result.control
    assert not any(e.rear_area for e in result.events)
