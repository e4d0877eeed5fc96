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


# --- the decompressed model in the cache folder ---------------------------------------

@pytest.fixture(scope="module")
def model_source():
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return MODEL_DIR / MODEL_FILE


@pytest.fixture(scope="module")
def shipped(model_source):
    """The model as py3langid loads it (decompressing the shipped file)."""
    from py3langid.modelio import load_model

    return load_model(model_source)


def _same_model(got, expected) -> None:
    import numpy as np

    assert got is not None and len(got) == len(expected) == 6
    for a, b in zip(got, expected, strict=True):
        if isinstance(b, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b)
        else:
            assert type(a) is type(b) and a == b


def test_the_unpacked_copy_is_written_once_and_then_read(tmp_path, model_source, shipped,
                                                         monkeypatch) -> None:
    import lzma

    cache = tmp_path / "cache" / "rearguard"  # missing folders are made
    _same_model(language._unpacked_model(model_source, cache), shipped)
    copies = list(cache.iterdir())
    assert len(copies) == 1 and copies[0].name.startswith("py3langid-")
    assert copies[0].suffix == ".npz"  # no temporary file is left
    written = copies[0].stat().st_mtime_ns

    def no_decompression(_data):
        raise AssertionError("the cached copy should have been read")

    monkeypatch.setattr(lzma, "decompress", no_decompression)
    _same_model(language._unpacked_model(model_source, cache), shipped)
    assert list(cache.iterdir()) == copies and copies[0].stat().st_mtime_ns == written


def test_an_unwritable_cache_folder_decompresses_in_memory(tmp_path, model_source,
                                                           shipped) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    _same_model(language._unpacked_model(model_source, blocker / "rearguard"), shipped)
    assert blocker.read_text() == "a file where the cache folder would be"


def test_a_damaged_copy_is_not_used_and_is_removed(tmp_path, model_source) -> None:
    language._unpacked_model(model_source, tmp_path)
    (copy,) = tmp_path.iterdir()
    copy.write_bytes(copy.read_bytes()[:1000])  # cut short
    assert language._unpacked_model(model_source, tmp_path) is None  # py3langid loads it
    assert not copy.exists()  # the next process writes it anew


def test_another_py3langid_release_is_loaded_by_py3langid(tmp_path, model_source,
                                                          monkeypatch) -> None:
    monkeypatch.setattr(language, "_LAYOUT_VERSIONS", ("0.0.",))
    assert language._unpacked_model(model_source, tmp_path) is None
    assert not any(tmp_path.iterdir())


def test_the_cached_identifier_decides_as_py3langid_does(tmp_path, monkeypatch) -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    language._identifier.cache_clear()
    try:
        cached = language._identifier()
        assert any((tmp_path / "rearguard").iterdir())
    finally:
        language._identifier.cache_clear()
    own = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    for text in ("Five people were killed in Mosul today, the police said.",
                 "Cinq personnes ont été tuées à Mossoul aujourd'hui, selon la police.",
                 "قتل خمسة أشخاص في الموصل اليوم بحسب الشرطة", "Shirqat, Qayyarah, Mosul",
                 "Пять человек погибли сегодня в Мосуле, сообщила полиция."):
        assert cached.classify(text) == own.classify(text)
        assert cached.rank(text) == own.rank(text)


def test_without_a_home_folder_py3langid_loads_its_model(monkeypatch) -> None:
    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(language.Path, "home", staticmethod(no_home))
    language._identifier.cache_clear()
    try:
        assert language._identifier().classify("Five people were killed in Mosul today.")[0] == "en"
    finally:
        language._identifier.cache_clear()
