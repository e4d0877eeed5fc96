"""``rearguard classify`` and ``rearguard eval classify`` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import Result

from .helpers import run
from .helpers import write_file as _write
from .helpers import write_jsonl as _jsonl

GRENADE = "Unknown attackers threw a grenade at a police checkpoint, wounding two officers."
PROTEST = "Hundreds of teachers marched peacefully to the ministry to demand their salaries."


pytestmark = pytest.mark.usefixtures("clean_environment")



def _one_error_line(result: Result, code: str) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"[{code}]" in lines[0], result.stderr
    return lines[0]


def test_jsonl_round_trip(tmp_path):
    path = _jsonl(tmp_path, {"id": "a", "text": GRENADE}, {"id": 7, "text": PROTEST})
    result = run("classify", "--input", str(path))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a", "7"]
    assert set(records[0]) == {"id", "event_type", "sub_event_type", "disorder_type",
                               "confidence"}
    assert records[0]["sub_event_type"] == "Grenade"
    assert records[0]["event_type"] == "Explosions/Remote violence"
    assert records[1]["sub_event_type"] == "Peaceful protest"
    assert records[1]["disorder_type"] == "Demonstrations"


def test_json_format(tmp_path):
    path = _jsonl(tmp_path, {"id": "a", "text": GRENADE})
    result = run("classify", "--input", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["sub_event_type"] == "Grenade"


def test_bad_line_stops_with_one_line_naming_it(tmp_path):
    path = _jsonl(tmp_path, {"id": "a", "text": GRENADE}, "{not json", {"id": "c", "text": PROTEST})
    line = _one_error_line(run("classify", "--input", str(path)), "E105")
    assert "in.jsonl:2" in line


def test_keep_going_writes_an_error_record(tmp_path):
    path = _jsonl(tmp_path, {"id": "a", "text": GRENADE}, {"id": "b"}, "[1, 2]",
                  {"id": "d", "text": PROTEST})
    result = run("classify", "--input", str(path), "--keep-going")
    assert result.exit_code == 2, result.output  # finished, but two lines failed
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a", None, None, "d"]
    assert records[1]["line"] == 2 and "[E106]" in records[1]["error"]
    assert records[2]["line"] == 3


def test_missing_input_file(tmp_path):
    _one_error_line(run("classify", "--input", str(tmp_path / "nope.jsonl")), "E101")


def test_missing_and_corrupt_model(tmp_path):
    path = _jsonl(tmp_path, {"id": "a", "text": GRENADE})
    line = _one_error_line(
        run("classify", "--input", str(path), "--model", str(tmp_path / "none.json")), "E601")
    assert "train_classifier.py" in line
    bad = _write(tmp_path, "bad.json", "{\"format\": 1")
    _one_error_line(run("classify", "--input", str(path), "--model", str(bad)), "E602")


def test_input_is_required():
    result = run("classify")
    assert result.exit_code == 2


def test_eval_classify_missing_data(tmp_path):
    _one_error_line(run("eval", "classify", "--data", str(tmp_path)), "E501")


def test_eval_classify_end_to_end_counts_what_the_extractor_found(tmp_path):
    # a CASE 2021 task 2 file of three real snippets (development half; the first two are
    # coded by the extractor, the third has no place it can find)
    rows = [
        "id\tEventSnippet\tSubType",
        "1\tIraqi security forces arrested three members of Islamic State (ISIS) in Nineveh "
        "province\tARREST",
        "2\tBoko Haram militants have attacked three villages in north-eastern Nigeria, "
        "leaving 30 people dead and 20 wounded, according to vigilantes.\tATTACK",
        "3\tthe police seized seven illegal firearms and over 200 rounds of ammunition in "
        "separate incidents\tDISR_WEAP",
        "4\tFloods swept away two bridges.\tNATURAL_DISASTER",
    ]
    folder = tmp_path / "case2021-task2"
    folder.mkdir()
    (folder / "dev_labeled.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("eval", "classify", "--end-to-end", "--json", "--data", str(tmp_path))
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["n"] == 3  # the non-ACLED label is not scored
    assert found["rows"]["all"] == {"n": 3, "any": 2, "type": 2, "sub": 2}
    assert found["rows"]["Strategic developments"] == {"n": 2, "any": 1, "type": 1, "sub": 1}
