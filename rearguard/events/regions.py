"""Country facts an ACLED row needs: its region and numeric ISO 3166 code.

ACLED's regions follow the UN's geoscheme with a few changes (the Middle East spans
Western Asia and Iran; the Caucasus joins Central Asia; Africa and the Americas are split
more finely than the UN's "Sub-Saharan Africa" and "Latin America"). The hand table below
names the countries where the UN subregion from countryinfo does not decide it.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

_BY_HAND: dict[str, str] = {}
for _region, _codes in {
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG SH",
    "Middle Africa": "AO CM CF TD CG CD GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO TF",
    "Southern Africa": "BW LS NA ZA SZ",
    "Northern Africa": "DZ EG LY MA SD TN EH",
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "Middle East": "BH CY IR IQ IL JO KW LB OM PS QA SA SY TR AE YE",
    "Caribbean": "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX "
                 "TT TC VI AN",
    "Central America": "BZ CR SV GT HN MX NI PA",
    "South America": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE GS BV",
    "North America": "US CA BM GL PM",
    "South Asia": "AF BD BT IN MV NP PK LK",
    "Southeast Asia": "BN KH TL ID LA MY MM PH SG TH VN",
    "East Asia": "CN HK JP KP KR MN MO TW",
}.items():
    for _code in _codes.split():
        _BY_HAND[_code] = _region

_FROM_SUBREGION = {
    "Eastern Europe": "Europe", "Northern Europe": "Europe", "Southern Europe": "Europe",
    "Western Europe": "Europe", "Australia and New Zealand": "Oceania", "Melanesia": "Oceania",
    "Micronesia": "Oceania", "Polynesia": "Oceania", "Western Asia": "Middle East",
}


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    """ISO2 -> (region, numeric ISO code) for every country countryinfo knows."""
    import countryinfo

    facts: dict[str, tuple[str, str]] = {}
    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        iso = data.get("ISO") or {}
        code = str(iso.get("alpha2") or "").upper()
        if not code:
            continue
        region = _BY_HAND.get(code) or _FROM_SUBREGION.get(data.get("subregion") or "", "")
        facts.setdefault(code, (region, str(iso.get("numeric") or "")))
    return facts


def acled_region(country_code: str | None) -> str:
    """ACLED's region for an ISO alpha-2 code ('' when unknown)."""
    if not country_code:
        return ""
    code = country_code.upper()
    return _BY_HAND.get(code) or _countries().get(code, ("", ""))[0]


def iso_numeric(country_code: str | None) -> int | None:
    """The numeric ISO 3166-1 code ACLED's ``iso`` column holds (Iraq: 368)."""
    if not country_code:
        return None
    number = _countries().get(country_code.upper(), ("", ""))[1]
    return int(number) if number.isdigit() else None
