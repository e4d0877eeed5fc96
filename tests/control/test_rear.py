"""Rear-area rules on hand-built records: sides, dates at their precision, fronts."""

from __future__ import annotations

import pytest

from rearguard.control.rear import find_fronts, flag_rear_areas, rear_area_reason
from rearguard.control.statements import _held_days
from rearguard.types import ControlChange, Event, Place

TOWN = dict(latitude=35.5, longitude=43.2)


def _event(date: str, precision: int = 1, inter1: int = 2, **kw) -> Event:
    fields = dict(event_id_cnty="IRQ1", event_date=date, year=int(date[:4]),
                  time_precision=precision, disorder_type="Political violence",
                  event_type="Battles", sub_event_type="Armed clash", actor1="Islamic State",
                  inter1=inter1, location="Town", **TOWN)
    fields.update(kw)
    return Event(**fields)


def _record(date: str, precision: int, holder: str, kind: str = "retaken", **kw) -> ControlChange:
    fields = dict(place="Town", geonameid=1, country="Iraq", admin1="", holder=holder,
                  previous_holder="", date=date, date_precision=precision, kind=kind, **TOWN)
    fields.update(kw)
    return ControlChange(**fields)


SIDES = {"Army": "state", "Islamic State": "non-state"}


def test_attack_after_the_other_side_retook_the_town() -> None:
    (event,) = flag_rear_areas([_event("2016-11-06")], [_record("2016-09-15", 3, "Army")],
                               sides=SIDES)
    assert event.rear_area
    assert event.rear_area_reason == "Town was retaken by Army in 2016-09, about two months before"


@pytest.mark.parametrize(("record", "why"), [
    (_record("2016-11-06", 1, "Army"), "the same day is not before"),
    (_record("2016-11-15", 3, "Army"), "the month of the event is not surely before"),
    (_record("2016-09-15", 3, "Islamic State"), "the attacker's own side held it"),
    (_record("2016-09-15", 3, "Army", kind="claimed"), "a claim is not a change"),
    (_record("2016-09-15", 3, "Army", latitude=36.5), "another town, 110 km away"),
    (_record("2016-09-15", 3, ""), "nobody named"),
])
def test_not_rear_area(record: ControlChange, why: str) -> None:
    (event,) = flag_rear_areas([_event("2016-11-06")], [record], sides=SIDES)
    assert not event.rear_area, why


def test_the_latest_change_decides() -> None:
    records = [_record("2016-06-15", 3, "Army"),
               _record("2016-09-15", 3, "Islamic State", kind="captured")]
    (event,) = flag_rear_areas([_event("2016-11-06")], records, sides=SIDES)
    assert not event.rear_area  # the group took the town back before attacking in it


def test_state_attack_in_a_town_the_group_took() -> None:
    records = [_record("2016-10-01", 1, "Islamic State", kind="captured")]
    (event,) = flag_rear_areas([_event("2016-10-20", inter1=1, actor1="Army")], records,
                               sides=SIDES)
    assert event.rear_area and "taken by Islamic State on 2016-10-01" in event.rear_area_reason


def test_protests_are_never_rear_area() -> None:
    event = _event("2016-11-06", event_type="Protests", sub_event_type="Peaceful protest")
    (flagged,) = flag_rear_areas([event], [_record("2016-09-15", 3, "Army")], sides=SIDES)
    assert not flagged.rear_area


def test_reason_wording() -> None:
    assert rear_area_reason(_record("2015-09-29", 3, "Army"), _event("2016-10-03")).endswith(
        "in 2015-09, about a year before")
    assert rear_area_reason(_record("2016-10-30", 1, "Army"), _event("2016-11-06")).endswith(
        "on 2016-10-30, 7 days before")


def _place(text: str, start: int, lat: float, lon: float) -> Place:
    return Place(start=start, end=start + len(text), text=text, name=text, latitude=lat,
                 longitude=lon, geo_precision=1)


def test_fronts_and_distance() -> None:
    text = ("Militants attacked Shirqat, far behind the offensive against Mosul. Trucks bound "
            "for the Hawija front lines were hit.")
    places = [_place("Shirqat", text.index("Shirqat"), 35.51, 43.23),
              _place("Mosul", text.index("Mosul"), 36.34, 43.12),
              _place("Hawija", text.index("Hawija"), 35.32, 43.76)]
    fronts = find_fronts(text, places)
    assert [p.text for p in fronts] == ["Mosul", "Hawija"]
    (event,) = flag_rear_areas([_event("2016-11-06", latitude=35.51, longitude=43.23)],
                               [_record("2016-09-15", 3, "Army", latitude=35.51,
                                        longitude=43.23)], fronts, sides=SIDES)
    assert event.front == "Hawija" and 50 < event.front_distance_km < 55


@pytest.mark.parametrize(("sentence", "days"), [
    ("held it for three days until ISF forces took it back", 3),
    ("held the town for about two weeks before troops retook it", 14),
    ("held it for nine months", 270),
    ("held talks for three days", None),
    ("held 30 hostages", None),
])
def test_held_days(sentence: str, days) -> None:
    assert _held_days(sentence) == days
