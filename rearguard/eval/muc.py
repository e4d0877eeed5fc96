"""Score rearguard's event extractor on MUC-4 (dev = TST1+TST2, 200 documents).

The documents and role-filler entities come from the GTT/GRIT ``processed/dev.json``; the
full 1992 answer keys (``derived/muc4_dev_keys_full.jsonl``, one record per template, in
the same order as the processed templates) add the incident date, location and effect on
the human targets; the original upper-case texts (``raw/tst1-muc3``, ``raw/tst2-muc4``)
give each report's dateline (place, date, source). See docs/muc4.md for the method.

Scores, all at document level:

* the five string roles (PerpInd, PerpOrg, Target, Victim, Weapon) as GRIT/GTT score
  them: a predicted filler is correct if, normalised (lower case, no punctuation, no
  articles), it equals any mention of a not-yet-matched gold entity of that role in that
  document; micro P/R/F1 per role and pooled over the five roles;
* incident type: P/R/F1 of the set of incident types per document;
* against the full keys, for each gold template and the predicted event aligned to it:
  date accuracy, place accuracy and deaths (fatalities > 0 where the key has DEATH, and
  the exact number where the key gives one).
"""

from __future__ import annotations

import json
import re
import string
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..types import Article, Event, Extraction
from .corpora import default_data_dir
from .metrics import max_matching, prf

Extractor = Callable[..., Extraction]  # (article, *, settings) -> Extraction

SUBDIR = "muc4"
ROLES: tuple[str, ...] = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
SPLITS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # split: (processed file, full keys file, raw text files)
    "dev": ("processed/dev.json", "derived/muc4_dev_keys_full.jsonl",
            ("raw/tst1-muc3", "raw/tst2-muc4")),
    "test": ("processed/test.json", "derived/muc4_test_keys_full.jsonl",
             ("raw/tst3-muc4", "raw/tst4-muc4")),
}
INCIDENT_TYPES = ("attack", "bombing", "kidnapping", "arson", "robbery",
                  "forced work stoppage", "hijacking")
# A key date "- 21 JAN 89" means "on or before 21 JAN 89" (the default fill when the
# date comes from the dateline, or "last Wednesday"). We read it as this many days up to
# and including the anchor: a month, ACLED's coarsest time precision.
OPEN_RANGE_DAYS = 31

_MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1)}
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class KeyTemplate:
    """One gold template: the GTT roles (entities = tuples of coreferent mentions) and the
    raw slots of the full key that we score (strings as in the key file)."""

    incident_type: str  # "attack", "bombing / attack" ...
    roles: dict[str, tuple[tuple[str, ...], ...]]
    date: str = "-"  # INCIDENT: DATE
    location: str = "-"  # INCIDENT: LOCATION
    effects: tuple[str, ...] = ()  # HUM TGT: EFFECT OF INCIDENT lines
    numbers: tuple[str, ...] = ()  # HUM TGT: NUMBER lines
    slots: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Dateline:
    """``CONCEPCION, 23 AUG 88 (SANTIAGO DOMESTIC SERVICE) --``; ``date`` is ISO or None
    ('NO DATE', or a day and month without a year)."""

    place: str
    date: str | None
    source: str
    raw: str


@dataclass(frozen=True)
class MucDoc:
    """A MUC-4 document: the lower-cased GTT text, the original upper-case text (from the
    dateline on), its dateline and its gold templates (none for irrelevant documents)."""

    id: str
    doctext: str
    raw_text: str
    dateline: Dateline | None
    templates: tuple[KeyTemplate, ...]

    @property
    def published(self) -> str | None:
        return self.dateline.date if self.dateline else None


# ----------------------------------------------------------------------------- loading


def muc_dir(data_dir: str | Path | None = None) -> Path:
    """The MUC-4 folder; ``data_dir`` may be it or its parent (``shared/eval``)."""
    base = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    return base / SUBDIR if (base / SUBDIR).is_dir() else base


def _file(path: Path) -> Path:
    if not path.is_file():
        raise EvalDataError("E521", path=path)
    return path


def _json_lines(path: Path) -> list[dict[str, Any]]:
    rows = []
    with _file(path).open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise EvalDataError("E522", path=path, line=number, detail=e.msg) from None
    return rows


def read_processed(path: str | Path) -> list[dict[str, Any]]:
    """GTT's ``processed/*.json`` (JSON Lines): docid, doctext, templates."""
    return _json_lines(Path(path))


def read_keys(path: str | Path) -> dict[str, list[dict[str, list[str]]]]:
    """The full keys by docid: the slots of each real template, in file order (records
    whose ``MESSAGE: TEMPLATE`` is ``*`` mark irrelevant documents and are dropped)."""
    keys: dict[str, list[dict[str, list[str]]]] = {}
    for row in _json_lines(Path(path)):
        slots = row["slots"]
        templates = keys.setdefault(row["docid"], [])
        if (slots.get("MESSAGE: TEMPLATE") or ["*"])[0].strip() != "*":
            templates.append(slots)
    return keys


_DOC_ID = re.compile(r"^(TST\d+-MUC\d+-\d{4}|DEV-MUC\d+-\d{4})[ \t]*$", re.M)
_DATELINE = re.compile(
    r"\s*(?P<place>[^\n]+?),\s+(?P<date>NO DATE|\d{1,2} [A-Z]{3}(?: \d{2})?)\s*"
    r"(?:\((?P<source>[^()]*(?:\([^()]*\)[^()]*)*)\))?\s*--"
)


def read_raw(path: str | Path) -> dict[str, str]:
    """The original texts by document id (the text after the id line, stripped)."""
    text = _file(Path(path)).read_text(encoding="utf-8", errors="replace")
    parts = _DOC_ID.split(text)
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def key_date(day: str, month: str, year: str) -> date | None:
    """``23``, ``AUG``, ``88`` -> 1988-08-23 (two-digit years are 19YY)."""
    try:
        y = int(year)
        return date(1900 + y if y < 100 else y, _MONTHS[month.upper()], int(day))
    except (KeyError, ValueError):
        return None


def parse_dateline(raw_text: str) -> Dateline | None:
    """The dateline at the start of an original text, or None if there is none."""
    m = _DATELINE.match(raw_text)
    if not m:
        return None
    published = None
    parts = m.group("date").split()
    if len(parts) == 3:
        d = key_date(*parts)
        published = d.isoformat() if d else None
    return Dateline(
        place=" ".join(m.group("place").split()), date=published,
        source=" ".join((m.group("source") or "").split()), raw=" ".join(m.group(0).split()),
    )


def _template(gtt: dict[str, Any], slots: dict[str, list[str]] | None) -> KeyTemplate:
    roles = {
        role: tuple(tuple(str(m[0]) for m in entity) for entity in gtt.get(role) or [])
        for role in ROLES
    }
    slots = slots or {}

    def one(name: str) -> str:
        return " ".join(slots.get(name) or ["-"])

    return KeyTemplate(
        incident_type=gtt["incident_type"], roles=roles, date=one("INCIDENT: DATE"),
        location=one("INCIDENT: LOCATION"),
        effects=tuple(slots.get("HUM TGT: EFFECT OF INCIDENT") or ()),
        numbers=tuple(slots.get("HUM TGT: NUMBER") or ()), slots=slots,
    )


def load_muc4(
    data_dir: str | Path | None = None, split: str = "dev", *, require_keys: bool = True
) -> list[MucDoc]:
    """The documents of ``split`` ('dev'; 'test' where its files exist), in file order.

    Missing files raise EvalDataError E521; keys that disagree with the processed
    templates (count or incident type) raise E523."""
    if split not in SPLITS:
        raise EvalDataError("E524", name=split, known=", ".join(SPLITS))
    base = muc_dir(data_dir)
    processed_name, keys_name, raw_names = SPLITS[split]
    processed = read_processed(base / processed_name)
    keys = read_keys(base / keys_name) if require_keys or (base / keys_name).is_file() else {}
    raw: dict[str, str] = {}
    for name in raw_names:
        raw.update(read_raw(base / name))
    docs = []
    for row in processed:
        docid = row["docid"]
        gtt = row.get("templates") or []
        slots = keys.get(docid, [])
        if keys and (len(slots) != len(gtt) or any(
            (s.get("INCIDENT: TYPE") or [""])[0].strip().lower() != t["incident_type"]
            for s, t in zip(slots, gtt, strict=True)
        )):
            raise EvalDataError("E523", docid=docid, keys=len(slots), processed=len(gtt))
        templates = tuple(
            _template(t, slots[i] if i < len(slots) else None) for i, t in enumerate(gtt)
        )
        text = raw.get(docid, "")
        docs.append(MucDoc(docid, row["doctext"], text, parse_dateline(text), templates))
    return docs


# ------------------------------------------------------------------- the text we feed

# Words that stay lower case inside a title-cased name ("Puerto de la Cruz").
_NAME_PARTICLES = frozenset("de del la las los y e da do das dos of the and for on in".split())
# Function words and reporting verbs: never part of a name after a title.
_FUNCTION_WORDS = frozenset("""
a an the and or but nor of in on at to for from by with without about as into onto over
under after before during since until than that this these those which who whom whose
what when where why how he she it they we you i his her its their our your him them us
me my is are was were be been being has have had do does did will would shall should may
might can could must not no yes so if then also who's said says say told added stated
reported announced noted denied confirmed explained indicated declared asserted stressed
warned met arrived left went came was, today yesterday tomorrow last next this week
month year day night morning evening afternoon
""".split())
_TITLES = frozenset("""
president vice-president minister senator deputy congressman mayor governor judge justice
attorney colonel col general gen lieutenant lt captain capt major maj sergeant sgt
commander cmdr admiral adm father fr monsignor msgr bishop archbishop cardinal reverend
rev doctor dr mr mrs ms miss engineer eng professor prof ambassador consul chancellor
councilman councilwoman priest sister brother comandante don dona
""".split())
_ACRONYM_IN_PARENS = re.compile(r"\(([a-z][a-z\-]{1,7})\)")
_WORD = re.compile(r"[a-z][a-z'\-]*", re.I)


def _title(name: str) -> str:
    """'SAN SALVADOR' -> 'San Salvador'; 'PUERTO DE LA CRUZ' -> 'Puerto de la Cruz'."""
    words = name.lower().split()
    out = []
    for i, w in enumerate(words):
        if i and w in _NAME_PARTICLES:
            out.append(w)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in w.split("-")))
    return " ".join(out)


def _muc_names(base: Path) -> list[str]:
    """Place names from the task's own set lists (set-list-location, -foreign-nation)."""
    names: list[str] = []
    loc = base / "docs" / "set-list-location.v4"
    if loc.is_file():
        for line in loc.read_text(encoding="utf-8", errors="replace").splitlines():
            m = re.match(r"^([A-Z0-9][A-Z0-9 .'\-]+?)\s+\([A-Z ?/]+\)\s*$", line)
            if m and not m.group(1)[0].isdigit():
                names.append(_title(m.group(1)))
    nations = base / "docs" / "set-list-foreign-nation.v5"
    if nations.is_file():
        for line in nations.read_text(encoding="utf-8", errors="replace").splitlines():
            if re.fullmatch(r"[A-Z][A-Z .'\-]+", line.strip()) and len(line.strip()) > 3:
                names.append(_title(line.strip()))
    return names


# Armed groups' acronyms that are also English words or given names: left as the text has
# them, since lower-case "is" or "ana" is far more often the word than the group.
_WORD_ACRONYMS = frozenset({"is", "mend", "ana", "ola", "kia", "eta", "tak", "jas", "saf"})


def _group_name(row: list[str]) -> bool:
    """An actor alias that is an armed group's proper name ("FMLN", "Shining Path",
    "Manuel Rodriguez Patriotic Front"): a rebel or militia row whose words are all
    capitalised (particles aside), not an English word. The all-caps reports mention
    most groups without the "(fmln)" that would teach :func:`recase` their case."""
    if len(row) < 5 or row[4] not in ("rebel", "militia") or row[0].lower() in _WORD_ACRONYMS:
        return False
    words = re.findall(r"[\w'’\-]+", row[0])
    content = [w for w in words if w.lower() not in _NAME_PARTICLES]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)


def _rearguard_names(*, groups: bool = True) -> list[str]:
    """Country names and demonyms (countryinfo), rearguard's groups and aliases, and the
    armed groups' names of its actor table (:func:`_group_name`)."""
    names: list[str] = []
    try:
        from ..geo.sources import package_dir, read_tsv

        for row in read_tsv("groups.tsv") + read_tsv("aliases.tsv"):
            names.append(row[0])
        if groups:
            names += [row[0] for row in read_tsv("actors.tsv") if _group_name(row)]
        for path in sorted((package_dir("countryinfo") / "data").glob("*.json")):
            info = json.loads(path.read_text(encoding="utf-8"))
            for key in ("name", "demonym"):
                if isinstance(info.get(key), str) and info[key]:
                    names.append(info[key])
            if isinstance(info.get("demonym"), str) and info["demonym"]:
                names.append(info["demonym"] + "s")
    except Exception:  # re-casing is best effort; the lists are optional
        pass
    return names


@lru_cache(maxsize=4)
def known_names(base: str, *, groups: bool = True) -> dict[str, str]:
    """Lower-cased name -> its cased form, for :func:`recase` (cached per MUC folder);
    without ``groups``, not the armed groups' names of the actor table (the re-casing the
    role model was trained on, ``tools/train_roles.py``)."""
    names: dict[str, str] = {}
    calendar = [*_MONTH_NAMES, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                "Saturday", "Sunday"]
    for name in calendar + _muc_names(Path(base)) + _rearguard_names(groups=groups):
        name = _ascii(name).strip()
        low = name.lower()
        if len(low) < 3 or low in _FUNCTION_WORDS or low in _TITLES:
            continue
        names.setdefault(low, name)
    return names


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _upper_first(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
    return text


def names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for lower-cased names (longest first, whole words), or None if empty."""
    ordered = sorted(set(names), key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


@lru_cache(maxsize=4)
def _recase_tables(base: str, *, groups: bool = True
                   ) -> tuple[dict[str, str], re.Pattern[str] | None]:
    names = known_names(base, groups=groups)
    return names, names_pattern(names)


def _expansion(before: str, acronym: str) -> list[tuple[int, str]]:
    """The words just before "(acronym)" that spell it out, as (start, word): walking
    back over at most len(acronym)+1 words whose initials are the acronym's letters
    (particles such as "of", "de", "la" may sit between them); [] if their initials do
    not cover the acronym's letters. "farabundo marti national liberation front (fmln)"."""
    letters = set(acronym.replace("-", ""))
    words = list(re.finditer(r"[a-z][a-z'\-]*", before[-200:]))
    offset = max(0, len(before) - 200)
    taken: list[tuple[int, str]] = []
    content = 0
    for w in reversed(words):
        word = w.group(0)
        if word in _NAME_PARTICLES and taken:
            taken.append((offset + w.start(), word))
            continue
        if word[0] not in letters or content >= len(letters) + 1 or word in _FUNCTION_WORDS:
            break
        taken.append((offset + w.start(), word))
        content += 1
    while taken and taken[-1][1] in _NAME_PARTICLES:
        taken.pop()
    if {word[0] for _, word in taken if word not in _NAME_PARTICLES} != letters:
        return []
    return [(start, word) for start, word in taken if word not in _NAME_PARTICLES]


def recase(
    text: str, names: dict[str, str] | None = None, pattern: re.Pattern[str] | None = None
) -> str:
    """A cheap truecasing of lower-cased text (same length, same characters otherwise):

    1. known names (``names``: lower-cased -> cased, e.g. from :func:`known_names`) take
       their cased form, longest first;
    2. acronyms the text itself introduces in parentheses ("(fmln)") are upper-cased
       everywhere, and the words before them that spell them out are capitalised;
    3. after a title word (president, colonel, msgr ...) the next one to three words that
       are not function words or reporting verbs are capitalised, and so is the title;
    4. the names that 3 found are capitalised everywhere in the text ("isaacs noted");
    5. the first letter of every sentence and the pronoun "i" are capitalised.
    """
    chars = list(text)

    def put(start: int, cased: str) -> None:
        chars[start:start + len(cased)] = list(cased)

    if names:
        pattern = pattern or names_pattern(names)
        assert pattern is not None
        for m in pattern.finditer(text):
            cased = names.get(m.group(1))
            if cased and len(cased) == len(m.group(1)):
                put(m.start(1), cased)
    learned: set[str] = set()  # words after titles: names to capitalise everywhere
    for m in _ACRONYM_IN_PARENS.finditer(text):
        acronym = m.group(1)
        if acronym in _FUNCTION_WORDS:
            continue
        expansion = _expansion(text[:m.start()], acronym)
        # Spelt out, or short: an acronym. Otherwise a name ("(vargas)", a speaker).
        cased = acronym.upper() if expansion or len(acronym) <= 4 else _upper_first(acronym)
        for w in re.finditer(r"(?<![\w'])" + re.escape(acronym) + r"(?!\w)", text):
            put(w.start(), cased)
        for start, word in expansion:
            put(start, _upper_first(word))
    for m in re.finditer(r"(?<![\w'])(" + "|".join(sorted(_TITLES, key=len, reverse=True))
                         + r")\b\.?", text):
        pos, named = m.end(), 0
        while named < 3:
            nxt = re.match(r"\s+([a-z][a-z'\-]*)", text[pos:])
            if not nxt or nxt.group(1) in _FUNCTION_WORDS or nxt.group(1) in _TITLES or (
                nxt.group(1).endswith(("ed", "ing")) and len(nxt.group(1)) > 5
            ):
                break
            put(pos + nxt.start(1), _upper_first(nxt.group(1)))
            learned.add(nxt.group(1))
            pos += nxt.end()
            named += 1
        if named:
            put(m.start(1), _upper_first(m.group(1)))
    learned -= _NAME_PARTICLES
    if learned:
        for m in re.finditer(r"(?<![\w'])(" + "|".join(map(re.escape, sorted(learned)))
                             + r")(?![\w'])", text):
            put(m.start(), _upper_first(m.group(1)))
    for m in re.finditer(r"(?:^|[.!?]['\")\]]*\s+|\n\s*)['\"(\[]*([a-z])", text):
        chars[m.start(1)] = chars[m.start(1)].upper()
    for m in re.finditer(r"(?<![\w'])i(?![\w'])", text):
        chars[m.start()] = "I"
    return "".join(chars)


def _dateline_text(dateline: Dateline) -> str:
    """'GUATEMALA CITY, 4 FEB 90 (ACAN-EFE)' -> 'Guatemala City, 4 February 1990 (ACAN-EFE)'."""
    place = re.sub(r"\(([^)]*)\)", lambda m: "(" + _title(m.group(1)) + ")",
                   _title(re.sub(r"\([^)]*\)", lambda m: m.group(0).lower(), dateline.place)))
    when = ""
    if dateline.date:
        d = date.fromisoformat(dateline.date)
        when = f", {d.day} {_MONTH_NAMES[d.month - 1]} {d.year}"
    source = _source_text(dateline.source)
    return f"{place}{when}" + (f" ({source})" if source else "") + " -- "


def _source_text(source: str) -> str:
    """'RADIO CADENA YSKL' -> 'Radio Cadena YSKL': words of up to four letters (agency
    and station call letters: DPA, EFE, IDF, YSU) stay upper case, the rest title case."""
    words = []
    for word in source.split():
        short = len(word.strip("-")) <= 4 and word.lower() not in _NAME_PARTICLES | {"el"}
        words.append(word if short or ("-" in word and len(word) <= 9) else _title(word))
    return " ".join(words)


def article_for(doc: MucDoc, data_dir: str | Path | None = None) -> Article:
    """The article fed to the extractor: the re-cased dateline, then the GTT text
    re-cased by :func:`recase` (paragraph breaks restored); ``published`` from the
    dateline. See docs/muc4.md."""
    body = re.sub(r"\s{3,}", "\n\n", doc.doctext.strip())
    body = recase(body, *_recase_tables(str(muc_dir(data_dir))))
    head = _dateline_text(doc.dateline) if doc.dateline else ""
    source = _source_text(doc.dateline.source) if doc.dateline and doc.dateline.source else None
    return Article(id=doc.id, text=head + body, published=doc.published, source=source)


# ------------------------------------------------------------ normalising and matching

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation)


def normalise(text: str) -> str:
    """GRIT/GTT's string normalisation: lower case, punctuation removed, articles (a, an,
    the) removed, white space collapsed. Accents are dropped too (the gold is ASCII)."""
    text = _ascii(text).lower().translate(_PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def merge_entities(entities: Iterable[Iterable[str]]) -> list[frozenset[str]]:
    """Entities as sets of normalised strings; entities that share a string are merged
    (the same entity listed in several templates, or a filler found by several events)."""
    groups: list[set[str]] = []
    for entity in entities:
        strings = {s for s in (normalise(x) for x in entity) if s}
        if not strings:
            continue
        overlapping = [g for g in groups if g & strings]
        for g in overlapping:
            strings |= g
            groups.remove(g)
        groups.append(strings)
    return [frozenset(g) for g in groups]


def match_count(predicted: Sequence[frozenset[str]], gold: Sequence[frozenset[str]]) -> int:
    """How many predicted fillers match a gold entity, each gold entity matched at most
    once (and each filler at most once): a maximum bipartite matching, where a filler
    matches an entity if any of its strings equals any of the entity's mentions."""
    return len(max_matching([[j for j, g in enumerate(gold) if p & g] for p in predicted]))


# ------------------------------------------------------------ events -> MUC templates

# ACLED sub-event type -> MUC incident type (None: not a MUC incident, dropped).
SUB_EVENT_TO_INCIDENT: dict[str, str | None] = {
    "Armed clash": "attack",
    "Government regains territory": "attack",
    "Non-state actor overtakes territory": "attack",
    "Attack": "attack",
    "Sexual violence": "attack",
    "Shelling/artillery/missile attack": "attack",
    "Air/drone strike": "attack",  # MUC: aerial bombs are ATTACK, not BOMBING
    "Chemical weapon": "attack",
    "Excessive force against protesters": "attack",
    "Mob violence": "attack",
    "Remote explosive/landmine/IED": "bombing",
    "Grenade": "bombing",
    "Suicide bomb": "bombing",
    "Disrupted weapons use": "bombing",  # MUC: a defused bomb is an ATTEMPTED BOMBING
    "Abduction/forced disappearance": "kidnapping",
    "Looting/property destruction": "*property",  # arson / robbery / bombing / attack
    "Violent demonstration": "*stoppage",  # forced work stoppage if an armed strike
    "Other": "*stoppage",
    "Peaceful protest": None,
    "Protest with intervention": None,
    "Agreement": None,
    "Arrests": None,
    "Change to group/activity": None,
    "Headquarters or base established": None,
    "Non-violent transfer of territory": None,
}
# ACLED event type -> MUC incident type, when the sub-event type is unknown.
EVENT_TO_INCIDENT: dict[str, str | None] = {
    "Battles": "attack",
    "Explosions/Remote violence": "bombing",
    "Violence against civilians": "attack",
    "Riots": "attack",
    "Protests": None,
    "Strategic developments": None,
}
_ARSON = re.compile(r"\b(arson\w*|burn\w*|fire|fires|set ablaze|ablaze|torch\w*|incendiar\w*|"
                    r"molotov|flames?)\b", re.I)
_ROBBERY = re.compile(r"\b(rob\w*|stole|stolen|steal\w*|loot\w*|theft|hold-?up|"
                      r"raided .*\bbank)\b", re.I)
_EXPLOSIVE = re.compile(r"\b(bomb\w*|dynamit\w*|explos\w*|blew up|blown up|"
                        r"detonat\w*|grenades?|mines?)\b", re.I)
_STOPPAGE = re.compile(r"\b(armed strike|work stoppage|transport strike|paro armado|"
                       r"stoppage)\b", re.I)


def _event_words(event: Event) -> str:
    return " ".join([event.notes, *(e.text for e in event.evidence)])


def incident_type(event: Event) -> str | None:
    """The MUC incident type of an ACLED-coded event, or None if it is not a MUC incident
    (arrests, peaceful protests, agreements ...). Table in docs/muc4.md."""
    if event.sub_event_type in SUB_EVENT_TO_INCIDENT:
        kind = SUB_EVENT_TO_INCIDENT[event.sub_event_type]
    else:
        kind = EVENT_TO_INCIDENT.get(event.event_type)
    words = _event_words(event)
    if kind == "*property":
        if _ARSON.search(words):
            return "arson"
        if _ROBBERY.search(words):
            return "robbery"
        if _EXPLOSIVE.search(words):
            return "bombing"
        return "attack"
    if kind == "*stoppage":
        return "forced work stoppage" if _STOPPAGE.search(words) else None
    return kind


# Head nouns that name people (PerpInd / Victim) and things (Target), singular; plurals
# are added by _with_plurals. Checked against the heads of the train split's gold fillers.
_PEOPLE_WORDS = """
guerrilla gunman gunmen terrorist rebel insurgent subversive commando man men woman women
individual person people member militant assassin killer kidnapper abductor attacker
assailant perpetrator suspect someone hitman hitmen youth soldier troop troops policeman
policemen policewoman officer agent squad column unit patrol groups gang band trafficker
narcoterrorist sicario mercenary paramilitary militiaman militiamen fighter extremist
criminal bandit thug civilian peasant farmer worker student priest jesuit nun child
children boy girl judge mayor official leader journalist businessman businessmen citizen
resident passenger driver guard bodyguard escort employee teacher candidate politician
deputy senator minister president diplomat missionary tourist family relative son
daughter wife husband brother sister personnel ally allies sharpshooter sniper lieutenant
colonel captain sergeant commander staff
"""
_THING_WORDS = """
building house home residence office headquarters embassy consulate bank branch store shop
supermarket hotel restaurant school university church cathedral monastery vehicle car bus
truck dumptruck jeep plane aircraft helicopter train ship boat ambulance automobile
motorcade tower pylon pole post line bridge road highway railway station substation
transformer plant factory pipeline pipe installation facility facilities farm ranch
property properties premises warehouse market mall company agency base barracks garrison
airport airstrip port dam network system transportation electricity telephone antenna
transmitter tank facade door gate wall dealership club center centre theater cinema
hospital clinic ministry court courthouse palace mansion estate hacienda finca plantation
mine well equipment machinery institute institution structure box booth hall stand camp
establishment business firm corporation newspaper studio library cabin shack kitchen
drugstore printshop park field site exchange table
"""


def _with_plurals(words: str) -> frozenset[str]:
    out = set()
    for w in words.split():
        out.add(w)
        if w.endswith("y") and not w.endswith(("ay", "ey", "oy")):
            out.add(w[:-1] + "ies")
        elif w.endswith(("ss", "us", "x", "ch", "sh")):
            out.add(w + "es")
        elif w.endswith("s"):
            continue  # already plural ("groups", "premises")
        elif not w.endswith(("men", "people", "children", "troops", "personnel", "staff")):
            out.add(w + "s")
    return frozenset(out)


_PEOPLE = _with_plurals(_PEOPLE_WORDS)
_THINGS = _with_plurals(_THING_WORDS)
_NUMBER_WORDS = frozenset("""
one two three four five six seven eight nine ten eleven twelve dozen dozens several some
many various hundreds scores about around approximately nearly almost over more than at
least other another few numerous unidentified unknown
""".split())


def _head(text: str) -> str:
    """The head noun of a noun phrase: its last word before 'of', 'who', 'from' ..."""
    words = [w.lower().strip("'") for w in _WORD.findall(text)]
    for i, w in enumerate(words):
        if i and w in ("of", "who", "that", "which", "from", "in", "at", "with", "whose"):
            words = words[:i]
            break
    return words[-1] if words else ""


def names_people(text: str) -> bool:
    """True if the noun phrase names people ("urban guerrillas", "heavily armed men",
    "Colonel Benavides") rather than an organisation ("Shining Path") or a thing."""
    head = _head(text)
    first = (_WORD.findall(text) or [""])[0].lower()
    return head in _PEOPLE or first in _TITLES or (
        head.endswith(("ists", "men", "ers")) and head not in _THINGS and len(head) > 4
    )


def names_thing(text: str) -> bool:
    """True if the noun phrase names a thing ("power substation", "the US embassy")."""
    return _head(text) in _THINGS


def _variants(text: str) -> set[str]:
    """The text and, if it starts with numbers or quantifiers, the text without them
    ("five peasants" -> "peasants")."""
    out = {text.strip()}
    words = text.split()
    i = 0
    while i < len(words) - 1 and (
        words[i].lower().strip(",") in _NUMBER_WORDS or words[i].strip(",").isdigit()
    ):
        i += 1
    if i:
        out.add(" ".join(words[i:]))
    return {o for o in out if o}


def _name_variants(name: str) -> set[str]:
    """An ACLED actor name and its parts: 'FMLN: Farabundo Marti National Liberation
    Front' -> itself, 'FMLN', 'Farabundo Marti ...'; '(1989-2009)'-style suffixes off."""
    if not name or name.lower().startswith("unidentified"):
        return set()
    out: set[str] = set()
    for one in name.split(";"):
        one = one.strip()
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", one).strip()
        out |= {one, bare}
        if ":" in bare:
            out |= {p.strip() for p in bare.split(":")}
    return {o for o in out if o}


def event_fillers(event: Event) -> dict[str, list[set[str]]]:
    """The MUC role fillers an ACLED event gives, each a set of alternative strings (the
    filler is correct if any alternative matches). Mapping in docs/muc4.md:

    * actor1 / assoc_actor_1 evidence: PerpInd if it names people ("gunmen"), else
      PerpOrg together with the normalised name; a normalised name (and claimed_by)
      always gives a PerpOrg filler;
    * actor2 / assoc_actor_2 evidence: Target if it names a thing, else Victim (with the
      normalised name as an alternative); a name without evidence gives a Victim;
    * target evidence (the physical object of the attack): Target; victim evidence (a
      named person attacked, killed or abducted): Victim;
    * weapon evidence: Weapon.
    """
    out: dict[str, list[set[str]]] = {role: [] for role in ROLES}
    by_field: dict[str, list[str]] = {}
    for ev in event.evidence:
        by_field.setdefault(ev.field, []).append(ev.text)
    for actor_field, name in (("actor1", event.actor1), ("assoc_actor_1", event.assoc_actor_1)):
        names = _name_variants(name)
        org_used = False
        for text in by_field.get(actor_field, []):
            if names_people(text):
                out["PerpInd"].append(_variants(text))
            else:
                out["PerpOrg"].append(_variants(text) | names)
                org_used = True
        if names and not org_used:
            out["PerpOrg"].append(names)
    claimed = set().union(*(_variants(t) for t in by_field.get("claimed_by", [])), set())
    if event.claimed_by or claimed:
        out["PerpOrg"].append(claimed | _name_variants(event.claimed_by))
    for actor_field, name in (("actor2", event.actor2), ("assoc_actor_2", event.assoc_actor_2)):
        names = _name_variants(name)
        texts = by_field.get(actor_field, [])
        for text in texts:
            if names_thing(text):
                out["Target"].append(_variants(text))
            else:
                out["Victim"].append(_variants(text) | names)
        if names and not texts:
            out["Victim"].append(names)
    for text in by_field.get("target", []):
        out["Target"].append(_variants(text))
    for text in by_field.get("victim", []):
        out["Victim"].append(_variants(text))
    for text in by_field.get("weapon", []):
        out["Weapon"].append(_variants(text))
    return out


# ------------------------------------------------------------------ dates, places, deaths

_KEY_DATE = r"(\d{1,2}) ([A-Z]{3}) (\d{2,4})"


def _alternatives(fill: str) -> list[str]:
    """'(A) / (B)' -> ['A', 'B']; a fill without outer parentheses is one alternative."""
    fill = fill.strip()
    if fill.startswith("(") and fill.endswith(")") and re.search(r"\)\s*/\s*\(", fill):
        return [p.strip() for p in re.split(r"\)\s*/\s*\(", fill[1:-1])]
    if fill.startswith("(") and fill.endswith(")") and fill.count("(") == 1:
        return [fill[1:-1].strip()]
    return [fill]


def date_ranges(fill: str, open_days: int = OPEN_RANGE_DAYS) -> list[tuple[date, date]]:
    """The key's INCIDENT: DATE as inclusive ranges, one per alternative:
    '19 APR 89' (that day), '10 JAN 90 - 11 JAN 90' (those days), '- 19 APR 89' (the
    ``open_days`` days up to and including it), '(25 JAN 90) / (- 25 JAN 90)' (either).
    '-' (no date) gives []."""
    ranges = []
    for alt in _alternatives(fill.replace("?", " ")):
        found = [key_date(*m) for m in re.findall(_KEY_DATE, alt.upper())]
        days = [d for d in found if d is not None]
        if not days:
            continue
        if len(days) >= 2:
            ranges.append((min(days), max(days)))
        elif alt.strip().startswith("-"):
            ranges.append((days[0] - timedelta(days=open_days - 1), days[0]))
        else:
            ranges.append((days[0], days[0]))
    return ranges


def date_matches(fill: str, predicted: str | None, open_days: int = OPEN_RANGE_DAYS) -> bool:
    """True if the ISO date ``predicted`` lies within any range of the key's date fill."""
    if not predicted:
        return False
    try:
        day = date.fromisoformat(predicted[:10])
    except ValueError:
        return False
    return any(lo <= day <= hi for lo, hi in date_ranges(fill, open_days))


_COUNTRY_ALIASES = {
    "united states of america": "united states", "usa": "united states",
    "us": "united states", "frg": "germany", "west germany": "germany",
}


def _place_norm(name: str) -> str:
    text = normalise(name.replace("-", " "))
    return _COUNTRY_ALIASES.get(text, text)


def key_places(fill: str) -> list[tuple[set[str], list[tuple[str, str]]]]:
    """The key's INCIDENT: LOCATION as (countries, [(name, type), ...]) per alternative:
    'EL SALVADOR: SAN MIGUEL (DEPARTMENT): EL TRIUNFO (TOWN)' ->
    ({'el salvador'}, [('san miguel', 'DEPARTMENT'), ('el triunfo', 'TOWN')])."""
    out = []
    for alt in _alternatives(fill.replace("?", " ")):
        if alt.strip() in ("", "-", "*"):
            continue
        parts = alt.split(":")
        countries = {_place_norm(c) for c in parts[0].split("/") if c.strip()}
        named: list[tuple[str, str]] = []
        for part in parts[1:]:
            for piece in re.split(r"\s+-\s+", part):
                m = re.match(r"\s*(.*?)\s*(?:\(([^)]*)\))?\s*$", piece)
                if m and m.group(1).strip():
                    named.append((_place_norm(m.group(1)), (m.group(2) or "").strip()))
        out.append((countries, named))
    return out


_ADMIN_TYPES = ("DEPARTMENT", "PROVINCE", "STATE", "REGION", "OFFICIAL REGION", "COUNTY")


def place_matches(fill: str, event: Event) -> bool:
    """True if the event's country is the key's and, when the key names places below
    the country, the event's location is one of them (or, when the key's most specific
    place is a department/province/state, the event's admin1 is it)."""
    country, location = _place_norm(event.country), _place_norm(event.location)
    admin1 = _place_norm(event.admin1)
    for countries, named in key_places(fill):
        if country not in countries:
            continue
        if not named:
            return True
        if location in {n for n, _ in named}:
            return True
        name, kind = named[-1]
        if kind in _ADMIN_TYPES and admin1 == name:
            return True
    return False


def _quoted(text: str) -> set[str]:
    return {normalise(q) for q in re.findall(r'"((?:[^"\\]|\\.)*)"', text)}


def _number_range(spec: str) -> tuple[int, float] | None:
    """'6' -> (6, 6); '~100' -> (100, 100); '5 - 7' -> (5, 7); '23 -' -> (23, inf);
    '- 15' -> (1, 15); alternatives ('5/6', 'PLURAL / - 15') -> their hull; PLURAL -> None."""
    ranges = []
    for alt in spec.replace("?", " ").split("/"):
        alt = alt.replace("~", " ").strip()
        m = re.fullmatch(r"(\d+)?\s*(-)?\s*(\d+)?", alt)
        if not m or not (m.group(1) or m.group(3)):
            continue
        lo, dash, hi = m.group(1), m.group(2), m.group(3)
        if lo and hi:
            ranges.append((int(lo), float(hi)))
        elif lo:
            ranges.append((int(lo), float("inf") if dash else float(lo)))
        else:
            ranges.append((1, float(hi)))  # type: ignore[arg-type]
    if not ranges:
        return None
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def key_deaths(template: KeyTemplate) -> tuple[bool, tuple[int, float] | None]:
    """Whether the key's HUM TGT: EFFECT OF INCIDENT has DEATH ('? DEATH' included), and
    the number of dead as an inclusive range (summed over the dead targets' HUM TGT:
    NUMBER), or None when any of them has no number (PLURAL, '-')."""
    dead_tags: list[set[str]] = []
    for line in template.effects:
        effect, _, tags = line.partition(":")
        kinds = {k.strip().lstrip("?").strip() for k in effect.split("/")}
        if "DEATH" in kinds:
            dead_tags.append(_quoted(tags))
    if not dead_tags:
        return False, None
    numbers = []
    for line in template.numbers:
        spec, _, tags = line.partition(":")
        numbers.append((_quoted(tags), _number_range(spec)))
    lo, hi = 0, 0.0
    for dead in dead_tags:
        found = next((r for t, r in numbers if t & dead), None)
        if found is None:
            return True, None
        lo, hi = lo + found[0], hi + found[1]
    return True, (lo, hi)


# ----------------------------------------------------------------------------- scoring


@dataclass
class _Slot:
    n: int = 0  # gold templates that have the slot
    correct: int = 0
    aligned: int = 0  # of those, templates that got an aligned event
    aligned_correct: int = 0

    def add(self, has_event: bool, correct: bool) -> None:
        self.n += 1
        self.aligned += has_event
        self.correct += correct
        self.aligned_correct += correct and has_event

    def row(self) -> dict[str, Any]:
        return {
            "n": self.n, "correct": self.correct,
            "accuracy": self.correct / self.n if self.n else None,
            "aligned": self.aligned,
            "accuracy_aligned": self.aligned_correct / self.aligned if self.aligned else None,
        }


@dataclass
class DocScore:
    """Counts for one document (summed by :func:`evaluate_events`)."""

    roles: dict[str, tuple[int, int, int]]  # role -> (tp, fp, fn)
    types: tuple[int, int, int]
    slots: dict[str, _Slot]
    events: int = 0  # MUC incident events (after the type mapping)
    dropped: int = 0  # events that are not MUC incidents
    alignment: list[tuple[int, int | None]] = field(default_factory=list)  # (template, event)


def _gold_types(templates: Sequence[KeyTemplate]) -> list[frozenset[str]]:
    """The document's distinct incident types; 'bombing / attack' is one type with two
    acceptable names (not merged with a separate 'attack')."""
    types = {frozenset(normalise(x) for x in t.incident_type.split("/")) for t in templates}
    return sorted(types, key=sorted)


def _align(
    templates: Sequence[KeyTemplate], events: Sequence[tuple[str, dict[str, list[set[str]]]]]
) -> list[int | None]:
    """The event aligned to each template (one-to-one, greedy on the number of roles with
    a matching filler plus one for the same incident type; ties in document order)."""
    pairs = []
    for ti, t in enumerate(templates):
        gold_types = {normalise(x) for x in t.incident_type.split("/")}
        for ei, (kind, fillers) in enumerate(events):
            score = int(normalise(kind) in gold_types)
            for role in ROLES:
                gold = {normalise(m) for entity in t.roles.get(role, ()) for m in entity}
                if any({normalise(s) for s in f} & gold for f in fillers[role]):
                    score += 1
            pairs.append((-score, ti, ei))
    chosen: list[int | None] = [None] * len(templates)
    used: set[int] = set()
    for _, ti, ei in sorted(pairs):
        if chosen[ti] is None and ei not in used:
            chosen[ti] = ei
            used.add(ei)
    return chosen


def score_document(doc: MucDoc, events: Sequence[Event]) -> DocScore:
    """Score the events extracted from one document against its gold templates."""
    incidents = []
    dropped = 0
    for event in events:
        kind = incident_type(event)
        if kind is None:
            dropped += 1
            continue
        incidents.append((event, kind, event_fillers(event)))
    roles = {}
    for role in ROLES:
        gold = merge_entities(e for t in doc.templates for e in t.roles.get(role, ()))
        pred = merge_entities(f for _, _, fillers in incidents for f in fillers[role])
        tp = match_count(pred, gold)
        roles[role] = (tp, len(pred) - tp, len(gold) - tp)
    gold_types = _gold_types(doc.templates)
    pred_types = merge_entities([[k] for k in {k for _, k, _ in incidents}])
    tp = match_count(pred_types, gold_types)
    types = (tp, len(pred_types) - tp, len(gold_types) - tp)
    chosen = _align(doc.templates, [(k, f) for _, k, f in incidents])
    slots = {name: _Slot() for name in ("date", "place", "deaths", "deaths_exact")}
    for t, ei in zip(doc.templates, chosen, strict=True):
        aligned = incidents[ei][0] if ei is not None else None
        if date_ranges(t.date):
            slots["date"].add(aligned is not None,
                              aligned is not None and date_matches(t.date, aligned.event_date))
        if key_places(t.location):
            slots["place"].add(aligned is not None,
                               aligned is not None and place_matches(t.location, aligned))
        dead, number = key_deaths(t)
        if dead:
            slots["deaths"].add(aligned is not None, aligned is not None and aligned.fatalities > 0)
        if number is not None:
            lo, hi = number
            slots["deaths_exact"].add(
                aligned is not None, aligned is not None and lo <= aligned.fatalities <= hi
            )
    return DocScore(roles, types, slots, len(incidents), dropped, list(enumerate(chosen)))


def _extractor() -> Extractor:
    """The real extractor, imported only when needed."""
    from ..pipeline import extract_article

    return extract_article


def evaluate_events(
    *,
    data_dir: str | Path | None = None,
    settings: Any = None,
    limit: int | None = None,
    split: str = "dev",
    extractor: Extractor | None = None,
    docs: Sequence[MucDoc] | None = None,
    warm_up: bool = True,
) -> dict[str, Any]:
    """Run the extractor on the MUC-4 documents of ``split`` (first ``limit`` if given)
    and score it. ``extractor(article, settings=...) -> Extraction`` defaults to
    ``rearguard.pipeline.extract_article``; ``docs`` replaces the loaded documents.

    Returns ``roles`` ({role: tp, fp, fn, precision, recall, f1}), ``micro`` (pooled over
    the five roles), ``incident_type``, ``date``/``place``/``deaths``/``deaths_exact``
    ({n, correct, accuracy, aligned, accuracy_aligned}), ``docs``, ``events``,
    ``dropped_events``, ``seconds``, ``split``."""
    extract = extractor or _extractor()
    docs = list(docs) if docs is not None else load_muc4(data_dir, split)
    docs = docs[:limit] if limit is not None else docs
    if warm_up and docs:  # untimed: loading models and the gazetteer is not timed
        extract(Article(id="warm-up", text="Gunmen killed two police officers in Lima.",
                        published="1990-01-01"), settings=settings)
    counts = {role: [0, 0, 0] for role in ROLES}
    types = [0, 0, 0]
    slots = {name: _Slot() for name in ("date", "place", "deaths", "deaths_exact")}
    seconds, n_events, dropped = 0.0, 0, 0
    for doc in docs:
        article = article_for(doc, data_dir)
        began = time.perf_counter()
        extraction = extract(article, settings=settings)
        seconds += time.perf_counter() - began
        score = score_document(doc, extraction.events)
        for role in ROLES:
            counts[role] = [
                a + b for a, b in zip(counts[role], score.roles[role], strict=True)
            ]
        types = [a + b for a, b in zip(types, score.types, strict=True)]
        for name, slot in score.slots.items():
            total = slots[name]
            total.n += slot.n
            total.correct += slot.correct
            total.aligned += slot.aligned
            total.aligned_correct += slot.aligned_correct
        n_events += score.events
        dropped += score.dropped
    pooled = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {
        "split": split,
        "roles": {role: dict(prf(*c)) for role, c in counts.items()},
        "micro": dict(prf(*pooled)),
        "incident_type": dict(prf(*types)),
        **{name: slot.row() for name, slot in slots.items()},
        "docs": len(docs),
        "events": n_events,
        "dropped_events": dropped,
        "seconds": seconds,
    }


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.2f}"


def format_table(results: dict[str, Any]) -> str:
    """Markdown tables of :func:`evaluate_events` results (percentages)."""
    lines = ["| role | P | R | F1 | tp | fp | fn |", "|---|---:|---:|---:|---:|---:|---:|"]
    rows = [*results["roles"].items(), ("micro (5 roles)", results["micro"]),
            ("incident type", results["incident_type"])]
    for name, r in rows:
        lines.append(f"| {name} | {_pct(r['precision'])} | {_pct(r['recall'])} | "
                     f"{_pct(r['f1'])} | {r['tp']} | {r['fp']} | {r['fn']} |")
    lines += ["", "| key slot | templates | correct | accuracy | aligned | accuracy (aligned) |",
              "|---|---:|---:|---:|---:|---:|"]
    labels = {"date": "date", "place": "place", "deaths": "deaths (> 0)",
              "deaths_exact": "deaths (exact)"}
    for key, label in labels.items():
        r = results[key]
        lines.append(f"| {label} | {r['n']} | {r['correct']} | {_pct(r['accuracy'])} | "
                     f"{r['aligned']} | {_pct(r['accuracy_aligned'])} |")
    lines += ["", f"{results['split']}: {results['docs']} docs, {results['events']} MUC "
              f"events ({results['dropped_events']} other events dropped), "
              f"{results['seconds']:.1f} s"]
    return "\n".join(lines)
