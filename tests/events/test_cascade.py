"""The cheap sentence split that feeds the cascade."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rearguard.events.extract import MAX_CHUNK, split_sentences


def test_sentences_and_lines() -> None:
    text = "Daesh attacked Rutba. Fighting is ongoing!\nIs it over? \u201cNo,\u201d he said."
    assert [text[c.start:c.end] for c in split_sentences(text)] == [
        "Daesh attacked Rutba.", "Fighting is ongoing!", "Is it over?",
        "\u201cNo,\u201d he said."]


def test_abbreviations_and_numbers_stay_in_the_sentence() -> None:
    text = "The U.S. said 2.5 million people fled. Then it rained."
    chunks = [text[c.start:c.end] for c in split_sentences(text)]
    assert chunks[-1] == "Then it rained."


@given(st.text(alphabet=st.sampled_from("ab .!?\\n"), max_size=5000))
def test_chunks_are_bounded_ordered_and_inside_the_text(text: str) -> None:
    previous = 0
    for chunk in split_sentences(text):
        assert 0 <= previous <= chunk.start < chunk.end <= len(text)
        assert chunk.end - chunk.start <= MAX_CHUNK
        previous = chunk.end


def test_a_run_on_page_is_cut_at_white_space() -> None:
    text = "Militants attacked " * 400
    chunks = split_sentences(text)
    assert len(chunks) > 1
    assert all(text[c.start:c.end].split() == text[c.start:c.end].strip().split(" ")
               for c in chunks)
    assert all(not text[c.start:c.end].startswith(" ") for c in chunks)


def test_a_saint_or_a_rank_does_not_end_the_sentence() -> None:
    # TR-News 1030016: cut after "St.", the first half "St." was read as a town (Sète)
    text = ("The explosion hit the small church of St. Peter and St. Paul in Cairo. "
            "Lt. Gen. Hossam said No. 3 was hit on Nov. 6. Then it rained.")
    chunks = [text[c.start:c.end] for c in split_sentences(text)]
    assert chunks == [
        "The explosion hit the small church of St. Peter and St. Paul in Cairo.",
        "Lt. Gen. Hossam said No. 3 was hit on Nov. 6.", "Then it rained."]
