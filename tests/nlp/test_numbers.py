"""Numbers in digits and words, and the vague-word table."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rearguard.nlp.numbers import (
    NUMBER_PATTERN,
    VAGUE_TABLE,
    load_vague_table,
    parse_number,
    vague_number,
)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("12", 12),
        ("1,200", 1200),
        ("12,500", 12500),
        ("0", 0),
        ("five", 5),
        ("Five", 5),
        ("eleven", 11),
        ("twenty-three", 23),
        ("twenty three", 23),
        ("ninety-nine", 99),
        ("one hundred", 100),
        ("a hundred", 100),
        ("a hundred and twelve", 112),
        ("one hundred and twelve", 112),
        ("two thousand", 2000),
        ("two thousand five hundred", 2500),
        ("one thousand two hundred and five", 1205),
        ("eleven hundred", 1100),
        ("3 million", 3_000_000),
        ("1.5 million", 1_500_000),
        ("two dozen", 24),
        ("a dozen", 12),
        ("  seven ", 7),
    ],
)
def test_parse_number(words: str, value: int) -> None:
    assert parse_number(words) == value


@pytest.mark.parametrize(
    "words",
    ["", "several", "dozens", "many", "five twenty", "twenty twenty", "a", "and", "1.5",
     "hundred and", "seven eleven", "ten five", "soldiers", "12th", "one two"],
)
def test_not_a_number(words: str) -> None:
    assert parse_number(words) is None


@pytest.mark.parametrize(
    ("word", "value"),
    [("several", 10), ("many", 10), ("dozens", 12), ("Dozens of", 12), ("hundreds", 100),
     ("hundreds of", 100), ("a few", 3), ("a dozen", 12), ("scores", 20), ("tens of", 10),
     ("a  number   of", 10)],
)
def test_vague_number(word: str, value: int) -> None:
    assert vague_number(word) == value


def test_vague_unknown_word() -> None:
    assert vague_number("some") is None
    assert vague_number("twelve") is None


def test_vague_table_rows_have_notes() -> None:
    rows = [line.split("\t") for line in VAGUE_TABLE.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert rows
    for row in rows:
        assert len(row) == 3 and row[2].strip(), row
        assert int(row[1]) > 0


def test_vague_table_path_can_be_overridden(tmp_path) -> None:
    path = tmp_path / "vague.tsv"
    path.write_text("# word\tvalue\tnote\nSeveral\t5\tour own rule\nbad\tx\tskipped\n",
                    encoding="utf-8")
    table = load_vague_table(path)
    assert table == {"several": 5}
    assert vague_number("several", table) == 5
    assert vague_number("dozens", table) is None
    assert load_vague_table()["several"] == 10


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("killing twenty-three people", ["twenty-three"]),
        ("a hundred and twelve died", ["a hundred and twelve"]),
        ("1,200 people and 35 others", ["1,200", "35"]),
        ("someone and none", []),
        ("tens of people", []),
    ],
)
def test_number_pattern(text: str, found: list[str]) -> None:
    assert [m.group() for m in re.finditer(NUMBER_PATTERN, text)] == found


@given(st.integers(min_value=0, max_value=10**9))
def test_digits_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _spell(n: int) -> str:
    """English words for 0 < n < 1,000,000 (test oracle)."""
    parts = []
    if n >= 1000:
        parts.append(_spell(n // 1000) + " thousand")
        n %= 1000
    if n >= 100:
        parts.append(_UNITS[n // 100] + " hundred")
        n %= 100
        if n:
            parts.append("and")
    if n >= 20:
        parts.append(_TENS[n // 10] + ("-" + _UNITS[n % 10] if n % 10 else ""))
    elif n >= 10:
        parts.append(_TEENS[n - 10])
    elif n:
        parts.append(_UNITS[n])
    return " ".join(parts)


@given(st.integers(min_value=1, max_value=999_999))
def test_words_round_trip(n: int) -> None:
    words = _spell(n)
    assert parse_number(words) == n
    assert re.fullmatch(NUMBER_PATTERN, words)
