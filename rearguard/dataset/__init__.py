"""The living dataset: articles in, one event per incident out, kept correct as reports
arrive.

:func:`ingest` reads sources (:mod:`rearguard.ingest`), skips articles already stored (by
content hash or URL), extracts each new one, and writes, in one transaction per article,
the article, its control records and its events: each event either merges into the stored
report of the same incident (:mod:`rearguard.dataset.merge`) or becomes a new dataset event
with a stable id (ISO3 and a per-country number that is never reused). Every creation,
merge and revision is logged. Rear-area flags are recomputed against the control ledger of
the whole dataset, so an attack ingested before the article about the retaking is flagged
once that article arrives.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..errors import RearguardError
from ..settings import Settings, load_settings
from ..types import Article, ControlChange, Event
from .merge import MERGE_KM, merge_events, same_incident, window, with_article

REAR_KM = 25.0


@dataclass
class IngestReport:
    """What one ingest run did."""

    articles: int = 0  # new articles stored
    seen: int = 0  # articles already in the dataset
    events_new: int = 0
    events_merged: int = 0
    control: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.articles} new articles ({self.seen} already stored), "
                f"{self.events_new} new events, {self.events_merged} merged into stored "
                f"events, {self.control} control records, {len(self.errors)} errors")


def ingest(sources: Iterable[str], *, store, settings: Settings | None = None,
           published: str | None = None,
           on_item: Callable[[IngestReport], None] | None = None,
           clock: Callable[[], int] | None = None) -> IngestReport:
    """Read, extract and store every article of ``sources``. Bad sources are reported in
    ``IngestReport.errors`` and the rest proceed; nothing stored is lost. ``clock`` gives
    the ``timestamp`` of created and changed events (default: now, in Unix seconds)."""
    from ..ingest import read_sources
    from ..pipeline import extract_articles

    settings = settings or load_settings()
    report = IngestReport()

    def fresh():
        for item in read_sources(list(sources), published=published):
            if isinstance(item, RearguardError):
                report.errors.append(item.message)
            elif store.has_article(item.id) or (item.url and store.article_id_for_url(item.url)):
                report.seen += 1
            else:
                yield item
                continue
            if on_item:
                on_item(report)

    for extraction in extract_articles(fresh(), settings=settings):
        add_extraction(store, extraction.article, extraction.events, extraction.control,
                       report, now=(clock or _now)())
        if on_item:
            on_item(report)
    return report


def _now() -> int:
    return int(time.time())


def add_extraction(store, article: Article, events: Iterable[Event],
                   control: Iterable[ControlChange], report: IngestReport, *,
                   now: int | None = None) -> None:
    """One article's records, atomically: all of them or (after a crash) none."""
    now = _now() if now is None else now
    with store.transaction():
        if not store.add_article(article):
            report.seen += 1
            return
        report.articles += 1
        records = [r for r in control if store.add_control(r)]
        report.control += len(records)
        touched: list[Event] = []
        for event in events:
            event = with_article(dataclasses.replace(event, timestamp=now), article.id)
            touched.append(_place_event(store, event, article, report))
        for record in records:
            touched += _near_events(store, record)
        _refresh_rear_area(store, touched)


def _place_event(store, event: Event, article: Article, report: IngestReport) -> Event:
    if event.latitude is not None and event.event_date:
        date_from, date_to = window(event)
        candidates = [c for c in store.events_near(
            latitude=event.latitude, longitude=event.longitude, km=MERGE_KM,
            date_from=date_from, date_to=date_to) if same_incident(c, event)]
    else:
        candidates = []
    if candidates:
        old = candidates[0]
        latest = _latest_published(store, old)
        published = article.published or ""
        merged, changes = merge_events(old, event, new_is_later=published > latest,
                                       new_is_earlier=bool(latest) and published < latest)
        if changes:
            merged = dataclasses.replace(merged, timestamp=event.timestamp)
        store.put_event(merged)
        store.log(old.event_id_cnty, "merged",
                  "; ".join(["report of the same incident", *changes]), article.id)
        report.events_merged += 1
        return merged
    iso3 = event.event_id_cnty[:3]
    stable = dataclasses.replace(event, event_id_cnty=f"{iso3}{store.next_event_number(iso3)}")
    store.put_event(stable)
    store.log(stable.event_id_cnty, "created", stable.notes, article.id)
    report.events_new += 1
    return stable


def _latest_published(store, event: Event) -> str:
    dates = []
    for article_id in event.article_ids:
        article = store.get_article(article_id)
        if article is not None and article.published:
            dates.append(article.published)
    return max(dates, default="")


def _near_events(store, record: ControlChange) -> list[Event]:
    """Stored events in the record's place after its date: their flags may change."""
    if record.latitude is None or not record.date:
        return []
    return store.events_near(latitude=record.latitude, longitude=record.longitude,
                             km=REAR_KM, date_from=record.date, date_to="9999-12-31")


def _side(holder: str) -> str:
    from ..actors import normalise_actor
    from ..control import side

    actor = normalise_actor(holder) if holder else None
    return side(actor) if actor is not None else ""


def _refresh_rear_area(store, events: Iterable[Event]) -> None:
    """Recompute rear-area flags of ``events`` against every stored control record near
    them; log each flag that appears or goes."""
    from ..control.rear import flag_rear_areas

    seen: set[str] = set()
    for event in events:
        if event.event_id_cnty in seen or event.latitude is None:
            continue
        seen.add(event.event_id_cnty)
        current = store.get_event(event.event_id_cnty) or event
        records = store.control(latitude=current.latitude, longitude=current.longitude,
                                km=REAR_KM)
        sides = {r.holder: _side(r.holder) for r in records if r.holder}
        cleared = dataclasses.replace(current, rear_area=False, rear_area_reason="")
        (flagged,) = flag_rear_areas([cleared], records, sides=sides)
        if flagged.rear_area == current.rear_area and (
                flagged.rear_area_reason == current.rear_area_reason or not flagged.rear_area):
            continue
        if not flagged.rear_area and current.rear_area:
            # a flag from the article's own reading stays unless the ledger contradicts it
            continue
        updated = dataclasses.replace(current, rear_area=flagged.rear_area,
                                      rear_area_reason=flagged.rear_area_reason,
                                      front=current.front,
                                      front_distance_km=current.front_distance_km)
        store.put_event(updated)
        store.log(current.event_id_cnty, "flagged", flagged.rear_area_reason)


def control_history(store, place: str) -> list[ControlChange]:
    """Who held ``place`` when, with sources, oldest first."""
    return store.control(place=place)


__all__ = ["IngestReport", "add_extraction", "control_history", "ingest"]
