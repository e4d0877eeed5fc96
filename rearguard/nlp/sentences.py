"""A cheap sentence split over raw text (no model), the cascade's first step."""

from __future__ import annotations

import re

from ..types import Chunk

# Sentence ends: . ! ? followed by space and a capital, digit or quote; and line breaks.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")

# Run-on "sentences" longer than this (tables, lists, scraped pages without punctuation) are
# cut at white space: parsing and locating cost grows faster than their length.
MAX_CHUNK = 1500


def split_sentences(text: str) -> list[Chunk]:
    """Cheap sentence split over raw text (no model): good enough to screen for triggers."""
    chunks = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            chunks += _bounded(text, start, match.start())
        start = match.end()
    if text[start:].strip():
        chunks += _bounded(text, start, len(text))
    return chunks


def _bounded(text: str, start: int, end: int) -> list[Chunk]:
    pieces = []
    while end - start > MAX_CHUNK:
        cut = text.rfind(" ", start + MAX_CHUNK // 2, start + MAX_CHUNK)
        cut = cut if cut > start else start + MAX_CHUNK
        pieces.append(Chunk(start, cut))
        start = cut + 1 if text[cut:cut + 1] == " " else cut
    pieces.append(Chunk(start, end))
    return pieces
