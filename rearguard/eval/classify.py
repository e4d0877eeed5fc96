"""Score the event classifier on CASE 2021 Shared Task 2 (subtask 1: 25 ACLED types).

The shipped model is trained on the same development rows, so its score on them is
optimistic. The honest figure is stratified K-fold cross-validation: train on K-1 folds
plus the project's own examples (``tools/training/examples.tsv``), predict the held-out
fold, pool the predictions of all folds and score them once. A rules-only baseline (the cue
lexicon alone, no learning) is scored in the same run.

Metrics: weighted, micro and macro F1 over the 25 sub-event types (subtask 1 rows only;
weighted F1 is what the shared task ranked by) and accuracy over the 6 event types.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import EvalDataError, InputError
from ..events.taxonomy import SUB_EVENT_TYPES, event_type_of, from_case_label
from .corpora import default_data_dir

SUBDIR = "case2021-task2"
DEV_FILE = "dev_labeled.tsv"
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_PATH = ROOT / "tools" / "training" / "examples.tsv"
# More project examples, news-style snippets of one to three sentences (same format).
CLASSIFIER_EXAMPLES_PATH = ROOT / "tools" / "training" / "classifier_examples.tsv"
EXAMPLE_PATHS: tuple[Path, ...] = (EXAMPLES_PATH, CLASSIFIER_EXAMPLES_PATH)
DEFAULT_FOLDS = 5
FOLD_SEED = 2021


@dataclass(frozen=True)
class LabelledSnippet:
    """One labelled row: ``label`` is an ACLED sub-event type."""

    id: str
    text: str
    label: str


def case_dir(data_dir: str | Path | None = None) -> Path:
    """The folder holding the CASE 2021 files; accepts it or its parent ``shared/eval``."""
    base = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    return base / SUBDIR if (base / SUBDIR).is_dir() else base


def read_case_task2(path: str | Path) -> list[LabelledSnippet]:
    """The subtask-1 rows (25 ACLED labels) of a CASE 2021 Task 2 TSV file
    (``id<TAB>EventSnippet<TAB>SubType``, no quoting); rows with non-ACLED labels are
    skipped. EvalDataError E501 if the file is missing."""
    path = Path(path)
    if not path.is_file():
        raise EvalDataError("E501", path=path)
    rows: list[LabelledSnippet] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:3]] != ["id", "EventSnippet", "SubType"]:
            raise InputError("E604", where=f"{path}:1",
                             detail="expected the header id<TAB>EventSnippet<TAB>SubType.")
        for number, row in enumerate(reader, start=2):
            if not row or not "".join(row).strip():
                continue
            if len(row) != 3:
                raise InputError("E604", where=f"{path}:{number}",
                                 detail=f"expected 3 tab-separated fields, got {len(row)}.")
            try:
                sub = from_case_label(row[2])
            except KeyError:
                raise InputError("E603", where=f"{path}:{number}", label=row[2]) from None
            if sub is not None:
                rows.append(LabelledSnippet(row[0].strip(), row[1].strip(), sub))
    return rows


def load_dev(data_dir: str | Path | None = None) -> list[LabelledSnippet]:
    """The subtask-1 development rows (``dev_labeled.tsv``)."""
    return read_case_task2(case_dir(data_dir) / DEV_FILE)


def read_examples(path: str | Path = EXAMPLES_PATH) -> list[LabelledSnippet]:
    """The project's own examples: ``sub_event_type<TAB>text`` per line, '#' comments."""
    path = Path(path)
    if not path.is_file():
        raise InputError("E101", path=path)
    rows: list[LabelledSnippet] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        label, sep, text = line.partition("\t")
        if not sep or not text.strip():
            raise InputError("E604", where=f"{path}:{number}",
                             detail="expected 'sub_event_type<TAB>text'.")
        if label.strip() not in SUB_EVENT_TYPES:
            raise InputError("E603", where=f"{path}:{number}", label=label.strip())
        rows.append(LabelledSnippet(f"{path.name}:{number}", text.strip(), label.strip()))
    return rows


def read_all_examples(
    paths: str | Path | Sequence[str | Path] | None = EXAMPLE_PATHS,
) -> list[LabelledSnippet]:
    """The project examples of every file in ``paths`` (one path, several, or None for
    none), in order; a file that does not exist is skipped."""
    if paths is None:
        return []
    if isinstance(paths, (str, Path)):
        paths = [paths]
    rows: list[LabelledSnippet] = []
    for path in paths:
        if Path(path).is_file():
            rows.extend(read_examples(path))
    return rows


# ------------------------------------------------------------------------- metrics


def prf_table(gold: Sequence[str], pred: Sequence[str],
              labels: Sequence[str] = SUB_EVENT_TYPES) -> dict[str, Any]:
    """Per-label precision/recall/F1/support plus micro, macro and weighted F1 and
    accuracy. Macro averages over the labels with gold support (as scikit-learn does
    for labels present in ``gold``)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    per: dict[str, dict[str, float]] = {}
    for label in labels:
        t, f_p, f_n = tp[label], fp[label], fn[label]
        precision = t / (t + f_p) if t + f_p else 0.0
        recall = t / (t + f_n) if t + f_n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label] = {"precision": precision, "recall": recall, "f1": f1, "support": t + f_n}
    supported = [label for label in labels if per[label]["support"]]
    total = sum(per[label]["support"] for label in supported)
    n_tp, n_fp, n_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro_p = n_tp / (n_tp + n_fp) if n_tp + n_fp else 0.0
    micro_r = n_tp / (n_tp + n_fn) if n_tp + n_fn else 0.0
    return {
        "n": len(gold),
        "accuracy": n_tp / len(gold) if gold else 0.0,
        "micro_f1": 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0,
        "macro_f1": (sum(per[label]["f1"] for label in supported) / len(supported)
                     if supported else 0.0),
        "weighted_f1": (sum(per[label]["f1"] * per[label]["support"] for label in supported)
                        / total if total else 0.0),
        "per_label": per,
    }


def score(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Sub-event type scores plus accuracy over the 6 event types."""
    result = prf_table(gold, pred)
    events_gold = [event_type_of(g) for g in gold]
    events_pred = [event_type_of(p) for p in pred]
    agree = sum(g == p for g, p in zip(events_gold, events_pred, strict=True))
    result["event_type_accuracy"] = agree / len(gold) if gold else 0.0
    return result


def stratified_folds(rows: Sequence[LabelledSnippet], k: int,
                     seed: int = FOLD_SEED) -> list[int]:
    """A fold number (0..k-1) for each row: per label, rows in id order are shuffled with
    a fixed seed and dealt round-robin, continuing where the previous label stopped."""
    if k < 2:
        raise InputError("E106", where="--folds", detail="need at least 2 folds.")
    rng = np.random.default_rng(seed)
    fold = [0] * len(rows)
    by_label: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_label.setdefault(row.label, []).append(i)
    offset = 0
    for label in sorted(by_label):
        members = sorted(by_label[label], key=lambda i: (rows[i].id, rows[i].text))
        for j, position in enumerate(rng.permutation(len(members))):
            fold[members[int(position)]] = (offset + j) % k
        offset += len(members)
    return fold


# ---------------------------------------------------------------------- evaluation


# (text, label) or (text, label, weight) examples -> object with .predict
Trainer = Callable[[Sequence[tuple[Any, ...]]], Any]


def _default_trainer(examples: Sequence[tuple[Any, ...]]) -> Any:
    from ..events.classify import train

    return train(examples)


def cross_validate(
    rows: Sequence[LabelledSnippet], extra: Sequence[LabelledSnippet] = (), *,
    folds: int = DEFAULT_FOLDS, seed: int = FOLD_SEED, trainer: Trainer | None = None,
    extra_weight: float | None = None,
) -> list[str]:
    """Held-out predictions for every row: K models, each trained on the other folds plus
    ``extra`` (always in training, each with weight ``extra_weight``; default
    ``TrainConfig().example_weight``, as the training script uses)."""
    from ..events.classify import TrainConfig

    trainer = trainer or _default_trainer
    if extra_weight is None:
        extra_weight = TrainConfig().example_weight
    assignment = stratified_folds(rows, folds, seed)
    predictions: list[str | None] = [None] * len(rows)
    for fold in range(folds):
        # (text, label) pairs, then (text, label, weight) for the extra examples
        train_rows: list[tuple[Any, ...]] = [
            (r.text, r.label) for r, f in zip(rows, assignment, strict=True) if f != fold
        ]
        train_rows += [(r.text, r.label, extra_weight) for r in extra]
        model = trainer(train_rows)
        held = [i for i, f in enumerate(assignment) if f == fold]
        for i, label in zip(held, model.predict([rows[i].text for i in held]), strict=True):
            predictions[i] = label
    return [p for p in predictions if p is not None]


def evaluate_classify(
    *, data_dir: str | Path | None = None, folds: int = DEFAULT_FOLDS,
    examples_path: str | Path | Sequence[str | Path] | None = EXAMPLE_PATHS,
    model: Any = None,
    trainer: Trainer | None = None,
) -> dict[str, Any]:
    """Cross-validated, shipped-model and rules-only scores on the development rows.

    Returns ``{"cross_validated": row, "shipped": row, "rules": row, "n", "folds",
    "examples", "snippets_per_s"}``; each row as :func:`score` returns it."""
    from ..events.classify import classify_rules, get_classifier

    rows = load_dev(data_dir)
    extra = read_all_examples(examples_path)
    gold = [r.label for r in rows]
    results: dict[str, Any] = {"n": len(rows), "folds": folds, "examples": len(extra)}
    began = time.perf_counter()
    results["cross_validated"] = score(
        gold, cross_validate(rows, extra, folds=folds, trainer=trainer))
    results["cross_validated"]["seconds"] = time.perf_counter() - began
    shipped = model if model is not None else get_classifier()
    shipped.predict(["Fighting was reported in the town."])  # warm up
    began = time.perf_counter()
    predicted = shipped.predict([r.text for r in rows])
    elapsed = time.perf_counter() - began
    results["shipped"] = score(gold, predicted)
    results["snippets_per_s"] = len(rows) / elapsed if elapsed > 0 else None
    results["rules"] = score(gold, [classify_rules(r.text) for r in rows])
    return results


# A publication date for the snippets, which have none (they come from 2019-2021 news).
END_TO_END_PUBLISHED = "2020-06-15"


def evaluate_end_to_end(
    *, data_dir: str | Path | None = None, settings: Any = None, limit: int | None = None,
    published: str | None = END_TO_END_PUBLISHED,
) -> dict[str, Any]:
    """The whole extractor on the development snippets, each fed as a one-paragraph
    article with a publication date, as a feed gives them: per ACLED event type of the
    gold label, how many snippets gave any event, one of the gold event type, one of the
    gold sub-event type. A recall measure on real news paragraphs written by others: the
    snippets' places are real or replaced by invented names, and an event needs a place,
    so no system reaches 100 here. (The news model, ``tools/train_reported.py``, learns
    from these snippets too: its part is in-sample.)

    Returns ``{"n", "seconds", "rows": {event type or "all": {"n", "any", "type",
    "sub"}}}``."""
    from ..events.taxonomy import event_type_of
    from ..pipeline import extract_articles
    from ..types import Article

    rows = load_dev(data_dir)
    if limit:
        rows = rows[:limit]
    articles = [Article(id=f"case:{r.id}", text=r.text, published=published) for r in rows]
    began = time.perf_counter()
    extracted = extract_articles(articles, settings=settings)
    table: dict[str, dict[str, int]] = {}
    for row, extraction in zip(rows, extracted, strict=True):
        kind = event_type_of(row.label)
        for key in (kind, "all"):
            cell = table.setdefault(key, {"n": 0, "any": 0, "type": 0, "sub": 0})
            cell["n"] += 1
            cell["any"] += bool(extraction.events)
            cell["type"] += any(e.event_type == kind for e in extraction.events)
            cell["sub"] += any(e.sub_event_type == row.label for e in extraction.events)
    return {"n": len(rows), "seconds": time.perf_counter() - began,
            "rows": dict(sorted(table.items(), key=lambda kv: (kv[0] == "all", kv[0])))}


def format_end_to_end(results: dict[str, Any]) -> str:
    """Markdown: per gold event type, the snippets with an event, the type, the sub-type."""
    lines = ["| gold event type (end to end) | snippets | any event | its event type | "
             "its sub-event type |", "|---|---:|---:|---:|---:|"]
    for kind, cell in results["rows"].items():
        n = cell["n"]
        lines.append(f"| {kind} | {n} | " + " | ".join(
            f"{_pct(cell[k] / n)} ({cell[k]})" for k in ("any", "type", "sub")) + " |")
    lines.append("")
    lines.append(f"{results['n']} snippets, {results['seconds']:.1f} s.")
    return "\n".join(lines)


# --------------------------------------------------------------------------- output


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def format_table(results: dict[str, Any]) -> str:
    """Markdown: the summary of the three settings, then per-class P/R/F1 (cross-validated)."""
    head = ["setting", "n", "weighted F1", "micro F1", "macro F1", "event-type acc"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * 5) + "|"]
    names = {
        "cross_validated": f"cross-validated ({results['folds']} folds)",
        "shipped": "shipped model (trained on these rows)",
        "rules": "rules only (cue lexicon)",
    }
    for key, name in names.items():
        row = results[key]
        lines.append("| " + " | ".join([
            name, str(row["n"]), _pct(row["weighted_f1"]), _pct(row["micro_f1"]),
            _pct(row["macro_f1"]), _pct(row["event_type_accuracy"]),
        ]) + " |")
    speed = results.get("snippets_per_s")
    lines.append("")
    lines.append(f"{results['examples']} project examples in every training fold; shipped "
                 f"model speed {speed:,.0f} snippets/s." if speed else "")
    lines.append("")
    lines.append("| sub-event type (cross-validated) | support | P | R | F1 |")
    lines.append("|---|---:|---:|---:|---:|")
    per = results["cross_validated"]["per_label"]
    for label in SUB_EVENT_TYPES:
        p = per[label]
        lines.append(f"| {label} | {p['support']} | {_pct(p['precision'])} | "
                     f"{_pct(p['recall'])} | {_pct(p['f1'])} |")
    return "\n".join(lines)
