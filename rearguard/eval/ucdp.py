"""Score the geocoder on UCDP GED Syria (``../shared/eval/ucdp-ged-syria``, development half).

Two tests, both read from ``ged_syria_dev.csv`` at run time:

* **names**: every distinct place name of the rows with ``where_prec`` 1 (UCDP's "exact
  village or town") is geocoded in the text ``"{name}, Syria"``, with both toponyms as
  spans (so the geocoder knows the country as a reader would, by the same containment it
  reads in "Shirqat, Iraq"); the name's place is scored. Gold is
  the set of the name's row points; a prediction counts within 25 or 161 km of any of them.
  The event-weighted figures score every row against its own point instead.
* **headlines**: every distinct ``source_headline`` of the rows with ``where_prec`` 1 or 2
  is geocoded end to end (``geocode_text`` with the row's publisher as ``source``); a hit is
  some found place within 25 km of the point of any event carrying that headline.

The place name is ``where_coordinates`` with anything after "/" cut and a trailing
village/town/city/area/neighbourhood/district/camp dropped (the README's split rule: every
name so cleaned has an even SHA-1, which the tests check).
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..types import Place
from .corpora import default_data_dir
from .metrics import haversine_km, reliability_table

SUBDIR = "ucdp-ged-syria"
DEV_FILE = "ged_syria_dev.csv"
NAME_PRECISIONS = (1,)  # exact village or town
HEADLINE_PRECISIONS = (1, 2)  # the village or town, or within about 25 km of it
_TRAILING = re.compile(r"\s+(?:village|town|city|area|neighbourhood|district|camp)\s*$",
                       re.IGNORECASE)
_SPACES = re.compile(r"\s+")

SpanGeocoder = Callable[..., list[Place]]  # (text, spans, *, settings) -> list[Place]
TextGeocoder = Callable[..., list[Place]]  # (text, *, settings, source) -> list[Place]


@dataclass(frozen=True)
class UcdpRow:
    """The fields of one GED row that the geocoding tests use."""

    id: str
    name: str
    where_coordinates: str
    where_prec: int | None
    latitude: float
    longitude: float
    headline: str
    source_office: str


def clean_place_name(where_coordinates: str) -> str:
    """UCDP's ``where_coordinates`` as a place name: anything after "/" cut, then a
    trailing village/town/city/area/neighbourhood/district/camp dropped.

    ``"Teir Maaleh village"`` -> ``"Teir Maaleh"``; ``"Tadmur/Palmyra town"`` ->
    ``"Tadmur"``; ``"Kurt Fawqani / Kurd Rojhilate village"`` -> ``"Kurt Fawqani"``."""
    name = where_coordinates.split("/", 1)[0]
    name = _SPACES.sub(" ", name).strip()
    return _TRAILING.sub("", name).strip()


def publisher(source_office: str) -> str | None:
    """The publisher to pass as ``source``: the first of UCDP's ";"-joined offices
    (``"SOHR;Airwars"`` -> ``"SOHR"``), or None when there is none."""
    first = source_office.split(";", 1)[0].strip()
    return first or None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def ucdp_path(data_dir: str | Path | None = None) -> Path:
    """``ged_syria_dev.csv`` in ``data_dir`` (the folder itself or ``shared/eval``)."""
    base = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    if (base / SUBDIR).is_dir():
        base = base / SUBDIR
    return base / DEV_FILE


def read_ucdp(path: str | Path | None = None) -> list[UcdpRow]:
    """The rows of the development CSV that have coordinates (``path``: the file, or a
    folder as for :func:`ucdp_path`). A missing file raises EvalDataError E501."""
    path = Path(path) if path is not None else ucdp_path()
    if path.is_dir():
        path = ucdp_path(path)
    if not path.is_file():
        raise EvalDataError("E501", path=path)
    rows: list[UcdpRow] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            lat, lon = _number(record.get("latitude")), _number(record.get("longitude"))
            if lat is None or lon is None:
                continue
            prec = _number(record.get("where_prec"))
            where = record.get("where_coordinates") or ""
            rows.append(UcdpRow(
                id=record.get("id") or str(len(rows)), name=clean_place_name(where),
                where_coordinates=where, where_prec=None if prec is None else int(prec),
                latitude=lat, longitude=lon, headline=(record.get("source_headline") or "").strip(),
                source_office=record.get("source_office") or "",
            ))
    return rows


def _within(place: Place, points: Iterable[tuple[float, float]], km: float) -> bool:
    if place.latitude is None or place.longitude is None:
        return False
    return any(haversine_km(place.latitude, place.longitude, lat, lon) <= km
               for lat, lon in points)


def _nearest_km(place: Place, points: Sequence[tuple[float, float]]) -> float | None:
    if place.latitude is None or place.longitude is None or not points:
        return None
    return min(haversine_km(place.latitude, place.longitude, lat, lon) for lat, lon in points)


def _share(hits: int, n: int) -> float | None:
    return hits / n if n else None


def _grouped(rows: Iterable[UcdpRow], precisions: Sequence[int], key: str
             ) -> dict[str, list[UcdpRow]]:
    """The rows at ``precisions`` grouped by the non-empty value of field ``key``, in order."""
    gold: dict[str, list[UcdpRow]] = {}
    for row in rows:
        value = getattr(row, key)
        if row.where_prec in precisions and value:
            gold.setdefault(value, []).append(row)
    return gold


def name_gold(rows: Iterable[UcdpRow], precisions: Sequence[int] = NAME_PRECISIONS
              ) -> dict[str, list[UcdpRow]]:
    """The rows of each distinct non-empty name (rows at ``precisions`` only), in order."""
    return _grouped(rows, precisions, "name")


def evaluate_names(
    rows: Sequence[UcdpRow], *, settings: Any = None, limit: int | None = None,
    span_geocoder: SpanGeocoder | None = None,
) -> dict[str, Any]:
    """Acc@25 and Acc@161 of the place names (``where_prec`` 1), per name and per event.

    Keys: names, events, unresolved (names resolved to no place), acc25, acc161 (per name:
    within the distance of any of the name's points), events_acc25, events_acc161 (per
    row, against its own point), median_km (per name, nearest gold point; unresolved
    names count as missing), seconds, reliability (:func:`reliability_table` of the
    resolved names' confidence against within 161 km)."""
    if span_geocoder is None:
        from ..geo import geocode_spans

        span_geocoder = geocode_spans
    gold = name_gold(rows)
    names = list(gold)[:limit] if limit is not None else list(gold)
    hits25 = hits161 = unresolved = events = events25 = events161 = 0
    nearest: list[float] = []
    observations: list[tuple[float, bool]] = []
    began = time.perf_counter()
    for name in names:
        text = f"{name}, Syria"
        place = span_geocoder(text, [(0, len(name)), (len(name) + 2, len(text))],
                              settings=settings)[0]
        points = [(r.latitude, r.longitude) for r in gold[name]]
        if place.latitude is None:
            unresolved += 1
        else:
            near = _nearest_km(place, points)
            assert near is not None
            nearest.append(near)
            observations.append((place.confidence, near <= 161.0))
        hits25 += _within(place, points, 25.0)
        hits161 += _within(place, points, 161.0)
        for point in points:
            events += 1
            events25 += _within(place, [point], 25.0)
            events161 += _within(place, [point], 161.0)
    seconds = time.perf_counter() - began
    nearest.sort()
    return {
        "names": len(names), "events": events, "unresolved": unresolved,
        "acc25": _share(hits25, len(names)), "acc161": _share(hits161, len(names)),
        "events_acc25": _share(events25, events), "events_acc161": _share(events161, events),
        "median_km": nearest[len(nearest) // 2] if nearest else None,
        "seconds": seconds, "reliability": reliability_table(observations),
    }


def headline_gold(rows: Iterable[UcdpRow], precisions: Sequence[int] = HEADLINE_PRECISIONS
                  ) -> dict[str, list[UcdpRow]]:
    """The rows carrying each distinct non-empty headline (rows at ``precisions`` only)."""
    return _grouped(rows, precisions, "headline")


def evaluate_headlines(
    rows: Sequence[UcdpRow], *, settings: Any = None, limit: int | None = None,
    text_geocoder: TextGeocoder | None = None,
) -> dict[str, Any]:
    """The share of headlines (``where_prec`` 1 or 2) where some found place lies within
    25 km of the point of any event carrying the headline.

    Keys: headlines, within25, any_place (share with a resolved place at all), toponyms
    (places found), resolved, seconds, per_s. The publisher passed as ``source`` is the
    first office of the headline's first row (:func:`publisher`)."""
    if text_geocoder is None:
        from ..geo import geocode_text

        text_geocoder = geocode_text
    gold = headline_gold(rows)
    headlines = list(gold)[:limit] if limit is not None else list(gold)
    hits = with_place = toponyms = resolved = 0
    began = time.perf_counter()
    for headline in headlines:
        carriers = gold[headline]
        places = text_geocoder(headline, settings=settings,
                               source=publisher(carriers[0].source_office))
        points = [(r.latitude, r.longitude) for r in carriers]
        found = [p for p in places if p.latitude is not None]
        toponyms += len(places)
        resolved += len(found)
        with_place += bool(found)
        hits += any(_within(p, points, 25.0) for p in found)
    seconds = time.perf_counter() - began
    return {
        "headlines": len(headlines), "within25": _share(hits, len(headlines)),
        "any_place": _share(with_place, len(headlines)), "toponyms": toponyms,
        "resolved": resolved, "seconds": seconds,
        "per_s": len(headlines) / seconds if seconds > 0 else None,
    }


def evaluate_ucdp(
    *, data_dir: str | Path | None = None, settings: Any = None, limit: int | None = None,
    headlines: bool = True, span_geocoder: SpanGeocoder | None = None,
    text_geocoder: TextGeocoder | None = None,
) -> dict[str, Any]:
    """Both UCDP tests: ``{"rows", "names": ..., "headlines": ...}`` (``limit``: the first
    N names and the first N headlines; ``headlines=False`` skips the slower test)."""
    rows = read_ucdp(ucdp_path(data_dir))
    result: dict[str, Any] = {
        "rows": len(rows),
        "names": evaluate_names(rows, settings=settings, limit=limit,
                                span_geocoder=span_geocoder),
    }
    if headlines:
        result["headlines"] = evaluate_headlines(rows, settings=settings, limit=limit,
                                                 text_geocoder=text_geocoder)
    return result


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _md_row(cells: Sequence[Any]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def format_table(result: dict[str, Any]) -> str:
    """A Markdown table of :func:`evaluate_ucdp` results (shares in %)."""
    names = result["names"]
    lines = [
        _md_row(["UCDP GED Syria (dev)", "n", "Acc@25", "Acc@161", "events", "events Acc@25",
                 "events Acc@161", "unresolved", "seconds"]),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        _md_row(['names, where_prec 1, in "{name}, Syria"', names["names"],
                 _pct(names["acc25"]), _pct(names["acc161"]), names["events"],
                 _pct(names["events_acc25"]), _pct(names["events_acc161"]),
                 names["unresolved"], f"{names['seconds']:.1f}"]),
    ]
    heads = result.get("headlines")
    if heads:
        lines += [
            "",
            _md_row(["UCDP headlines, where_prec 1-2", "n", "a found place within 25 km",
                     "any place found", "seconds"]),
            "|---|---:|---:|---:|---:|",
            _md_row(["end to end, source = publisher", heads["headlines"],
                     _pct(heads["within25"]), _pct(heads["any_place"]),
                     f"{heads['seconds']:.1f}"]),
        ]
    return "\n".join(lines)
