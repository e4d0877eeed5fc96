"""Composes the stages for the commands: files and JSON Lines in, records out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import InputError
from .geo import geocode_spans, geocode_text
from .io import Record, iter_jsonl, read_text_file
from .settings import Settings, load_settings
from .types import Place


def geocode_file(path: str | Path, *, settings: Settings | None = None) -> list[Place]:
    """Find and resolve the toponyms of one text file."""
    settings = settings or load_settings()
    return geocode_text(read_text_file(path), settings=settings)


def geocode_record(record: Record, *, settings: Settings) -> dict[str, Any]:
    """One JSON Lines record -> ``{"id", "places"}``; with spans, one place per span."""
    if record.spans is not None:
        places = geocode_spans(record.text, record.spans, settings=settings)
    else:
        places = geocode_text(record.text, settings=settings)
    return {"id": record.id, "places": [p.to_dict() for p in places]}


def geocode_jsonl(
    path: str | Path, *, settings: Settings | None = None, keep_going: bool = False
) -> Iterator[dict[str, Any]]:
    """Output records in input order. A bad line raises, or with ``keep_going`` yields
    ``{"id", "line", "error"}`` and the rest are processed."""
    settings = settings or load_settings()
    for item in iter_jsonl(path, with_spans=True):
        if isinstance(item, InputError):
            if not keep_going:
                raise item
            yield error_record(item)
            continue
        yield geocode_record(item, settings=settings)


def error_record(error: InputError) -> dict[str, Any]:
    where = str(error.details.get("where") or error.details.get("path") or "")
    line = where.rsplit(":", 1)[-1]
    return {"id": None, "line": int(line) if line.isdigit() else None, "error": error.message}
