"""The one composer: runs the stages in order over typed records, for the library and the
commands (files and JSON Lines in, records out).

Per article (:class:`Pipeline`)::

    Article --nlp--> Parsed --geo--> Located --events--> Incidents --control--> ControlRecords
    Incidents + ControlRecords --events--> Event* --rear areas--> Event* (flagged)

No stage runs another: each takes the records it needs and returns its own, and only this
module calls more than one stage (``tests/test_stages.py`` checks it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .geo import geocode_article
from .geo.focus import find_dateline
from .ingest.language import ENGLISH
from .io import (
    PUBLISHED_YEARS,
    Record,
    iter_jsonl,
    parse_date,
    plausible_date,
    read_text,
    read_text_file,
)
from .settings import Settings, load_settings
from .types import Article, Extraction, Geocoded, Incidents, Located, Parsed

if TYPE_CHECKING:
    from spacy.language import Language

    from .geo.gazetteer import Gazetteer
    from .geo.resolve import Resolver


def geocode_file(
    path: str | Path, *, settings: Settings | None = None, source: str | None = None
) -> Geocoded:
    """Find and resolve the toponyms of one text file (``source``: its publisher, a name
    or URL, a hint to the article's focus)."""
    settings = settings or load_settings()
    return geocode_article(read_text_file(path), settings=settings, source=source)


def geocode_jsonl(
    path: str | Path, *, settings: Settings | None = None, keep_going: bool = False,
    workers: int = 1,
) -> Iterator[dict[str, Any]]:
    """Output records in input order. A bad line raises, or with ``keep_going`` yields
    ``{"id", "line", "error"}`` and the rest are processed. ``workers``: processes that
    share the work (:mod:`rearguard.parallel`); the output is the same."""
    from .parallel import geocode_task, ordered_map

    settings = settings or load_settings()
    ids: deque[str | None] = deque()  # the ids of the jobs in flight, in input order

    def jobs() -> Iterator[Any]:
        for item in iter_jsonl(path, with_spans=True):
            if isinstance(item, InputError):
                ids.append(None)
                yield item
                continue
            ids.append(item.id)
            source = item.data.get("source") or item.data.get("url")
            yield (item.text, item.spans, source if isinstance(source, str) else None,
                   f"line {item.line}")

    for found in ordered_map(geocode_task, jobs(), settings=settings, workers=workers):
        record_id = ids.popleft()
        if isinstance(found, InputError):
            if not keep_going:
                raise found
            yield error_record(found)
        elif isinstance(found, BaseException):
            raise found
        else:
            yield {"id": record_id, **found.to_dict()}


def error_record(error: InputError) -> dict[str, Any]:
    where = str(error.details.get("where") or error.details.get("path") or "")
    line = where.rsplit(":", 1)[-1]
    return {"id": None, "line": int(line) if line.isdigit() else None, "error": error.message}


# -- extract ---------------------------------------------------------------------------

_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def content_id(text: str) -> str:
    """An article's id: a hash of its text, so the same report is one article."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def published_option(value: str | None, option: str = "--published") -> str | None:
    """A date option checked as YYYY-MM-DD (an error, not a silent default)."""
    if value is None:
        return None
    try:
        date = dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError as e:
        raise InputError("E112", option=option, value=value) from e
    if not plausible_date(date):
        raise InputError("E113", option=option, value=date, low=PUBLISHED_YEARS[0],
                         high=PUBLISHED_YEARS[1])
    return date


def article_from_file(
    path: str | Path, *, published: str | None = None, source: str | None = None
) -> Article:
    """An article from a text file. Without ``published``, a YYYY-MM-DD in the file's name
    ("shirqat-2016-11-06.txt") is taken as the publication date. ``source`` is its
    publisher (a name such as "SOHR", or a URL)."""
    text, cut = read_text(path)
    if published is None:
        match = _DATE_IN_NAME.search(Path(path).name)
        if match:
            try:
                published = dt.date.fromisoformat(match.group(1)).isoformat()
                if not plausible_date(published):
                    published = None  # "report-0001-01-01.txt" names no publication day
            except ValueError:
                published = None
    from .ingest.sources import with_language

    return with_language(Article(id=content_id(text), text=text, published=published,
                                 source=source, flags="truncated" if cut else None), str(path))


def article_from_record(record: Record) -> Article:
    where = f"line {record.line}"
    data = record.data
    fields = {}
    for name in ("title", "url", "source"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError("E106", where=where, detail=f"\"{name}\" must be a string.")
        fields[name] = value
    from .ingest.sources import with_language

    return with_language(Article(id=record.id, text=record.text,
                                 published=parse_date(data.get("published"), where),
                                 flags="truncated" if record.truncated else None, **fields),
                         f"{where} (article {record.id})")


class Pipeline:
    """The stages composed, with what they share loaded once: the spaCy pipeline, the
    gazetteer and its resolver, and the table of vague number words. ``extract`` runs
    one article through every stage."""

    def __init__(self, settings: Settings | None = None):
        from .geo import open_gazetteer
        from .geo.resolve import Resolver
        from .nlp.numbers import load_vague_table
        from .nlp.pipeline import load_pipeline

        self.settings = settings = settings or load_settings()
        self.gazetteer: Gazetteer = open_gazetteer(settings)
        self.nlp: Language = load_pipeline(settings.spacy_model, str(self.gazetteer.path))
        self.resolver: Resolver = Resolver(self.gazetteer, fuzzy=settings.fuzzy_names,
                                           max_candidates=settings.max_candidates)
        self.vague = load_vague_table(settings.vague_numbers or None)

    def extract(self, article: Article) -> Extraction:
        """The events, control records and rear-area flags of one article."""
        return self._checked(self.extract_many([article])[0])

    def extract_many(self, articles: Sequence[Article]) -> list[Extraction | Exception]:
        """:meth:`extract` of each of ``articles``, in order, with the sentences of all of
        them parsed in one batch (:func:`rearguard.nlp.parse.parse_articles`: faster than
        one article at a time, the same docs). An article whose extraction raised has the
        exception in its place, and the others are still done; an error in the batch's
        parse is narrowed to its article by parsing them one at a time."""
        ready: list[Extraction | Exception | None] = []
        todo: list[Article] = []
        for article in articles:
            try:
                article, done = self._prepared(article)
            except Exception as e:
                ready.append(e)
                continue
            ready.append(done)
            if done is None:
                todo.append(article)
        try:
            parsed: list[Parsed | Exception] = list(self.parse_many(todo))
        except Exception:
            parsed = []
            for article in todo:
                try:
                    parsed.append(self.parse(article))
                except Exception as e:
                    parsed.append(e)
        found = iter(parsed)
        out: list[Extraction | Exception] = []
        for answer in ready:
            if answer is not None:
                out.append(answer)
                continue
            one = next(found)
            try:
                out.append(one if isinstance(one, Exception) else self._composed(one))
            except Exception as e:
                out.append(e)
        return out

    @staticmethod
    def _checked(found: Extraction | Exception) -> Extraction:
        if isinstance(found, Exception):
            raise found
        return found

    def _prepared(self, article: Article) -> tuple[Article, Extraction | None]:
        """The article as the stages read it, and its extraction when it needs none."""
        if article.published is not None and not plausible_date(article.published):
            # a page's metadata or a feed dated outside any news (0001-01-01): nothing can
            # be counted from it
            article = dataclasses.replace(article, published=None)
        if article.language is not None and article.language != ENGLISH:
            # rearguard reads English only: a report in another language gives no events
            # (its reader warned), rather than whatever English rules make of it
            return article, Extraction(article=article)
        return article, None

    def _composed(self, parsed: Parsed) -> Extraction:
        """The stages after the nlp stage, over one parsed article."""
        from .control import find_control, rear_areas
        from .events.merge import build_events
        from .events.reported import keep_reported

        article = parsed.article
        located = self.locate(parsed)
        incidents = self.incidents(parsed, located)
        control = find_control(incidents, located.places.values())
        # The territory rule: the control stage's records decide the events' territorial
        # sub-event types, so events are coded after it (docs/decisions.md).
        events = build_events(incidents, control)
        if self.settings.news_filter:
            # Incidents the article names only as background (an old attack, a trial's
            # subject, a plot) are not its events; their control records stay.
            events = list(keep_reported(article, events))
        flagged = rear_areas(article.text, events, control.records,
                             places=list(located.places.values()), actors=incidents.actors)
        return Extraction(article=article, events=tuple(flagged), control=control.records)

    def parse(self, article: Article) -> Parsed:
        """The nlp stage: with the cascade on, only sentences holding an event trigger."""
        return self.parse_many([article])[0]

    def parse_many(self, articles: Sequence[Article]) -> list[Parsed]:
        """:meth:`parse` of each of ``articles``, their sentences parsed in one batch."""
        from .events.triggers import has_trigger
        from .nlp.parse import parse_articles

        return parse_articles(self.nlp, articles,
                              keep=has_trigger if self.settings.cascade else None)

    def incidents(self, parsed: Parsed, located: Located) -> Incidents:
        """The events stage's first step over a parsed and located article: its event
        mentions grouped into incidents (``rearguard.events.extract.find_incidents``)."""
        from .events.extract import find_incidents

        return find_incidents(parsed, located, vague=self.vague)

    def locate(self, parsed: Parsed) -> Located:
        """The geo stage over a parsed article: each doc's toponyms, then all of them
        resolved together by the article-wide resolver, with the publisher's home as a
        hint to which namesake the report means."""
        from .geo import toponym_ents

        article = parsed.article
        spans: list[tuple[int, int]] = []
        toponyms = []
        for chunk, doc in zip(parsed.chunks, parsed.docs, strict=True):
            ents = tuple(toponym_ents(doc, self.gazetteer, demonyms=self.settings.demonyms))
            toponyms.append(ents)
            spans += [(chunk.start + e.start_char, chunk.start + e.end_char) for e in ents]
        # The dateline ("BAGHDAD (Reuters) -", "Lima, 3 June 1989 (EFE) --") names where
        # the report was filed, often the only place a sentence about the event implies.
        # The cascade parses no sentence for it unless one holds a trigger, so the geo
        # stage resolves its span itself.
        dateline = find_dateline(article.text)
        inside = [s for s in spans if dateline and s[0] < dateline[1] and dateline[0] < s[1]]
        asked = sorted([*spans, dateline]) if dateline and not inside else spans
        found = self.resolver.resolve_article(article.text, asked,
                                              source=article.source or article.url)
        places = dict(zip(asked, found.places, strict=True))
        filed = places.pop(dateline) if dateline and not inside else (
            places[inside[0]] if inside else None)
        return Located(toponyms=tuple(toponyms), places=places, focus=found.focus,
                       dateline=filed)


def extract_article(article: Article, *, settings: Settings | None = None) -> Extraction:
    """The events, control records and rear-area flags of one article: the library's entry
    point (evaluation, tests and the commands call this, not a stage)."""
    return next(extract_articles([article], settings=settings))


def extract_articles(
    articles: Iterable[Article], *, settings: Settings | None = None, workers: int = 1
) -> Iterator[Extraction]:
    """Extractions of ``articles``, in order, sharing one loaded :class:`Pipeline` (one
    per process with ``workers`` > 1, :mod:`rearguard.parallel`; the output is the same)."""
    if workers > 1:
        from .parallel import extract_task, ordered_map

        for found in ordered_map(extract_task, articles, settings=settings or load_settings(),
                                 workers=workers):
            if isinstance(found, BaseException):
                raise found
            yield found
        return
    from .parallel import BATCH

    pipeline = Pipeline(settings)
    it = iter(articles)
    while batch := list(islice(it, BATCH)):
        for found in pipeline.extract_many(batch):
            yield Pipeline._checked(found)


def extract_jsonl(
    path: str | Path, *, settings: Settings | None = None, keep_going: bool = False,
    workers: int = 1,
) -> Iterator[dict[str, Any]]:
    """One output record per input line, in input order; bad lines raise, or with
    ``keep_going`` become ``{"id": null, "line", "error"}``. ``workers``: processes that
    share the work (:mod:`rearguard.parallel`); the output is the same."""
    from .engines import articles
    from .parallel import extract_task, ordered_map

    settings = settings or load_settings()
    jobs = articles(str(path))
    for found in ordered_map(extract_task, jobs, settings=settings, workers=workers):
        if isinstance(found, InputError):
            if not keep_going:
                raise found
            yield error_record(found)
        elif isinstance(found, BaseException):
            raise found
        else:
            yield found.to_dict()
