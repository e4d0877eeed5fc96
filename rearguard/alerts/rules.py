"""Alert rules and their evaluation against what one poll added to the dataset.

Three rules:

* ``rear-area``: an event created, merged, revised or flagged in the poll that is now a
  rear-area attack (``rear_area`` true);
* ``control``: a control record (who holds a place) added to the ledger in the poll;
* ``fatalities>=N[:PLACE]``: an event created in the poll with at least N fatalities, or
  one whose fatalities changed to at least N in the poll: a new report merged into it, or
  a revision of an article that reports it (a toll revised 5 -> 14 at the same URL); PLACE
  (optional) is a country or first-level subdivision name, matched case-insensitively.

What is new is read from the store itself: change-log entries at or after the poll's start
(``since``) and control records whose key is not in the ledger snapshot taken before the
poll (:func:`ledger_keys`). Events an analyst rejected (``rearguard event reject``) raise
no alert, even when a new report merges into them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..errors import InputError
from ..types import ControlChange, Event

KINDS = ("rear_area", "control", "fatalities")
DEFAULT_RULES = ("rear-area", "control")
EVENT_ACTIONS = ("created", "merged", "revised", "flagged")
# the change-log actions by which a new or changed article changes an event's counts
_REPORTED = ("merged", "revised")

_FATALITIES = re.compile(r"^fatalities\s*>=\s*(?P<n>[^:]*?)\s*(?::\s*(?P<place>.*?)\s*)?$",
                         re.IGNORECASE)
_INTERVAL = re.compile(r"^(?P<n>\d+)\s*(?P<unit>s|sec|secs|m|min|mins|h|hr|hrs|d)?$",
                       re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rule:
    """One alert rule. ``place`` ("" for anywhere) is a country or admin1 name."""

    kind: str  # rear_area | control | fatalities
    threshold: int = 0
    place: str = ""

    def __str__(self) -> str:
        if self.kind == "fatalities":
            return f"fatalities>={self.threshold}" + (f":{self.place}" if self.place else "")
        return self.kind.replace("_", "-")


@dataclass
class Alert:
    """One alert: printed as a JSON line and POSTed to the webhook."""

    alert: str  # rear_area | control | fatalities
    at: str  # when the alert was raised, ISO 8601 UTC
    place: str
    date: str | None
    summary: str
    event_id: str | None = None
    event: dict[str, Any] | None = None
    control: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"alert": self.alert, "at": self.at}
        if self.event_id is not None:
            data["event_id"] = self.event_id
        data.update(place=self.place, date=self.date, summary=self.summary)
        if self.event is not None:
            data["event"] = self.event
        if self.control is not None:
            data["control"] = self.control
        data.update(self.extra)
        return data


def parse_rule(text: str) -> Rule:
    """``rear-area``, ``control`` or ``fatalities>=N[:COUNTRY|:ADMIN1]``; else InputError."""
    value = text.strip() if isinstance(text, str) else ""
    name = value.lower().replace("_", "-")
    if name in ("rear-area", "rear"):
        return Rule("rear_area")
    if name == "control":
        return Rule("control")
    match = _FATALITIES.match(value)
    if not match:
        raise InputError("E152", value=text)
    number = match.group("n")
    if not number.isdigit():
        raise InputError("E153", value=text)
    place = match.group("place")
    if place is not None and not place:
        raise InputError("E152", value=text)
    return Rule("fatalities", int(number), place or "")


def parse_rules(texts: Iterable[str] | None) -> tuple[Rule, ...]:
    """Every rule given, duplicates dropped, in order; none given: rear-area and control."""
    texts = list(texts or ()) or list(DEFAULT_RULES)
    rules: list[Rule] = []
    for text in texts:
        rule = parse_rule(text)
        if rule not in rules:
            rules.append(rule)
    return tuple(rules)


def parse_interval(text: str | int | float) -> int:
    """``30s``, ``15m``, ``1h``, ``1d`` or a bare number of seconds -> seconds (>= 1)."""
    if isinstance(text, bool):
        raise InputError("E150", value=text)
    if isinstance(text, int | float):
        seconds = int(text)
        if seconds != text:
            raise InputError("E150", value=text)
    else:
        match = _INTERVAL.match(str(text).strip())
        if not match:
            raise InputError("E150", value=text)
        unit = (match.group("unit") or "s")[0].lower()
        seconds = int(match.group("n")) * _UNIT_SECONDS[unit]
    if seconds < 1:
        raise InputError("E151", value=text)
    return seconds


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _iso(since: str | datetime) -> str:
    """The change log's format (UTC, microseconds), so that strings compare as times."""
    if isinstance(since, datetime):
        moment = since if since.tzinfo else since.replace(tzinfo=UTC)
    else:
        moment = datetime.fromisoformat(since)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def control_key(record: ControlChange) -> tuple:
    """The identity of a control record (as the store deduplicates them)."""
    if record.geonameid is not None:
        where: tuple = ("id", record.geonameid)
    elif record.latitude is not None and record.longitude is not None:
        where = ("at", round(record.latitude, 6), round(record.longitude, 6))
    else:
        where = ("name", (record.place or "").lower())
    return (record.article_id, where, record.kind, record.date, record.holder)


def ledger_keys(store) -> frozenset:
    """A snapshot of the control ledger, to compare with after a poll."""
    return frozenset(control_key(r) for r in store.control())


def evaluate(rules: Iterable[Rule], store, since: str | datetime,
             ledger_before: Iterable[tuple] | None) -> list[Alert]:
    """The alerts for what was added or changed at or after ``since`` (an ISO time or a
    datetime; the poll's start): events from the change log, control records not in
    ``ledger_before`` (``None``: every record counts as new). One alert per rule and event
    or record; events in change-log order, then control records in ledger order."""
    rules = tuple(rules)
    kinds = {r.kind for r in rules}
    start = _iso(since)
    alerts: list[Alert] = []
    now = utc_now()
    if kinds & {"rear_area", "fatalities"}:
        actions: dict[str, list[dict[str, Any]]] = {}
        for entry in store.history():
            if entry["at"] >= start and entry["action"] in EVENT_ACTIONS:
                actions.setdefault(entry["event_id"], []).append(entry)
        for event_id, entries in actions.items():
            event = store.get_event(event_id)
            if event is None or _out_of_dataset(store, event_id):  # rejected or deleted
                continue
            alerts += _event_alerts(rules, event, entries, now)
    if "control" in kinds:
        before = set(ledger_before or ())
        for record in store.control():
            if control_key(record) not in before:
                alerts.append(_control_alert(record, now))
    return alerts


def _out_of_dataset(store, event_id: str) -> bool:
    """An event an analyst rejected (or no report supports any more) raises no alert, even
    when a new report of its incident merges into it."""
    meta = store.event_meta(event_id)
    return meta is not None and meta.status != "active"


def _event_alerts(rules: tuple[Rule, ...], event: Event, entries: list[dict[str, Any]],
                  now: str) -> list[Alert]:
    alerts = []
    done: set[str] = set()
    names = {e["action"] for e in entries}
    for rule in rules:
        if rule.kind == "rear_area" and "rear_area" not in done and event.rear_area:
            done.add("rear_area")
            why = ("flagged" if "flagged" in names else
                   "new event" if "created" in names else
                   "new report" if "merged" in names else "revised article")
            reason = f": {event.rear_area_reason}" if event.rear_area_reason else ""
            alerts.append(_event_alert("rear_area", event, now,
                                       f"Rear-area attack ({why}){reason}"))
        elif rule.kind == "fatalities" and "fatalities" not in done:
            if event.fatalities < rule.threshold or not _in_place(event, rule.place):
                continue
            by = {e["action"] for e in entries if e["action"] in _REPORTED
                  and "fatalities " in (e["detail"] or "")}  # "fatalities 5 -> 14"
            if "created" not in names and not by:
                continue  # the count did not change in this poll
            done.add("fatalities")
            where = f" in {rule.place}" if rule.place else ""
            how = ("" if "created" in names else
                   ", revised by a new report" if "merged" in by else
                   ", revised by a revision of its article")
            alerts.append(_event_alert(
                "fatalities", event, now,
                f"{event.fatalities} fatalities (rule fatalities>={rule.threshold}{where}"
                f"{how})"))
    return alerts


def _in_place(event: Event, place: str) -> bool:
    """``place`` names the event's country or admin1: case-insensitively, or by folded
    key or transliteration variant ("anbar" is "Al Anbar", "Salahuddin" "Salah ad Din")."""
    from ..geo.normalize import name_key, variant_key

    if not place:
        return True
    wanted = {place.lower(), name_key(place)}
    variant = variant_key(place)
    for name in (event.country, event.admin1):
        if not name:
            continue
        if {name.lower(), name_key(name)} & wanted or (variant and variant_key(name) == variant):
            return True
    return False


def _event_place(event: Event) -> str:
    parts = []
    for part in (event.location, event.admin1, event.country):
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts)


def _event_alert(kind: str, event: Event, now: str, detail: str) -> Alert:
    what = event.sub_event_type or event.event_type or "Event"
    by = f" by {event.actor1}" if event.actor1 else ""
    place = _event_place(event)
    summary = f"{what}{by} in {place or 'an unknown place'} on {event.event_date or '?'}: {detail}"
    return Alert(alert=kind, at=now, event_id=event.event_id_cnty, place=place,
                 date=event.event_date, summary=summary, event=event.to_dict())


def _control_alert(record: ControlChange, now: str) -> Alert:
    holder = record.holder or "an unnamed actor"
    extent = " (partly)" if record.extent == "partial" else ""
    previous = f" from {record.previous_holder}" if record.previous_holder else ""
    kind = record.kind.replace("_", " ")
    summary = (f"{record.place}: {kind}{extent} by {holder}{previous} "
               f"on {record.date or 'an unknown date'}")
    where = ", ".join(p for p in (record.place, record.admin1, record.country) if p)
    return Alert(alert="control", at=now, place=where, date=record.date, summary=summary,
                 control=record.to_dict())


__all__ = [
    "DEFAULT_RULES",
    "Alert",
    "Rule",
    "control_key",
    "evaluate",
    "ledger_keys",
    "parse_interval",
    "parse_rule",
    "parse_rules",
]
