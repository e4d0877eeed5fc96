"""Dataset events as the merge of their reports.

A *report* is what one article's extraction said about one dataset event (the event as
extracted, its evidence indexing that article). A dataset event is derived, every time one
of its reports comes or goes, as:

1. the merge (:func:`rearguard.dataset.merge.merge_events`) of its reports in publication
   order (undated last; ties by article id and the event's place in its article), so the
   same reports give the same event whatever order they arrived in;
2. the control ledger's rear-area flag (an attack in a place its enemy had retaken);
3. the analyst's edits (``rearguard event edit``), which win over both.

Which stored event a new report joins is decided when it arrives (the nearest stored
event of the same incident, :func:`rearguard.dataset.merge.same_incident`), preferring an
event the same article fed before, so a revised or re-extracted article keeps its events'
ids. Events stored before reports were kept (or imported from ACLED) get a *legacy*
report holding them as they were, standing for their articles until those articles are
extracted again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..settings import Settings
from ..types import Article, Event, Extraction
from .merge import MERGE_KM, merge_events, same_incident, window, with_article

if TYPE_CHECKING:
    from ..pipeline import Pipeline
    from ..store import Report
    from . import IngestReport

REAR_KM = 25.0
LEGACY = "legacy"
# Fields whose change is described in the change log, with the key their merge note uses.
DESCRIBED = (("fatalities", "fatalities"), ("injured", "injured"), ("captured", "captured"),
             ("event_date", "date"), ("location", "place"), ("actor1", "actor1"),
             ("actor2", "actor2"), ("claimed_by", "claimed_by"), ("event_type", "event_type"),
             ("sub_event_type", "sub_event_type"), ("rear_area", "rear_area"))
REAR_FIELDS = ("rear_area", "rear_area_reason")


class Extractor:
    """The pipeline (:class:`rearguard.pipeline.Pipeline`, the one composer of the
    stages), loaded on first use, so a run that extracts nothing loads nothing; or the
    extraction a worker already made of the same article (:meth:`remember`)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pipeline: Pipeline | None = None
        self._ready: dict[Article, Extraction] = {}

    def remember(self, extraction: Extraction) -> None:
        """An extraction done elsewhere (a worker process) of exactly this article, to be
        returned instead of extracting it again."""
        self._ready[extraction.article] = extraction

    def __call__(self, article: Article) -> Extraction:
        ready = self._ready.pop(article, None)
        if ready is not None:
            return ready
        if self._pipeline is None:
            from ..pipeline import Pipeline

            self._pipeline = Pipeline(self.settings)
        return self._pipeline.extract(article)


def fold(reports: Sequence[Report]) -> tuple[Event, list[str]]:
    """The merge of ``reports`` in publication order, and the merge's notes."""
    ordered = sorted(reports, key=lambda r: (
        r.article_id is not None, r.published or "\uffff", r.article_id or "", r.seq))
    event = ordered[0].event
    latest = ordered[0].published or ""
    notes: list[str] = []
    for report in ordered[1:]:
        published = report.published or ""
        event, changes = merge_events(event, report.event, new_is_later=published > latest,
                                      new_is_earlier=bool(latest) and published < latest)
        notes += changes
        latest = max(latest, published)
    return event, notes


def ledger_flag(store, event: Event) -> Event:
    """The event with the rear-area flag the control ledger near it gives, if it gives
    one (a flag the article's own reading set stays otherwise)."""
    from ..control.rear import flag_rear_areas

    if event.latitude is None or event.longitude is None:
        return event
    records = store.control(latitude=event.latitude, longitude=event.longitude, km=REAR_KM)
    if not records:
        return event
    sides = {r.holder: _side(r.holder) for r in records if r.holder}
    cleared = dataclasses.replace(event, rear_area=False, rear_area_reason="")
    (flagged,) = flag_rear_areas([cleared], records, sides=sides)
    if not flagged.rear_area:
        return event
    return dataclasses.replace(event, rear_area=True, rear_area_reason=flagged.rear_area_reason)


def _side(holder: str) -> str:
    from ..actors import normalise_actor
    from ..control import side

    actor = normalise_actor(holder) if holder else None
    return side(actor) if actor is not None else ""


def apply_edits(event: Event, edits: dict[str, Any]) -> Event:
    return dataclasses.replace(event, **edits) if edits else event


def _comparable(event: Event) -> Event:
    return dataclasses.replace(event, timestamp=0)


def describe(old: Event, new: Event, notes: Iterable[str] = ()) -> list[str]:
    """What changed from ``old`` to ``new``, for the change log: ``fatalities 5 -> 14 (a
    later report revises it)``, the reason taken from the merge's last note on it."""
    notes = list(notes)
    lines = []
    for name, key in DESCRIBED:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        why = ""
        for note in reversed(notes):
            if note.startswith(key + " ") and note.endswith(")") and " (" in note:
                why = " (" + note.rsplit(" (", 1)[1]
                break
        lines.append(f"{key} {before if before not in ('', None) else '-'} -> "
                     f"{after if after not in ('', None) else '-'}{why}")
    gone = [a for a in old.article_ids if a not in new.article_ids]
    if gone:
        lines.append("no longer a source: article " + ", ".join(gone))
    return lines


def rederive(store, event_id: str, *, now: int, action: str, lead: str,
             article_id: str | None, report: IngestReport | None = None,
             emptied_status: str = "deleted") -> Event | None:
    """Derive the event again from its reports, the ledger and its edits; store and log it
    when it changed. An event that had reports and has none left is ``emptied_status``
    (deleted, or rejected when its sources were rejected) unless an analyst rejected it."""
    stored = store.get_event(event_id)
    meta = store.event_meta(event_id)
    if stored is None or meta is None:
        return None
    reports = store.reports(event_id=event_id)
    notes: list[str] = []
    if reports and meta.status == "deleted":  # reported again (a revision reverted)
        store.set_event_status(event_id, "active")
        store.log(event_id, "restored", f"{lead}: reported again", article_id)
    if reports:
        derived, notes = fold(reports)
        derived = dataclasses.replace(derived, event_id_cnty=event_id,
                                      timestamp=stored.timestamp)
        versions = sorted({r.pipeline_version or LEGACY for r in reports})
        if ";".join(versions) != meta.pipeline_version:
            store.set_event_version(event_id, ";".join(versions))
    elif meta.pipeline_version is None or (meta.status == "active"
                                           and _kept_by_analyst(store, event_id)):
        # stored before reports were kept, or imported, or an event no report supports
        # that an analyst restored: it stands as it is
        derived = stored
    else:
        if meta.status == "active":
            store.set_event_status(event_id, emptied_status)
            store.log(event_id, "deleted" if emptied_status == "deleted" else "rejected",
                      f"{lead}: no report supports the event any more", article_id)
            if report is not None:
                report.events_deleted += 1
        return None
    derived = apply_edits(ledger_flag(store, derived), meta.edits)
    if _comparable(derived) == _comparable(stored):
        return stored
    derived = dataclasses.replace(derived, timestamp=now)
    store.put_event(derived)
    changes = describe(stored, derived, notes)
    changed = {f.name for f in dataclasses.fields(Event)
               if getattr(stored, f.name) != getattr(derived, f.name)} - {"timestamp"}
    if changed <= set(REAR_FIELDS) and action != "edited":
        store.log(event_id, "flagged", derived.rear_area_reason or "rear-area flag cleared")
    else:
        store.log(event_id, action, "; ".join([lead, *changes]), article_id)
        if report is not None and action != "merged":
            report.events_updated += 1
    return derived


def _kept_by_analyst(store, event_id: str) -> bool:
    """Whether the last change of the event's status was an analyst's restore (no article
    behind it): ``event restore`` of an event no report supports keeps it."""
    for entry in reversed(store.history(event_id)):
        if entry["action"] in ("restored", "rejected", "deleted"):
            return entry["action"] == "restored" and entry["article_id"] is None
    return False


def ensure_legacy_report(store, event_id: str) -> None:
    """Give an event stored before reports were kept (pipeline version NULL, no reports) a
    legacy report holding it as it stands, before a report is added or taken from it."""
    meta = store.event_meta(event_id)
    if meta is None or meta.pipeline_version is not None:
        return
    if store.reports(event_id=event_id):
        return
    event = store.get_event(event_id)
    dates = [a.published for a in (store.get_article(i) for i in event.article_ids)
             if a is not None and a.published]
    store.add_report(event_id, None, 0, max(dates, default=None), LEGACY, event)
    store.set_event_version(event_id, LEGACY)


def _strip_legacy(store, event_id: str, article_id: str) -> None:
    """Take an article out of an event's legacy report: its id and its evidence (its
    figures cannot be told apart from the others' and stay until the report is empty)."""
    for legacy in store.reports(event_id=event_id, legacy=True):
        event = legacy.event
        if article_id not in event.article_ids:
            continue
        ids = tuple(a for a in event.article_ids if a != article_id)
        if not ids:
            store.delete_report(legacy.id)
            continue
        evidence = tuple(e for e in event.evidence if e.article_id != article_id)
        store.update_report(legacy.id, dataclasses.replace(event, article_ids=ids,
                                                           evidence=evidence))


def _target(store, event: Event, prefer: Iterable[str]) -> str | None:
    """The stored event this report is about: one the article fed before if it fits (even
    one deleted when an earlier text of the article stopped reporting it), else the
    nearest active or rejected event of the same incident; None for a new incident."""
    if event.latitude is None or event.longitude is None or not event.event_date:
        return None
    date_from, date_to = window(event)
    preferred = set(prefer)
    candidates = [c for c in store.events_near(
        latitude=event.latitude, longitude=event.longitude, km=MERGE_KM,
        date_from=date_from, date_to=date_to, statuses=("active", "rejected", "deleted"))
        if same_incident(c, event)]
    candidates = [c for c in candidates if c.event_id_cnty in preferred
                  or store.event_meta(c.event_id_cnty).status != "deleted"]
    ranked = [c for c in candidates if c.event_id_cnty in preferred] or candidates
    return ranked[0].event_id_cnty if ranked else None


def _near_control(store, records: Iterable[Any]) -> list[str]:
    """Stored events in a control record's place after its date: their flags may change."""
    ids: list[str] = []
    for record in records:
        if record.latitude is None or record.longitude is None or not record.date:
            continue
        ids += [e.event_id_cnty for e in store.events_near(
            latitude=record.latitude, longitude=record.longitude, km=REAR_KM,
            date_from=record.date, date_to="9999-12-31")]
    return ids


def replace_contribution(store, article: Article, extraction: Extraction | None,
                         report: IngestReport, *, version: str | None, now: int,
                         action: str, lead: str, emptied_status: str = "deleted",
                         fresh: bool = False) -> None:
    """Inside one transaction: take out what ``article`` contributed to the dataset (its
    reports and control records), put in what ``extraction`` says (None: nothing, the
    article is no longer a source), and re-derive every event either touched.
    ``fresh``: the article was stored just now, so it contributed nothing yet."""
    with store.transaction():
        previous: dict[str, None] = {}
        removed: list[Any] = []
        if not fresh:
            for old in store.reports(article_id=article.id):
                previous[old.event_id] = None
                store.delete_report(old.id)
            for event_id in store.event_ids_of_article(article.id):
                if event_id not in previous:
                    ensure_legacy_report(store, event_id)
                    _strip_legacy(store, event_id, article.id)
                    previous[event_id] = None
            removed = store.remove_control_of_article(article.id)
        touched: dict[str, None] = dict(previous)
        added = []
        if extraction is not None:
            added = [r for r in extraction.control if store.add_control(r)]
            report.control += len(added)
            for seq, extracted in enumerate(extraction.events):
                event = with_article(dataclasses.replace(extracted, timestamp=now), article.id)
                _place(store, event, article, seq, report, previous=previous, now=now,
                       version=version, action=action, lead=lead)
                touched.update(dict.fromkeys(
                    r.event_id for r in store.reports(article_id=article.id)))
            store.set_extracted_with(article.id, version)
        else:
            store.set_extracted_with(article.id, None)
        touched.update(dict.fromkeys(_near_control(store, [*added, *removed])))
        for event_id in touched:
            rederive(store, event_id, now=now, action=action, lead=lead,
                     article_id=article.id, report=report, emptied_status=emptied_status)


def _place(store, event: Event, article: Article, seq: int, report: IngestReport, *,
           previous: dict[str, None], now: int, version: str | None, action: str,
           lead: str) -> None:
    target = _target(store, event, previous)
    if target is None:
        iso3 = event.event_id_cnty[:3]
        stable = dataclasses.replace(
            event, event_id_cnty=f"{iso3}{store.next_event_number(iso3)}")
        store.put_event(stable)
        store.set_event_version(stable.event_id_cnty, version)
        store.add_report(stable.event_id_cnty, article.id, seq, article.published, version,
                         event)
        why = stable.notes if action == "merged" else f"{lead}: {stable.notes}"
        store.log(stable.event_id_cnty, "created", why, article.id)
        report.events_new += 1
        return
    ensure_legacy_report(store, target)
    store.add_report(target, article.id, seq, article.published, version, event)
    if target not in previous:
        report.events_merged += 1
    rederive(store, target, now=now, action="merged" if target not in previous else action,
             lead="report of the same incident" if target not in previous else lead,
             article_id=article.id, report=report)


__all__ = ["Extractor", "apply_edits", "describe", "fold", "ledger_flag", "rederive",
           "replace_contribution"]
