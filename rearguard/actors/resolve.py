"""Find the actors a sentence names and give them ACLED-style names and inter codes.

Pure pattern matching on the raw text (no spaCy), compiled once per article country:

1. **Aliases** from rearguard/data/actors.tsv ("Daesh", "ISF", "Shia militias", "civilians").
2. **State forces of any country**: a demonym or country name, optionally a possessive and
   up to two modifiers, then a force noun: "Malian soldiers", "Burkinabe army", "Iraq's
   army", "US forces", "Nigerian government troops", "Colombian police" -> "Military /
   Police Forces of <Country>". Also "<demonym> civilians / refugees / protesters"
   -> "Civilians (<Country>)" etc. "Iraqi and US troops" gives both countries.
3. **Named groups not in the table** (heuristic): a run of capitalised words ending in
   Brigade(s), Battalion(s), Front, Movement, Army, Militia(s), Force(s), Tigers or
   Resistance ("Kachin Independence Army"), a name starting with Jaish / Jabhat / Harakat /
   Ansar / Kataib / Liwa / Saraya / Faylaq / Lashkar / Tehrik ("Jaish al-Adl"), or "<...>
   Front/Movement/Army/Forces for/of the Liberation/Salvation/Defence of <...>". The name is
   kept as written ("ABBR: Name" when an acronym in brackets follows); inter 2 when it
   has Front, Movement, Army, Liberation, Revolutionary, Resistance, Jaish, Jabhat, Harakat,
   Ansar, Tehrik or Tigers in it, else 3. Names made only of a country word and generic
   military words ("Malian Army", "Air Force") are left to the state-forces pattern.

Then each mention grows over "(ISF)" when the bracket names the same actor or is an
unknown acronym, and over a trailing "troops / fighters / militants / group ..." for armed
actors ("ISF troops", "Taliban fighters"); "militants of IS" / "fighters loyal to the
Islamic State" become one mention of the named group. A mention followed by a word that
makes it a modifier ("police station", "Iraqi military vehicles", "Hamas officials",
"coalition government") is no actor. Overlaps go to the longest mention; at equal length
the table beats the state pattern, which beats the heuristic.

State forces of a country acting in an article from another country get inter 8 (ACLED's
external forces): "Russian forces" in a Ukrainian article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ..types import Actor
from .aliases import (
    AliasRow,
    alias_key,
    alias_rows,
    case_sensitive,
    country_name,
    country_words,
    render,
    trie_pattern,
)

__all__ = [
    "attribute_generic", "country_name", "find_actors", "in_country", "interaction",
    "is_civilian", "is_generic", "is_state", "named_groups", "normalise_actor",
    "resolve_generic",
]

GENERIC_KINDS = frozenset({"state", "police", "civilians", "protesters", "rioters", "armed"})
STATE_KINDS = frozenset({"state", "police"})
UNIDENTIFIED = "Unidentified Armed Group"

# Not inside a word, not "Houthi-controlled"; a possessive may follow ("the IRA's bombs",
# "the rebels' positions").
_END = r"(?![\w]|-\w|['’](?!s\b|\W|$))"
_START = r"(?<![\w\-‐'’])"  # not "pro-IS", not "anti-ISIS"

# Words between a demonym and the force noun: "Nigerian government troops".
_MODIFIERS = (
    r"(?:government|regime|state|federal|national|special|elite|counter[\s-]?terrorism|"
    r"junta|army|military|police|border|local|allied|regular|ground|naval|air|security|"
    r"paramilitary|riot|occupation|armed|defen[cs]e)"
)
# A trailing word that an armed mention takes in: "ISF troops", "Taliban fighters", "the
# International Coalition's warplanes".
_TRAILING = re.compile(
    r"(?:['’]s?)?[\s\-]+(?i:forces|troops|soldiers|fighters|militants|militiamen|militias?|"
    r"members|gunmen|guerrillas|jihadists|insurgents|rebels|group|personnel|units|"
    r"paramilitaries|operatives|loyalists|mercenaries|elements|cells?|brigades?|battalions?|"
    r"columns?|patrols?|peacekeepers|warplanes|aircraft|jets|helicopters|drones|"
    r"peacekeeping\s+(?:forces|troops))" + _END
)
_PAREN = re.compile(r"\s*\(\s*([^()\n]{1,40}?)\s*\)")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&/\-]{1,9}s?")
# Words after a mention that make it a modifier of something that is not an actor.
_NOT_ACTOR_AFTER = re.compile(
    r"[\s\-]+(?i:stations?|headquarters|compounds?|academy|vehicles?|equipment|hardware|"
    r"spokes(?:man|men|woman|women|person|persons|people)|control|sources?|officials?|statements?|government|"
    r"ministry|minister|budget|spending|court|hospital|school|uniforms?|aid|assistance|"
    r"experts?|analysts?|talks|deal|agreement|partners?|parties|party|leadership|"
    r"website|media|channel|propaganda|ideology)" + _END
)
# A rank after a name the heuristic found: "GNB Brigade General Hector Hernandez" is a
# person's title, not an armed group.
_RANK_AFTER = re.compile(
    r"\s+(?:General|Colonel|Lieutenant|Captain|Major|Sergeant|Brigadier|Admiral|Marshal)\b"
)
# "militants of IS", "fighters loyal to the Islamic State": one mention of the group.
_OF_GROUP = re.compile(
    r"\s+(?i:of|from|belonging\s+to|loyal\s+to|affiliated\s+(?:with|to)|linked\s+to|"
    r"allied\s+(?:with|to)|aligned\s+with)\s+(?i:the\s+)?(?i:so[\s-]called\s+)?"
)

# Heuristic named groups.
_TOKEN = r"(?:(?:al|el|ad|ash|as|at|ar|an|az|ul)[-‐]?)?[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*"
_CONNECT = r"(?:(?:of|for|in|de|del|la|du|des|wal|wa|al|el)(?:\s+the)?|and)"
_KEYS = r"(?:Brigades?|Battalions?|Front|Movement|Army|Militias?|Forces?|Tigers|Resistance)"
_PREFIXES = (
    r"(?:Jaish|Jaysh|Jabhat|Harakat|Ansar|Ansaru|Ansarul|Kataib|Kata'ib|Kata’ib|Katiba|Liwa|"
    r"Saraya|Faylaq|Lashkar|Tehrik|Tehreek)"
)
_HEURISTIC = re.compile(
    # Tried at every capitalised word (a lookahead, so candidates overlap and the longest
    # wins in selection): "The Front for ..." must not hide "Front for ...".
    r"(?<![\w\-‐'’])(?=[A-Z])(?=(?P<name>"
    # "... Front for the Liberation of Azawad"
    rf"(?:{_TOKEN}\s+){{0,3}}(?:Front|Movement|Army|Forces?|Council)\s+(?:for|of)\s+"
    r"(?:the\s+)?(?:Liberation|Salvation|Defen[cs]e|Restoration|Independence|Unity)"
    rf"(?:\s+{_CONNECT}\s+{_TOKEN}(?:\s+{_TOKEN}){{0,3}})?"
    # ends in a key word: "Kachin Independence Army"
    rf"|(?:{_TOKEN}\s+(?:{_CONNECT}\s+)?){{1,6}}{_KEYS}"
    # a prefix then names: "Jaish al-Adl", "Ansar al-Sunna", "Jaish-e-Mohammed"
    rf"|{_PREFIXES}(?:[\s\-]+(?:(?:of|the|al|el|wal|wa|e|i|ul)[\s\-]+)?{_TOKEN}){{1,4}}"
    r")" + _END + ")"
)
_LEADING_NOISE = frozenset(
    "the a an on in at by for from with and but or of to as after before when while "
    "meanwhile yesterday today tonight last earlier later then also both according "
    "monday tuesday wednesday thursday friday saturday sunday fighters militants "
    "members troops forces".split()
)
_GENERIC_NAME_WORDS = frozenset(
    "army armed forces force air navy naval special security national defence defense "
    "police military government federal joint task regular royal border militia militias "
    "brigade brigades battalion battalions front movement of the and for people's popular "
    "republican guard guards elite reserve".split()
)
_REBEL_WORDS = frozenset(
    "front movement army liberation revolutionary resistance jaish jaysh jabhat harakat "
    "ansar ansaru ansarul tehrik tehreek tigers".split()
)
_WORD = re.compile(r"[\w'’\-]+")


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    actor: Actor
    rank: int  # 0 table, 1 state pattern, 2 heuristic
    kind: str
    generic: bool = False
    name_text: str = ""  # heuristic groups: the name as written


# --------------------------------------------------------------------------------------
# Compiled tables, one per article country


@dataclass(frozen=True)
class _Matcher:
    cc: str | None
    rows_ci: dict[str, AliasRow]
    rows_cs: dict[str, AliasRow]
    nouns: dict[str, AliasRow]
    country: re.Pattern[str]
    coordinated: re.Pattern[str]
    own: re.Pattern[str]
    words: dict[str, str]
    words_lower: frozenset[str]


def _pick(rows: list[AliasRow], cc: str | None) -> AliasRow | None:
    """The row for an article country: one limited to it, else one limited to none."""
    for row in rows:
        if cc and cc in row.only:
            return row
    for row in rows:
        if not row.only:
            return row
    return None


# The article country's own state named by its government rather than its country: "the
# regime's helicopters", "government warplanes", "regime artillery" (the state's forces; the
# words alone, "the regime", are no side outside the table's rows).
_OWN_STATE = r"(?:the\s+)?(?i:regime|government)"


@lru_cache(maxsize=1)
def _country_parts() -> tuple[dict, re.Pattern[str], re.Pattern[str], re.Pattern[str],
                              dict, frozenset]:
    """The demonym patterns: the same for every article country."""
    nouns_grouped: dict[str, list[AliasRow]] = {}
    for row in alias_rows():
        if row.templated and row.kind in GENERIC_KINDS:
            nouns_grouped.setdefault(alias_key(row.alias), []).append(row)
    nouns = {k: r for k, rows in nouns_grouped.items() if (r := _pick(rows, None))}
    words = {alias_key(w, keep_case=True): c for w, c in country_words().words.items()}
    who = trie_pattern(list(country_words().words))
    noun_alt = trie_pattern([r.alias for r in nouns.values()], fold=True)
    tail = rf"(?:['’]s)?\s+(?P<mods>(?i:{_MODIFIERS}\s+){{0,2}})(?P<noun>(?i:{noun_alt}))"
    country = re.compile(_START + rf"(?P<who>{who})" + tail + _END)
    coordinated = re.compile(
        _START + rf"(?P<who>{who})(?=(?:\s*,\s*(?:{who}))*\s*,?\s+(?:and|or|&)\s+(?:{who})"
        + tail + _END + ")"
    )
    own = re.compile(_START + rf"(?P<who>{_OWN_STATE})" + tail + _END)
    return nouns, country, coordinated, own, words, frozenset(w.lower() for w in words)


@lru_cache(maxsize=1)
def _grouped_rows() -> dict[tuple[str, bool], list[AliasRow]]:
    """The table's rows by lookup key and case sensitivity."""
    grouped: dict[tuple[str, bool], list[AliasRow]] = {}
    for row in alias_rows():
        if row.after_country:
            continue
        cs = case_sensitive(row.alias)
        grouped.setdefault((alias_key(row.alias, keep_case=cs), cs), []).append(row)
    return grouped


@lru_cache(maxsize=16)
def _alias_patterns(keys_ci: frozenset[str], keys_cs: frozenset[str]
                    ) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The alias expressions for a set of aliases: most article countries have the same
    set (only a few have rows of their own), so they share one compiled pair."""
    alias_ci = re.compile(_START + f"(?:{trie_pattern(sorted(keys_ci), fold=True)})" + _END,
                          re.I)
    alias_cs = re.compile(_START + f"(?:{trie_pattern(sorted(keys_cs))})" + _END)
    return alias_ci, alias_cs


@lru_cache(maxsize=1)
def _all_alias_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The alias expressions of every alias of the table, whatever the article country
    (see :func:`_country_alias_patterns`)."""
    grouped = _grouped_rows()
    return _alias_patterns(frozenset(k for k, cs in grouped if not cs),
                           frozenset(k for k, cs in grouped if cs))


@lru_cache(maxsize=64)
def _country_alias_patterns(cc: str | None) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The alias expressions of an article country's own set of aliases: compiled only
    when the expression of all aliases found one that is not the country's
    (:func:`_alias_matches`)."""
    m = _matcher(cc)
    return _alias_patterns(frozenset(m.rows_ci), frozenset(m.rows_cs))


def _alias_matches(text: str, lo: int, hi: int, m: _Matcher, cs: bool
                   ) -> list[re.Match[str]]:
    """What the expression of the article country's aliases finds in ``text[lo:hi]``,
    by way of the expression of all aliases, compiled once per process instead of once
    per distinct set of country aliases (about 0.05 s each).

    The country's expression is the trie of all aliases less some branches (aliases
    limited to other countries), so wherever it matches, the full one matches too; and
    at a position both try their branches in the same order and take the first that
    holds. So when every match of the full expression is one of the country's aliases,
    each was the country expression's match at the same position and no match of it was
    skipped: the two give the same matches. Otherwise (a few sentences in thousands) the
    country's own expression is used."""
    rows = m.rows_cs if cs else m.rows_ci
    found = list(_all_alias_patterns()[cs].finditer(text, lo, hi))
    if all(alias_key(match.group(0), keep_case=cs) in rows for match in found):
        return found
    return list(_country_alias_patterns(m.cc)[cs].finditer(text, lo, hi))


@lru_cache(maxsize=64)
def _matcher(cc: str | None) -> _Matcher:
    rows_ci: dict[str, AliasRow] = {}
    rows_cs: dict[str, AliasRow] = {}
    for (key, cs), rows in _grouped_rows().items():
        picked = _pick(rows, cc)
        if picked is not None:
            (rows_cs if cs else rows_ci)[key] = picked
    nouns, country, coordinated, own, words, words_lower = _country_parts()
    return _Matcher(
        cc=cc, rows_ci=rows_ci, rows_cs=rows_cs, nouns=nouns, country=country,
        coordinated=coordinated, own=own, words=words, words_lower=words_lower,
    )


# --------------------------------------------------------------------------------------
# Building actors


def _actor(row: AliasRow, cc: str | None, text: str, start: int, end: int,
           forces_cc: str | None = None) -> Actor:
    """``cc`` is the article's country; ``forces_cc`` the country a demonym named."""
    if row.templated:
        code = forces_cc or cc
        name = render(row.canonical, code)
        country = code or None
    else:
        name, country = row.canonical, row.country or None
    inter = row.inter
    if row.kind in STATE_KINDS and cc and country and country != cc:
        inter = 8
    return Actor(name=name, inter=inter, text=text, start=start, end=end,
                 country_code=country or None)


def _ok_caps(text: str, start: int, end: int, m: _Matcher) -> bool:
    """Short acronyms ("IS", "SDF") are no actor inside an all-capitals run ("THIS IS IT")."""
    if end - start > 3:
        return True
    before = _WORD.findall(text[max(0, start - 30):start])
    after = _WORD.findall(text[end:end + 30])
    for word in (before[-1:] + after[:1]):
        if len(word) >= 2 and word.isupper() and word.isalpha():
            if word not in m.rows_cs and word not in m.words:
                return False
    return True


def _alias_hits(text: str, lo: int, hi: int, m: _Matcher) -> list[_Hit]:
    hits: list[_Hit] = []
    for cs in (False, True):
        for match in _alias_matches(text, lo, hi, m, cs):
            words = match.group(0)
            row = (m.rows_cs if cs else m.rows_ci).get(alias_key(words, keep_case=cs))
            if row is None or (cs and not _ok_caps(text, match.start(), match.end(), m)):
                continue
            generic = row.templated and row.kind in GENERIC_KINDS
            hits.append(_Hit(match.start(), match.end(),
                             _actor(row, m.cc, words, match.start(), match.end()),
                             0, row.kind, generic))
    return hits


def _noun_row(match: re.Match[str], m: _Matcher) -> AliasRow | None:
    row = m.nouns.get(alias_key(match.group("noun")))
    if row is None:
        return None
    mods = (match.group("mods") or "").lower()
    if row.kind == "state" and ("police" in mods or "riot" in mods):
        row = m.nouns.get("police", row)
    return row


def _country_hits(text: str, lo: int, hi: int, m: _Matcher) -> list[_Hit]:
    hits: list[_Hit] = []
    for match in m.country.finditer(text, lo, hi):
        row = _noun_row(match, m)
        code = m.words.get(alias_key(match.group("who"), keep_case=True))
        if row is None or code is None:
            continue
        a, b = match.start(), match.end()
        hits.append(_Hit(a, b, _actor(row, m.cc, text[a:b], a, b, code), 1, row.kind))
    for match in m.coordinated.finditer(text, lo, hi):
        row = _noun_row(match, m)
        code = m.words.get(alias_key(match.group("who"), keep_case=True))
        if row is None or code is None:
            continue
        a, b = match.span("who")
        hits.append(_Hit(a, b, _actor(row, m.cc, text[a:b], a, b, code), 1, row.kind))
    for match in m.own.finditer(text, lo, hi):
        row = _noun_row(match, m)
        if row is None or row.kind not in STATE_KINDS:
            continue  # "government supporters" are no state force
        a, b = match.start(), match.end()
        hits.append(_Hit(a, b, _actor(row, m.cc, text[a:b], a, b), 1, row.kind))
    return hits


def _heuristic_hits(text: str, lo: int, hi: int, m: _Matcher) -> list[_Hit]:
    hits: list[_Hit] = []
    countries = [c.span() for c in _country_words_re().finditer(text, lo, hi)]
    for match in _HEURISTIC.finditer(text, lo, hi):
        a, b = match.span("name")
        if any(x < a < y for x, y in countries):
            continue  # "States Air Force" inside "United States Air Force"
        # Drop capitalised sentence words before the name: "The", "On Monday".
        while True:
            first = re.match(r"([\w'’\-]+)\s+", text[a:b])
            if not first or first.group(1).lower() not in _LEADING_NOISE:
                break
            a += first.end()
        name = re.sub(r"\s+", " ", text[a:b])
        words = [w.lower() for w in re.findall(r"[\w'’]+", name)]
        if len(words) < 2 and not re.match(_PREFIXES, name):
            continue
        if _RANK_AFTER.match(text, b):
            continue
        # Country names of several words count as one ("United States Air Force").
        bare = _country_words_re().sub(" ", name.lower())
        distinctive = [
            w for w in re.findall(r"[\w'’]+", bare)
            if w not in _GENERIC_NAME_WORDS and w not in _LEADING_NOISE
            and w not in m.words_lower
        ]
        if not distinctive:
            continue
        inter = 2 if any(w in _REBEL_WORDS for w in words) else 3
        actor = Actor(name=name, inter=inter, text=text[a:b], start=a, end=b,
                      country_code=m.cc or None)
        hits.append(_Hit(a, b, actor, 2, "rebel" if inter == 2 else "militia",
                         name_text=name))
    return hits


@lru_cache(maxsize=1)
def _country_words_re() -> re.Pattern[str]:
    """Country names and demonyms of more than one word, lower case."""
    multi = [w.lower() for w in country_words().words if " " in w.strip()]
    return re.compile(r"(?<!\w)(?:" + trie_pattern(multi, fold=True) + r")(?!\w)", re.I)


def _grow(hit: _Hit, text: str, hi: int, m: _Matcher) -> _Hit:
    """Take in "(ISF)" and a trailing "troops" / "fighters"."""
    armed = hit.actor.inter in (1, 2, 3, 4, 8) and hit.kind not in ("civilians",)
    while True:
        end = hit.end
        paren = _PAREN.match(text, end, hi)
        if paren and not hit.generic:
            inner = paren.group(1)
            row = m.rows_cs.get(alias_key(inner, keep_case=True)) or m.rows_ci.get(
                alias_key(inner))
            same = row is not None and _actor(row, m.cc, "", 0, 0).name == hit.actor.name
            if same or (row is None and _ACRONYM.fullmatch(inner)):
                actor = hit.actor
                if hit.rank == 2 and row is None:
                    actor = replace(actor, name=f"{inner}: {hit.name_text}")
                hit = replace(hit, end=paren.end(), actor=actor)
        trailing = _TRAILING.match(text, hit.end, hi) if armed else None
        if trailing:
            hit = replace(hit, end=trailing.end())
        if hit.end == end:
            break
    return replace(hit, actor=replace(hit.actor, text=text[hit.start:hit.end],
                                      start=hit.start, end=hit.end))


def _select(hits: list[_Hit]) -> list[_Hit]:
    """Longest first; at equal length the lower rank; no overlaps."""
    chosen: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.rank, h.start)):
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def _merge_of_group(hits: list[_Hit], text: str) -> list[_Hit]:
    """"militants of IS" -> one mention of the Islamic State."""
    out: list[_Hit] = []
    i = 0
    while i < len(hits):
        hit = hits[i]
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        if (
            nxt is not None and hit.kind == "armed" and hit.generic and not nxt.generic
            and nxt.actor.inter in (2, 3, 4, 8) and not is_state(nxt.actor)
            and _OF_GROUP.fullmatch(text, hit.end, nxt.start)
        ):
            a, b = hit.start, nxt.end
            out.append(replace(nxt, start=a, actor=replace(nxt.actor, text=text[a:b],
                                                           start=a, end=b)))
            i += 2
            continue
        out.append(hit)
        i += 1
    return out


# --------------------------------------------------------------------------------------
# Public API


def find_actors(
    text: str, *, start: int = 0, end: int | None = None, country_code: str | None = None
) -> list[Actor]:
    """Every actor mention in ``text[start:end]``, left to right; offsets index ``text``
    and ``actor.text == text[actor.start:actor.end]``. ``country_code`` (ISO2) is the
    article's country: it names generic mentions ("troops" -> "Military Forces of Iraq",
    "civilians" -> "Civilians (Iraq)") and picks country-specific readings ("Shia
    militias" in Iraq is the PMF)."""
    hi = len(text) if end is None else max(0, min(end, len(text)))
    lo = max(0, min(start, hi))
    if lo >= hi:
        return []
    cc = country_code.upper() if country_code else None
    m = _matcher(cc)
    hits = _alias_hits(text, lo, hi, m) + _country_hits(text, lo, hi, m)
    hits += _heuristic_hits(text, lo, hi, m)
    hits = [_grow(h, text, hi, m) for h in hits]
    hits = [h for h in hits if not _NOT_ACTOR_AFTER.match(text, h.end, hi)]
    hits = _merge_of_group(_select(hits), text)
    return [h.actor for h in hits]


_DATES = re.compile(r"\s*\(\d{4}\s*-\s*(?:\d{4})?\)\s*$")


@lru_cache(maxsize=1)
def _canonical_patterns() -> tuple[dict[str, AliasRow], list[tuple[re.Pattern[str], AliasRow]],
                                   dict[str, str]]:
    plain: dict[str, AliasRow] = {}
    templates: list[tuple[re.Pattern[str], AliasRow]] = []
    seen: set[str] = set()
    for row in alias_rows():
        if row.only and row.canonical in seen:
            continue
        if row.templated:
            if row.canonical not in seen:
                pat = re.escape(row.canonical).replace(r"\{country\}", "(?:the )?(?P<c>.+)")
                templates.append((re.compile(pat, re.I), row))
                bare = render(row.canonical, None)
                plain.setdefault(alias_key(bare), row)
        else:
            plain.setdefault(alias_key(row.canonical), row)
        seen.add(row.canonical)
    by_name = {alias_key(n): c for c, n in country_words().names.items()}
    for word, code in country_words().words.items():
        by_name.setdefault(alias_key(word), code)
    return plain, templates, by_name


def normalise_actor(name: str, *, country_code: str | None = None) -> Actor | None:
    """One actor name, as the news or ACLED writes it ("Daesh", "Malian soldiers",
    "Military Forces of Iraq (2014-2018)", "Civilians (Syria)"), as an :class:`Actor`
    whose text and offsets are the name's; None when it names no actor."""
    stripped = name.strip()
    if not stripped:
        return None
    cc = country_code.upper() if country_code else None
    lead = len(name) - len(name.lstrip())
    found = find_actors(name, country_code=cc)
    rest = re.compile(r"[\s.,;:!?\"'’]*(?:the\s+)?", re.I)
    if len(found) == 1:
        a = found[0]
        if rest.fullmatch(name, lead, a.start) and re.fullmatch(r"[\s.,;:!?\"'’]*", name[a.end:]):
            return a
    plain, templates, by_name = _canonical_patterns()
    bare = _DATES.sub("", stripped)
    start, end = lead, lead + len(stripped)
    row = plain.get(alias_key(bare))
    if row is not None:
        return _actor(row, cc, name[start:end], start, end)
    for pattern, row in templates:
        match = pattern.fullmatch(bare)
        if match and (code := by_name.get(alias_key(match.group("c")))):
            return _actor(row, cc, name[start:end], start, end, code)
    return None


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: both inter codes, lower first (1 and 2 -> 12, 2 and 1 ->
    12); one actor alone -> inter * 10 (20); None when neither is known."""
    codes = sorted(c for c in (inter1, inter2) if c)
    for c in codes:
        if not 1 <= c <= 8:
            raise ValueError(f"inter code {c} is not 1-8")
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


def is_state(actor: Actor) -> bool:
    """State forces of any country: inter 1, or inter 8 when acting abroad."""
    name = actor.name
    forces = name.startswith(("Military Forces", "Police Forces"))
    return actor.inter == 1 or (actor.inter == 8 and forces)


def is_civilian(actor: Actor) -> bool:
    return actor.inter == 7


@lru_cache(maxsize=1)
def _generic_keys() -> frozenset[str]:
    return frozenset(
        alias_key(r.alias) for r in alias_rows()
        if r.templated and r.kind in GENERIC_KINDS and not r.after_country
    )


def is_generic(actor: Actor) -> bool:
    """True when the mention names a category, not an actor: an unidentified armed group
    ("militants", "gunmen": often the named group of the same sentence, see
    :func:`attribute_generic`) or a bare noun whose country came from the article
    ("troops", "police", "civilians")."""
    if actor.name.startswith(UNIDENTIFIED):
        return True
    key = alias_key(actor.text)
    key = key[4:] if key.startswith("the ") and key not in _generic_keys() else key
    return key in _generic_keys()


def attribute_generic(actors: list[Actor]) -> list[Actor]:
    """Give unidentified armed mentions ("the militants") the name of the one non-state
    armed group named alongside them, when there is exactly one; otherwise unchanged."""
    named = {
        (a.name, a.inter, a.country_code) for a in actors
        if a.inter in (2, 3, 4, 8) and not is_state(a) and not is_generic(a)
    }
    if len(named) != 1:
        return list(actors)
    name, inter, cc = next(iter(named))
    return [
        replace(a, name=name, inter=inter, country_code=cc)
        if a.name.startswith(UNIDENTIFIED) else a
        for a in actors
    ]


def _named_group(actor: Actor) -> bool:
    """A non-state armed group the text names (not "militants", not state forces)."""
    return actor.inter in (2, 3, 4) and not is_state(actor) and not is_generic(actor)


def named_groups(text: str, *, country_code: str | None = None) -> list[Actor]:
    """The non-state armed groups an article names anywhere in ``text`` (its headline and
    the sentences the cascade never parsed too), one per name, most named first."""
    found = [a for a in find_actors(text, country_code=country_code) if _named_group(a)]
    counts: dict[str, int] = {}
    first: dict[str, Actor] = {}
    for actor in found:
        counts[actor.name] = counts.get(actor.name, 0) + 1
        first.setdefault(actor.name, actor)
    return sorted(first.values(), key=lambda a: (-counts[a.name], a.start))


def resolve_generic(actor: Actor, side: Sequence[Actor], other: Sequence[Actor],
                    article: Sequence[Actor], country_code: str | None = None) -> Actor:
    """An unidentified armed mention ("the militants", "guerrillas", "the gunmen") as the
    group the report names for it, keeping its words and offsets:

    1. the one named non-state armed group on the same side of the same event ("Taliban
       gunmen and suicide bombers attacked ... the militants");
    2. else, when the side names none, the one such group the whole article names
       (``article``, from :func:`named_groups`) that is not on the other side of the
       event (``other``) and belongs to the event's country (or to none).

    Otherwise (no group, or several: the report does not say which) it stays an
    Unidentified Armed Group. On MUC-4 training reports, when the article names exactly
    one group and the key names the perpetrators' organisation, it is that group for 89
    of 108 generic perpetrators ("terrorists", "guerrillas"); with two or more groups the
    most named one is right for only 9 of 16, so nothing is guessed then."""
    if not actor.name.startswith(UNIDENTIFIED):
        return actor
    here = {a.name: a for a in side if _named_group(a)}
    if not here:
        against = {a.name for a in other}
        here = {a.name: a for a in article if a.name not in against and (
            a.country_code is None or country_code is None or a.country_code == country_code)}
    if len(here) != 1:
        return actor
    group = next(iter(here.values()))
    return replace(actor, name=group.name, inter=group.inter, country_code=group.country_code)


def in_country(actor: Actor, country_code: str | None) -> Actor:
    """A generic mention named for the country where its event happened, as ACLED names
    them: an Unidentified Armed Group always ("Palestinian fighters" clashing in a Lebanese
    camp are "Unidentified Armed Group (Lebanon)"); bare "police", "civilians",
    "protesters" that took the article's most named country when the event is elsewhere.
    A demonym keeps its country ("Syrian refugees"), the name never changes kind (in
    Syria "rebels" are "Opposition Rebels (Syria)" wherever the fighting is), and bare
    "troops" keep the article's country (armies fight abroad, police do not)."""
    if not country_code or actor.country_code == country_code or not is_generic(actor):
        return actor
    if actor.name.startswith(UNIDENTIFIED):
        return replace(actor, name=render(UNIDENTIFIED + " ({country})", country_code),
                       country_code=country_code)
    key = alias_key(actor.text)
    key = key[4:] if key.startswith("the ") and key not in _generic_keys() else key
    here, there = _matcher(actor.country_code).rows_ci.get(key), \
        _matcher(country_code).rows_ci.get(key)
    if here is None or there is None or here.canonical != there.canonical \
            or not there.templated or there.kind not in _LOCAL_KINDS:
        return actor
    if render(here.canonical, actor.country_code) != actor.name:
        return actor  # a demonym named it ("Iraqi police"): its country stays
    return _actor(there, country_code, actor.text, actor.start, actor.end)


# Generic kinds named for the event's country: everyone but armies, which fight abroad.
_LOCAL_KINDS = frozenset({"police", "civilians", "protesters", "rioters", "armed"})
