"""Event triggers: the cheap first pass of the cascade, and the words events hang on.

A trigger is a word or phrase that can name an incident ("assaulted", "car bomb",
"recaptured", "protesters marched"). :func:`find_triggers` matches them over raw text with
precompiled expressions, so whole articles can be screened before any statistical model
runs: a sentence without a trigger cannot yield an event.

The vocabulary is data: the ``trigger:`` and ``frame:`` rows of
``rearguard/data/event_cues.tsv``, the classifier's cue lexicon (their first condition,
``(?!)``, never matches, so the classifier skips them). Each trigger has a *family*, a
coarse kind of incident that the extractor uses to pick the event's ACLED type together
with the classifier, and to decide which mentions of one article may be the same incident
(:data:`FAMILY_GROUP`). A word has one of three strengths:

* strong: it names an incident alone ("assaulted", "air strike", "protesters");
* weak (``trigger:<family>:weak``): it keeps a sentence for parsing but makes an event only
  with a count or an armed side beside it ("killed", "set fire");
* ambiguous (``trigger:<family>:ambiguous``): too common outside conflict news to keep a
  sentence alone ("dead", "jets", "rally").

A *frame* (``frame:<family>:<name>``) is a phrase whose context makes its words an incident
even when they are weak or ambiguous alone: "hundreds of supporters gathered", "set off on a
march", "guerrillas killed a peasant", "another clash occurred". Its trigger is the part the
row marks ``(?P<t>...)``, strong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CUES_PATH = Path(__file__).resolve().parents[1] / "data" / "event_cues.tsv"

# Families whose mentions can describe the same incident.
FAMILY_GROUP: dict[str, str] = {
    "offensive": "violence", "battle": "violence", "kill": "violence", "explosion": "violence",
    "air": "violence", "shelling": "violence", "grenade": "violence", "chemical": "violence",
    "capture": "violence", "regain": "violence", "hold": "violence", "abduct": "violence",
    "sexual": "violence",
    "destruction": "violence", "transfer": "strategic", "arrest": "strategic",
    "protest": "demonstration", "riot": "demonstration", "agreement": "strategic",
    "weapons": "strategic", "base": "strategic", "defect": "strategic",
}
STRENGTHS = ("strong", "weak", "ambiguous")
# The families that name a weapon, in the order the events stage prefers them when a
# sentence names several (rearguard.events.acled_type). A weapon word stays a trigger
# inside a frame that holds it ("came under a grenade attack", "came under mortar fire"),
# so that the weapon names the event's type there too.
WEAPON_FAMILIES = ("chemical", "air", "shelling", "grenade", "explosion")
# The first condition of every trigger and frame row: it never matches, so the classifier,
# which reads the same file, skips them.
GUARD = "(?!)"


@dataclass(frozen=True)
class Trigger:
    """A trigger found in a text: ``text[start:end]`` and its family. ``weak``: it makes an
    event only with a count or an armed side beside it; ``ambiguous``: it does not keep a
    sentence alone either; ``framed``: a frame's context made it strong."""

    start: int
    end: int
    text: str
    family: str
    weak: bool = False
    ambiguous: bool = False
    frame: str = ""  # the frame's name, e.g. "kill:by-armed"

    @property
    def framed(self) -> bool:
        return bool(self.frame)

    @property
    def group(self) -> str:
        return FAMILY_GROUP[self.family]


@dataclass(frozen=True)
class Vocabulary:
    """The trigger rows of the cue lexicon: per family and strength its alternatives (in
    file order), and its frames as (name, family, compiled pattern)."""

    words: dict[tuple[str, str], tuple[str, ...]]
    frames: tuple[tuple[str, str, re.Pattern[str]], ...]

    @property
    def families(self) -> list[str]:
        return list(dict.fromkeys(family for family, _ in self.words))


def _alternatives(pattern: str, where: str) -> tuple[str, ...]:
    r"""The top-level alternatives of a row written ``\b(?:a|b|c)\b``."""
    if not (pattern.startswith(r"\b(?:") and pattern.endswith(r")\b")):
        raise ValueError(f"{where}: a trigger row must read \\b(?:a|b|c)\\b")
    body = pattern[len(r"\b(?:"):-len(r")\b")]
    parts, depth, current, escaped = [], 0, [], False
    for ch in body:
        if escaped:
            current.append(ch)
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    if depth != 0 or not all(parts):
        raise ValueError(f"{where}: unbalanced or empty alternative")
    return tuple(parts)


def parse_vocabulary(text: str, where: str = "event_cues.tsv") -> Vocabulary:
    """The ``trigger:`` and ``frame:`` rows of a cue file (other rows are the classifier's)."""
    words: dict[tuple[str, str], tuple[str, ...]] = {}
    frames = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        name, _, pattern = (p.strip() for p in line.split("\t"))
        here = f"{where}:{number}"
        kind, _, rest = name.partition(".")[0].partition(":")  # "trigger:kill:weak.muc"
        if kind not in ("trigger", "frame"):
            continue
        guard, _, pattern = pattern.partition(" && ")
        if guard != GUARD or not pattern:
            raise ValueError(f"{here}: a trigger or frame row reads {GUARD} && <pattern>")
        if kind == "trigger":
            family, _, strength = rest.partition(":")
            strength = strength or "strong"
            if family not in FAMILY_GROUP or strength not in STRENGTHS:
                raise ValueError(f"{here}: unknown family or strength in {name!r}")
            words[(family, strength)] = words.get((family, strength), ()) + _alternatives(
                pattern, here)
        elif kind == "frame":
            family = rest.partition(":")[0]
            if family not in FAMILY_GROUP:
                raise ValueError(f"{here}: unknown family in {name!r}")
            compiled = re.compile(pattern, re.I)
            if "t" not in compiled.groupindex:
                raise ValueError(f"{here}: a frame marks its trigger with (?P<t>...)")
            frames.append((name, family, compiled))
    return Vocabulary(words, tuple(frames))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (``rearguard/data/event_cues.tsv``)."""
    return parse_vocabulary(CUES_PATH.read_text(encoding="utf-8"), str(CUES_PATH))


@dataclass(frozen=True)
class _Matcher:
    """The vocabulary compiled. Everything is matched over lower-cased text without
    IGNORECASE (two to three times faster), except frames with a case-sensitive part
    ``(?-i:...)`` ("a march", not "in March"), which run over the text as written."""

    words: re.Pattern[str]  # every word, over lower-cased text
    words_any_case: re.Pattern[str]  # the same with IGNORECASE, for text whose case changes length
    rows: tuple[tuple[str, str, re.Pattern[str]], ...]  # (family, strength, row) to read a word
    frames: tuple[tuple[str, str, re.Pattern[str], re.Pattern[str], bool], ...]
    any_frame: re.Pattern[str]  # every frame without a case-sensitive part, in one expression


def _compile(vocab: Vocabulary) -> _Matcher:
    """One expression for every word, longest alternative first (so "car bomb" wins over
    "bomb" and "seized weapons" over "seized"), the per-row expressions that tell which
    family and strength a matched word has, and the frames."""
    alternatives = sorted({a for alts in vocab.words.values() for a in alts},
                          key=lambda a: (-len(a), a))
    body = r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w])"
    # The most specific reading first: an ambiguous word, then a weak one, then strong.
    order = sorted(vocab.words.items(), key=lambda kv: STRENGTHS.index(kv[0][1]), reverse=True)
    rows = tuple((family, strength, re.compile("(?:" + "|".join(alts) + ")"))
                 for (family, strength), alts in order)
    frames = tuple((name.split(".")[0].partition(":")[2], family, re.compile(frame.pattern),
                    re.compile(frame.pattern, re.I), "(?-i:" in frame.pattern)
                   for name, family, frame in vocab.frames)
    # Most sentences match no frame: one search of all of them (three times faster than
    # one search each) decides whether to look for each one.
    any_frame = "|".join("(?:" + frame.pattern.replace("(?P<t>", "(?:") + ")"
                         for _, _, frame in vocab.frames if "(?-i:" not in frame.pattern)
    return _Matcher(re.compile(body), re.compile(body, re.I), rows, frames,
                    re.compile(any_frame or r"(?!)"))


_MATCHER = _compile(vocabulary())


@lru_cache(maxsize=4096)
def _reading(word: str) -> tuple[str, str]:
    """(family, strength) of a matched word (lower case)."""
    for family, strength, regex in _MATCHER.rows:
        if regex.fullmatch(word):
            return family, strength
    raise AssertionError(f"no trigger row reads {word!r}")  # pragma: no cover


def _words(window: str, low: str | None) -> list[tuple[int, int, str]]:
    """(start, end, lower-cased word) of every word trigger in ``window``."""
    if low is not None:
        return [(m.start(), m.end(), m.group(0)) for m in _MATCHER.words.finditer(low)]
    return [(m.start(), m.end(), m.group(0).lower())
            for m in _MATCHER.words_any_case.finditer(window)]


def _lower(window: str) -> str | None:
    low = window.lower()
    return low if len(low) == len(window) else None  # "İ".lower() is two characters


def find_triggers(text: str, start: int = 0, end: int | None = None) -> list[Trigger]:
    """Every trigger in ``text[start:end]``, left to right, offsets into ``text``. Where a
    frame holds a word, the frame's reading replaces the word's; of two frames that overlap,
    the longer."""
    stop = len(text) if end is None else end
    window = text[start:stop]
    low = _lower(window)
    found: dict[int, Trigger] = {}
    for a, b, word in _words(window, low):
        family, strength = _reading(word)
        found[a] = Trigger(start + a, start + b, window[a:b], family,
                           weak=strength != "strong", ambiguous=strength == "ambiguous")
    uncased = low is None or _MATCHER.any_frame.search(low) is not None
    for name, family, lower_case, any_case, cased in _MATCHER.frames:
        if not cased and not uncased:
            continue
        matches = any_case.finditer(window) if cased or low is None else lower_case.finditer(low)
        for match in matches:
            a, b = match.span("t")
            if a < 0:
                continue
            overlap = [k for k, t in found.items() if t.start < start + b and start + a < t.end]
            if any(found[k].framed and found[k].end - found[k].start > b - a for k in overlap):
                continue  # the longer frame holds ("came under intense gunfire")
            for key in overlap:
                if found[key].family in WEAPON_FAMILIES and family not in \
                        WEAPON_FAMILIES and not found[key].weak:
                    continue  # "came under a grenade attack": the weapon names the type
                del found[key]
            found[a] = Trigger(start + a, start + b, window[a:b], family, frame=name)
    return [found[k] for k in sorted(found)]


def has_trigger(text: str) -> bool:
    """True if ``text`` holds a trigger other than a word that is ambiguous on its own
    ("dead", "jets", "rally"): the cascade's test."""
    low = _lower(text)
    if low is None:
        return any(not t.ambiguous for t in find_triggers(text))
    if any(_reading(word)[1] != "ambiguous" for _, _, word in _words(text, low)):
        return True
    if _MATCHER.any_frame.search(low):
        return True  # a frame's trigger is never ambiguous
    return any(any_case.search(text) for _, _, _, any_case, cased in _MATCHER.frames if cased)
