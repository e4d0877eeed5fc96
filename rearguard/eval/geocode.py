"""Score rearguard's geocoder on the news geoparsing corpora.

Two settings, as in the literature:

* gold-span ("oracle NER"): the geocoder is given the gold toponym spans and resolves each;
  scored with Acc@161, Acc@25, mean/median km and AUC (comparable to published numbers);
* end-to-end: the geocoder finds toponyms itself; scored with exact-span P/R/F1 against
  the gold spans, and Acc@161 over the gold toponyms whose exact span it found.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..types import Place
from .corpora import GoldDoc, load_corpus
from .metrics import haversine_km, prf, score_distances, span_prf

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

    def add(self, other: _Tally) -> None:
        self.errors += other.errors
        self.e2e_errors += other.e2e_errors
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
    tally.errors += [_error(p, t.latitude, t.longitude) for p, t in zip(places, doc.toponyms)]


def _end_to_end_doc(doc: GoldDoc, geocoder: TextGeocoder, settings: Any, tally: _Tally) -> None:
    began = time.perf_counter()
    places = list(geocoder(doc.text, settings=settings))
    tally.e2e_seconds += time.perf_counter() - began
    by_span = {(p.start, p.end): p for p in places}
    gold = {(t.start, t.end) for t in doc.toponyms}
    counts = span_prf(gold, set(by_span))
    tally.e2e_tp += int(counts["tp"])
    tally.e2e_fp += int(counts["fp"])
    tally.e2e_fn += int(counts["fn"])
    tally.e2e_errors += [
        _error(by_span[(t.start, t.end)], t.latitude, t.longitude)
        for t in doc.toponyms
        if (t.start, t.end) in by_span
    ]


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
    if end_to_end:
        found = score_distances(tally.e2e_errors)
        e2e: dict[str, Any] = dict(prf(tally.e2e_tp, tally.e2e_fp, tally.e2e_fn))
        e2e.update(n_found=found["n"], acc161_found=found["acc161"],
                   acc25_found=found["acc25"], seconds=tally.e2e_seconds)
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

    Returns ``{corpus: row}`` plus ``'all'`` (micro-average over every toponym). A row has
    n, unresolved, acc161, acc25, mean_km, median_km, auc, docs, seconds, places_per_s and,
    with ``end_to_end``, ``e2e``: tp, fp, fn, precision, recall, f1, n_found, acc161_found,
    acc25_found, seconds. Geocoders default to ``rearguard.geo.geocode_spans/_text``."""
    if span_geocoder is None or (end_to_end and text_geocoder is None):
        real_spans, real_text = _geocoders()
        span_geocoder = span_geocoder or real_spans
        text_geocoder = text_geocoder or real_text
    _warm_up(span_geocoder, text_geocoder if end_to_end else None, settings)
    results: dict[str, dict[str, Any]] = {}
    total = _Tally()
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
        total.add(tally)
    results["all"] = _row(total, end_to_end)
    return results


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _num(value: Any, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def format_table(results: dict[str, dict[str, Any]]) -> str:
    """A Markdown table of :func:`evaluate_geocode` results (accuracies and P/R/F1 in %)."""
    head = ["corpus", "n", "Acc@161", "Acc@25", "mean km", "median km", "AUC",
            "P", "R", "F1", "Acc@161 found"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * 10) + "|"]
    for name, row in results.items():
        e2e = row.get("e2e") or {}
        cells = [
            name, str(row.get("n", 0)), _pct(row.get("acc161")), _pct(row.get("acc25")),
            _num(row.get("mean_km")), _num(row.get("median_km")), _num(row.get("auc"), 3),
            _pct(e2e.get("precision")), _pct(e2e.get("recall")), _pct(e2e.get("f1")),
            _pct(e2e.get("acc161_found")),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
