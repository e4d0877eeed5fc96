"""The living dataset: articles in, one event per incident out, kept correct as reports
arrive, are revised, are rejected by an analyst or are extracted again by a newer pipeline.

:func:`ingest` reads sources (:mod:`rearguard.ingest`) and gives each article an identity:
its URL when it has one, else its id (a JSON Lines id or the hash of its text). An
article already stored with the same text is skipped before any extraction; the same
text under another id or URL is recorded as a duplicate of the stored one and is not a
second source; a changed text at a known URL or id is a **revision**: the stored text is
kept in ``article_revisions`` and the article is extracted again.

What each article's extraction says about each event is kept as a *report*
(:mod:`rearguard.dataset.derive`); a dataset event is the merge of its reports in
publication order (:mod:`rearguard.dataset.merge`), plus the control ledger's rear-area
flag and an analyst's edits. A revision, a rejected source or a re-extraction replaces
one article's reports and re-derives every event they fed, through the same merge, and
logs why. Everything for one article is one transaction.
"""

from __future__ import annotations

import dataclasses
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..errors import RearguardError
from ..settings import Settings, load_settings
from ..store import text_hash
from ..types import Article, ControlChange, Event
from .derive import Extractor, replace_contribution
from .version import pipeline_version


@dataclass
class IngestReport:
    """What one ingest (or reprocess) run did."""

    articles: int = 0  # new articles stored (reprocess: articles extracted again)
    seen: int = 0  # articles already in the dataset with the same text
    revised: int = 0  # changed texts at a known URL or id
    duplicates: int = 0  # the same text as a stored article under another id or URL
    events_new: int = 0
    events_merged: int = 0
    events_updated: int = 0  # events re-derived after a revision or re-extraction
    events_deleted: int = 0  # events no report supports any more
    control: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        extra = ""
        if self.revised or self.duplicates:
            extra = f", {self.revised} revised, {self.duplicates} duplicates of stored texts"
        changed = ""
        if self.events_updated or self.events_deleted:
            changed = (f", {self.events_updated} updated, {self.events_deleted} no longer "
                       "reported")
        return (f"{self.articles} new articles ({self.seen} already stored{extra}), "
                f"{self.events_new} new events, {self.events_merged} merged into stored "
                f"events{changed}, {self.control} control records, "
                f"{len(self.errors)} errors")


def _now() -> int:
    return int(time.time())


def ingest(sources: Iterable[str], *, store, settings: Settings | None = None,
           published: str | None = None,
           on_item: Callable[[IngestReport], None] | None = None,
           clock: Callable[[], int] | None = None, workers: int = 1) -> IngestReport:
    """Read, extract and store every article of ``sources``. Bad sources are reported in
    ``IngestReport.errors`` and the rest proceed; nothing stored is lost. ``clock`` gives
    the ``timestamp`` of created and changed events (default: now, in Unix seconds).

    With ``workers`` > 1, new articles are extracted ahead in worker processes
    (:mod:`rearguard.parallel`) while this process stays the one store writer: the same
    identification, merge, ledger and one transaction per article, in input order."""
    from ..ingest import read_sources

    settings = settings or load_settings()
    report = IngestReport()
    extractor = Extractor(settings)
    version = pipeline_version(settings)
    items: Iterable[Article | RearguardError] = read_sources(list(sources), published=published)
    if workers > 1:
        items = _extracted_ahead(items, store, extractor, settings, workers)
    for item in items:
        if isinstance(item, RearguardError):
            report.errors.append(item.message)
        else:
            ingest_article(store, item, extractor, report, version=version,
                           now=(clock or _now)())
        if on_item:
            on_item(report)
    return report


def _extracted_ahead(items: Iterable[Article | RearguardError], store, extractor: Extractor,
                     settings: Settings, workers: int) -> Iterator[Article | RearguardError]:
    """``items`` again, in order, each new article's extraction handed to ``extractor``
    before it is yielded. Which articles are new is asked of the store as they are read,
    ahead of the writer: one that turns out not to be (the same text twice within the
    window) was extracted for nothing, never wrongly."""
    from ..parallel import extract_if_asked, ordered_map

    queue: deque[Article | RearguardError] = deque()

    def asked() -> Iterator[Article | None]:
        for item in items:
            queue.append(item)
            if isinstance(item, Article):
                kind, _, article = identify(store, item)
                yield article if kind == "new" else None
            else:
                yield None

    for result in ordered_map(extract_if_asked, asked(), settings=settings, workers=workers):
        if isinstance(result, BaseException):
            raise result
        if result is not None:
            extractor.remember(result)
        yield queue.popleft()


def identify(store, article: Article) -> tuple[str, str | None, Article]:
    """How ``article`` relates to the store: ``("seen", id)`` the same text is stored
    under its identity; ``("revision", id)`` its identity holds another text;
    ``("older", id)`` another text, published after this one; ``("duplicate", id)`` a new
    identity whose text a stored article holds; ``("new", None)``. The article comes back
    with the id it is to be stored under."""
    digest = text_hash(article.text)
    stored = store.article_id_for_url(article.url) if article.url else None
    if stored is None and store.has_article(article.id):
        if not article.url or not store.get_article(article.id).url:
            stored = article.id
        else:  # the id names an article at another URL: this one is another article
            article = dataclasses.replace(article, id=digest)
            if store.has_article(digest):
                return "seen", digest, article
    if stored is not None:
        meta = store.article_meta(stored)
        if meta.content_hash == digest:
            return "seen", stored, article
        current = store.get_article(stored)
        if article.published and current.published and article.published < current.published:
            return "older", stored, article
        return "revision", stored, article
    original = store.article_id_for_hash(digest)
    if original is not None:
        return "duplicate", original, article
    return "new", None, article


def ingest_article(store, article: Article, extractor: Extractor, report: IngestReport, *,
                   version: str, now: int) -> None:
    """One article read from a source: skipped, recorded as a duplicate or an older
    version, stored and extracted, or taken as a revision of the stored one."""
    kind, stored, article = identify(store, article)
    if kind == "seen":
        report.seen += 1
    elif kind == "older":
        current = store.get_article(stored)
        store.keep_older_revision(stored, article, why=(
            f"an older version (published {article.published}) arrived after the stored "
            f"text (published {current.published}); the newer text stands"))
        report.seen += 1
    elif kind == "duplicate":
        with store.transaction():
            if store.add_article(article, duplicate_of=stored):
                report.duplicates += 1
            else:
                report.seen += 1
    elif kind == "new":
        extraction = extractor(article)
        add_extraction(store, article, extraction.events, extraction.control, report,
                       now=now, version=version)
    elif stored is not None:  # a revision
        _revise(store, stored, article, extractor, report, version=version, now=now)


def _revise(store, article_id: str, article: Article, extractor: Extractor,
            report: IngestReport, *, version: str, now: int) -> None:
    current = store.get_article(article_id)
    meta = store.article_meta(article_id)
    revised = dataclasses.replace(
        article, id=article_id, url=article.url or current.url,
        published=article.published or current.published,
        title=article.title or current.title, source=article.source or current.source)
    original = store.article_id_for_hash(text_hash(revised.text))
    is_source = meta.status == "active" and original in (None, article_id)
    extraction = extractor(revised) if is_source else None
    why = "a changed text at its " + ("URL" if article.url else "id")
    with store.transaction():
        if store.article_meta(article_id).content_hash == text_hash(revised.text):
            report.seen += 1  # another process stored this revision meanwhile
            return
        number = store.revise_article(article_id, revised, why)
        report.revised += 1
        if original not in (None, article_id):
            store.set_duplicate_of(article_id, original)
        if meta.status != "active" or (meta.duplicate_of is not None and extraction is None):
            return  # a rejected source stays out; a duplicate that stays one adds nothing
        replace_contribution(
            store, revised, extraction, report, version=version, now=now, action="revised",
            lead=(f"article {article_id} revised (revision {number}, {why})"
                  if extraction is not None else
                  f"article {article_id} revised to the text of article {original}, "
                  "which is already a source"))


def add_extraction(store, article: Article, events: Iterable[Event],
                   control: Iterable[ControlChange], report: IngestReport, *,
                   now: int | None = None, version: str | None = None) -> None:
    """One new article's records, atomically: all of them or (after a crash) none."""
    from ..types import Extraction

    now = _now() if now is None else now
    with store.transaction():
        if not store.add_article(article):
            report.seen += 1
            return
        report.articles += 1
        extraction = Extraction(article=article, events=tuple(events),
                                control=tuple(control))
        replace_contribution(store, article, extraction, report, version=version, now=now,
                             action="merged", lead="report of the same incident", fresh=True)


def reprocess(store, *, settings: Settings | None = None, since: str | None = None,
              force: bool = False, on_item: Callable[[IngestReport], None] | None = None,
              clock: Callable[[], int] | None = None) -> IngestReport:
    """Extract the stored articles again with the current pipeline and update the events
    through the same merge and log. Articles already extracted by this pipeline version
    are skipped unless ``force`` (so a reprocess that was interrupted resumes where it
    stopped); ``since``: only articles published on or after that date. Rejected sources
    and duplicates are not extracted. Events keep their ids where they are the same
    incident (a report joins the event its article fed before when it still fits)."""
    settings = settings or load_settings()
    version = pipeline_version(settings)
    extractor = Extractor(settings)
    report = IngestReport()
    for article in store.articles(since=since, sources_only=True):
        meta = store.article_meta(article.id)
        if meta is None or (not force and meta.extracted_with == version):
            report.seen += 1
        else:
            extraction = extractor(article)
            with store.transaction():
                replace_contribution(store, article, extraction, report, version=version,
                                     now=(clock or _now)(), action="updated",
                                     lead=f"reprocessed with pipeline {version}")
            report.articles += 1
        if on_item:
            on_item(report)
    return report


def control_history(store, place: str) -> list[ControlChange]:
    """Who held ``place`` when, with sources, oldest first."""
    return store.control(place=place)


from .review import (  # noqa: E402
    edit_event,
    reject_event,
    reject_source,
    restore_event,
    restore_source,
)

__all__ = ["IngestReport", "add_extraction", "control_history", "edit_event", "identify",
           "ingest", "ingest_article", "pipeline_version", "reject_event", "reject_source",
           "reprocess", "restore_event", "restore_source"]
