"""``rearguard geocode`` and ``rearguard gazetteer search`` through click's CliRunner.

Errors must be one line on standard error with exit status 1 and never a traceback. Only a
few tests here need the real gazetteer and spaCy model (``cli_gazetteer``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import Result

from rearguard.settings import load_settings

from .helpers import run
from .helpers import write_file as _write
from .helpers import write_jsonl as _jsonl

SHIRQAT = "Daesh assaulted Shirqat in Salahuddin province on Sunday."


@pytest.fixture(scope="module")
def cli_gazetteer() -> str:
    """A built gazetteer index (REARGUARD_TEST_GAZETTEER, else the user data directory one,
    which ``open_gazetteer`` builds on first use)."""
    env = os.environ.get("REARGUARD_TEST_GAZETTEER")
    path = str(Path(env).resolve()) if env else str(load_settings().gazetteer_path)
    # Build (or rebuild a stale index) here, quietly, so that no progress bar lands on the
    # standard error the tests below inspect.
    from rearguard.geo import open_gazetteer

    open_gazetteer(load_settings(gazetteer=path), show_progress=False)
    return path


pytestmark = pytest.mark.usefixtures("clean_environment")



def _one_error_line(result: Result, code: str, exit_code: int = 1) -> str:
    """The result is a clean failure: exit status, one stderr line with the code, no traceback."""
    assert result.exit_code == exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"rearguard: error: [{code}] "), lines[0]
    return lines[0]






# --- failures that need neither the gazetteer nor spaCy -----------------------------------


def test_no_input() -> None:
    result = run("geocode")
    assert result.exit_code != 0
    line = _one_error_line(result, "E109")
    assert "--input" in line
    assert result.stdout == ""


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    result = run("geocode", str(path))
    line = _one_error_line(result, "E101")
    assert str(path) in line
    assert result.stdout == ""


def test_binary_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "blob.bin", b"GIF89a\x00\x01\x00\x00\xff")
    line = _one_error_line(run("geocode", str(path)), "E103")
    assert str(path) in line


def test_non_utf8_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "latin1.txt", "Attack near Mosul caf\xe9.".encode("latin-1"))
    line = _one_error_line(run("geocode", str(path)), "E104")
    assert str(path) in line
    assert "byte 21" in line


def test_empty_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "empty.txt", b"")
    line = _one_error_line(run("geocode", str(path)), "E102")
    assert str(path) in line


def test_keep_going_over_bad_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    empty = _write(tmp_path, "empty.txt", b"")
    result = run("geocode", "--keep-going", str(missing), str(empty))
    assert result.exit_code == 2  # went on past both, and both failed
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("rearguard: error: [E101] ") and str(missing) in lines[0]
    assert lines[1].startswith("rearguard: error: [E102] ") and str(empty) in lines[1]


def test_input_missing(tmp_path: Path) -> None:
    path = tmp_path / "nope.jsonl"
    line = _one_error_line(run("geocode", "--input", str(path)), "E101")
    assert str(path) in line


def test_input_empty(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.jsonl", "\n\n")
    _one_error_line(run("geocode", "--input", str(path)), "E102")


def test_input_bad_line_stops(tmp_path: Path) -> None:
    # Line 1 is blank (skipped but counted), so the bad line is line 2.
    path = _jsonl(tmp_path, "", "{not json", {"id": "a", "text": SHIRQAT})
    result = run("geocode", "--input", str(path))
    line = _one_error_line(result, "E105")
    assert f"{path}:2:" in line
    assert result.stdout == ""


def test_input_bad_span_stops(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, {"id": "a", "text": "Mosul.", "spans": [{"start": 0, "end": 50}]})
    line = _one_error_line(run("geocode", "--input", str(path)), "E107")
    assert f"{path}:1:" in line and "0-50" in line


@pytest.mark.parametrize("value", ["2", "-0.5"])
def test_min_confidence_out_of_range(tmp_path: Path, value: str) -> None:
    path = _write(tmp_path, "a.txt", SHIRQAT)
    result = run("geocode", "--min-confidence", value, str(path))
    line = _one_error_line(result, "E401")
    assert "min_confidence" in line
    assert result.stdout == ""


def test_min_confidence_not_a_number(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", SHIRQAT)
    result = run("geocode", "--min-confidence", "high", str(path))
    assert result.exit_code == 2  # click usage error
    assert "Traceback" not in result.output


def test_bad_env_setting_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REARGUARD_MAX_CANDIDATES", "lots")
    path = _write(tmp_path, "a.txt", SHIRQAT)
    line = _one_error_line(run("geocode", str(path)), "E401")
    assert "max_candidates" in line


def test_unknown_option_is_usage_error() -> None:
    result = run("geocode", "--no-such-option")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# --- with the real gazetteer and spaCy pipeline ------------------------------------------


def test_keep_going_jsonl(tmp_path: Path, cli_gazetteer: str) -> None:
    text = "Fighting near Kirkuk yesterday."
    rows = [
        {"id": "a", "text": SHIRQAT},
        "this is not json",
        {"id": 7, "text": text, "spans": [{"start": 14, "end": 20}]},
        {"id": "d", "text": text, "spans": [{"start": 14, "end": 99}]},
        {"id": "e", "text": "   "},
    ]
    path = _jsonl(tmp_path, *rows)

    stopped = run("--gazetteer", cli_gazetteer, "geocode", "--input", str(path))
    line = _one_error_line(stopped, "E105")
    assert f"{path}:2:" in line
    first = [json.loads(x) for x in stopped.stdout.splitlines()]
    assert [r["id"] for r in first] == ["a"]  # the good line before it was written

    result = run("--gazetteer", cli_gazetteer, "geocode", "--input", str(path), "--keep-going")
    assert result.exit_code == 2, result.output  # finished, with failed lines
    assert "Traceback" not in result.output
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(out) == len(rows)
    a, bad, c, d, e = out
    assert set(a) == {"id", "places", "focus", "relative"} and a["id"] == "a"
    assert any(p["text"] == "Shirqat" for p in a["places"])
    assert set(bad) == {"id", "line", "error"}
    assert bad["id"] is None and bad["line"] == 2 and bad["error"].startswith("[E105] ")
    assert c["id"] == "7" and [(p["start"], p["end"]) for p in c["places"]] == [(14, 20)]
    assert c["places"][0]["name"] == "Kirkuk"
    assert d == {"id": None, "line": 4, "error": d["error"]}
    assert d["error"].startswith("[E107] ") and f"{path}:4:" in d["error"]
    assert e["id"] is None and e["line"] == 5 and e["error"].startswith("[E110] ")


def test_input_with_spans(tmp_path: Path, cli_gazetteer: str) -> None:
    text = "Clashes in Mosul and Kirkuk yesterday, then Erbil."
    words = ["Mosul", "Kirkuk", "yesterday", "Erbil"]
    spans = [(text.index(w), text.index(w) + len(w)) for w in words]
    path = _jsonl(tmp_path, {"id": "s", "text": text,
                             "spans": [{"start": s, "end": e} for s, e in spans]})
    result = run("--gazetteer", cli_gazetteer, "geocode", "--input", str(path))
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(x) for x in result.stdout.splitlines()]
    places = record["places"]
    assert [(p["start"], p["end"]) for p in places] == spans
    assert [p["text"] for p in places] == words
    by_word = dict(zip(words, places, strict=True))
    assert by_word["yesterday"]["latitude"] is None
    assert by_word["yesterday"]["longitude"] is None
    for word in ("Mosul", "Kirkuk", "Erbil"):
        assert by_word[word]["country_code"] == "IQ", by_word[word]
        assert by_word[word]["latitude"] is not None


def test_input_without_spans_finds_shirqat(tmp_path: Path, cli_gazetteer: str) -> None:
    path = _jsonl(tmp_path, {"id": "x", "text": SHIRQAT})
    result = run("--gazetteer", cli_gazetteer, "geocode", "--input", str(path))
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert record["id"] == "x"
    places = record["places"]
    texts = [p["text"] for p in places]
    assert "Daesh" not in texts
    (shirqat,) = [p for p in places if p["text"] == "Shirqat"]
    assert SHIRQAT[shirqat["start"]:shirqat["end"]] == "Shirqat"
    assert abs(shirqat["latitude"] - 35.517) < 0.1
    assert abs(shirqat["longitude"] - 43.228) < 0.1


def test_file_format_json(tmp_path: Path, cli_gazetteer: str) -> None:
    path = _write(tmp_path, "shirqat.txt", SHIRQAT + "\n")
    result = run("--gazetteer", cli_gazetteer, "geocode", "--format", "json", str(path))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    record = json.loads(result.stdout)
    assert isinstance(record, dict)
    assert record["id"] == str(path)
    assert isinstance(record["places"], list)
    assert "Shirqat" in [p["text"] for p in record["places"]]
    assert "Daesh" not in [p["text"] for p in record["places"]]


def test_gazetteer_search(cli_gazetteer: str) -> None:
    result = run("--gazetteer", cli_gazetteer, "gazetteer", "search", "Kirkuk", "--country", "IQ")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines and "Kirkuk" in lines[0]
    assert all("Iraq" in x for x in lines), lines  # --country IQ keeps only Iraqi places
    assert result.stderr == ""


def test_source_option_and_source_field_set_the_focus(tmp_path: Path, cli_gazetteer: str
                                                      ) -> None:
    """A publisher given on the command line or in a JSON Lines record is a hint to the
    focus: the same text's Sinjar is Iraqi alone and Syrian from the Syrian Observatory."""
    text = "Clashes erupted near Sinjar overnight, and regime aircraft struck the town."
    path = _write(tmp_path, "sinjar.txt", text + "\n")

    def sinjar(output: str) -> dict:
        (place,) = [p for p in json.loads(output)["places"] if p["text"] == "Sinjar"]
        return place

    alone = run("--gazetteer", cli_gazetteer, "geocode", "--format", "json", str(path))
    sohr = run("--gazetteer", cli_gazetteer, "geocode", "--format", "json",
               "--source", "SOHR", str(path))
    assert alone.exit_code == 0 and sohr.exit_code == 0, alone.output + sohr.output
    assert sinjar(alone.stdout)["country_code"] == "IQ"
    assert sinjar(sohr.stdout)["country_code"] == "SY"
    assert json.loads(sohr.stdout)["focus"][0]["country_code"] == "SY"
    lines = _jsonl(tmp_path, {"id": "a", "text": text},
                   {"id": "b", "text": text, "url": "https://www.sana.sy/en/?p=1"})
    records = [json.loads(x) for x in
               run("--gazetteer", cli_gazetteer, "geocode", "--input", str(lines)).stdout
               .splitlines()]
    assert [r["focus"][0]["country_code"] for r in records] == ["IQ", "SY"]
