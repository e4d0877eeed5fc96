"""Reading user input: text files and JSON Lines, with one-line errors that name the place.

Text files must be non-empty UTF-8 without NUL bytes. JSON Lines records are objects with
at least ``id`` and ``text``; :func:`iter_jsonl` yields either a parsed record or, for a
bad line, an :class:`InputError` that names the file and line, so a caller can stop at the
first one or, with ``--keep-going``, report it and go on.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from .errors import InputError

_SNIFF = 8192


def read_file_bytes(path: str | Path) -> bytes:
    """A file's bytes, or an :class:`InputError` naming the file and what is wrong."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError as e:
        raise InputError("E101", path=path) from e
    except IsADirectoryError as e:
        raise InputError("E108", path=path, detail="it is a folder") from e
    except OSError as e:
        raise InputError("E108", path=path, detail=e.strerror or str(e)) from e


def read_text_file(path: str | Path) -> str:
    """The text of a UTF-8 file, or an :class:`InputError` saying what is wrong with it."""
    path = Path(path)
    data = read_file_bytes(path)
    if not data:
        raise InputError("E102", path=path)
    if b"\x00" in data[:_SNIFF]:
        raise InputError("E103", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError("E104", path=path, position=e.start) from e
    if not text.strip():
        raise InputError("E110", where=path)
    return text


def parse_date(value: Any, where: str, field: str = "published") -> str | None:
    """An ISO date string (YYYY-MM-DD) or None; anything else is an input error."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value).isoformat()
            return dt.datetime.fromisoformat(value).date().isoformat()
        except ValueError:
            pass
    raise InputError("E106", where=where, detail=f"'{field}' must be a date YYYY-MM-DD, "
                     f"got {value!r}.")


@dataclass(frozen=True)
class Record:
    """One JSON Lines input record."""

    line: int
    id: str
    text: str
    data: dict[str, Any]
    spans: tuple[tuple[int, int], ...] | None = None


def _record(obj: Any, where: str, line: int, *, with_spans: bool) -> Record:
    if not isinstance(obj, dict):
        raise InputError("E106", where=where, detail="expected a JSON object {\"id\", \"text\"}.")
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError("E106", where=where, detail="no \"text\" string in the record.")
    if not text.strip():
        raise InputError("E110", where=where)
    raw_id = obj.get("id", line)
    if not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool):
        raise InputError("E106", where=where, detail="\"id\" must be a string or a number.")
    spans = None
    if with_spans and obj.get("spans") is not None:
        spans = _spans(obj["spans"], text, where)
    return Record(line=line, id=str(raw_id), text=text, data=obj, spans=spans)


def _is_int(value: object) -> TypeGuard[int]:
    """An integer that is not a bool (JSON's true/false)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _spans(value: Any, text: str, where: str) -> tuple[tuple[int, int], ...]:
    if not isinstance(value, list):
        raise InputError("E106", where=where, detail="\"spans\" must be a list of "
                         "{\"start\", \"end\"} objects.")
    spans: list[tuple[int, int]] = []
    for item in value:
        start = item.get("start") if isinstance(item, dict) else None
        end = item.get("end") if isinstance(item, dict) else None
        if not (_is_int(start) and _is_int(end)):
            raise InputError("E106", where=where, detail="each span needs integer "
                             "\"start\" and \"end\".")
        if not 0 <= start < end <= len(text):
            raise InputError("E107", where=where, start=start, end=end, length=len(text))
        spans.append((start, end))
    return tuple(spans)


def iter_jsonl(
    path: str | Path, *, with_spans: bool = False
) -> Iterator[Record | InputError]:
    """Records of a JSON Lines file (``-`` is standard input); bad lines yield errors."""
    import sys

    path = Path(path) if path != "-" else Path("-")
    try:
        handle = sys.stdin if str(path) == "-" else path.open("rb")
    except FileNotFoundError as e:
        raise InputError("E101", path=path) from e
    except OSError as e:
        raise InputError("E108", path=path, detail=e.strerror or str(e)) from e
    seen_any = False
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if isinstance(raw, bytes):
                if not raw.strip():
                    continue
                seen_any = True
                try:
                    raw = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as e:
                    yield InputError("E111", where=where, position=e.start, path=path)
                    continue
            if not raw.strip():
                continue
            seen_any = True
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as e:
                yield InputError("E105", where=where, detail=e.msg)
                continue
            try:
                yield _record(obj, where, number, with_spans=with_spans)
            except InputError as e:
                yield e
    if not seen_any:
        raise InputError("E102", path=path)
