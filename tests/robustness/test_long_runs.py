"""A long run of text without whitespace costs time in proportion to its length (issue 11,
point 4: "extraction time stays linear in the text's length").

Found by the large robustness run (seed 30, docs/robustness.md): ``geocode`` of a 600 KB
JSON Lines file read as text, whose line was JSON nested 100,000 deep, ran for more than
two minutes. spaCy's tokenizer is quadratic in the length of one whitespace-free "word":
it strips the 100,000 closing braces one at a time, searching, copying and hashing the
rest of the word each time, and its URL pattern backtracks over it (48,000 characters took
160 s; 600,000, far longer). rearguard.nlp.pipeline.BoundedTokenizer gives spaCy such runs
in pieces of at most 1,000 characters. No test here is timed: the work is counted.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rearguard.geo import geocode_text
from rearguard.nlp.pipeline import BoundedTokenizer, load_pipeline

pytestmark = pytest.mark.issue(11)


def nested(depth: int) -> str:
    return '{"text": "Mosul", "id": ' + '{"a":' * depth + "1" + "}" * depth + "}"


@pytest.fixture()
def tokenizer(settings) -> Iterator[BoundedTokenizer]:
    tokenizer = load_pipeline(settings.spacy_model, str(settings.gazetteer_path)).tokenizer
    assert isinstance(tokenizer, BoundedTokenizer)
    yield tokenizer


def test_spacy_never_sees_a_run_longer_than_the_limit(tokenizer) -> None:
    inner, given = tokenizer.tokenizer, []

    def counting(text: str):
        given.append(text)
        return inner(text)

    text = "Clashes in Mosul. " + nested(5_000) + " Then Shirqat."
    tokenizer.tokenizer = counting
    try:
        doc = tokenizer(text)
    finally:
        tokenizer.tokenizer = inner
    assert doc.text == text  # every character, so every offset, is kept
    assert max(len(run) for piece in given for run in piece.split()) <= tokenizer.limit
    assert [t.text for t in doc[:4]] == ["Clashes", "in", "Mosul", "."]
    assert [t.text for t in doc[-3:]] == ["Then", "Shirqat", "."]
    assert doc[-2].idx == text.index("Shirqat")


def test_the_suffix_work_grows_linearly_with_the_run(tokenizer) -> None:
    """spaCy copies the rest of the word once per suffix it strips: the characters it hands
    its suffix search are that work. Twice the run, twice the work (it was four times)."""
    inner = tokenizer.tokenizer
    search, handed = inner.suffix_search, []

    def counting(string: str):
        handed.append(len(string))
        return search(string)

    inner.suffix_search = counting
    work = {}
    try:
        for depth in (4_000, 8_000):
            handed.clear()
            assert tokenizer(nested(depth)).text == nested(depth)
            work[depth] = sum(handed)
    finally:
        inner.suffix_search = search
    assert work[8_000] < 2.5 * work[4_000]
    assert work[8_000] < 50 * len(nested(8_000))  # not the 10⁹ of a quadratic


def test_normal_text_is_tokenised_as_spacy_does(tokenizer, settings) -> None:
    """The pieces and the suffix search that reads the end of a word change nothing below
    the limit: the same tokens as spaCy's own tokenizer."""
    import spacy

    stock = spacy.load(settings.spacy_model, exclude=["lemmatizer"]).tokenizer
    stock.infix_finditer = tokenizer.tokenizer.infix_finditer
    texts = ["Daesh assaulted Shirqat in Salahuddin province, over 100 kilometres from "
             "Mosul (see https://example.org/a?b=c&d=e). Wait.......... what?! 5km away; "
             "the 1990s' U.S.-based groups' \"claims\"...",
             "x" + ")" * 500 + " and " + "." * 300 + "!" * 150, "hello" + "'s" * 80,
             "-" * 999 + "\n" + "word" * 250]
    for text in texts:
        assert [t.text for t in tokenizer(text)] == [t.text for t in stock(text)]


def test_geocoding_past_a_huge_run_finds_the_places_at_their_offsets() -> None:
    """120 KB of nesting between two places: quadratic, this would run for many minutes."""
    text = "Clashes in Mosul killed five. " + nested(20_000) + " Daesh attacked Shirqat."
    found = {text[p.start:p.end]: p for p in geocode_text(text)}
    assert "Mosul" in found and "Shirqat" in found
    assert found["Shirqat"].start == text.index("Shirqat")
    assert found["Shirqat"].country_code == "IQ"
