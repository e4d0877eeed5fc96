"""Score the extractor on WikiEvents dev (20 real news articles with KAIROS event
annotations), at document level. Definitions in docs/evaluation.md:

* **attack-document recall**: of the documents with at least one gold
  ``Conflict.Attack.*`` mention, the share where the extractor returns at least one
  violent event (Battles, Explosions/Remote violence, Violence against civilians, Riots);
* **event precision**: of the predicted violent events, the share whose sentences (the
  document's sentences that their ``event`` evidence overlaps) hold the trigger of a gold
  ``Conflict.Attack.*``, ``Life.Die`` or ``Life.Injure`` mention; those mentions are the
  event's *gold mentions*;
* **the event's place**: of the predicted violent events whose gold mentions have a
  ``Place`` argument, the share whose ``location`` matches one of those places or a
  mention coreferent with one (``coref/dev.jsonlines``): by name (normalised tokens, one
  contained in the other), the gold place being the event's country by name (a coarser
  gold place) or, geocoding the gold place in its text with
  :func:`rearguard.geo.geocode_article`, within 25 km; also reported over the GPE/LOC
  gold places alone (streets and buildings, FAC, are finer than ACLED's town);
* **the attacker**: of the predicted violent events whose gold mentions have an attacker
  (``Attacker``; ``Killer`` and ``Injurer`` on Life.Die/Life.Injure), the share whose
  ``actor1`` matches it or a coreferent mention, each also with the capitalised words
  right before it (KAIROS marks heads: "gunmen" in "Taliban gunmen"): names by token
  containment either way,
  and every gold mention also through rearguard's alias table
  (:func:`rearguard.actors.normalise_actor`: "ISIS" -> "Islamic State"), comparing core
  names ("Islamic State (Syria)" -> "islamic state").

The article text is rebuilt from ``sentences`` (each sentence at its own start offset,
gaps filled with spaces), so every token's offsets index it. There is no publication date:
a date in the ``doc_id`` is taken, else the latest full date in the text (else none).
Dates are not scored.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import EvalDataError, InputError
from ..types import Article, Event, Extraction
from .articles import actor_key, event_spans, overlaps
from .control import distance_km
from .corpora import default_data_dir

Extract = Callable[..., Iterable[Extraction]]  # (articles, *, settings) -> extractions
Geocode = Callable[..., Any]  # (text, spans, *, settings) -> Geocoded
Span = tuple[int, int]

SUBDIR = "wikievents"
DEV_FILE = "dev.jsonl"
COREF_FILE = "coref/dev.jsonlines"
VIOLENT_TYPES = frozenset(
    {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"})
ATTACK = "Conflict.Attack"
HARM = ("Conflict.Attack", "Life.Die", "Life.Injure")
PLACE_ROLES = ("Place",)
ATTACKER_ROLES = ("Attacker", "Killer", "Injurer")
PLACE_KM = 25.0
# The targets for the four scores.
TARGETS: dict[str, float] = {"attack_recall": 0.90, "precision": 0.90, "place": 0.80,
                             "attacker": 0.70}
LABELS: dict[str, str] = {
    "attack_recall": "attack-document recall", "precision": "event precision",
    "place": "the event's place", "attacker": "the attacker",
    "place_town": "the event's place, GPE/LOC gold places only",
}
TOWN_TYPES = ("GPE", "LOC")  # entity types of places a gazetteer holds (not FAC: streets)

MISSED_DOC = "attack document without a violent event"
OFF_GOLD = "violent event on no gold attack/death/injury"
WRONG_PLACE = "place"
WRONG_ATTACKER = "attacker"
MISS_KINDS = (MISSED_DOC, OFF_GOLD, WRONG_PLACE, WRONG_ATTACKER)


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Entity:
    """An entity mention: ``doc.text[start:end] == text``."""

    id: str
    text: str
    start: int
    end: int
    entity_type: str


@dataclass(frozen=True)
class Mention:
    """A gold event mention: its KAIROS type, trigger span and (role, entity id) pairs."""

    id: str
    event_type: str
    start: int
    end: int
    trigger: str
    arguments: tuple[tuple[str, str], ...]

    @property
    def is_attack(self) -> bool:
        return self.event_type.startswith(ATTACK + ".")

    @property
    def is_harm(self) -> bool:
        return self.event_type.startswith(tuple(h + "." for h in HARM))

    def ids(self, roles: Iterable[str]) -> list[str]:
        wanted = set(roles)
        return [entity for role, entity in self.arguments if role in wanted]


@dataclass(frozen=True)
class WikiDoc:
    """One WikiEvents document with its rebuilt text."""

    id: str
    text: str
    published: str | None
    sentences: tuple[Span, ...]
    tokens: tuple[Span, ...]
    entities: dict[str, Entity]
    mentions: tuple[Mention, ...]
    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entity -> cluster

    def coreferent(self, entity_id: str) -> list[Entity]:
        """The entity mention and every mention of its coreference cluster."""
        ids = dict.fromkeys([entity_id, *self.clusters.get(entity_id, ())])
        return [self.entities[i] for i in ids if i in self.entities]

    @property
    def attack(self) -> bool:
        return any(m.is_attack for m in self.mentions)


# ----------------------------------------------------------------------------- loading


def wikievents_dir(data_dir: str | Path | None = None) -> Path:
    """The WikiEvents folder; ``data_dir`` may be it or its parent (``shared/eval``)."""
    base = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    return base / SUBDIR if (base / SUBDIR).is_dir() else base


def rebuild_text(sentences: Sequence[Sequence[Any]]) -> tuple[str, list[Span], list[Span]]:
    """The article from WikiEvents ``sentences`` (``[[token, start, end], ...], text``):
    each sentence's text at its first token's start, gaps filled with spaces. Returns the
    text, the sentence spans and the token spans; ValueError when sentences overlap or a
    token's offsets do not index its text."""
    parts: list[str] = []
    pos = 0
    spans: list[Span] = []
    tokens: list[Span] = []
    for number, (triples, sentence) in enumerate(sentences):
        if not triples:
            continue
        start = int(triples[0][1])
        if start < pos:
            raise ValueError(f"sentence {number} starts at {start}, inside the one before")
        parts += [" " * (start - pos), sentence]
        pos = start + len(sentence)
        spans.append((start, pos))
        tokens += [(int(s), int(e)) for _, s, e in triples]
    text = "".join(parts)
    for (token, *_), (s, e) in zip((t for ts, _ in sentences for t in ts), tokens, strict=True):
        if text[s:e] != token:
            raise ValueError(f"token {token!r} at {s}-{e} does not line up ({text[s:e]!r})")
    return text, spans, tokens


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
         r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATES = (
    (re.compile(r"\b" + _MONTH + r"\s+(\d{1,2}),?\s+(\d{4})\b"), (3, 1, 2)),
    (re.compile(r"\b(\d{1,2})\s+" + _MONTH + r",?\s+(\d{4})\b"), (3, 2, 1)),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), (1, 2, 3)),
)
_ID_DATE = re.compile(r"(?<!\d)(\d{4})[._-](\d{2})[._-](\d{2})(?!\d)")


def _month(value: str) -> int:
    if value.isdigit():
        return int(value)
    word = value.lower().rstrip(".")
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(word[:3]))


def text_dates(text: str) -> list[str]:
    """Every full date in ``text`` ("June 3, 2017", "17 January 2018", "2017-06-03")."""
    found = []
    for pattern, (y, m, d) in _DATES:
        for match in pattern.finditer(text):
            try:
                day = date(int(match.group(y)), _month(match.group(m)), int(match.group(d)))
            except ValueError:
                continue
            found.append(day.isoformat())
    return found


def publication_date(doc_id: str, text: str) -> str | None:
    """The date in the document id ("..._2017.06.05...") if any, else the latest full
    date in the text, else None."""
    match = _ID_DATE.search(doc_id)
    if match:
        try:
            return date(*map(int, match.groups())).isoformat()
        except ValueError:
            pass
    return max(text_dates(text), default=None)


def _read_lines(path: Path) -> list[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        raise EvalDataError("E501", path=path)
    rows = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append((number, json.loads(line)))
                except json.JSONDecodeError as e:
                    raise EvalDataError("E522", path=path, line=number, detail=e.msg) from None
    return rows


def parse_document(record: dict[str, Any], clusters: Sequence[Sequence[str]] = ()) -> WikiDoc:
    """One ``dev.jsonl`` record (and its coreference clusters) as a :class:`WikiDoc`."""
    text, sentences, tokens = rebuild_text(record["sentences"])
    if len(tokens) != len(record["tokens"]):
        raise ValueError(f"{len(tokens)} tokens in the sentences, {len(record['tokens'])} "
                         "in 'tokens'")

    def span(start: int, end: int) -> Span:
        return tokens[start][0], tokens[end - 1][1]

    entities = {}
    for e in record["entity_mentions"]:
        s, t = span(e["start"], e["end"])
        entities[e["id"]] = Entity(e["id"], text[s:t], s, t, e.get("entity_type", ""))
    mentions = []
    for m in record["event_mentions"]:
        s, t = span(m["trigger"]["start"], m["trigger"]["end"])
        arguments = tuple((a["role"], a["entity_id"]) for a in m.get("arguments", ()))
        mentions.append(Mention(m["id"], m["event_type"], s, t, text[s:t], arguments))
    by_entity = {i: tuple(c) for c in clusters for i in c}
    return WikiDoc(id=record["doc_id"], text=text, published=publication_date(
        record["doc_id"], text), sentences=tuple(sentences), tokens=tuple(tokens),
        entities=entities, mentions=tuple(mentions), clusters=by_entity)


def load_wikievents(data_dir: str | Path | None = None) -> list[WikiDoc]:
    """The dev documents, in file order, with their coreference clusters. Missing files
    raise EvalDataError E501, bad JSON E522, a record that cannot be rebuilt an
    InputError naming ``file:line``."""
    base = wikievents_dir(data_dir)
    coref = {row.get("doc_key"): row.get("clusters") or []
             for _, row in _read_lines(base / COREF_FILE)}
    docs = []
    for number, record in _read_lines(base / DEV_FILE):
        try:
            docs.append(parse_document(record, coref.get(record.get("doc_id"), [])))
        except (KeyError, IndexError, TypeError, ValueError) as e:
            raise InputError("E106", where=f"{base / DEV_FILE}:{number}",
                             detail=f"not a usable WikiEvents record ({e}).") from None
    return docs


# ----------------------------------------------------------------------------- matching

_STOP = frozenset("""
the a an of and in on at for to by from with he she it they them his her its their we our
us you who whom which that this these those one someone if when but as after before
""".split())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", _fold(text)) if w.casefold() not in _STOP]


def name_tokens(text: str) -> tuple[str, ...]:
    """Case-folded words without accents, punctuation or function words:
    "Afrīn" -> ("afrin",), "the Islamic State" -> ("islamic", "state")."""
    return tuple(w.casefold() for w in _words(text))


def is_name(text: str) -> bool:
    """True when a content word is capitalised ("Deir ez-Zor", "ISIS"; not "the city")."""
    return any(w[0].isupper() for w in _words(text))


def _contains(inner: Sequence[str], outer: Sequence[str]) -> bool:
    n = len(inner)
    return bool(n) and any(tuple(outer[i:i + n]) == tuple(inner)
                           for i in range(len(outer) - n + 1))


def names_match(a: str, b: str) -> bool:
    """One name's tokens are a contiguous part of the other's (:func:`name_tokens`)."""
    ta, tb = name_tokens(a), name_tokens(b)
    return _contains(ta, tb) or _contains(tb, ta)


def attacker_forms(gold: str) -> list[str]:
    """The forms a gold attacker mention is compared by: itself when it is a name, and
    the ACLED name rearguard's alias table gives it ("ISIS" -> "Islamic State",
    "gunmen" -> "Unidentified Armed Group"), core names only."""
    from ..actors import normalise_actor

    forms = [actor_key(gold)] if is_name(gold) else []
    actor = normalise_actor(gold)
    if actor is not None:
        forms.append(actor_key(actor.name))
    return forms


def attacker_matches(actor1: str, gold: Iterable[str]) -> bool:
    """Whether ``actor1`` (its core name) matches any of the gold mentions."""
    mine = actor_key(actor1)
    return bool(name_tokens(mine)) and any(
        names_match(form, mine) for g in gold for form in attacker_forms(g))


def with_modifiers(doc: WikiDoc, entity: Entity, most: int = 4) -> str:
    """The mention with the capitalised words right before it: KAIROS marks the head of
    a noun phrase ("gunmen" in "Taliban gunmen"), this gives "Taliban gunmen"."""
    index = bisect_left(doc.tokens, (entity.start, -1))
    start = entity.start
    for s, e in reversed(doc.tokens[max(0, index - most):index]):
        word = doc.text[s:e]
        if not word[:1].isupper() or doc.text[e:start].strip():
            break
        start = s
    return doc.text[start:entity.end]


def place_names(doc: WikiDoc, ids: Iterable[str]) -> list[Entity]:
    """The gold place mentions ``ids`` and their coreferent mentions that are names."""
    out: dict[str, Entity] = {}
    for entity_id in ids:
        for e in doc.coreferent(entity_id):
            if is_name(e.text):
                out.setdefault(e.id, e)
    return list(out.values())


def event_sentences(doc: WikiDoc, event: Event) -> list[Span]:
    """The document's sentences that the event's ``event`` evidence overlaps (the
    evidence itself where it overlaps none): a sentence the extractor split is whole."""
    spans = event_spans(event)
    whole = [s for s in doc.sentences if overlaps([s], spans)]
    return whole or list(spans)


def gold_mentions(doc: WikiDoc, event: Event) -> list[Mention]:
    """The gold attack/death/injury mentions whose trigger lies in the event's sentences
    (:func:`event_sentences`)."""
    spans = event_sentences(doc, event)
    return [m for m in doc.mentions if m.is_harm and overlaps([(m.start, m.end)], spans)]


# ----------------------------------------------------------------------------- scoring


@dataclass
class WikiTally:
    docs: int = 0
    attack_docs: int = 0
    attack_docs_found: int = 0
    events: int = 0  # predicted violent events
    other_events: int = 0  # predicted events of other types (not scored)
    on_gold: int = 0
    place_n: int = 0
    place_ok: int = 0
    town_n: int = 0  # events whose gold places include a GPE or LOC mention
    town_ok: int = 0
    attacker_n: int = 0
    attacker_ok: int = 0
    miss_kinds: Counter[str] = field(default_factory=Counter)

    def add(self, other: WikiTally) -> None:
        for name in ("docs", "attack_docs", "attack_docs_found", "events", "other_events",
                     "on_gold", "place_n", "place_ok", "town_n", "town_ok", "attacker_n",
                     "attacker_ok"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.miss_kinds.update(other.miss_kinds)

    def row(self) -> dict[str, Any]:
        def score(num: int, den: int) -> dict[str, Any]:
            return {"correct": num, "n": den, "score": num / den if den else None}

        return {
            "attack_recall": score(self.attack_docs_found, self.attack_docs),
            "precision": score(self.on_gold, self.events),
            "place": score(self.place_ok, self.place_n),
            "place_town": score(self.town_ok, self.town_n),
            "attacker": score(self.attacker_ok, self.attacker_n),
            "docs": self.docs, "violent_events": self.events, "other_events": self.other_events,
            "misses": {kind: self.miss_kinds.get(kind, 0) for kind in MISS_KINDS},
        }


@dataclass
class DocScore:
    id: str
    tally: WikiTally
    misses: list[dict[str, Any]]


class _Places:
    """Gold place mentions geocoded in their text, once per document, on demand."""

    def __init__(self, doc: WikiDoc, geocode: Geocode | None, settings: Any) -> None:
        self.doc, self.geocode, self.settings = doc, geocode, settings
        self.points: dict[str, tuple[float | None, float | None]] | None = None

    def point(self, entity: Entity) -> tuple[float | None, float | None]:
        if self.geocode is None:
            return None, None
        if self.points is None:
            named = [e for e in self.doc.entities.values() if is_name(e.text)]
            found = self.geocode(self.doc.text, [(e.start, e.end) for e in named],
                                 settings=self.settings) if named else None
            places = list(found.places) if found is not None else []
            self.points = {e.id: (p.latitude, p.longitude)
                           for e, p in zip(named, places, strict=False)}
        return self.points.get(entity.id, (None, None))


def place_matches(event: Event, gold: Sequence[Entity], places: _Places | None = None) -> bool:
    """By name (either contains the other), or the gold place is the event's country by
    name (the gold is coarser than the event: "Syria" and Deir ez-Zor, Syria), or, with
    ``places``, the gold place geocoded in its text is within 25 km."""
    if any(names_match(event.location, g.text) for g in gold if event.location):
        return True
    country = name_tokens(event.country)
    if country and any(name_tokens(g.text) == country for g in gold):
        return True
    if places is None:
        return False
    return any(distance_km(*places.point(g), event.latitude, event.longitude) <= PLACE_KM
               for g in gold)


def _sentence_text(doc: WikiDoc, start: int, end: int) -> str:
    for s, e in doc.sentences:
        if s <= start < e:
            return doc.text[s:e].strip()
    return doc.text[start:end]


def score_document(
    doc: WikiDoc, events: Sequence[Event], *, geocode: Geocode | None = None,
    settings: Any = None,
) -> DocScore:
    """Count one document (module docstring); ``geocode`` (text, spans, settings) ->
    Geocoded places the gold mentions for the 25 km test (names only when None)."""
    tally = WikiTally(docs=1, attack_docs=int(doc.attack))
    misses: list[dict[str, Any]] = []

    def miss(kind: str, **details: Any) -> None:
        tally.miss_kinds[kind] += 1
        misses.append({"kind": kind, "doc": doc.id, **details})

    violent = [e for e in events if e.event_type in VIOLENT_TYPES]
    tally.events, tally.other_events = len(violent), len(events) - len(violent)
    if doc.attack and violent:
        tally.attack_docs_found = 1
    elif doc.attack:
        first = next(m for m in doc.mentions if m.is_attack)
        miss(MISSED_DOC, evidence=_sentence_text(doc, first.start, first.end),
             trigger=first.trigger, other_events=[f"{e.event_type}: {e.location}"
                                                  for e in events])
    places = _Places(doc, geocode, settings)
    for e in violent:
        sentence = " … ".join(doc.text[s:t].strip() for s, t in event_spans(e))
        mentions = gold_mentions(doc, e)
        if not mentions:
            miss(OFF_GOLD, event=f"{e.sub_event_type or e.event_type}, {e.location}",
                 evidence=sentence)
            continue
        tally.on_gold += 1
        gold_places = place_names(doc, [i for m in mentions for i in m.ids(PLACE_ROLES)])
        if gold_places:
            tally.place_n += 1
            if place_matches(e, gold_places, places):
                tally.place_ok += 1
            else:
                miss(WRONG_PLACE, predicted=e.location or "(none)",
                     gold=sorted({g.text for g in gold_places}), evidence=sentence)
        towns = [g for g in gold_places if g.entity_type in TOWN_TYPES]
        if towns:
            tally.town_n += 1
            tally.town_ok += place_matches(e, towns, places)
        attackers = {text: None for m in mentions for i in m.ids(ATTACKER_ROLES)
                     for g in doc.coreferent(i) for text in (g.text, with_modifiers(doc, g))}
        if attackers:
            tally.attacker_n += 1
            if attacker_matches(e.actor1, attackers):
                tally.attacker_ok += 1
            else:
                miss(WRONG_ATTACKER, predicted=e.actor1 or "(none)", gold=list(attackers),
                     evidence=sentence)
    return DocScore(doc.id, tally, misses)


def article_for(doc: WikiDoc) -> Article:
    return Article(id=doc.id, text=doc.text, published=doc.published)


def evaluate_wikievents(
    *,
    data_dir: str | Path | None = None,
    limit: int | None = None,
    settings: Any = None,
    extract: Extract | None = None,
    geocode: Geocode | None = None,
    names_only: bool = False,
) -> dict[str, Any]:
    """Run the extractor on the dev documents (the first ``limit``) and score it.

    ``extract(articles, *, settings)`` defaults to
    :func:`rearguard.pipeline.extract_articles`; ``geocode`` to
    :func:`rearguard.geo.geocode_article` (``names_only``: no geocoding). Returns
    ``scores`` (:meth:`WikiTally.row`), ``targets``, ``documents`` (per document rows),
    ``misses``, ``seconds``."""
    docs = load_wikievents(data_dir)
    docs = docs[:limit] if limit is not None else docs
    if extract is None:
        from ..pipeline import extract_articles

        extract = extract_articles
    if geocode is None and not names_only:
        from ..geo import geocode_article

        geocode = geocode_article
    began = time.perf_counter()
    extractions = list(extract([article_for(d) for d in docs], settings=settings))
    seconds = time.perf_counter() - began
    total = WikiTally()
    rows, misses = [], []
    for doc, extraction in zip(docs, extractions, strict=True):
        score = score_document(doc, extraction.events, geocode=None if names_only else geocode,
                               settings=settings)
        total.add(score.tally)
        t = score.tally
        rows.append({"doc": doc.id, "published": doc.published, "attack": doc.attack,
                     "violent_events": t.events, "on_gold": t.on_gold,
                     "place": [t.place_ok, t.place_n], "attacker": [t.attacker_ok,
                                                                    t.attacker_n]})
        misses += score.misses
    return {"scores": total.row(), "targets": dict(TARGETS), "documents": rows,
            "misses": misses, "seconds": seconds}


# ----------------------------------------------------------------------------- tables


def _pct(value: Any) -> str:
    return "–" if value is None else f"{value:.2f}"


def format_table(results: dict[str, Any]) -> str:
    """The four scores against the issue's targets, then one row per document."""
    s = results["scores"]
    lines = ["| score | value | correct / n | target |", "|---|---:|---:|---:|"]
    for key, label in LABELS.items():
        r = s[key]
        lines.append(f"| {label} | {_pct(r['score'])} | {r['correct']}/{r['n']} "
                     f"| {_pct(results['targets'].get(key))} |")
    lines += ["", "| document | published | attack | violent events | on gold | place "
              "| attacker |", "|---|---|---|---:|---:|---:|---:|"]
    for row in results["documents"]:
        lines.append(f"| {row['doc']} | {row['published'] or '–'} | "
                     f"{'yes' if row['attack'] else 'no'} | {row['violent_events']} | "
                     f"{row['on_gold']} | {row['place'][0]}/{row['place'][1]} | "
                     f"{row['attacker'][0]}/{row['attacker'][1]} |")
    kinds = ", ".join(f"{k} {n}" for k, n in s["misses"].items() if n)
    lines += ["", f"{s['docs']} documents, {s['violent_events']} violent events "
              f"({s['other_events']} other events not scored), {results['seconds']:.1f} s; "
              f"misses: {kinds or 'none'}"]
    return "\n".join(lines)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def format_misses(results: dict[str, Any]) -> str:
    """The misses per document, one line each with the evidence sentence."""
    lines: list[str] = []
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for m in results["misses"]:
        by_doc.setdefault(m["doc"], []).append(m)
    for doc, rows in by_doc.items():
        lines += ["", f"## {doc}", ""]
        for m in rows:
            if m["kind"] == MISSED_DOC:
                detail = f"gold trigger \"{m['trigger']}\""
            elif m["kind"] == OFF_GOLD:
                detail = m["event"]
            else:
                detail = f"predicted {m['predicted']!r}, gold {', '.join(m['gold'])}"
            lines.append(f"- {m['kind']}: {detail} — \"{_short(m['evidence'])}\"")
    return "\n".join(lines).strip()
