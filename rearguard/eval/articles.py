"""Score the extractor on real news articles against hand-written ACLED-style gold.

Gold: ``eval/realnews/*.jsonl`` at the checkout root, one line per article (format in
eval/realnews/README.md). Texts: the development halves of TR-News, GeoWebNews and LGL in
``../shared/eval/geoparsing-news`` (read there, never copied), joined to the gold by corpus
and document id. Every gold evidence must be a substring of its text and the gold title the
article's title, or loading stops with a one-line error naming ``file:line``.

Matching, inside one article (see docs/evaluation.md):

* a predicted event and a gold event are *eligible* when the predicted event's sentences
  (its ``event`` evidence) overlap the sentence(s) holding the gold evidence, or when its
  place is within 25 km of the gold place and its date within 2 days of the gold date (or
  inside the gold date's week or month at that precision; any date when the gold date is
  null);
* eligible pairs are assigned one to one by an exact maximum-weight assignment whose
  weights order the candidates lexicographically: the most pairs, then the most pairs
  with evidence overlap, then with the same event type, then the same sub-event type, then
  the nearest places. Deterministic (integer weights, no randomness).

Scores per corpus and overall: incident recall (gold events matched), event precision
(predicted events matched; every predicted event in a ``background``/``none`` article is
false), and over matched pairs: event type, sub-event type, date at the gold precision,
place within 25 km (and 161 km), actor1, actor2 (core and strict names) and fatalities;
the share of ``background``/``none`` articles with no predicted event. Misses are listed
by kind.
"""

from __future__ import annotations

import html
import json
import math
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..errors import EvalDataError, InputError
from ..types import TIME_DAY, TIME_MONTH, TIME_WEEK, Article, Event, Extraction
from .control import date_gap_days, distance_km
from .control import date_matches as date_agrees
from .corpora import corpus_path

Extract = Callable[..., Iterable[Extraction]]  # (articles, *, settings) -> extractions

# Gold corpus names (the "corpus" field) and their keys (rearguard.eval.corpora's,
# "wikievents" for ../shared/eval/wikievents/dev.jsonl, "muc4" for MUC-4 dev).
CORPUS_KEYS: dict[str, str] = {"TR-News": "trnews", "GWN": "gwn", "LGL": "lgl",
                               "WikiEvents": "wikievents", "MUC-4": "muc4"}
UNTITLED = ("wikievents", "muc4")  # no title of their own: the gold's is how the text begins
CORPUS_NAMES: dict[str, str] = {key: name for name, key in CORPUS_KEYS.items()}
KINDS = ("conflict", "background", "none")
QUIET_KINDS = ("background", "none")
PRECISIONS = {"day": TIME_DAY, "week": TIME_WEEK, "month": TIME_MONTH}
PRECISION_NAMES = {v: k for k, v in PRECISIONS.items()}
PLACE_KM = 25.0
WIDE_KM = 161.0
NEAR_DAYS = 2

FIELDS: tuple[str, ...] = (
    "event_type", "sub_event_type", "date", "place_25km", "place_161km", "actor1",
    "actor1_strict", "actor2", "actor2_strict", "fatalities",
)
FIELD_LABELS: dict[str, str] = {
    "event_type": "event type", "sub_event_type": "sub-event type",
    "date": "date (at gold precision)", "place_25km": "place within 25 km",
    "place_161km": "place within 161 km", "actor1": "actor1 (core name)",
    "actor1_strict": "actor1 (strict)", "actor2": "actor2 (core name)",
    "actor2_strict": "actor2 (strict)", "fatalities": "fatalities (exact)",
}
# The fields whose errors are listed as misses (the 161 km and strict rows are views).
ERROR_FIELDS = ("event_type", "sub_event_type", "date", "place_25km", "actor1", "actor2",
                "fatalities")

MISSED = "missed incident"
FALSE_QUIET = "false event: background/none article"
FALSE_BACKGROUND = "false event: background incident"
FALSE_DUPLICATE = "false event: duplicate of a matched gold event"
FALSE_OTHER = "false event: other"
FIELD_ERROR = "field error"
MISS_KINDS = (MISSED, FALSE_QUIET, FALSE_BACKGROUND, FALSE_DUPLICATE, FALSE_OTHER, FIELD_ERROR)

Span = tuple[int, int]


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class GoldEvent:
    """One gold incident (eval/realnews/README.md). ``date`` None: not scored;
    ``fatalities`` None: a vague figure, not scored; no coordinates: place not scored."""

    event_type: str
    sub_event_type: str
    date: str | None
    date_precision: int
    place: str
    country: str
    latitude: float | None
    longitude: float | None
    actor1: str
    actor2: str
    fatalities: int | None
    evidence: str
    admin1: str = ""
    geo_precision: int | None = None


@dataclass(frozen=True)
class Background:
    """An incident the article names only as background."""

    what: str
    evidence: str


@dataclass(frozen=True)
class GoldArticle:
    """One gold line: the article's key, kind and events; ``where`` is ``file:line``."""

    corpus: str  # corpus key: trnews, gwn, lgl
    doc: str
    title: str
    published: str | None
    kind: str
    events: tuple[GoldEvent, ...]
    background: tuple[Background, ...] = ()
    note: str = ""
    where: str = ""

    @property
    def id(self) -> str:
        return f"{CORPUS_NAMES[self.corpus]}:{self.doc}"


@dataclass(frozen=True)
class SourceText:
    """An article of a geoparsing corpus: its text as rearguard.eval.corpora reads it."""

    corpus: str
    doc: str
    title: str
    text: str
    url: str | None = None
    source: str | None = None


# ----------------------------------------------------------------------------- loading


def default_gold_dir() -> Path:
    """``eval/realnews`` at the root of the checkout this package runs from."""
    return Path(__file__).resolve().parents[2] / "eval" / "realnews"


def corpus_key(name: str) -> str:
    """'TR-News', 'trnews', 'gwn', 'LGL' ... -> the corpus key; EvalDataError E502 else."""
    key = name.strip().lower().replace("-", "").replace("_", "")
    if key not in CORPUS_NAMES:
        raise EvalDataError("E502", name=name, known=", ".join(CORPUS_NAMES))
    return key


def gold_paths(gold: str | Path | None = None) -> list[Path]:
    """The gold files: ``gold`` itself, the ``*.jsonl`` files of a folder, or by default
    those of :func:`default_gold_dir` (a one-line InputError when there are none)."""
    if gold is None:
        path = default_gold_dir()
        if not path.is_dir():
            raise InputError("E106", where="--gold", detail=(
                f"no gold folder at {path}: the real-news gold lives in eval/realnews of "
                "the source checkout, not in an installed package. Give --gold PATH."))
    else:
        path = Path(gold).expanduser()
        if not path.exists():
            raise InputError("E101", path=path)
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise InputError("E106", where=str(path), detail=(
                "no *.jsonl gold files here (trnews.jsonl, gwn.jsonl, lgl.jsonl; "
                "format in eval/realnews/README.md)."))
        return files
    return [path]


def _fail(where: str, detail: str) -> InputError:
    return InputError("E106", where=where, detail=detail)


def _string(record: dict[str, Any], key: str, where: str, *, empty: bool = False) -> str:
    value = record.get(key)
    if value is None and empty:
        return ""
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise _fail(where, f"'{key}' must be a non-empty string, got {value!r}.")
    return value


def _date(value: Any, where: str, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            from datetime import date

            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise _fail(where, f"'{key}' must be a date YYYY-MM-DD or null, got {value!r}.")


def _number(value: Any, where: str, key: str, limit: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or abs(value) > limit:
        raise _fail(where, f"'{key}' must be a number within ±{limit:g} or null, got {value!r}.")
    return float(value)


def parse_event(record: Any, where: str) -> GoldEvent:
    """A gold event object (InputError E106 naming ``where`` when it is not usable)."""
    from ..events.taxonomy import EVENT_TYPE

    if not isinstance(record, dict):
        raise _fail(where, "an event must be a JSON object.")
    sub = _string(record, "sub_event_type", where)
    kind = _string(record, "event_type", where)
    if EVENT_TYPE.get(sub) != kind:
        raise _fail(where, f"'{kind}' / '{sub}' is not an ACLED event / sub-event type pair.")
    day = _date(record.get("date"), where, "date")
    precision = record.get("date_precision") or "day"  # null with a null date
    if precision not in PRECISIONS or (record.get("date_precision") is None and day):
        raise _fail(where, "'date_precision' must be day, week or month (null only with a "
                    f"null date), got {record.get('date_precision')!r}.")
    deaths = record.get("fatalities")
    if deaths is not None and (isinstance(deaths, bool) or not isinstance(deaths, int)
                               or deaths < 0):
        raise _fail(where, f"'fatalities' must be a whole number >= 0 or null, got {deaths!r}.")
    geo = record.get("geo_precision")
    return GoldEvent(
        event_type=kind, sub_event_type=sub, date=day,
        date_precision=PRECISIONS[precision], place=_string(record, "place", where, empty=True),
        country=_string(record, "country", where, empty=True),
        latitude=_number(record.get("lat"), where, "lat", 90),
        longitude=_number(record.get("lon"), where, "lon", 180),
        actor1=_string(record, "actor1", where, empty=True),
        actor2=_string(record, "actor2", where, empty=True), fatalities=deaths,
        evidence=_string(record, "evidence", where),
        admin1=_string(record, "admin1", where, empty=True),
        geo_precision=geo if isinstance(geo, int) and not isinstance(geo, bool) else None,
    )


def parse_gold_line(record: Any, where: str) -> GoldArticle:
    """One gold line as a :class:`GoldArticle` (InputError E106 naming ``where``)."""
    if not isinstance(record, dict):
        raise _fail(where, "each line must be one JSON object.")
    corpus = record.get("corpus")
    if corpus not in CORPUS_KEYS:
        raise _fail(where, f"'corpus' must be one of {', '.join(CORPUS_KEYS)}, got {corpus!r}.")
    doc = record.get("doc")
    if isinstance(doc, int) and not isinstance(doc, bool):
        doc = str(doc)
    if not isinstance(doc, str) or not doc.strip():
        raise _fail(where, f"'doc' must be the article's id, got {doc!r}.")
    kind = record.get("kind")
    if kind not in KINDS:
        raise _fail(where, f"'kind' must be one of {', '.join(KINDS)}, got {kind!r}.")
    events, background = record.get("events", []), record.get("background", [])
    if not isinstance(events, list) or not isinstance(background, list):
        raise _fail(where, "'events' and 'background' must be lists.")
    if kind in QUIET_KINDS and events:
        raise _fail(where, f"a '{kind}' article must have \"events\": [].")
    if kind == "conflict" and not events:
        raise _fail(where, "a 'conflict' article must list at least one event.")
    parsed = tuple(parse_event(e, f"{where} events[{i}]") for i, e in enumerate(events))
    back = []
    for i, b in enumerate(background):
        at = f"{where} background[{i}]"
        if not isinstance(b, dict):
            raise _fail(at, "a background entry must be a JSON object.")
        back.append(Background(_string(b, "what", at, empty=True), _string(b, "evidence", at)))
    note = record.get("note", "")
    return GoldArticle(
        corpus=CORPUS_KEYS[corpus], doc=doc.strip(), title=_string(record, "title", where),
        published=_date(record.get("published"), where, "published"), kind=kind,
        events=parsed, background=tuple(back), note=note if isinstance(note, str) else "",
        where=where,
    )


def read_gold(path: str | Path) -> list[GoldArticle]:
    """The gold lines of one file, in order (blank lines skipped)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("E101", path=path)
    out = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError("E105", where=where, detail=e.msg) from None
            out.append(parse_gold_line(record, where))
    return out


def load_gold(gold: str | Path | None = None) -> list[GoldArticle]:
    """Every gold article of :func:`gold_paths`; an article given twice is an error."""
    articles: list[GoldArticle] = []
    seen: dict[tuple[str, str], str] = {}
    for path in gold_paths(gold):
        for article in read_gold(path):
            key = (article.corpus, article.doc)
            if key in seen:
                raise _fail(article.where, f"{article.id} is already coded at {seen[key]}.")
            seen[key] = article.where
            articles.append(article)
    return articles


def read_sources(corpus: str, data_dir: str | Path | None = None) -> dict[str, SourceText]:
    """The articles of one corpus by document id (TR-News/LGL ``docid``, GWN ``file``,
    WikiEvents ``doc_id``, MUC-4 ``TST1-MUC3-0001``), with title, URL and publisher;
    EvalDataError E501 (E521 for MUC-4) when files are missing. A WikiEvents text is
    rebuilt from its sentences (:mod:`rearguard.eval.wikievents`), a MUC-4 text is the one
    ``rearguard eval events`` feeds (:func:`rearguard.eval.muc.article_for`); neither has
    a title of its own, so the gold title must be how the text begins."""
    key = corpus_key(corpus)
    if key == "wikievents":
        from .wikievents import load_wikievents

        return {d.id: SourceText(key, d.id, "", d.text) for d in load_wikievents(data_dir)}
    if key == "muc4":
        from .muc import article_for as muc_article
        from .muc import load_muc4

        articles = (muc_article(d, data_dir) for d in load_muc4(data_dir))
        return {a.id: SourceText(key, a.id, "", a.text, source=a.source) for a in articles}
    path = corpus_path(key, data_dir)
    if not path.is_file():
        raise EvalDataError("E501", path=path)
    out: dict[str, SourceText] = {}
    for number, article in enumerate(ET.parse(path).getroot().iter("article")):
        doc = article.get("file" if key == "gwn" else "docid") or str(number)
        url = (article.findtext("link" if key == "gwn" else "url") or "").strip() or None
        domain = (article.findtext("domain") or "").strip()
        if not domain and url:
            domain = urlparse(url).netloc
        out[doc] = SourceText(key, doc, (article.findtext("title") or "").strip(),
                              article.findtext("text") or "", url, domain or None)
    return out


def _title_key(title: str) -> str:
    return " ".join(html.unescape(title).split()).casefold()


def check_article(gold: GoldArticle, sources: dict[str, SourceText]) -> SourceText:
    """The article's text, after checking that it exists, that the gold title is its
    title and that every gold evidence is a substring of it, ignoring case where
    it is not one as written (:func:`quote_spans`; InputError naming the line)."""
    source = sources.get(gold.doc)
    if source is None:
        raise _fail(gold.where, f"{gold.id} is not in the {CORPUS_NAMES[gold.corpus]} "
                    "development data (../shared/eval).")
    if source.corpus in UNTITLED:
        if not _title_key(source.text).startswith(_title_key(gold.title)):
            raise _fail(gold.where, f"the title {gold.title!r} is not how {gold.id} begins "
                        f"({_short(source.text, 60)!r}); is the doc id right?")
    elif _title_key(gold.title) != _title_key(source.title):
        raise _fail(gold.where, f"the title {gold.title!r} is not {gold.id}'s "
                    f"({source.title!r}); is the doc id right?")
    quotes = [(f"events[{i}]", e.evidence) for i, e in enumerate(gold.events)]
    quotes += [(f"background[{i}]", b.evidence) for i, b in enumerate(gold.background)]
    for at, quote in quotes:
        if not quote_spans(source.text, quote):
            raise _fail(f"{gold.where} {at}", f"the evidence {_short(quote, 60)!r} is not a "
                        f"substring of {gold.id}'s text.")
    return source


# ----------------------------------------------------------------------------- matching

_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+|\n+")


def sentence_span(text: str, start: int, end: int) -> Span:
    """The sentence(s) holding ``text[start:end]``: out to the last sentence boundary
    (``.!?`` and closing quotes, then white space; or a line break) before ``start`` and
    the first one from the end of the span, trailing white space included. Boundaries
    inside the span are ignored, so a span is never cut."""
    lo = 0
    for before in _BOUNDARY.finditer(text, 0, start):
        lo = before.end()
    after = _BOUNDARY.search(text, max(start, end - 1))
    return lo, after.end() if after else len(text)


def quote_spans(text: str, quote: str) -> tuple[Span, ...]:
    """Every occurrence of ``quote`` in ``text``; where it occurs nowhere as written,
    every occurrence ignoring case: MUC-4's texts are re-cased by :mod:`rearguard.eval.muc`
    and gold quoted an earlier re-casing ("fmln units" is now "FMLN units")."""
    spans, pos = [], text.find(quote)
    while quote and pos != -1:
        spans.append((pos, pos + len(quote)))
        pos = text.find(quote, pos + 1)
    if not spans and quote:
        spans = [m.span() for m in re.finditer(re.escape(quote), text, re.I)]
    return tuple(spans)


def quote_sentences(text: str, quote: str) -> tuple[Span, ...]:
    """The sentence spans of every occurrence of ``quote`` (an evidence) in ``text``."""
    return tuple(dict.fromkeys(sentence_span(text, s, e) for s, e in quote_spans(text, quote)))


def event_spans(event: Event) -> tuple[Span, ...]:
    """The sentences a predicted event rests on: its ``event`` evidence (every evidence
    span when it has none)."""
    spans = [(e.start, e.end) for e in event.evidence if e.field == "event"]
    return tuple(spans or [(e.start, e.end) for e in event.evidence])


def overlaps(a: Iterable[Span], b: Iterable[Span]) -> bool:
    bs = list(b)
    return any(s < e2 and s2 < e for s, e in a for s2, e2 in bs)


_YEARS = re.compile(r"\s*\(\s*\d{4}\s*[-–]\s*(?:\d{4})?\s*\)")
_PARENS = re.compile(r"\s*\([^()]*\)")


def actor_key(name: str | None, *, strict: bool = False) -> str:
    """An actor name for comparison: case folded, white space collapsed, a parenthesised
    year range ("(2014-)", "(2014-2018)") dropped. The core key (``strict=False``) also
    drops any other parenthesis ("Islamic State (Iraq)" -> "islamic state") and "the"."""
    text = _YEARS.sub("", name or "")
    if not strict:
        text = _PARENS.sub("", text)
        text = re.sub(r"\bthe\b", " ", text, flags=re.I)
    return " ".join(text.split()).casefold()


def actor_names(name: str | None) -> set[str]:
    """The core keys an actor goes by: the whole name and, for ACLED's "acronym: full
    name" form, each part ("YPG: Peoples Protection Units" -> also "ypg" and "peoples
    protection units")."""
    whole = actor_key(name)
    parts = {actor_key(p) for p in whole.split(":")} if ":" in whole else set()
    return {whole} | {p for p in parts if p}


def actor_matches(gold: str, predicted: str | None, *, strict: bool = False) -> bool:
    """Strict: equal :func:`actor_key` with ``strict``. Core: the two share one of their
    :func:`actor_names`. Both empty counts as equal (no second actor)."""
    if strict:
        return actor_key(gold, strict=True) == actor_key(predicted, strict=True)
    return bool(actor_names(gold) & actor_names(predicted))


def date_ok(gold: GoldEvent, predicted: str | None) -> bool:
    """Day: the same day; week: within 7 days; month: the same month (gold date set)."""
    return gold.date is not None and date_agrees(gold.date, gold.date_precision, predicted)


@dataclass(frozen=True)
class PairFacts:
    """What the matcher knows about one (gold, predicted) pair."""

    overlap: bool
    km: float
    days: float
    near_date: bool
    same_type: bool
    same_sub: bool

    @property
    def eligible(self) -> bool:
        return self.overlap or (self.km <= PLACE_KM and self.near_date)


def pair_facts(gold: GoldEvent, gold_sentences: Sequence[Span], event: Event) -> PairFacts:
    km = distance_km(gold.latitude, gold.longitude, event.latitude, event.longitude)
    days = date_gap_days(gold.date, event.event_date)
    near = gold.date is None or days <= NEAR_DAYS or (
        gold.date_precision != TIME_DAY and date_ok(gold, event.event_date))
    return PairFacts(
        overlap=overlaps(event_spans(event), gold_sentences), km=km, days=days,
        near_date=near, same_type=gold.event_type == event.event_type,
        same_sub=gold.sub_event_type == event.sub_event_type,
    )


def same_incident(gold: GoldEvent, gold_sentences: Sequence[Span], event: Event) -> bool:
    """Whether an unmatched predicted event restates a gold event: it is eligible for it,
    or it has its sub-event type and a date within 2 days (any date when the gold has
    none), wherever it put the place."""
    facts = pair_facts(gold, gold_sentences, event)
    return facts.eligible or (facts.same_sub and facts.near_date)


def _weight(facts: PairFacts, k: int) -> int:
    """Lexicographic preferences as one integer (``k`` > the number of possible pairs):
    a pair at all, then evidence overlap, same type, same sub-event type, closeness."""
    if not facts.eligible:
        return 0
    close = 0 if math.isinf(facts.km) else max(0, 1000 - round(facts.km))
    return (((k + facts.overlap) * k + facts.same_type) * k + facts.same_sub) * k * 1001 + close


def max_weight_assignment(weights: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """A one-to-one assignment of rows to columns maximising the total of non-negative
    integer weights (Hungarian algorithm, exact and deterministic); only pairs of
    positive weight are returned, as sorted (row, column) pairs."""
    rows = len(weights)
    cols = len(weights[0]) if rows else 0
    if not rows or not cols:
        return []
    matrix = [list(r) for r in weights]
    flip = rows > cols
    if flip:
        matrix = [list(c) for c in zip(*matrix, strict=True)]
    n, m = len(matrix), len(matrix[0])
    top = max(max(r) for r in matrix)
    cost = [[top - w for w in r] for r in matrix]
    inf = math.inf
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    owner, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0], j0 = i, 0
        low, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < low[j]:
                        low[j], way[j] = cur, j0
                    if low[j] < delta:
                        delta, j1 = low[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    low[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    pairs = [(owner[j] - 1, j - 1) for j in range(1, m + 1) if owner[j]]
    if flip:
        pairs = [(c, r) for r, c in pairs]
    return sorted((r, c) for r, c in pairs if weights[r][c] > 0)


def match_events(
    text: str, gold: Sequence[GoldEvent], events: Sequence[Event]
) -> list[tuple[int, int]]:
    """The (gold index, predicted index) pairs of one article (module docstring)."""
    sentences = [quote_sentences(text, g.evidence) for g in gold]
    k = min(len(gold), len(events)) + 1
    weights = [[_weight(pair_facts(g, s, e), k) for e in events]
               for g, s in zip(gold, sentences, strict=True)]
    return max_weight_assignment(weights)


# ----------------------------------------------------------------------------- scoring


@dataclass
class FieldCount:
    n: int = 0
    correct: int = 0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.correct += bool(ok)

    def row(self) -> dict[str, Any]:
        return {"n": self.n, "correct": self.correct,
                "accuracy": self.correct / self.n if self.n else None}


@dataclass
class Tally:
    """Counts for some articles (one article, a corpus, everything)."""

    articles: int = 0
    gold_events: int = 0
    predicted_events: int = 0
    matched: int = 0
    quiet_articles: int = 0  # background/none articles
    quiet_silent: int = 0  # of those, articles with no predicted event
    fields: dict[str, FieldCount] = field(
        default_factory=lambda: {name: FieldCount() for name in FIELDS})
    miss_kinds: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.articles += other.articles
        self.gold_events += other.gold_events
        self.predicted_events += other.predicted_events
        self.matched += other.matched
        self.quiet_articles += other.quiet_articles
        self.quiet_silent += other.quiet_silent
        for name, count in other.fields.items():
            self.fields[name].n += count.n
            self.fields[name].correct += count.correct
        self.miss_kinds.update(other.miss_kinds)

    def row(self) -> dict[str, Any]:
        def share(a: int, b: int) -> float | None:
            return a / b if b else None

        return {
            "articles": self.articles, "gold_events": self.gold_events,
            "predicted_events": self.predicted_events, "matched": self.matched,
            "recall": share(self.matched, self.gold_events),
            "precision": share(self.matched, self.predicted_events),
            "fields": {name: c.row() for name, c in self.fields.items()},
            "quiet_articles": self.quiet_articles, "quiet_silent": self.quiet_silent,
            "quiet_share": share(self.quiet_silent, self.quiet_articles),
            "misses": {kind: self.miss_kinds.get(kind, 0) for kind in MISS_KINDS},
        }


@dataclass
class ArticleScore:
    """One article's counts, its (gold, predicted) pairs and its misses."""

    id: str
    tally: Tally
    pairs: list[tuple[int, int]]
    misses: list[dict[str, Any]]


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _where(name: str, lat: float | None, lon: float | None) -> str:
    if lat is None or lon is None:
        return f"{name or '?'} (no coordinates)"
    return f"{name or '?'} ({lat:.3f}, {lon:.3f})"


def describe_gold(g: GoldEvent) -> str:
    deaths = "?" if g.fatalities is None else g.fatalities
    return (f"{g.sub_event_type}, {g.date or 'no date'}, {g.place or '?'}, "
            f"{g.actor1 or '–'} v {g.actor2 or '–'}, {deaths} dead")


def describe_event(e: Event) -> str:
    return (f"{e.sub_event_type or e.event_type}, {e.event_date or 'no date'}, "
            f"{e.location or '?'}, {e.actor1 or '–'} v {e.actor2 or '–'}, "
            f"{e.fatalities} dead")


def event_text(text: str, event: Event) -> str:
    """The predicted event's sentences, as one string."""
    return " … ".join(text[s:e].strip() for s, e in event_spans(event))


def _field_values(name: str, g: GoldEvent, e: Event) -> tuple[Any, Any]:
    if name == "date":
        return (f"{g.date} ({PRECISION_NAMES[g.date_precision]})",
                f"{e.event_date} ({PRECISION_NAMES.get(e.time_precision or 0, '?')})")
    if name == "place_25km":
        km = distance_km(g.latitude, g.longitude, e.latitude, e.longitude)
        far = "" if math.isinf(km) else f", {km:.0f} km away"
        return _where(g.place, g.latitude, g.longitude), \
            _where(e.location, e.latitude, e.longitude) + far
    return getattr(g, name), getattr(e, name)  # the same names on both records


def score_fields(g: GoldEvent, e: Event) -> dict[str, bool | None]:
    """Each field of a matched pair: True/False, or None where the gold does not say."""
    has_place = g.latitude is not None and g.longitude is not None
    km = distance_km(g.latitude, g.longitude, e.latitude, e.longitude)
    return {
        "event_type": g.event_type == e.event_type,
        "sub_event_type": g.sub_event_type == e.sub_event_type,
        "date": date_ok(g, e.event_date) if g.date is not None else None,
        "place_25km": km <= PLACE_KM if has_place else None,
        "place_161km": km <= WIDE_KM if has_place else None,
        "actor1": actor_matches(g.actor1, e.actor1),
        "actor1_strict": actor_matches(g.actor1, e.actor1, strict=True),
        "actor2": actor_matches(g.actor2, e.actor2),
        "actor2_strict": actor_matches(g.actor2, e.actor2, strict=True),
        "fatalities": g.fatalities == e.fatalities if g.fatalities is not None else None,
    }


def score_article(gold: GoldArticle, text: str, events: Sequence[Event]) -> ArticleScore:
    """Match one article's predicted events to its gold and count (module docstring)."""
    tally = Tally(articles=1, gold_events=len(gold.events), predicted_events=len(events))
    quiet = gold.kind in QUIET_KINDS
    if quiet:
        tally.quiet_articles = 1
        tally.quiet_silent = int(not events)
    pairs = [] if quiet else match_events(text, gold.events, events)
    tally.matched = len(pairs)
    misses: list[dict[str, Any]] = []

    def miss(kind: str, **details: Any) -> None:
        tally.miss_kinds[kind] += 1
        misses.append({"kind": kind, "article": gold.id, **details})

    gold_sentences = [quote_sentences(text, g.evidence) for g in gold.events]
    matched_gold = {gi: pi for gi, pi in pairs}
    matched_pred = {pi: gi for gi, pi in pairs}
    for gi, g in enumerate(gold.events):
        if gi in matched_gold:
            continue
        near = [e for e in events if overlaps(event_spans(e), gold_sentences[gi])]
        miss(MISSED, evidence=g.evidence, gold=describe_gold(g),
             extractor_in_sentence=bool(near),
             predicted=[describe_event(e) for e in near])
    background = [quote_sentences(text, b.evidence) for b in gold.background]
    for pi, e in enumerate(events):
        if pi in matched_pred:
            continue
        spans = event_spans(e)
        on_gold = [gi for gi, g in enumerate(gold.events)
                   if gi in matched_gold and same_incident(g, gold_sentences[gi], e)]
        back = [i for i, s in enumerate(background) if overlaps(spans, s)]
        details: dict[str, Any] = {"evidence": event_text(text, e),
                                   "predicted": describe_event(e)}
        if quiet:
            miss(FALSE_QUIET, article_kind=gold.kind, **details)
        elif back:
            miss(FALSE_BACKGROUND, background=gold.background[back[0]].what, **details)
        elif on_gold:
            miss(FALSE_DUPLICATE, gold=describe_gold(gold.events[on_gold[0]]), **details)
        else:
            miss(FALSE_OTHER, **details)
    for gi, pi in pairs:
        g, e = gold.events[gi], events[pi]
        for name, ok in score_fields(g, e).items():
            if ok is None:
                continue
            tally.fields[name].add(ok)
            if not ok and name in ERROR_FIELDS:
                want, got = _field_values(name, g, e)
                miss(FIELD_ERROR, field=name, gold=want, predicted=got, evidence=g.evidence)
    return ArticleScore(gold.id, tally, pairs, misses)


# ----------------------------------------------------------------------------- running


def select_gold(
    articles: Sequence[GoldArticle], corpora: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[GoldArticle]:
    """The gold articles of ``corpora`` (all when empty), the first ``limit`` of each."""
    wanted = {corpus_key(c) for c in corpora or ()}
    out, taken = [], Counter[str]()
    for article in articles:
        if wanted and article.corpus not in wanted:
            continue
        if limit is not None and taken[article.corpus] >= limit:
            continue
        taken[article.corpus] += 1
        out.append(article)
    return out


def article_for(gold: GoldArticle, source: SourceText) -> Article:
    """The article fed to the extractor: the corpus text, the gold publication date."""
    return Article(id=gold.id, text=source.text, published=gold.published,
                   title=source.title or None,
                   url=source.url, source=source.source)


def evaluate_articles(
    *,
    gold: str | Path | None = None,
    data_dir: str | Path | None = None,
    corpora: Iterable[str] | None = None,
    limit: int | None = None,
    settings: Any = None,
    extract: Extract | None = None,
) -> dict[str, Any]:
    """Run the extractor on the gold articles and score it.

    ``extract(articles, *, settings)`` defaults to
    :func:`rearguard.pipeline.extract_articles`. Returns ``corpora`` ({name: row}),
    ``all`` (the same row over every article; rows as :meth:`Tally.row`), ``misses`` (a
    list of dicts with ``kind``, ``article`` and the evidence), ``articles`` and
    ``seconds``."""
    chosen = select_gold(load_gold(gold), corpora, limit)
    sources: dict[str, dict[str, SourceText]] = {}
    texts: list[SourceText] = []
    for article in chosen:
        if article.corpus not in sources:
            sources[article.corpus] = read_sources(article.corpus, data_dir)
        texts.append(check_article(article, sources[article.corpus]))
    if extract is None:
        from ..pipeline import extract_articles

        extract = extract_articles
    began = time.perf_counter()
    extractions = list(extract([article_for(g, s) for g, s in zip(chosen, texts, strict=True)],
                               settings=settings))
    seconds = time.perf_counter() - began
    if len(extractions) != len(chosen):
        raise ValueError(f"the extractor returned {len(extractions)} extractions for "
                         f"{len(chosen)} articles")
    per_corpus: dict[str, Tally] = {}
    total = Tally()
    misses: list[dict[str, Any]] = []
    for g, s, extraction in zip(chosen, texts, extractions, strict=True):
        score = score_article(g, s.text, extraction.events)
        per_corpus.setdefault(CORPUS_NAMES[g.corpus], Tally()).add(score.tally)
        total.add(score.tally)
        misses += score.misses
    return {
        "corpora": {name: per_corpus[name].row() for name in CORPUS_KEYS if name in per_corpus},
        "all": total.row(),
        "misses": misses,
        "articles": len(chosen),
        "seconds": seconds,
    }


# ----------------------------------------------------------------------------- tables


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _ratio(value: float | None, num: int, den: int) -> str:
    return f"{_pct(value)} ({num}/{den})"


def format_table(results: dict[str, Any]) -> str:
    """One Markdown table: a column per corpus and one for all articles."""
    columns = [*results["corpora"].items(), ("all", results["all"])]
    lines = ["| | " + " | ".join(name for name, _ in columns) + " |",
             "|---|" + "---:|" * len(columns)]

    def row(label: str, cells: Iterable[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("articles", (str(r["articles"]) for _, r in columns))
    row("gold events", (str(r["gold_events"]) for _, r in columns))
    row("predicted events", (str(r["predicted_events"]) for _, r in columns))
    row("incident recall", (_ratio(r["recall"], r["matched"], r["gold_events"])
                            for _, r in columns))
    row("event precision", (_ratio(r["precision"], r["matched"], r["predicted_events"])
                            for _, r in columns))
    for name in FIELDS:
        row(FIELD_LABELS[name], (_ratio(r["fields"][name]["accuracy"],
                                        r["fields"][name]["correct"], r["fields"][name]["n"])
                                 for _, r in columns))
    row("background/none articles without events",
        (_ratio(r["quiet_share"], r["quiet_silent"], r["quiet_articles"]) for _, r in columns))
    counts = results["all"]["misses"]
    kinds = ", ".join(f"{kind} {counts[kind]}" for kind in MISS_KINDS if counts.get(kind))
    lines += ["", f"{results['articles']} articles, {results['seconds']:.1f} s; "
              f"misses: {kinds or 'none'} (field rows are over matched pairs; --misses "
              "lists them)"]
    return "\n".join(lines)


def format_misses(results: dict[str, Any]) -> str:
    """The misses, grouped by kind, one line each with the article and the evidence."""
    lines: list[str] = []
    for kind in MISS_KINDS:
        rows = [m for m in results["misses"] if m["kind"] == kind]
        if not rows:
            continue
        lines += ["", f"## {kind} ({len(rows)})", ""]
        for m in rows:
            if kind == MISSED:
                seen = "an event in that sentence" if m["extractor_in_sentence"] else \
                    "no event in that sentence"
                lines.append(f"- {m['article']}: {m['gold']} — extractor: {seen} — "
                             f"\"{_short(m['evidence'])}\"")
            elif kind == FIELD_ERROR:
                lines.append(f"- {m['article']} {m['field']}: gold {m['gold']!s}, predicted "
                             f"{m['predicted']!s} — \"{_short(m['evidence'], 100)}\"")
            else:
                extra = m.get("background") or m.get("gold") or m.get("article_kind") or ""
                lines.append(f"- {m['article']}: {m['predicted']}"
                             + (f" [{extra}]" if extra else "")
                             + f" — \"{_short(m['evidence'])}\"")
    return "\n".join(lines).strip()
