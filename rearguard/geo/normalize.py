"""Place-name normalisation: the keys under which the gazetteer indexes names.

Two keys per name:

* :func:`name_key` folds case, diacritics, apostrophes and ayn/hamza marks, hyphens and
  punctuation, and drops a leading Arabic article (al-, ash-, ar-, el- ...), so that
  "Ash Sharqāt", "ash-Sharqat" and "Sharqat" share the key ``sharqat``.
* :func:`variant_key` goes further and folds the spelling choices that English news makes
  when it transliterates Arabic, Persian, Pashto or Kurdish names: vowels inside the name,
  doubled letters, final -ah/-a/-eh, q/k, ou/u, ee/i, y/i, dh/th/z, so "Shirqat" meets
  "Sharqat", "Rutba" meets "Ar Rutbah" and "Tal Afar" meets "Tall 'Afar". Variant matches
  are weaker evidence and are only consulted when the exact key finds nothing.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

# Letters NFKD does not decompose to ASCII.
_SPECIAL = str.maketrans(
    {
        "ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
        "ł": "l", "Ł": "l", "ı": "i", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d",
        "ħ": "h", "Ħ": "h",
    }
)
# Apostrophes, ayn and hamza marks and backticks vanish: Tall 'Afar -> tall afar.
_MARKS = re.compile(r"['`´’‘ʻʼʿʾ′\u02bf\u02be]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Arabic definite article with sun-letter assimilation, as written in English.
_ARTICLE_RE = re.compile(r"^(?:al|el|as|ash|ad|adh|ar|at|ath|az|an|ud|ul)\s+(?=\w{3})")


def fold(text: str) -> str:
    """Lower case, ASCII letters and digits separated by single spaces."""
    text = text.translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _MARKS.sub("", text.lower())
    text = text.encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub(" ", text).strip()


def is_latin(text: str) -> bool:
    """True when the name is written in Latin script (other scripts are not indexed)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF)
    return latin / len(letters) > 0.8


def name_key(text: str) -> str:
    """The exact index key: folded, without a leading Arabic article or 'the'."""
    key = fold(text)
    if key.startswith("the "):
        key = key[4:]
    return _ARTICLE_RE.sub("", key)


_FOLD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"ou", "u"),
        (r"ee", "i"),
        (r"oo", "u"),
        (r"ai|ay|ei|ey", "i"),
        (r"(?<=.)(aw|ow)", "u"),
        (r"q", "k"),
        (r"ck", "k"),
        (r"dh|th|z", "z"),
        (r"kh", "h"),
        (r"gh", "g"),
        (r"ph", "f"),
    )
)
_ENDING = re.compile(r"(ah|eh|a|e|h)$")  # Rutbah / Rutba / Rutbeh
_DOUBLED = re.compile(r"([a-z])\1+")  # Tall -> Tal, Qayyarah -> Qayarah
_VARIANT_RULES = (*_FOLD_RULES, (_ENDING, ""), (_DOUBLED, r"\1"))
_SHORT_VOWELS = str.maketrans({"o": "u", "e": "i", "y": "i"})
_INNER_VOWELS = re.compile(r"(?<=[a-z])[aeiouy]+")


_INNER_ARTICLE = re.compile(
    r"(?<=\w) (?:al|el|il|ul|as|ash|es|esh|ad|ed|adh|ar|er|at|et|ath|az|ez|an|en|ud)"
    r" (?=\w{3})"
)


def spelling_levels(text: str) -> tuple[str, str, str, str]:
    """A name at four depths of transliteration folding: the exact key; without word
    breaks, inner articles and doubled letters; with vowel and consonant digraphs folded
    (ou/oo -> u, ay -> i, q -> k, kh -> h ...); without the feminine ending. Two spellings
    that meet at a shallow depth differ only by a choice of transliteration ("Abu Hamam" /
    "Abu Hammam"); ones that meet only deeper differ in the name ("Abu Hamamah")."""
    exact = name_key(text)
    joined = _DOUBLED.sub(r"\1", _INNER_ARTICLE.sub(" ", exact).replace(" ", ""))
    folded = joined
    for pattern, repl in _FOLD_RULES:
        folded = pattern.sub(repl, folded)
    folded = _DOUBLED.sub(r"\1", folded)
    return exact, joined, folded, _ENDING.sub("", folded)


def spelling_similarity(query: str, name: str) -> float:
    """How alike two spellings are (0-1): the mean string similarity at each depth of
    :func:`spelling_levels`, so a difference that folding removes early costs less than
    one that survives until the skeleton."""
    pairs = zip(spelling_levels(query), spelling_levels(name), strict=True)
    return sum(difflib.SequenceMatcher(None, a, b).ratio() for a, b in pairs) / 4


def variant_key(text: str) -> str:
    """A lossy key for transliteration variants; '' for names too short to fold safely.

    Word breaks are dropped ("Salahuddin" = "Salah ad Din", "Tal Afar" = "Tall 'Afar"),
    and so is the Arabic article inside a name ("Jubb al-Bahrah" = "Jubb Bahrah").
    """
    key = _INNER_ARTICLE.sub(" ", name_key(text)).replace(" ", "")
    if len(key) < 4 or not key.isalpha():
        return ""
    for pattern, repl in _VARIANT_RULES:
        key = pattern.sub(repl, key)
    skeleton = _INNER_VOWELS.sub("", key)
    if len(skeleton) >= 3:
        return skeleton
    # Short names keep their vowels, folded to a, i, u: "Foua", "Foah" and "Al Fu'ah"
    # meet as "fu", where the bare consonant "f" would match everything.
    key = key.translate(_SHORT_VOWELS)
    return key if len(key) >= 2 else ""
