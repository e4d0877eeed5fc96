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
from typing import Any

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


Span = tuple[int, int]


def match_spans(gold: Iterable[Span], pred: Iterable[Span]) -> list[tuple[Span, Span]]:
    """One-to-one matching of overlapping spans: ``(gold, pred)`` pairs, sorted by gold.

    A predicted span matches a gold span it overlaps (end-exclusive: spans that only touch
    do not); each gold and each predicted span is used at most once, and the number of
    pairs is as large as possible (augmenting paths, so an early gold span cannot take the
    only partner of a later one). Among equally large matchings, each gold span prefers an
    exact match, then the largest overlap."""
    golds = sorted(set(gold))
    preds = sorted(set(pred))

    def options(g: Span) -> list[int]:
        cands = [i for i, p in enumerate(preds) if _overlaps(g, p)]
        return sorted(cands, key=lambda i: (preds[i] != g,
                                            -(min(g[1], preds[i][1]) - max(g[0], preds[i][0]))))

    owner = max_matching([options(g) for g in golds])  # pred index -> gold index
    return sorted((golds[gi], preds[pi]) for pi, gi in owner.items())


def max_matching(adjacency: Sequence[Sequence[int]]) -> dict[int, int]:
    """A maximum bipartite matching by augmenting paths: ``adjacency[i]`` lists the right
    nodes left node ``i`` may take, in order of preference; returns right -> left."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adjacency[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(adjacency)):
        augment(i, set())
    return owner


def _loose_tp(gold: set[Span], pred: set[Span]) -> int:
    """The number of one-to-one matches of overlapping spans (:func:`match_spans`)."""
    return len(match_spans(gold, pred))


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


# ------------------------------------------------------------------ calibration

#: Confidence bins of the reliability table: [lo, hi), the last one closed (0.9-1.0).
CONFIDENCE_BINS: tuple[tuple[float, float], ...] = (
    (0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.0),
)


def reliability_table(
    observations: Iterable[tuple[float, bool]],
    bins: Sequence[tuple[float, float]] = CONFIDENCE_BINS,
) -> dict[str, Any]:
    """Confidence against correctness: ``observations`` are ``(confidence, correct)``.

    Each bin is ``[lo, hi)`` except the last, which also holds ``hi`` (a confidence of
    1.0 falls in 0.9-1.0). Returns ``{"n", "ece", "auroc", "bins": [{"lo", "hi", "n",
    "mean_confidence", "accuracy"}]}`` where accuracy is the share correct (None in an
    empty bin), ``ece`` the expected calibration error, sum over bins of
    n_bin / n * |accuracy - mean confidence| (None with no observations), and ``auroc``
    how well confidence ranks (:func:`auroc`): a confidence can be calibrated yet say
    nothing about which reading is right. A confidence outside every bin raises
    ValueError."""
    observations = list(observations)
    counts = [0] * len(bins)
    conf_sum = [0.0] * len(bins)
    correct = [0] * len(bins)
    for confidence, ok in observations:
        index = _bin_index(float(confidence), bins)
        counts[index] += 1
        conf_sum[index] += float(confidence)
        correct[index] += bool(ok)
    total = sum(counts)
    rows: list[dict[str, float | int | None]] = []
    ece = 0.0
    for (lo, hi), n, csum, ok_n in zip(bins, counts, conf_sum, correct, strict=True):
        mean = csum / n if n else None
        accuracy = ok_n / n if n else None
        if n:
            ece += n / total * abs(ok_n / n - csum / n)
        rows.append({"lo": lo, "hi": hi, "n": n, "mean_confidence": mean,
                     "accuracy": accuracy})
    return {"n": total, "ece": ece if total else None, "auroc": auroc(observations),
            "bins": rows}


def auroc(observations: Iterable[tuple[float, bool]]) -> float | None:
    """The area under the ROC curve of confidence against correctness: the chance that a
    right reading drawn at random has a higher confidence than a wrong one (ties count
    half); 0.5 is no ranking at all. None without both right and wrong readings."""
    scored = sorted((float(c), bool(ok)) for c, ok in observations)
    right = sum(ok for _, ok in scored)
    wrong = len(scored) - right
    if not right or not wrong:
        return None
    # the rank-sum (Mann-Whitney U) form, with tied confidences given their mean rank
    rank_sum = 0.0
    i = 0
    while i < len(scored):
        j = i
        while j < len(scored) and scored[j][0] == scored[i][0]:
            j += 1
        mean_rank = (i + 1 + j) / 2
        rank_sum += mean_rank * sum(ok for _, ok in scored[i:j])
        i = j
    return (rank_sum - right * (right + 1) / 2) / (right * wrong)


def _bin_index(confidence: float, bins: Sequence[tuple[float, float]]) -> int:
    last = len(bins) - 1
    for index, (lo, hi) in enumerate(bins):
        if lo <= confidence < hi or (index == last and confidence == hi):
            return index
    raise ValueError(f"confidence {confidence} is outside the bins {bins[0][0]}-{bins[-1][1]}")


def expected_calibration_error(
    observations: Iterable[tuple[float, bool]],
    bins: Sequence[tuple[float, float]] = CONFIDENCE_BINS,
) -> float | None:
    """Expected calibration error of ``(confidence, correct)`` pairs over ``bins``."""
    ece = reliability_table(observations, bins)["ece"]
    return None if ece is None else float(ece)
