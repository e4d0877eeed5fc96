"""Rear-area attacks: violence by one side in a place the other side took or held before.

An event is a rear-area attack when its actor1 is on one side (state forces and their
external allies, or non-state armed groups) and a control record of the same place
(within 25 km) says the *other* side captured, retook, liberated or held it before the
event's date. The reason names that record and how long before ("retaken by Military
Forces of Iraq in 2016-09, about two months before"). Claims and contested places do not
count: they say nobody holds the place yet.

Each rear-area event also gets its distance to the nearest active front the article names:
the target of an offensive ("the offensive against Mosul", "a push to retake Raqqa"), a
place forces close in on or besiege ("closed in on the last rebel-held districts of eastern
Aleppo"), or a front line ("the Mosul frontlines").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

from ..geo.distance import haversine_km
from ..types import TIME_DAY, TIME_MONTH, TIME_WEEK, Actor, ControlChange, Event, Place
from .statements import side, side_of

SAME_PLACE_KM = 25.0
VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
HOLDING_KINDS = ("captured", "retaken", "liberated", "held", "handed_over")
VERB = {"captured": "taken", "retaken": "retaken", "liberated": "liberated", "held": "held",
        "handed_over": "handed over"}

_FRONT_BEFORE = re.compile(
    r"(?:offensives?|assaults?|push|battle|campaign|operations?|advance|drive|march|siege)"
    r"\s+(?:against|on|for|into|towards?|of|to\s+(?:re)?(?:capture|take|retake|liberate|"
    r"recapture|free))\s+(?:the\s+(?:city|town)\s+of\s+)?$", re.I,
)
_FRONT_CLOSING = re.compile(
    r"(?:(?:closed|closing|closes|close) in on|encircl\w*|besieg\w*|surround\w*)\b[^.;]{0,50}$",
    re.I,
)
_FRONT_AFTER = re.compile(r"^(?:['’]s)?\s*front[- ]?lines?\b|^\s+front\b", re.I)
_FRONT_LINE_BEFORE = re.compile(r"front[- ]?lines?\s+(?:near|in|around|of|at|outside)\s+$", re.I)


def find_fronts(text: str, places: Sequence[Place]) -> list[Place]:
    """The places the article names as active fronts, in text order, each once."""
    fronts: list[Place] = []
    seen = set()
    for place in places:
        if not place.resolved or (place.geo_precision or 3) == 3:
            continue
        before = text[max(0, place.start - 60):place.start]
        after = text[place.end:place.end + 20]
        if _FRONT_BEFORE.search(before) or _FRONT_AFTER.search(after) \
                or _FRONT_LINE_BEFORE.search(before) or _FRONT_CLOSING.search(before):
            key = place.geonameid or (place.latitude, place.longitude)
            if key not in seen:
                seen.add(key)
                fronts.append(place)
    return fronts


def _period_end(date: str, precision: int | None) -> dt.date:
    """The last day a date at its precision may stand for."""
    day = dt.date.fromisoformat(date)
    if precision == TIME_MONTH:
        following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    if precision == TIME_WEEK:
        return day + dt.timedelta(days=3)
    return day


def _period_start(date: str, precision: int | None) -> dt.date:
    day = dt.date.fromisoformat(date)
    if precision == TIME_MONTH:
        return day.replace(day=1)
    if precision == TIME_WEEK:
        return day - dt.timedelta(days=3)
    return day


def _before(record: ControlChange, event: Event) -> bool:
    """True when the record surely predates the event (at both precisions)."""
    if not record.date or not event.event_date:
        return False
    return _period_end(record.date, record.date_precision) < _period_start(
        event.event_date, event.time_precision)


def _ago(days: int) -> str:
    if days < 10:
        return f"{days} days" if days != 1 else "a day"
    if days < 45:
        weeks = round(days / 7)
        return f"about {weeks} weeks" if weeks > 1 else "about a week"
    if days < 330:
        months = round(days / 30.4)
        words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
                 8: "eight", 9: "nine", 10: "ten", 11: "eleven"}
        return f"about {words.get(months, str(months))} months" if months > 1 else \
            "about a month"
    years = round(days / 365)
    return "about a year" if years <= 1 else f"about {years} years"


def _when(record: ControlChange) -> str:
    if record.date_precision == TIME_MONTH:
        return f"in {record.date[:7]}"  # type: ignore[index]
    if record.date_precision == TIME_WEEK:
        return f"in the week of {record.date}"
    return f"on {record.date}"


def rear_area_reason(record: ControlChange, event: Event) -> str:
    days = (dt.date.fromisoformat(event.event_date)  # type: ignore[arg-type]
            - dt.date.fromisoformat(record.date)).days  # type: ignore[arg-type]
    return (f"{record.place} was {VERB.get(record.kind, record.kind)} by {record.holder} "
            f"{_when(record)}, {_ago(days)} before")


def _near(record: ControlChange, event: Event) -> bool:
    if None in (record.latitude, record.longitude, event.latitude, event.longitude):
        return False
    return haversine_km(record.latitude, record.longitude, event.latitude,  # type: ignore[arg-type]
                        event.longitude) <= SAME_PLACE_KM  # type: ignore[arg-type]


def rear_areas(text: str, events: Sequence[Event], records: Sequence[ControlChange], *,
               places: Sequence[Place] = (), actors: Sequence[Actor] = ()) -> list[Event]:
    """The rear-area stage for one article: its events, flagged (:func:`flag_rear_areas`)
    against its control records, with the fronts the article names among its ``places``
    and the sides of the holders taken from its ``actors``."""
    sides = {a.name: side(a) for a in actors}
    fronts = find_fronts(text, sorted(places, key=lambda p: p.start))
    return flag_rear_areas(events, records, fronts, sides=sides)


def flag_rear_areas(events: Sequence[Event], records: Sequence[ControlChange],
                    fronts: Sequence[Place] = (), *,
                    sides: dict[str, str] | None = None) -> list[Event]:
    """The events, with ``rear_area``, its reason and the distance to the nearest front set
    for violence in places the other side took or held before. ``sides`` maps holder names
    to 'state' or 'non-state' (from the actors that named them)."""
    sides = sides or {}
    flagged = []
    for event in events:
        found = _rear_record(event, records, sides)
        if found is None:
            flagged.append(event)
            continue
        front, distance = _nearest_front(event, fronts)
        flagged.append(dataclasses.replace(
            event, rear_area=True, rear_area_reason=rear_area_reason(found, event),
            front=front, front_distance_km=distance))
    return flagged


def _rear_record(event: Event, records: Sequence[ControlChange],
                 sides: dict[str, str]) -> ControlChange | None:
    if event.event_type not in VIOLENT_TYPES:
        return None
    attacker = side_of(event.inter1)
    if not attacker:
        return None
    candidates = [r for r in records if r.kind in HOLDING_KINDS and r.holder
                  and sides.get(r.holder, "") not in ("", attacker)
                  and _near(r, event) and _before(r, event)]
    if not candidates:
        return None
    if attacker == "state" and any(
           r.kind in HOLDING_KINDS and sides.get(r.holder, "") == attacker and _near(r, event)
           and r.date and abs((dt.date.fromisoformat(r.date)
                               - dt.date.fromisoformat(event.event_date)).days) <= 7  # type: ignore[arg-type]
           for r in records):
        # State forces taking the place in this fight are on an offensive: the front line,
        # not the rear. Insurgents retaking a town the army had retaken are the rear-area
        # pattern itself (Palmyra, December 2016).
        return None
    # The latest change before the event decides who held the place.
    latest = max(candidates, key=lambda r: r.date or "")
    later_own = [r for r in records if r.kind in HOLDING_KINDS and r.holder
                 and sides.get(r.holder, "") == attacker and _near(r, event)
                 and _before(r, event) and (r.date or "") > (latest.date or "")]
    return None if later_own else latest


def _nearest_front(event: Event, fronts: Sequence[Place]) -> tuple[str, float | None]:
    best: tuple[float, Place] | None = None
    for place in fronts:
        if event.latitude is None or place.latitude is None:
            continue
        km = haversine_km(event.latitude, event.longitude, place.latitude,  # type: ignore[arg-type]
                          place.longitude)  # type: ignore[arg-type]
        if km <= 5.0:
            continue  # the event's own town is not its front
        if best is None or km < best[0]:
            best = (km, place)
    if best is None:
        return "", None
    return best[1].name or best[1].text, round(best[0], 1)


__all__ = ["TIME_DAY", "find_fronts", "flag_rear_areas", "rear_area_reason", "rear_areas"]
