"""Typed records passed between the stages. All are frozen dataclasses."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

# ACLED geo_precision codes.
PRECISION_TOWN = 1
PRECISION_NEAR = 2
PRECISION_REGION = 3


@dataclass(frozen=True)
class Article:
    """A news report. ``published`` is an ISO date (YYYY-MM-DD) or None."""

    id: str
    text: str
    published: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None


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
    kind: str = "toponym"  # toponym | demonym

    @property
    def resolved(self) -> bool:
        return self.latitude is not None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
