"""Toponym resolution: choose, for every place mention, the gazetteer entry it refers to.

The resolver reads the whole article. Each candidate gets a score that adds up

* a prior: population (log scale), feature type (countries, provinces and regions are what
  a bare country or province name means; districts lose to the town they are named after)
  and how the name matched (primary, alternate, abbreviation, transliteration variant);
* the article's countries: the share of the other mentions that can lie in the candidate's
  country, weighted by how likely each of their readings is;
* stated containment: "Shirqat in Salahuddin province", "Springfield, Ill.";
* stated distances: "over 100 kilometres from Mosul" favours readings ~100 km from Mosul;
* proximity to the readings chosen for the other places of the article (two rounds).

Every mention of the same name (and admin hint) in one article gets one reading.
The weights are set by hand on the development halves; ``docs/geocoding.md`` has the scores.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from ..types import (
    PRECISION_NEAR,
    PRECISION_REGION,
    PRECISION_TOWN,
    Candidate,
    Focus,
    Geocoded,
    Place,
)
from .distance import destination, haversine_km, in_admin_area, initial_bearing
from .focus import find_dateline, source_country
from .gazetteer import Gazetteer, spelling_similarity
from .normalize import fold, name_key

_ADMIN_SUFFIX = re.compile(
    r"\s+(province|governorate|district|county|state|region|oblast|prefecture|municipality|"
    r"department|parish|emirate|division)$",
    re.I,
)
_ADMIN_AFTER = re.compile(
    r"^[\s-]*(province|governorate|district|county|state|region|oblast|prefecture|"
    r"municipality|department|parish|emirate|division)\b",
    re.I,
)
_CITY_AFTER = re.compile(r"^\s+(city|town|village)\b", re.I)
# "east of the Euphrates", "the eastern banks of the Euphrates River": a side of a river or
# a range that conflict reporting names as a region of its own ("East of the Euphrates").
_COMPASS_OF = re.compile(
    r"\b(east|west|north|south)(?:ern)?(?:\s+(?:banks?|side|shores?))?\s+of\s+(?:the\s+)?$",
    re.I,
)
_RIVER = re.compile(r"\s+river$", re.I)
# A compass word standing alone ("Eastern", "West", "Central"): a part of a name the text
# gives elsewhere ("Eastern and Western Ghouta"), or of one it does not ("West Coast").
_COMPASS_WORDS = frozenset(
    "north south east west northern southern eastern western central".split())
# "Eastern and Western Ghouta": the first compass word shares the name after the second.
_SHARED_NAME = re.compile(
    r"^\s+(?:and|or|&)\s+(?:the\s+)?(?:north|south|east|west)(?:ern)?\s+"
    r"((?:al-|el-)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)", re.I)
# "X, Y", "X in Y", "X of Y", "X near Y" between a place and its container.
_CONTAINER_GAP = re.compile(r"^\s*(,|\bin\b|\bof\b|,\s*in\b|\(|\bprovince of\b)?\s*$", re.I)
# "Aleppo, Homs and Hama", "France, Germany, and Italy": names in a list.
_LIST_GAP = re.compile(r"^\s*(?:,\s*)?(and|or|&)?\s*$", re.I)
_DISTANCE = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*-?\s*(km|kilomet(?:re|er)s?|miles?|mi)\b"
    r"(?:\s*\([^)]{0,25}\))?\s*(?:\(?\s*(?:to the\s+)?(north|south|east|west|"
    r"north-?east|north-?west|south-?east|south-?west)(?:ern)?\)?\s*)?(?:of|from|outside)\s+"
    r"(?:the\s+(?:city|town|village|capital)\s+(?:of\s+)?)?$",
    re.I,
)

# Hand weights of the prior and the context are in HAND_WEIGHTS, below.
W_POP = 0.35  # per decade of population
PROXIMITY_KM = 250.0
# The article's focus: weights of each kind of evidence, the share of the evidence a
# country needs for its every namesake to be a candidate, and what is reported.
FOCUS_COUNTRY = 1.0
FOCUS_DEMONYM = 0.5
FOCUS_PROVINCE = 0.5
FOCUS_DATELINE = 1.5
FOCUS_SOURCE = 1.5
FOCUS_PLACE = 0.5
FOCUS_REPEAT_CAP = 3
FOCUS_MIN_SHARE = 0.15
FOCUS_REPORT_SHARE = 0.05


@dataclass(frozen=True)
class _Stated:
    """A stated distance: "100 km north of Y" (``anchor`` Y) describing ``subject``."""

    km: float
    anchor: Mention
    direction: str
    phrase_start: int
    subject: Mention | None


@dataclass
class Mention:
    start: int
    end: int
    text: str
    name: str
    want_admin: bool = False
    want_town: bool = False
    abbreviation: bool = False
    near: bool = False  # resolved through the place a facility's name carries
    inner: bool = False  # resolved through a place name inside an institution's name
    dateline: bool = False  # the dateline's place, read among towns only
    repeats: int = 1  # mentions of the same name in the article (they share one reading)
    others: int = 0  # other names in the article (their readings are its context)
    candidates: tuple[Candidate, ...] = ()
    scores: list[float] = field(default_factory=list)
    features: list[list[float]] = field(default_factory=list)  # FEATURES per candidate
    null_score: float = -1e9  # the score of "none of these readings is right"
    null_values: list[float] = field(default_factory=list)  # its NULL_FEATURES
    best: int = -1


# What conflict reporting puts around a place's name: facilities people fight over and
# the qualifiers of Arabic village names (Upper/Lower, Big/Small, East/West, New/Old).
_FACILITY = (
    r"(?:military|army|air|naval|police|border)?\s*(?:base|airbase|air\s*base|airport|"
    r"airfield|air\s*field|barracks|academy)|(?:central\s+)?prison|dam|reservoir|"
    r"checkpoint|check\s*point|(?:refugee\s+|idp\s+)?camp|hospital|silos?|factory|"
    r"plant|refinery|bridge|roundabout|junction|crossing|border\s+crossing|"
    r"suburbs?|outskirts|farms?|hills?|mountains?|plains?|valley|quarter|"
    r"neighbou?rhood|district|area|village|town|city|road|highway|station|market|"
    r"(?:military\s+)?complex|(?:military\s+)?checkpoint|(?:gas|oil)\s+field|field|"
    r"mills?|idp|desert|island|sector|housing\s+project|project|association|\d+"
)
_QUALIFIER = (
    r"kabir|kebir|kbir|saghir|sagheer|sghir|sharqi|sharki|sharqiy(?:ah|a|eh)|gharbi|"
    r"gharbiy(?:ah|a|eh)|shamali|janubi|tahtani|tahtaniy(?:ah|a)|fawqani|foqani|"
    r"fawqaniy(?:ah|a)|kubra|sughra|jadid|jadida|jdideh|qadim|qadima|upper|lower|"
    r"east|west|north|south|new|old|big|small|great|little"
)
_TRAILING = re.compile(rf"(?:[\s-]+(?:(?:a|e|u)[lsrtdzn]h?[\s-]+)?(?:{_FACILITY}|{_QUALIFIER}))+$",
                       re.I)
_LEADING = re.compile(
    r"^(?:upper|lower|greater|old|new|(?:north|south|east|west)(?:ern)?)\s+", re.I
)
# "Yani Yaban (Al-Judaydah)", "Tiyas Military Airbase (T4)": a name and another in brackets.
_BRACKETED = re.compile(r"^(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*$")


def strip_descriptors(name: str) -> str:
    """The place a facility's or a qualified village's name carries: "Tishrin Dam" ->
    "Tishrin", "Kafr Batna suburb" -> "Kafr Batna", "Hamra al-Kabir" -> "Hamra"; the name
    itself when nothing is left or nothing was stripped."""
    base = _TRAILING.sub("", name).strip()
    base = _LEADING.sub("", base).strip()
    return base if len(fold(base)) >= 3 else name


# Words that make a name an institution's, an event's or a building's rather than a
# place's: "Colorado State University", "Dubai World Cup", "Harare City Council".
_INSTITUTION = frozenset("""
university college school academy institute state city council center centre hall court
trial regional local government area senate parliament assembly commission bank cup world
estate mall hotel stadium arena racecourse church cathedral basilica mosque temple museum
park airport international national federal ministry department agency authority company
corporation club league association foundation economics higher republic union auto show
detention protection environmental and of the for de la del
""".split())
_LONE = frozenset("north south east west northern southern eastern western central new old "
                  "great greater upper lower town saint st. st san santa".split())
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def inner_names(name: str) -> list[str]:
    """The place names an institution's name may carry, longest first: "University of
    Alberta" -> ["Alberta"], "Dubai World Cup" -> ["Dubai"], "South Kilburn Estate" ->
    ["South Kilburn", "Kilburn"]: runs of capitalised words that are not words of
    institutions, and the one word of a run whose other words are generic."""
    runs: list[list[str]] = [[]]
    for word in _WORD.findall(name):
        if word[0].isupper() and word.lower().strip(".") not in _INSTITUTION:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    found: list[str] = []
    for run in sorted((r for r in runs if r), key=len, reverse=True):
        # one word of a longer name only where the others are generic: "South Kilburn"
        # -> "Kilburn", but not "Pearl Harbor" -> "Pearl"
        words = [w for w in run if w.lower() not in _LONE]
        words = words if len(run) > 1 and len(words) == 1 else []
        for part in [" ".join(run), *words]:
            if part != name and len(fold(part)) >= 4 and part not in found:
                found.append(part)
    return found


# A variant this close to the whole name is the name itself ("Mulayhah al Sharqiyah",
# "Mulayhah ash Sharqiyah"): its qualifier is not dropped for a closer part.
LOOSE_SIMILARITY = 0.85


def _closest(name: str, cands: Sequence[Candidate]) -> float:
    """The spelling similarity of ``name`` to the closest of ``cands``."""
    return max((spelling_similarity(name, c.name) for c in cands), default=0.0)


def clean_name(surface: str) -> tuple[str, bool]:
    """The name to look up, and whether the mention itself says it is an admin area."""
    name = surface.strip().strip("\"“”")
    name = re.sub(r"(['’]s|['’])$", "", name)
    name = re.sub(r"^(the|The)\s+", "", name)
    match = _ADMIN_SUFFIX.search(name)
    if match and len(name) > len(match.group(0)) + 1:
        return name[: match.start()], True
    return name, False


#: The span of "the capital" with no name given (rearguard.nlp.toponyms.capital_spans).
CAPITAL_WORD = "capital"

COMPASS = {
    "north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0, "south": 180.0,
    "southwest": 225.0, "west": 270.0, "northwest": 315.0,
}




def _is_seat_area(cand: Candidate, towns: Sequence[Candidate]) -> bool:
    """True for a province/district whose same-named town is also a candidate
    ("Kirkuk" the governorate vs Kirkuk the city): news means the town."""
    if cand.feature_code == "ADM1":
        # Only when the town is a large part of the province: "Kirkuk" is the city, but
        # "Quebec" or "New York" (a small share of the province) stay ambiguous.
        # A province that only goes by the town's name as an alternate ("Donetsk" for
        # Donetska oblast) loses to the town that bears it as its own name.
        return any(t.country_code == cand.country_code and t.admin1 == cand.admin1
                   and (t.population >= 0.2 * cand.population
                        or (cand.match == "alt" and t.match == "name")) for t in towns)
    if cand.feature_code == "ADM2":
        return any(t.country_code == cand.country_code and t.admin2 == cand.admin2
                   for t in towns)
    return False


# The evidence for a reading, as named features; a reading's score is their weighted sum.
# HAND_WEIGHTS are the weights set by hand on the development halves; a model trained by
# tools/train_resolver.py (rearguard/data/resolver.json) replaces them when present.
PRIOR_FEATURES = (
    "log_pop", "pop_unknown", "log_names", "class_P", "code_PCLI", "code_PCL_other", "code_CONT",
    "code_ADM1", "code_ADM2", "code_ADM3", "code_region", "code_OCN", "code_ISL",
    "code_PPLC", "code_PPLA", "code_PPLA2", "code_PPLA3", "code_PPLX", "class_S",
    "match_alt", "match_abbr", "match_abbr_expected", "match_demonym", "match_variant",
    "variant_similarity", "seat_area", "alt_of_area", "admin_wanted", "admin_not_given",
    "town_wanted", "log_pop_area", "capital_area",
)
CONTEXT_FEATURES = ("focus", "country_share", "admin1_share", "container", "distance",
                    "proximity", "home")
FEATURES = PRIOR_FEATURES + CONTEXT_FEATURES
# "None of these readings is right" competes with a mention's readings for probability
# (not for the choice), so that a lone reading is not certain just for being alone: its
# score is these features' weighted sum. The hand weights leave it out.
NULL_FEATURES = ("null_bias", "null_focus_known", "null_log_candidates", "null_inner")
_REGION_CODES = frozenset({"RGN", "SEA", "GULF", "PEN"})
HAND_WEIGHTS: dict[str, float] = {
    "log_pop": W_POP, "code_PCLI": 2.5, "code_CONT": 2.5, "code_ADM1": 0.6,
    "code_ADM2": -0.4, "code_region": 1.5, "code_OCN": 5.0, "code_ISL": 1.0,
    "code_PPLC": 1.2, "code_PPLA": 0.5, "code_PPLA2": 0.4, "code_PPLA3": 0.3,
    "match_alt": -0.1, "match_abbr": -1.0, "match_abbr_expected": 2.5,
    "match_variant": -0.7, "variant_similarity": 3.0, "seat_area": -1.8,
    "alt_of_area": -1.0, "admin_wanted": 2.0, "admin_not_given": -1.0, "town_wanted": 1.0,
    "capital_area": -2.5, "focus": 1.5, "country_share": 2.5, "admin1_share": 2.0, "container": 3.0,
    "distance": 2.5, "proximity": 1.5, "home": 1.0,
}


def prior_features(cand: Candidate, mention: Mention) -> list[float]:
    """The context-free evidence for reading ``mention`` as ``cand`` (PRIOR_FEATURES)."""
    pop = cand.population or (1000 if cand.feature_class == "P" else 100)
    code = cand.feature_code
    seat = 0.0
    if not mention.want_admin and cand.is_admin:
        # Towns that really bear the name (not "New York" as another name of NYC),
        # and towns known by another name that is the area's own name too ("Raqqa" is
        # an alternate name of both Ar Raqqah the city and Ar Raqqah the governorate)
        towns = [c for c in mention.candidates
                 if c.feature_class == "P" and (c.match in ("name", "variant")
                                                or (c.match == "alt" and c.name == cand.name))]
        seat = float(_is_seat_area(cand, towns))
    alt_of_area = float(cand.feature_class == "P" and cand.match == "alt" and any(
        c.match == "name" and (c.is_country or c.feature_code == "ADM1")
        and c.country_code == cand.country_code for c in mention.candidates
    ))
    variant = cand.match == "variant"
    area = cand.feature_class == "A" and not cand.is_country
    return [
        math.log10(pop + 10),
        float(cand.population == 0),
        math.log10(1 + cand.n_names),
        float(cand.feature_class == "P"),
        float(code == "PCLI"),
        float(cand.is_country and code != "PCLI"),
        float(code == "CONT"),
        float(code == "ADM1"),
        float(code == "ADM2"),
        float(code in ("ADM3", "ADM4", "ADM5")),
        float(code in _REGION_CODES),
        float(code == "OCN"),
        float(code == "ISL"),
        float(code == "PPLC"),
        float(code == "PPLA"),
        float(code == "PPLA2"),
        float(code == "PPLA3"),
        float(code == "PPLX"),
        float(cand.feature_class == "S"),
        float(cand.match == "alt"),
        float(cand.match == "abbr"),
        float(cand.match == "abbr" and mention.abbreviation),
        float(cand.match == "demonym"),
        float(variant),
        spelling_similarity(mention.name, cand.name) - 0.8 if variant else 0.0,
        seat,
        alt_of_area,
        float(mention.want_admin and area),
        float(mention.want_admin and not area),
        float(mention.want_town and cand.feature_class == "P"),
        # An area's population counts its towns: "Washington" the state outnumbers the
        # capital without being what news means more often; a slope of its own for areas.
        math.log10(pop + 10) if area else 0.0,
        # A province named like its country's capital elsewhere ("Washington" the state
        # and Washington, D.C.): news names the seat of government for what it decides.
        float(cand.feature_code == "ADM1" and any(
            c.feature_code == "PPLC" and c.country_code == cand.country_code
            and c.admin1 != cand.admin1 and c.match == "name" for c in mention.candidates)),
    ]


@lru_cache(maxsize=1)
def _shipped_model() -> dict | None:
    """rearguard/data/resolver.json, read once, when it names today's features."""
    path = Path(__file__).resolve().parent.parent / "data" / "resolver.json"
    if not path.is_file():
        return None
    model = json.loads(path.read_text(encoding="utf-8"))
    return model if tuple(model.get("features", ())) == FEATURES + NULL_FEATURES else None


@lru_cache(maxsize=1)
def load_weights() -> tuple[float, ...]:
    """The weights in FEATURES order, then NULL_FEATURES': the trained model shipped in
    rearguard/data, or the hand weights (with no "none of these") when there is none or it
    names other features."""
    model = _shipped_model()
    return tuple(float(w) for w in model["weights"]) if model else hand_weights()


Calibration = tuple[tuple[float, float], ...]  # (probability, share right) knots
IDENTITY: Calibration = ((0.0, 0.0), (1.0, 1.0))


@lru_cache(maxsize=1)
def load_calibration() -> Calibration:
    """The knots of the monotone map from the resolver's probability to the share of
    readings that were right, fitted with the shipped weights (identity without one)."""
    model = _shipped_model()
    knots = (model or {}).get("calibration") or IDENTITY
    return tuple((float(x), float(y)) for x, y in knots)


def calibrated(p: float, knots: Calibration) -> float:
    """``p`` mapped through the calibration knots (linear between them, flat outside)."""
    if p <= knots[0][0]:
        return knots[0][1]
    for (x0, y0), (x1, y1) in pairwise(knots):
        if p <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (p - x0) / (x1 - x0)
    return knots[-1][1]


# The confidence of a reading: a small logistic model over what the choice rests on (the
# reading's probability, its margin over the next reading, how many readings there were,
# the reading's own features: its kind, size, how the name matched, the focus and the
# other mentions), mapped through an isotonic calibration; both are fitted by
# tools/train_resolver.py and shipped in resolver.json under "confidence". The probability
# alone ranks right against wrong readings poorly: a country or a province at probability
# 1.0 is right no more often than a town at 0.8 (its point is where the gold's is not),
# so a calibration of the probability alone pools them all into one level.
CONFIDENCE_BASE = ("bias", "logit_p", "logit_null", "score_gap", "logit_p_near", "far_gap",
                   "log_candidates", "single_reading", "log_repeats", "near", "inner",
                   "dateline", "no_others")
CONFIDENCE_FEATURES = CONFIDENCE_BASE + tuple(f"reading_{name}" for name in FEATURES)
SCORE_GAP_CAP = 10.0
NEAR_KM = 161.0  # readings this close to the chosen one put the same point on the map


@dataclass(frozen=True)
class ConfidenceModel:
    """Weights over CONFIDENCE_FEATURES and the calibration knots of their logistic."""

    weights: tuple[float, ...]
    calibration: Calibration

    def __call__(self, values: Sequence[float]) -> float:
        z = _dot(self.weights, values)
        return calibrated(1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0))), self.calibration)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1.0 - 1e-6)
    return math.log(p / (1.0 - p))


def confidence_features(mention: Mention) -> list[float]:
    """CONFIDENCE_FEATURES of a mention's chosen reading (``mention.best`` >= 0)."""
    probs = _softmax([*mention.scores, mention.null_score])
    ranked = sorted(mention.scores, reverse=True)
    gap = min(ranked[0] - ranked[1], SCORE_GAP_CAP) if len(ranked) > 1 else SCORE_GAP_CAP
    # Readings near the chosen one (Baghdad the city and the governorate) are one answer
    # for the map: what can make it wrong is the probability of the readings far from it.
    best = mention.candidates[mention.best]
    near = [haversine_km(best.latitude, best.longitude, c.latitude, c.longitude) <= NEAR_KM
            for c in mention.candidates]
    p_near = sum(p for p, close in zip(probs, near, strict=False) if close)
    far = [s for s, close in zip(mention.scores, near, strict=True) if not close]
    far_gap = min(mention.scores[mention.best] - max(far), SCORE_GAP_CAP) if far else SCORE_GAP_CAP
    n = len(mention.candidates)
    return [1.0, _logit(probs[mention.best]), _logit(probs[-1]), gap, _logit(p_near), far_gap,
            math.log10(1 + n), float(n == 1), math.log10(mention.repeats), float(mention.near),
            float(mention.inner), float(mention.dateline), float(mention.others == 0),
            *mention.features[mention.best]]


@lru_cache(maxsize=1)
def load_confidence() -> ConfidenceModel | None:
    """The shipped confidence model, when resolver.json has one over today's features."""
    model = (_shipped_model() or {}).get("confidence")
    if not model or tuple(model.get("features", ())) != CONFIDENCE_FEATURES:
        return None
    return ConfidenceModel(tuple(float(w) for w in model["weights"]),
                           tuple((float(x), float(y)) for x, y in model["calibration"]))


def hand_weights() -> tuple[float, ...]:
    """The hand weights, with the "none of these" alternative switched off."""
    return (*(HAND_WEIGHTS.get(name, 0.0) for name in FEATURES), -1e9, 0.0, 0.0, 0.0)


def null_features(mention: Mention, focus: dict[str, float]) -> list[float]:
    """NULL_FEATURES of a mention."""
    return [1.0, float(bool(focus)), math.log10(1 + len(mention.candidates)),
            float(mention.inner)]


def _dot(weights: Sequence[float], values: Sequence[float], offset: int = 0) -> float:
    return sum(w * v for w, v in zip(weights[offset : offset + len(values)], values, strict=True))


def _shares(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {k: w / total for k, w in weights.items()} if total > 0 else {}


def _minus(weights: dict[str, float], part: dict[str, float]) -> dict[str, float]:
    return {k: w - part.get(k, 0.0) for k, w in weights.items() if w - part.get(k, 0.0) > 1e-9}


def _share(support: dict, own: dict, key, others: int) -> float:
    """Share of the *other* mentions' weight that lies in ``key``."""
    if others <= 0 or not key:
        return 0.0
    return max(0.0, support.get(key, 0.0) - min(own.get(key, 0.0), 1.0)) / others


def _focus_share(focus: dict[str, float], cand: Candidate) -> float:
    """The focus's share for a candidate's country. A country, or a larger area, is
    what its bare name means whatever the article is about: it gets the top share, so the
    focus never lifts a town called "Mexico" or "China" over the country."""
    if cand.is_country or not cand.country_code:
        return max(focus.values(), default=0.0)
    return focus.get(cand.country_code, 0.0)


def _softmax(scores: Sequence[float]) -> list[float]:
    if not scores:
        return []
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


class Resolver:
    """Resolves the mentions of one article against a gazetteer."""

    def __init__(self, gazetteer: Gazetteer, *, fuzzy: bool = True, max_candidates: int = 40,
                 weights: Sequence[float] | None = None,
                 calibration: Calibration | None = None,
                 confidence: ConfidenceModel | None = None):
        """``weights`` default to the shipped model's, and with them its confidence
        model; with weights of their own, confidence is the reading's probability through
        ``calibration`` (the identity by default) unless a ``confidence`` model is given."""
        self.gazetteer = gazetteer
        self.fuzzy = fuzzy
        self.max_candidates = max_candidates
        self.weights = tuple(weights) if weights is not None else load_weights()
        if calibration is None:
            calibration = load_calibration() if weights is None else IDENTITY
        self.calibration = calibration
        self.confidence = (confidence if confidence is not None or weights is not None
                           else load_confidence())

    def prior(self, cand: Candidate, mention: Mention) -> float:
        """The context-free score of a reading."""
        return _dot(self.weights, prior_features(cand, mention))

    def resolve(
        self, text: str, spans: Sequence[tuple[int, int]], *, source: str | None = None
    ) -> list[Place]:
        """One place per span, in order (see :meth:`resolve_article`)."""
        return list(self.resolve_article(text, spans, source=source).places)

    def resolve_article(
        self, text: str, spans: Sequence[tuple[int, int]], *, source: str | None = None
    ) -> Geocoded:
        """Resolve the spans of one article, and say what the article is about.

        ``source`` is the publisher (a name or URL), whose home is evidence of the focus."""
        mentions, outside = self._scored(text, spans, source)
        places = tuple(self._place(m) for m in mentions)
        return Geocoded(places=places, focus=self._focus(outside, places),
                        relative=tuple(self.relative_places(text, mentions)))

    def score_mentions(
        self, text: str, spans: Sequence[tuple[int, int]], *, source: str | None = None
    ) -> list[Mention]:
        """The mentions of the spans, in order, with their candidates, scores, features
        and best reading (what :meth:`resolve_article` reads, and the trainer learns from)."""
        return self._scored(text, spans, source)[0]

    def _scored(
        self, text: str, spans: Sequence[tuple[int, int]], source: str | None
    ) -> tuple[list[Mention], dict[str, float]]:
        """:meth:`score_mentions`, and the evidence of the focus that is not a mention."""
        mentions = [self._mention(text, start, end) for start, end in spans]
        dateline = find_dateline(text)
        outside = self._outside_evidence(text, dateline, source)
        evidence, own = self._evidence(mentions, outside)
        countries = frozenset(cc for cc, share in _shares(evidence).items()
                              if share >= FOCUS_MIN_SHARE)
        for mention in mentions:
            if mention.text == CAPITAL_WORD:
                # "the capital" (rearguard.nlp.toponyms.capital_spans): the capital of
                # the country the article is about, if it is about one
                mention.candidates = self.capitals(countries)
                continue
            mention.candidates = self.candidates(mention.name, countries)
            if countries and mention.name.lower() in _COMPASS_WORDS:
                # "Western" alone in a report about Syria is no province of Kenya: a lone
                # compass word names a part of the article's own countries, if anything
                mention.candidates = tuple(c for c in mention.candidates
                                           if c.country_code in countries)
            # A name known only by loose spellings of the whole ("North Dallas" as
            # Dallesport, "Salinas Valley" as Salineville) may carry a place spelled
            # closely: the part left without the compass, facility or landform word.
            loose = bool(mention.candidates) and all(c.match == "variant"
                                                     for c in mention.candidates)
            if not mention.candidates or loose:
                # "Tishrin Dam", "Kweires airbase", "Kafr Batna suburb", "Hamra Kabir":
                # the facility or the quarter is near the place its name carries.
                base = strip_descriptors(mention.name)
                if base != mention.name:
                    found = self.candidates(base, countries)
                    home = tuple(c for c in found if c.country_code in countries)
                    picked = home or found
                    if picked and loose:
                        # only when the part is spelled more closely than the whole was
                        full = _closest(mention.name, mention.candidates)
                        if full >= LOOSE_SIMILARITY or _closest(base, picked) <= full:
                            picked = ()
                    if picked:
                        mention.candidates = picked
                        mention.near = True
            if not mention.candidates:
                # "University of Alberta", "Dubai World Cup": the place the name carries,
                # matched exactly (a near spelling of "Grants" is no evidence).
                for inner in inner_names(mention.name):
                    found = tuple(c for c in self.gazetteer.lookup(
                        inner, fuzzy=False, limit=self.max_candidates, countries=countries
                    ) if c.match != "demonym")  # "Latin American" is not America
                    if countries:
                        # weak evidence: only at home once the article's focus is known
                        # ("Calle del Correo, Madrid" is no Calle in Ecuador)
                        found = tuple(c for c in found if c.country_code in countries)
                    if found:
                        mention.candidates = found
                        mention.near = mention.inner = True
                        break
            if (dateline and mention.start < dateline[1] and dateline[0] < mention.end
                    and not mention.want_admin):
                # A report is filed from a city: "WASHINGTON (Reuters) -" is not the state
                # (but "LAUREL COUNTY, Ky. -" is the county).
                towns = tuple(c for c in mention.candidates if c.feature_class == "P")
                mention.dateline = bool(towns)
                mention.candidates = towns or mention.candidates
        self._within_stated_country(text, mentions)
        groups: dict[tuple[str, bool, bool, bool], list[Mention]] = defaultdict(list)
        for mention in mentions:
            if mention.candidates:
                key = (name_key(mention.name), mention.want_admin, mention.abbreviation,
                       mention.dateline)
                groups[key].append(mention)
        reps = [group[0] for group in groups.values()]
        # A name is not evidence for its own reading: "Georgia" named three times says
        # nothing about which Georgia it is.
        focus = {id(m): _shares(_minus(evidence, own.get(name_key(m.name), {})))
                 for m in reps}
        self._score(text, reps, [m for group in groups.values() for m in group], focus,
                    source_country(source))
        for group in groups.values():
            for mention in group:
                mention.repeats = len(group)
            for mention in group[1:]:
                # one name, one reading: the scores index the first mention's candidates
                mention.candidates = group[0].candidates
                mention.scores, mention.best = group[0].scores, group[0].best
                mention.features = group[0].features
                mention.others = group[0].others
                mention.null_score = group[0].null_score
                mention.null_values = group[0].null_values
        return mentions, outside

    # -- mentions ----------------------------------------------------------------------
    def _mention(self, text: str, start: int, end: int) -> Mention:
        surface = text[start:end]
        name, want_admin = clean_name(surface)
        name = self._compass_region(text[max(0, start - 40) : start], name) or name
        shared = _SHARED_NAME.match(text[end : end + 60])
        if name.lower() in _COMPASS_WORDS and shared and shared.group(1)[:1].isupper():
            name = f"{name} {shared.group(1)}"
        after = text[end : end + 20]
        want_admin = want_admin or bool(_ADMIN_AFTER.match(after))
        return Mention(
            start=start, end=end, text=surface, name=name, want_admin=want_admin,
            want_town=bool(_CITY_AFTER.match(after)),
            abbreviation=surface.endswith(".") or (surface.isupper() and len(surface) <= 5),
        )

    def _compass_region(self, before: str, name: str) -> str | None:
        """"east of the Euphrates": the region the gazetteer knows by that name ("East of
        the Euphrates"), when the text before the name says a side of it; else None."""
        match = _COMPASS_OF.search(before)
        if match is None:
            return None
        region = f"{match.group(1).title()} of the {_RIVER.sub('', name)}"
        found = self.gazetteer.lookup(region, fuzzy=False)
        return region if any(c.feature_code == "RGN" for c in found) else None

    def capitals(self, countries: frozenset[str]) -> tuple[Candidate, ...]:
        """The capital of each of ``countries`` (the article's focus): what "the capital"
        means in a report about one country ("shells target the capital")."""
        return self.gazetteer.capitals(countries)

    # -- the article's focus -----------------------------------------------------------
    def _evidence(
        self, mentions: list[Mention], outside: dict[str, float]
    ) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
        """Country -> weight of the evidence that the article is about it (the countries
        and provinces it names, plus ``outside``: its dateline and its publisher's home),
        and the part of it that each name (by key) contributed."""
        evidence: dict[str, float] = defaultdict(float)
        own: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        per_name: dict[tuple[str, str], float] = defaultdict(float)
        for mention in mentions:
            # "the capital" is no evidence: it means the capital of the article's country;
            # nor is a lone compass word ("Western" is a province of Kenya and of Uganda)
            best = (None if mention.text == CAPITAL_WORD
                    or mention.name.lower() in _COMPASS_WORDS
                    else self._first_reading(mention))
            if best is None:
                continue
            if best.is_country and best.match in ("name", "alt"):
                kind, weight = "country", FOCUS_COUNTRY
            elif best.match == "demonym" and best.is_country:
                kind, weight = "demonym", FOCUS_DEMONYM
            elif best.feature_code == "ADM1" and best.match in ("name", "alt"):
                kind, weight = "province", FOCUS_PROVINCE
            else:
                continue
            # Repeats count, but one country named ten times is not ten times the evidence.
            key = (kind, best.country_code)
            if per_name[key] < FOCUS_REPEAT_CAP * weight:
                per_name[key] += weight
                evidence[best.country_code] += weight
                own[name_key(mention.name)][best.country_code] += weight
        for country, weight in outside.items():
            evidence[country] += weight
        return dict(evidence), own

    def _outside_evidence(
        self, text: str, dateline: tuple[int, int] | None, source: str | None
    ) -> dict[str, float]:
        """Evidence that is not a place mention: the dateline and the publisher's home."""
        evidence: dict[str, float] = defaultdict(float)
        if dateline is not None:
            name, want_admin = clean_name(text[dateline[0] : dateline[1]])
            place = self._first_reading(Mention(start=dateline[0], end=dateline[1],
                                                text=name, name=name, want_admin=want_admin))
            if place is not None and place.country_code:
                evidence[place.country_code] += FOCUS_DATELINE
        home = source_country(source)
        if home:
            evidence[home] += FOCUS_SOURCE
        return dict(evidence)

    def _first_reading(self, mention: Mention) -> Candidate | None:
        """The reading a name has with no context (exact names only), for the focus."""
        cands = self.gazetteer.lookup(mention.name, fuzzy=False, limit=self.max_candidates)
        if not cands:
            return None
        probe = Mention(start=mention.start, end=mention.end, text=mention.text,
                        name=mention.name, want_admin=mention.want_admin, candidates=cands)
        return max(cands, key=lambda c: self.prior(c, probe))

    def _focus(self, outside: dict[str, float], places: Sequence[Place]) -> tuple[Focus, ...]:
        """The countries the article is about, with weights that sum to 1: the dateline
        and the publisher's home, then the places as resolved (a country named counts
        most, a province or demonym half, any other place by its confidence)."""
        weights: dict[str, float] = defaultdict(float, outside)
        for place in places:
            if not place.country_code:
                continue
            if place.kind == "demonym":
                weight = FOCUS_DEMONYM
            elif place.feature_code and place.feature_code.startswith("PCL"):
                weight = FOCUS_COUNTRY
            elif place.feature_code == "ADM1":
                weight = FOCUS_PROVINCE
            else:
                weight = FOCUS_PLACE * place.confidence
            weights[place.country_code] += weight
        total = sum(weights.values())
        if not total:
            return ()
        ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(
            Focus(country_code=cc, country=self.gazetteer.country_name(cc) or cc,
                  weight=round(w / total, 3))
            for cc, w in ranked if w / total >= FOCUS_REPORT_SHARE
        )

    def candidates(
        self, name: str, countries: frozenset[str] = frozenset()
    ) -> tuple[Candidate, ...]:
        """Gazetteer candidates; "Sere Kaniye/Ras al-Ain" and "Yani Yaban (Al-Judaydah)"
        give those of both names.
        Every match in ``countries`` (the article's focus) is kept."""
        found: dict[int, Candidate] = {}
        bracketed = _BRACKETED.match(name)
        parts = ([bracketed.group("outer"), bracketed.group("inner")] if bracketed
                 else name.split("/"))
        for part in parts:
            if fold(part):
                for cand in self.gazetteer.lookup(
                    part.strip(), fuzzy=self.fuzzy, limit=self.max_candidates,
                    countries=countries,
                ):
                    found.setdefault(cand.id, cand)
        return tuple(found.values())

    def rank(self, name: str) -> list[tuple[Candidate, float]]:
        """Candidates for a bare name, best first, by the resolver's context-free prior."""
        clean, want_admin = clean_name(name)
        mention = Mention(start=0, end=len(name), text=name, name=clean,
                          want_admin=want_admin, abbreviation=name.endswith("."))
        mention.candidates = self.candidates(clean)
        scored = [(c, self.prior(c, mention)) for c in mention.candidates]
        return sorted(scored, key=lambda pair: -pair[1])

    # -- scoring -----------------------------------------------------------------------
    def _score(
        self, text: str, reps: list[Mention], all_mentions: list[Mention],
        focus: dict[int, dict[str, float]], home: str | None = None,
    ) -> None:
        """Each candidate's features and score. ``home`` is the publisher's country: a
        feature of its own beside the focus it is part of, because the training corpora
        name no publisher (its weight stays the hand weight) and a publisher that only
        reports on its own country is stronger evidence than one named country."""
        weights = self.weights
        n_prior = len(PRIOR_FEATURES)
        prior_values = {id(m): [prior_features(c, m) for c in m.candidates] for m in reps}
        priors = {id(m): [_dot(weights, v) for v in prior_values[id(m)]] for m in reps}
        probs = {id(m): _softmax(priors[id(m)]) for m in reps}
        containers = self._containers(text, all_mentions)
        distances = self._distances(text, all_mentions)
        others = max(len(reps) - 1, 0)
        for round_ in range(3):
            country, admin1, own = self._support(reps, probs)
            for mention in reps:
                scores = []
                features = []
                own_c, own_a = own[id(mention)]
                for i, cand in enumerate(mention.candidates):
                    context = [
                        _focus_share(focus[id(mention)], cand),
                        _share(country, own_c, cand.country_code, others),
                        _share(admin1, own_a, (cand.country_code, cand.admin1), others)
                        if cand.admin1 else 0.0,
                        self._container_bonus(mention, cand, containers),
                        self._distance_bonus(mention, cand, distances) if round_ > 0 else 0.0,
                        self._proximity_bonus(mention, cand, reps) if round_ > 0 else 0.0,
                        float(home is not None and cand.country_code == home
                              and not cand.is_country),
                    ]
                    scores.append(priors[id(mention)][i] + _dot(weights, context, n_prior))
                    features.append(prior_values[id(mention)][i] + context)
                mention.scores = scores
                mention.features = features
                mention.others = others
                mention.null_values = null_features(mention, focus[id(mention)])
                mention.null_score = _dot(weights, mention.null_values, len(FEATURES))
                mention.best = max(range(len(scores)), key=scores.__getitem__) if scores else -1
            probs = {id(m): _softmax(m.scores) for m in reps}

    @staticmethod
    def _support(reps: list[Mention], probs: dict[int, list[float]]) -> tuple[
        dict[str, float], dict[tuple[str, str], float],
        dict[int, tuple[dict[str, float], dict[tuple[str, str], float]]],
    ]:
        """Expected number of mentions in each country and each province, and each
        mention's own part of them (which :func:`_share` leaves out)."""
        country: dict[str, float] = defaultdict(float)
        admin1: dict[tuple[str, str], float] = defaultdict(float)
        own = {}
        for mention in reps:
            seen_c: dict[str, float] = defaultdict(float)
            seen_a: dict[tuple[str, str], float] = defaultdict(float)
            for cand, p in zip(mention.candidates, probs[id(mention)], strict=True):
                if cand.country_code:
                    seen_c[cand.country_code] += p
                if cand.admin1 and not cand.is_country:
                    seen_a[(cand.country_code, cand.admin1)] += p
            for key, value in seen_c.items():
                country[key] += min(value, 1.0)
            for key2, value in seen_a.items():
                admin1[key2] += min(value, 1.0)
            own[id(mention)] = (seen_c, seen_a)
        return country, admin1, own

    # -- containment and stated distances -------------------------------------------
    @staticmethod
    def _containers(text: str, mentions: list[Mention]) -> dict[int, Mention]:
        """Mention id -> the mention right after it that may contain it ("X in Y")."""
        ordered = sorted(mentions, key=lambda m: m.start)
        found: dict[int, Mention] = {}
        for first, second in pairwise(ordered):
            gap = text[first.end : second.start]
            if len(gap) <= 16 and _CONTAINER_GAP.match(gap):
                found[id(first)] = second
        return found

    def _within_stated_country(self, text: str, mentions: list[Mention]) -> None:
        """"Mansoura, Syria", "Josef in Syria": a name whose stated container is a country
        (and no province elsewhere) is read only inside that country, by its exact name
        or a spelling variant; a namesake abroad contradicts the text, so with none inside
        the name stays unresolved."""
        ordered = sorted(mentions, key=lambda m: m.start)
        gaps = [_LIST_GAP.match(text[a.end : b.start]) for a, b in pairwise(ordered)]
        listed: set[int] = set()
        for i, gap in enumerate(gaps):
            # "X and Y", or a comma in a run of three or more names
            if gap and (gap.group(1) or (i and gaps[i - 1])
                        or (i + 1 < len(gaps) and gaps[i + 1])):
                listed |= {id(ordered[i]), id(ordered[i + 1])}
        by_id = {id(m): m for m in mentions}
        for mention_id, outer in self._containers(text, mentions).items():
            mention = by_id[mention_id]
            if (not mention.candidates or mention.dateline or id(outer) in listed
                    or outer.abbreviation or any(
                        (c.is_country or c.feature_code == "CONT")
                        and c.match in ("name", "alt") for c in mention.candidates)):
                # "France, Germany and Italy" is a list, "Africa in Morocco" no container,
                # "Monroeville, Ala." a US state's abbreviation (Åland's code is ALA).
                # A region or a demonym does not stop it: "Al Sahel, Syria" is not the
                # Sahel, nor "Al Qatari checkpoint, Syria" Qatar.
                continue
            countries = {c.country_code for c in outer.candidates
                         if c.is_country and c.match in ("name", "alt")}
            if len(countries) != 1 or any(
                c.feature_code == "ADM1" and c.match == "name"
                and c.country_code not in countries for c in outer.candidates
            ):
                continue  # "Atlanta, Georgia": the US state as much as the country
            (country,) = countries
            if all(c.country_code == country for c in mention.candidates):
                continue
            inside = tuple(c for c in mention.candidates if c.country_code == country)
            if not inside:
                inside = self.gazetteer.lookup_within(mention.name, country)
            if not inside and strip_descriptors(mention.name) != mention.name:
                inside = self.gazetteer.lookup_within(strip_descriptors(mention.name), country)
                mention.near = bool(inside)
            mention.candidates = inside

    @staticmethod
    def _contains(outer: Candidate, inner: Candidate) -> bool:
        if outer.id == inner.id or not outer.country_code:
            return False
        if outer.country_code != inner.country_code:
            return False
        if outer.is_country:
            return True
        return in_admin_area(outer, inner)

    def _container_bonus(self, mention: Mention, cand: Candidate, containers) -> float:
        outer = containers.get(id(mention))
        if outer is None or not outer.candidates:
            return 0.0
        if any(self._contains(o, cand) for o in outer.candidates):
            return 1.0
        return 0.0

    @staticmethod
    def _distance_phrases(text: str, mentions: list[Mention]) -> list[_Stated]:
        """Every "100 km (north) of Y" before a mention Y, with the place it describes:
        the nearest mention before the phrase within the same sentence, if any."""
        ordered = sorted(mentions, key=lambda m: m.start)
        found: list[_Stated] = []
        for i, anchor in enumerate(ordered):
            window = text[max(0, anchor.start - 90) : anchor.start]
            match = _DISTANCE.search(window)
            if not match:
                continue
            km = float(match.group(1).replace(",", ""))
            if match.group(2).lower().startswith("mi"):
                km *= 1.609
            direction = (match.group(3) or "").lower().replace("-", "")
            phrase_start = anchor.start - (len(window) - match.start())
            subject = None
            for before in reversed(ordered[:i]):
                if before.end <= phrase_start and "." not in text[before.end : phrase_start]:
                    subject = before
                    break
            found.append(_Stated(km, anchor, direction, phrase_start, subject))
        return found

    @classmethod
    def _distances(
        cls, text: str, mentions: list[Mention]
    ) -> dict[int, tuple[float, Mention, str]]:
        """Mention id -> (stated km, anchor mention, direction) for "X, 100 km north of Y"."""
        return {id(s.subject): (s.km, s.anchor, s.direction)
                for s in cls._distance_phrases(text, mentions) if s.subject is not None}

    def relative_places(self, text: str, mentions: list[Mention]) -> list[Place]:
        """"an attack 10 km north of Aleppo", where no place is named but the anchor: the
        anchor's point moved by the stated distance and direction, at geo_precision 2
        (kind ``relative``; country and province are the anchor's)."""
        places = []
        for stated in self._distance_phrases(text, mentions):
            anchor = stated.anchor
            if (stated.subject is not None or stated.direction not in COMPASS
                    or anchor.best < 0):
                continue
            base = self._place(anchor)
            if base.latitude is None or base.longitude is None:
                continue
            lat, lon = destination(base.latitude, base.longitude, COMPASS[stated.direction],
                                   stated.km)
            span = text[stated.phrase_start : anchor.end]
            places.append(replace(
                base, start=stated.phrase_start, end=anchor.end, text=span,
                name=f"{round(stated.km):d} km {stated.direction} of {base.name}", geonameid=None,
                latitude=round(lat, 5), longitude=round(lon, 5), feature_class=None,
                feature_code=None, geo_precision=PRECISION_NEAR, kind="relative",
            ))
        return places

    @staticmethod
    def _distance_bonus(mention: Mention, cand: Candidate, distances) -> float:
        stated = distances.get(id(mention))
        if stated is None:
            return 0.0
        km, anchor, direction = stated
        if anchor.best < 0:
            return 0.0
        point = anchor.candidates[anchor.best]
        d = haversine_km(cand.latitude, cand.longitude, point.latitude, point.longitude)
        fit = math.exp(-abs(d - km) / max(40.0, 0.35 * km))
        if direction in COMPASS and d > 1:
            bearing = initial_bearing(point.latitude, point.longitude, cand.latitude,
                                      cand.longitude)
            off = abs((bearing - COMPASS[direction] + 180) % 360 - 180)
            fit *= 1.0 if off <= 67.5 else 0.3
        return fit

    @staticmethod
    def _proximity_bonus(mention: Mention, cand: Candidate, reps: list[Mention]) -> float:
        if cand.feature_class != "P" and cand.feature_code not in ("ADM2",):
            return 0.0
        nearest = math.inf
        for other in reps:
            if other is mention or other.best < 0:
                continue
            point = other.candidates[other.best]
            if point.feature_class != "P" and point.feature_code != "ADM2":
                continue
            nearest = min(
                nearest,
                haversine_km(cand.latitude, cand.longitude, point.latitude, point.longitude),
            )
        if nearest is math.inf:
            return 0.0
        return math.exp(-nearest / PROXIMITY_KM)

    # -- output ------------------------------------------------------------------------
    def _place(self, mention: Mention) -> Place:
        if mention.best < 0:
            return Place(start=mention.start, end=mention.end, text=mention.text)
        cand = mention.candidates[mention.best]
        # The chosen reading's probability against the others and "none of these",
        # mapped to how often readings that probable were right on the development corpora.
        if self.confidence is not None:
            confidence = self.confidence(confidence_features(mention))
        else:
            confidence = calibrated(
                _softmax([*mention.scores, mention.null_score])[mention.best], self.calibration)
        return Place(
            start=mention.start, end=mention.end, text=mention.text, name=cand.name,
            geonameid=cand.geonameid, latitude=round(cand.latitude, 5),
            longitude=round(cand.longitude, 5),
            country=self.gazetteer.country_name(cand.country_code) or None,
            country_code=cand.country_code or None,
            iso3=self.gazetteer.country_iso3(cand.country_code) or None,
            admin1=cand.admin1 or None, admin2=cand.admin2 or None,
            feature_class=cand.feature_class, feature_code=cand.feature_code,
            geo_precision=max(geo_precision(cand), PRECISION_NEAR) if mention.near
            else geo_precision(cand),
            confidence=round(confidence, 3),
            kind="demonym" if cand.match == "demonym" else "toponym",
        )


def geo_precision(cand: Candidate) -> int:
    """ACLED geo_precision: 1 a town, 2 part of a region (a district), 3 a region or larger."""
    if cand.feature_class == "P":
        return PRECISION_TOWN
    if cand.feature_code in ("ADM2", "ADM3", "ADM4", "ADM5"):
        return PRECISION_NEAR
    return PRECISION_REGION
