"""Composes the stages for the commands: files and JSON Lines in, records out."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import InputError
from .geo import geocode_article
from .io import Record, iter_jsonl, parse_date, read_text_file
from .settings import Settings, load_settings
from .types import Article, Extraction, Geocoded


def geocode_file(
    path: str | Path, *, settings: Settings | None = None, source: str | None = None
) -> Geocoded:
    """Find and resolve the toponyms of one text file (``source``: its publisher, a name
    or URL, a hint to the article's focus)."""
    settings = settings or load_settings()
    return geocode_article(read_text_file(path), settings=settings, source=source)


def geocode_record(record: Record, *, settings: Settings) -> dict[str, Any]:
    """One JSON Lines record -> ``{"id", "places", "focus"}``; with spans, one place per
    span. A ``source`` (publisher name or URL) is a hint to the focus."""
    source = record.data.get("source") or record.data.get("url")
    found = geocode_article(record.text, record.spans, settings=settings,
                            source=source if isinstance(source, str) else None,
                            where=f"line {record.line}")
    return {"id": record.id, **found.to_dict()}


def geocode_jsonl(
    path: str | Path, *, settings: Settings | None = None, keep_going: bool = False
) -> Iterator[dict[str, Any]]:
    """Output records in input order. A bad line raises, or with ``keep_going`` yields
    ``{"id", "line", "error"}`` and the rest are processed."""
    settings = settings or load_settings()
    for item in iter_jsonl(path, with_spans=True):
        if isinstance(item, InputError):
            if not keep_going:
                raise item
            yield error_record(item)
            continue
        yield geocode_record(item, settings=settings)


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
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError as e:
        raise InputError("E112", option=option, value=value) from e


def article_from_file(
    path: str | Path, *, published: str | None = None, source: str | None = None
) -> Article:
    """An article from a text file. Without ``published``, a YYYY-MM-DD in the file's name
    ("shirqat-2016-11-06.txt") is taken as the publication date. ``source`` is its
    publisher (a name such as "SOHR", or a URL)."""
    text = read_text_file(path)
    if published is None:
        match = _DATE_IN_NAME.search(Path(path).name)
        if match:
            try:
                published = dt.date.fromisoformat(match.group(1)).isoformat()
            except ValueError:
                published = None
    return Article(id=content_id(text), text=text, published=published, source=source)


def article_from_record(record: Record) -> Article:
    where = f"line {record.line}"
    data = record.data
    fields = {}
    for name in ("title", "url", "source"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError("E106", where=where, detail=f"\"{name}\" must be a string.")
        fields[name] = value
    return Article(id=record.id, text=record.text,
                   published=parse_date(data.get("published"), where), **fields)


def extract_article(article: Article, *, settings: Settings | None = None) -> Extraction:
    """The events, control records and rear-area flags of one article: the library's entry
    point (evaluation, tests and the commands call this, not a stage)."""
    from .events.extract import extract_article as run

    return run(article, settings=settings or load_settings())


def extract_articles(
    articles: Iterable[Article], *, settings: Settings | None = None
) -> Iterator[Extraction]:
    """Extractions of ``articles``, in order, sharing one loaded pipeline."""
    from .events.extract import extract_articles as run

    yield from run(articles, settings=settings or load_settings())


def extract_files(
    paths: Sequence[str | Path], *, published: str | None = None,
    settings: Settings | None = None, source: str | None = None,
) -> Iterator[Extraction]:
    """Extractions of text files, in order."""
    settings = settings or load_settings()
    articles = (article_from_file(p, published=published, source=source) for p in paths)
    yield from extract_articles(articles, settings=settings)


def extract_jsonl(
    path: str | Path, *, settings: Settings | None = None, keep_going: bool = False
) -> Iterator[dict[str, Any]]:
    """One output record per input line, in input order; bad lines raise, or with
    ``keep_going`` become ``{"id": null, "line", "error"}``."""
    settings = settings or load_settings()
    for item in iter_jsonl(path):
        if not isinstance(item, InputError):
            try:
                article = article_from_record(item)
            except InputError as e:
                item = InputError("E106", where=f"{path}:{item.line}",
                                  detail=e.message.split(": ", 1)[-1])
        if isinstance(item, InputError):
            if not keep_going:
                raise item
            yield error_record(item)
            continue
        yield extract_article(article, settings=settings).to_dict()
