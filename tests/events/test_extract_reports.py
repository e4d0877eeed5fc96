"""Reports written the way news agencies write them, from other wars and years: the same
rules must hold without special cases for Iraq. And news that is not about political
violence (markets, sport, opinion) yields nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from rearguard.geo.distance import haversine_km
from rearguard.pipeline import article_from_file, extract_article
from rearguard.types import Event

ARTICLES = Path(__file__).resolve().parents[1] / "data/articles"


def _events(name: str, settings) -> list[Event]:
    return list(extract_article(article_from_file(ARTICLES / name), settings=settings).events)


def _near(events: list[Event], lat: float, lon: float, km: float = 15.0) -> list[Event]:
    return [e for e in events if e.latitude is not None
            and haversine_km(e.latitude, e.longitude, lat, lon) <= km]


@pytest.mark.parametrize("name", [
    "markets-2018-05-02.txt", "football-2019-03-10.txt", "opinion-2017-02-01.txt",
])
def test_no_events_outside_political_violence(name: str, settings) -> None:
    assert _events(name, settings) == []


def test_kunduz_assault_and_last_years_capture(settings) -> None:
    events = _near(_events("kunduz-2016-10-03.txt", settings), 36.73, 68.86)
    today = [e for e in events if e.event_date == "2016-10-03"]
    assert len(today) == 1
    event = today[0]
    assert event.actor1 == "Taliban" and event.event_type == "Battles"
    assert event.actor2 == "Military Forces of Afghanistan"
    assert event.fatalities == 4 and event.injured == 12
    # "In September last year the Taliban overran Kunduz": last year's capture is the
    # background of today's assault, not one of this report's events; the ledger keeps it
    assert not [e for e in events if e.event_date and e.event_date.startswith("2015")]
    control = extract_article(article_from_file(ARTICLES / "kunduz-2016-10-03.txt"),
                              settings=settings).control
    assert any(r.kind == "captured" and r.holder == "Taliban" and r.date.startswith("2015-09")
               for r in control)


def test_maiduguri_suicide_bombing(settings) -> None:
    events = _events("maiduguri-2017-06-08.txt", settings)
    bombing = _near(events, 11.85, 13.16)
    assert len(bombing) == 1
    event = bombing[0]
    assert event.sub_event_type == "Suicide bomb"
    assert event.event_date == "2017-06-07" and event.time_precision == 1
    # 13 people and the two bombers who blew themselves up: ACLED counts attackers too
    assert event.fatalities == 15
    assert event.injured == 24
    assert event.civilian_targeting == "Civilian targeting" or event.actor2.startswith("Civilians")
    arrests = [e for e in events if e.sub_event_type == "Arrests"]
    assert len(arrests) == 1 and arrests[0].actor1 == "Military Forces of Nigeria"
    assert arrests[0].event_date == "2017-06-06"


def test_air_strike_and_shelling_in_syria(settings) -> None:
    events = _events("khan-sheikhoun-2017-04-04.txt", settings)
    strike = _near(events, 35.44, 36.65)
    assert len(strike) == 1
    event = strike[0]
    assert event.sub_event_type == "Air/drone strike"
    assert event.actor1 == "Military Forces of Syria"
    assert event.actor2 == "Civilians (Syria)" and event.civilian_targeting
    assert event.fatalities == 12
    assert event.event_date == "2017-04-04" and event.admin1 == "Idlib"
    shelling = _near(events, 35.13, 36.76)
    assert len(shelling) == 1
    assert shelling[0].sub_event_type == "Shelling/artillery/missile attack"
    assert shelling[0].event_date == "2017-04-03"
    assert shelling[0].fatalities == 5


def test_mogadishu_truck_bomb_and_claim(settings) -> None:
    events = _events("mogadishu-2019-12-28.txt", settings)
    assert len(events) == 1
    event = events[0]
    assert event.event_type == "Explosions/Remote violence"
    assert event.sub_event_type == "Remote explosive/landmine/IED"
    assert event.fatalities == 79 and event.injured == 100
    assert event.claimed_by == "Al Shabaab"
    assert event.country == "Somalia" and event.region == "Eastern Africa"


def test_khartoum_protest_met_with_tear_gas(settings) -> None:
    events = _events("khartoum-2019-01-17.txt", settings)
    protest = [e for e in _near(events, 15.55, 32.53, km=3) if e.location == "Khartoum"]
    assert len(protest) == 1
    assert protest[0].event_type == "Protests"
    assert protest[0].sub_event_type == "Protest with intervention"
    assert protest[0].actor1 == "Protesters (Sudan)" and protest[0].inter1 == 6
    assert all(e.country == "Sudan" for e in events)
    # "Security forces also arrested dozens of demonstrators in Omdurman": its own event
    omdurman = [e for e in events if e.location == "Omdurman"]
    assert len(omdurman) == 1
    assert omdurman[0].actor1 == "Military Forces of Sudan"
    assert omdurman[0].actor2 == "Protesters (Sudan)"
