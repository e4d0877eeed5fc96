"""A cheap sentence split over raw text (no model), the cascade's first step."""

from __future__ import annotations

import re

from ..types import Chunk

# Sentence ends: . ! ? followed by space and a capital, digit or quote; and line breaks.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")

# Words that end with a full stop inside a sentence: titles and ranks before a name
# ("Gen. Hossam", "Lt. Col."), saints and mountains in place names ("the church of St.
# Peter", "Mt. Sinjar"), month and number abbreviations ("Nov. 6", "No. 3"). A split after
# them cuts a name in two, and its first half is then read as a place on its own.
_ABBREVIATIONS = frozenset("""
St Ste Sts Mt Mts Ft Pt Rd Ave Blvd Gen Lt Col Maj Capt Cpt Sgt Cpl Pvt Adm Brig Cmdr
Cdr Gov Sen Rep Pres Amb Insp Supt Dr Mr Mrs Ms Messrs Prof Rev Fr Sr Jr Hon Sheikh No
Nos Vol Art Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec vs approx Co Corp Inc Ltd
""".split())
# A dotted acronym or an initial before the stop ("the U.S. Army", "John F. Kennedy").
_INITIALS = re.compile(r"(?:\b[A-Za-z]\.)*\b[A-Z]$")

# Run-on "sentences" longer than this (tables, lists, scraped pages without punctuation) are
# cut at white space: parsing and locating cost grows faster than their length.
MAX_CHUNK = 1500


def split_sentences(text: str) -> list[Chunk]:
    """Cheap sentence split over raw text (no model): good enough to screen for triggers."""
    chunks = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _abbreviation_before(text, match.start()):
            continue
        if text[start : match.start()].strip():
            chunks += _bounded(text, start, match.start())
        start = match.end()
    if text[start:].strip():
        chunks += _bounded(text, start, len(text))
    return chunks


def _abbreviation_before(text: str, end: int) -> bool:
    """Whether the stop just before ``end`` closes an abbreviation, not a sentence."""
    if end < 2 or text[end - 1] != ".":
        return False
    word_start = end - 1
    while word_start > 0 and not (text[word_start - 1].isspace()
                                  or text[word_start - 1] in "(\"'“‘"):
        word_start -= 1
    word = text[word_start : end - 1]
    return word in _ABBREVIATIONS or bool(_INITIALS.fullmatch(word))


def _bounded(text: str, start: int, end: int) -> list[Chunk]:
    pieces = []
    while end - start > MAX_CHUNK:
        cut = text.rfind(" ", start + MAX_CHUNK // 2, start + MAX_CHUNK)
        cut = cut if cut > start else start + MAX_CHUNK
        pieces.append(Chunk(start, cut))
        start = cut + 1 if text[cut:cut + 1] == " " else cut
    pieces.append(Chunk(start, end))
    return pieces
