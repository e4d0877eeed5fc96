"""Which names in a parsed text are places: candidates, their evidence, a learned decision.

A name is a place only with evidence. Every candidate span (the NER's GPE, LOC, FAC and
demonym NORP entities, the gazetteer ruler's proper-noun runs, and PERSON or ORG entities
whose name the gazetteer knows) gets features that say what speaks for and against it:

* who proposed it: the NER and its label, or the gazetteer ruler alone;
* its frame: a place preposition before it ("in", "near", "outside"), "the town of", "north
  of", an admin word after it ("province"), "X, Y" containment, a stated distance;
* person evidence: a first name, a surname of a person named elsewhere in the article, the
  same name as a PERSON elsewhere, a title before it, "said" after it, a possessive;
* other kinds: a news agency, an organisation word or a weapon noun after it ("Molotov
  cocktails"), a month abbreviation ("Nov."), all capitals, a sentence-initial capital;
* the gazetteer: the kind of its best reading (country, province, big city, village), how
  many places share the name; for a name the gazetteer knows only under another
  transliteration ("Menbej" for Manbij, "Reef Dimashq" for Rif Dimashq), that it matched by
  variant only, how many places share the variant and how close the spelling is;
* the article's focus (the countries, provinces, demonyms and big cities the other names
  give, and the dateline): whether a reading of the name lies there, or only small places
  abroad bear it ("Christians", a Danish district, in a report about Egypt);
* names that belong to something else: a saint's name in a church's or a school's name
  ("the small church of St. Peter and St. Paul", "St. Mary's High School"), a name
  compounded with a press noun ("the Al-Ahram news outlet"), a plural noun for people
  ("Christians", "Canadians"), names listed before a plural street word ("Lakeview and
  Harrison streets"), a road number ("W.Va. 61").

Spans are cleaned first: a hyphenated article belongs to its name ("al-Shadadi"), and a
bare article ("al-") or punctuation is never a place.

A logistic regression (weights in ``data/toponyms.json``, trained on the development halves
of the news geoparsing corpora by ``tools/train_toponyms.py``) turns them into a
probability; a candidate is a toponym when it reaches the model's threshold.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span

from ..geo.focus import find_dateline
from ..geo.gazetteer import spelling_similarity
from ..geo.normalize import variant_key
from ..geo.sources import DATA_DIR, read_tsv

MODEL_PATH = DATA_DIR / "toponyms.json"
RULER_KEY = "rearguard_places"  # doc.user_data: token spans the gazetteer ruler labelled
VARIANT_KEY = "rearguard_variant_places"  # doc.user_data: runs known only by variant key

#: The Arabic article as English news writes it, hyphened to the name ("al-Ghouta").
ARTICLES = frozenset(
    ["al", "el", "il", "ul", "as", "ash", "es", "ad", "adh", "ar", "er", "at", "ath", "et",
     "az", "ez", "an", "en", "ud"]
)
#: Words that open Arabic, Kurdish and Persian place names ("Khan Tuman", "Tall Abyad").
PLACE_PREFIXES = frozenset(
    ["khan", "tell", "tall", "tal", "tel", "jabal", "jebel", "jabel", "jbel", "ain", "ayn",
     "ein", "kafr", "kfar", "kafar", "deir", "dayr", "dair", "bir", "ras", "umm", "um", "abu",
     "beit", "bayt", "beyt", "marj", "wadi", "rif", "reef", "sheikh", "shaykh", "sheikhan",
     "maarat", "maarrat", "ma'arat", "qasr", "qalaat", "qalat", "tall", "hay", "hayy", "bab",
     "jisr", "ard", "sahl", "nahr", "kani", "gird", "qala", "dasht", "chak", "qaryat",
     "mazraat", "khirbet", "khirbat", "tulul", "arab"]
)

CANDIDATE_LABELS = ("GPE", "LOC", "FAC", "NORP", "PERSON", "ORG")
NOT_NAME_LABELS = frozenset(["DATE", "TIME", "ORDINAL", "CARDINAL", "MONEY", "PERCENT",
                             "QUANTITY", "LAW", "WORK_OF_ART", "LANGUAGE"])
INSIDE_LABELS = ("ORG", "FAC", "PERSON", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW")
PLACE_PREPS = frozenset(
    [
        "in", "near", "outside", "at", "from", "to", "into", "across", "around", "towards",
        "toward", "via", "through", "throughout", "inside", "within", "between", "out", "of",
        "off", "onto", "beyond"
    ]
)
PLACE_NOUNS = frozenset(
    [
        "town", "city", "village", "villages", "towns", "cities", "province", "provinces",
        "district", "districts", "region", "regions", "area", "areas", "state", "states",
        "county", "counties", "capital", "suburb", "suburbs", "neighbourhood", "neighborhood",
        "governorate", "governorates", "country", "countries", "island", "islands", "port",
        "camp", "municipality", "municipalities", "outskirts", "countryside"
    ]
)
ADMIN_AFTER = frozenset(
    [
        "province", "governorate", "district", "county", "state", "region", "city", "town",
        "village", "municipality", "prefecture", "oblast", "canton", "subdistrict", "valley",
        "river", "mountains", "border", "area", "countryside", "outskirts", "suburbs", "camp"
    ]
)
DIRECTIONS = frozenset(
    [
        "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
        "northern", "southern", "eastern", "western", "north-east", "north-west", "south-east",
        "south-west", "km", "kilometres", "kilometers", "miles", "outskirts", "heart", "centre",
        "center"
    ]
)
SPEECH_VERBS = frozenset(
    [
        "said", "says", "told", "added", "stated", "noted", "explained", "asked", "wrote",
        "argued", "claimed", "announced", "insisted"
    ]
)
TAKE_VERBS = (  # stems: the pipeline runs without a lemmatizer
    "attack", "seiz", "captur", "recaptur", "shell", "storm", "enter", "took", "tak", "retak",
    "retook", "liberat", "besieg", "bomb", "struck", "strik", "raid", "hit", "overr", "reach",
    "visit", "left", "leav", "fled", "flee", "evacuat", "surround", "target", "control",
)
FORCE_WORDS = frozenset(
    [
        "forces", "force", "army", "police", "security", "guard", "guards", "brigade",
        "brigades", "militia", "militias", "troops", "command", "battalion", "regiment",
        "corps", "division"
    ]
)
#: Compass and position words: "North Texas" names Texas; "Northwest 8th Avenue" a street.
COMPASS = frozenset(
    [
        "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
        "northern", "southern", "eastern", "western", "central", "upper", "lower", "greater",
        "north-east", "north-west", "south-east", "south-west", "mid", "middle", "inner"
    ]
)
#: Words that end a street or road name ("Northwest Eighth Avenue", "Decatur Boulevard").
STREET_WORDS = frozenset(
    [
        "avenue", "ave", "street", "st", "road", "rd", "boulevard", "blvd", "drive", "dr",
        "lane", "ln", "highway", "hwy", "parkway", "pkwy", "way", "place", "court", "ct",
        "terrace", "circle", "pike", "turnpike", "expressway", "freeway", "route", "trail",
        "square", "plaza"
    ]
)
#: Words that make the name before them a road's: "Wichita Street", "Kanawha Boulevard".
ROAD_WORDS = frozenset(
    ["avenue", "ave", "street", "st", "road", "rd", "boulevard", "blvd", "drive", "dr",
     "lane", "ln", "highway", "hwy", "parkway", "pkwy", "pike", "turnpike", "expressway",
     "freeway", "terrace", "trail"]
)
ROAD_PLURALS = frozenset(["streets", "roads", "avenues", "boulevards", "drives", "lanes"])
#: Words that end the name of a natural feature ("Neches River", "Lake Erie" aside).
NATURAL_WORDS = frozenset(
    [
        "river", "lake", "creek", "bay", "island", "islands", "mountain", "mountains", "hills",
        "valley", "canyon", "sea", "ocean", "gulf", "peninsula", "desert", "forest", "falls",
        "strait", "coast", "plateau", "basin", "delta", "swamp", "bayou", "harbor", "harbour"
    ]
)
#: Words that end the name of a building or institution ("the Webb Center", "Central State
#: Hospital", "the Washington Latin School").
BUILDING_WORDS = frozenset(
    [
        "center", "centre", "hall", "house", "school", "academy", "hospital", "clinic", "jail",
        "prison", "facility", "church", "cathedral", "mosque", "temple", "library", "museum",
        "stadium", "arena", "building", "tower", "mall", "hotel", "airport", "station",
        "university", "college", "institute", "office", "department", "court", "park"
    ]
)
#: Nouns that head the name of a building or an institution. A saint's name that modifies
#: one ("St. Paul's United Brethren Church", "the Saint Peter and Saint Paul Coptic
#: Orthodox Church") or follows it with "of" ("the small church of St. Peter and St.
#: Paul") is a dedication, not the town of Saint Paul.
FACILITY_NOUNS = BUILDING_WORDS | frozenset(
    [
        "chapel", "basilica", "monastery", "abbey", "convent", "shrine", "synagogue",
        "seminary", "parish", "diocese", "mausoleum", "tomb", "cemetery", "memorial",
        "elementary", "auditorium", "gymnasium", "theatre", "theater", "home", "society",
        "association", "foundation", "order", "club", "team", "festival", "day",
    ]
)
#: Nouns for the press. A name compounded with one ("the Al-Ahram news outlet", "The New
#: York Times", "the Miami Herald") names a paper, a broadcaster or an agency.
MEDIA_NOUNS = frozenset(
    [
        "news", "outlet", "outlets", "newspaper", "newspapers", "paper", "daily", "weekly",
        "agency", "channel", "network", "broadcaster", "television", "tv", "radio",
        "website", "site", "magazine", "journal", "times", "post", "herald", "tribune",
        "register", "gazette", "chronicle", "observer", "telegraph", "guardian",
        "independent", "mirror", "express", "examiner", "monitor", "inquirer", "courier",
        "dispatch", "bulletin", "reporter", "press", "globe", "star", "sun", "review",
        "standard", "online", "portal", "wire", "newswire",
    ]
)
#: An abbreviation with periods: "U.S.", "S.C.", "W.Va.", "N.Y." (not "Mr." or "Nov.").
DOTTED_ABBREV = re.compile(r"[A-Z][a-z]?(?:\.[A-Z][a-z]?)+\.?")
#: A town's or state's police names the place it polices ("Gainesville Police Department"),
#: unlike an army or security force ("Iraq Security Forces"), which names its country's side.
POLICE_WORDS = frozenset(["police"])
#: Features that say a name is a person here; one of them on one mention speaks for all.
PERSON_CUES = ("prev=title", "next=person_noun")
UNITS = frozenset(["km", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile"])
FRAME_FEATURES = ("prev=in", "prev=near", "prev=outside", "prev=from", "frame=place_noun_of",
                  "frame=direction_of", "next=admin", "contains_next_place",
                  "contained_after_place", "distance_after")
TITLES = frozenset(
    [
        "mr", "mrs", "ms", "miss", "dr", "president", "minister", "general", "gen", "col",
        "colonel", "sheikh", "imam", "king", "queen", "prince", "sen", "senator", "rep", "gov",
        "governor", "mayor", "pope", "sir", "lady", "lord", "captain", "capt", "lt",
        "lieutenant", "commander", "sgt", "sergeant", "judge", "prof", "professor", "st",
        "saint", "coach", "chief", "officer", "spokesman", "spokeswoman", "director",
        "chairman", "secretary", "ambassador"
    ]
)


@dataclass(frozen=True)
class Candidate:
    """A span that may be a toponym: token offsets, the label of the entity it came with,
    and its source: ``ner``, ``ruler`` (the gazetteer ruler) or ``inside`` (a name the
    gazetteer knows inside a longer entity: "the Georgia School Boards Association")."""

    start: int
    end: int
    label: str
    source: str

    @property
    def ruler(self) -> bool:
        return self.source == "ruler"


# ----------------------------------------------------------------------------- tables


@functools.lru_cache(maxsize=1)
def _names() -> tuple[dict[str, float], dict[str, float]]:
    """(first names, surnames) -> share of people in percent (US census via ``names``)."""
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for name, kind, pct in read_tsv("person_names.tsv"):
        (first if kind == "first" else last)[name.lower()] = float(pct)
    return first, last


@functools.lru_cache(maxsize=1)
def _cues() -> dict[str, str]:
    return {word: kind for word, kind in read_tsv("name_cues.tsv")}


# ---------------------------------------------------------------------------- the model


class ToponymModel:
    """Logistic regression over named binary and scaled features."""

    def __init__(self, weights: dict[str, float], bias: float, threshold: float = 0.5,
                 meta: dict[str, Any] | None = None) -> None:
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self.meta = meta or {}

    def probability(self, features: dict[str, float]) -> float:
        get = self.weights.get
        z = self.bias + sum([get(k, 0.0) * v for k, v in features.items()])
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {"bias": round(self.bias, 6), "threshold": round(self.threshold, 4),
                "weights": {k: round(v, 6) for k, v in sorted(self.weights.items())},
                "meta": self.meta}

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1, sort_keys=True) + "\n",
                              encoding="utf-8")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ToponymModel:
        return cls({k: float(v) for k, v in data["weights"].items()}, float(data["bias"]),
                   float(data.get("threshold", 0.5)), data.get("meta") or {})


@functools.lru_cache(maxsize=2)
def load_model(path: str = str(MODEL_PATH)) -> ToponymModel | None:
    """The shipped model, loaded once; None when the file is absent (rules only)."""
    p = Path(path)
    if not p.is_file():
        return None
    return ToponymModel.from_json(json.loads(p.read_text(encoding="utf-8")))


# ------------------------------------------------------------------------ candidates


def _known(gazetteer: Any, text: str) -> tuple:
    if gazetteer is None:
        return ()
    return tuple(gazetteer.lookup(text, fuzzy=False))


def _variants(gazetteer: Any, text: str) -> tuple:
    """The places a name matches only by transliteration variant (none for all capitals,
    short keys, or without a gazetteer)."""
    if gazetteer is None or text.isupper() or not variant_key(text):
        return ()
    return tuple(c for c in gazetteer.lookup(text, fuzzy=True) if c.match == "variant")


_VARIANT_CACHE: dict[tuple[str, str], bool] = {}


def known_variant_keys(gazetteer: Any, vkeys: Iterable[str]) -> set[str]:
    """The subset of these variant keys (:func:`~rearguard.geo.normalize.variant_key`) that
    name at least one place in the gazetteer's ``variants`` table (read only, cached)."""
    path = str(getattr(gazetteer, "path", ""))
    wanted = {k for k in vkeys if k}
    todo = [k for k in wanted if (path, k) not in _VARIANT_CACHE]
    if todo:
        if len(_VARIANT_CACHE) > 100_000:
            _VARIANT_CACHE.clear()
        found: set[str] = set()
        for i in range(0, len(todo), 500):
            chunk = todo[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(k for (k,) in gazetteer.conn.execute(
                f"SELECT DISTINCT vkey FROM variants WHERE vkey IN ({marks})", chunk))
        for k in todo:
            _VARIANT_CACHE[(path, k)] = k in found
    return {k for k in wanted if _VARIANT_CACHE.get((path, k))}


def _hyphened_article(doc: Doc, i: int) -> bool:
    """``doc[i-2:i]`` is an article hyphened to ``doc[i]``: the "al-" of "al-Ghouta"."""
    return (i >= 2 and doc[i - 1].text in ("-", "‐") and doc[i - 2].lower_ in ARTICLES
            and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_
            and (i < 3 or bool(doc[i - 3].whitespace_) or doc[i - 3].is_punct))


def clean_span(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The name in ``doc[start:end]``: without leading or trailing punctuation or a
    dangling article, with the hyphened article before it ("al-Shadadi"); None when no
    word is left ("al-", "-")."""
    while start < end and doc[start].is_punct:
        start += 1
    while end > start and (doc[end - 1].is_punct or (
            doc[end - 1].lower_ in ARTICLES and end - start > 1
            and (not doc[end - 1].whitespace_ or doc[end - 2].lower_ in ARTICLES))):
        end -= 1
    words = [t for t in doc[start:end] if t.lower_ not in ARTICLES
             and sum(ch.isalpha() for ch in t.text) >= 2]
    if not words:
        return None
    if _hyphened_article(doc, start):
        start -= 2
    return start, end


def candidates(doc: Doc, gazetteer: Any, *, demonyms: bool = True) -> list[Candidate]:
    """Every span that may be a toponym (see the module docstring), in text order."""
    ruler = {tuple(s) for s in doc.user_data.get(RULER_KEY, ())}
    out: list[Candidate] = []
    for ent in doc.ents:
        label = ent.label_
        cleaned = clean_span(doc, ent.start, ent.end)
        if cleaned is None:
            continue
        start, end = cleaned
        text = doc[start:end].text
        whole = label in CANDIDATE_LABELS and (
            label in ("GPE", "LOC", "FAC")
            or ((label != "NORP" or demonyms) and bool(_known(gazetteer, text)))
        )
        if whole:
            source = "ruler" if (ent.start, ent.end) in ruler else "ner"
            out.append(Candidate(start, end, label, source))
        elif label in ("PERSON", "ORG") and end - start <= 3 and _place_frame(doc, start, end):
            # "Cairo's Shubra district", "the villages of Foua": the frame is the evidence
            out.append(Candidate(start, end, label, "framed"))
        elif (len(ent) > 1 and label in INSIDE_LABELS and gazetteer is not None
              and not any(t.lower_ in FORCE_WORDS - POLICE_WORDS for t in ent)):
            # "Iraq Security Forces" names a force, not a place of the events it is in
            out += [Candidate(s, e, label, "inside") for s, e in _inner_names(ent, gazetteer)]
    return _add_variant_runs(doc, _no_overlaps(out))


def _no_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Cleaning may make two spans meet ("al-" taken into "al-Ghouta"): keep the first."""
    out: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (c.start, -c.end)):
        if not out or c.start >= out[-1].end:
            out.append(c)
    return out


def _add_variant_runs(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """The ruler's runs known only by transliteration variant ("Menbej", "Khan Toman") as
    candidates of their own (source ``variant``, labelled as the entity that covers them),
    in place of any smaller candidate inside them; a run that cuts across a candidate is
    left out."""
    runs = doc.user_data.get(VARIANT_KEY) or ()
    if not runs:
        return cands
    ents = tuple(doc.ents)
    labels = {(e.start, e.end): e.label_ for e in ents}
    cover = {i: e.label_ for e in ents for i in range(e.start, e.end)}
    for start, end in runs:
        if any(c.start < end and start < c.end and not (start <= c.start and c.end <= end)
               for c in cands):
            continue  # the same span, or one across it, is a candidate already
        if any((c.start, c.end) == (start, end) for c in cands):
            continue
        cands = [c for c in cands if not (start <= c.start and c.end <= end)]
        label = labels.get((start, end)) or cover.get(start) or cover.get(end - 1) or ""
        if label in NOT_NAME_LABELS:
            continue  # a date, a number, a law: not a name of anything
        cands.append(Candidate(start, end, label, "variant"))
    return sorted(cands, key=lambda c: c.start)


def _place_frame(doc: Doc, start: int, end: int) -> bool:
    """An admin word right after the span, or "the town/villages of" right before it."""
    if end < len(doc) and doc[end].lower_ in ADMIN_AFTER and doc[end].is_lower:
        return True
    return (start > 1 and doc[start - 1].lower_ == "of"
            and doc[start - 2].lower_ in PLACE_NOUNS)


def _name_token(token: Any) -> bool:
    return ((token.text[:1].isupper() and token.is_alpha) or token.text in ("St.", "Ft.", "Mt.")
            or bool(DOTTED_ABBREV.fullmatch(token.text)))


def _inner_names(ent: Span, gazetteer: Any) -> list[tuple[int, int]]:
    """Leftmost-longest runs of capitalised words inside ``ent`` that name a place the
    gazetteer knows (with or without a trailing admin word: "Clarke County")."""
    found: list[tuple[int, int]] = []
    i = ent.start
    doc = ent.doc
    while i < ent.end:
        if not _name_token(doc[i]) or doc[i].text in _cues():
            i += 1
            continue
        stop = i
        while stop < ent.end and stop - i < 4 and _name_token(doc[stop]):
            stop += 1
        for j in range(stop, i, -1):
            if (i, j) == (ent.start, ent.end):
                continue
            text = doc[i:j].text
            if _known(gazetteer, text) or (
                j - i > 1 and doc[j - 1].lower_ in ADMIN_AFTER
                and _known(gazetteer, doc[i : j - 1].text)
            ):
                found.append((i, j))
                i = j
                break
        else:
            i += 1
    return found


# -------------------------------------------------------------------------- features


@dataclass
class _DocFacts:
    """What the whole article says about names: persons, their surnames and first names,
    organisations, lowercase words."""

    person_texts: set[str]
    surnames: set[str]
    person_firsts: set[str]
    org_texts: set[str]
    lower_words: set[str]
    ner_places: set[str]
    mentions: dict[str, int]
    ents: tuple[Span, ...]  # doc.ents, which spaCy rebuilds on every access
    acronyms: dict[str, str]  # short form -> the phrase the text gives it for


def _doc_facts(doc: Doc) -> _DocFacts:
    ents = tuple(doc.ents)
    persons = [e for e in ents if e.label_ == "PERSON"]
    ruler = {tuple(s) for s in doc.user_data.get(RULER_KEY, ())}
    return _DocFacts(
        person_texts={e.text for e in persons},
        surnames={e[-1].text for e in persons if len(e) > 1},
        person_firsts={e[0].text for e in persons if len(e) > 1},
        org_texts={e.text for e in ents if e.label_ == "ORG"},
        lower_words={t.text for t in doc if t.is_lower and t.is_alpha},
        ner_places={e.text for e in ents if e.label_ in ("GPE", "LOC")
                    and (e.start, e.end) not in ruler},
        mentions=dict(Counter(e.text for e in ents)),
        acronyms=_defined_acronyms(doc),
        ents=ents,
    )


#: Short words an acronym skips: "Council of Europe" (CoE), "Bureau of Investigation".
ACRONYM_SKIP = frozenset(["of", "and", "the", "for", "on", "&", "in", "de"])


def _defined_acronyms(doc: Doc) -> dict[str, str]:
    """The acronyms the text defines, with their phrases: "the Commemorative Air Force
    (CAF)", "The Neighborhood Improvement Coordination Effort, or NICE" -> {"CAF":
    "Commemorative Air Force", "NICE": "Neighborhood Improvement Coordination Effort"}.
    The phrase's words (short words such as "of" aside) must begin with its letters."""
    out: dict[str, str] = {}
    flags = doc.to_array(["IS_UPPER", "IS_ALPHA", "LENGTH"])  # in C, not 1,000 Tokens
    if not len(flags):
        return out
    upper = (flags[:, 0] == 1) & (flags[:, 1] == 1) & (flags[:, 2] >= 2) & (flags[:, 2] <= 6)
    for i in upper.nonzero()[0].tolist():
        text = doc[i].text
        if i < 3:
            continue
        if doc[i - 1].text == "(" and i + 1 < len(doc) and doc[i + 1].text == ")":
            end = i - 1
        elif doc[i - 1].lower_ == "or" and doc[i - 2].text == ",":
            end = i - 2
        else:
            continue
        letters, j = list(text.lower()), end - 1
        while letters and j >= 0:
            word = doc[j]
            if word.lower_ in ACRONYM_SKIP and j < end - 1:
                j -= 1
                continue
            if not word.is_alpha or word.lower_[:1] != letters[-1]:
                break
            letters.pop()
            j -= 1
        if not letters:
            out.setdefault(text, doc[j + 1 : end].text)
    return out


def _reading_kind(c: Any) -> str:
    """The kind of a gazetteer reading: country, admin1, admin2, region, city sizes..."""
    if c.is_country:
        return "country"
    code = c.feature_code
    if code in ("CONT", "RGN", "OCN", "SEA", "GULF") or (
        c.feature_class in ("L", "H") and not c.country_code
    ):
        return "region"
    if code == "ADM1":
        return "admin1"
    if c.feature_class == "A":
        return "admin2"
    if c.feature_class == "P":
        pop = c.population
        if pop >= 1_000_000:
            return "city_1m"
        if pop >= 100_000:
            return "city_100k"
        if pop >= 10_000:
            return "town_10k"
        if pop > 0:
            return "village_pop"
        return "village"
    return f"class_{c.feature_class or 'x'}"


def _bucket(n: int, edges: Iterable[int]) -> str:
    label = "0"
    for edge in edges:
        if n >= edge:
            label = f"{edge}+"
    return label


def features(doc: Doc, cand: Candidate, gazetteer: Any, facts: _DocFacts | None = None
             ) -> dict[str, float]:
    """The evidence for and against one candidate, as named features (mostly 0/1)."""
    facts = facts or _doc_facts(doc)
    span = doc[cand.start : cand.end]
    text = span.text
    first_tok, last_tok = doc[cand.start], doc[cand.end - 1]
    f: dict[str, float] = {}
    if cand.source == "variant":
        # what the NER made of the run, in four groups
        group = ("GPE" if cand.label in ("GPE", "LOC", "FAC") else
                 cand.label if cand.label in ("PERSON", "ORG", "NORP") else "none")
        f["src=variant"] = 1.0
        f[f"src=variant_{group}"] = 1.0
    else:
        f["src=" + ("ruler" if cand.ruler else f"{cand.source}_{cand.label}")] = 1.0
    if first_tok.lower_ in PLACE_PREFIXES and cand.end - cand.start > 1:
        f["place_prefix"] = 1.0
    if cand.source == "inside":
        ent = next(e for e in facts.ents if e.start <= cand.start and cand.end <= e.end)
        f["inside_at_start" if cand.start == ent.start else "inside_later"] = 1.0
        if cand.start == ent.start + 1 and doc[ent.start].lower_ == "the":
            f["inside_after_the"] = 1.0
        if cand.end == ent.end:
            f["inside_at_end"] = 1.0
        if doc[ent.end - 1].lower_ in BUILDING_WORDS:
            f["inside_building"] = 1.0
        if any(t.lower_ in POLICE_WORDS for t in ent):
            f["inside_police"] = 1.0
    n = cand.end - cand.start
    f[f"ntok={min(n, 3)}"] = 1.0
    low0 = first_tok.lower_
    if n > 1 and last_tok.lower_ in NATURAL_WORDS:
        f["natural_word_end"] = 1.0
    elif n > 1 and last_tok.lower_ in BUILDING_WORDS:
        f["building_word_end"] = 1.0
    elif n > 1 and last_tok.lower_.rstrip(".") in STREET_WORDS:
        f["street_word_end"] = 1.0
    if n == 1 and first_tok.lower_ in COMPASS:
        f["compass_word"] = 1.0
    if DOTTED_ABBREV.fullmatch(last_tok.text) and (n == 1 or (n == 2 and low0 == "the")):
        f["dotted_abbrev"] = 1.0

    # gazetteer
    found = _known(gazetteer, text)
    if not found and n > 1 and last_tok.lower_ in ADMIN_AFTER:
        if _hyphened_word(doc, cand.end - 1):
            # "Tri-State", "K-State": one compound word (a racetrack, a university), not
            # the state of a place called "Tri" or "K"
            f["admin_hyphened"] = 1.0
        else:
            found = _known(gazetteer, doc[cand.start : cand.end - 1].text)
            f["admin_word_inside"] = 1.0
    if not found and n > 1 and first_tok.lower_ in COMPASS:
        # "North Texas", "East Texas": a part of a place the gazetteer knows
        found = _known(gazetteer, doc[cand.start + 1 : cand.end].text)
        f["compass_inside"] = 1.0
    if found:
        best = found[0]
        kinds = {_reading_kind(c) for c in found}
        f[f"gaz_best={_reading_kind(best)}"] = 1.0
        for k in ("country", "admin1", "city_1m", "city_100k", "region"):
            if k in kinds:
                f[f"gaz_has={k}"] = 1.0
        if any(c.match == "demonym" for c in found):
            f["gaz_has=demonym"] = 1.0
            if n == 1 and text.endswith("s") and not text.endswith("ss"):
                f["plural_noun"] = 1.0  # "Iraqis", "Afghans": no singular demonym ends so
        f[f"gaz_n={_bucket(len(found), (1, 2, 5, 20))}"] = 1.0
        f[f"gaz_match={best.match}"] = 1.0
        if best.match == "abbr" and (cand.start == 0 or doc[cand.start - 1].text != ","):
            f["abbr_no_comma"] = 1.0  # "the PA", not "Pittsburgh, PA"
        f["gaz_logpop"] = math.log10(1 + max(c.population for c in found)) / 7.0
    elif (variants := _variants(gazetteer, text)):
        # known only under another transliteration: weaker, and weaker still when the
        # variant key is shared by many places
        best = variants[0]
        f["gaz_variant_only"] = 1.0
        f[f"var_best={_reading_kind(best)}"] = 1.0
        f[f"var_n={_bucket(len(variants), (1, 2, 5, 20))}"] = 1.0
        f["var_similarity"] = spelling_similarity(text, best.name)
        f["var_logpop"] = math.log10(1 + max(c.population for c in variants)) / 7.0
    else:
        f["gaz_unknown"] = 1.0

    # the words before
    prev = doc[cand.start - 1] if cand.start > 0 else None
    prev2 = doc[cand.start - 2] if cand.start > 1 else None
    if prev is not None:
        pl = prev.lower_
        if pl in PLACE_PREPS:
            f[f"prev={pl}" if pl in ("in", "near", "outside", "from", "to", "at") else
              "prev=place_prep"] = 1.0
        elif pl in ("the", "a", "an"):
            f["prev=det"] = 1.0
        elif pl == ",":
            f["prev=comma"] = 1.0
            if prev2 is not None and prev2.ent_type_ in ("GPE", "LOC"):
                f["contained_after_place"] = 1.0
        elif pl == "of":
            if prev2 is not None and prev2.lower_ in PLACE_NOUNS:
                f["frame=place_noun_of"] = 1.0
            elif prev2 is not None and prev2.lower_ in DIRECTIONS:
                f["frame=direction_of"] = 1.0
            else:
                f["prev=of"] = 1.0
        elif pl == "&":
            f["amp_around"] = 1.0  # "Stevens & Wilkinson": a firm
        elif pl in ("-", "‐") and prev2 is not None and len(prev2.text) == 1 \
                and prev2.text.isupper() and not prev.whitespace_:
            f["party_tag"] = 1.0  # "D-S.C.", "R-London": a legislator's home
        elif pl in ("and", "or"):
            f["prev=and"] = 1.0
            if prev2 is not None and prev2.ent_type_ in ("GPE", "LOC"):
                f["list_after_place"] = 1.0
        elif pl.rstrip(".") in TITLES:
            f["prev=title"] = 1.0
        elif prev.like_num:
            f["prev=number"] = 1.0
        elif prev.is_punct:
            f["prev=punct"] = 1.0
        elif prev.pos_ == "VERB":
            f["prev=verb"] = 1.0
        elif prev.pos_ == "ADJ":
            f["prev=adj"] = 1.0
        if pl in ("the", "a") and prev2 is not None and prev2.lower_ in PLACE_PREPS:
            f["frame=prep_the"] = 1.0
    else:
        f["prev=none"] = 1.0

    # the words after
    nxt = doc[cand.end] if cand.end < len(doc) else None
    nxt2 = doc[cand.end + 1] if cand.end + 1 < len(doc) else None
    cues = _cues()
    if nxt is not None:
        nl = nxt.lower_
        if nl in ADMIN_AFTER:
            f["next=admin"] = 1.0
        elif nl in ("'s", "’s", "'"):
            f["next=possessive"] = 1.0
        elif nl in SPEECH_VERBS:
            f["next=said"] = 1.0
        elif nl == ",":
            f["next=comma"] = 1.0
            if nxt2 is not None and nxt2.ent_type_ in ("GPE", "LOC") and nxt2.text[:1].isupper():
                f["contains_next_place"] = 1.0
            elif nxt2 is not None and nxt2.like_num:
                f["next=comma_number"] = 1.0
            elif nxt2 is not None and nxt2.lower_ in SPEECH_VERBS:
                f["next=said"] = 1.0
        elif nl == "(":
            f["next=paren"] = 1.0
        elif nl in (".", "!", "?", ";", ":"):
            f["next=stop"] = 1.0
        elif nl in ("and", "or"):
            f["next=and"] = 1.0
        elif nxt.pos_ == "VERB" or nxt.pos_ == "AUX":
            f["next=verb"] = 1.0
        elif nxt.pos_ == "NOUN":
            f["next=noun"] = 1.0
            if cues.get(nl) == "weapon":
                f["next=weapon"] = 1.0
        elif nxt.pos_ == "PROPN":
            f["next=propn"] = 1.0
        if cues.get(nxt.text) == "org_word":
            f["next=org_word"] = 1.0
        if nl == "&":
            f["amp_around"] = 1.0
        if nxt.like_num or (nl == "." and not last_tok.whitespace_ and nxt2 is not None
                            and nxt2.like_num):
            f["next=number"] = 1.0  # "U.S. 321", "Kentucky 192", "W.Va. 61": a road
        if nl.rstrip(".") in ROAD_WORDS and nxt.text[:1].isupper():
            f["next=street_word"] = 1.0  # "Wichita Street", "Kanawha Boulevard"
        elif _streets_after(doc, cand.end):
            f["street_list"] = 1.0  # "between Clairmont and North Druid Hills roads"
        if cues.get(nxt.text) == "product" or cues.get(nl) == "product":
            f["next=product"] = 1.0  # "a Toyota Camry"
        if cues.get(nl) == "person_noun":
            f["next=person_noun"] = 1.0  # "Lincoln portrayer", "Abbas's aides"
        elif nl in ("'s", "’s") and nxt2 is not None and cues.get(nxt2.lower_) == "person_noun":
            f["next=person_noun"] = 1.0
        if _street_after(doc, cand.end):
            f["street_frame"] = 1.0  # "Northwest Eighth Avenue", "Northwest 34th Street"
        if nxt.pos_ == "PROPN" and nxt.ent_type_ in ("PERSON", ""):
            f["next=name_word"] = 1.0
    else:
        f["next=none"] = 1.0

    # syntax
    root = span.root
    if root.dep_ == "compound" and root.head.pos_ == "NOUN":
        f["compound_of_noun"] = 1.0
    elif root.dep_ in ("nsubj", "nsubjpass"):
        f["dep=subj"] = 1.0
        if root.head.lower_ in SPEECH_VERBS:
            f["subj_of_say"] = 1.0
    elif root.dep_ == "pobj":
        f["dep=pobj"] = 1.0
        if root.head.lower_ in PLACE_PREPS:
            f["pobj_of_place_prep"] = 1.0
    elif root.dep_ == "poss":
        f["dep=poss"] = 1.0
    elif root.dep_ in ("dobj", "appos", "conj", "npadvmod", "amod"):
        f[f"dep={root.dep_}"] = 1.0
    if root.dep_ == "conj" and _place_frame(doc, root.head.i, root.head.i + 1):
        f["conj_of_framed"] = 1.0
    if root.dep_ in ("dobj", "nsubjpass") and root.head.lower_.startswith(TAKE_VERBS):
        f["obj_of_take_verb"] = 1.0
    after = doc[cand.end : min(cand.end + 6, len(doc))]
    if any(t.like_num and i + 1 < len(after) and after[i + 1].lower_ in UNITS
           for i, t in enumerate(after)):
        f["distance_after"] = 1.0
    # the noun the name belongs to: a building's or a paper's name, or "church of X"
    if root.dep_ == "compound":
        head = _governor(doc, cand.start, cand.end)
        if head is not None and head.lower_ in MEDIA_NOUNS:
            f["media_name"] = 1.0  # "the Al-Ahram news outlet", "The New York Times"
    if (n == 2 and low0.rstrip(".") in ("st", "saint", "ste", "sainte")
            and last_tok.lower_ in _names()[0]):
        # "St. Peter", "St. Mary": a saint, and in "the church of St. Peter", "St. Mary's
        # High School" or "St. Paul's United Brethren Church" a dedication, not the town
        # ("the University of Cincinnati" names its town: "of" alone is no evidence)
        head = _governor(doc, cand.start, cand.end)
        owner = _of_owner(doc, cand.start, cand.end)
        nxt0 = doc[cand.end] if cand.end < len(doc) else None
        if (head is not None and head.lower_ in FACILITY_NOUNS) or (
                owner is not None and owner.lower_ in FACILITY_NOUNS) or (
                nxt0 is not None and nxt0.lower_ in ("'s", "’s")):
            f["saint_in_name"] = 1.0

    # person evidence
    first_names, surnames = _names()
    low = first_tok.lower_
    if low in first_names:
        f["first_name"] = 1.0
        f["first_name_pct"] = min(first_names[low], 3.0) / 3.0
    if n == 1 and low in surnames:
        f["surname_common"] = 1.0
    if n > 1 and last_tok.lower_ in surnames and low in first_names:
        f["full_person_name"] = 1.0
    if n == 1 and text in facts.surnames:
        f["surname_of_person"] = 1.0
    if n == 1 and text in facts.person_firsts:
        f["first_of_person"] = 1.0
    if text in facts.person_texts and cand.label != "PERSON":
        f["person_elsewhere"] = 1.0
    if text in facts.org_texts and cand.label != "ORG":
        f["org_elsewhere"] = 1.0
    if text in facts.ner_places and (cand.ruler or cand.label not in ("GPE", "LOC")):
        f["ner_place_elsewhere"] = 1.0
    if facts.mentions.get(text, 0) > 1:
        f["repeated"] = 1.0

    # other kinds of names
    kind = cues.get(text) or cues.get(first_tok.text.rstrip("."))
    if kind in ("agency", "month", "product"):
        f[f"cue={kind}"] = 1.0
    if any(cues.get(t.text) == "agency" for t in span):
        f["has_agency"] = 1.0
    if nxt is not None and nxt.text == "." and n == 1 and len(text) <= 4:
        f["abbrev_dot"] = 1.0
    if text.endswith(".") and n == 1:
        f["abbrev_dot"] = 1.0
    letters = [ch for ch in text if ch.isalpha()]
    if text in facts.acronyms:
        # the text gives the phrase it stands for: "the Commemorative Air Force (CAF)" is
        # no place, "the Federally Administered Tribal Areas (FATA)" is
        phrase = facts.acronyms[text]
        f["acronym_of_place" if _known(gazetteer, phrase) else "acronym_defined"] = 1.0
    if letters and all(ch.isupper() for ch in letters):
        f["all_caps"] = 1.0
        if len(letters) <= 4:
            f["acronym"] = 1.0
    if first_tok.is_sent_start:
        f["sent_start"] = 1.0
    if n == 1 and first_tok.lower_ in facts.lower_words:
        f["lower_in_doc"] = 1.0
    if n == 1 and first_tok.is_stop:
        f["stopword"] = 1.0
    if n == 1 and first_tok.pos_ in ("NOUN", "ADJ", "VERB"):
        f["pos_common"] = 1.0
    if cand.label == "NORP":
        f["norp_plural"] = 1.0 if text.endswith("s") else 0.0
    if _plural(last_tok):
        # "Christians", "Copts", "Canadians": people, not the place
        f["plural_noun"] = 1.0
    return f


def _hyphened_word(doc: Doc, i: int) -> bool:
    """``doc[i]`` is joined to the word before it by a hyphen, spaces on neither side."""
    return (i >= 2 and doc[i - 1].text in ("-", "‐") and not doc[i - 1].whitespace_
            and not doc[i - 2].whitespace_)


def _plural(tok: Any) -> bool:
    """A plural noun: "Christians", "Cubans" (not "Texas", "Paris", "Athens")."""
    low = tok.lower_
    return (tok.tag_ in ("NNS", "NNPS") and len(low) > 3 and low.endswith("s")
            and not low.endswith(("ss", "us", "is")))


def _governor(doc: Doc, start: int, end: int) -> Any:
    """The noun a name modifies, when it modifies one: up the compound, possessive and
    modifier links, and through a conjunction ("the Saint Peter and Saint Paul Coptic
    Orthodox Church" -> Church; "the Al-Ahram news outlet" -> outlet); None otherwise."""
    tok = doc[start:end].root
    for _ in range(6):
        if tok.dep_ == "conj" and tok.head.i < tok.i:
            tok = tok.head
            continue
        if tok.dep_ in ("compound", "poss", "nmod", "amod") and tok.head.i > tok.i:
            tok = tok.head
            if tok.i >= end and tok.pos_ in ("NOUN", "PROPN") and tok.dep_ not in (
                    "compound", "poss", "nmod", "amod"):
                return tok
            continue
        break
    # "the Saint Peter and Saint Paul Coptic Orthodox Church": the name is the first
    # conjunct, and the building noun heads the second
    for child in tok.children:
        if (child.dep_ == "conj" and child.i >= end and child.pos_ in ("NOUN", "PROPN")
                and child.lower_ in FACILITY_NOUNS | MEDIA_NOUNS):
            return child
    return None


def _of_owner(doc: Doc, start: int, end: int) -> Any:
    """The noun whose "of" or "for" phrase the name is: "church" in "the small church of
    St. Peter and St. Paul", "Council" in "the Council of Europe"; None otherwise."""
    tok = doc[start:end].root
    for _ in range(4):
        if tok.dep_ == "conj" and tok.head.i < tok.i:
            tok = tok.head
        else:
            break
    if tok.dep_ == "pobj" and tok.head.lower_ in ("of", "for") and tok.head.head.i < tok.i:
        owner = tok.head.head
        return owner if owner.pos_ in ("NOUN", "PROPN") else None
    return None


ORDINAL_WORDS = frozenset(
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
     "tenth", "eleventh", "twelfth"]
)


def _streets_after(doc: Doc, end: int) -> bool:
    """Names listed before a plural street word: "Lakeview and Harrison streets",
    "Crabgrass, Owens and Harris roads"."""
    for i in range(end, min(end + 6, len(doc))):
        tok = doc[i]
        if tok.lower_ in ROAD_PLURALS:
            return i > end or tok.is_lower
        if not (tok.lower_ in ("and", ",") or tok.text[:1].isupper()):
            return False
    return False


def _street_after(doc: Doc, end: int) -> bool:
    """A street name follows: up to two ordinals, numbers or capitalised words, then a
    street word ("... Eighth Avenue", "... 34th Street", "... Main St.")."""
    for i in range(end, min(end + 3, len(doc))):
        tok = doc[i]
        low = tok.lower_.rstrip(".")
        if i > end and low in STREET_WORDS:
            return True
        if not (tok.like_num or low in ORDINAL_WORDS or low[:-2].isdigit()
                or tok.text[:1].isupper()):
            return False
    return False


def score_candidates(doc: Doc, gazetteer: Any, *, demonyms: bool = True
                     ) -> list[tuple[Candidate, dict[str, float]]]:
    """Candidates with their features (used by training and by :func:`select`)."""
    facts = _doc_facts(doc)
    scored = [(c, features(doc, c, gazetteer, facts))
              for c in candidates(doc, gazetteer, demonyms=demonyms)]
    # One sense per article: a place frame around one mention speaks for the others
    framed = {doc[c.start : c.end].text for c, f in scored
              if any(k in f for k in FRAME_FEATURES)}
    # ... and so does person evidence ("Lincoln portrayer", "Lincoln said")
    personal = {doc[c.start : c.end].text for c, f in scored
                if c.end - c.start == 1 and any(k in f for k in PERSON_CUES)}
    _focus_features(doc, gazetteer, scored)
    for c, f in scored:
        text = doc[c.start : c.end].text
        if text in framed:
            f["frame_in_article"] = 1.0
        if text in personal:
            f["person_in_article"] = 1.0
    return scored


#: The article's focus as the toponym model sees it, before anything is resolved (the
#: resolver's own, in rearguard/geo/resolve.py, is finer): the weight of a country, a
#: province or a demonym named, and of the dateline; a country with this share of the
#: evidence is in focus.
FOCUS_WEIGHTS = {"country": 1.0, "demonym": 0.5, "province": 0.5, "city": 0.25,
                 "dateline": 1.5}
FOCUS_SHARE = 0.15
_MAJOR_KINDS = frozenset(["country", "admin1", "region", "city_100k", "city_1m"])


def _focus_kind(text: str, found: tuple) -> tuple[str, str] | None:
    """What a name says about the article's countries: (kind, country) or None (a
    country, a demonym, a province, or a city of 100,000 people by its own name)."""
    for c in found:
        if c.is_country and c.match in ("name", "alt"):
            return "country", c.country_code
    for c in found:
        if c.is_country and c.match == "demonym":
            return "demonym", c.country_code
    best = found[0]
    if best.feature_code == "ADM1" and best.match in ("name", "alt") and best.country_code:
        return "province", best.country_code
    if (best.feature_class == "P" and best.population >= 100_000 and best.match == "name"
            and not text.isupper()):
        return "city", best.country_code  # "Arlington" in a local paper (not "NICE")
    return None


def _focus_features(doc: Doc, gazetteer: Any,
                    scored: list[tuple[Candidate, dict[str, float]]]) -> None:
    """Whether any reading of a name lies in the article's focus (the countries, provinces
    and demonyms the other names give, and the dateline): "Haram" or "Christians", read
    only as a small district abroad in a report about Egypt, has no evidence of being a
    place. A name is no evidence for itself."""
    if gazetteer is None:
        return
    evidence: dict[str, float] = defaultdict(float)
    own: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    per_kind: dict[tuple[str, str], float] = defaultdict(float)
    readings: dict[int, tuple] = {}
    texts = [doc[c.start : c.end].text for c, _ in scored]
    for i, (c, _) in enumerate(scored):
        if c.source in ("inside", "variant"):
            continue
        text = texts[i]
        found = _known(gazetteer, text)
        readings[i] = found
        said = _focus_kind(text, found) if found else None
        if said is None:
            continue
        weight = FOCUS_WEIGHTS[said[0]]
        if per_kind[said] >= 3 * weight:
            continue  # one country named ten times is not ten times the evidence
        per_kind[said] += weight
        evidence[said[1]] += weight
        own[text][said[1]] += weight
    top = doc[: min(len(doc), 200)].text  # a dateline is near the top (doc.text is slow)
    dateline = find_dateline(top)
    if dateline is not None:
        found = _known(gazetteer, top[dateline[0] : dateline[1]].strip())
        if found and found[0].country_code:
            evidence[found[0].country_code] += FOCUS_WEIGHTS["dateline"]
    for i, (_, f) in enumerate(scored):
        # a demonym's country is not a reading of the name: "Canadians" are people
        found = tuple(r for r in readings.get(i) or () if r.match != "demonym")
        if not found:
            continue
        mine = own.get(texts[i], {})
        rest = {cc: w - mine.get(cc, 0.0) for cc, w in evidence.items()}
        total = sum(w for w in rest.values() if w > 0)
        if total <= 0:
            f["focus_none"] = 1.0
            continue
        focus = {cc for cc, w in rest.items() if w / total >= FOCUS_SHARE}
        if any(r.country_code in focus or r.is_country or not r.country_code for r in found):
            f["focus_reading"] = 1.0
        elif not {_reading_kind(r) for r in found} & _MAJOR_KINDS:
            f["focus_abroad_minor"] = 1.0  # only small places abroad bear the name
        else:
            f["focus_abroad"] = 1.0


def select(doc: Doc, gazetteer: Any, *, demonyms: bool = True,
           model: ToponymModel | None = None) -> list[Span]:
    """The candidates the model calls toponyms, as spans of ``doc`` (entity spans where the
    entity is one; PERSON and ORG entities taken as places come back labelled GPE)."""
    model = model or load_model()
    by_start = {(e.start, e.end): e for e in doc.ents}
    cased = is_cased(doc)
    out: list[Span] = []
    for cand, feats in score_candidates(doc, gazetteer, demonyms=demonyms):
        if cased and not any(ch.isupper() for ch in doc[cand.start:cand.end].text):
            # English writes place names with a capital: in a cased text, "canton" ("in
            # Zamoran canton") is a common noun, not Canton (none of the 5,035 gold
            # toponyms of the four news corpora is written in lower case)
            continue
        if demonyms and is_demonym(cand, feats):
            keep = True  # a demonym names its country when demonyms are asked for
        elif model is not None:
            keep = model.probability(feats) >= model.threshold
        else:
            keep = cand.source != "inside" and cand.label in ("GPE", "LOC", "NORP")
        if not keep:
            continue
        out.append(trimmed_span(doc, cand, by_start.get((cand.start, cand.end))))
    if gazetteer is not None:
        taken = {i for span in out for i in range(span.start, span.end)}
        out += [s for s in capital_spans(doc) if s.start not in taken]
        out.sort(key=lambda s: s.start)
    return out


#: A word after "the capital" that says the city is named: "the capital of Iraq".
_CAPITAL_NOT_BEFORE = frozenset(["of"])


def capital_spans(doc: Doc) -> list[Span]:
    """"the capital" where the text does not name the city ("shells target the capital",
    "clashes south of the capital"): the capital of the country the article is about,
    which the resolver reads from the article's focus. Not when the city is named beside
    it ("the capital Damascus", "the capital, Kabul", "the capital of Iraq"), nor as a
    modifier ("the capital markets", "capital punishment")."""
    found = []
    for tok in doc:
        if tok.text != "capital" or tok.i == 0 or doc[tok.i - 1].lower_ != "the":
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        after = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
        if nxt is not None and (
                nxt.lower_ in _CAPITAL_NOT_BEFORE or nxt.text[:1].isupper()
                or (nxt.text == "," and after is not None and after.text[:1].isupper()
                    and after.pos_ == "PROPN")
                or (nxt.pos_ in ("NOUN", "PROPN", "ADJ") and nxt.lower_ != "city")):
            continue
        found.append(Span(doc, tok.i, tok.i + 1, label="GPE"))
    return found


def is_cased(doc: Doc) -> bool:
    """Whether ``doc`` writes names with capitals: a word inside a sentence begins with
    one. A text in lower case only (a transcript, a lower-cased corpus) is not."""
    return any(t.text[:1].isupper() and not t.is_sent_start for t in doc)


def is_demonym(cand: Candidate, feats: dict[str, float]) -> bool:
    """A known demonym ("Iraqi", "Kurdish"): a name the gazetteer knows as a country's or
    a region's demonym, used as an adjective. A plural names people ("Canadians",
    "Cubans"), and a NORP the gazetteer knows only as a place's name ("Christians", a
    Danish district) is no demonym: the model weighs both."""
    return (cand.source not in ("inside", "variant") and "gaz_has=demonym" in feats
            and "plural_noun" not in feats)


def trimmed_span(doc: Doc, cand: Candidate, ent: Span | None) -> Span:
    """The candidate's span without a leading "the" or a trailing possessive; an entity
    the NER called a person or organisation comes back labelled GPE."""
    start, end = cand.start, cand.end
    if end - start > 1 and doc[start].lower_ == "the":
        start += 1
    if end - start > 1 and doc[end - 1].lower_ in ("'s", "’s", "'"):
        end -= 1
    label = cand.label if cand.label in ("GPE", "LOC", "FAC", "NORP") else "GPE"
    if ent is not None and (start, end) == (ent.start, ent.end) and ent.label_ == label:
        return ent
    return Span(doc, start, end, label=label)
