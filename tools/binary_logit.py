"""The binary logistic regression the small trainers share (roles, news vs background).

Examples are sets of feature names; the model is one weight per name of ``vocab``, fitted
by Newton's method with an L2 penalty (none on "bias"). Deterministic: no random start, no
sampling, a fixed number of steps at most.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np


def vocabulary(feature_sets: Sequence[Sequence[str]], min_count: int) -> list[str]:
    """Feature names seen in at least ``min_count`` examples, and "bias", sorted."""
    counts = Counter(f for feats in feature_sets for f in feats)
    return sorted(f for f, n in counts.items() if n >= min_count or f == "bias")


def fit(feature_sets: Sequence[Sequence[str]], labels: Sequence[int], vocab: list[str],
        l2: float, *, iterations: int, tolerance: float) -> np.ndarray:
    """Weights over ``vocab`` (same order)."""
    index = {f: i for i, f in enumerate(vocab)}
    x = np.zeros((len(feature_sets), len(vocab)))
    for row, feats in enumerate(feature_sets):
        for f in feats:
            if f in index:
                x[row, index[f]] = 1.0
    y = np.array(labels, dtype=float)
    w = np.zeros(len(vocab))
    penalty = np.full(len(vocab), l2)
    penalty[index["bias"]] = 1e-6
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < tolerance:
            break
    return w


def rounded(vocab: list[str], w: np.ndarray) -> dict[str, float]:
    """The weights as shipped: five decimals, near-zero ones left out."""
    return {f: round(float(v), 5) for f, v in zip(vocab, w, strict=True) if abs(v) >= 1e-5}
