"""Generated hostile inputs for the robustness proof (issue 11, point 5), and the checks every
run of a command must pass. Shared by ``tests/robustness/test_properties.py`` (a few hundred
examples in the default test run) and ``bench/robustness_bench.py`` (100,000 and more).

A :class:`Case` is one command line (``ingest``, ``extract``, ``geocode``, ``classify``,
``export``, ``history``, ``control``) over generated files: plain text, HTML pages, JSON Lines,
RSS/Atom/RDF feeds, or a folder of them under any extension, with hostile content mixed into
real conflict sentences: NUL, bidirectional marks and overrides, invalid UTF-8 bytes, UTF-16,
lone surrogates (JSON escapes), huge lines, deep nesting (JSON, HTML, XML), broken and cut
XML, entity definitions, JSON values of the wrong types, numbers past Python's digit limit.

The checks (:func:`check_result`, :func:`lost_records`):

* no traceback: the command returns or exits (click's ``SystemExit``), never with another
  exception; standard error never holds "Traceback"; the exit status is 0, 1 or 2
  (docs/ingest.md, "Exit status"); every error line is ``rearguard: error: [Exxx] ...``;
  status 1 comes with an error line and status 0 with none;
* no lost stored record: after a command that writes, every article stored before it is
  still there, with its text or, when the command revised it, with that text kept among
  its revisions; every event is still there or in the deletions feed; every control
  record is still there unless its article was revised; no change-log entry is gone.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import hashlib
import html
import json
import re
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# -- text ------------------------------------------------------------------------------------

# Real sentences, so that many generated texts go through extraction and merging, not only
# through the readers' error paths.
SENTENCES = (
    "Islamic State militants attacked the town of Hit in Anbar province on Sunday, killing "
    "six soldiers, a local official said.",
    "Taliban fighters stormed the northern Afghan city of Kunduz early on Monday, officials "
    "said.",
    "A truck bomb exploded at a checkpoint in Mogadishu on Saturday, killing at least 79 "
    "people, Somali officials said.",
    "Airstrikes killed five civilians in Sinjar on Monday.",
    "Iraqi forces recaptured the town of Shirqat from Islamic State on Thursday, the army "
    "said.",
    "Boko Haram gunmen attacked a village near Maiduguri on Wednesday, killing 12 villagers.",
    "Police fired tear gas at protesters in Khartoum on Thursday.",
    "Rebels seized the town of Goma.",
    "Kurdish-led forces clashed with Islamic State fighters north of Raqqa on Saturday.",
)

# Characters and snippets that have broken, or could break, a reader, the store or output.
HOSTILE = (
    "\x00", "\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202d", "\u202e", "\u2066",
    "\u2067", "\u2069", "\ufeff", "\u200b", "\u00ad", "\r", "\r\n", "\n\n\n", "\t", "\x0b",
    "\x0c", "\x1b[2J", "\x7f", "\x85", "\u2028", "\u2029", "\u0301\u0301\u0301", "\U0001f4a3",
    "\ufffd", "\uffff", "\U0010ffff", "مقتل خمسة جنود في الموصل يوم الأحد", "Моско́в",
    "日本語のニュース", "&amp;", "&nbsp;", "&#0;", "&#x202e;", "&bogus;", "<", ">", "]]>",
    "<!--", "<script>alert(1)</script>", "%s%n%%", "{}", "\\", '"', "'", "Mosul\u200f",
    "\u202eluosoM\u202c", "-- ", "--db", "2016-13-45",
)

# Units of huge lines: a line is one of them repeated up to ``max_repeat`` times (cheap to
# generate, and the Arabic one is read, cut and stored without being extracted).
HUGE_UNITS = ("word ", "x", "Mosul ", ". ", "\u200f", "<b>", "\n", "killed ", "الموصل ",
              "\x00", " ")

SEPARATORS = ("", " ", "\n", "\r\n", "\u2028", "\x00", "\u200f", "\n\n")


@functools.cache
def huge(max_repeat: int) -> st.SearchStrategy[str]:
    return st.builds(lambda unit, n: unit * n, st.sampled_from(HUGE_UNITS),
                     st.integers(1, max_repeat))


@functools.cache
def texts(*, max_repeat: int = 2_000) -> st.SearchStrategy[str]:
    """Article texts: real sentences, hostile characters, any Unicode text and huge runs,
    joined by line ends, NULs and marks."""
    fragment = st.one_of(st.sampled_from(SENTENCES), st.sampled_from(HOSTILE),
                         st.text(max_size=30), huge(max_repeat))
    return st.lists(st.tuples(fragment, st.sampled_from(SEPARATORS)), max_size=6).map(
        lambda parts: "".join(a + b for a, b in parts))


JUNK_BYTES = (b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf",
              b"\x80\x80", b"\xef\xbb", b"\x00", b"\xfe\xff")


@st.composite
def encoded(draw: Callable[..., Any], text: str) -> bytes:
    """``text`` as a file's bytes: UTF-8 mostly, else with a BOM, with invalid bytes at a
    drawn place, UTF-16, Latin-1, cut at a drawn byte (maybe inside a character), or random
    binary."""
    how = draw(st.sampled_from(("utf-8",) * 4 + ("bom", "invalid", "utf-16", "latin-1", "cut",
                                                 "binary")))
    data = text.encode("utf-8")
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    if how == "invalid":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.sampled_from(JUNK_BYTES)) + data[at:]
    if how == "utf-16":
        return text.encode("utf-16")
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    if how == "cut":
        return data[:draw(st.integers(0, len(data)))]
    if how == "binary":
        return draw(st.binary(max_size=300))
    return data


# -- HTML -------------------------------------------------------------------------------------

@functools.cache
@st.composite
def html_pages(draw: Callable[..., Any], max_repeat: int = 2_000, max_depth: int = 3_000
               ) -> bytes:
    """An article page (title, dates, navigation, paragraphs) with drawn text, escaped or
    not, nested in up to ``max_depth`` elements, closed or not, maybe cut short."""
    body = draw(texts(max_repeat=max_repeat))
    title = draw(texts(max_repeat=20))
    raw = draw(st.booleans())

    def esc(s: str) -> str:
        return s if raw else html.escape(s)

    paragraphs = "".join(f"<p>{esc(p)}</p>" for p in body.split("\n"))
    depth = draw(st.sampled_from((0, 0, 1, 5, 300, max_depth)))
    tag = draw(st.sampled_from(("div", "span", "b", "table", "p", "li", "article", "x:y")))
    closed = draw(st.booleans())
    content = f"<{tag}>" * depth + paragraphs + (f"</{tag}>" * depth if closed else "")
    date = draw(st.sampled_from(("2016-11-06", "2016-13-45", "", "yesterday", "0000-00-00",
                                 "99999-01-01T00:00:00Z", "2016-11-06T25:61:00+99:00")))
    prolog = draw(st.sampled_from((
        "<!DOCTYPE html>", "", '<?xml version="1.0" encoding="utf-16"?>',
        '<?xml version="1.0" encoding="bogus"?><!DOCTYPE html>',
        '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>')))
    head = (f'<head><meta charset="{draw(st.sampled_from(("utf-8", "utf-16", "bogus")))}">'
            f"<title>{esc(title)}</title>"
            f'<meta property="og:title" content="{html.escape(title)}">'
            f'<meta property="article:published_time" content="{date}">'
            f"<script>var x = '</p>';</script></head>")
    page = (f"{prolog}<html>{head}<body><nav><a href='/'>Home</a> | World</nav>"
            f"<article>{content}</article><footer>&copy; Wire</footer></body></html>")
    if draw(st.integers(0, 5)) == 0:
        page = page[:draw(st.integers(0, len(page)))]
    return draw(encoded(page))


# -- JSON Lines -------------------------------------------------------------------------------

JSON_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=8)

URLS = st.sampled_from(("https://news.example.org/a", "https://news.example.org/a?x=1#f",
                        "javascript:alert(1)", "http://", "", "file:///etc/passwd",
                        "https://\u202eexample.org/", "not a url", "https://example.org/\x00"))


def _field(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A record field: mostly of the right type, sometimes any JSON value."""
    return st.one_of(values, values, values, JSON_JUNK)


@functools.cache
@st.composite
def jsonl_records(draw: Callable[..., Any], max_repeat: int = 2_000, spans: bool = False
                  ) -> dict[str, Any]:
    record: dict[str, Any] = {}
    if draw(st.integers(0, 9)):
        record["text"] = draw(_field(texts(max_repeat=max_repeat)))
    for name, values in (
            ("id", st.one_of(st.text(max_size=8), st.integers(), st.sampled_from(("r1", "r2")))),
            ("published", st.sampled_from(("2016-11-06", "2019-12-28", "2016-13-45", "",
                                           "06/11/2016", "2016-11-06T10:00:00Z"))),
            ("url", URLS), ("title", texts(max_repeat=20)),
            ("source", st.sampled_from(("SOHR", "https://sana.sy", "", "\u202e")))):
        if draw(st.booleans()):
            record[name] = draw(_field(values))
    if spans and draw(st.booleans()):
        record["spans"] = draw(_field(st.lists(st.fixed_dictionaries(
            {"start": st.integers(-5, 300), "end": st.integers(-5, 300)}), max_size=3)))
    return record


@functools.cache
@st.composite
def jsonl_lines(draw: Callable[..., Any], max_repeat: int = 2_000, spans: bool = False
                ) -> bytes:
    kind = draw(st.sampled_from(("record",) * 6 + (
        "junk", "broken", "deep", "surrogate", "invalid", "blank", "digits", "duplicate-keys")))
    record = draw(jsonl_records(max_repeat=max_repeat, spans=spans))
    line = json.dumps(record, ensure_ascii=draw(st.booleans()))
    if kind == "junk":
        line = json.dumps(draw(JSON_JUNK))
    elif kind == "broken":
        line = line[:draw(st.integers(0, len(line)))] + draw(st.sampled_from(("", "}", ",", "x")))
    elif kind == "deep":
        depth = draw(st.sampled_from((10, 999, 5_000, 100_000)))
        opener, closer = draw(st.sampled_from((("[", "]"), ('{"a":', "}"))))
        nested = opener * depth + "1" + closer * depth
        line = draw(st.sampled_from((nested, '{"text": ' + nested + "}",
                                     '{"text": "Mosul", "id": ' + nested + "}")))
    elif kind == "surrogate":  # JSON escapes that decode to lone surrogates
        line = draw(st.sampled_from((
            '{"text": "Airstrikes killed five civilians in Sinjar \\ud800 on Monday."}',
            '{"id": "s\\udfff", "text": "Rebels seized the town of Goma."}',
            '{"text": "Rebels seized Goma.", "title": "\\udc80\\ud800"}',
            '{"text": "\\ud83d"}')))
    elif kind == "invalid":
        data = line.encode("utf-8")
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.sampled_from(JUNK_BYTES)) + data[at:]
    elif kind == "blank":
        line = draw(st.sampled_from(("", "   ", "\t", "\ufeff")))
    elif kind == "digits":  # past Python's 4,300-digit limit for int(str)
        line = draw(st.sampled_from(('{"text": "Rebels seized Goma.", "id": ' + "9" * 5000 + "}",
                                     '{"text": "Rebels seized Goma.", "id": 1e999}',
                                     '{"text": "Rebels seized Goma.", "id": NaN}')))
    elif kind == "duplicate-keys":
        line = '{"text": "Rebels seized Goma.", "text": ' + json.dumps(record.get("text")) + "}"
    return line.encode("utf-8", "surrogatepass")


@functools.cache
@st.composite
def jsonl_files(draw: Callable[..., Any], max_repeat: int = 2_000, spans: bool = False,
                max_lines: int = 4) -> bytes:
    lines = draw(st.lists(jsonl_lines(max_repeat=max_repeat, spans=spans), min_size=0,
                          max_size=max_lines))
    end = draw(st.sampled_from((b"\n", b"\r\n", b"\n\n")))
    data = end.join(lines) + (end if draw(st.booleans()) else b"")
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
    return data


# -- feeds ------------------------------------------------------------------------------------

DATES_822 = ("Sun, 06 Nov 2016 23:30:00 +0300", "Sat, 28 Dec 2019 08:00:00 GMT",
             "2016-11-06T10:00:00Z", "Sun, 99 Foo 2016 99:99:99 +9999", "", "yesterday",
             "Mon, 01 Jan 0001 00:00:00 +0000", "Fri, 31 Dec 9999 23:59:59 -2400")

ENTITY_PROLOGS = (
    '<?xml version="1.0" encoding="UTF-8"?>', "", '<?xml version="1.0" encoding="utf-16"?>',
    '<?xml version="1.0" encoding="bogus"?>', '<?xml version="2.0"?>',
    # a small "billion laughs" (10^4 expansions) and an external entity (XXE)
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;'
    '&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;'
    '&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>',
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
)
ENTITY_USES = ("", "&e;", "&xxe;", "&undefined;", "&#0;", "&#xD800;", "&amp;", "&")


@functools.cache
@st.composite
def feed_entry(draw: Callable[..., Any], flavour: str, max_repeat: int) -> str:
    title = draw(texts(max_repeat=20))
    body = draw(texts(max_repeat=max_repeat))
    how = draw(st.sampled_from(("escape", "escape", "cdata", "raw", "html")))
    if how == "escape":
        body, title = html.escape(body), html.escape(title)
    elif how == "cdata":
        body, title = f"<![CDATA[{body}]]>", html.escape(title)
    elif how == "html":  # escaped HTML inside the entry, maybe deeply nested
        depth = draw(st.sampled_from((0, 3, 2_000)))
        body = html.escape("<div>" * depth + f"<p>{body}</p>" + "</div>" * depth)
        title = html.escape(title)
    body += draw(st.sampled_from(ENTITY_USES))
    link = html.escape(draw(URLS), quote=True)
    date = draw(st.sampled_from(DATES_822))
    nest = draw(st.sampled_from((0, 0, 50, 5_000)))
    extra = "<x>" * nest + "</x>" * nest
    if flavour == "atom":
        return (f"<entry><title>{title}</title><link href=\"{link}\"/><id>{link}</id>"
                f"<updated>{date}</updated><published>{date}</published>"
                f"<content type=\"html\">{body}</content>{extra}</entry>")
    return (f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{date}</pubDate><description>{body}</description>{extra}</item>")


@functools.cache
@st.composite
def feeds(draw: Callable[..., Any], max_repeat: int = 2_000) -> bytes:
    """RSS 2.0, Atom or RSS 1.0 (RDF) with drawn entries, prologs that declare entities or
    lie about the encoding, and maybe cut short (broken XML)."""
    flavour = draw(st.sampled_from(("rss", "atom", "rdf")))
    entries = "".join(draw(st.lists(feed_entry(flavour, max_repeat), max_size=3)))
    prolog = draw(st.sampled_from(ENTITY_PROLOGS))
    if flavour == "atom":
        doc = (f'{prolog}<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
               f"{entries}</feed>")
    elif flavour == "rdf":
        doc = (f'{prolog}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
               f'xmlns="http://purl.org/rss/1.0/"><channel><title>Wire</title></channel>'
               f"{entries}</rdf:RDF>")
    else:
        doc = (f'{prolog}<rss version="2.0"><channel><title>Wire</title>'
               f"<link>https://news.example.org/</link>{entries}</channel></rss>")
    if draw(st.integers(0, 4)) == 0:
        doc = doc[:draw(st.integers(0, len(doc)))]
    return draw(encoded(doc))


# -- files, folders, commands -----------------------------------------------------------------

@functools.cache
def documents(max_repeat: int = 2_000) -> st.SearchStrategy[tuple[str, bytes]]:
    """``(kind, bytes)`` of one generated document of any kind."""
    return st.one_of(
        st.tuples(st.just("text"), texts(max_repeat=max_repeat).flatmap(encoded)),
        st.tuples(st.just("html"), html_pages(max_repeat=max_repeat)),
        st.tuples(st.just("jsonl"), jsonl_files(max_repeat=max_repeat)),
        st.tuples(st.just("feed"), feeds(max_repeat=max_repeat)),
    )


NATIVE = {"text": ".txt", "html": ".html", "jsonl": ".jsonl", "feed": ".xml"}
OTHER_EXTENSIONS = ("", ".txt", ".TXT", ".text", ".html", ".Htm", ".jsonl", ".ndjson", ".xml",
                    ".rss", ".atom", ".json", ".md", ".dat", ".php", ".csv")
STEMS = st.sampled_from(("a", "report-2016-11-06", "news-2019-12-28", "x-2016-13-45", "مقال",
                         "feed", "page", " space ", "-dash", ".hidden", "sub/inner",
                         "deep/er/still", "nul\u200fmark"))


@functools.cache
@st.composite
def named_document(draw: Callable[..., Any], max_repeat: int = 2_000) -> tuple[str, bytes]:
    """A file name and content: mostly under the kind's own extension, else any."""
    kind, data = draw(documents(max_repeat))
    ext = NATIVE[kind] if draw(st.booleans()) else draw(st.sampled_from(OTHER_EXTENSIONS))
    return draw(STEMS) + ext, data


@dataclasses.dataclass(frozen=True)
class Ref:
    """A path in the case's working folder, resolved when the case runs."""

    name: str


DB = Ref("\0db")  # the store's URL


@dataclasses.dataclass
class Case:
    """One command line over generated files (``files``: relative path -> bytes)."""

    args: list[str | Ref]
    files: dict[str, bytes]

    @property
    def command(self) -> str:
        first = self.args[0]
        return first if isinstance(first, str) else "?"

    @property
    def writes(self) -> bool:
        return self.command in ("ingest", "event", "source", "reprocess")

    def resolve(self, work: Path, db: str) -> list[str]:
        return [db if a == DB else str(work / a.name) if isinstance(a, Ref) else a
                for a in self.args]

    def write(self, work: Path) -> None:
        for name, data in self.files.items():
            path = work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    def describe(self) -> str:
        shown = {name: (data[:300] + b"..." if len(data) > 300 else data, len(data))
                 for name, data in self.files.items()}
        return f"args={self.args!r} files={shown!r}"


def _flags(draw: Callable[..., Any], options: Sequence[tuple[str, st.SearchStrategy[str]]]
           ) -> list[str | Ref]:
    out: list[str | Ref] = []
    for name, values in options:
        if draw(st.booleans()):
            out += [name, draw(values)]
    return out


OPTION_TEXT = st.one_of(st.sampled_from(("Iraq", "IQ", "IRQ", "368", "Battles", "Armed clash",
                                         "Islamic State", "2016-11-06", "", "-", "--db",
                                         "irq", "Syrian Arab Republic", "Somalia")),
                        st.text(max_size=12))
DATE_TEXT = st.one_of(st.sampled_from(("2016-11-06", "2016-02-30", "2016-13-01", "", "0000-01-01",
                                       "9999-12-31", "2016-1-6")), st.text(max_size=10))
BBOX_TEXT = st.one_of(st.sampled_from(("40,30,50,40", "170,-10,-170,10", "1,2,3", "a,b,c,d",
                                       "nan,nan,nan,nan", "inf,-inf,1,1", "1e999,0,0,0",
                                       "")), st.text(max_size=12))


@functools.cache
@st.composite
def ingest_cases(draw: Callable[..., Any], max_repeat: int = 2_000) -> Case:
    """``ingest`` of one generated file, a folder of them, or several sources."""
    files = dict(draw(st.lists(named_document(max_repeat), min_size=1, max_size=4,
                               unique_by=lambda x: x[0].lower())))
    shape = draw(st.sampled_from(("file", "file", "folder", "all", "missing-first")))
    names = sorted(files)
    if shape == "folder":
        files = {f"in/{name}": data for name, data in files.items()}
        sources: list[str | Ref] = [Ref("in")]
    elif shape == "all":
        sources = [Ref(name) for name in names]
    elif shape == "missing-first":
        sources = [Ref("no-such-file.txt"), Ref(names[0])]
    else:
        sources = [Ref(names[0])]
    args: list[str | Ref] = ["ingest", *sources, "--db", DB, "--quiet"]
    if draw(st.booleans()):
        args.append("--keep-going")
    args += _flags(draw, [("--published", DATE_TEXT)])
    return Case(args, files)


@functools.cache
@st.composite
def reading_cases(draw: Callable[..., Any], max_repeat: int = 2_000) -> Case:
    """``extract``, ``geocode`` and ``classify`` (no store) on generated files."""
    command = draw(st.sampled_from(("extract", "extract", "geocode", "classify")))
    keep = ["--keep-going"] if draw(st.booleans()) else []
    if command == "classify" or draw(st.booleans()):
        data = draw(jsonl_files(max_repeat=max_repeat, spans=command == "geocode"))
        files = {"in.jsonl": data}
        formats = {"extract": ("json", "jsonl", "csv", "geojson", "text"),
                   "geocode": ("text", "json", "jsonl"), "classify": ("jsonl", "json")}[command]
        args: list[str | Ref] = [command, "--input", Ref("in.jsonl"), *keep]
        if draw(st.booleans()):
            args += ["--format", draw(st.sampled_from(formats))]
        return Case(args, files)
    named = draw(st.lists(named_document(max_repeat), min_size=1, max_size=3,
                          unique_by=lambda x: x[0].lower()))
    files = dict(named)
    formats = {"extract": ("json", "jsonl", "csv", "geojson", "text"),
               "geocode": ("text", "json", "jsonl")}[command]
    args = [command, *[Ref(name) for name, _ in named], *keep]
    if draw(st.booleans()):
        args += ["--format", draw(st.sampled_from(formats))]
    options: list[tuple[str, st.SearchStrategy[str]]] = [("--source", OPTION_TEXT)]
    if command == "extract":
        options.append(("--published", DATE_TEXT))
    else:
        options.append(("--min-confidence", st.sampled_from(("0.5", "nan", "-1", "2", "x",
                                                             "1e999"))))
    args += _flags(draw, options)
    return Case(args, files)


@functools.cache
@st.composite
def query_cases(draw: Callable[..., Any]) -> Case:
    """``export``, ``history`` and ``control`` on the store with generated values."""
    command = draw(st.sampled_from(("export", "export", "history", "control")))
    if command == "export":
        args: list[str | Ref] = ["export", "--db", DB]
        if draw(st.booleans()):
            args += ["--format", draw(st.sampled_from(("csv", "geojson", "jsonl", "parquet")))]
        target = draw(st.sampled_from(("-", "-", "out.csv", "missing/out.csv", ".")))
        args += ["-o", target if target == "-" else Ref(target)]
        if target == "-" and "parquet" in args:
            args[-1] = Ref("out.parquet")
        args += _flags(draw, [("--country", OPTION_TEXT), ("--admin1", OPTION_TEXT),
                              ("--since", DATE_TEXT), ("--until", DATE_TEXT),
                              ("--event-type", OPTION_TEXT), ("--actor", OPTION_TEXT),
                              ("--bbox", BBOX_TEXT)])
        return Case(args, {})
    value = draw(st.one_of(st.sampled_from(("IRQ1", "SOM1", "irq1", "Mosul", "Shirqat",
                                            "Ash Sharqāt", "%", "_", "")),
                           st.text(max_size=12)))
    args = [command, value, "--db", DB]
    if draw(st.booleans()):
        args.append("--json")
    if command == "history" and draw(st.integers(0, 4)) == 0:
        args = ["history", "--db", DB]
    return Case(args, {})


# The articles of tests/data/dataset, which every store the cases run on is seeded with
# (ids are their texts' hashes), and the events they make.
SEEDED_ARTICLES = ("9c5fa745cea9b1ac", "64d2871a148d54b3", "63f13f8b9b8f3f19")
EVENT_ID_TEXT = st.one_of(st.sampled_from(("SOM1", "SOM2", "som1", "SOM999", "IRQ1", "", "%",
                                           "--db")), st.text(max_size=12))
ARTICLE_TEXT = st.one_of(st.sampled_from((*SEEDED_ARTICLES, "9C5FA745CEA9B1AC",
                                          "https://example.org/story", "", "%", "_")),
                         st.text(max_size=16))
EDIT_TEXT = st.one_of(st.sampled_from((
    "fatalities=81", "fatalities=-1", "fatalities=many", "fatalities=1e999",
    "fatalities=" + "9" * 5000, "latitude=91", "longitude=nan", "event_date=2016-02-30",
    "event_date=0001-01-01", "sub_event_type=Armed clash", "sub_event_type=Bombing",
    "event_type=Battles", "admin2=", "geo_precision=", "confidence=2", "rear_area=maybe",
    "evidence=x", "article_ids=a", "nofield=1", "=", "fatalities", "notes=\x00\u200f",
    "location=Mosul\u200f")), st.text(max_size=16))
WHY_TEXT = st.one_of(st.sampled_from(("a duplicate of SOM2", "", "   ", "\x00", "--why",
                                      "\u202efinal toll", "x" * 5_000)),
                     st.text(max_size=20))


@functools.cache
@st.composite
def review_cases(draw: Callable[..., Any]) -> Case:
    """``event reject|restore|edit|show``, ``source reject|restore|show`` and
    ``reprocess`` on the store, with drawn ids, field values and reasons."""
    what = draw(st.sampled_from(("event reject", "event restore", "event edit", "event show",
                                 "source reject", "source restore", "source show",
                                 "reprocess")))
    args: list[str | Ref] = list(what.split())
    if what == "reprocess":
        return Case([*args, "--db", DB, "--quiet", *_flags(draw, [("--since", DATE_TEXT)])],
                    {})
    args.append(draw(EVENT_ID_TEXT if args[0] == "event" else ARTICLE_TEXT))
    if what == "event edit":
        args += draw(st.lists(EDIT_TEXT, max_size=3))
    if not what.endswith("show") and draw(st.integers(0, 9)):  # --why mostly given
        args += ["--why", draw(WHY_TEXT)]
    return Case([*args, "--db", DB], {})


@functools.cache
def any_case(max_repeat: int = 2_000) -> st.SearchStrategy[Case]:
    return st.one_of(ingest_cases(max_repeat), reading_cases(max_repeat), query_cases(),
                     review_cases())


# -- checks -----------------------------------------------------------------------------------

ERROR_LINE = re.compile(r"rearguard: error: \[E\d{3}\] \S")


def check_result(result: Any) -> list[str]:
    """What is wrong with one in-process run (click's ``Result``): empty when nothing."""
    problems = []
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        problems.append("traceback: " + "".join(traceback.format_exception(*result.exc_info)))
    if problems:  # click's runner gives status 1 for it, with no error line
        return problems
    return check_streams(result.exit_code, result.stderr)


def check_streams(status: int, stderr: str) -> list[str]:
    """The checks on an exit status and standard error (in-process or a real process)."""
    problems = []
    if status not in (0, 1, 2):
        problems.append(f"exit status {status}")
    if "Traceback" in stderr:  # with what follows it, to say which
        shown = stderr[stderr.index("Traceback"):][-3000:]
        problems.append(f"'Traceback' on standard error: {shown}")
    errors = [line for line in stderr.splitlines() if line.startswith("rearguard: error")]
    problems += [f"not a one-line coded error: {line[:200]!r}" for line in errors
                 if not ERROR_LINE.match(line)]
    if status == 1 and not errors:
        problems.append("exit 1 without a 'rearguard: error: [Exxx]' line")
    if status == 0 and errors:
        problems.append(f"exit 0 with an error line: {errors[0][:200]!r}")
    return problems


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclasses.dataclass
class Snapshot:
    articles: dict[str, str]  # id -> digest of the current text
    revisions: dict[str, set[str]]  # id -> digests of the earlier texts kept
    events: set[str]  # active events
    kept: set[str]  # active events and those in the deletions feed (deleted, rejected)
    control: collections.Counter[tuple[Any, ...]]  # (article id, place, kind, date, holder)
    log: int
    url: str = dataclasses.field(default="", compare=False)


def snapshot(url: str, since: Snapshot | None = None) -> Snapshot:
    """What ``url`` holds; with ``since``, the earlier texts of the articles whose text
    changed since then (of no others: one query an article)."""
    from rearguard.store import open_store

    with open_store(url, create=False) as store:
        articles = {a.id: _digest(a.text) for a in store.articles()}
        changed = [i for i, d in articles.items()
                   if since is not None and since.articles.get(i, d) != d]
        revisions = {i: {_digest(r["text"]) for r in store.article_revisions(i)}
                     for i in changed}
        events = {e.event_id_cnty for e in store.events()}
        deleted = {d["event_id_cnty"] for d in store.deletions()}
        control = collections.Counter((r.article_id, r.place, r.kind, r.date, r.holder)
                                      for r in store.control())
        return Snapshot(articles, revisions, events, events | deleted, control,
                        len(store.history()), url)


def lost_records(before: Snapshot, after: Snapshot) -> list[str]:
    """Stored records that a command lost (empty when none). What a revision may change
    (docs/dataset.md) is not lost: an article's new text keeps the earlier one in its
    revisions, an event its new text no longer reports stays in the deletions feed, and
    the control statements of a revised article are those of its new text. Nor is what a
    review takes out (docs/review.md): a rejected event stays in the deletions feed, and
    a rejected source's control records leave the ledger (its text stays stored)."""
    problems = []
    gone = [i for i in before.articles if i not in after.articles]
    revised = {i for i, digest in before.articles.items()
               if i in after.articles and after.articles[i] != digest}
    unkept = [i for i in revised if before.articles[i] not in after.revisions.get(i, set())]
    if gone:
        problems.append(f"articles lost: {gone[:5]}")
    if unkept:
        problems.append(f"article texts replaced and not kept as revisions: {unkept[:5]}")
    if before.events - after.kept:
        problems.append(f"events lost (neither stored nor in the deletions feed): "
                        f"{sorted(before.events - after.kept)[:5]}")
    missing = [r for r in before.control - after.control if r[0] not in revised]
    if missing and after.url:
        missing = [r for r in missing if r[0] not in _rejected(after.url)]
    if missing:
        problems.append(f"control records lost: {missing[:3]}")
    if after.log < before.log:
        problems.append(f"change-log entries lost: {before.log} -> {after.log}")
    return problems


def _rejected(url: str) -> set[str]:
    """The ids of the stored articles that are rejected sources."""
    from rearguard.store import open_store

    with open_store(url, create=False) as store:
        return {a.id for a in store.articles()
                if (meta := store.article_meta(a.id)) is not None and meta.status == "rejected"}


# -- known failures ---------------------------------------------------------------------------
# Bugs these tests found whose fix is more than a line in code owned elsewhere (rearguard/io.py,
# the feed reader); tests/robustness/test_known_failures.py reproduces each one as a strict
# xfail, with the traceback and the fix proposed. Tracebacks that match one are counted as
# known, not as new; when a bug is fixed its xfail passes, strict turns that into a failure,
# and the entry is removed here.

# Tracebacks already known and not yet fixed, by name: a matcher over the traceback text.
# The five found by the first runs (deep JSON nesting, a 4,300-digit number, lone
# surrogates, a control character in a feed's HTML, a date at the ends of the calendar)
# were fixed at their source (bddf06e, bc9b96e): a reappearance is a failure again.
KNOWN_FAILURES: dict[str, Callable[[str], bool]] = {}


def known(problem: str) -> str | None:
    """The name of the known failure a problem is, else None."""
    for name, matches in KNOWN_FAILURES.items():
        if problem.startswith("traceback: ") and matches(problem):
            return name
    return None


@dataclasses.dataclass
class Run:
    status: int  # the exit status
    problems: list[str]  # a traceback, a bad exit, lost records: empty when none


def run_case(case: Case, work: Path, db: str) -> Run:
    """Run ``case`` in-process in ``work`` against store ``db`` and check it. ``work`` must
    exist and be empty."""
    from click.testing import CliRunner

    from rearguard.cli import cli

    case.write(work)
    before = snapshot(db) if case.writes else None
    result = CliRunner().invoke(cli, case.resolve(work, db))
    problems = check_result(result)
    if before is not None:
        problems += lost_records(before, snapshot(db, since=before))
    return Run(result.exit_code, problems)
