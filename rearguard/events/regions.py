"""Facts an ACLED row needs about its country (region, numeric ISO 3166 code) and its
sources (``source_scale``).

ACLED's regions follow the UN's geoscheme with a few changes (the Middle East spans
Western Asia and Iran; the Caucasus joins Central Asia; Africa and the Americas are split
more finely than the UN's "Sub-Saharan Africa" and "Latin America"). The hand table below
names the countries where the UN subregion from countryinfo does not decide it.
"""

from __future__ import annotations

import functools
import json
import re
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


# -- source_scale -----------------------------------------------------------------------
# ACLED names each source's scale (Local, Subnational, National, Regional, International,
# New media, Other) and joins an event's distinct scales with a hyphen
# ("National-International"). rearguard knows a source only by the name an article carries
# (a feed's title, a site name, the ``source`` of a JSON Lines record), so it names the
# scale of the sources it recognises, the international wire services and broadcasters
# below; unknown sources add nothing, rather than a guess.

INTERNATIONAL = (
    "associated press", "ap", "apw", "reuters", "afp", "agence france-presse",
    "agence france presse", "xinhua", "bbc", "bbc news", "al jazeera", "aljazeera", "dpa",
    "efe", "ansa", "anadolu", "anadolu agency", "voice of america", "voa", "rfe/rl",
    "radio free europe", "the new york times", "new york times", "the guardian",
    "the washington post", "washington post", "cnn", "france 24", "deutsche welle", "dw",
    "sky news", "upi", "bloomberg", "middle east eye", "the national", "the independent",
    "kyodo", "tass", "itar-tass", "interfax",
)
ORDER = ("Local", "Subnational", "National", "Regional", "International", "New media", "Other")
_KEYS = {name: "International" for name in INTERNATIONAL}


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w/ -]", " ", name.lower())).strip()


def scale_of(source: str) -> str:
    """The scale of one source name ("" when rearguard does not know it)."""
    return _KEYS.get(_key(source), "")


def source_scale(sources: str) -> str:
    """ACLED's source_scale for an event's ``source`` column ("AP; Reuters" ->
    "International"), the distinct known scales in ACLED's order, joined by "-"."""
    scales = {scale_of(s) for s in sources.split(";")} - {""}
    return "-".join(s for s in ORDER if s in scales)
