"""rearguard.ingest.language: the letter count that decides whether a text is judged."""

from __future__ import annotations

import pytest

from rearguard.ingest import language
from rearguard.ingest.language import MIN_LETTERS, _has_letters, detect_language


@pytest.mark.parametrize("sample", [
    "", "12 34", "Mosul", "Shirqat, Qayyarah, Mosul", "a" * 39, "a" * 40, "a" * 41,
    "1 2 3 " + "b" * 39, "١٢٣ قتل خمسة", "Ölçek şehir " * 4, "_" * 50, "²³ ½" * 20,
])
@pytest.mark.parametrize("least", [0, 1, 5, MIN_LETTERS])
def test_has_letters_is_the_count_of_alphabetic_characters(sample: str, least: int) -> None:
    assert _has_letters(sample, least) == (sum(ch.isalpha() for ch in sample) >= least)


def test_a_text_just_short_of_the_letters_is_not_judged(monkeypatch) -> None:
    text = "Five people were killed in Mosul today."  # 32 letters
    assert sum(ch.isalpha() for ch in text) < MIN_LETTERS
    assert detect_language(text) is None
    longer = text + " The police said so."
    assert detect_language(longer) == "en"
    # only the first SAMPLE_CHARS characters count
    monkeypatch.setattr(language, "SAMPLE_CHARS", 10)
    assert detect_language(longer) is None
