"""Selecting events: the same rules the dataset store applies to its queries.

* ``country``: case-insensitive equality (surrounding spaces ignored), or the same
  country by its ISO 3166 code or any name pycountry knows (``IQ``, ``IRQ``,
  ``Syrian Arab Republic``), compared through the numeric ``iso`` field.
* ``admin1``: case-insensitive equality (surrounding spaces ignored).
* ``since``, ``until``: ISO dates (``YYYY-MM-DD``, or a ``datetime.date``), inclusive, on
  ``event_date``; events without a date are left out when either is given.
* ``event_type``: equals ``event_type`` or ``sub_event_type``, case-insensitively.
* ``actor``: a case-insensitive substring of ``actor1``, ``actor2``, ``assoc_actor_1`` or
  ``assoc_actor_2``.
* ``bbox``: ``(min_lon, min_lat, max_lon, max_lat)``, edges inclusive; events without
  coordinates are left out. When ``min_lon > max_lon`` the box crosses the antimeridian
  (as in RFC 7946).

* ``sub_event_type``: equals ``sub_event_type``, case-insensitively.
* ``min_confidence``, ``min_fatalities``: inclusive lower bounds.
* ``rear_area``: True keeps the events flagged as rear-area attacks, False the others.

``None`` means no condition; conditions combine with AND. (The store also filters on
``changed_since``, the time of an event's last change, which is not an event field.)
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from ..errors import InputError
from ..types import Event

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(event: Event) -> str:
    """The event's day, YYYY-MM-DD ("" when it has no date)."""
    return (event.event_date or "")[:10]


def _date(name: str, value: object) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if _ISO_DATE.fullmatch(text):
        try:
            dt.date.fromisoformat(text)
            return text
        except ValueError:
            pass
    raise InputError("E142", name=name, value=value)


def _bbox(value: object) -> tuple[float, float, float, float]:
    try:
        numbers = tuple(float(v) for v in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        numbers = ()
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers) \
            or numbers[1] > numbers[3]:
        raise InputError("E143", value=value)
    return numbers  # type: ignore[return-value]


def _fold(text: str) -> str:
    return text.strip().casefold()


def event_filter(*, country: str | None = None, admin1: str | None = None,
                 since: str | dt.date | None = None, until: str | dt.date | None = None,
                 event_type: str | None = None, actor: str | None = None,
                 bbox: Sequence[float] | None = None, sub_event_type: str | None = None,
                 min_confidence: float | None = None, min_fatalities: int | None = None,
                 rear_area: bool | None = None) -> Callable[[Event], bool]:
    """A predicate that is True for the events the conditions keep (checked once, here)."""
    tests: list[Callable[[Event], bool]] = []
    if sub_event_type is not None:
        wanted_sub = _fold(sub_event_type)
        tests.append(lambda e: _fold(e.sub_event_type) == wanted_sub)
    if min_confidence is not None:
        floor = float(min_confidence)
        tests.append(lambda e: e.confidence >= floor)
    if min_fatalities is not None:
        least = int(min_fatalities)
        tests.append(lambda e: e.fatalities >= least)
    if rear_area is not None:
        tests.append(lambda e: bool(e.rear_area) == bool(rear_area))
    if country is not None:
        wanted_country = _fold(country)
        number = country_number(country)
        tests.append(lambda e: _fold(e.country) == wanted_country
                     or (number is not None and e.iso == number))
    if admin1 is not None:
        wanted_admin1 = _fold(admin1)
        tests.append(lambda e: _fold(e.admin1) == wanted_admin1)
    if since is not None:
        first = _date("since", since)
        tests.append(lambda e: bool(_day(e)) and _day(e) >= first)
    if until is not None:
        last = _date("until", until)
        tests.append(lambda e: bool(_day(e)) and _day(e) <= last)
    if event_type is not None:
        wanted_type = _fold(event_type)
        tests.append(lambda e: wanted_type in (_fold(e.event_type), _fold(e.sub_event_type)))
    if actor is not None:
        part = actor.strip().casefold()
        tests.append(lambda e: any(part in name.casefold() for name in
                                   (e.actor1, e.actor2, e.assoc_actor_1, e.assoc_actor_2)))
    if bbox is not None:
        west, south, east, north = _bbox(bbox)

        def inside(e: Event) -> bool:
            lon, lat = e.longitude, e.latitude
            if lon is None or lat is None or not (math.isfinite(lon) and math.isfinite(lat)):
                return False
            if not south <= lat <= north:
                return False
            if west <= east:
                return west <= lon <= east
            return lon >= west or lon <= east

        tests.append(inside)
    return lambda event: all(test(event) for test in tests)


def filter_events(events: Iterable[Event], *, country: str | None = None,
                  admin1: str | None = None, since: str | dt.date | None = None,
                  until: str | dt.date | None = None, event_type: str | None = None,
                  actor: str | None = None,
                  bbox: Sequence[float] | None = None, sub_event_type: str | None = None,
                  min_confidence: float | None = None, min_fatalities: int | None = None,
                  rear_area: bool | None = None) -> Iterator[Event]:
    """The events that meet every condition given, lazily and in order. Bad ``since`` /
    ``until`` (E142) or ``bbox`` (E143) values raise at once, before any event is read."""
    keep = event_filter(country=country, admin1=admin1, since=since, until=until,
                        event_type=event_type, actor=actor, bbox=bbox,
                        sub_event_type=sub_event_type, min_confidence=min_confidence,
                        min_fatalities=min_fatalities, rear_area=rear_area)
    return (event for event in events if keep(event))


@lru_cache(maxsize=256)
def country_number(value: str) -> int | None:
    """The numeric ISO 3166-1 code (ACLED's ``iso``) of a country given by its alpha-2 or
    alpha-3 code, numeric code or a name pycountry knows (name, official or common name),
    case-insensitively; None for anything else."""
    import pycountry

    text = value.strip()
    if not text:
        return None
    try:
        found = pycountry.countries.lookup(text)
    except LookupError:
        return None
    number = getattr(found, "numeric", "")
    return int(number) if str(number).isdigit() else None


def _country_names() -> list[str]:
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(country, attr, None):
                names.add(getattr(country, attr))
    return sorted(names)


def check_actor(actor: str, stored: Iterable[str]) -> None:
    """InputError E148, listing close names, for an actor filter that is part of no actor's
    name: neither of an actor of the ``stored`` events nor of a name rearguard gives actors
    (its actor table's names, "Military Forces of {country}" for every country): "Boko
    Haram" is known even where it has no events. An alias is not a name events carry
    ("Shabab", "Daesh"), so it is an error that suggests the name ("Al Shabaab", "Islamic
    State"). An empty value is part of every name."""
    import pycountry

    from ..actors.aliases import alias_key, alias_rows, render

    part = actor.strip().casefold()
    rows = alias_rows()
    plain = {name for name in stored if name} | {render(row.canonical, None) for row in rows}
    names = set(plain)
    for canonical in {row.canonical for row in rows if row.templated}:
        names.update(render(canonical, c.alpha_2) for c in pycountry.countries)
    if not part or any(part in name.casefold() for name in names):
        return
    key = alias_key(actor)
    meant = [render(row.canonical, None) for row in rows if alias_key(row.alias) == key]
    close = [c for c in _close(actor, plain).split(", ") if c != "none"] or \
        [c for c in _close(actor, names).split(", ") if c != "none"]
    raise InputError("E148", option="actor", value=actor, what="actor name, or part of one,",
                     close=", ".join(dict.fromkeys([*map(repr, meant), *close])) or "none")


def _close(value: str, known: Iterable[str], n: int = 5) -> str:
    by_fold = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(value.strip().casefold(), list(by_fold), n=n,
                                      cutoff=0.6)
    return ", ".join(repr(by_fold[c]) for c in close) or "none"


def sync_time(option: str, value: object) -> str:
    """A time to synchronise from (``--changed-since``, ``--deleted --since``) in the
    store's format (UTC ISO 8601 with microseconds), so that it compares as text: a date
    YYYY-MM-DD is its midnight UTC; a time without an offset is UTC. E163 otherwise."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00")
                                               if text.endswith("Z") else text)
        except ValueError:
            raise InputError("E163", option=option, value=value) from None
        if not (_ISO_DATE.fullmatch(text) or "T" in text or " " in text):
            raise InputError("E163", option=option, value=value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def check_filters(store: Any = None, *, country: str | None = None,
                  event_type: str | None = None, sub_event_type: str | None = None,
                  admin1: str | None = None, provinces: Sequence[str] = ()) -> None:
    """InputError E148, listing close values, for a filter value that names nothing known:
    a country that is neither in ``store``'s events nor an ISO 3166 code or country name,
    an event type that is neither an ACLED event type nor a sub-event type, a sub-event
    type that is not one of ACLED's 25, or an admin1 that is neither in ``store``'s events
    nor one of ``provinces`` (the names the events would carry for the provinces the value
    names, from the gazetteer: "Ninawa" for "Nineveh"; these are suggested first)."""
    from ..events.taxonomy import EVENT_TYPES, SUB_EVENT_TYPES

    if sub_event_type is not None:
        if _fold(sub_event_type) not in {_fold(t) for t in SUB_EVENT_TYPES}:
            raise InputError("E148", option="sub-event-type", value=sub_event_type,
                             what="ACLED sub-event type",
                             close=_close(sub_event_type, SUB_EVENT_TYPES))

    if event_type is not None:
        known_types = [*EVENT_TYPES, *SUB_EVENT_TYPES]
        if _fold(event_type) not in {_fold(t) for t in known_types}:
            raise InputError("E148", option="event-type", value=event_type,
                             what="ACLED event type or sub-event type",
                             close=_close(event_type, known_types))
    if admin1 is not None:
        stored = store.distinct("admin1") if store is not None else []
        if _fold(admin1) not in {_fold(a) for a in [*stored, *provinces]}:
            named = [repr(p) for p in dict.fromkeys(provinces)]
            close = [c for c in _close(admin1, stored).split(", ") if c != "none"]
            raise InputError("E148", option="admin1", value=admin1,
                             what="admin1 (province) of the dataset or the gazetteer",
                             close=", ".join(dict.fromkeys(named + close)) or "none")
    if country is not None and country_number(country) is None:
        stored = store.distinct("country") if store is not None else []
        if _fold(country) not in {_fold(c) for c in stored}:
            raise InputError("E148", option="country", value=country,
                             what="country name or ISO 3166 code",
                             close=_close(country, [*stored, *_country_names()]))
