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
