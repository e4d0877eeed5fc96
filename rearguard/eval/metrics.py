"""Geocoding and span metrics used in the geoparsing literature (no numpy needed).

Distance metrics follow Gritta et al. 2018 ("Which Melbourne?"): accuracy within 161 km
(100 miles), mean and median error in km, and the AUC of the sorted log-error curve.
An unresolved prediction (``None``) counts as :data:`MAX_ERROR_KM` (20,039 km, about half
the Earth's circumference) in every distance metric.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence

from ..geo.distance import haversine_km  # noqa: F401  (part of this module's API)

MAX_ERROR_KM = 20039.0


def trapz(values: Sequence[float]) -> float:
    """Trapezoid-rule integral of ``values`` sampled at unit spacing (like numpy.trapz)."""
    return sum((values[i] + values[i + 1]) / 2 for i in range(len(values) - 1))


def auc(errors_km: Iterable[float]) -> float | None:
    """Area under the sorted ln(1+km) curve, normalised to [0, 1]; lower is better.

    trapz(sorted ln(1+e)) / (ln(MAX_ERROR_KM) * (n-1)). With one error the curve has no
    width, so its normalised log error is returned; with none, None. Capped at 1.0 (an
    all-unresolved list would otherwise give ln(20040)/ln(20039))."""
    logs = sorted(math.log1p(min(max(e, 0.0), MAX_ERROR_KM)) for e in errors_km)
    if not logs:
        return None
    if len(logs) == 1:
        return min(1.0, logs[0] / math.log(MAX_ERROR_KM))
    return min(1.0, trapz(logs) / (math.log(MAX_ERROR_KM) * (len(logs) - 1)))


def score_distances(errors_km: Sequence[float | None]) -> dict[str, float | int | None]:
    """Acc@161, Acc@25 (shares, 0-1), mean/median km and AUC over per-toponym errors.

    ``None`` is an unresolved prediction: a miss, counted as 20,039 km. Keys: n,
    unresolved, acc161, acc25, mean_km, median_km, auc (all None but n/unresolved if n=0)."""
    n = len(errors_km)
    unresolved = sum(e is None for e in errors_km)
    if n == 0:
        return {"n": 0, "unresolved": 0, "acc161": None, "acc25": None,
                "mean_km": None, "median_km": None, "auc": None}
    km = [MAX_ERROR_KM if e is None else float(e) for e in errors_km]
    return {
        "n": n,
        "unresolved": unresolved,
        "acc161": sum(e is not None and e <= 161.0 for e in errors_km) / n,
        "acc25": sum(e is not None and e <= 25.0 for e in errors_km) / n,
        "mean_km": sum(km) / n,
        "median_km": statistics.median(km),
        "auc": auc(km),
    }


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _loose_tp(gold: set[tuple[int, int]], pred: set[tuple[int, int]]) -> int:
    """One-to-one matches of overlapping spans (greedy, exact matches first)."""
    exact = gold & pred
    free_pred = sorted(pred - exact)
    tp = len(exact)
    for g in sorted(gold - exact):
        for i, p in enumerate(free_pred):
            if _overlaps(g, p):
                tp += 1
                del free_pred[i]
                break
    return tp


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall and F1 from counts (0.0 where a denominator is zero)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def span_prf(
    gold: set[tuple[int, int]], pred: set[tuple[int, int]], *, loose: bool = False
) -> dict[str, float | int]:
    """Span precision/recall/F1. Exact match by default; ``loose`` counts an overlap
    as a match (each gold and predicted span matched at most once)."""
    gold, pred = set(gold), set(pred)
    tp = _loose_tp(gold, pred) if loose else len(gold & pred)
    return prf(tp, len(pred) - tp, len(gold) - tp)
