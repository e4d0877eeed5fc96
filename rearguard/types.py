"""Typed records passed between the stages. All are frozen dataclasses."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

    from .events.mentions import Mention

# ACLED geo_precision codes.
PRECISION_TOWN = 1
PRECISION_NEAR = 2
PRECISION_REGION = 3


@dataclass(frozen=True)
class Article:
    """A news report. ``published`` is an ISO date (YYYY-MM-DD) or None.

    ``language`` is the ISO 639-1 code of the text's language when the reader could tell
    (rearguard.ingest.language; None for a text too short or too mixed to say).
    ``flags`` says how reading changed the text, comma-separated (None: not at all):
    ``"truncated"`` when it was cut to rearguard.io.MAX_TEXT_CHARS (docs/ingest.md).
    """

    id: str
    text: str
    published: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None
    flags: str | None = None


@dataclass(frozen=True)
class Span:
    """A character span ``text[start:end]`` (0-based, end exclusive)."""

    start: int
    end: int


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry that a toponym could refer to."""

    id: int  # GeoNames id when known; negative for entries rearguard derived itself
    name: str
    latitude: float
    longitude: float
    feature_class: str  # GeoNames class: P populated place, A admin area, L area
    feature_code: str  # PPL, PPLA, PPLC, ADM1, ADM2, PCLI, CONT, RGN ...
    country_code: str  # ISO 3166-1 alpha-2, '' for continents and regions
    admin1: str
    admin2: str
    population: int
    admin1_code: str = ""
    matched: str = ""  # the gazetteer name that matched
    match: str = "name"  # name | alt | abbr | demonym | variant (transliteration)
    n_names: int = 0  # how many names the place goes by in the gazetteer (notability)

    @property
    def geonameid(self) -> int | None:
        return self.id if self.id > 0 else None

    @property
    def is_country(self) -> bool:
        return self.feature_code.startswith("PCL")

    @property
    def is_admin(self) -> bool:
        return self.feature_class == "A" and not self.is_country


@dataclass(frozen=True)
class Place:
    """A toponym in a text and the place it was resolved to (or None coordinates)."""

    start: int
    end: int
    text: str
    name: str | None = None
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None
    country_code: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    feature_class: str | None = None
    feature_code: str | None = None
    geo_precision: int | None = None
    confidence: float = 0.0
    kind: str = "toponym"  # toponym | demonym | relative (a point moved from a toponym)

    @property
    def resolved(self) -> bool:
        return self.latitude is not None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# ACLED's 31 columns, in ACLED's order; rearguard's own columns follow them.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)
EXTRA_COLUMNS: tuple[str, ...] = (
    "injured", "captured", "claimed_by", "rear_area", "rear_area_reason", "front",
    "front_distance_km", "confidence", "article_ids",
)

# ACLED time_precision codes.
TIME_DAY = 1
TIME_WEEK = 2
TIME_MONTH = 3


@dataclass(frozen=True)
class Evidence:
    """The text behind one field: ``article.text[start:end] == text``, copied verbatim."""

    field: str
    text: str
    start: int
    end: int
    article_id: str = ""  # the article whose text the offsets index (set in the dataset)


@dataclass(frozen=True)
class DateMention:
    """A date expression resolved against the publication date.

    ``date`` is ISO YYYY-MM-DD; ``precision`` is ACLED's time_precision (1 day, 2 week,
    3 month). For week and month precision the day is the middle of the period (never
    after the publication date); see docs/events.md.
    """

    start: int
    end: int
    text: str
    date: str
    precision: int


@dataclass(frozen=True)
class Count:
    """A number of people killed, injured or captured, stated in the text.

    ``value`` follows ACLED's conservative rule (low end of a range, vague words through
    a table); ``exact`` is False when it came from a vague word or a bare plural.
    """

    kind: str  # killed | injured | captured
    value: int
    start: int  # span of the whole count phrase ("five police officers")
    end: int
    text: str
    exact: bool = True
    attackers: bool = False  # the dead were the attackers ("two gunmen were killed")


@dataclass(frozen=True)
class Actor:
    """A normalised actor: ACLED-style name and inter code (1 state forces, 2 rebel groups,
    3 political militias, 4 identity militias, 5 rioters, 6 protesters, 7 civilians,
    8 external/other forces), with the words that named it."""

    name: str
    inter: int
    text: str = ""
    start: int = -1
    end: int = -1
    country_code: str | None = None


@dataclass(frozen=True)
class Classification:
    """An ACLED type for a piece of text."""

    event_type: str
    sub_event_type: str
    disorder_type: str
    confidence: float


@dataclass(frozen=True)
class Event:
    """One incident, as ACLED would code it, with rearguard's own fields and evidence."""

    event_id_cnty: str
    event_date: str | None
    year: int | None
    time_precision: int | None
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: str
    assoc_actor_1: str = ""
    inter1: int | None = None
    actor2: str = ""
    assoc_actor_2: str = ""
    inter2: int | None = None
    interaction: int | None = None
    civilian_targeting: str = ""
    iso: int | None = None
    region: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    source: str = ""
    source_scale: str = ""
    notes: str = ""
    fatalities: int = 0
    tags: str = ""
    timestamp: int = 0
    injured: int = 0
    captured: int = 0
    claimed_by: str = ""
    rear_area: bool = False
    rear_area_reason: str = ""
    front: str = ""  # the nearest active front the article names ("Mosul")
    front_distance_km: float | None = None
    confidence: float = 0.0
    article_ids: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The fields by name, in order; ``article_ids`` a list and ``evidence`` a list of
        dicts. The same as ``dataclasses.asdict`` but without its deep copies of every
        value (the fields are strings, numbers and tuples of them): those took a third of
        the store writer's time (``put_event``) and most of ``serve``'s."""
        data = {name: getattr(self, name) for name in _EVENT_FIELDS}
        data["article_ids"] = list(self.article_ids)
        data["evidence"] = [_evidence_dict(e) for e in self.evidence]
        return data

    def row(self) -> dict[str, Any]:
        """ACLED's columns then rearguard's, flat (for CSV)."""
        data = self.to_dict()
        return {name: data[name] for name in ACLED_COLUMNS + EXTRA_COLUMNS}


_EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))
_EVIDENCE_FIELDS = tuple(f.name for f in dataclasses.fields(Evidence))


def _evidence_dict(evidence: Evidence) -> dict[str, Any]:
    """``dataclasses.asdict(evidence)`` (its fields are strings and numbers)."""
    return {name: getattr(evidence, name) for name in _EVIDENCE_FIELDS}


@dataclass(frozen=True)
class ControlChange:
    """A statement of who holds a place, and since when.

    ``kind`` is one of: captured, retaken, liberated, held, withdrew, handed_over, claimed,
    contested. ``extent`` is full or partial ("several districts of the town").
    ``holder`` and ``previous_holder`` are normalised actor names ("" when unknown);
    ``date`` is ISO with ACLED's precision codes in ``date_precision``; ``held_days`` is
    set when the text says how long the holder kept the place.
    """

    place: str
    geonameid: int | None
    latitude: float | None
    longitude: float | None
    country: str
    admin1: str
    holder: str
    previous_holder: str
    date: str | None
    date_precision: int | None
    kind: str
    extent: str = "full"
    confidence: float = 0.0
    evidence: tuple[Evidence, ...] = ()
    article_id: str = ""
    held_days: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["evidence"] = [dataclasses.asdict(e) for e in self.evidence]
        return data


@dataclass(frozen=True)
class Chunk:
    """A piece of an article that is parsed on its own: ``text[start:end]``."""

    start: int
    end: int


@dataclass(frozen=True)
class Parsed:
    """The nlp stage's answer for one article: the pieces it parsed (with the cascade, the
    sentences holding an event trigger; without, the whole text), in text order, and their
    spaCy docs (``docs[i]`` is ``article.text[chunks[i].start:chunks[i].end]``)."""

    article: Article
    chunks: tuple[Chunk, ...]
    docs: tuple[Doc, ...]


@dataclass(frozen=True)
class Located:
    """The geo stage's answer for a parsed article: per chunk, the spans of its doc that
    are toponyms, and the place each was resolved to, keyed by its article offsets
    ``(start, end)`` in text order; the article's ``focus`` (the countries it is about,
    with weights); and the place of its ``dateline`` ("BAGHDAD (Reuters) -"), if any."""

    toponyms: tuple[tuple[SpacySpan, ...], ...]
    places: Mapping[tuple[int, int], Place]
    focus: tuple[Focus, ...] = ()
    dateline: Place | None = None


@dataclass(frozen=True)
class Incidents:
    """The events stage's reading of an article before it codes events: its event
    mentions grouped into incidents (``clusters``, in text order) and what the control
    stage reads them with.

    ``places[i]`` is the place cluster ``i`` is about ("it", "the town" in its control
    statements): its most specific place, else ``fallback``, the article's most named town.
    ``actors`` are every mention's actors, in mention order; ``country`` is the country
    most of the article's places are in; ``focus`` the countries the article is about (the
    countries, provinces and demonyms it names, and the geo stage's first country)."""

    article: Article
    clusters: tuple[tuple[Mention, ...], ...]
    places: tuple[Place | None, ...]
    fallback: Place | None
    actors: tuple[Actor, ...]
    country: str | None
    focus: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ControlRecords:
    """The control stage's answer for an article's incidents: ``by_incident[i]`` holds the
    control records read off cluster ``i`` of :class:`Incidents` (the events stage codes
    territorial sub-event types from them)."""

    by_incident: tuple[tuple[ControlChange, ...], ...]

    @property
    def records(self) -> tuple[ControlChange, ...]:
        """All records, incident by incident."""
        return tuple(record for records in self.by_incident for record in records)


@dataclass(frozen=True)
class Extraction:
    """What ``extract`` returns for one article."""

    article: Article
    events: tuple[Event, ...] = ()
    control: tuple[ControlChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": dataclasses.asdict(self.article),
            "events": [e.to_dict() for e in self.events],
            "control": [c.to_dict() for c in self.control],
        }


@dataclass(frozen=True)
class Focus:
    """A country an article is about, with its share of the evidence (weights sum to 1)."""

    country_code: str
    country: str
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Geocoded:
    """The geo stage's answer for one text: its places, in span order, its focus, and
    the points that only a stated distance gives ("10 km north of Aleppo", kind
    ``relative``, geo_precision 2)."""

    places: tuple[Place, ...]
    focus: tuple[Focus, ...] = ()
    relative: tuple[Place, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"places": [p.to_dict() for p in self.places],
                "focus": [f.to_dict() for f in self.focus],
                "relative": [p.to_dict() for p in self.relative]}
