"""Which reports are one incident, and how their figures combine."""

from __future__ import annotations

import dataclasses

import pytest

from rearguard.dataset.merge import merge_events, same_incident, window, with_article
from rearguard.types import Event, Evidence

BASE = Event(
    event_id_cnty="SOM1", event_date="2019-12-28", year=2019, time_precision=1,
    disorder_type="Political violence", event_type="Explosions/Remote violence",
    sub_event_type="Remote explosive/landmine/IED", actor1="Al Shabaab", inter1=2,
    actor2="Civilians (Somalia)", inter2=7, interaction=27, country="Somalia",
    location="Mogadishu", latitude=2.0371, longitude=45.3438, geo_precision=1,
    source="AP", fatalities=61, article_ids=("a",),
    evidence=(Evidence("event", "A truck bomb exploded", 0, 21, "a"),),
)


def _other(**fields) -> Event:
    return dataclasses.replace(BASE, event_id_cnty="SOM2", source="Reuters", article_ids=("b",),
                               evidence=(Evidence("event", "A car bomb killed", 0, 17, "b"),),
                               **fields)


@pytest.mark.parametrize(("fields", "same"), [
    ({}, True),
    ({"event_date": "2019-12-29"}, True),          # agencies' deadlines differ by a day
    ({"event_date": "2020-01-04"}, False),         # a week later: another incident
    ({"latitude": 2.10, "longitude": 45.40}, True),   # 9 km: the same town
    ({"latitude": 2.30, "longitude": 45.34}, False),  # 29 km away
    ({"event_type": "Protests", "sub_event_type": "Peaceful protest"}, False),
    ({"event_type": "Battles", "sub_event_type": "Armed clash"}, True),  # both violence
    ({"actor1": "Islamic State (Somalia)"}, False),  # another perpetrator
    ({"actor1": "Unidentified Armed Group (Somalia)"}, True),
    ({"actor1": "", "actor2": ""}, True),
    ({"event_date": "2019-12-20", "time_precision": 2}, False),
    ({"event_date": "2019-12-26", "time_precision": 2}, True),
    ({"event_date": "2019-12-05", "time_precision": 3}, True),
])
def test_same_incident(fields: dict, same: bool) -> None:
    assert same_incident(BASE, _other(**fields)) is same
    assert same_incident(_other(**fields), BASE) is same


def test_taken_and_retaken_are_two_events() -> None:
    taken = dataclasses.replace(BASE, event_type="Battles",
                                sub_event_type="Non-state actor overtakes territory")
    retaken = dataclasses.replace(taken, sub_event_type="Government regains territory",
                                  actor1="Military Forces of Somalia", inter1=1,
                                  actor2="Al Shabaab", inter2=2)
    assert not same_incident(taken, retaken)


def test_later_report_revises_the_death_toll() -> None:
    merged, changes = merge_events(BASE, _other(fatalities=79), new_is_later=True)
    assert merged.fatalities == 79
    assert changes == ["fatalities 61 -> 79 (a later report revises it)"]
    assert merged.article_ids == ("a", "b")
    assert merged.source == "AP; Reuters"
    assert merged.source_scale == "International"
    assert {e.article_id for e in merged.evidence} == {"a", "b"}
    assert merged.event_id_cnty == "SOM1"


def test_same_day_reports_keep_the_conservative_figure() -> None:
    merged, changes = merge_events(BASE, _other(fatalities=90), new_is_later=False)
    assert merged.fatalities == 61 and changes == []
    merged, _ = merge_events(_other(fatalities=90), BASE, new_is_later=False)
    assert merged.fatalities == 61


def test_more_precise_place_and_date_win() -> None:
    coarse = dataclasses.replace(BASE, location="Banaadir", geo_precision=3, time_precision=2,
                                 event_date="2019-12-25")
    merged, changes = merge_events(coarse, _other(), new_is_later=False)
    assert (merged.location, merged.geo_precision) == ("Mogadishu", 1)
    assert (merged.event_date, merged.time_precision) == ("2019-12-28", 1)
    assert len(changes) == 2


def test_windows() -> None:
    assert window(BASE) == ("2019-12-27", "2019-12-29")
    assert window(dataclasses.replace(BASE, time_precision=3)) == ("2019-11-27", "2020-01-28")


def test_with_article_marks_only_unmarked_evidence() -> None:
    event = dataclasses.replace(BASE, evidence=(Evidence("event", "x", 0, 1),
                                                Evidence("date", "y", 2, 3, "z")))
    assert [e.article_id for e in with_article(event, "q").evidence] == ["q", "z"]


def test_an_older_report_does_not_undo_a_revision() -> None:
    revised = dataclasses.replace(BASE, fatalities=79)
    merged, changes = merge_events(revised, _other(fatalities=61), new_is_later=False,
                                   new_is_earlier=True)
    assert merged.fatalities == 79 and changes == []


@pytest.mark.parametrize(("sources", "scale"), [
    ("AP; Reuters", "International"), ("Agence France-Presse", "International"),
    ("Shabelle Radio", ""), ("Shabelle Radio; BBC News", "International"), ("", ""),
])
def test_source_scale(sources: str, scale: str) -> None:
    from rearguard.events.regions import source_scale

    assert source_scale(sources) == scale


def test_a_named_actor_replaces_an_unnamed_one() -> None:
    unnamed = dataclasses.replace(BASE, actor1="Unidentified Armed Group (Somalia)", inter1=3)
    merged, changes = merge_events(unnamed, _other(), new_is_later=True)
    assert (merged.actor1, merged.inter1, merged.interaction) == ("Al Shabaab", 2, 27)
    assert any(c.startswith("actor1 Unidentified Armed Group (Somalia) -> Al Shabaab")
               for c in changes)
    # and never the other way round
    merged, _ = merge_events(BASE, _other(actor1="Unidentified Armed Group (Somalia)",
                                          inter1=3), new_is_later=True)
    assert merged.actor1 == "Al Shabaab"


def test_at_the_same_precision_the_more_confident_report_places_it() -> None:
    old = dataclasses.replace(BASE, confidence=0.5)
    new = _other(location="Hodan", latitude=2.03, longitude=45.30, confidence=0.9)
    merged, changes = merge_events(old, new, new_is_later=False)
    assert merged.location == "Hodan" and any("a more confident report" in c for c in changes)
    merged, _ = merge_events(dataclasses.replace(old, confidence=0.95), new,
                             new_is_later=False)
    assert merged.location == "Mogadishu"


def test_the_place_brings_its_country() -> None:
    coarse = dataclasses.replace(BASE, location="Somalia", country="", iso=None,
                                 geo_precision=3)
    merged, _ = merge_events(coarse, _other(iso=706, region="Eastern Africa"),
                             new_is_later=False)
    assert (merged.country, merged.iso, merged.region) == ("Somalia", 706, "Eastern Africa")
