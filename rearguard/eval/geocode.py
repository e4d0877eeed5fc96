"""Score rearguard's geocoder on the news geoparsing corpora.

Two settings, as in the literature:

* gold-span ("oracle NER"): the geocoder is given the gold toponym spans and resolves each;
  scored with Acc@161, Acc@25, mean/median km and AUC (comparable to published numbers);
* end-to-end: the geocoder finds toponyms itself; scored with exact-span P/R/F1 against
  the gold spans and Acc@161 over the gold toponyms whose exact span it found, and with
  overlap P/R/F1 (a found span that overlaps a gold span counts, one-to-one) and Acc@161
  over the gold toponyms matched that way.

With both TR-News and LGL run, a combined ``trnews+lgl`` row follows (the issue's
headline end-to-end figure). Every row carries the reliability table of the gold-span
run's confidences (resolved places only; correct = within 161 km).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..types import Place
from .corpora import GoldDoc, load_corpus
from .metrics import haversine_km, match_spans, prf, reliability_table, score_distances

SpanGeocoder = Callable[..., list[Place]]  # (text, spans, *, settings) -> list[Place]
TextGeocoder = Callable[..., list[Place]]  # (text, *, settings) -> list[Place]


def _geocoders() -> tuple[SpanGeocoder, TextGeocoder]:
    """The real geocoders, imported only when needed."""
    from ..geo import geocode_spans, geocode_text

    return geocode_spans, geocode_text


@dataclass
class _Tally:
    """Raw per-corpus observations, kept so corpora can be micro-averaged."""

    errors: list[float | None] = field(default_factory=list)
    seconds: float = 0.0
    docs: int = 0
    e2e_tp: int = 0
    e2e_fp: int = 0
    e2e_fn: int = 0
    e2e_errors: list[float | None] = field(default_factory=list)
    e2e_seconds: float = 0.0
    overlap_tp: int = 0
    overlap_fp: int = 0
    overlap_fn: int = 0
    overlap_errors: list[float | None] = field(default_factory=list)
    confidences: list[tuple[float, bool]] = field(default_factory=list)

    def add(self, other: _Tally) -> None:
        self.errors += other.errors
        self.e2e_errors += other.e2e_errors
        self.overlap_errors += other.overlap_errors
        self.confidences += other.confidences
        self.overlap_tp += other.overlap_tp
        self.overlap_fp += other.overlap_fp
        self.overlap_fn += other.overlap_fn
        self.seconds += other.seconds
        self.e2e_seconds += other.e2e_seconds
        self.docs += other.docs
        self.e2e_tp += other.e2e_tp
        self.e2e_fp += other.e2e_fp
        self.e2e_fn += other.e2e_fn


def _error(place: Place | None, lat: float, lon: float) -> float | None:
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return haversine_km(place.latitude, place.longitude, lat, lon)


def _gold_span_doc(doc: GoldDoc, geocoder: SpanGeocoder, settings: Any, tally: _Tally) -> None:
    spans = [(t.start, t.end) for t in doc.toponyms]
    began = time.perf_counter()
    places = list(geocoder(doc.text, spans, settings=settings)) if spans else []
    tally.seconds += time.perf_counter() - began
    if len(places) != len(spans):
        raise ValueError(
            f"{doc.corpus}/{doc.id}: geocode_spans returned {len(places)} places "
            f"for {len(spans)} spans"
        )
    for place, gold in zip(places, doc.toponyms, strict=True):
        error = _error(place, gold.latitude, gold.longitude)
        tally.errors.append(error)
        if error is not None:
            tally.confidences.append((place.confidence, error <= 161.0))


def _end_to_end_doc(doc: GoldDoc, geocoder: TextGeocoder, settings: Any, tally: _Tally) -> None:
    began = time.perf_counter()
    places = list(geocoder(doc.text, settings=settings))
    tally.e2e_seconds += time.perf_counter() - began
    by_span = {(p.start, p.end): p for p in places}
    by_gold = {(t.start, t.end): t for t in doc.toponyms}
    exact = set(by_gold) & set(by_span)
    tally.e2e_tp += len(exact)
    tally.e2e_fp += len(by_span) - len(exact)
    tally.e2e_fn += len(by_gold) - len(exact)
    tally.e2e_errors += [
        _error(by_span[(t.start, t.end)], t.latitude, t.longitude)
        for t in doc.toponyms
        if (t.start, t.end) in by_span
    ]
    pairs = match_spans(by_gold, by_span)
    tally.overlap_tp += len(pairs)
    tally.overlap_fp += len(by_span) - len(pairs)
    tally.overlap_fn += len(by_gold) - len(pairs)
    tally.overlap_errors += [
        _error(by_span[found], by_gold[gold].latitude, by_gold[gold].longitude)
        for gold, found in pairs
    ]


#: The corpora of the issue's headline end-to-end figure, reported together.
COMBINED = ("trnews", "lgl")


def _warm_up(span: SpanGeocoder, text: TextGeocoder | None, settings: Any) -> None:
    """One untimed call each, so loading models and the gazetteer is not timed."""
    sample = "Fighting was reported in Baghdad."
    span(sample, [(25, 32)], settings=settings)
    if text is not None:
        text(sample, settings=settings)


def _row(tally: _Tally, end_to_end: bool) -> dict[str, Any]:
    """The result row of one corpus (or of the micro-average)."""
    row: dict[str, Any] = dict(score_distances(tally.errors))
    row["docs"] = tally.docs
    row["seconds"] = tally.seconds
    row["places_per_s"] = len(tally.errors) / tally.seconds if tally.seconds > 0 else None
    row["reliability"] = reliability_table(tally.confidences)
    if end_to_end:
        found = score_distances(tally.e2e_errors)
        e2e: dict[str, Any] = dict(prf(tally.e2e_tp, tally.e2e_fp, tally.e2e_fn))
        e2e.update(n_found=found["n"], acc161_found=found["acc161"],
                   acc25_found=found["acc25"], seconds=tally.e2e_seconds)
        overlap = score_distances(tally.overlap_errors)
        e2e["overlap"] = dict(prf(tally.overlap_tp, tally.overlap_fp, tally.overlap_fn))
        e2e["overlap"].update(
            n_found=overlap["n"], acc161_found=overlap["acc161"],
            acc25_found=overlap["acc25"],
            # gold toponyms both found (by overlap) and placed within 161 km, of all gold
            acc161_of_gold=(sum(e is not None and e <= 161.0 for e in tally.overlap_errors)
                            / len(tally.errors) if tally.errors else None),
        )
        row["e2e"] = e2e
    return row


def evaluate_geocode(
    corpora: Sequence[str],
    *,
    data_dir: str | Path | None = None,
    settings: Any = None,
    end_to_end: bool = True,
    limit: int | None = None,
    span_geocoder: SpanGeocoder | None = None,
    text_geocoder: TextGeocoder | None = None,
) -> dict[str, dict[str, Any]]:
    """Score the geocoder on each corpus (first ``limit`` documents of each, if given).

    Returns ``{corpus: row}``, then ``'trnews+lgl'`` when both were run, then ``'all'``
    (micro-averages over every toponym). A row has n, unresolved, acc161, acc25, mean_km,
    median_km, auc, docs, seconds, places_per_s, reliability (:func:`reliability_table`
    of the resolved gold-span places: confidence against within 161 km) and, with
    ``end_to_end``, ``e2e``: tp, fp, fn, precision, recall, f1, n_found, acc161_found,
    acc25_found (exact spans), seconds, and ``overlap``: the same counts and shares with
    overlap matching plus acc161_of_gold (gold toponyms found and placed within 161 km).
    Geocoders default to ``rearguard.geo.geocode_spans/_text``."""
    if span_geocoder is None or (end_to_end and text_geocoder is None):
        real_spans, real_text = _geocoders()
        span_geocoder = span_geocoder or real_spans
        text_geocoder = text_geocoder or real_text
    _warm_up(span_geocoder, text_geocoder if end_to_end else None, settings)
    results: dict[str, dict[str, Any]] = {}
    total = _Tally()
    tallies: dict[str, _Tally] = {}
    for name in corpora:
        docs = load_corpus(name, data_dir)
        docs = docs[:limit] if limit is not None else docs
        tally = _Tally(docs=len(docs))
        for doc in docs:
            _gold_span_doc(doc, span_geocoder, settings, tally)
            if end_to_end:
                assert text_geocoder is not None
                _end_to_end_doc(doc, text_geocoder, settings, tally)
        results[name] = _row(tally, end_to_end)
        tallies[name] = tally
        total.add(tally)
    if all(name in tallies for name in COMBINED):
        combined = _Tally()
        for name in COMBINED:
            combined.add(tallies[name])
        results["+".join(COMBINED)] = _row(combined, end_to_end)
    results["all"] = _row(total, end_to_end)
    return results


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _num(value: Any, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def format_table(results: dict[str, dict[str, Any]]) -> str:
    """A Markdown table of :func:`evaluate_geocode` results (accuracies and P/R/F1 in %).

    P, R, F1 and "Acc@161 found" are end to end with exact spans; the "ovl" columns the
    same with overlap matching."""
    head = ["corpus", "n", "Acc@161", "Acc@25", "mean km", "median km", "AUC",
            "P", "R", "F1", "Acc@161 found", "P ovl", "R ovl", "F1 ovl", "Acc@161 found ovl"]
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
    for name, row in results.items():
        e2e = row.get("e2e") or {}
        overlap = e2e.get("overlap") or {}
        cells = [
            name, str(row.get("n", 0)), _pct(row.get("acc161")), _pct(row.get("acc25")),
            _num(row.get("mean_km")), _num(row.get("median_km")), _num(row.get("auc"), 3),
            _pct(e2e.get("precision")), _pct(e2e.get("recall")), _pct(e2e.get("f1")),
            _pct(e2e.get("acc161_found")), _pct(overlap.get("precision")),
            _pct(overlap.get("recall")), _pct(overlap.get("f1")),
            _pct(overlap.get("acc161_found")),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def format_reliability(tables: dict[str, dict[str, Any]]) -> str:
    """Reliability tables side by side: ``{label: reliability_table(...)}`` -> Markdown
    with one row per confidence bin (n, mean confidence, share within 161 km per label)
    and rows of expected calibration errors and of AUROC (how well confidence ranks).
    Labels must share their bins."""
    labels = list(tables)
    head = ["confidence"]
    for label in labels:
        head += [f"{label} n", f"{label} mean conf", f"{label} Acc@161"]
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
    bins = [tables[label]["bins"] for label in labels]
    for index, first in enumerate(bins[0] if bins else []):
        cells = [f"{first['lo']:.1f}–{first['hi']:.1f}"]
        for per_label in bins:
            cell = per_label[index]
            cells += [str(cell["n"]), _num(cell["mean_confidence"], 2), _pct(cell["accuracy"])]
        lines.append("| " + " | ".join(cells) + " |")
    ece = ["ECE"]
    for label in labels:
        ece += [str(tables[label]["n"]), "", _num(tables[label]["ece"], 3)]
    lines.append("| " + " | ".join(ece) + " |")
    ranking = ["AUROC"]
    for label in labels:
        ranking += ["", "", _num(tables[label].get("auroc"), 2)]
    lines.append("| " + " | ".join(ranking) + " |")
    return "\n".join(lines)
