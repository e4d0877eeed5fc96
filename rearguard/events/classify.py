"""ACLED sub-event type of a snippet of news: a multinomial logistic regression.

Features are lower-cased word unigrams and bigrams plus *cue* features: regular
expressions written from ACLED's codebook definitions (``rearguard/data/event_cues.tsv``),
e.g. "blew himself up" for Suicide bomb or "tear gas" for Protest with intervention. Each
cue that names a sub-event type starts training with a positive prior weight for that type
(the L2 penalty pulls towards the prior rather than towards zero), so the codebook's
knowledge holds where the training examples are few, and the data can overrule it.

The trained model (``rearguard/data/classifier.json``) carries its vocabulary, weights and
the cue patterns it was trained with, so it is self-contained. It is loaded once and cached;
classifying needs only the standard library and numpy (several thousand snippets a second).
Train it with ``tools/train_classifier.py`` (see docs/classification.md).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import re._constants as _sre_constants  # type: ignore[import-not-found]
import re._parser as _sre_parser  # type: ignore[import-not-found]
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, RearguardError
from ..types import Classification
from .taxonomy import SUB_EVENT_TYPES, disorder_type_of, event_type_of

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
MODEL_PATH = DATA_DIR / "classifier.json"
CUES_PATH = DATA_DIR / "event_cues.tsv"
FORMAT = "rearguard-event-classifier"
FORMAT_VERSION = 2
READ_VERSIONS = (1, 2)  # 1: no idf, n-grams weigh 1/sqrt(count)

# Tie-break order of the rules-only baseline: specific weapons and acts first, then the
# broad types they are usually reported together with.
RULE_PRIORITY: tuple[str, ...] = (
    "Chemical weapon", "Suicide bomb", "Grenade", "Sexual violence",
    "Excessive force against protesters", "Mob violence", "Air/drone strike",
    "Remote explosive/landmine/IED", "Shelling/artillery/missile attack",
    "Abduction/forced disappearance", "Disrupted weapons use", "Protest with intervention",
    "Violent demonstration", "Peaceful protest", "Headquarters or base established",
    "Non-violent transfer of territory", "Government regains territory",
    "Non-state actor overtakes territory", "Looting/property destruction", "Agreement",
    "Arrests", "Attack", "Change to group/activity", "Armed clash", "Other",
)
DEFAULT_RULE = "Armed clash"  # the most common type in conflict news


class ClassifierError(RearguardError):
    """The event classifier's model is missing or corrupt (E601, E602)."""


# ----------------------------------------------------------------------------- cues


@dataclass(frozen=True)
class Cue:
    """A named cue: every regex of ``patterns`` must match; ``target`` is the sub-event type
    it points to, or None for a context cue."""

    name: str
    target: str | None
    patterns: tuple[str, ...]


def parse_cues(text: str, where: str = "event_cues.tsv") -> list[Cue]:
    """Cues from the TSV text ``name<TAB>sub_event_type|-<TAB>pattern [&& pattern ...]``."""
    cues: list[Cue] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise InputError("E604", where=f"{where}:{number}",
                             detail="expected 3 tab-separated fields: cue, type, pattern.")
        name, target, pattern = (p.strip() for p in parts)
        if target != "-" and target not in SUB_EVENT_TYPES:
            raise InputError("E603", where=f"{where}:{number}", label=target)
        regexes = tuple(p.strip() for p in pattern.split(" && "))
        for regex in regexes:
            try:
                re.compile(regex)
            except re.error as e:
                raise InputError("E604", where=f"{where}:{number}",
                                 detail=f"bad regular expression ({e}).") from e
        cues.append(Cue(name, None if target == "-" else target, regexes))
    return cues


def load_cues(path: str | Path = CUES_PATH) -> list[Cue]:
    """The cue lexicon shipped with rearguard (or another file in the same format)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise InputError("E101", path=path) from e
    return parse_cues(text, str(path))


# ------------------------------------------------------------------------- features

_TOKEN = re.compile(r"[a-z0-9]+(?:['’\-][a-z0-9]+)*")
_DIGITS = re.compile(r"[0-9]+")
_SPACE = re.compile(r"\s+")
_NEVER = "(?!)"  # a pattern that never matches: a cue switched off in the lexicon
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalise(text: str) -> str:
    """Lower case, straight quotes and single spaces: what cues and n-grams see."""
    return _SPACE.sub(" ", text.translate(_QUOTES).lower()).strip()


def tokens(text: str) -> list[str]:
    """Word tokens of normalised ``text``; digit runs become '0'."""
    return [_DIGITS.sub("0", t) for t in _TOKEN.findall(text)]


_SUFFIXES = ("ings", "ing", "ies", "ied", "ers", "ed", "er", "es", "s")


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """A crude suffix-stripping stem, so that 'shelled', 'shelling' and 'shells' share
    one feature (the training data are small)."""
    if len(token) <= 4:
        return token
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            base = token[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "ls":
                base = base[:-1]  # 'shott' <- 'shotting'? keeps doubled l/s: 'shell'
            return base
    return token


_WORD_START = re.compile(r"\b\w")
_PREFIX_CHARS = 3


def word_start_prefixes(pattern: str) -> frozenset[str] | None:
    """Strings of 1-3 characters, one of which starts every match of ``pattern``, when the
    pattern opens with ``\\b`` and each of them with a word character (so every match
    starts where a word does); None when that cannot be read off the pattern (it is then
    searched as before). Read from the parsed expression: its first literals, through
    groups and alternatives; a repeat, a class or anything else ends the reading, and an
    alternative without a literal before it (an empty or optional start) gives None."""
    try:
        parsed = _sre_parser.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE | re.LOCALE | re.ASCII):
        return None
    items = list(parsed)
    if not items or items[0] != (_sre_constants.AT, _sre_constants.AT_BOUNDARY):
        return None
    options = _lead(items[1:])
    if options is None:
        return None
    found = frozenset(text for text, _ in options)
    if any(not text or _WORD_CHAR.match(text) is None for text in found):
        return None
    return found


_WORD_CHAR = re.compile(r"\w")


def _lead(items: Any) -> set[tuple[str, bool]] | None:
    """(text, whole) pairs: every match of the sequence ``items`` starts with one of the
    texts (cut at :data:`_PREFIX_CHARS`); ``whole`` says a text is all the sequence can
    match (so what follows the sequence continues it). None for an unknown construct."""
    c = _sre_constants
    current: set[tuple[str, bool]] = {("", True)}
    for op, av in items:
        if all(not whole or len(text) >= _PREFIX_CHARS for text, whole in current):
            break
        if op is c.LITERAL:
            options: set[tuple[str, bool]] | None = {(chr(av), True)}
        elif op is c.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if add_flags & (re.IGNORECASE | re.LOCALE | re.VERBOSE | re.ASCII):
                return None
            options = _lead(list(sub))
        elif op is c.BRANCH:
            options = set()
            for branch in av[1]:
                lead = _lead(list(branch))
                if lead is None:
                    return None
                options |= lead
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            options = {("", True)}  # zero-width: what it holds is no character
        else:
            options = {("", False)}  # a repeat, a class...: the known start ends here
        if options is None:
            return None
        extended: set[tuple[str, bool]] = set()
        for text, whole in current:
            if not whole or len(text) >= _PREFIX_CHARS:
                extended.add((text, False))
                continue
            for more, more_whole in options:
                joined = text + more
                extended.add((joined[:_PREFIX_CHARS], more_whole and len(joined) < _PREFIX_CHARS))
        current = extended
    return current


class Featurizer:
    """Maps a text to the names of its features: ``w:`` unigrams, ``b:`` bigrams, ``h:``
    character n-grams of the (unstemmed) words, padded with ``<`` and ``>``, and ``c:``
    cues that fire."""

    def __init__(self, cues: Sequence[Cue], lead: bool = False,
                 chars: Sequence[int] = ()) -> None:
        self.cues = list(cues)
        self.lead = lead
        self.chars = tuple(chars)
        # Each distinct pattern is compiled once and searched at most once per text; a cue
        # with the never-matching pattern "(?!)" (a switched-off cue) is not searched.
        unique: dict[str, int] = {}
        self._compiled = [
            (f"c:{c.name}", tuple(unique.setdefault(p, len(unique)) for p in c.patterns))
            for c in self.cues if _NEVER not in c.patterns
        ]
        self._regexes = [re.compile(p) for p in unique]
        # A pattern whose every match starts at a word's start with one of a few strings
        # ("\\b(chlorine|sarin|...)": "chl", "sar") is tried only where a word starts with
        # one of them (``match`` there), not searched at every position of the text.
        self._by_prefix: dict[str, list[int]] = {}
        self._anchored: set[int] = set()
        for i, pattern in enumerate(unique):
            prefixes = word_start_prefixes(pattern)
            if prefixes is None:
                continue
            self._anchored.add(i)
            for prefix in prefixes:
                self._by_prefix.setdefault(prefix, []).append(i)
        self._prefix_lengths = sorted({len(p) for p in self._by_prefix})
        self._patterns_of: dict[str, set[int]] = {}
        for name, ids in self._compiled:
            self._patterns_of.setdefault(name, set()).update(ids)

    def _starts(self, norm: str, allowed: set[int] | None = None) -> dict[int, list[int]]:
        """For each anchored pattern (of ``allowed``, default all), the positions of
        ``norm`` where a match of it may start."""
        starts: dict[int, list[int]] = {}
        by_prefix = self._by_prefix
        lengths = self._prefix_lengths
        for m in _WORD_START.finditer(norm):
            p = m.start()
            for n in lengths:
                for i in by_prefix.get(norm[p:p + n], ()):
                    if allowed is None or i in allowed:
                        starts.setdefault(i, []).append(p)
        return starts

    def cue_names(self, norm: str, only: set[str] | None = None) -> list[str]:
        """The ``c:`` names of the cues that fire in ``norm`` (of ``only``, if given), in
        lexicon order."""
        regexes = self._regexes
        allowed = None
        if only is not None:
            allowed = {i for name in only for i in self._patterns_of.get(name, ())}
        matched: set[int] = set()
        for i, positions in self._starts(norm, allowed).items():
            regex = regexes[i]
            for p in positions:
                if regex.match(norm, p) is not None:
                    matched.add(i)
                    break
        anchored = self._anchored
        searched: dict[int, bool] = {}
        hits = []
        for name, patterns in self._compiled:
            if only is not None and name not in only:
                continue
            for i in patterns:
                if i in matched:
                    continue
                if i in anchored:
                    break  # tried at every position a match could start
                hit = searched.get(i)
                if hit is None:
                    hit = searched[i] = regexes[i].search(norm) is not None
                if not hit:
                    break
            else:
                hits.append(name)
        return hits

    def __call__(self, text: str) -> tuple[list[str], list[str]]:
        """(n-gram features, cue features) of ``text``; each name appears once.

        Cues that fire in the first sentence also give a ``c1:`` feature: a report leads
        with its main event and adds background after it."""
        grams, cues, words = self.features(text)
        for word in words:
            grams.update(self.char_grams(word))
        return sorted(grams), cues

    def char_grams(self, word: str) -> tuple[str, ...]:
        """The ``h:`` character n-grams of one word."""
        padded = "<" + word + ">"
        return tuple("h:" + padded[i:i + n] for n in self.chars
                     for i in range(len(padded) - n + 1))

    def features(self, text: str) -> tuple[set[str], list[str], set[str]]:
        """(word n-grams, cue features, the distinct words): the features without the
        character n-grams, which are the :meth:`char_grams` of each word."""
        norm = normalise(text)
        words = tokens(norm)
        toks = [stem(t) for t in words]
        grams = {"w:" + t for t in toks}
        grams.update("b:" + a + " " + b for a, b in pairwise(toks))
        cues = self.cue_names(norm)
        first = _first_sentence(norm)
        if self.lead:
            grams.update("f:" + stem(t) for t in tokens(first))
        if cues and len(first) < len(norm):
            cues += ["c1:" + c[2:] for c in self.cue_names(first, set(cues))]
        elif cues:
            cues += ["c1:" + c[2:] for c in cues]
        return grams, cues, set(words) if self.chars else set()


_SENTENCE_END = re.compile(r"(?<![a-z]\.[a-z])(?<!\b[a-z])[.!?]\s+(?=[\"'(\[]?[a-z0-9])")


def _first_sentence(norm: str) -> str:
    match = _SENTENCE_END.search(norm, 20)
    return norm[: match.start() + 1] if match else norm


# --------------------------------------------------------------------------- model


@dataclass
class TrainConfig:
    """Hyper-parameters of :func:`train` (the defaults are what ships; chosen by repeated
    5-fold cross-validation, see docs/classification.md)."""

    min_count: int = 3  # n-grams seen in fewer training texts are dropped
    l2_ngram: float = 1e-4  # L2 strength on n-gram weights (per example, mean loss)
    l2_cue: float = 1e-2  # L2 strength on cue weights, towards their prior
    cue_prior: float = 1.0  # prior weight of a cue for the type it points to
    cue_value: float = 1.0  # feature value of a firing cue
    iterations: int = 400
    learning_rate: float = 0.05
    seed: int = 13
    example_weight: float = 0.5  # weight of a project example (a CASE row weighs 1)
    class_balance: float = 0.5  # loss weight ~ (1/type frequency)^this; 0: none, 1: balanced
    lead_unigrams: bool = False  # also ``f:`` unigrams of the first sentence
    char_ngrams: tuple[int, ...] = (4,)  # ``h:`` character n-gram lengths; () for none
    # "idf-l2": n-gram values are their idf, the vector scaled to unit length;
    # "sqrt": every n-gram 1/sqrt(number of n-grams) (format 1 models)
    weighting: str = "idf-l2"

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["char_ngrams"] = list(self.char_ngrams)
        return out


@dataclass
class Classifier:
    """A trained model: labels, feature vocabulary, weights (features x labels), bias, and
    the idf of each n-gram feature (the first ``len(idf)`` features)."""

    labels: tuple[str, ...]
    features: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray
    cues: list[Cue]
    config: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    idf: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.featurizer = Featurizer(self.cues, bool(self.config.get("lead_unigrams", False)),
                                     tuple(self.config.get("char_ngrams") or ()))
        self.index = {name: i for i, name in enumerate(self.features)}
        self._char_features: dict[str, tuple[int, ...]] = {}  # word -> its h: features
        self.cue_value = float(self.config.get("cue_value", 1.0))
        self.weighting = str(self.config.get("weighting", "sqrt"))
        if self.weighting not in ("sqrt", "idf-l2"):
            raise ValueError(f"unknown weighting {self.weighting!r}")
        if self.weighting == "idf-l2" and self.idf is None:
            raise ValueError("an idf-l2 model needs its idf")

    # ------------------------------------------------------------------ predicting

    def _vector(self, text: str) -> tuple[list[int], np.ndarray]:
        grams, cues, words = self.featurizer.features(text)
        index = self.index
        found = {i for i in map(index.get, grams) if i is not None}
        if words:
            cache = self._char_features
            if len(cache) > 200_000:
                cache.clear()
            for word in words:
                known_chars = cache.get(word)
                if known_chars is None:
                    grams_of = self.featurizer.char_grams(word)
                    known_chars = cache[word] = tuple(
                        i for i in map(index.get, grams_of) if i is not None)
                found.update(known_chars)
        known = list(found)
        values = _ngram_values(known, self.idf if self.weighting == "idf-l2" else None)
        rows = known + [index[c] for c in cues if c in index]
        if len(rows) > len(known):
            values = np.concatenate([values, np.full(len(rows) - len(known), self.cue_value)])
        return rows, values

    def logits(self, text: str) -> np.ndarray:
        rows, values = self._vector(text)
        if not rows:
            return self.bias.copy()
        return self.bias + values @ self.weights[rows]

    def probabilities(self, text: str) -> np.ndarray:
        z = self.logits(text)
        z = np.exp(z - z.max())
        return z / z.sum()

    def scores(self, text: str) -> dict[str, float]:
        """A probability for each of the sub-event types (they sum to 1)."""
        probabilities = self.probabilities(text)
        return {label: float(p) for label, p in zip(self.labels, probabilities, strict=True)}

    def classify(self, text: str) -> Classification:
        p = self.probabilities(text)
        best = int(np.argmax(p))
        sub = self.labels[best]
        return Classification(event_type_of(sub), sub, disorder_type_of(sub),
                              round(float(p[best]), 4))

    def predict(self, texts: Iterable[str]) -> list[str]:
        return [self.labels[int(np.argmax(self.logits(t)))] for t in texts]

    # ----------------------------------------------------------------- persistence

    def to_json(self) -> dict[str, Any]:
        weights = np.ascontiguousarray(self.weights, dtype="<f4")
        out = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "labels": list(self.labels),
            "features": list(self.features),
            "shape": list(weights.shape),
            "weights_f32_base64": base64.b64encode(weights.tobytes()).decode("ascii"),
            "bias": [round(float(b), 6) for b in self.bias],
            "cues": [
                {"name": c.name, "target": c.target, "patterns": list(c.patterns)}
                for c in self.cues
            ],
            "config": self.config,
            "meta": self.meta,
        }
        if self.idf is not None:
            idf = np.ascontiguousarray(self.idf, dtype="<f4")
            out["idf_f32_base64"] = base64.b64encode(idf.tobytes()).decode("ascii")
        return out

    def save(self, path: str | Path) -> None:
        text = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, indent=0)
        Path(path).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, data: Any, path: str | Path = "<model>") -> Classifier:
        def bad(detail: str) -> ClassifierError:
            return ClassifierError("E602", path=path, detail=detail)

        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise bad(f"not a {FORMAT} file")
        if data.get("version") not in READ_VERSIONS:
            raise bad(f"format version {data.get('version')}, need one of "
                      f"{', '.join(map(str, READ_VERSIONS))}")
        try:
            labels = tuple(data["labels"])
            features = tuple(data["features"])
            rows, cols = data["shape"]
            raw = base64.b64decode(data["weights_f32_base64"], validate=True)
            weights = np.frombuffer(raw, dtype="<f4").reshape(rows, cols).astype(np.float64)
            bias = np.asarray(data["bias"], dtype=np.float64)
            cues = [Cue(c["name"], c["target"], tuple(c["patterns"])) for c in data["cues"]]
            idf = None
            if "idf_f32_base64" in data:
                raw = base64.b64decode(data["idf_f32_base64"], validate=True)
                idf = np.frombuffer(raw, dtype="<f4").astype(np.float64)
        except (KeyError, TypeError, ValueError) as e:
            raise bad(f"{type(e).__name__}: {e}") from e
        if set(labels) - set(SUB_EVENT_TYPES):
            raise bad("labels that are not ACLED sub-event types")
        if (rows, cols) != (len(features), len(labels)) or bias.shape != (len(labels),):
            raise bad("weights do not match the labels and features")
        if idf is not None and not (idf.ndim == 1 and len(idf) <= len(features)
                                    and np.all(np.isfinite(idf))):
            raise bad("idf does not match the features")
        try:
            return cls(labels, features, weights, bias, cues, data.get("config") or {},
                       data.get("meta") or {}, idf)
        except re.error as e:
            raise bad(f"bad cue pattern ({e})") from e
        except ValueError as e:
            raise bad(str(e)) from e

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> Classifier:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as e:
            raise ClassifierError("E601", path=path) from e
        except (OSError, UnicodeDecodeError) as e:
            raise ClassifierError("E602", path=path, detail=str(e)) from e
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ClassifierError("E602", path=path, detail=f"not JSON: {e.msg}") from e
        return cls.from_json(data, path)


def _ngram_values(known: Sequence[int], idf: np.ndarray | None) -> np.ndarray:
    """Feature values of the n-grams ``known`` (feature indices): their idf scaled to unit
    length, or 1/sqrt(count) each without idf."""
    if not known:
        return np.zeros(0)
    if idf is None:
        return np.full(len(known), 1.0 / math.sqrt(len(known)))
    values = idf[known]
    return values / math.sqrt(float(values @ values))


@lru_cache(maxsize=4)
def _cached(path: str) -> Classifier:
    return Classifier.load(path)


def get_classifier(path: str | Path | None = None) -> Classifier:
    """The classifier at ``path`` (default: the shipped model), loaded once and cached."""
    return _cached(str(Path(path).resolve()) if path is not None else str(MODEL_PATH))


def classify(text: str) -> Classification:
    """The ACLED event type, sub-event type and disorder type of ``text`` (a sentence or a
    short report), with the model's probability for that sub-event type as confidence."""
    return get_classifier().classify(text)


def scores(text: str) -> dict[str, float]:
    """A probability for each of the 25 ACLED sub-event types."""
    return get_classifier().scores(text)


# ------------------------------------------------------------------------ training


def _sample_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def train(
    examples: Sequence[tuple[Any, ...]],
    *,
    cues: Sequence[Cue] | None = None,
    config: TrainConfig | None = None,
    labels: Sequence[str] = SUB_EVENT_TYPES,
) -> Classifier:
    """Fit the classifier on ``(text, sub_event_type)`` pairs, or ``(text, sub_event_type,
    weight)`` triples (a pair weighs 1). Deterministic: the same examples (in any order),
    cues and config give the same weights.

    Full-batch Adam on the mean cross-entropy plus L2 penalties (n-gram weights towards 0,
    cue weights towards their prior). ``cues`` default to the shipped lexicon."""
    config = config or TrainConfig()
    # switched-off cues (the trigger rows other stages read) never fire: not features
    cues = [c for c in (cues if cues is not None else load_cues()) if _NEVER not in c.patterns]
    labels = tuple(labels)
    label_index = {label: i for i, label in enumerate(labels)}
    rows = [(e[0], e[1], float(e[2]) if len(e) > 2 else 1.0) for e in examples]
    for _, label, _ in rows:
        if label not in label_index:
            raise InputError("E603", where="training examples", label=label)
    # A canonical order, so the result does not depend on the caller's order.
    ordered = sorted(rows, key=lambda e: (e[1], _sample_hash(e[0]), e[0], e[2]))
    featurizer = Featurizer(cues, config.lead_unigrams, config.char_ngrams)
    extracted = [featurizer(text) for text, _, _ in ordered]

    counts: dict[str, int] = {}
    for grams, _ in extracted:
        for g in grams:
            counts[g] = counts.get(g, 0) + 1
    ngram_names = sorted(g for g, n in counts.items() if n >= config.min_count)
    cue_names = [f"c:{c.name}" for c in cues] + [f"c1:{c.name}" for c in cues]
    features = tuple(ngram_names + cue_names)
    index = {name: i for i, name in enumerate(features)}
    n, f, k = len(ordered), len(features), len(labels)
    idf: np.ndarray | None = None
    if config.weighting == "idf-l2":
        # smoothed idf, as scikit-learn's TfidfVectorizer: ln((1 + n) / (1 + df)) + 1
        idf = np.asarray([math.log((1 + n) / (1 + counts[g])) + 1 for g in ngram_names],
                         dtype=np.float32).astype(np.float64)
    elif config.weighting != "sqrt":
        raise ValueError(f"unknown weighting {config.weighting!r}")

    # scipy (a dependency of reverse_geocoder, so always installed) only for training
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

    indptr, indices, data = [0], [], []
    for grams, fired in extracted:
        known = sorted(index[g] for g in grams if g in index)
        indices.extend(known)
        data.extend(_ngram_values(known, idf).tolist())
        for c in fired:
            indices.append(index[c])
            data.append(config.cue_value)
        indptr.append(len(indices))
    x = csr_matrix((np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64),
                    np.asarray(indptr, dtype=np.int64)), shape=(n, f))
    y = np.zeros((n, k))
    y[np.arange(n), [label_index[label] for _, label, _ in ordered]] = 1.0
    sw = np.asarray([w for _, _, w in ordered])
    if config.class_balance:
        mass = (y * sw[:, None]).sum(axis=0)
        per_class = np.where(mass > 0, (mass.sum() / k / np.maximum(mass, 1e-9)), 0.0)
        sw = sw * (y @ per_class) ** config.class_balance
    sw = sw * (n / sw.sum())

    prior = np.zeros((f, k))
    penalty = np.full((f, 1), config.l2_ngram)
    for cue in cues:
        for i in (index[f"c:{cue.name}"], index[f"c1:{cue.name}"]):
            penalty[i] = config.l2_cue
            if cue.target is not None and cue.target in label_index:
                prior[i, label_index[cue.target]] = config.cue_prior / 2
    w, b = _fit(x, y, sw, prior, penalty, config)
    meta = {"examples": n, "features": f, "ngram_features": len(ngram_names)}
    return Classifier(labels, features, w, b, list(cues), config.to_dict(), meta, idf)


def _fit(
    x: Any, y: np.ndarray, sw: np.ndarray, prior: np.ndarray, penalty: np.ndarray,
    config: TrainConfig,
) -> tuple[np.ndarray, np.ndarray]:
    n = x.shape[0]
    w = prior.copy()
    b = np.log((y.sum(axis=0) + 1.0) / (n + y.shape[1]))
    mw, vw = np.zeros_like(w), np.zeros_like(w)
    mb, vb = np.zeros_like(b), np.zeros_like(b)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    scale = (sw / n)[:, None]
    xt = x.T.tocsr()
    for step in range(1, config.iterations + 1):
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        d = (p - y) * scale
        gw = xt @ d + penalty * (w - prior)
        gb = d.sum(axis=0)
        mw = beta1 * mw + (1 - beta1) * gw
        vw = beta2 * vw + (1 - beta2) * gw * gw
        mb = beta1 * mb + (1 - beta1) * gb
        vb = beta2 * vb + (1 - beta2) * gb * gb
        rate = config.learning_rate * math.sqrt(1 - beta2**step) / (1 - beta1**step)
        w -= rate * mw / (np.sqrt(vw) + eps)
        b -= rate * mb / (np.sqrt(vb) + eps)
    return w, b


# ---------------------------------------------------------------------- rules only


def rule_scores(text: str, cues: Sequence[Cue] | None = None) -> dict[str, int]:
    """How many cues point to each sub-event type (the rules-only baseline's votes)."""
    featurizer = _rule_featurizer(tuple(cues) if cues is not None else None)
    by_name = {f"c:{c.name}": c for c in featurizer.cues}
    votes = dict.fromkeys(SUB_EVENT_TYPES, 0)
    for name in featurizer.cue_names(normalise(text)):
        target = by_name[name].target
        if target is not None:
            votes[target] += 1
    return votes


def classify_rules(text: str, cues: Sequence[Cue] | None = None) -> str:
    """The rules-only baseline: the sub-event type most cues point to (ties go to the more
    specific type, see :data:`RULE_PRIORITY`), 'Armed clash' when no cue fires."""
    votes = rule_scores(text, cues)
    best = max(votes.values())
    if best == 0:
        return DEFAULT_RULE
    return next(sub for sub in RULE_PRIORITY if votes[sub] == best)


@lru_cache(maxsize=4)
def _rule_featurizer(cues: tuple[Cue, ...] | None) -> Featurizer:
    return Featurizer(cues if cues is not None else load_cues())
