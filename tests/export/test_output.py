"""Where output goes: standard output, paths; and the coded errors."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

from rearguard.errors import Errors, InputError, RearguardError
from rearguard.export import FORMATS, csv_text, read_events, write_events

from .strategies import events, make_event

EVENTS = [make_event(latitude=36.3, longitude=43.1), make_event(event_id_cnty="IRQ2")]


def test_csv_to_stdout(capsys) -> None:
    assert write_events(EVENTS, "csv", "-") == 2
    assert capsys.readouterr().out == csv_text(EVENTS)


def test_jsonl_and_geojson_to_stdout(capsys) -> None:
    write_events(EVENTS, "jsonl", "-")
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["event_id_cnty"] for line in lines] == ["IRQ1", "IRQ2"]
    assert write_events(EVENTS, "geojson", "-") == 1
    assert len(json.loads(capsys.readouterr().out)["features"]) == 1


def test_default_output_is_stdout(capsys) -> None:
    write_events(EVENTS[:1], "jsonl")
    assert json.loads(capsys.readouterr().out)["event_id_cnty"] == "IRQ1"


def test_read_from_stdin(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(csv_text(EVENTS)))
    assert list(read_events("-", "csv")) == EVENTS


def test_parquet_to_stdout_is_a_coded_error(capsys) -> None:
    with pytest.raises(InputError) as error:
        write_events(EVENTS, "parquet", "-")
    assert error.value.code == "E141"
    assert capsys.readouterr().out == ""
    with pytest.raises(InputError):
        list(read_events("-", "parquet"))


def test_missing_pyarrow_is_a_coded_error(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes 'import pyarrow' fail
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(RearguardError) as error:
        write_events(EVENTS, "parquet", tmp_path / "x.parquet")
    assert error.value.code == "E140"
    assert "parquet" in error.value.message and "pyarrow" in error.value.message
    assert "E140" in vars(Errors)


def test_unknown_format() -> None:
    with pytest.raises(InputError) as error:
        write_events(EVENTS, "xlsx", "-")
    assert error.value.code == "E144" and "parquet" in error.value.message
    with pytest.raises(InputError):
        read_events("x", "shp")


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_file(fmt: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        list(read_events(tmp_path / "nope", fmt))
    assert error.value.code == "E101"


def test_bad_input_lines_are_coded(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(EVENTS[0].to_dict()) + "\n{oops\n", encoding="utf-8")
    reader = read_events(path, "jsonl")
    assert next(reader) == EVENTS[0]
    with pytest.raises(InputError) as error:
        next(reader)
    assert error.value.code == "E105" and "bad.jsonl:2" in error.value.message
    path.write_text('{"event_id_cnty": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError) as error:
        list(read_events(path, "jsonl"))
    assert error.value.code == "E106" and "actor1" in error.value.message
    path.write_text(csv_text(EVENTS).replace(",2016,", ",twenty,"), encoding="utf-8")
    with pytest.raises(InputError) as error:
        list(read_events(path, "csv"))
    assert error.value.code == "E106" and "year" in error.value.message
    path.write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(InputError):
        list(read_events(path, "geojson"))
    path.write_bytes(b"not parquet")
    with pytest.raises(InputError) as error:
        list(read_events(path, "parquet"))
    assert error.value.code == "E108"


@settings(max_examples=200, deadline=None)
@given(event=events())
def test_to_dict_is_asdict_without_its_deep_copies(event) -> None:
    """Event.to_dict builds the dict itself (asdict's deep copies were a third of the store
    writer's time): the same keys, order, values and JSON."""
    import dataclasses

    expected = dataclasses.asdict(event)
    expected["article_ids"] = list(event.article_ids)
    expected["evidence"] = [dataclasses.asdict(e) for e in event.evidence]
    got = event.to_dict()
    assert list(got) == list(expected) and got == expected
    assert json.dumps(got) == json.dumps(expected)
