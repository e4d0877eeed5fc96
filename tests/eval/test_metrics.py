"""Metrics (haversine, distance scores, span P/R/F1) and evaluate_geocode with fake geocoders."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from rearguard.eval import geocode as geocode_mod
from rearguard.eval.geocode import evaluate_geocode, format_table
from rearguard.eval.metrics import (
    MAX_ERROR_KM,
    auc,
    haversine_km,
    score_distances,
    span_prf,
    trapz,
)
from rearguard.types import Place

# ------------------------------------------------------------------ haversine


def test_haversine_baghdad_mosul() -> None:
    km = haversine_km(33.3152, 44.3661, 36.3400, 43.1300)
    assert 350 <= km <= 400


def test_haversine_zero_symmetric_and_antipodal() -> None:
    assert haversine_km(10.0, 20.0, 10.0, 20.0) == 0.0
    a = haversine_km(51.5074, -0.1278, 48.8566, 2.3522)  # London-Paris ~ 344 km
    assert a == pytest.approx(haversine_km(48.8566, 2.3522, 51.5074, -0.1278))
    assert 340 < a < 348
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088, rel=1e-9)
    assert haversine_km(90, 0, -90, 0) < MAX_ERROR_KM


# ----------------------------------------------------------- score_distances


def test_trapz_unit_spacing() -> None:
    assert trapz([]) == 0.0
    assert trapz([3.0]) == 0.0
    assert trapz([0.0, 1.0, 2.0]) == pytest.approx(2.0)


def test_score_distances_hand_computed() -> None:
    s = score_distances([0.0, 100.0, 200.0, None])
    assert s["n"] == 4 and s["unresolved"] == 1
    assert s["acc161"] == pytest.approx(0.5)
    assert s["acc25"] == pytest.approx(0.25)
    assert s["mean_km"] == pytest.approx((0 + 100 + 200 + 20039) / 4)
    assert s["median_km"] == pytest.approx(150.0)
    ln101, ln201, ln20040 = math.log(101), math.log(201), math.log(20040)
    expected = (ln101 + ln201 + ln20040 / 2) / (math.log(20039) * 3)
    assert s["auc"] == pytest.approx(expected)


def test_score_distances_threshold_inclusive() -> None:
    s = score_distances([161.0, 161.5, 25.0])
    assert s["acc161"] == pytest.approx(2 / 3)
    assert s["acc25"] == pytest.approx(1 / 3)


def test_score_distances_empty_and_single() -> None:
    empty = score_distances([])
    assert empty["n"] == 0
    assert all(empty[k] is None for k in ("acc161", "acc25", "mean_km", "median_km", "auc"))
    one = score_distances([50.0])
    assert one["n"] == 1 and one["acc161"] == 1.0 and one["median_km"] == 50.0
    assert one["auc"] == pytest.approx(math.log(51) / math.log(20039))
    miss = score_distances([None])
    assert miss["acc161"] == 0.0 and miss["auc"] == pytest.approx(1.0)


def test_auc_bounds_and_order() -> None:
    assert auc([0.0, 0.0, 0.0]) == 0.0
    assert auc([MAX_ERROR_KM] * 5) == pytest.approx(1.0)
    good = auc([1.0, 5.0, 10.0, 50.0])
    bad = auc([100.0, 500.0, 1000.0, 5000.0])
    assert good is not None and bad is not None
    assert 0.0 <= good < bad <= 1.0
    assert auc([5.0, 1.0, 10.0]) == auc([1.0, 5.0, 10.0])  # order-free
    assert auc([]) is None


# ------------------------------------------------------------------- span_prf


def test_span_prf_exact() -> None:
    gold = {(0, 5), (10, 15), (20, 25)}
    pred = {(0, 5), (10, 14), (30, 35)}
    r = span_prf(gold, pred)
    assert (r["tp"], r["fp"], r["fn"]) == (1, 2, 2)
    assert r["precision"] == pytest.approx(1 / 3)
    assert r["recall"] == pytest.approx(1 / 3)
    assert r["f1"] == pytest.approx(1 / 3)


def test_span_prf_loose_counts_overlap_once() -> None:
    gold = {(0, 5), (10, 15), (20, 25)}
    pred = {(0, 5), (10, 14), (12, 16), (30, 35)}
    r = span_prf(gold, pred, loose=True)
    assert (r["tp"], r["fp"], r["fn"]) == (2, 2, 1)  # (12,16) cannot reuse gold (10,15)
    touching = span_prf({(0, 5)}, {(5, 9)}, loose=True)
    assert touching["tp"] == 0  # end-exclusive spans that only touch do not overlap


def test_span_prf_empty() -> None:
    r = span_prf(set(), set())
    assert r == {"tp": 0, "fp": 0, "fn": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert span_prf({(0, 1)}, set())["recall"] == 0.0


# ---------------------------------------------------- evaluate_geocode (fake)

_LGL = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <text><![CDATA[Fighting in Mosul and Baghdad today.]]></text>
    <toponyms>
      <toponym><start>12</start><end>17</end><phrase>Mosul</phrase>
        <gaztag geonameid="99072"><lat>36.335</lat><lon>43.1189</lon></gaztag></toponym>
      <toponym><start>22</start><end>29</end><phrase>Baghdad</phrase>
        <gaztag geonameid="98182"><lat>33.3406</lat><lon>44.4009</lon></gaztag></toponym>
    </toponyms>
  </article>
  <article docid="2">
    <text><![CDATA[Nothing happened in Erbil.]]></text>
    <toponyms>
      <toponym><start>20</start><end>25</end><phrase>Erbil</phrase>
        <gaztag geonameid="95446"><lat>36.19</lat><lon>44.01</lon></gaztag></toponym>
    </toponyms>
  </article>
</articles>
"""

_COORDS = {"Mosul": (36.34, 43.13), "Baghdad": (33.3152, 44.3661), "Erbil": (36.34, 43.13)}


def _fake_spans(text: str, spans: list[tuple[int, int]], *, settings: object = None) -> list[Place]:
    out = []
    for start, end in spans:
        lat, lon = _COORDS.get(text[start:end], (None, None))
        out.append(Place(start, end, text[start:end], latitude=lat, longitude=lon))
    return out


def _fake_text(text: str, *, settings: object = None) -> list[Place]:
    found = []
    for name, (lat, lon) in _COORDS.items():
        pos = text.find(name)
        if pos >= 0:
            found.append(Place(pos, pos + len(name), name, latitude=lat, longitude=lon))
    found.append(Place(0, 8, text[:8]))  # a false positive, unresolved
    return found


@pytest.fixture()
def fake_dir(tmp_path: Path) -> Path:
    (tmp_path / "lgl.xml").write_text(_LGL, encoding="utf-8")
    return tmp_path


def test_evaluate_geocode_with_fake_geocoders(fake_dir: Path) -> None:
    res = evaluate_geocode(
        ["lgl"], data_dir=fake_dir, span_geocoder=_fake_spans, text_geocoder=_fake_text
    )
    lgl = res["lgl"]
    assert lgl["n"] == 3 and lgl["docs"] == 2
    assert lgl["acc161"] == 1.0  # Erbil placed at Mosul: ~80 km off
    assert lgl["acc25"] == pytest.approx(2 / 3)
    e2e = lgl["e2e"]
    assert (e2e["tp"], e2e["fp"], e2e["fn"]) == (3, 2, 0)
    assert e2e["n_found"] == 3
    assert res["all"]["n"] == 3
    table = format_table(res)
    assert table.splitlines()[0].startswith("| corpus | n | Acc@161")
    assert "| lgl | 3 |" in table and "| all | 3 |" in table


def test_evaluate_geocode_gold_span_only_via_monkeypatch(
    fake_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unresolved(text: str, spans: list[tuple[int, int]], *, settings: object = None):
        return [Place(s, e, text[s:e]) for s, e in spans]

    monkeypatch.setattr(geocode_mod, "_geocoders", lambda: (unresolved, _fake_text))
    res = evaluate_geocode(["lgl", "lgl"], data_dir=fake_dir, end_to_end=False, limit=1)
    assert res["lgl"]["n"] == 2 and res["lgl"]["unresolved"] == 2
    assert res["lgl"]["acc161"] == 0.0 and "e2e" not in res["lgl"]
    assert res["all"]["n"] == 4  # micro-average over every corpus run
    assert "–" in format_table(res)  # no end-to-end columns


def test_evaluate_geocode_rejects_misaligned_output(fake_dir: Path) -> None:
    with pytest.raises(ValueError, match="returned 0 places"):
        evaluate_geocode(
            ["lgl"], data_dir=fake_dir, end_to_end=False,
            span_geocoder=lambda text, spans, settings=None: [],
        )
