"""Sources and :func:`read_sources`: every source becomes articles or one-line errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..io import read_file_bytes
from ..types import Article

KINDS = ("text", "folder", "html", "jsonl", "feed", "url")
EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
_SENTENCE_END = ".!?;:,"
TITLE_MAX_CHARS = 150
TITLE_MAX_WORDS = 20


@dataclass(frozen=True)
class Source:
    """Where articles come from: ``location`` (a path or URL as given) and its ``kind``,
    one of text, folder, html, jsonl, feed (a file) or url (an http(s) feed or page).

    ``Source.of(x)`` decides the kind from the name; build ``Source(path, kind)`` to
    override it (a feed saved as ``news.dat``).
    """

    location: str
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InputError("E127", source=self.location,
                             detail=f"unknown kind {self.kind!r}; use one of {', '.join(KINDS)}")

    @classmethod
    def of(cls, value: str | os.PathLike[str] | Source) -> Source:
        if isinstance(value, Source):
            return value
        location = os.fspath(value)
        scheme = _SCHEME.match(location)
        if scheme:
            if scheme.group(1).lower() in ("http", "https"):
                return cls(location, "url")
            return cls(location, "text")  # read_sources reports the unknown scheme
        path = Path(location)
        if path.is_dir():
            return cls(location, "folder")
        return cls(location, EXTENSIONS.get(path.suffix.lower(), "text"))


def read_sources(
    sources: Iterable[str | os.PathLike[str] | Source] | str | os.PathLike[str] | Source,
    *, published: str | None = None,
) -> Iterator[Article | InputError]:
    """Articles from each source in order, with an :class:`InputError` in place of each
    bad source, file, line or feed entry; the caller decides to stop or go on.

    ``published`` (YYYY-MM-DD) is the date of articles whose source gives none. Raises
    only when there is nothing to read (E120) or ``published`` is not a date (E112).
    """
    from ..pipeline import published_option

    if isinstance(sources, (str, os.PathLike, Source)):
        sources = [sources]
    items = [Source.of(s) for s in sources]
    if not items:
        raise InputError("E120")
    published = published_option(published)
    return _read_all(items, published)


def _read_all(items: list[Source], published: str | None) -> Iterator[Article | InputError]:
    for source in items:
        yield from read_source(source, published=published)


def read_source(source: Source, *, published: str | None = None
                ) -> Iterator[Article | InputError]:
    """The articles (or errors) of one source; never raises an InputError."""
    readers = {"text": _read_text, "folder": _read_folder, "html": _read_html,
               "jsonl": _read_jsonl, "feed": _read_feed_file, "url": _read_url}
    try:
        yield from readers[source.kind](source.location, published)
    except InputError as e:
        yield e


# -- files -----------------------------------------------------------------------------

def _read_bytes(location: str) -> bytes:
    data = read_file_bytes(location)
    if not data.strip():
        raise InputError("E102", path=Path(location))
    return data


def _date_in_name(location: str) -> str | None:
    match = _DATE_IN_NAME.search(Path(location).name)
    if match:
        try:
            return dt.date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            return None
    return None


def text_title(text: str) -> str | None:
    """The first line of a text when it reads as a headline: more lines follow, it is at
    most 20 words and 150 characters, and it does not end like a sentence."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    first = lines[0]
    bare = first.rstrip("\"'”’)]")
    if (len(first) > TITLE_MAX_CHARS or len(first.split()) > TITLE_MAX_WORDS
            or not bare or bare[-1] in _SENTENCE_END):
        return None
    return first


def _read_text(location: str, published: str | None) -> Iterator[Article]:
    from ..pipeline import article_from_file

    scheme = _SCHEME.match(location)
    if scheme:
        raise InputError("E127", source=location,
                         detail=f"{scheme.group(1)}:// is not supported; use http(s)")
    article = article_from_file(location, published=published)
    yield dataclasses.replace(article, title=text_title(article.text))


def _read_html(location: str, published: str | None) -> Iterator[Article]:
    from .html import article_from_html

    data = _read_bytes(location)
    yield article_from_html(data, location, published=published or _date_in_name(location))


def _read_feed_file(location: str, published: str | None
                    ) -> Iterator[Article | InputError]:
    from .feeds import feed_articles, not_a_feed_detail, parse_feed

    data = _read_bytes(location)
    parsed = parse_feed(data)
    if parsed is None:
        raise InputError("E123", where=location, detail=not_a_feed_detail(data))
    yield from feed_articles(parsed, location, published=published)


def _read_url(location: str, published: str | None) -> Iterator[Article | InputError]:
    """A feed URL; a URL that answers with an HTML page (not a feed) gives its article."""
    from .feeds import feed_articles, fetch, not_a_feed_detail, parse_feed
    from .html import article_from_html

    data, ctype = fetch(location)
    if not data.strip():
        raise InputError("E123", where=location, detail="the response is empty")
    parsed = parse_feed(data)
    if parsed is not None:
        yield from feed_articles(parsed, location, published=published)
        return
    if "html" in ctype.lower():
        yield article_from_html(data, location, published=published, url=location)
        return
    raise InputError("E123", where=location, detail=not_a_feed_detail(data))


def _read_jsonl(location: str, published: str | None) -> Iterator[Article | InputError]:
    """Records keep their own ``id``; a record without one gets the content hash."""
    from ..io import iter_jsonl
    from ..pipeline import article_from_record, content_id

    for item in iter_jsonl(location):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            article = article_from_record(item)
        except InputError as e:
            yield InputError("E106", where=f"{location}:{item.line}",
                             detail=e.message.split(": ", 1)[-1])
            continue
        if "id" not in item.data:
            article = dataclasses.replace(article, id=content_id(article.text))
        if article.published is None and published is not None:
            article = dataclasses.replace(article, published=published)
        yield article


def _folder_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(directory, name) for name in filenames if not name.startswith("."))
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def _read_folder(location: str, published: str | None) -> Iterator[Article | InputError]:
    """Every file below the folder in sorted order, each by its own kind. Hidden files and
    folders are skipped, and so are binary files whose extension is not a known one."""
    root = Path(location)
    read_any = False
    for path in _folder_files(root):
        source = Source.of(path)
        known = path.suffix.lower() in EXTENSIONS
        for item in read_source(source, published=published):
            if (isinstance(item, InputError) and item.code == "E103" and not known):
                continue  # an image, archive or other binary file beside the texts
            read_any = True
            yield item
    if not read_any:
        yield InputError("E126", path=root)
