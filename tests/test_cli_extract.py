"""``rearguard extract`` on files and JSON Lines, its formats and its errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from rearguard.cli import cli
from rearguard.types import ACLED_COLUMNS

from .helpers import write_file, write_jsonl

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples/shirqat-2016-11-06.txt")
MOGADISHU = (ROOT / "tests/data/articles/mogadishu-2019-12-28.txt").read_text()
MARKETS = (ROOT / "tests/data/articles/markets-2018-05-02.txt").read_text()


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_json_for_one_file(settings) -> None:
    result = _run("extract", EXAMPLE, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"article", "events", "control"}
    assert {c["kind"] for c in data["control"]} >= {"retaken", "captured", "claimed"}
    for record in data["control"]:
        for evidence in record["evidence"]:
            assert evidence["text"]  # verbatim spans, checked in detail by the golden tests
    assert data["article"]["published"] == "2016-11-06"  # from the file name
    assert len(data["events"]) >= 4
    assert all(e["country"] == "Iraq" for e in data["events"])


def test_published_option_wins_and_is_checked(settings, tmp_path: Path) -> None:
    path = write_file(tmp_path, "report.txt", MOGADISHU)
    result = _run("extract", str(path), "--published", "2019-12-29")
    assert json.loads(result.output)["events"][0]["event_date"] == "2019-12-28"
    bad = _run("extract", str(path), "--published", "28/12/2019")
    assert bad.exit_code == 1
    assert "E112" in bad.output and "YYYY-MM-DD" in bad.output
    assert "Traceback" not in bad.output and len(bad.output.strip().splitlines()) == 1


def test_jsonl_keeps_order_and_ids(settings, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path,
        {"id": "b", "text": MARKETS, "published": "2018-05-02"},
        {"id": "a", "text": MOGADISHU, "published": "2019-12-28", "source": "wire"},
    )
    result = _run("extract", "--input", str(path), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["article"]["id"] for line in lines] == ["b", "a"]
    assert lines[0]["events"] == []
    assert lines[1]["events"][0]["source"] == "wire"
    assert lines[1]["events"][0]["article_ids"] == ["a"]


def test_bad_lines_stop_or_are_reported(settings, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path,
        {"id": "ok", "text": MOGADISHU, "published": "2019-12-28"},
        "{not json",
        {"id": "late", "text": MOGADISHU, "published": "28 Dec 2019"},
    )
    stopped = _run("extract", "--input", str(path))
    assert stopped.exit_code == 1 and "in.jsonl:2" in stopped.output
    assert "Traceback" not in stopped.output
    kept = _run("extract", "--input", str(path), "--keep-going")
    assert kept.exit_code == 2  # finished, but two lines failed
    lines = [json.loads(line) for line in kept.output.splitlines() if line.startswith("{")]
    assert lines[0]["article"]["id"] == "ok"
    assert lines[1] == {"id": None, "line": 2, "error": lines[1]["error"]}
    assert lines[2]["id"] is None and lines[2]["line"] == 3
    assert "published" in lines[2]["error"]


def test_csv_starts_with_acled_columns(settings) -> None:
    result = _run("extract", EXAMPLE, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.output)))
    assert tuple(rows[0][:31]) == ACLED_COLUMNS
    assert rows[0][31:] == ["injured", "captured", "claimed_by", "rear_area",
                            "rear_area_reason", "front", "front_distance_km", "confidence",
                            "article_ids"]
    assert len(rows) >= 5
    assert all(row[ACLED_COLUMNS.index("country")] == "Iraq" for row in rows[1:])


def test_geojson_is_a_feature_collection(settings) -> None:
    result = _run("extract", EXAMPLE, "--format", "geojson")
    data = json.loads(result.output)
    assert data["type"] == "FeatureCollection"
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point"
        assert 38 < lon < 49 and 29 < lat < 38  # Iraq, longitude first (RFC 7946)
        assert feature["properties"]["latitude"] == lat


def test_missing_file_is_one_line(settings) -> None:
    result = _run("extract", "no-such-file.txt")
    assert result.exit_code == 1
    assert result.output.strip().startswith("rearguard: error: [E101]")


def test_source_option_places_events_by_the_publishers_home(tmp_path: Path, settings) -> None:
    path = write_file(tmp_path, "sinjar-2017-03-06.txt",
                      "Airstrikes killed five civilians in Sinjar on Monday.\n")
    plain = json.loads(_run("extract", str(path), "--format", "json").output)
    sohr = json.loads(_run("extract", str(path), "--source", "SOHR", "--format", "json").output)
    assert [e["country"] for e in plain["events"]] == ["Iraq"]
    assert [e["country"] for e in sohr["events"]] == ["Syria"]
    assert sohr["article"]["source"] == "SOHR"
