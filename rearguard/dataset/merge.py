"""Reports of one incident from many articles become one dataset event.

Two events are the same incident when all of these hold:

* the same kind: both violence (Battles, Explosions/Remote violence, Violence against
  civilians), both demonstrations (Protests, Riots), or both strategic developments;
* the same place: within :data:`MERGE_KM` of each other;
* dates that can be the same day: one day apart at most when both are known to the day
  (agencies date by their own time zones and deadlines), three days when either is only
  known to the week, the same month when either is only known to the month;
* compatible actors: the same first actor, or the same two sides swapped, or one report
  does not name it or names it only as an unidentified armed group.

Merging keeps every source article and all evidence (each evidence entry says which
article its offsets index). Counts follow ACLED: a report published later that gives
another figure revises it (death tolls are revised upwards as bodies are found); reports
of the same day keep the lower, most conservative figure; an older report that arrives
late does not undo a revision. Place, date and actors come from the most specific and
most confident of the reports: a more precise place or date wins, and at the same precision
the more confident report's; a named actor replaces an unnamed one ("", an Unidentified
Armed Group or Unidentified Military Forces), and the place brings its country, region and
codes along.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ..geo.distance import haversine_km
from ..types import Event, Evidence

MERGE_KM = 10.0
FAMILY = {
    "Battles": "violence", "Explosions/Remote violence": "violence",
    "Violence against civilians": "violence", "Protests": "demonstration",
    "Riots": "demonstration", "Strategic developments": "strategic",
}
COUNTS = ("fatalities", "injured", "captured")
WINDOW_DAYS = {1: 1, 2: 3, 3: 31}


def window(event: Event) -> tuple[str, str]:
    """The dates an event of this date and precision may be reported under."""
    day = dt.date.fromisoformat(event.event_date or "1900-01-01")
    days = WINDOW_DAYS.get(event.time_precision or 1, 1)
    return ((day - dt.timedelta(days=days)).isoformat(),
            (day + dt.timedelta(days=days)).isoformat())


def _dates_fit(a: Event, b: Event) -> bool:
    if not a.event_date or not b.event_date:
        return False
    da, db = dt.date.fromisoformat(a.event_date), dt.date.fromisoformat(b.event_date)
    precision = max(a.time_precision or 1, b.time_precision or 1)
    if precision == 3:
        return (da.year, da.month) == (db.year, db.month)
    return abs((da - db).days) <= WINDOW_DAYS[precision]


def same_incident(a: Event, b: Event) -> bool:
    """Whether two events are reports of one incident (see the module docstring)."""
    if FAMILY.get(a.event_type) != FAMILY.get(b.event_type):
        return False
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return False
    if haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) > MERGE_KM:  # type: ignore[arg-type]
        return False
    if not _dates_fit(a, b):
        return False
    if a.sub_event_type != b.sub_event_type and {a.sub_event_type, b.sub_event_type} <= {
            "Non-state actor overtakes territory", "Government regains territory"}:
        return False  # a town taken and retaken are two events
    return _actors_fit(a, b)


def _named(name: str) -> bool:
    """An actor with a name: not "" and not an unidentified one ("Unidentified Armed Group
    (Syria)", "Unidentified Military Forces")."""
    return bool(name) and not name.startswith("Unidentified ")


def _actors_fit(a: Event, b: Event) -> bool:
    """Two named first actors must be the same side (or the same two sides, swapped:
    one agency leads with the attackers, another with the defenders)."""
    if _named(a.actor1) and _named(b.actor1) and a.actor1 != b.actor1:
        return a.actor1 == b.actor2 and b.actor1 == a.actor2
    return True


def with_article(event: Event, article_id: str) -> Event:
    """The event with every evidence entry saying which article it indexes."""
    evidence = tuple(e if e.article_id else dataclasses.replace(e, article_id=article_id)
                     for e in event.evidence)
    return dataclasses.replace(event, evidence=evidence)


PLACE_FIELDS = ("location", "latitude", "longitude", "geo_precision", "country", "iso",
                "region", "admin1", "admin2", "admin3")


def _better(old: Event, new: Event, precision: str, value: str) -> bool:
    """True when ``new`` knows this better: a lower precision code is more precise; at the
    same precision, a different reading from a more confident report."""
    a, b = getattr(old, precision), getattr(new, precision)
    if b is None:
        return False
    if a is None or b < a:
        return True
    return (b == a and getattr(new, value) != getattr(old, value)
            and new.confidence > old.confidence)


def _unnamed(name: str) -> bool:
    return not _named(name)


def merge_events(old: Event, new: Event, *, new_is_later: bool,
                 new_is_earlier: bool = False) -> tuple[Event, list[str]]:
    """``old`` with ``new``'s report folded in, and what changed (for the change log).

    ``new_is_later``: the new report was published after every stored one (its figures
    revise theirs); ``new_is_earlier``: before the latest stored one (a revision already
    stored stands); neither: the same day (the lower figure stands)."""
    changes: list[str] = []
    fields: dict[str, Any] = {}  # keyword arguments to dataclasses.replace
    for name in COUNTS:
        before, after = getattr(old, name), getattr(new, name)
        if after == before or (new_is_earlier and before):
            continue
        value = after if new_is_later else min(before, after) if before and after else max(
            before, after)
        if value != before:
            fields[name] = value
            if not before:
                why = "first stated by this report"
            elif new_is_later:
                why = "a later report revises it"
            else:
                why = "the more conservative report"
            changes.append(f"{name} {before} -> {value} ({why})")
    if _better(old, new, "geo_precision", "location"):
        fields.update({name: getattr(new, name) for name in PLACE_FIELDS})
        why = ("more precise" if new.geo_precision != old.geo_precision
               else "a more confident report")
        changes.append(f"place {old.location} -> {new.location} ({why})")
    if _better(old, new, "time_precision", "event_date"):
        fields.update(event_date=new.event_date, year=new.year,
                      time_precision=new.time_precision)
        why = ("more precise" if new.time_precision != old.time_precision
               else "a more confident report")
        changes.append(f"date {old.event_date} -> {new.event_date} ({why})")
    for name in ("actor1", "actor2"):
        before, after = getattr(old, name), getattr(new, name)
        if _unnamed(before) and not _unnamed(after):
            inter = "inter1" if name == "actor1" else "inter2"
            fields.update({name: after, inter: getattr(new, inter)})
            changes.append(f"{name} {before or '-'} -> {after} (named by a new report)")
    if not old.claimed_by and new.claimed_by:
        fields["claimed_by"] = new.claimed_by
        changes.append(f"claimed_by {new.claimed_by} (named by a new report)")
    article_ids = tuple(dict.fromkeys(old.article_ids + new.article_ids))
    sources = [s for s in dict.fromkeys(
        [x.strip() for x in (old.source + ";" + new.source).split(";")]) if s]
    evidence = tuple(dict.fromkeys(old.evidence + new.evidence))
    from ..events.regions import source_scale

    merged = dataclasses.replace(
        old, **fields, article_ids=article_ids, source="; ".join(sources),
        source_scale=source_scale("; ".join(sources)),
        evidence=evidence, confidence=max(old.confidence, new.confidence),
        rear_area=old.rear_area or new.rear_area,
        rear_area_reason=old.rear_area_reason or new.rear_area_reason,
        front=old.front or new.front,
        front_distance_km=old.front_distance_km if old.front else new.front_distance_km,
    )
    if merged.interaction != _interaction(merged):
        merged = dataclasses.replace(merged, interaction=_interaction(merged))
    return merged, changes


def _interaction(event: Event) -> int | None:
    from ..actors import interaction

    return interaction(event.inter1, event.inter2)


__all__ = ["Evidence", "merge_events", "same_incident", "window", "with_article"]
