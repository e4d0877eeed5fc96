"""JSON Lines: one ``Event.to_dict()`` per line, every field including evidence."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ..errors import InputError
from ..types import Event
from ._common import PathOrFile, event_from_dict, text_input, text_output, where


def write_jsonl(events: Iterable[Event], out: PathOrFile) -> int:
    """Write one JSON object per event, one line each. Returns the number written."""
    count = 0
    with text_output(out) as stream:
        for event in events:
            stream.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
            count += 1
    return count


def read_jsonl(source: PathOrFile) -> Iterator[Event]:
    """Events from JSON Lines; blank lines are skipped."""
    name = where(source)
    with text_input(source) as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            place = f"{name}:{number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError("E105", where=place, detail=e.msg) from None
            yield event_from_dict(data, place)
