"""ACLED regions and numeric ISO codes for the country columns."""

from __future__ import annotations

import pytest

from rearguard.events.regions import acled_region, iso_numeric


@pytest.mark.parametrize(("code", "region", "iso"), [
    ("IQ", "Middle East", 368), ("SY", "Middle East", 760), ("IR", "Middle East", 364),
    ("AF", "South Asia", 4), ("NG", "Western Africa", 566), ("SO", "Eastern Africa", 706),
    ("SD", "Northern Africa", 729), ("CD", "Middle Africa", 180), ("ZA", "Southern Africa", 710),
    ("UA", "Europe", 804), ("CO", "South America", 170), ("MX", "Central America", 484),
    ("HT", "Caribbean", 332), ("MM", "Southeast Asia", 104),
    ("AZ", "Caucasus and Central Asia", 31), ("US", "North America", 840),
    ("PG", "Oceania", 598), ("CN", "East Asia", 156),
])
def test_region_and_iso(code: str, region: str, iso: int) -> None:
    assert acled_region(code) == region
    assert acled_region(code.lower()) == region
    assert iso_numeric(code) == iso


@pytest.mark.parametrize("code", [None, "", "ZZ"])
def test_unknown(code) -> None:
    assert acled_region(code) == ""
    assert iso_numeric(code) is None
