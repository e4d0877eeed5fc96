"""What an article is about: the evidence for its countries, before any place is resolved.

A reader resolves "Sinjar" in a Syrian Observatory report to the Syrian village, not to
the Iraqi town, because of what the article is about. The resolver gets that from:

* the **dateline** ("BAGHDAD (Reuters) -", "KABUL, Afghanistan (AP) —"): the place the
  report was filed from (:func:`find_dateline`);
* the **publisher's home** where the input names a source: a country-code host
  (``sana.sy`` says Syria; ``.com`` or a generic ``.io`` says nothing by itself) or a
  publisher in ``data/publishers.tsv``, by name or by host (``www.dawn.com`` is Dawn,
  Pakistan) (:func:`source_country`); international agencies have no home;
* the countries and provinces the text names, and the places it resolves with certainty
  (counted by the resolver, which knows the candidates).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from .normalize import fold
from .sources import read_tsv

# "BAGHDAD (Reuters) -", "KABUL, Afghanistan (AP) —", "MOGADISHU, Somalia, Jan. 5 (Xinhua)
# --", "ALEPPO, Syria —", "Kabul (Reuters) -": an upper-case place, or any place followed
# by an agency in brackets or a date ("Lima, 3 February 1989 --"), at the start of a line
# near the top, then a dash or colon.
_UPPER_PLACE = r"[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3}"
_TITLE_PLACE = r"[A-Z][a-z'’\-]+(?: [A-Z][a-z'’\-]+){0,2}"
# ", Afghanistan", or in brackets as EFE and FBIS write it: "Managua (Nicaragua),"
_QUALIFIER = r"(?:,\s*[A-Z][A-Za-z.'’\- ]{1,30}?|\s*\([A-Z][A-Za-z.'’\- ]{1,30}\))?"
# "Jan. 5", "5 June 1989", and FBIS's "14 NOV 89"
_DAY = (r"(?:,?\s*(?:[A-Z][A-Za-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][A-Za-z]{2,8}\.?)"
        r"(?:,?\s*(?:\d{4}|\d{2}\b))?)")
_DATE = rf"{_DAY}?"
_AGENCY = r"\s*\([^()\n]{2,40}\)"
_DASH = r"\s*(?:-{1,2}|—|–|:)\s"
# "SANA'A, Feb. 5 (Saba) At least ...", "Khartoum, Jun 15 (UNI) A feared unit ...": with a
# date and an agency both, some wires write no dash before the text.
_DATELINE = re.compile(
    rf"^[ \t]*(?:(?P<upper>{_UPPER_PLACE}){_QUALIFIER}{_DATE}(?:{_AGENCY})?{_DASH}"
    rf"|(?P<title>{_TITLE_PLACE}){_QUALIFIER}(?:{_DATE}{_AGENCY}|{_DAY}){_DASH}"
    rf"|(?P<dated>{_UPPER_PLACE}|{_TITLE_PLACE}){_QUALIFIER}{_DAY}{_AGENCY}\s+(?=[A-Z\"“]))",
    re.M,
)
DATELINE_WINDOW = 400  # characters from the top in which a dateline may start

# Country-code top-level domains used as generic names, which say nothing of a home.
_GENERIC_TLDS = frozenset(
    "io tv me ly fm ai cc ws to la gg co am im is it nu su tk ml ga cf".split()
)
_TLD_COUNTRY = {"uk": "GB"}


def find_dateline(text: str) -> tuple[int, int] | None:
    """The span of the dateline's place name, or None when the report has no dateline."""
    for match in _DATELINE.finditer(text, 0, min(len(text), DATELINE_WINDOW)):
        group = next(g for g in ("upper", "title", "dated") if match.group(g))
        start, end = match.span(group)
        name = text[start:end].strip(" .-'’")
        if len(fold(name)) >= 3 and not _is_heading(name):
            return start, start + len(text[start:end].rstrip(" .-'’"))
    return None


_NOT_PLACES = frozenset({
    "update", "updated", "breaking", "breaking news", "exclusive", "analysis", "opinion",
    "editorial", "note", "warning", "correction",
    # "Monday, 5 June --", "Clandestine, 26 May 1989 (Radio Venceremos) --"
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "clandestine"})


def _is_heading(name: str) -> bool:
    """Words that open a line but are not a place ("UPDATE", "BREAKING", "Monday")."""
    return fold(name) in _NOT_PLACES


@lru_cache(maxsize=1)
def _publishers() -> tuple[tuple[re.Pattern[str], str], ...]:
    table = []
    for row in read_tsv("publishers.tsv"):
        names, country = row[0], row[1].strip().upper()
        for name in names.split("|"):
            key = fold(name)
            if key:
                table.append((re.compile(rf"(?:^| ){re.escape(key)}(?: |$)"), country))
    # Longer names first: "Al-Masdar Online" (Yemen) before a shorter one.
    table.sort(key=lambda pair: -len(pair[0].pattern))
    return tuple(table)


def source_country(source: str | None) -> str | None:
    """The home country (ISO alpha-2) of a publisher named by ``source``, or None.

    A URL or host name is read by its country-code domain (``sana.sy`` → SY, generic
    ones such as ``.co`` or ``.io`` say nothing) and by its name; anything else is
    matched against ``data/publishers.tsv`` as whole words."""
    if not source or not source.strip():
        return None
    text = source.strip()
    host = _host(text)
    if host:
        labels = host.split(".")
        tld = labels[-1]
        if len(labels) >= 2 and len(tld) == 2 and tld.isalpha() and tld not in _GENERIC_TLDS:
            return _TLD_COUNTRY.get(tld, tld.upper())
        text = " ".join(labels[:-1])
    key = fold(text)
    for pattern, country in _publishers():
        if pattern.search(key):
            return country
    return None


def _host(source: str) -> str:
    """The host of a URL or bare host name ("https://www.x.sy/a", "x.sy"), else ''."""
    if "://" in source:
        return (urlsplit(source).hostname or "").lower()
    if " " not in source and re.fullmatch(r"[\w\-]+(\.[\w\-]+)+(/\S*)?", source):
        return source.split("/", 1)[0].lower()
    return ""
