"""Score the whole extractor on the real headlines of UCDP GED Syria (development half).

``../shared/eval/ucdp-ged-syria/ged_syria_dev.csv`` holds GED events in Syria 2016-2019,
each with the headline(s) of the report(s) UCDP coded it from (mostly SOHR), their
dates and publishers, and the event's point, dates, sides and type of violence.
:mod:`rearguard.eval.ucdp` scores the geocoder on them; this module scores the events.

**Reports.** A row's ``source_headline``, ``source_date`` and ``source_office`` list its
reports joined by ";" (HTML entities such as ``&#8217;`` are decoded first, or their ";"
would split a headline). :func:`split_reports` pairs each headline with its own date and
publisher. A report is a distinct (headline, date); the GED rows carrying it are its
gold, and there may be several (a SOHR daily toll names events all over the country).

**Run.** Each report is one article: the headline as its text, the date as its
publication date, the publisher as its ``source``; the whole extractor
(:class:`rearguard.pipeline.Pipeline`) returns its events.

**Measures, over reports** (:func:`score_report`; a report scores when *some* event of
it agrees with *some* row carrying it):

* ``any``: the report yields an event;
* ``place25`` / ``place161``: an event lies within 25 / 161 km of the point of a row
  with ``where_prec`` 1 or 2 (the village or town, or within about 25 km of it); the
  denominator is the reports that have such a row;
* ``date``: an event's date lies in a row's [date_start - 1 day, date_end + 1 day];
* ``actors``: one of the event's actors maps to the row's side_a and another to its
  side_b (:func:`side_matches`); ``one_side``: one of them maps to either side;
* ``type``: the event type agrees loosely with ``type_of_violence``
  (:data:`VIOLENCE_TYPES`: one-sided is Violence against civilians, state-based and
  non-state are Battles or Explosions/Remote violence);
* ``published_in_window``: the publication date itself lies in a row's date window (a
  ceiling for ``date`` that shows UCDP's own date slips, such as a source dated a year
  before its event).

Date, actor and type shares are given over all reports and over those with an event.

**Misses** (:class:`Diagnosis`), the reports with no event and those whose events are
all more than 25 km from the point, by a cause read off the extractor's own stages, the
first that holds: not a news headline (Airwars' incident codes, "Syria Daily Report
28/02/2016", an address); no trigger word (the cascade's test); no place resolved (a
country-wide daily toll, "132 people were killed yesterday", apart); an event the news
filter dropped as background (run again with ``news_filter`` off); no incident formed
from the trigger (the events stage's ``find_incidents``); an incident with no place; an
incident not coded with no armed side the actor table knows (the violence gate wants
one), or with one (the other gates). Far: an event at
another of the headline's places (one found place is near the point); UCDP's place named
in the headline (by spelling) but resolved elsewhere; UCDP's place not in the headline
and the event at a province or region; ... and at another place.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import html
import random
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EvalDataError, InputError
from ..types import Article, Event
from .articles import actor_names, describe_event
from .metrics import haversine_km
from .ucdp import HEADLINE_PRECISIONS, clean_place_name, ucdp_path

if TYPE_CHECKING:
    from ..pipeline import Pipeline
    from ..types import Place

PLACE_KM = 25.0
WIDE_KM = 161.0
DATE_SLACK_DAYS = 1
DEFAULT_SEED = 2019
REQUIRED_COLUMNS = ("source_headline", "source_date", "source_office", "where_prec",
                    "where_coordinates", "latitude", "longitude", "date_start", "date_end",
                    "side_a", "side_b", "type_of_violence")

# ---------------------------------------------------------------------------- the sides
#
# UCDP names the sides of a dyad; ACLED (and rearguard) name actors. A UCDP side is a
# "government of X", a group, or a list of groups joined by ", " (a coalition: any one
# of them may answer). The mapping, loose on purpose (a headline rarely names the
# faction UCDP coded from the report's body):
#
#   Government of Syria -> Military Forces of Syria, Police Forces of Syria, and those
#       UCDP counts on the government's side in Syria: Military Forces of Russia and of
#       Iran, Hezbollah, NDF, Shia militias (GED codes Russian air strikes as the
#       government's).
#   Government of X     -> Military Forces of X, Police Forces of X.
#   IS                  -> Islamic State (any country suffix or province).
#   SDF                 -> SDF: Syrian Democratic Forces, YPG: People's Protection Units
#                          (and YPJ, Asayish).
#   Civilians           -> Civilians (any country).
#   Hezbollah, PKK      -> the same group.
#   any other side (Syrian insurgents, HTS, SNA, Ahrar al-Sham, Fatah Halab, "Hawar
#       Kilis Operations Room"...) -> any Syrian opposition or rebel group:
#       :data:`SYRIAN_OPPOSITION`, which holds every Syrian rebel name of
#       rearguard/data/actors.tsv except the SDF and the YPG (a test keeps them in step).

SYRIAN_GOVERNMENT_SIDE = frozenset({
    "military forces of syria", "police forces of syria", "military forces of russia",
    "military forces of iran", "hezbollah", "ndf", "national defence forces",
    "national defense forces", "shia militia", "shabiha",
})
SDF_NAMES = frozenset({"sdf", "syrian democratic forces", "ypg", "people's protection units",
                       "ypj", "asayish"})
SYRIAN_OPPOSITION = frozenset({
    "opposition rebels", "free syrian army", "syrian national army", "hayat tahrir al-sham",
    "jabhat al-nusra", "jabhat fateh al-sham", "ahrar al-sham", "jaish al-islam",
    "jaysh al-islam", "faylaq al-rahman", "rahman corps", "national front for liberation",
    "southern front", "nour al-din al-zenki", "sham legion", "faylaq al-sham",
    "jaysh al-izza", "jaish al-izza", "hurras al-din", "turkistan islamic party",
    "jund al-aqsa", "syrian liberation front", "fatah halab", "jaish al-fatah",
})
_GOVERNMENT = re.compile(r"^government of (?:the )?(.+)$")
_COUNTRY_NAMES = {"united states of america": "united states"}  # UCDP's name -> ACLED's

# The ACLED event types that agree with UCDP's type_of_violence (1 state-based, 2
# non-state, 3 one-sided).
VIOLENCE_TYPES: dict[int, frozenset[str]] = {
    1: frozenset({"Battles", "Explosions/Remote violence"}),
    2: frozenset({"Battles", "Explosions/Remote violence"}),
    3: frozenset({"Violence against civilians"}),
}


def _side_part_matches(part: str, names: set[str]) -> bool:
    side = " ".join(part.split()).casefold()
    government = _GOVERNMENT.match(side)
    if government:
        country = _COUNTRY_NAMES.get(government.group(1), government.group(1))
        own = {f"military forces of {country}", f"police forces of {country}",
               f"military forces of the {country}", f"police forces of the {country}"}
        if country == "syria":
            own |= SYRIAN_GOVERNMENT_SIDE
        return bool(names & own)
    if side in ("is", "isis", "isil", "islamic state"):
        return any(n.startswith("islamic state") for n in names)
    if side == "sdf":
        return bool(names & SDF_NAMES)
    if side in ("ndf", "ndf (syria)", "national defence forces"):
        return bool(names & SYRIAN_GOVERNMENT_SIDE)
    if side == "civilians":
        return "civilians" in names
    if side in ("hezbollah", "pkk"):
        return side in names or any(n.startswith(side) for n in names)
    return bool(names & SYRIAN_OPPOSITION)


def side_matches(side: str, actor: str | None) -> bool:
    """Whether ACLED-style ``actor`` answers to UCDP ``side`` (the module's mapping).

    ``side_matches("Government of Syria", "Military Forces of Syria (2000-)")`` and
    ``side_matches("IS", "Islamic State (Syria)")`` hold; a coalition side
    ("Ahrar al-Sham, HTS, Southern Front") matches when any of its groups does."""
    if not actor or not side.strip():
        return False
    names = actor_names(actor)
    return any(_side_part_matches(part, names) for part in side.split(",") if part.strip())


def _event_sides(event: Event) -> tuple[list[str], list[str]]:
    def names(main: str, assoc: str) -> list[str]:
        return [n.strip() for n in [main, *assoc.split(";")] if n and n.strip()]

    return names(event.actor1, event.assoc_actor_1), names(event.actor2, event.assoc_actor_2)


def actors_agree(event: Event, side_a: str, side_b: str) -> bool:
    """One of the event's actors (actor1 and its associates, or actor2 and its) maps to
    ``side_a`` and one on the other side of the event to ``side_b``, either way round."""
    first, second = _event_sides(event)

    def maps(names: list[str], side: str) -> bool:
        return any(side_matches(side, n) for n in names)

    return (maps(first, side_a) and maps(second, side_b)) or \
        (maps(first, side_b) and maps(second, side_a))


def one_side_agrees(event: Event, side_a: str, side_b: str) -> bool:
    """Some actor of the event maps to ``side_a`` or to ``side_b``."""
    first, second = _event_sides(event)
    return any(side_matches(s, n) for n in first + second for s in (side_a, side_b))


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class GedRow:
    """The fields of one GED row that the events measure reads."""

    id: str
    where_prec: int | None
    where_coordinates: str
    latitude: float | None
    longitude: float | None
    date_start: str
    date_end: str
    side_a: str
    side_b: str
    type_of_violence: int | None

    @property
    def name(self) -> str:
        return clean_place_name(self.where_coordinates)

    @property
    def placeable(self) -> bool:
        return self.where_prec in HEADLINE_PRECISIONS and self.latitude is not None \
            and self.longitude is not None


@dataclass
class Report:
    """One report: a headline with its own date and publisher, and the rows citing it."""

    headline: str
    published: str | None
    source: str | None
    rows: list[GedRow] = dataclasses.field(default_factory=list)

    @property
    def key(self) -> tuple[str, str | None]:
        return self.headline, self.published


def split_reports(headlines: str, dates: str, offices: str
                  ) -> list[tuple[str, str | None, str | None]]:
    """A row's reports as (headline, date, publisher), each headline with its own date.

    UCDP joins a row's reports with ";" in all three fields, but a headline may hold a
    ";" of its own ("Aleppo; fierce clashes"). HTML entities are decoded first. When
    splitting the headlines at every ";" gives as many as the dates, that is the answer;
    else at the ";" not followed by a space (UCDP's joins have none); else at every ";",
    the i-th headline taking the i-th date (the last one when the dates run out). A
    publisher pairs likewise (the first when the counts differ); empty pieces are dropped.
    """
    text = html.unescape(headlines or "")
    days = [d.strip() or None for d in (dates or "").split(";")] or [None]
    offices_ = [o.strip() or None for o in (offices or "").split(";")]
    pieces = text.split(";")
    if len(pieces) != len(days):
        tight = re.split(r";(?!\s)", text)
        if len(tight) == len(days):
            pieces = tight
    out = []
    for i, piece in enumerate(pieces):
        piece = " ".join(piece.split())
        if not piece:
            continue
        day = days[min(i, len(days) - 1)]
        office = offices_[i] if len(offices_) == len(pieces) else (offices_ or [None])[0]
        out.append((piece, day, office))
    return out


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _day(value: str | None) -> str | None:
    """An ISO day, or None when ``value`` is not one."""
    try:
        return dt.date.fromisoformat((value or "").strip()[:10]).isoformat()
    except ValueError:
        return None


def read_reports(path: str | Path | None = None) -> list[Report]:
    """The reports of the development CSV in order of first appearance, each with the
    rows citing it (``path``: the file, or a folder as for :func:`ucdp_path`).

    A missing file raises EvalDataError E501; a file that is not a GED CSV (missing
    columns, not UTF-8) raises InputError E106 naming it."""
    path = Path(path) if path is not None else ucdp_path()
    if path.is_dir():
        path = ucdp_path(path)
    if not path.is_file():
        raise EvalDataError("E501", path=path)
    reports: dict[tuple[str, str | None], Report] = {}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError("E106", where=str(path),
                                 detail="not a UCDP GED CSV: no column " + ", ".join(missing))
            for number, record in enumerate(reader, start=2):
                prec = _number(record.get("where_prec"))
                kind = _number(record.get("type_of_violence"))
                row = GedRow(
                    id=record.get("id") or f"line {number}",
                    where_prec=None if prec is None else int(prec),
                    where_coordinates=record.get("where_coordinates") or "",
                    latitude=_number(record.get("latitude")),
                    longitude=_number(record.get("longitude")),
                    date_start=_day(record.get("date_start")) or "",
                    date_end=_day(record.get("date_end")) or _day(record.get("date_start"))
                    or "",
                    side_a=record.get("side_a") or "", side_b=record.get("side_b") or "",
                    type_of_violence=None if kind is None else int(kind),
                )
                for headline, day, office in split_reports(
                        record.get("source_headline") or "", record.get("source_date") or "",
                        record.get("source_office") or ""):
                    report = reports.setdefault((headline, _day(day)),
                                                Report(headline, _day(day), office))
                    if row not in report.rows:
                        report.rows.append(row)
    except UnicodeDecodeError as e:
        raise InputError("E106", where=str(path), detail=f"not UTF-8 text ({e.reason})") \
            from None
    except csv.Error as e:
        raise InputError("E106", where=str(path), detail=f"not a readable CSV ({e})") \
            from None
    return list(reports.values())


PARTS = ("tune", "check")


def part_of(report: Report) -> str:
    """``"tune"`` or ``"check"``: the half of the reports a headline falls in, by the
    SHA-1 of its text (even: tune). Changes are judged on the tuning half; the checking
    half's misses are not read, so its figure says how far the tuning generalised."""
    digest = hashlib.sha1(report.headline.encode("utf-8")).digest()
    return PARTS[digest[-1] % 2]


def choose(reports: Sequence[Report], *, sample: int | None = None,
           seed: int = DEFAULT_SEED, limit: int | None = None,
           part: str | None = None) -> list[Report]:
    """The reports to run: those of ``part`` (:func:`part_of`) if given, then a seeded
    sample of ``sample`` (kept in file order), then the first ``limit``; deterministic
    for a given seed."""
    chosen = [r for r in reports if part is None or part_of(r) == part]
    if sample is not None and sample < len(chosen):
        keep = set(random.Random(seed).sample(range(len(chosen)), sample))
        chosen = [r for i, r in enumerate(chosen) if i in keep]
    return chosen[:limit] if limit is not None else chosen


# ---------------------------------------------------------------------------- scoring


def _near(event: Event, row: GedRow, km: float) -> bool:
    if event.latitude is None or event.longitude is None or not row.placeable:
        return False
    assert row.latitude is not None and row.longitude is not None
    return haversine_km(event.latitude, event.longitude, row.latitude, row.longitude) <= km


def in_window(day: str | None, row: GedRow, slack: int = DATE_SLACK_DAYS) -> bool:
    """``day`` lies in [date_start - slack, date_end + slack] of ``row``."""
    day = _day(day)
    if day is None or not row.date_start:
        return False
    start = dt.date.fromisoformat(row.date_start) - dt.timedelta(days=slack)
    end = dt.date.fromisoformat(row.date_end or row.date_start) + dt.timedelta(days=slack)
    return start <= dt.date.fromisoformat(day) <= end


def type_agrees(event: Event, row: GedRow) -> bool:
    """The event type is one :data:`VIOLENCE_TYPES` allows for the row's violence type."""
    return event.event_type in VIOLENCE_TYPES.get(row.type_of_violence or 0, frozenset())


MEASURES = ("any", "place25", "place161", "date", "actors", "one_side", "type",
            "published_in_window")


def score_report(report: Report, events: Sequence[Event]) -> dict[str, bool | None]:
    """Each measure of one report (module docstring); ``place25``/``place161`` are None
    when no row citing it has a point at where_prec 1-2."""
    rows = report.rows
    placeable = any(r.placeable for r in rows)

    def some(test: Any) -> bool:
        return any(test(e, r) for e in events for r in rows)

    return {
        "any": bool(events),
        "place25": some(lambda e, r: _near(e, r, PLACE_KM)) if placeable else None,
        "place161": some(lambda e, r: _near(e, r, WIDE_KM)) if placeable else None,
        "date": some(lambda e, r: in_window(e.event_date, r)),
        "actors": some(lambda e, r: actors_agree(e, r.side_a, r.side_b)),
        "one_side": some(lambda e, r: one_side_agrees(e, r.side_a, r.side_b)),
        "type": some(type_agrees),
        "published_in_window": any(in_window(report.published, r) for r in rows),
    }


def tally(scores: Iterable[dict[str, bool | None]]) -> dict[str, Any]:
    """Counts and shares of :func:`score_report` results: ``n``; for each measure its
    ``{"hits", "n", "share"}`` over the reports it applies to; and, for date, actors,
    one_side and type, the same over the reports with an event (``<measure>_given_event``)."""
    counts: dict[str, list[int]] = {}
    n = 0
    for score in scores:
        n += 1
        for name, value in score.items():
            cell = counts.setdefault(name, [0, 0])
            if value is not None:
                cell[0] += bool(value)
                cell[1] += 1
            if name in ("date", "actors", "one_side", "type") and score["any"]:
                given = counts.setdefault(f"{name}_given_event", [0, 0])
                given[0] += bool(value)
                given[1] += 1
    out: dict[str, Any] = {"n": n}
    for name in [*MEASURES, *(f"{m}_given_event" for m in ("date", "actors", "one_side",
                                                          "type"))]:
        hits, den = counts.get(name, [0, 0])
        out[name] = {"hits": hits, "n": den, "share": hits / den if den else None}
    return out


# ---------------------------------------------------------------------------- misses

NOT_NEWS = "no event: not a news headline (an incident code or title, a page title, an address)"
NO_TRIGGER = "no event: no trigger word"
TOLL = "no event: a toll for the whole country, no place named"
NO_PLACE = "no event: a trigger but no place resolved"
BACKGROUND = "no event: dropped as background by the news filter"
NO_INCIDENT = "no event: trigger and place, but no incident formed"
UNPLACED = "no event: an incident, but no place attached to it"
NO_ARMED_SIDE = "no event: an incident, not coded: no armed side named (the violence gate)"
NOT_CODED = "no event: an incident with an armed side, not coded (the gates)"
OTHER_PLACE = "far: the event took another of the headline's places"
NAMED_ELSEWHERE = "far: UCDP's place named in the headline, resolved elsewhere"
REGION = "far: UCDP's place not in the headline, event at a province or region"
OTHER_TOWN = "far: UCDP's place not in the headline, event at another place"
CAUSES = (NOT_NEWS, NO_TRIGGER, TOLL, NO_PLACE, BACKGROUND, NO_INCIDENT, UNPLACED,
          NO_ARMED_SIDE, NOT_CODED,
          OTHER_PLACE, NAMED_ELSEWHERE, REGION, OTHER_TOWN)
# Airwars' incident codes ("R3880", "CS225", "(S428) Hunaida village, Raqqa governorate"),
# Waha's "Syria Daily Report 28/02/2016", a bare address: titles that report no incident.
# Also Airwars' page titles ("Airwars assessment") and its dated incident titles without
# a code ("March 31st 2017: Raqqa city, Raqqa governorate, Syria").
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_NOT_NEWS = re.compile(r"^\W*[A-Z]{1,3}\d+[a-z]?\W*$|\(S\d+[a-z]?\)|\(\d{3,}[a-z]?\)|daily report|"
                       r"^\s*https?://|"
                       r"^\W*(?:US-led Coalition in Iraq & Syria|Airwars assessment|"
                       r"Airwars Civilian Casualties)\W*$|"
                       rf"^\W*(?:around\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b.*?"
                       r"\b(?:19|20)\d\d\s*(?::|$)", re.IGNORECASE)
# SOHR's daily toll: "132 people were killed yesterday, including 44 members of ...".
_TOLL = re.compile(r"\bkilled (?:yesterday|today)\b", re.IGNORECASE)
_ARTICLE = re.compile(r"\b(?:al|el|ar|as|ash|at|ad|an|az|ath)[-\s]")


def fold_name(text: str) -> str:
    """A spelling for comparing names: accents, the Arabic article ("al-", "Ash "),
    apostrophes and punctuation dropped, case folded ("Ḩarf al-Musaytirah" ->
    "harf musaytirah")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[’'‘`ʿʾ]", "", text)
    text = _ARTICLE.sub(" ", " " + text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def names_place(headline: str, rows: Sequence[GedRow]) -> bool:
    """Some placeable row's place name (cleaned, folded) occurs in the headline, as whole
    words. Spelling only: "Ter Ma'la" does not find "Teir Maaleh"."""
    text = f" {fold_name(headline)} "
    return any(f" {fold_name(r.name)} " in text for r in rows if r.placeable and r.name)


def _region_level(event: Event) -> bool:
    return (event.geo_precision or 0) >= 3


def far_cause(report: Report, events: Sequence[Event], places: Sequence[Place]) -> str:
    """Why events that are all more than 25 km from every point are there (``places``:
    the places the geo stage resolved in the headline)."""
    rows = [r for r in report.rows if r.placeable]
    for place in places:
        if place.latitude is None or place.longitude is None:
            continue
        if any(haversine_km(place.latitude, place.longitude, r.latitude or 0.0,
                            r.longitude or 0.0) <= PLACE_KM for r in rows):
            return OTHER_PLACE
    if names_place(report.headline, rows):
        return NAMED_ELSEWHERE
    return REGION if all(_region_level(e) for e in events) else OTHER_TOWN


ARMED_INTER = (1, 2, 3, 4, 8)  # state, rebel, militia, identity militia, external forces


@dataclass(frozen=True)
class Reading:
    """What the stages read in a headline: its resolved places, and how many incidents
    the events stage formed and how many of them have a place."""

    places: list[Place]
    incidents: int
    placed: int


def is_news(headline: str) -> bool:
    """Not an incident code, a dated incident title, a daily report's title or an address
    (Airwars' "R3880" and "(S487) Ratlah village, ...", Waha's "Syria Daily Report
    28/02/2016"): a headline a reader could code an event from."""
    return not _NOT_NEWS.search(headline)


class Diagnosis:
    """Reads why a report gave no event or a far one, from the pipeline's own stages."""

    def __init__(self, pipeline: Pipeline, unfiltered: Pipeline | None = None):
        """``unfiltered``: the pipeline with ``news_filter`` off (made when first needed)."""
        self.pipeline = pipeline
        self._unfiltered = unfiltered

    def read(self, article: Article) -> Reading:
        """The geo stage's places of the headline and the events stage's incidents."""
        parsed = self.pipeline.parse(article)
        located = self.pipeline.locate(parsed)
        incidents = self.pipeline.incidents(parsed, located)
        return Reading(places=[p for p in located.places.values() if p.latitude is not None],
                       incidents=len(incidents.clusters),
                       placed=sum(p is not None for p in incidents.places))

    def unfiltered(self, article: Article) -> tuple[Event, ...]:
        if not self.pipeline.settings.news_filter:
            return ()
        if self._unfiltered is None:
            from ..pipeline import Pipeline

            self._unfiltered = Pipeline(dataclasses.replace(self.pipeline.settings,
                                                            news_filter=False))
        return self._unfiltered.extract(article).events

    def cause(self, report: Report, article: Article, events: Sequence[Event]) -> str:
        if events:
            return far_cause(report, events, self.read(article).places)
        from ..actors.resolve import find_actors
        from ..events.triggers import has_trigger

        text = article.text
        if not is_news(text):
            return NOT_NEWS
        if not has_trigger(text):
            return NO_TRIGGER
        reading = self.read(article)
        if not reading.places:
            return TOLL if _TOLL.search(text) else NO_PLACE
        if self.unfiltered(article):
            return BACKGROUND
        if not reading.incidents:
            return NO_INCIDENT
        if not reading.placed:
            return UNPLACED
        armed = [a for a in find_actors(text, country_code="SY") if a.inter in ARMED_INTER]
        return NOT_CODED if armed else NO_ARMED_SIDE


# ---------------------------------------------------------------------------- running


def article_for(report: Report, number: int) -> Article:
    """The article fed to the extractor: the headline, its date and its publisher."""
    return Article(id=f"ucdp:{number}", text=report.headline, published=report.published,
                   source=report.source)


def _describe_rows(rows: Sequence[GedRow]) -> str:
    first = rows[0]
    dates = first.date_start if first.date_start == first.date_end else \
        f"{first.date_start}..{first.date_end}"
    more = f" (+{len(rows) - 1} rows)" if len(rows) > 1 else ""
    return (f"{first.where_coordinates} (prec {first.where_prec}), {dates}, "
            f"{first.side_a} v {first.side_b}, type {first.type_of_violence}{more}")


def evaluate_ucdp_events(
    *, data_dir: str | Path | None = None, settings: Any = None, limit: int | None = None,
    sample: int | None = None, seed: int = DEFAULT_SEED, examples: int = 5,
    pipeline: Pipeline | None = None, part: str | None = None,
) -> dict[str, Any]:
    """Run the extractor on the chosen reports and score them (module docstring).

    Returns ``reports`` (in the file), ``scores`` (:func:`tally`), ``news_scores`` (the
    same over the reports whose headline :func:`is_news`), ``causes`` ({cause:
    count}, over the reports with no event and those placeable with no event within
    25 km), ``misses`` ({cause: up to ``examples`` dicts}), ``sample``, ``seed`` and
    ``seconds`` (the extractor and the diagnosis)."""
    every = read_reports(ucdp_path(data_dir))
    chosen = choose(every, sample=sample, seed=seed, limit=limit, part=part)
    began = time.perf_counter()
    if pipeline is None:
        from ..pipeline import Pipeline

        pipeline = Pipeline(settings)
    articles = [article_for(r, i) for i, r in enumerate(chosen)]
    extractions = []
    for start in range(0, len(articles), 8):
        for found in pipeline.extract_many(articles[start:start + 8]):
            if isinstance(found, Exception):
                raise found
            extractions.append(found)
    extract_seconds = time.perf_counter() - began
    diagnosis = Diagnosis(pipeline)
    scores, news = [], []
    causes: Counter[str] = Counter()
    misses: dict[str, list[dict[str, Any]]] = {}
    for report, article, extraction in zip(chosen, articles, extractions, strict=True):
        events = extraction.events
        score = score_report(report, events)
        scores.append(score)
        if is_news(report.headline):
            news.append(score)
        far = score["any"] and score["place25"] is False
        if score["any"] and not far:
            continue
        cause = diagnosis.cause(report, article, events)
        causes[cause] += 1
        if len(misses.setdefault(cause, [])) < examples:
            misses[cause].append({
                "headline": report.headline, "published": report.published,
                "source": report.source, "ucdp": _describe_rows(report.rows),
                "predicted": [describe_event(e) for e in events],
            })
    return {
        "reports": len(every), "sample": sample, "seed": seed if sample else None,
        "limit": limit, "part": part, "scores": tally(scores), "news_scores": tally(news),
        "causes": {c: causes[c] for c in CAUSES if causes[c]},
        "misses": {c: misses[c] for c in CAUSES if c in misses},
        "seconds": time.perf_counter() - began, "extract_seconds": extract_seconds,
    }


# ---------------------------------------------------------------------------- tables

LABELS = {
    "any": "yields an event",
    "place25": "an event within 25 km of a point (where_prec 1-2)",
    "place161": "an event within 161 km of a point (where_prec 1-2)",
    "date": "an event dated in [date_start - 1, date_end + 1]",
    "actors": "actors: one maps to side_a, another to side_b",
    "one_side": "actors: one maps to either side",
    "type": "event type agrees with type_of_violence",
    "published_in_window": "(ceiling) the publication date in the window",
}


def _cell(cell: dict[str, Any]) -> str:
    share = "–" if cell["share"] is None else f"{100 * cell['share']:.1f}"
    return f"{share} ({cell['hits']}/{cell['n']})"


def format_table(results: dict[str, Any]) -> str:
    """A Markdown table of the shares, a line on the run, and the miss causes."""
    scores, news = results["scores"], results["news_scores"]
    lines = ["| UCDP GED Syria headlines, end to end | of all reports | of news headlines | "
             "of reports with an event |", "|---|---:|---:|---:|"]
    for name in MEASURES:
        given = scores.get(f"{name}_given_event")
        lines.append(f"| {LABELS[name]} | {_cell(scores[name])} | {_cell(news[name])} | "
                     f"{_cell(given) if given else ''} |")
    how = f"a sample of {results['sample']} (seed {results['seed']})" if results["sample"] \
        else "all"
    if results.get("limit") is not None:
        how += f", the first {results['limit']}"
    if results.get("part"):
        how = f"the {results['part']} half: " + how
    n, seconds = scores["n"], results["seconds"]
    lines += ["", f"{n} reports ({how} of {results['reports']}), {news['n']} of them news "
              f"headlines (not an incident code or title); {seconds:.1f} s "
              f"({results['extract_seconds']:.1f} s extracting, "
              f"{n / results['extract_seconds'] if results['extract_seconds'] else 0:.1f} "
              "reports/s)"]
    if results["causes"]:
        lines += ["", "Misses by cause (no event; or placeable with no event within 25 km):"]
        lines += [f"- {cause}: {count}" for cause, count in results["causes"].items()]
    return "\n".join(lines)


def _short(text: str, limit: int = 180) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def format_misses(results: dict[str, Any]) -> str:
    """The examples of each miss cause, one line each: the report, UCDP's row, the events."""
    lines: list[str] = []
    for cause, rows in results["misses"].items():
        lines += ["", f"## {cause} ({results['causes'][cause]})", ""]
        for m in rows:
            found = "; ".join(m["predicted"]) or "no event"
            lines.append(f"- {m['published']} {m['source'] or ''}: \"{_short(m['headline'])}\" "
                         f"— UCDP: {m['ucdp']} — extractor: {found}")
    return "\n".join(lines).strip()

