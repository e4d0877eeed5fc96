"""Numbers written in digits or words, and vague quantity words ("dozens", "several").

* :func:`parse_number` reads "12", "1,200", "3 million", "1.5 million", "five",
  "twenty-three", "a hundred and twelve", "two thousand", "two dozen"; anything else is
  None. It never guesses: "several" is not a number (see :func:`vague_number`).
* :func:`vague_number` looks a vague word up in a table (``data/vague_numbers.tsv`` by
  default: word, value, note), following ACLED's convention: "several"/"many" 10,
  "dozens" 12, "hundreds" 100. :func:`load_vague_table` reads another table.

:data:`NUMBER_PATTERN` is a regular expression (source text) for one number in digits or
words, for other modules to build on; a match may still fail :func:`parse_number`
(e.g. "hundred and"), so callers check the value.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Mapping
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
VAGUE_TABLE = DATA_DIR / "vague_numbers.tsv"

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES: dict[str, int] = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
}
DOZEN = 12

_UNIT_RE = "|".join(sorted(UNITS, key=len, reverse=True))
_TENS_RE = "|".join(TENS)
_SCALE_RE = "|".join(SCALES)
_WORD_TOKEN = (
    rf"(?:(?:{_TENS_RE})(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine)\b)?"
    rf"|{_UNIT_RE}|{_SCALE_RE}|dozen)"
)

#: One number: digits (with thousands commas, an optional decimal and scale word) or a run
#: of number words ("a hundred and twelve"). Case-insensitive parts are marked inline.
NUMBER_PATTERN = (
    r"(?:(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,]*\d)|(?<![\d.,])\d+(?:\.\d+)?(?![\d]))"
    rf"(?:\s+(?i:million|billion|thousand))?"
    rf"|(?i:(?:an?\s+(?=(?:{_SCALE_RE}|dozen)\b))?\b{_WORD_TOKEN}"
    rf"(?:(?:\s+and\s+|[\s-]+)(?:{_WORD_TOKEN}))*\b)"
)

_DIGITS = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(million|billion|thousand))?")
_TOKEN_SPLIT = re.compile(r"[\s-]+")


def parse_number(words: str) -> int | None:
    """The whole number ``words`` state, or None when it is not a number.

    >>> parse_number("1,200"), parse_number("twenty-three"), parse_number("a hundred and twelve")
    (1200, 23, 112)
    """
    text = words.strip().lower()
    if not text:
        return None
    m = _DIGITS.fullmatch(text)
    if m:
        number = float(m.group(1).replace(",", ""))
        if m.group(2):
            number *= SCALES[m.group(2)]
        if number != int(number):
            return None
        return int(number)
    return _parse_words(text)


def _parse_words(text: str) -> int | None:
    tokens = [t for t in _TOKEN_SPLIT.split(text) if t]
    if tokens and tokens[0] in ("a", "an"):
        if len(tokens) == 1 or (tokens[1] not in SCALES and tokens[1] != "dozen"):
            return None
        tokens[0] = "one"
    total = 0  # completed thousands/millions groups
    current = 0  # the group being read
    seen = False
    last = ""  # kind of the last token: unit, tens, hundred, scale, and
    for tok in tokens:
        if tok == "and":
            if last not in ("hundred", "scale") or not seen:
                return None
            last = "and"
            continue
        if tok in UNITS:
            value = UNITS[tok]
            if last == "unit" or (last == "tens" and (value >= 10 or current % 10)):
                return None
            current += value
            last = "unit"
        elif tok in TENS:
            if last in ("unit", "tens"):
                return None
            current += TENS[tok]
            last = "tens"
        elif tok == "hundred":
            if last == "hundred" or (current % 100 == 0 and current):
                return None
            current = (current or 1) * 100
            last = "hundred"
        elif tok == "dozen":
            if last not in ("unit", "tens", "") or (last == "" and seen):
                return None
            current = (current or 1) * DOZEN
            last = "scale"
        elif tok in SCALES:
            scale = SCALES[tok]
            if last in ("scale", "and") and not current:
                return None
            total += (current or 1) * scale
            current = 0
            last = "scale"
        else:
            return None
        seen = True
    if not seen or last == "and":
        return None
    return total + current


def _read_table(path: Path) -> dict[str, int]:
    table: dict[str, int] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 2:
                continue
            word = " ".join(row[0].lower().split())
            try:
                table[word] = int(row[1])
            except ValueError:
                continue
    return table


@functools.lru_cache(maxsize=8)
def _cached_table(path: str) -> Mapping[str, int]:
    return _read_table(Path(path))


def load_vague_table(path: str | Path | None = None) -> dict[str, int]:
    """The vague-word table at ``path`` (default ``data/vague_numbers.tsv``): lower-case
    word -> value. Lines starting with '#' are comments; the third column is a note."""
    return dict(_cached_table(str(Path(path) if path else VAGUE_TABLE)))


def vague_number(word: str, table: Mapping[str, int] | None = None) -> int | None:
    """The value the vague quantity ``word`` stands for ("dozens" -> 12), or None."""
    key = " ".join(word.lower().split())
    lookup = table if table is not None else _cached_table(str(VAGUE_TABLE))
    return lookup.get(key)
