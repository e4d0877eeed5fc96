"""Overlap matching, the reliability table and ECE on hand-made inputs; evaluate_geocode's
overlap columns, combined TR-News + LGL row and reliability with fake geocoders; a small
real run of ``rearguard eval geocode``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rearguard.cli import cli
from rearguard.eval.geocode import evaluate_geocode, format_reliability, format_table
from rearguard.eval.metrics import (
    CONFIDENCE_BINS,
    auroc,
    expected_calibration_error,
    match_spans,
    reliability_table,
    span_prf,
)
from rearguard.types import Place

from .test_metrics import _LGL

# --------------------------------------------------------------- overlap matching


def test_match_spans_one_found_span_cannot_match_two_gold_spans() -> None:
    gold = [(0, 5), (6, 10)]
    pairs = match_spans(gold, [(0, 10)])  # "Mosul Iraq" found as one span
    assert len(pairs) == 1
    r = span_prf(set(gold), {(0, 10)}, loose=True)
    assert (r["tp"], r["fp"], r["fn"]) == (1, 0, 1)


def test_match_spans_one_gold_span_cannot_match_two_found_spans() -> None:
    pairs = match_spans([(0, 10)], [(0, 4), (5, 10)])
    assert pairs == [((0, 10), (0, 4))] or pairs == [((0, 10), (5, 10))]
    r = span_prf({(0, 10)}, {(0, 4), (5, 10)}, loose=True)
    assert (r["tp"], r["fp"], r["fn"]) == (1, 1, 0)


def test_match_spans_finds_the_largest_matching() -> None:
    # A greedy pass in order would give gold (0,20) the found span (1,16), leaving
    # gold (15,30) with nothing; the best matching pairs both.
    gold = [(0, 20), (15, 30)]
    found = [(1, 16), (2, 5)]
    assert match_spans(gold, found) == [((0, 20), (2, 5)), ((15, 30), (1, 16))]
    assert span_prf(set(gold), set(found), loose=True)["tp"] == 2


def test_match_spans_prefers_exact_then_larger_overlap_and_ignores_touching() -> None:
    assert match_spans([(10, 15)], [(8, 12), (10, 15), (11, 16)]) == [((10, 15), (10, 15))]
    assert match_spans([(10, 20)], [(5, 12), (12, 19)]) == [((10, 20), (12, 19))]
    assert match_spans([(0, 5)], [(5, 9)]) == []
    assert match_spans([], [(0, 1)]) == [] and match_spans([(0, 1)], []) == []


# ----------------------------------------------------------- reliability and ECE


def test_reliability_bins_edges_and_counts() -> None:
    obs = [(0.0, False), (0.1, False), (0.2, True), (0.39, False), (0.8, True),
           (0.85, False), (0.9, True), (1.0, True)]
    table = reliability_table(obs)
    assert [(b["lo"], b["hi"]) for b in table["bins"]] == list(CONFIDENCE_BINS)
    assert [b["n"] for b in table["bins"]] == [2, 2, 0, 0, 2, 2]  # 0.2 in 0.2-0.4, 1.0 last
    assert table["n"] == 8
    second = table["bins"][1]
    assert second["mean_confidence"] == pytest.approx((0.2 + 0.39) / 2)
    assert second["accuracy"] == pytest.approx(0.5)
    assert table["bins"][2]["accuracy"] is None and table["bins"][2]["mean_confidence"] is None
    assert table["bins"][5]["accuracy"] == 1.0


def test_ece_hand_computed() -> None:
    obs = [(0.1, False), (0.1, True), (0.95, True), (0.95, True), (0.95, True), (0.95, False)]
    # bin 0-0.2: conf 0.1, acc 0.5 -> |0.4| * 2/6 ; bin 0.9-1: conf 0.95, acc 0.75 -> 0.2 * 4/6
    expected = 0.4 * 2 / 6 + 0.2 * 4 / 6
    assert reliability_table(obs)["ece"] == pytest.approx(expected)
    assert expected_calibration_error(obs) == pytest.approx(expected)
    perfect = [(0.95, True)] * 19 + [(0.95, False)]
    assert expected_calibration_error(perfect) == pytest.approx(0.0)
    assert expected_calibration_error([]) is None


def test_reliability_rejects_confidence_outside_the_bins() -> None:
    with pytest.raises(ValueError, match="outside"):
        reliability_table([(1.2, True)])
    with pytest.raises(ValueError, match="outside"):
        reliability_table([(-0.1, True)])


def test_format_reliability_rows_and_ece() -> None:
    table = reliability_table([(0.1, False), (0.95, True)])
    text = format_reliability({"news": table, "ucdp": table})
    lines = text.splitlines()
    assert len(lines) == 2 + len(CONFIDENCE_BINS) + 2
    assert lines[2].startswith("| 0.0–0.2 | 1 | 0.10 | 0.0 | 1 | 0.10 | 0.0 |")
    assert lines[-2].startswith("| ECE | 2 |")
    assert lines[-1] == "| AUROC |  |  | 1.00 |  |  | 1.00 |"


def test_auroc_hand_computed() -> None:
    # right readings at 0.9, 0.6, 0.6; wrong at 0.6, 0.3: of the 6 (right, wrong) pairs,
    # 0.9 beats both, each 0.6 beats 0.3 and ties 0.6: (2 + 1.5 + 1.5) / 6
    obs = [(0.9, True), (0.6, True), (0.6, True), (0.6, False), (0.3, False)]
    assert auroc(obs) == pytest.approx(5 / 6)
    assert reliability_table(obs)["auroc"] == pytest.approx(5 / 6)
    # calibrated but blind: one confidence for every reading ranks nothing
    assert auroc([(0.7, True)] * 7 + [(0.7, False)] * 3) == pytest.approx(0.5)
    assert auroc([(0.2, False), (0.9, True)]) == 1.0
    assert auroc([(0.9, False), (0.2, True)]) == 0.0
    assert auroc([(0.5, True)]) is None and auroc([]) is None


# ------------------------------------------------- evaluate_geocode, fake geocoders

# One article of test_metrics' corpus: Mosul and Baghdad at their GeoNames points.
_XML = _LGL.split("  <article docid=\"2\">")[0] + "</articles>\n"
MOSUL, BAGHDAD, FAR = (36.34, 43.13), (33.3152, 44.3661), (48.85, 2.35)


def _spans(text: str, spans: list[tuple[int, int]], *, settings: object = None) -> list[Place]:
    """Mosul right with confidence 0.95, Baghdad placed in Paris with confidence 0.5."""
    out = []
    for start, end in spans:
        name = text[start:end]
        (lat, lon), conf = (MOSUL, 0.95) if name == "Mosul" else (FAR, 0.5)
        out.append(Place(start, end, name, latitude=lat, longitude=lon, confidence=conf))
    return out


def _text(text: str, *, settings: object = None) -> list[Place]:
    """'in Mosul' (overlaps the gold span, right place), 'Baghdad' (exact span, wrong
    place) and 'Fighting' (a false place, unresolved)."""
    return [
        Place(9, 17, text[9:17], latitude=MOSUL[0], longitude=MOSUL[1]),
        Place(22, 29, text[22:29], latitude=FAR[0], longitude=FAR[1]),
        Place(0, 8, text[0:8]),
    ]


@pytest.fixture()
def two_corpora(tmp_path: Path) -> Path:
    (tmp_path / "lgl.xml").write_text(_XML, encoding="utf-8")
    (tmp_path / "TR-News.xml").write_text(_XML, encoding="utf-8")
    return tmp_path


def test_overlap_columns_combined_row_and_reliability(two_corpora: Path) -> None:
    res = evaluate_geocode(["trnews", "lgl"], data_dir=two_corpora, span_geocoder=_spans,
                           text_geocoder=_text)
    assert list(res) == ["trnews", "lgl", "trnews+lgl", "all"]
    e2e = res["lgl"]["e2e"]
    assert (e2e["tp"], e2e["fp"], e2e["fn"]) == (1, 2, 1)  # exact: only Baghdad
    assert e2e["acc161_found"] == 0.0  # Baghdad, in Paris
    overlap = e2e["overlap"]
    assert (overlap["tp"], overlap["fp"], overlap["fn"]) == (2, 1, 0)
    assert overlap["precision"] == pytest.approx(2 / 3) and overlap["recall"] == 1.0
    assert overlap["acc161_found"] == pytest.approx(0.5)  # Mosul right, Baghdad wrong
    assert overlap["acc161_of_gold"] == pytest.approx(0.5)
    both = res["trnews+lgl"]
    assert both["n"] == 4 and both["docs"] == 2
    assert (both["e2e"]["overlap"]["tp"], both["e2e"]["overlap"]["fp"]) == (4, 2)
    rel = res["all"]["reliability"]
    assert rel["n"] == 4
    assert rel["bins"][2]["n"] == 2 and rel["bins"][2]["accuracy"] == 0.0  # 0.5: Baghdad
    assert rel["bins"][5]["n"] == 2 and rel["bins"][5]["accuracy"] == 1.0  # 0.95: Mosul
    assert rel["ece"] == pytest.approx(0.5 * 0.5 + 0.5 * 0.05)
    table = format_table(res)
    assert "| trnews+lgl | 4 |" in table
    assert table.splitlines()[0].endswith("| P ovl | R ovl | F1 ovl | Acc@161 found ovl |")
    lgl_row = next(line for line in table.splitlines() if line.startswith("| lgl |"))
    assert lgl_row.split("|")[12:16] == [" 66.7 ", " 100.0 ", " 80.0 ", " 50.0 "]


def test_no_combined_row_without_both_corpora(two_corpora: Path) -> None:
    res = evaluate_geocode(["lgl"], data_dir=two_corpora, span_geocoder=_spans,
                           text_geocoder=_text)
    assert list(res) == ["lgl", "all"]


# ---------------------------------------------------------------- the real command


def test_eval_geocode_command_small_real_run(settings, shared_dir) -> None:
    if not (shared_dir / "eval" / "geoparsing-news" / "TR-News.xml").is_file():
        pytest.skip("no geoparsing-news in ../shared/eval")
    if not (shared_dir / "eval" / "ucdp-ged-syria" / "ged_syria_dev.csv").is_file():
        pytest.skip("no ucdp-ged-syria in ../shared/eval")
    base = ["--gazetteer", str(settings.gazetteer_path), "eval", "geocode", "trnews", "lgl",
            "--data", str(shared_dir / "eval"), "--limit", "3"]
    result = CliRunner().invoke(cli, [*base, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data["news"]) == ["trnews", "lgl", "trnews+lgl", "all"]
    both = data["news"]["trnews+lgl"]
    assert both["docs"] == 6 and both["n"] == data["news"]["trnews"]["n"] + data["news"]["lgl"]["n"]
    overlap = both["e2e"]["overlap"]
    assert overlap["tp"] >= both["e2e"]["tp"]  # an exact match is an overlap
    assert 0.0 < overlap["precision"] <= 1.0 and 0.0 < overlap["recall"] <= 1.0
    names = data["ucdp"]["names"]
    assert names["names"] == 3 and names["events"] >= 3
    assert data["ucdp"]["headlines"]["headlines"] == 3
    assert set(data["reliability"]) == {"news", "ucdp names"}
    assert data["reliability"]["news"]["n"] == both["n"] - both["unresolved"]

    text = CliRunner().invoke(cli, [*base, "--no-ucdp"], catch_exceptions=False).stdout
    assert "| trnews+lgl |" in text and "UCDP" not in text
    assert "| ECE |" in text
