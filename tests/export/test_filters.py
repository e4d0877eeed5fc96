"""filter_events on hand-built events: each condition alone, and together."""

from __future__ import annotations

import datetime as dt

import pytest

from rearguard.errors import InputError
from rearguard.export import filter_events

from .strategies import make_event

MOSUL = make_event(event_id_cnty="A", country="Iraq", admin1="Ninewa",
                   event_date="2016-11-06", event_type="Battles",
                   sub_event_type="Armed clash", actor1="Military Forces of Iraq (2014-)",
                   actor2="Islamic State (Iraq)", latitude=36.34, longitude=43.13)
MOGADISHU = make_event(event_id_cnty="B", country="Somalia", admin1="Banadir",
                       event_date="2019-12-28", event_type="Explosions/Remote violence",
                       sub_event_type="Remote explosive/landmine/IED", actor1="Al Shabaab",
                       assoc_actor_1="", actor2="Civilians (Somalia)",
                       latitude=2.04, longitude=45.34)
UNDATED = make_event(event_id_cnty="C", country="Iraq", admin1="Salah al-Din",
                     event_date=None, year=None, event_type="Violence against civilians",
                     sub_event_type="Attack", actor1="Unidentified Armed Group (Iraq)",
                     assoc_actor_2="Sunni Muslim Group (Iraq)")
FIJI = make_event(event_id_cnty="D", country="Fiji", admin1="Northern",
                  event_date="2020-01-01", event_type="Protests",
                  sub_event_type="Peaceful protest", actor1="Protesters (Fiji)",
                  latitude=-16.5, longitude=179.9)
ALL = [MOSUL, MOGADISHU, UNDATED, FIJI]


def ids(**conditions) -> list[str]:
    return [e.event_id_cnty for e in filter_events(ALL, **conditions)]


def test_no_condition_keeps_everything_in_order() -> None:
    assert ids() == ["A", "B", "C", "D"]


def test_country_and_admin1_are_case_insensitive_equality() -> None:
    assert ids(country="iraq") == ["A", "C"]
    assert ids(country="IRAQ ") == ["A", "C"]
    assert ids(country="Ira") == []
    assert ids(admin1="NINEWA") == ["A"]
    assert ids(admin1="salah al-din") == ["C"]


def test_dates_are_inclusive_and_drop_undated() -> None:
    assert ids(since="2016-11-06") == ["A", "B", "D"]
    assert ids(since="2016-11-07") == ["B", "D"]
    assert ids(until="2019-12-28") == ["A", "B"]
    assert ids(since="2016-11-06", until="2016-11-06") == ["A"]
    assert ids(since=dt.date(2019, 12, 28), until=dt.date(2020, 1, 1)) == ["B", "D"]


def test_event_type_matches_type_or_sub_type() -> None:
    assert ids(event_type="battles") == ["A"]
    assert ids(event_type="Remote explosive/landmine/IED") == ["B"]
    assert ids(event_type="attack") == ["C"]
    assert ids(event_type="Armed") == []  # equality, not substring


def test_actor_is_a_substring_of_any_actor_column() -> None:
    assert ids(actor="islamic state") == ["A"]  # actor2
    assert ids(actor="shabaab") == ["B"]  # actor1
    assert ids(actor="sunni") == ["C"]  # assoc_actor_2
    assert ids(actor="(iraq)") == ["A", "C"]
    assert ids(actor="Civilians") == ["B"]


def test_assoc_actor_1_is_searched() -> None:
    event = make_event(assoc_actor_1="Hashd al-Shaabi")
    assert list(filter_events([event], actor="hashd")) == [event]


def test_bbox_is_inclusive_and_drops_unlocated() -> None:
    assert ids(bbox=(40, 30, 50, 40)) == ["A"]
    assert ids(bbox=(43.13, 36.34, 43.13, 36.34)) == ["A"]  # edges count
    assert ids(bbox=(-180, -90, 180, 90)) == ["A", "B", "D"]
    assert ids(bbox=[40, -5, 50, 5]) == ["B"]


def test_bbox_across_the_antimeridian() -> None:
    assert ids(bbox=(170, -20, -170, -10)) == ["D"]


def test_conditions_combine() -> None:
    assert ids(country="Iraq", event_type="Battles") == ["A"]
    assert ids(country="Iraq", since="2000-01-01") == ["A"]
    assert ids(country="Somalia", actor="islamic") == []
    assert ids(actor="(", since="2016-01-01", until="2019-12-31",
               bbox=(0, 0, 60, 60)) == ["A", "B"]
    assert ids(country="fiji", admin1="northern", event_type="protests",
               actor="protesters", since="2020-01-01", until="2020-01-01",
               bbox=(179, -17, 180, -16)) == ["D"]


def test_lazy_and_checked_up_front() -> None:
    def endless():
        while True:
            yield MOSUL

    first = next(filter_events(endless(), country="Iraq"))
    assert first is MOSUL
    with pytest.raises(InputError) as bad:
        filter_events(endless(), since="06/11/2016")
    assert bad.value.code == "E142"
    with pytest.raises(InputError) as bad:
        filter_events(ALL, until="2016-02-30")
    assert bad.value.code == "E142"
    for box in [(1, 2, 3), (0, 10, 5, 0), ("a", 1, 2, 3), (0, 0, float("nan"), 1)]:
        with pytest.raises(InputError) as bad:
            filter_events(ALL, bbox=box)
        assert bad.value.code == "E143"
