"""The language of an article's text: py3langid (a naive Bayes model over byte n-grams,
97 languages, bundled with the package; offline and deterministic).

rearguard extracts English only. A reader records the language it detects on the article
(``Article.language``) and warns when it is not English, instead of the article giving no
events without a word. See docs/ingest.md.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# The detector reads at most this many characters (the start of the text): enough to tell,
# and bounded however long the article. Longer samples do not help: py3langid's normalised
# probability falls as a sample grows (an Arabic report: 0.87 at 400 characters, 0.81 at
# 1,500, 0.54 at 20,000, under MIN_PROBABILITY), while all 559 English articles of the
# geoparsing corpora are English at >= 0.8 from their first 400 characters.
SAMPLE_CHARS = 1_000
# Shorter texts (in letters) are not judged: a headline or a list of place names is too
# little to tell (py3langid calls "Shirqat, Qayyarah, Mosul" Hausa).
MIN_LETTERS = 40
# The detector's probability (normalised over its 97 languages) a verdict needs. On the
# 559 English news articles of the four geoparsing corpora every verdict is English at
# >= 0.9; French, Arabic and Russian reports of a sentence score >= 0.85.
MIN_PROBABILITY = 0.8

ENGLISH = "en"


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import (  # type: ignore[import-untyped]
        MODEL_FILE,
        LanguageIdentifier,
    )

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _has_letters(sample: str, least: int) -> bool:
    """Whether ``sample`` holds at least ``least`` letters (``str.isalpha``): counted up to
    ``least`` only, not over the whole sample (an article has its 40 letters in its first
    words)."""
    if least <= 0:
        return True
    for ch in sample:
        if ch.isalpha():
            least -= 1
            if not least:
                return True
    return False


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language ("en", "ar", "fr"), or None when the text
    has fewer than :data:`MIN_LETTERS` letters or no language reaches
    :data:`MIN_PROBABILITY`."""
    sample = text[:SAMPLE_CHARS]
    if not _has_letters(sample, MIN_LETTERS):
        return None
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= MIN_PROBABILITY else None


def language_name(code: str) -> str:
    """A language's English name ("Arabic") from its code, else the code itself."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code)
    return str(found.name) if found is not None else code
