"""The resolver trainer's confidence calibration (tools/train_resolver.py)."""

from __future__ import annotations

from rearguard.geo.resolve import calibrated

from ..helpers import load_tool


def _trainer():
    return load_tool("train_resolver")


def test_certain_readings_do_not_lift_the_probabilities_below_them() -> None:
    """900 readings at probabilities 0.90-0.99 of which 90% are right, and 300 at exactly
    1.0, all right: a reading at 0.98 is right about 90% of the time, not 98%."""
    results = {"news": [(0.90 + 0.01 * (i % 10), (i // 10) % 10 != 0) for i in range(900)]
               + [(1.0, True)] * 300 + [(0.3 + 0.001 * i, i % 2 == 0) for i in range(200)]}
    knots = [tuple(k) for k in _trainer().fit_calibration(results)]
    assert abs(calibrated(0.98, knots) - 0.9) < 0.02
    assert calibrated(1.0, knots) == 1.0
    assert abs(calibrated(0.35, knots) - 0.5) < 0.05
    ys = [y for _, y in knots]
    assert ys == sorted(ys)  # monotone


def test_auroc_counts_pairs_ranked_right_and_ties_as_half() -> None:
    auroc = _trainer().auroc
    assert auroc([(0.9, True), (0.8, True), (0.3, False)]) == 1.0
    assert auroc([(0.2, True), (0.8, False)]) == 0.0
    assert auroc([(0.5, True), (0.5, False), (0.5, True)]) == 0.5
    # one right reading above the wrong one, one tied with it: (1 + 0.5) / 2
    assert auroc([(0.9, True), (0.4, True), (0.4, False)]) == 0.75
    assert auroc([(0.9, True)]) is None  # no wrong reading: nothing to rank


def test_logistic_weights_are_in_the_features_own_units() -> None:
    """Data drawn from P(right) = sigmoid(-1 + 2 x) with x on a scale of hundreds: the fit
    returns about that slope per unit of x (standardising is internal), and ignores a
    constant column."""
    import numpy as np

    trainer = _trainer()
    x_values = np.linspace(-300, 300, 2001)
    p = 1 / (1 + np.exp(-(-1 + 2 * x_values / 100)))
    # expected counts: each x once as right with weight p, once as wrong with weight 1 - p,
    # approximated by repeating rows in proportion
    rows, labels = [], []
    for x, prob in zip(x_values, p, strict=True):
        k = round(prob * 20)
        rows += [[1.0, x, 7.0]] * 20
        labels += [1.0] * k + [0.0] * (20 - k)
    w = trainer.fit_logistic(np.array(rows), np.array(labels), l2=1e-6)
    assert abs(w[1] - 0.02) < 0.002 and abs(w[0] - -1) < 0.1
    assert w[2] == 0.0


def test_confidence_model_ranks_and_stays_calibrated() -> None:
    """Readings whose probability alone says nothing (all at 0.99) but whose kind does (a
    country 70% right, a town with a stated container 98%, a bare town 55%): the learned
    confidence separates them, several levels, each near its share of right readings."""
    trainer = _trainer()
    from rearguard.geo.resolve import CONFIDENCE_FEATURES

    n = len(CONFIDENCE_FEATURES)
    country, container = (CONFIDENCE_FEATURES.index("reading_code_PCLI"),
                          CONFIDENCE_FEATURES.index("reading_container"))
    rows = []
    for i in range(3000):
        values = [0.0] * n
        values[0], values[1] = 1.0, 4.6  # bias, logit of p = 0.99
        kind = i % 3
        if kind == 0:
            values[country], right = 1.0, (i // 3) % 10 < 7
        elif kind == 1:
            values[container], right = 1.0, (i // 3) % 50 != 0
        else:
            right = (i // 3) % 20 < 11
        rows.append((f"doc{i // 7}", values, right))
    model = trainer.fit_confidence(rows)
    by_kind = [model(rows[k][1]) for k in range(3)]
    assert abs(by_kind[0] - 0.70) < 0.05
    assert abs(by_kind[1] - 0.98) < 0.03
    assert abs(by_kind[2] - 0.55) < 0.05
    ys = [y for _, y in model.calibration]
    assert ys == sorted(ys)
