"""The spaCy pipeline: the English model plus rearguard's rulers before its NER.

Two things no small statistical model knows are added in front of ``ner``:

* ``rearguard_groups``: armed groups and communities from ``data/groups.tsv`` (Daesh, ISIS,
  Boko Haram, Shia ...) are labelled ORG or NORP, so they are never read as places;
* ``rearguard_places``: runs of proper nouns that the gazetteer knows as a place name
  ("Shirqat", "Rutba", "Dibis", "Tal Afar") are labelled GPE. A run matches only as a
  whole, so "Iraq Security Forces" or "Will Smith" do not yield "Iraq" or "Will". A
  hyphenated article belongs to its name ("al-Shadadi" is one run). Runs that the
  gazetteer knows only under another transliteration ("Menbej" for Manbij, "Khan Toman"
  for Khan Tuman: the same :func:`~rearguard.geo.normalize.variant_key`) are not labelled;
  they are noted in ``doc.user_data`` for the toponym model to weigh.

The NER then labels the rest, and respects what the rulers set.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, filter_spans

from ..errors import ModelError
from ..geo.gazetteer import Gazetteer
from ..geo.normalize import name_key, variant_key
from ..geo.sources import read_tsv
from .toponyms import (
    ARTICLES,
    DOTTED_ABBREV,
    PLACE_PREFIXES,
    RULER_KEY,
    VARIANT_KEY,
    known_variant_keys,
)

JOINERS = frozenset(
    [
        "al", "el", "ez", "ad", "ash", "as", "ar", "at", "an", "az", "de", "del", "du", "la",
        "le", "da", "di", "dos", "das", "van", "von", "bin", "ibn", "abu", "of", "-", "'", "’"
    ]
)
NOT_PLACES = frozenset(
    [
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "god", "allah", "christmas", "easter", "ramadan", "eid",
        "internet", "twitter", "facebook", "reuters"
    ]
)
TITLES = frozenset(
    [
        "mr", "mrs", "ms", "dr", "president", "minister", "general", "gen", "col", "colonel",
        "sheikh", "imam", "king", "queen", "prince", "sen", "senator", "rep", "gov", "governor",
        "mayor", "pope", "sir", "lady", "lord", "captain", "capt", "lt", "lieutenant",
        "commander", "sgt", "sergeant", "judge", "prof", "professor", "saint", "st"
    ]
)
RUN_END_TITLES = TITLES | {"sens", "reps", "govs", "gens", "messrs"}
ADMIN_WORDS = frozenset(
    ["province", "governorate", "district", "county", "state", "region", "city", "town", "village"]
)


@functools.lru_cache(maxsize=4)
def _open_gazetteer(path: str) -> Gazetteer:
    return Gazetteer(Path(path))


# The factories' ``nlp`` is typed Any: confection validates a factory's arguments with
# pydantic's v1 models, and under ``from __future__ import annotations`` the name
# "Language" stays an unresolved ForwardRef there with some releases spaCy 3.8 admits
# (spaCy 3.8.7 with thinc 8.3.11: "field nlp not yet prepared"), which broke every run.
@Language.factory("rearguard_groups", default_config={})
def make_group_ruler(nlp: Any, name: str) -> GroupRuler:
    return GroupRuler(nlp)


@Language.factory("rearguard_places", default_config={"gazetteer_path": ""})
def make_place_ruler(nlp: Any, name: str, gazetteer_path: str) -> PlaceRuler:
    return PlaceRuler(_open_gazetteer(gazetteer_path))


class GroupRuler:
    """Labels the names in groups.tsv as ORG/NORP (case-sensitive, whole tokens)."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for name, label in read_tsv("groups.tsv"):
            self.matcher.add(label, [nlp.make_doc(name)])

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=doc.vocab.strings[match_id])
            for match_id, start, end in self.matcher(doc)
        ]
        doc.ents = filter_spans(list(doc.ents) + spans)
        return doc


class PlaceRuler:
    """Labels whole proper-noun runs that the gazetteer knows as GPE."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        runs = [run for run in _proper_runs(doc) if not taken.intersection(range(*run))]
        persons = {doc[end - 1].text for start, end in runs if end - start > 1}
        keys = {run: _run_keys(doc, *run) for run in runs}
        known = self.gazetteer.known_keys(k for ks in keys.values() for k in ks)
        spans = []
        unknown = []
        for (start, end), run_keys in keys.items():
            if not any(k in known for k in run_keys):
                unknown.append((start, end))
                continue
            if end - start == 1 and doc[start].text in persons:
                continue  # "Obama" after "Barack Obama": a person, not Obama, Japan
            if start > 0 and doc[start - 1].lower_.rstrip(".") in TITLES:
                continue
            spans.append(Span(doc, start, end, label="GPE"))
        doc.ents = filter_spans(list(doc.ents) + spans)
        # Which GPE entities are the ruler's (the toponym model weighs them apart from NER's)
        doc.user_data[RULER_KEY] = [(s.start, s.end) for s in spans]
        doc.user_data[VARIANT_KEY] = self._variant_runs(doc, unknown)
        return doc

    def _variant_runs(self, doc: Doc, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Runs whose exact key names no place but whose transliteration variant does
        ("Menbej", "Reef Dimashq", "Khan Toman"): candidates only, never labelled here."""
        vkeys: dict[tuple[int, int], str] = {}
        for start, end in runs:
            span = doc[start:end]
            words = [t for t in span if t.is_alpha and t.lower_ not in JOINERS]
            if not words or len(words) > 4 or span.text.isupper():
                continue
            if any(doc[i].lower_.rstrip(".") in TITLES and doc[i].lower_ not in PLACE_PREFIXES
                   for i in range(max(start - 1, 0), start + 1)):
                continue  # "Senator Dunn", "Mr. Hoak": a person
            if any(t.lower_ in NOT_PLACES for t in span):
                continue
            if any(DOTTED_ABBREV.fullmatch(t.text) for t in span) or (
                    doc[end - 1].lower_.rstrip(".") in RUN_END_TITLES):
                continue  # "U.S. Senate", "U.S. Sens.": no transliteration has periods
            vkey = variant_key(span.text)
            if vkey:
                vkeys[(start, end)] = vkey
        if not vkeys:
            return []
        known = known_variant_keys(self.gazetteer, vkeys.values())
        return [run for run, vkey in vkeys.items() if vkey in known]


def _is_proper(token) -> bool:
    if not token.text[:1].isupper() or not any(ch.isalpha() for ch in token.text):
        return False
    if token.lower_ in NOT_PLACES:
        return False
    if token.pos_ == "PROPN":
        return True
    # Sentence-initial capitals are not evidence; elsewhere a capitalised noun may be a name
    return not token.is_sent_start and token.pos_ in ("NOUN", "ADJ", "X") and token.is_title


def _article_before(doc: Doc, i: int) -> bool:
    """A lower-case article hyphened to the name at ``i``: "al-" of "al-Shadadi"."""
    return (i >= 2 and doc[i - 1].text in ("-", "‐") and doc[i - 2].lower_ in ARTICLES
            and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_
            and (i < 3 or bool(doc[i - 3].whitespace_) or doc[i - 3].is_punct))


def _starts_name(token) -> bool:
    """A place prefix ("Khan", "Tell", "Reef", "Deir") opens a name even where the tagger
    calls it a common noun or it stands first in the sentence."""
    return (token.is_title and token.lower_ in PLACE_PREFIXES
            and token.i + 1 < len(token.doc)
            and (_is_proper(token.doc[token.i + 1]) or token.doc[token.i + 1].lower_ in ARTICLES))


def _proper_runs(doc: Doc) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(doc):
        if not (_is_proper(doc[i]) or _starts_name(doc[i])) or _party_letter(doc, i):
            i += 1
            continue
        j = i + 1
        while j < len(doc):
            if _is_proper(doc[j]) or (
                doc[j].lower_ in JOINERS
                and j + 1 < len(doc)
                and (_is_proper(doc[j + 1]) or doc[j + 1].lower_ in JOINERS)
            ):
                j += 1
            else:
                break
        while j > i + 1 and doc[j - 1].lower_ in JOINERS:
            j -= 1
        runs.append((i - 2 if _article_before(doc, i) else i, j))
        i = j
    return runs


def _party_letter(doc: Doc, i: int) -> bool:
    """The party letter of a legislator's tag ("D-S.C.", "R-London"): not part of the
    place name after it."""
    tok = doc[i]
    return (len(tok.text) == 1 and tok.text in "DRI" and i + 2 < len(doc)
            and doc[i + 1].text == "-" and not tok.whitespace_ and not doc[i + 1].whitespace_
            and doc[i + 2].text[:1].isupper())


def _run_keys(doc: Doc, start: int, end: int) -> list[str]:
    """Keys under which a run may be a place: itself, or without a trailing admin word."""
    text = doc[start:end].text
    keys = [name_key(text)]
    if end - start > 1 and doc[end - 1].lower_ in ADMIN_WORDS:
        keys.append(name_key(doc[start : end - 1].text))
    return [k for k in keys if k and k not in NOT_PLACES]


class TailSearch:
    """A tokenizer's suffix search that reads the end of the string only.

    spaCy strips a token's suffixes one at a time and searches the whole remaining token
    for the next each time (``re.search`` of patterns anchored at ``$`` tries every
    position), so a token of n characters ending in n suffixes ("))))...") costs O(n²).
    A suffix is a few characters: the search starts ``window`` characters before the end
    (look-behinds still see what precedes), and a match from that very start (a run of
    dots longer than the window) is looked up in the whole token, as spaCy does."""

    def __init__(self, search: Any, window: int = 100) -> None:
        self.search = search
        self.window = window

    def __call__(self, string: str) -> Any:
        start = len(string) - self.window
        if start <= 0:
            return self.search(string)
        match = self.search(string, start)
        if match is not None and match.start() == start:
            return self.search(string)
        return match


class BoundedTokenizer:
    """spaCy's tokenizer, with the work one "word" (a run without whitespace) can cost
    bounded: a run longer than ``limit`` characters is tokenised in pieces of ``limit``.

    spaCy's tokenizer is quadratic in the length of such a run: it strips affixes one at a
    time, copying and hashing the rest of the run each time, and its URL pattern
    backtracks over it. 600,000 characters of nested JSON ('{"a":{"a":...}}', a generated
    robustness input) took 290 s to tokenise. No word, place or URL of a news text is that
    long, so the pieces change nothing but the tokens of such runs; the Doc's text is the
    text, character for character, so every offset stays right."""

    def __init__(self, tokenizer: Any, limit: int = 1_000) -> None:
        self.tokenizer = tokenizer
        self.limit = limit
        # (?<!\S): a run is tried from its first character only, so the search is linear
        self._long = re.compile(rf"(?<!\S)\S{{{limit + 1},}}")

    def __getattr__(self, name: str) -> Any:  # vocab, explain, ...: the tokenizer's
        if name == "tokenizer":  # not set yet (unpickling)
            raise AttributeError(name)
        return getattr(self.tokenizer, name)

    def __call__(self, text: str) -> Doc:
        runs = list(self._long.finditer(text)) if len(text) > self.limit else []
        if not runs:
            return self.tokenizer(text)
        pieces, at = [], 0
        for run in runs:
            pieces.append(text[at:run.start()])
            pieces += [text[i:min(i + self.limit, run.end())]
                       for i in range(run.start(), run.end(), self.limit)]
            at = run.end()
        pieces.append(text[at:])
        docs = [self.tokenizer(piece) for piece in pieces if piece]
        return Doc.from_docs(docs, ensure_whitespace=False)


#: The token attributes the attribute ruler's rules read, in the order of a row.
_RULER_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}


class IndexedAttributeMatch:
    """The attribute ruler's ``match`` (which of its rules match where) without spaCy's
    Matcher: the same list, in the same order, in about a third of the time.

    The ruler of the English models maps each token's tag (and a few words, tag and
    dependency combinations) to its coarse part of speech and morphology: 179 rules of one
    or two tokens, tested by a general token Matcher at every token, about an eighth of
    the model's time on the sentences extract parses. Its rules read only a token's TAG,
    LOWER, DEP and IS_SPACE, so which single-token rules match a token depends on those
    four values alone: they are looked up in a table filled as tokens come (a text has
    few distinct rows), and a two-token rule is tried only where its first token matched.
    A ruler with any other kind of pattern keeps the Matcher (:meth:`install` says so).
    """

    #: distinct rows remembered at most (a long run sees new words for ever)
    MAX_ROWS = 200_000

    def __init__(self, ruler: Any) -> None:
        self.strings = ruler.vocab.strings
        self.array: list[int | str] = list(_RULER_COLUMNS)
        self.single: list[tuple[int, int, list[tuple[int, str, Any]]]] = []
        self.multi: list[tuple[int, int, list[list[tuple[int, str, Any]]]]] = []
        for rule in range(len(ruler.attrs)):
            key = self.strings[str(rule)]  # the Matcher's key of the rule (AttributeRuler.add)
            for pattern in ruler.matcher.get(key)[1]:
                tests = [self._tests(token) for token in pattern]
                if len(tests) == 1:
                    self.single.append((rule, key, tests[0]))
                else:
                    self.multi.append((rule, key, tests))
        self.rows: dict[tuple[int, ...], tuple[list[tuple[int, int]], list[Any]]] = {}
        # Which rules a new row can match: a rule that tests a column for one value
        # ("TAG == NN", "LOWER == ain't") is filed under its first such test and tried only
        # on rows with that value; the few others are tried on every row.
        self._single_index = self._index([tests for _, _, tests in self.single])
        self._multi_index = self._index([tests[0] for _, _, tests in self.multi])

    @staticmethod
    def _index(rules: list[list[tuple[int, str, Any]]]
               ) -> tuple[dict[tuple[int, Any], list[int]], list[int]]:
        """(column, value) -> the positions of the rules filed under that test, and the
        positions of the rules with no test of one value."""
        by_value: dict[tuple[int, Any], list[int]] = {}
        general: list[int] = []
        for position, tests in enumerate(rules):
            equal = [(column, arg) for column, op, arg in tests if op == "=="]
            if equal:
                by_value.setdefault(equal[0], []).append(position)
            else:
                general.append(position)
        return by_value, general

    @staticmethod
    def _candidates(index: tuple[dict[tuple[int, Any], list[int]], list[int]],
                    row: tuple[int, ...]) -> list[int]:
        """The positions of the rules that may match ``row``, in rule order."""
        by_value, general = index
        found = list(general)
        for column, value in enumerate(row):
            found += by_value.get((column, value), ())
        found.sort()
        return found

    @classmethod
    def install(cls, nlp: Language) -> bool:
        """Use it for ``nlp``'s attribute ruler; False (the Matcher stays) when the ruler
        has a pattern it does not read."""
        if "attribute_ruler" not in nlp.pipe_names:
            return False
        ruler: Any = nlp.get_pipe("attribute_ruler")
        try:
            ruler.match = cls(ruler)
        except (KeyError, ValueError, AttributeError, TypeError):
            return False
        return True

    def _tests(self, token: dict[str, Any]) -> list[tuple[int, str, Any]]:
        from spacy.strings import get_string_id

        tests: list[tuple[int, str, Any]] = []
        for attr, value in token.items():
            column = _RULER_COLUMNS[attr]  # KeyError: an attribute (or "OP") not read here
            if attr == "IS_SPACE":
                if not isinstance(value, bool):
                    raise ValueError(value)
                tests.append((column, "==", int(value)))
            elif isinstance(value, str):
                tests.append((column, "==", get_string_id(value)))
            else:
                ((op, arg),) = value.items()
                if op == "IN":
                    tests.append((column, "in", frozenset(get_string_id(v) for v in arg)))
                elif op == "NOT_IN":
                    tests.append((column, "not in", frozenset(get_string_id(v) for v in arg)))
                elif op == "REGEX":
                    tests.append((column, "re", re.compile(arg)))
                else:
                    raise ValueError(op)
        return tests

    def _holds(self, tests: list[tuple[int, str, Any]], row: tuple[int, ...]) -> bool:
        for column, op, arg in tests:
            value = row[column]
            if op == "==":
                if value != arg:
                    return False
            elif op == "in":
                if value not in arg:
                    return False
            elif op == "not in":
                if value in arg:
                    return False
            elif not arg.search(self.strings[value]):  # the Matcher's REGEX: re.search
                return False
        return True

    def _row(self, row: tuple[int, ...]) -> tuple[list[tuple[int, int]], list[Any]]:
        if len(self.rows) >= self.MAX_ROWS:
            self.rows.clear()
        single = [self.single[k] for k in self._candidates(self._single_index, row)]
        multi = [self.multi[k] for k in self._candidates(self._multi_index, row)]
        found = self.rows[row] = (
            [(rule, key) for rule, key, tests in single if self._holds(tests, row)],
            [(rule, key, tests) for rule, key, tests in multi if self._holds(tests[0], row)])
        return found

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """What ``AttributeRuler.match`` returns: (rule, key, start, end), sorted."""
        rows = [tuple(r) for r in doc.to_array(self.array).tolist()]
        found: list[tuple[int, int, int, int]] = []
        known = self.rows
        n = len(rows)
        for i, row in enumerate(rows):
            hit = known.get(row) or self._row(row)
            for rule, key in hit[0]:
                found.append((rule, key, i, i + 1))
            for rule, key, tests in hit[1]:
                end = i + len(tests)
                if end <= n and all(self._holds(tests[k], rows[i + k])
                                    for k in range(1, len(tests))):
                    found.append((rule, key, i, end))
        found.sort()
        return found


# OpenBLAS's C functions that read and set its thread count: scipy-openblas as numpy 2
# wheels bundle it, then the names of other builds.
_OPENBLAS_THREADS = (
    ("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
    ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
    ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
    ("openblas_get_num_threads", "openblas_set_num_threads"),
)


@functools.lru_cache(maxsize=1)
def openblas_threads() -> tuple[Any, Any] | None:
    """The (get, set) thread-count functions of the OpenBLAS numpy multiplies with, or
    None (not Linux, another BLAS, or names this does not know)."""
    import ctypes

    import numpy  # noqa: F401 - loads the BLAS that is looked for

    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    paths = sorted({fields[-1] for line in maps.splitlines()
                    if len(fields := line.split()) >= 6 and "openblas" in fields[-1].lower()})
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for get_name, set_name in _OPENBLAS_THREADS:
            if hasattr(lib, get_name) and hasattr(lib, set_name):
                get, put = getattr(lib, get_name), getattr(lib, set_name)
                get.argtypes, get.restype = [], ctypes.c_int
                put.argtypes, put.restype = [ctypes.c_int], None
                return get, put
    return None


def one_thread_gemm_ops() -> Any:
    """thinc's NumpyOps multiplying through numpy's OpenBLAS on one thread, or None when
    its thread count cannot be set.

    The models' matrix products are most of spaCy's time on the sentences extract
    parses. thinc multiplies with BLIS by default; on this machine (AVX-512) numpy's
    OpenBLAS does the same products in a third of the time, and the parses were the same
    (every one of the 6,996 sentences the cascade keeps in the 2,000 bench articles, one
    article or a batch of 8 at a time). On more than one thread OpenBLAS spent more CPU on
    these small products than it saved (its threads wait for work), and with one worker
    per core the cores are taken: each product runs on one thread, the count it had is
    restored after it (other numpy work in the process keeps its threads)."""
    from thinc.api import NumpyOps

    threads = openblas_threads()
    if threads is None:
        return None
    get, put = threads

    class OneThreadGemm(NumpyOps):  # type: ignore[misc]
        def gemm(self, x: Any, y: Any, *, out: Any = None, trans1: bool = False,
                 trans2: bool = False) -> Any:
            before = get()
            if before == 1:
                return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
            put(1)
            try:
                return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
            finally:
                put(before)

    return OneThreadGemm(use_blis=False)


def _use_ops(nlp: Language, ops: Any) -> None:
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str, gazetteer_path: str) -> Language:
    """The model with rearguard's rulers before ``ner``. Cached per process."""
    try:
        nlp = spacy.load(model, exclude=["lemmatizer"])
    except OSError as e:
        raise ModelError("E301", model=model) from e
    # "U.S.-based", "S.C.-born": the abbreviation is a token of its own, as it is elsewhere
    tokenizer: Any = nlp.tokenizer
    if hasattr(tokenizer, "infix_finditer"):
        infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Z]\.)-(?=[a-z])"]
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    if getattr(tokenizer, "suffix_search", None) is not None:
        tokenizer.suffix_search = TailSearch(tokenizer.suffix_search)
    nlp.tokenizer = BoundedTokenizer(tokenizer)
    IndexedAttributeMatch.install(nlp)
    ops = one_thread_gemm_ops()
    if ops is not None:
        _use_ops(nlp, ops)
    before = "ner" if "ner" in nlp.pipe_names else None
    nlp.add_pipe("rearguard_groups", before=before)
    nlp.add_pipe(
        "rearguard_places", after="rearguard_groups",
        config={"gazetteer_path": gazetteer_path},
    )
    return nlp
