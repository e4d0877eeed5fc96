"""The spaCy pipeline rearguard loads: the attribute ruler's rules are matched without
spaCy's Matcher (nlp.pipeline.IndexedAttributeMatch), with the same matches and so the
same parts of speech and morphology."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from rearguard.nlp.pipeline import IndexedAttributeMatch, load_pipeline

ROOT = Path(__file__).resolve().parents[2]
# Words the ruler's word rules name (contractions, "gonna", "nothin'"), spaces, and news.
SENTENCES = [
    "I ain't gonna do it, y'all. Let's go! Gotta run. I'm not sure it's over.",
    "He don't know nothin' 'bout it, and they're sayin' she'd've come.",
    "  \n  Two   spaces\tand a tab .  ",
    "GUNMEN KILLED FIVE SOLDIERS IN MOSUL ON MONDAY, POLICE SAID.",
    "Whether or not the U.S.-based group is to blame, that is what he'd said.",
]


@pytest.fixture(scope="module")
def nlp(settings, gazetteer):
    return load_pipeline(settings.spacy_model, str(gazetteer.path))


def _texts() -> list[str]:
    texts = list(SENTENCES)
    for path in sorted((ROOT / "examples").rglob("*.txt")):
        texts += path.read_text(encoding="utf-8").split("\n\n")
    return [t for t in texts if t.strip()]


def test_the_ruler_matches_what_the_matcher_matches(nlp) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler.match, IndexedAttributeMatch)
    docs = list(nlp.pipe(_texts(), disable=["attribute_ruler", "rearguard_groups",
                                            "rearguard_places", "ner"]))
    matcher = type(ruler).match  # the class's method: spaCy's Matcher
    found = [ruler.match(doc) for doc in docs]
    assert found == [matcher(ruler, doc) for doc in docs]
    assert sum(len(f) for f in found) > sum(len(doc) for doc in docs)  # every token, and more
    assert any(end - start == 2 for f in found for _, _, start, end in f)  # a two-token rule


def test_parts_of_speech_are_those_the_matcher_gives(nlp) -> None:
    def rows(texts: list[str]) -> list[list[tuple]]:
        return [[(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.ent_type_)
                 for t in doc] for doc in nlp.pipe(texts)]

    ruler = nlp.get_pipe("attribute_ruler")
    texts = _texts()
    ours = rows(texts)
    indexed = ruler.match
    del ruler.match  # spaCy's Matcher again, for this comparison
    try:
        assert rows(texts) == ours
    finally:
        ruler.match = indexed


def test_a_ruler_with_patterns_it_does_not_read_keeps_the_matcher() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "a", "OP": "+"}]], {"POS": "DET"})
    assert IndexedAttributeMatch.install(nlp) is False
    assert not isinstance(ruler.match, IndexedAttributeMatch)


def test_the_models_multiply_on_one_openblas_thread_with_the_same_parses(nlp) -> None:
    """The models multiply through numpy's OpenBLAS on one thread (faster than BLIS here):
    the parses are those thinc's default (BLIS) gives, and the thread count numpy had is
    back after each product."""
    import numpy
    from thinc.api import NumpyOps

    from rearguard.nlp.pipeline import _use_ops, one_thread_gemm_ops, openblas_threads

    if openblas_threads() is None:
        pytest.skip("numpy's BLAS is not an OpenBLAS whose threads can be set")
    ops = nlp.get_pipe("ner").model.ops
    assert type(ops).__name__ == "OneThreadGemm"
    get, put = openblas_threads()  # type: ignore[misc]
    before = get()
    put(2)
    try:
        a, b = numpy.ones((4, 3), dtype="f"), numpy.ones((3, 5), dtype="f")
        assert ops.gemm(a, b).tolist() == [[3.0] * 5] * 4
        assert get() == 2
    finally:
        put(before)

    def rows(texts: list[str]) -> list[list[tuple]]:
        return [[(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]
                for doc in nlp.pipe(texts)]

    texts = _texts()
    ours = rows(texts)
    _use_ops(nlp, NumpyOps())  # BLIS, thinc's default
    try:
        assert rows(texts) == ours
    finally:
        _use_ops(nlp, one_thread_gemm_ops())
