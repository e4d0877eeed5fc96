"""Review: an analyst's decisions on the dataset, the way ACLED keeps a living dataset.

* :func:`reject_event`: the event is not a real incident (or not one ACLED would code).
  It stays stored with its reports and history but leaves exports and alerts, appears in
  the deletions feed, and keeps absorbing new reports of its incident, so re-ingesting or
  re-extracting an article does not bring it back.
* :func:`restore_event`: undo a rejection.
* :func:`edit_event`: set fields by hand (``fatalities=12``). Edits are stored apart from
  the event and applied over every re-derivation, so they survive new reports, revisions
  and re-extraction.
* :func:`reject_source`: an article is not a source (a hoax, an opinion piece, a wrong
  feed). Its reports and control records leave the dataset, the events it fed are derived
  again from their other reports, and events it alone reported are rejected. Its text
  stays stored; a later ingest of it is skipped as already stored.

Every decision needs a reason and is logged (``rearguard history``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import time
import typing
from typing import Any

from ..errors import InputError, StoreError
from ..settings import Settings, load_settings
from ..types import Event
from .derive import rederive, replace_contribution

# Fields an analyst may not set: the id, the sources and evidence (they come from the
# reports), and the timestamp (the store's clock).
NOT_EDITABLE = ("event_id_cnty", "article_ids", "evidence", "timestamp")
EDITABLE = tuple(f.name for f in dataclasses.fields(Event) if f.name not in NOT_EDITABLE)
_HINTS = typing.get_type_hints(Event)


def _why(why: str | None) -> str:
    text = " ".join((why or "").split())
    if not text:
        raise InputError("E160")
    return text


def _event(store, event_id: str) -> Event:
    event = store.get_event(event_id)
    if event is None:
        known = store.logged_event_ids()
        close = difflib.get_close_matches(event_id.upper(), known, n=5, cutoff=0.6)
        raise StoreError("E715", what="event", id=event_id, where=store.where,
                         close=", ".join(close) or "none")
    return event


def reject_event(store, event_id: str, why: str) -> bool:
    """Reject an event; False when it was already rejected (nothing logged)."""
    return _set_status(store, event_id, "rejected", "rejected", why, note_previous=False)


def restore_event(store, event_id: str, why: str) -> bool:
    """Make a rejected (or deleted) event active again; False when it was active."""
    return _set_status(store, event_id, "active", "restored", why, note_previous=True)


def _set_status(store, event_id: str, status: str, action: str, why: str, *,
                note_previous: bool) -> bool:
    """Set an event's status and log ``action`` with ``why``; False (nothing logged) when
    it has that status already."""
    why = _why(why)
    _event(store, event_id)
    meta = store.event_meta(event_id)
    if meta.status == status:
        return False
    with store.transaction():
        store.set_event_status(event_id, status)
        store.log(event_id, action, f"{why} (was {meta.status})" if note_previous else why)
    return True


def parse_edits(pairs: list[str] | dict[str, Any]) -> dict[str, Any]:
    """``["fatalities=12", "location=Hit"]`` -> typed field values, checked (E161, E162).
    An empty value clears a text field, and sets a number that may be unknown to None."""
    items = list(pairs.items()) if isinstance(pairs, dict) else []
    if not isinstance(pairs, dict):
        for pair in pairs:
            name, sep, value = pair.partition("=")
            if not sep or name.strip() not in EDITABLE:
                raise InputError("E161", pair=pair, known=", ".join(EDITABLE))
            items.append((name.strip(), value.strip()))
    return {name: _value(name, value) for name, value in items}


def _value(name: str, value: Any) -> Any:
    hint = _HINTS[name]
    args = typing.get_args(hint)
    optional = type(None) in args
    kind = next((a for a in args if a is not type(None)), hint)
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    if kind is str:
        return _checked(name, value)
    if value == "":
        if optional:
            return None
        raise InputError("E162", field=name, value=value, detail="a value is needed")
    try:
        if kind is bool:
            lowered = value.lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError
            parsed: Any = lowered in ("true", "1", "yes")
        elif kind is int:
            parsed = int(value)
        else:
            parsed = float(value)
    except ValueError:
        raise InputError("E162", field=name, value=value,
                         detail=f"expected {kind.__name__}") from None
    return _checked(name, parsed)


def _checked(name: str, value: Any) -> Any:
    from ..events.taxonomy import EVENT_TYPES, SUB_EVENT_TYPES

    bounds = {"latitude": (-90, 90), "longitude": (-180, 180), "confidence": (0, 1),
              "time_precision": (1, 3), "geo_precision": (1, 3)}
    detail = None
    if name in ("fatalities", "injured", "captured") and value < 0:
        detail = "a count must be >= 0"
    elif name in bounds and value is not None and not bounds[name][0] <= value <= bounds[name][1]:
        detail = f"must be between {bounds[name][0]} and {bounds[name][1]}"
    elif name == "event_date" and value:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            detail = "expected a date YYYY-MM-DD"
    elif name == "event_type" and value not in EVENT_TYPES:
        detail = "not an ACLED event type: " + ", ".join(EVENT_TYPES)
    elif name == "sub_event_type" and value not in SUB_EVENT_TYPES:
        close = difflib.get_close_matches(value, list(SUB_EVENT_TYPES), n=3)
        detail = "not an ACLED sub-event type" + (f" (close: {', '.join(close)})"
                                                   if close else "")
    if detail:
        raise InputError("E162", field=name, value=value, detail=detail)
    return value


def _consistent(edits: dict[str, Any]) -> dict[str, Any]:
    """Fields that follow from an edit: the year from the date, the event and disorder
    types from the sub-event type (ACLED's hierarchy)."""
    from ..events.taxonomy import disorder_type_of, event_type_of

    edits = dict(edits)
    if edits.get("event_date"):
        edits.setdefault("year", int(edits["event_date"][:4]))
    if edits.get("sub_event_type"):
        edits.setdefault("event_type", event_type_of(edits["sub_event_type"]))
        edits.setdefault("disorder_type", disorder_type_of(edits["sub_event_type"]))
    return edits


def edit_event(store, event_id: str, pairs: list[str] | dict[str, Any], why: str,
               *, now: int | None = None) -> Event:
    """Set fields of an event by hand; the edits are kept and applied over every later
    re-derivation. Returns the event as stored."""
    why = _why(why)
    _event(store, event_id)
    edits = _consistent(parse_edits(pairs))
    if not edits:
        raise InputError("E161", pair="", known=", ".join(EDITABLE))
    meta = store.event_meta(event_id)
    with store.transaction():
        store.set_event_edits(event_id, {**meta.edits, **edits})
        listed = ", ".join(f"{k}={v!r}" for k, v in edits.items())
        logged = len(store.history(event_id))
        rederive(store, event_id, now=int(time.time()) if now is None else now,
                 action="edited", lead=f"{why} (set {listed})", article_id=None)
        if len(store.history(event_id)) == logged:  # the event had these values already
            store.log(event_id, "edited", f"{why} (set {listed}; the values it had)")
    return store.get_event(event_id)


def _article_id(store, ref: str) -> str:
    if store.has_article(ref):
        return ref
    found = store.article_id_for_url(ref)
    if found is None:
        raise StoreError("E715", what="article", id=ref, where=store.where, close="none")
    return found


def reject_source(store, ref: str, why: str, *, now: int | None = None) -> list[str]:
    """Reject an article (by id or URL) as a source, and its duplicates with it. Returns
    the ids of the events it fed (re-derived, or rejected when it was their only source).
    """
    from . import IngestReport

    why = _why(why)
    article_id = _article_id(store, ref)
    article = store.get_article(article_id)
    fed = store.event_ids_of_article(article_id)
    report = IngestReport()
    with store.transaction():
        for rejected in [article_id, *store.duplicates_of(article_id)]:
            store.set_article_status(rejected, "rejected", why)
        replace_contribution(store, article, None, report, version=None,
                             now=int(time.time()) if now is None else now,
                             action="updated", lead=f"source {article_id} rejected: {why}",
                             emptied_status="rejected")
    return fed


def restore_source(store, ref: str, why: str, *, settings: Settings | None = None,
                   now: int | None = None) -> list[str]:
    """Undo :func:`reject_source`: the article (by id or URL) and its duplicates are
    sources again, the article is extracted again with the current pipeline, and the
    events its rejection took out are active again (an analyst's own rejections stay).
    Returns the ids of the events it feeds (restoring an active source changes
    nothing)."""
    from . import IngestReport
    from .derive import Extractor
    from .version import pipeline_version

    why = _why(why)
    article_id = _article_id(store, ref)
    meta = store.article_meta(article_id)
    if meta.status == "active":
        return store.event_ids_of_article(article_id)
    settings = settings or load_settings()
    article = store.get_article(article_id)
    extraction = Extractor(settings)(article) if meta.duplicate_of is None else None
    report = IngestReport()
    lead = f"source {article_id} restored: {why}"
    with store.transaction():
        for restored in [article_id, *store.duplicates_of(article_id)]:
            store.set_article_status(restored, "active", None)
        for event_id in store.event_ids_of_article(article_id):
            entries = [h for h in store.history(event_id)
                       if h["action"] in ("rejected", "restored")]
            if (entries and entries[-1]["action"] == "rejected"
                    and entries[-1]["article_id"] == article_id):
                store.set_event_status(event_id, "active")
                store.log(event_id, "restored", lead, article_id)
        if extraction is not None:
            replace_contribution(store, article, extraction, report,
                                 version=pipeline_version(settings),
                                 now=int(time.time()) if now is None else now,
                                 action="updated", lead=lead)
    return store.event_ids_of_article(article_id)


def show_event(store, event_id: str) -> dict[str, Any]:
    """An event with the store's facts about it: status, edits, pipeline version, time of
    the last change and its reports (article, publication date, pipeline version)."""
    event = _event(store, event_id)
    meta = store.event_meta(event_id)
    return {"event": event.to_dict(), "status": meta.status, "edits": meta.edits,
            "pipeline_version": meta.pipeline_version, "updated_at": meta.updated_at,
            "reports": [{"article_id": r.article_id, "published": r.published,
                         "pipeline_version": r.pipeline_version,
                         "fatalities": r.event.fatalities, "event_date": r.event.event_date,
                         "location": r.event.location}
                        for r in store.reports(event_id=event_id)]}


def show_source(store, ref: str) -> dict[str, Any]:
    """An article (by id or URL) without its text: status, revision, duplicates, earlier
    texts (without the text) and the events it feeds."""
    article_id = _article_id(store, ref)
    article = store.get_article(article_id)
    meta = store.article_meta(article_id)
    fields = dataclasses.asdict(article)
    fields.pop("text")
    return {"article": fields, "characters": len(article.text),
            **dataclasses.asdict(meta),
            "duplicates": store.duplicates_of(article_id),
            "revisions": [{k: v for k, v in r.items() if k != "text"}
                          for r in store.article_revisions(article_id)],
            "events": store.event_ids_of_article(article_id)}


__all__ = ["EDITABLE", "edit_event", "parse_edits", "reject_event", "reject_source",
           "restore_event", "restore_source", "show_event", "show_source"]
