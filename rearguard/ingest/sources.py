"""Sources and :func:`read_sources`: every source becomes articles or one-line errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..io import LOG, plausible_date, read_file_bytes
from ..types import Article

KINDS = ("text", "folder", "html", "jsonl", "feed", "url")
EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
TEXT_EXTENSIONS = ("", ".txt", ".text")
_SNIFF = 65536
# The first element of a document, after any XML declaration, comments, processing
# instructions and DOCTYPE (lower-cased): "rss", "feed", "rdf:rdf", "html", ...
_PROLOG = re.compile(r"^(?:\s+|<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)*", re.S)
_FIRST_TAG = re.compile(r"<([a-z][a-z0-9:_-]*)")
_FEED_ROOTS = ("rss", "feed", "rdf:rdf")
NOT_ARTICLE_JSON = "JSON that is not JSON Lines of articles (objects with a \"text\")"
NOT_ARTICLE_MARKUP = "markup that is not an HTML page or a feed"
_HTML_ROOTS = ("html", "head", "body")
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
    """The articles (or errors) of one source; never raises an InputError. Each article's
    language is detected and recorded (a warning when it is not English)."""
    readers = {"text": _read_text, "folder": _read_folder, "html": _read_html,
               "jsonl": _read_jsonl, "feed": _read_feed_file, "url": _read_url}
    try:
        for item in readers[source.kind](source.location, published):
            if isinstance(item, Article) and item.language is None:
                item = with_language(item, source.location if source.kind in (
                    "text", "html") else f"{source.location} (article {item.id})")
            yield item
    except InputError as e:
        yield e


def with_language(article: Article, where: str) -> Article:
    """``article`` with its detected language recorded; a warning naming ``where`` when it
    is not English (rearguard extracts English only)."""
    from .language import ENGLISH, detect_language, language_name

    language = detect_language(article.text)
    if language is None:
        return article
    if language != ENGLISH:
        LOG.warning("%s: the text is in %s (%s), not English; rearguard extracts events from "
                    "English only, so this article's are not extracted yet (it is stored "
                    "with language '%s').", where, language_name(language), language,
                    language)
    return dataclasses.replace(article, language=language)


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
            date = dt.date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            return None
        return date if plausible_date(date) else None
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


def _read_text(location: str, published: str | None) -> Iterator[Article | InputError]:
    """A text file; a file named as text whose content is an HTML page, a feed or JSON
    Lines of articles is read as that (see :func:`sniff`); other JSON or markup is E128."""
    from ..io import read_text
    from ..pipeline import content_id

    scheme = _SCHEME.match(location)
    if scheme:
        raise InputError("E127", source=location,
                         detail=f"{scheme.group(1)}:// is not supported; use http(s)")
    kind, reason = sniff(Path(location))
    if kind in ("html", "feed", "jsonl"):
        yield from read_source(Source(location, kind), published=published)
        return
    if kind is None and reason in (NOT_ARTICLE_JSON, NOT_ARTICLE_MARKUP):
        raise InputError("E128", path=location, detail=reason)
    # else plain text under any name you give it (binary or not UTF-8: E103, E104)
    text, cut = read_text(location)
    yield Article(id=content_id(text), text=text, published=published or _date_in_name(location),
                  title=text_title(text), flags="truncated" if cut else None)


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
        if item.truncated:
            article = dataclasses.replace(article, flags="truncated")
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
    """Every file below the folder in sorted order, each by its own kind (:func:`sniff`).
    Hidden files and folders are passed over; any other file that is not a text, HTML,
    JSON Lines or feed file is skipped, each with a warning on the ``rearguard`` logger
    that carries ``skipped=(path, reason)`` (the command line lists them)."""
    root = Path(location)
    read_any = False
    for path in _folder_files(root):
        kind, reason = sniff(path)
        if kind is None:
            LOG.warning("%s: skipped, not a news article file (%s).", path, reason,
                        extra={"skipped": (str(path), reason)})
            continue
        read_any = True
        yield from read_source(Source(str(path), kind), published=published)
    if not read_any:
        yield InputError("E126", path=root)


def sniff(path: Path) -> tuple[str | None, str]:
    """The kind of a file in a folder, from its extension and its first bytes:
    ``(kind, "")``, or ``(None, reason)`` for a file that holds no news article.

    * ``.html``, ``.htm``, ``.xhtml``: html; ``.jsonl``, ``.ndjson``: jsonl.
    * ``.xml``, ``.rss``, ``.atom``: feed when the document is an RSS, RDF or Atom feed,
      else skipped (a sitemap, a config file).
    * Any other name, ``.txt`` and no extension included: by content. Markup whose first
      element is ``<rss>``, ``<feed>`` or ``<rdf:RDF>`` is a feed, ``<html>`` (or an HTML
      DOCTYPE, ``<head>``, ``<body>``) a page; JSON whose first line is an object with a
      ``"text"`` string is JSON Lines of articles; other JSON is skipped
      (``expected.json``), and so are binary files (a NUL byte in the first 8 KB) and
      other markup, except that a ``.txt`` is always read as text (a binary or non-UTF-8
      ``.txt`` is an error: it was meant to be text).
    * Plain text is a text file when the name has no extension or ``.txt``/``.text``;
      any other extension (``.md``, ``.csv``, ``.py``, ``.pdf``) is skipped.

    A file that cannot be read is given as text, so reading it reports the error.
    """
    ext = path.suffix.lower()
    named = EXTENSIONS.get(ext)
    if named in ("html", "jsonl"):
        return named, ""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF)
    except OSError:
        return named or "text", ""
    as_text = ext in (".txt", ".text")
    if b"\x00" in head[:8192]:
        return ("text", "") if as_text else (None, "binary data")
    try:
        lead = head.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 3:  # not only a character cut by the sniff
            return ("text", "") if as_text or ext == "" else (None, "not UTF-8 text")
        lead = head[:e.start].decode("utf-8-sig")
    lead = lead.lstrip()
    if named == "feed" or lead.startswith("<"):
        root = _root_tag(lead[:4096].lower())
        if root in _FEED_ROOTS:
            return "feed", ""
        if named == "feed":
            return None, "XML that is not an RSS or Atom feed"
        if root in _HTML_ROOTS or lead[:15].lower() == "<!doctype html":
            return "html", ""
        if not as_text:
            return None, NOT_ARTICLE_MARKUP
    if lead.startswith(("{", "[")) and not as_text:
        if _article_lines(path):
            return "jsonl", ""
        return None, NOT_ARTICLE_JSON
    if as_text or ext == "":
        return "text", ""
    return None, f"a {ext} file, not text, HTML, JSON Lines or a feed"


def _root_tag(head: str) -> str | None:
    match = _FIRST_TAG.match(head, _PROLOG.match(head).end())  # type: ignore[union-attr]
    return match.group(1) if match else None


def _article_lines(path: Path) -> bool:
    """Whether the first non-blank line of ``path`` is a JSON object with a text string."""
    try:
        with path.open("rb") as handle:
            for raw in handle:
                if raw.strip():
                    record = json.loads(raw.decode("utf-8-sig"))
                    return isinstance(record, dict) and isinstance(record.get("text"), str)
    except (OSError, ValueError, RecursionError):  # RecursionError: deep nesting
        return False
    return False
