"""Reading user input: text files, JSON Lines records and dates, with coded one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from rearguard.errors import InputError, RearguardError
from rearguard.io import Record, iter_jsonl, parse_date, read_text_file

from .helpers import write_file as _write
from .helpers import write_jsonl as _jsonl


def _expect(item: Record | InputError, code: str) -> InputError:
    assert isinstance(item, InputError), f"expected {code}, got {item!r}"
    assert item.code == code, item.message
    assert item.message.startswith(f"[{code}] ")
    assert "\n" not in item.message
    return item


# --- read_text_file -----------------------------------------------------------------------


def test_read_text_file_normal(tmp_path: Path) -> None:
    text = "Daesh assaulted Shirqat in Salahuddin province on Sunday.\nSecond line — é.\n"
    path = _write(tmp_path, "a.txt", text)
    assert read_text_file(path) == text
    assert read_text_file(str(path)) == text


def test_read_text_file_missing(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError) as info:
        read_text_file(path)
    err = info.value
    assert err.code == "E101"
    assert isinstance(err, RearguardError) and isinstance(err, ValueError)
    assert str(path) in err.message
    assert err.message == f"[E101] {path}: file not found. Check the path."
    assert str(err) == err.message


@pytest.mark.parametrize(
    "name,data,code",
    [
        ("empty.txt", b"", "E102"),
        ("blob.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E103"),
        ("blank.txt", b" \n\t \r\n  ", "E110"),
    ],
    ids=["empty", "binary", "whitespace-only"],
)
def test_read_text_file_unusable(tmp_path: Path, name: str, data: bytes, code: str) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(InputError) as info:
        read_text_file(path)
    assert info.value.code == code
    assert str(path) in info.value.message


def test_read_text_file_latin1(tmp_path: Path) -> None:
    data = "Fighting in Mosul caf\xe9 today".encode("latin-1")
    path = _write(tmp_path, "latin1.txt", data)
    with pytest.raises(InputError) as info:
        read_text_file(path)
    err = info.value
    assert err.code == "E104"
    assert err.details["position"] == data.index(b"\xe9") == 21
    assert str(path) in err.message
    assert "(byte 21)" in err.message
    assert "iconv" in err.message


def test_read_text_file_bom_stripped(tmp_path: Path) -> None:
    path = _write(tmp_path, "bom.txt", b"\xef\xbb\xbfKirkuk is quiet.")
    text = read_text_file(path)
    assert text == "Kirkuk is quiet."
    assert not text.startswith("\ufeff")


def test_read_text_file_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_text_file(tmp_path)
    assert info.value.code == "E108"
    assert str(tmp_path) in info.value.message


# --- iter_jsonl ---------------------------------------------------------------------------


def test_iter_jsonl_good_records_in_order(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "Fighting in Mosul."},
        {"id": "b", "text": "Shelling near Kirkuk.", "published": "2016-11-06"},
        {"id": "c", "text": "Calm in Erbil."},
    ]
    records = list(iter_jsonl(_jsonl(tmp_path, *rows)))
    assert all(isinstance(r, Record) for r in records)
    assert [r.id for r in records] == ["a", "b", "c"]
    assert [r.line for r in records] == [1, 2, 3]
    assert [r.text for r in records] == [row["text"] for row in rows]
    assert records[1].data == rows[1]
    assert all(r.spans is None for r in records)


def test_iter_jsonl_not_json(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, {"id": "a", "text": "Mosul."}, "this is not json",
                  {"id": "c", "text": "Erbil."})
    items = list(iter_jsonl(path))
    assert len(items) == 3
    assert isinstance(items[0], Record) and isinstance(items[2], Record)
    err = _expect(items[1], "E105")
    assert err.message.startswith(f"[E105] {path}:2: not valid JSON")
    assert err.details["where"] == f"{path}:2"


def test_iter_jsonl_json_but_not_object(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, ["a", "b"], "42", '"text"')
    items = list(iter_jsonl(path))
    assert len(items) == 3
    for number, item in enumerate(items, start=1):
        err = _expect(item, "E106")
        assert f"{path}:{number}:" in err.message
        assert "JSON object" in err.message


def test_iter_jsonl_no_text(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, {"id": "a"}, {"id": "b", "text": 7}, {"id": "c", "text": None})
    items = list(iter_jsonl(path))
    assert len(items) == 3
    for number, item in enumerate(items, start=1):
        err = _expect(item, "E106")
        assert f"{path}:{number}:" in err.message
        assert '"text"' in err.message


def test_iter_jsonl_empty_text(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, {"id": "a", "text": ""}, {"id": "b", "text": "  \n "})
    items = list(iter_jsonl(path))
    assert len(items) == 2
    assert f"{path}:1:" in _expect(items[0], "E110").message
    assert f"{path}:2:" in _expect(items[1], "E110").message


def test_iter_jsonl_ids(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, {"id": 17, "text": "Mosul."}, {"text": "Erbil."},
                  {"id": "x-1", "text": "Kirkuk."})
    records = list(iter_jsonl(path))
    assert [r.id for r in records] == ["17", "2", "x-1"]
    assert all(isinstance(r.id, str) for r in records)


@pytest.mark.parametrize("bad_id", [1.5, True, None, ["a"], {"a": 1}])
def test_iter_jsonl_bad_id(tmp_path: Path, bad_id: object) -> None:
    (item,) = iter_jsonl(_jsonl(tmp_path, {"id": bad_id, "text": "Mosul."}))
    assert '"id"' in _expect(item, "E106").message


def test_iter_jsonl_spans(tmp_path: Path) -> None:
    text = "Fighting near Kirkuk and Mosul."
    spans = [{"start": 14, "end": 20}, {"start": 25, "end": 30}]
    path = _jsonl(tmp_path, {"id": "a", "text": text, "spans": spans},
                  {"id": "b", "text": text, "spans": []},
                  {"id": "c", "text": text, "spans": None})
    a, b, c = iter_jsonl(path, with_spans=True)
    assert isinstance(a, Record) and a.spans == ((14, 20), (25, 30))
    assert [text[s:e] for s, e in a.spans] == ["Kirkuk", "Mosul"]
    assert isinstance(b, Record) and b.spans == ()
    assert isinstance(c, Record) and c.spans is None
    # Without with_spans the spans are not read (nor checked).
    (a2, _b2, _c2) = iter_jsonl(path)
    assert isinstance(a2, Record) and a2.spans is None


@pytest.mark.parametrize(
    "span", [(0, 40), (-1, 3), (5, 5), (6, 2), (31, 32)], ids=str
)
def test_iter_jsonl_span_outside_text(tmp_path: Path, span: tuple[int, int]) -> None:
    text = "Fighting near Kirkuk and Mosul."  # 31 characters
    start, end = span
    path = _jsonl(tmp_path, {"id": "a", "text": text,
                             "spans": [{"start": 0, "end": 8}, {"start": start, "end": end}]})
    (item,) = iter_jsonl(path, with_spans=True)
    err = _expect(item, "E107")
    assert err.message == (f"[E107] {path}:1: span {start}-{end} lies outside the text "
                           f"(length {len(text)}).")


def test_iter_jsonl_span_outside_text_ignored_without_spans(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, {"id": "a", "text": "Mosul.", "spans": [{"start": 0, "end": 99}]})
    (item,) = iter_jsonl(path)
    assert isinstance(item, Record)


@pytest.mark.parametrize(
    "spans",
    [
        "0-5",
        {"start": 0, "end": 5},
        [[0, 5]],
        [{"start": 0}],
        [{"end": 5}],
        [{"start": "0", "end": 5}],
        [{"start": 0, "end": 5.0}],
        [{"start": True, "end": 5}],
        [None],
    ],
    ids=repr,
)
def test_iter_jsonl_spans_malformed(tmp_path: Path, spans: object) -> None:
    path = _jsonl(tmp_path, {"id": "a", "text": "Fighting near Kirkuk.", "spans": spans})
    (item,) = iter_jsonl(path, with_spans=True)
    err = _expect(item, "E106")
    assert f"{path}:1:" in err.message
    assert "span" in err.message


def test_iter_jsonl_span_end_bool_rejected(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, {"id": "a", "text": "Fighting near Kirkuk.",
                             "spans": [{"start": 0, "end": True}]})
    (item,) = iter_jsonl(path, with_spans=True)
    _expect(item, "E106")


def test_iter_jsonl_blank_lines_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.jsonl",
                  '\n{"id": "a", "text": "Mosul."}\n   \n\n{"id": "b", "text": "Erbil."}\n\n')
    records = list(iter_jsonl(path))
    assert [(r.id, r.line) for r in records] == [("a", 2), ("b", 5)]


def test_iter_jsonl_bom_and_crlf(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.jsonl",
                  b'\xef\xbb\xbf{"id": "a", "text": "Mosul."}\r\n{"id": "b", "text": "Erbil."}\r\n')
    records = list(iter_jsonl(path))
    assert [(r.id, r.text) for r in records] == [("a", "Mosul."), ("b", "Erbil.")]


def test_iter_jsonl_non_utf8_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.jsonl",
                  b'{"id": "a", "text": "Mosul."}\n{"id": "b", "text": "caf\xe9"}\n'
                  b'{"id": "c", "text": "Erbil."}\n')
    a, bad, c = iter_jsonl(path)
    assert isinstance(a, Record) and isinstance(c, Record)
    err = _expect(bad, "E111")
    assert f"{path}:2" in err.message


def test_iter_jsonl_non_utf8_hint_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.jsonl", b'{"id": "b", "text": "caf\xe9"}\n{"id": "c", '
                  b'"text": "Erbil."}\n')
    err = _expect(next(iter_jsonl(path)), "E111")
    assert f"{path}:1" in err.message
    assert err.message.endswith(f"'iconv -f LATIN1 -t UTF-8 {path} > fixed.jsonl'.")


def test_iter_jsonl_non_utf8_on_standard_input(monkeypatch) -> None:
    # standard input is read as bytes like a file: a bad line is E111, not mojibake
    import io
    import sys

    raw = io.BytesIO(b'{"id": "b", "text": "caf\xe9"}\n{"id": "c", "text": "Erbil."}\n')
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw, encoding="utf-8"))
    bad, good = iter_jsonl("-")
    assert "-:1" in _expect(bad, "E111").message
    assert isinstance(good, Record) and good.text == "Erbil."


def test_iter_jsonl_only_non_utf8_line_is_not_empty(tmp_path: Path) -> None:
    path = _write(tmp_path, "in.jsonl", b'{"id": "b", "text": "caf\xe9"}\n')
    items = list(iter_jsonl(path))
    assert len(items) == 1
    _expect(items[0], "E111")


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"], ids=["empty", "blank-lines"])
def test_iter_jsonl_empty_file(tmp_path: Path, content: bytes) -> None:
    path = _write(tmp_path, "in.jsonl", content)
    with pytest.raises(InputError) as info:
        list(iter_jsonl(path))
    assert info.value.code == "E102"
    assert str(path) in info.value.message


def test_iter_jsonl_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.jsonl"
    with pytest.raises(InputError) as info:
        list(iter_jsonl(path))
    assert info.value.code == "E101"
    assert str(path) in info.value.message


# --- parse_date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-11-06", "2016-11-06"),
        ("2016-11-06T08:30:00Z", "2016-11-06"),
        ("2016-11-06 08:30", "2016-11-06"),
        (None, None),
        ("", None),
    ],
)
def test_parse_date_good(value: object, expected: str | None) -> None:
    assert parse_date(value, "in.jsonl:3") == expected


@pytest.mark.parametrize(
    "value", ["06/11/2016", "2016-13-01", "2016-02-30", "yesterday", "2016", 20161106,
              1478390400.0, ["2016-11-06"], True],
    ids=repr,
)
def test_parse_date_bad(value: object) -> None:
    with pytest.raises(InputError) as info:
        parse_date(value, "in.jsonl:3", field="date")
    err = info.value
    assert err.code == "E106"
    assert err.message.startswith("[E106] in.jsonl:3: 'date' must be a date YYYY-MM-DD")
    assert repr(value) in err.message
