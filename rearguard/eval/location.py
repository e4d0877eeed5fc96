"""Score the event-location step on Halterman's (2019) event-location sentences.

Each gold record is one sentence with one marked event verb and the spans of the place(s)
where *that* event happened (possibly none). We parse the sentence with the project's
pipeline, take its toponyms (GPE/LOC entities, and NORP demonyms the gazetteer knows, as
:func:`rearguard.geo.find_toponyms` does), map the verb to its token and ask a *locator*
which toponyms are the event's place. Scores:

* token-level precision, recall and F1 of the predicted location tokens against the gold
  location tokens (micro over sentences; the metric of the paper), on our tokenisation:
  a token is gold if it overlaps a gold span's characters;
* sentence-level exact-set accuracy: the predicted spans and the gold spans match one to
  one by overlap ("no location" is a valid answer; suggested by the data's README).

Two baselines run alongside: every toponym of the sentence, and the toponym nearest the verb
(in tokens). Besides ``gold_dev.jsonl`` (adjudicated), ``labeled_text.jsonl.zip`` (9,443
single-annotator training sentences) can be scored as a second check; its character
offsets are unreliable, so its spans are rebuilt from the record's token table.
"""

from __future__ import annotations

import json
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from .corpora import default_data_dir
from .metrics import prf

SUBDIR = "event-location"
GOLD_FILE = "gold_dev.jsonl"
TRAIN_FILE = "labeled_text.jsonl.zip"
# The ranker (tools/train_locator.py) never trains on one tenth of labeled_text (chosen by
# a hash of the record id), so `--train` can score it honestly on that slice; nor on the
# Masdar_RA records, whose annotator left 88% of the sentences without a place.
HOLDOUT_MODULUS = 10
EXCLUDED_SOURCES = frozenset({"Masdar_RA"})

# (sentence, trigger, toponyms) -> the toponyms chosen as the event's place
Locator = Callable[[Any, Any, Sequence[Any]], list[Any]]


@dataclass(frozen=True)
class LocationRecord:
    """One sentence: the event verb's character span and the gold location spans."""

    id: str
    text: str
    verb: tuple[int, int]
    locations: tuple[tuple[int, int], ...]
    source: str = ""


# --------------------------------------------------------------------------- reading


def location_dir(data_dir: str | Path | None = None) -> Path:
    """The folder holding the event-location files; accepts it or its parent."""
    base = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    if (base / SUBDIR).is_dir():
        return base / SUBDIR
    return base


def read_gold(path: str | Path) -> Iterator[LocationRecord]:
    """Records of ``gold_dev.jsonl`` (char offsets rebuilt from tokens, hence reliable).
    Records without a verb are skipped."""
    path = Path(path)
    if not path.is_file():
        raise EvalDataError("E511", path=path)
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                verbs = row["verb"]
                locations = tuple((s["start"], s["end"]) for s in row["event_locations"])
                text = row["text"]
            except (ValueError, KeyError, TypeError) as e:
                raise EvalDataError("E512", path=path, line=number, detail=e) from e
            if not verbs:
                continue
            yield LocationRecord(str(row.get("id", number)).strip(), text,
                                 (verbs[0]["start"], verbs[0]["end"]), locations)


def _token_span(tokens: list[dict[str, Any]], span: dict[str, Any]) -> tuple[int, int] | None:
    try:
        return tokens[span["token_start"]]["start"], tokens[span["token_end"]]["end"]
    except (KeyError, IndexError, TypeError):
        return None


def read_training(path: str | Path) -> Iterator[LocationRecord]:
    """Records of ``labeled_text.jsonl.zip`` (a zipped JSON array of Prodigy records),
    with every span rebuilt from its token indices. Records without exactly one verb are
    skipped."""
    path = Path(path)
    if not path.is_file():
        raise EvalDataError("E511", path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".jsonl"))
            rows = json.loads(archive.read(name))
    except (zipfile.BadZipFile, StopIteration, ValueError) as e:
        raise EvalDataError("E512", path=path, line=0, detail=e) from e
    for number, row in enumerate(rows):
        tokens = row.get("tokens") or []
        spans = row.get("spans") or []
        verbs = [_token_span(tokens, s) for s in spans if s.get("label") == "VERB"]
        if len(verbs) != 1 or verbs[0] is None:
            continue
        locations = [_token_span(tokens, s) for s in spans if s.get("label") == "LOCATION"]
        yield LocationRecord(str(row.get("_id", number)), row["text"], verbs[0],
                             tuple(s for s in locations if s is not None),
                             str(row.get("source") or ""))


def load_location_data(
    split: str = "dev", data_dir: str | Path | None = None
) -> list[LocationRecord]:
    """``split`` 'dev' (gold_dev.jsonl) or 'train' (labeled_text.jsonl.zip)."""
    folder = location_dir(data_dir)
    if split == "dev":
        return list(read_gold(folder / GOLD_FILE))
    if split == "train":
        return list(read_training(folder / TRAIN_FILE))
    raise EvalDataError("E513", split=split)


# ------------------------------------------------------------------- toponyms in doc


def find_toponyms_in_doc(doc: Any, gazetteer: Any = None, *, demonyms: bool = True) -> list[Any]:
    """The toponym entity spans of a parsed doc, as the geoparser chooses them
    (:func:`rearguard.geo.toponym_ents`)."""
    from ..geo import toponym_ents

    return toponym_ents(doc, gazetteer, demonyms=demonyms)


def held_out(record: LocationRecord) -> bool:
    """True for the training records the ranker is never trained on (one in ten)."""
    return zlib.crc32(record.id.encode("utf-8")) % HOLDOUT_MODULUS == 0


def trainable(record: LocationRecord) -> bool:
    """True for the training records the ranker learns from."""
    return not held_out(record) and record.source not in EXCLUDED_SOURCES


# ----------------------------------------------------------------------- locators


def nearest_toponym(sent: Any, trigger: Any, toponyms: Sequence[Any]) -> list[Any]:
    """Baseline: the toponym nearest the trigger in tokens (ties: the earlier one)."""
    if not toponyms:
        return []

    def gap(span: Any) -> int:
        if span.start <= trigger.i < span.end:
            return 0
        return span.start - trigger.i if span.start > trigger.i else trigger.i - span.end + 1

    return [min(toponyms, key=lambda s: (gap(s), s.start))]


def every_toponym(sent: Any, trigger: Any, toponyms: Sequence[Any]) -> list[Any]:
    """Baseline: every toponym of the sentence."""
    return list(toponyms)


def rearguard_locator(sent: Any, trigger: Any, toponyms: Sequence[Any]) -> list[Any]:
    """rearguard's locator as shipped (the learned ranker if its weights are present, else
    the rules), with other names of the sentence as candidates too ("Manger Square"); scored
    on the most specific places (the gold marks "Shirqat", not "Salahuddin province", in
    "Shirqat in Salahuddin province")."""
    from ..events.locate import event_places

    return event_places(sent, trigger, toponyms, containers=False, names=True)


def toponyms_locator(sent: Any, trigger: Any, toponyms: Sequence[Any]) -> list[Any]:
    """The same on the toponyms alone, as the event extractor calls it."""
    from ..events.locate import event_places

    return event_places(sent, trigger, toponyms, containers=False)


def rules_locator(sent: Any, trigger: Any, toponyms: Sequence[Any]) -> list[Any]:
    """rearguard's rules alone (no learned ranker), on the toponyms."""
    from ..events.locate import event_places

    return event_places(sent, trigger, toponyms, containers=False, ranker=False)


# ------------------------------------------------------------------------ scoring


@dataclass
class LocationTally:
    """Counts for one locator: token tp/fp/fn and exact-set sentences."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0
    sentences: int = 0
    seconds: float = 0.0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, gold_tokens: set[int], pred_tokens: set[int], exact: bool) -> None:
        self.tp += len(gold_tokens & pred_tokens)
        self.fp += len(pred_tokens - gold_tokens)
        self.fn += len(gold_tokens - pred_tokens)
        self.exact += exact
        self.sentences += 1

    def row(self) -> dict[str, Any]:
        row: dict[str, Any] = dict(prf(self.tp, self.fp, self.fn))
        row["exact"] = self.exact / self.sentences if self.sentences else 0.0
        row["sentences"] = self.sentences
        row["seconds"] = self.seconds
        return row


def _tokens_of(spans: Iterable[tuple[int, int]], offsets: Sequence[tuple[int, int]]) -> set[int]:
    """Indices of the tokens (given by character offsets) that overlap any span."""
    out: set[int] = set()
    for start, end in spans:
        out.update(i for i, (a, b) in enumerate(offsets) if a < end and start < b)
    return out


def exact_set(gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]) -> bool:
    """True if the predicted and gold spans match one to one by overlap (both empty: True)."""
    if len(gold) != len(pred):
        return False
    free = list(pred)
    for g in sorted(gold):
        hit = next((p for p in free if p[0] < g[1] and g[0] < p[1]), None)
        if hit is None:
            return False
        free.remove(hit)
    return True


def score_sentence(
    gold: Sequence[tuple[int, int]],
    pred: Sequence[tuple[int, int]],
    offsets: Sequence[tuple[int, int]],
) -> tuple[set[int], set[int], bool]:
    """(gold tokens, predicted tokens, exact-set match) of one sentence; ``offsets`` are
    the (start, end) characters of its tokens."""
    return _tokens_of(gold, offsets), _tokens_of(pred, offsets), exact_set(gold, pred)


def trigger_token(doc: Any, verb: tuple[int, int]) -> Any:
    """The token of the verb's character span (the syntactic head if it covers several)."""
    span = doc.char_span(verb[0], verb[1], alignment_mode="expand")
    if span is None or len(span) == 0:
        for token in doc:
            if token.idx + len(token) > verb[0]:
                return token
        return doc[-1]
    return span.root


def default_locators() -> dict[str, Locator]:
    return {"rearguard": rearguard_locator, "rearguard, toponyms only": toponyms_locator,
            "rules": rules_locator, "every toponym": every_toponym,
            "nearest toponym": nearest_toponym}


def evaluate_location(
    *,
    data_dir: str | Path | None = None,
    settings: Any = None,
    split: str = "dev",
    limit: int | None = None,
    locators: dict[str, Locator] | None = None,
    records: Sequence[LocationRecord] | None = None,
    nlp: Any = None,
    gazetteer: Any = None,
    keep_errors: bool = False,
) -> dict[str, dict[str, Any]]:
    """Score each locator on the records of ``split`` (first ``limit``, if given).

    Returns ``{locator name: row}``; a row has tp, fp, fn, precision, recall, f1 (tokens),
    exact (share of sentences whose location set is exactly right), sentences, seconds and,
    with ``keep_errors``, ``errors`` (the sentences it got wrong). On ``split`` 'train' the
    rows are repeated as ``"<name> [held-out tenth]"`` for the records the ranker is never
    trained on (:func:`held_out`)."""
    if records is None:
        records = load_location_data(split, data_dir)
    records = list(records)[:limit] if limit is not None else list(records)
    if nlp is None:
        from ..geo import open_gazetteer
        from ..nlp.pipeline import load_pipeline
        from ..settings import load_settings

        settings = settings or load_settings()
        gazetteer = open_gazetteer(settings)
        nlp = load_pipeline(settings.spacy_model, str(gazetteer.path))
    demonyms = bool(getattr(settings, "demonyms", True))
    locators = locators or default_locators()
    tallies = {name: LocationTally() for name in locators}
    # on the training data, also score the slice the ranker never learns from
    heldout = {name: LocationTally() for name in locators} if split == "train" else {}
    for record, doc in zip(records, nlp.pipe(r.text for r in records), strict=True):
        offsets = [(t.idx, t.idx + len(t)) for t in doc]
        trigger = trigger_token(doc, record.verb)
        toponyms = find_toponyms_in_doc(doc, gazetteer, demonyms=demonyms)
        for name, locate in locators.items():
            began = time.perf_counter()
            chosen = locate(doc[:], trigger, toponyms)
            tallies[name].seconds += time.perf_counter() - began
            pred = [(s.start_char, s.end_char) for s in chosen]
            gold_tokens, pred_tokens, exact = score_sentence(record.locations, pred, offsets)
            tallies[name].add(gold_tokens, pred_tokens, exact)
            if heldout and held_out(record):
                heldout[name].add(gold_tokens, pred_tokens, exact)
            if keep_errors and not exact:
                tallies[name].errors.append({
                    "id": record.id, "text": record.text,
                    "verb": record.text[record.verb[0]:record.verb[1]],
                    "gold": [record.text[a:b] for a, b in record.locations],
                    "pred": [s.text for s in chosen],
                    "toponyms": [s.text for s in toponyms],
                })
    results = {}
    for name, tally in tallies.items():
        row = tally.row()
        if keep_errors:
            row["errors"] = tally.errors
        results[name] = row
    for name, tally in heldout.items():
        results[f"{name} [held-out tenth]"] = tally.row()
    return results


# Halterman 2019: token-level precision and recall "above 0.83" (trained model).
HALTERMAN_2019 = {"precision": 0.83, "recall": 0.83}


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def format_table(results: dict[str, dict[str, Any]], *, reference: bool = True) -> str:
    """A Markdown table of :func:`evaluate_location` results (in %)."""
    head = ["locator", "sentences", "token P", "token R", "token F1", "exact set"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * 5) + "|"]
    for name, row in results.items():
        cells = [name, str(row["sentences"]), _pct(row["precision"]), _pct(row["recall"]),
                 _pct(row["f1"]), _pct(row["exact"])]
        lines.append("| " + " | ".join(cells) + " |")
    if reference:
        lines.append("| Halterman 2019 (trained; reported) | 496 | >83 | >83 | – | – |")
    return "\n".join(lines)
