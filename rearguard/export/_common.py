"""What the writers and readers share: where output goes, and turning dicts into events."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import sys
import typing
from collections.abc import Iterator, Mapping
from typing import IO, Any, Union

from ..errors import InputError
from ..types import Event, Evidence

# How each Event field is stored: (kind, optional). Kinds: str, int, float, bool, ids
# (a tuple of strings) and evidence (a tuple of Evidence).
_KINDS = {str: "str", int: "int", float: "float", bool: "bool"}


def _kind(hint: Any) -> tuple[str, bool]:
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin is tuple:
        return ("evidence" if args[0] is Evidence else "ids"), False
    if args and type(None) in args:  # X | None
        (inner,) = [a for a in args if a is not type(None)]
        return _KINDS[inner], True
    return _KINDS[hint], False


_HINTS = typing.get_type_hints(Event)
FIELDS: tuple[dataclasses.Field, ...] = dataclasses.fields(Event)
FIELD_KINDS: dict[str, tuple[str, bool]] = {f.name: _kind(_HINTS[f.name]) for f in FIELDS}
REQUIRED: tuple[str, ...] = tuple(
    f.name for f in FIELDS
    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
)

PathOrFile = Union[str, "os.PathLike[str]", IO[Any]]


def is_file(obj: object) -> bool:
    return hasattr(obj, "write") or hasattr(obj, "read")


@contextlib.contextmanager
def text_output(out: PathOrFile) -> Iterator[IO[str]]:
    """An open text stream for ``out``: a path, ``"-"`` (standard output, looked up at call
    time so captured streams work) or an already open text file (left open)."""
    if is_file(out):
        yield typing.cast(IO[str], out)
    elif str(out) == "-":
        yield sys.stdout
        sys.stdout.flush()
    else:
        path = typing.cast("str | os.PathLike[str]", out)  # not a file: is_file() said so
        with open(path, "w", encoding="utf-8", newline="") as stream:
            yield stream


@contextlib.contextmanager
def text_input(source: PathOrFile) -> Iterator[IO[str]]:
    """An open text stream for ``source``: a path, ``"-"`` (standard input) or a file."""
    if is_file(source):
        stream = typing.cast(IO[Any], source)
        if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)) or "b" in getattr(
                stream, "mode", ""):
            stream = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        yield stream
    elif str(source) == "-":
        yield sys.stdin
    else:
        path = typing.cast("str | os.PathLike[str]", source)  # not a file: is_file() said so
        try:
            stream = open(path, encoding="utf-8", newline="")
        except FileNotFoundError:
            raise InputError("E101", path=str(source)) from None
        except OSError as e:
            raise InputError("E108", path=str(source), detail=e.strerror or str(e)) from None
        with stream:
            yield stream


def where(source: PathOrFile) -> str:
    if is_file(source):
        return str(getattr(source, "name", "<stream>"))
    return "<stdin>" if str(source) == "-" else str(source)


def event_from_dict(data: Mapping[str, Any], where: str) -> Event:
    """An Event from a dict shaped like ``Event.to_dict()`` (JSON, GeoJSON properties,
    Parquet rows). Unknown keys are ignored; missing optional fields take their default."""
    if not isinstance(data, Mapping):
        raise InputError("E106", where=where, detail="expected an object with event fields")
    missing = [name for name in REQUIRED if name not in data]
    if missing:
        raise InputError("E106", where=where,
                         detail=f"missing event field(s): {', '.join(missing)}")
    values: dict[str, Any] = {}
    for name, (kind, optional) in FIELD_KINDS.items():
        if name not in data:
            continue
        value = data[name]
        try:
            values[name] = _coerce(value, kind, optional, name)
        except (TypeError, ValueError, KeyError) as e:
            raise InputError("E106", where=where,
                             detail=f"field {name!r}: {value!r} is not usable ({e})") from None
    return Event(**values)


_EVIDENCE_HINTS = typing.get_type_hints(Evidence)
# Evidence fields and their kinds (str or int), from the dataclass so new fields follow.
EVIDENCE_KINDS: dict[str, str] = {
    f.name: _KINDS[_EVIDENCE_HINTS[f.name]] for f in dataclasses.fields(Evidence)}


def _evidence(data: Mapping[str, Any]) -> Evidence:
    values: dict[str, Any] = {}
    for name, kind in EVIDENCE_KINDS.items():
        if name in data and data[name] is not None:
            value = data[name]
            if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
                raise TypeError(f"evidence {name}: expected an integer")
            if kind == "str" and not isinstance(value, str):
                raise TypeError(f"evidence {name}: expected a string")
            values[name] = value
    return Evidence(**values)


def _coerce(value: Any, kind: str, optional: bool, name: str) -> Any:
    if value is None:
        if optional:
            return None
        if kind in ("ids", "evidence"):
            return ()
        raise ValueError("null is not allowed here")
    if kind == "ids":
        if isinstance(value, str):
            raise TypeError("expected a list of strings")
        return tuple(str(v) for v in value)
    if kind == "evidence":
        return tuple(e if isinstance(e, Evidence) else _evidence(e) for e in value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise TypeError("expected true or false")
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            raise TypeError("expected an integer")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError("expected a number")
        return float(value)
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value
