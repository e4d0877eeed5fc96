"""RSS and Atom feeds (feedparser): one article per entry; and fetching http(s) URLs."""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from ..io import clean_text, normalise_text
from ..types import Article

TIMEOUT = 10.0  # seconds, for connecting and for each read
MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "rearguard (+https://github.com/; conflict news reader)"

_BLOCKS = ("p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
           "pre", "table", "tr", "section", "article", "figure", "figcaption", "dd", "dt")


def _one_line(text: Any) -> str:
    return " ".join(normalise_text(str(text)).split())


def fetch(url: str) -> tuple[bytes, str]:
    """The body and content type of a URL, or an :class:`InputError` (E124)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
            ctype = response.headers.get("Content-Type", "") or ""
    except urllib.error.HTTPError as e:
        e.close()  # it holds the response and its socket
        raise InputError("E124", url=url, detail=f"HTTP {e.code} {_one_line(e.reason)}") from e
    except urllib.error.URLError as e:
        reason = e.reason
        detail = getattr(reason, "strerror", None) or _one_line(reason)
        raise InputError("E124", url=url, detail=detail) from e
    except TimeoutError as e:
        raise InputError("E124", url=url, detail=f"no answer in {TIMEOUT:g} s") from e
    except (OSError, ValueError) as e:  # connection reset, bad URL, http.client errors
        raise InputError("E124", url=url, detail=_one_line(e) or type(e).__name__) from e
    if len(data) > MAX_BYTES:
        raise InputError("E124", url=url, detail=f"larger than {MAX_BYTES // 2**20} MB")
    return data, ctype


def parse_feed(data: bytes) -> Any | None:
    """feedparser's result, or None when ``data`` is not a feed.

    A feed that is not well-formed (feedparser's ``bozo`` flag) is still used when
    feedparser recovered entries from it; without entries it is not a feed. A well-formed
    feed with no entries is a feed with nothing to read.
    """
    import feedparser

    # A stream, never a string: feedparser would take a string for a URL or file name.
    try:
        parsed = feedparser.parse(io.BytesIO(_no_surrogate_refs(data)), sanitize_html=True,
                                  resolve_relative_uris=False)
    except ValueError:  # a UnicodeError from its fallback parser: not a feed it can read
        return None
    if parsed.entries:
        return parsed
    if parsed.get("bozo") or not parsed.get("version"):
        return None
    return parsed


_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _no_surrogate_refs(data: bytes) -> bytes:
    """``data`` with character references to surrogates ("&#55296;", "&#xD800;") made
    U+FFFD: feedparser's loose parser turns them into strings no UTF-8 encoder takes."""
    def fix(m: re.Match[bytes]) -> bytes:
        number = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        return b"&#65533;" if 0xD800 <= number <= 0xDFFF or number > 0x10FFFF else m.group(0)

    return _CHAR_REF.sub(fix, data) if b"&#" in data else data


def not_a_feed_detail(data: bytes) -> str:
    import feedparser

    try:
        parsed = feedparser.parse(io.BytesIO(_no_surrogate_refs(data)))
    except ValueError as e:
        return _one_line(str(e)) or type(e).__name__
    exc = parsed.get("bozo_exception")
    if exc is not None:
        return _one_line(getattr(exc, "getMessage", lambda: exc)()) or type(exc).__name__
    return "no RSS or Atom entries"


def feed_articles(parsed: Any, name: str, *, published: str | None = None
                  ) -> Iterator[Article | InputError]:
    """One article per entry, in the feed's order; an entry without text is an error."""
    from ..pipeline import content_id

    feed_title = _one_line(parsed.feed.get("title") or "") or None
    for number, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link") or None
        where = f"{name}: entry {number}" + (f" ({link})" if link else "")
        text, cut = clean_text(entry_text(entry), where)
        if not text.strip():
            yield InputError("E125", where=where)
            continue
        title = _one_line(entry.get("title") or "") or None
        yield Article(id=content_id(text), text=text, published=entry_date(entry) or published,
                      title=title, url=normalise_text(link) if link else None,
                      source=feed_title, flags="truncated" if cut else None)


def entry_text(entry: Any) -> str:
    """The entry's content (the longest part), else its summary, as plain text."""
    parts = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    if parts:
        best = max(parts, key=lambda c: len(c.get("value") or ""))
        value, kind = best.get("value") or "", best.get("type") or "text/html"
    else:
        detail = entry.get("summary_detail") or {}
        value = entry.get("summary") or ""
        kind = detail.get("type") or "text/html"
    if not value.strip():
        return ""
    if "html" in kind or "<" in value:
        return html_fragment_text(value)
    return _paragraphs(value)


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment: scripts and styles dropped, one line a paragraph."""
    import lxml.html
    from lxml import etree
    from lxml_html_clean import Cleaner

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        root = Cleaner(scripts=True, javascript=True, style=True, comments=True,
                       forms=True, embedded=True, frames=True, meta=True,
                       page_structure=False, links=True).clean_html(root)
        for element in root.iter("br"):
            element.tail = "\n" + (element.tail or "")
        for element in root.iter(*_BLOCKS):
            # lxml refuses to set text holding a control character it parsed itself
            # ("<p>Rebels seized Goma.\x07</p>"): then the tags are stripped instead
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    except (etree.ParserError, ValueError):
        return _paragraphs(re.sub(r"<[^>]*>", " ", fragment))
    return _paragraphs(root.text_content())


def _paragraphs(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def entry_date(entry: Any) -> str | None:
    """The entry's publication (else update) date as YYYY-MM-DD, on the calendar of the
    time zone the feed wrote it in; feedparser's UTC date when the text does not parse."""
    for raw_key, parsed_key in (("published", "published_parsed"),
                                ("updated", "updated_parsed")):
        raw = (entry.get(raw_key) or "").strip()
        if raw:
            try:
                return email.utils.parsedate_to_datetime(raw).date().isoformat()
            except (TypeError, ValueError, IndexError):
                pass
            try:
                return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).date().isoformat()
            except ValueError:
                pass
        parsed = entry.get(parsed_key)
        if isinstance(parsed, time.struct_time):
            return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    return None
