"""Reading user input: text files and JSON Lines, with one-line errors that name the place.

Text files must be non-empty UTF-8 without NUL bytes. JSON Lines records are objects with
at least ``id`` and ``text``; :func:`iter_jsonl` yields either a parsed record or, for a
bad line, an :class:`InputError` that names the file and line, so a caller can stop at the
first one or, with ``--keep-going``, report it and go on.

Every text read here is made safe to store and extract before anyone hashes it
(:func:`clean_text`): NUL and the invisible bidirectional controls are removed
(:func:`normalise_text`) and a text longer than :data:`MAX_TEXT_CHARS` is cut at a
paragraph, else a sentence (:func:`cut_text`), with a warning on the ``rearguard`` logger
(the command line prints it as ``rearguard: warning: ...``). See docs/ingest.md.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from .errors import InputError

_SNIFF = 8192
LOG = logging.getLogger("rearguard")

# The most text one article may have, in characters (about 1 MB of English). Past it the
# text is cut (cut_text): extraction time grows with the text, and a page this long is a
# dump or a scrape gone wrong, not a report.
MAX_TEXT_CHARS = 1_000_000

# Characters removed from every text before it is stored, hashed or extracted: NUL (which
# PostgreSQL's TEXT cannot hold) and the bidirectional formatting controls (LRM, RLM, ALM,
# the embeddings, overrides and isolates), which are invisible but split the words they
# touch, so a place name wrapped in them is no longer found.
REMOVED_CHARS = "\x00\u061c\u200e\u200f" + "".join(map(chr, range(0x202A, 0x202F))) + \
    "".join(map(chr, range(0x2066, 0x206A)))
_REMOVE = dict.fromkeys(map(ord, REMOVED_CHARS))
_SENTENCE_END = re.compile(r"[.!?\u061f\u3002][\"'\u201d\u2019)\]]*\s")


# A surrogate code point alone: what a JSON escape "\ud800" decodes to (a valid pair is
# one character already), which no UTF-8 encoder, store or tokenizer takes.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def normalise_text(text: str) -> str:
    """``text`` without NUL and bidirectional control characters (:data:`REMOVED_CHARS`),
    and with any lone surrogate replaced by U+FFFD; nothing else changes (white space,
    line ends and every other character are kept)."""
    text = text.translate(_REMOVE)
    if _LONE_SURROGATE.search(text):
        text = _LONE_SURROGATE.sub("\ufffd", text)
    return text


def cut_text(text: str, limit: int = MAX_TEXT_CHARS) -> tuple[str, bool]:
    """``(text, False)`` when it has at most ``limit`` characters; else the text cut at the
    last paragraph break (a line end) in its first ``limit`` characters, else at the last
    sentence end, else at ``limit`` exactly, with ``True``. A break in the first half of
    the window is not used (it would throw away more than half of what is allowed)."""
    if len(text) <= limit:
        return text, False
    window = text[:limit]
    floor = limit // 2
    cut = window.rfind("\n")
    if cut < floor:
        ends = [m.end() for m in _SENTENCE_END.finditer(window, floor)]
        cut = ends[-1] if ends else limit
    return window[:cut].rstrip(), True


def clean_text(text: str, where: object, limit: int = MAX_TEXT_CHARS) -> tuple[str, bool]:
    """:func:`normalise_text` then :func:`cut_text`; a cut is logged as a warning naming
    ``where`` (a file, ``file:line`` or URL). Returns the text and whether it was cut."""
    text, cut = cut_text(normalise_text(text), limit)
    if cut:
        LOG.warning("%s: the text is longer than %s characters; only the first %s (up to "
                    "a paragraph or sentence end) are stored and extracted, and the article "
                    "is flagged 'truncated'.", where, f"{limit:,}", f"{len(text):,}")
    return text, cut


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
    """The text of a UTF-8 file, cleaned (:func:`clean_text`), or an :class:`InputError`
    saying what is wrong with it."""
    return read_text(path)[0]


def read_text(path: str | Path) -> tuple[str, bool]:
    """:func:`read_text_file`'s text and whether it was cut to :data:`MAX_TEXT_CHARS`."""
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
    text, cut = clean_text(text, path)
    if not text.strip():
        raise InputError("E110", where=path)
    return text, cut


#: The years a publication date may fall in. Relative dates ("on Sunday", "last week")
#: and the dataset's merge windows count days from it, which must stay inside the calendar
#: (a date of 0001-01-01 once ended in OverflowError); no report is dated outside these.
PUBLISHED_YEARS = (1800, 2200)


def plausible_date(iso: str) -> bool:
    """Whether a YYYY-MM-DD date lies in :data:`PUBLISHED_YEARS`."""
    try:
        year = dt.date.fromisoformat(iso[:10]).year
    except ValueError:
        return False
    return PUBLISHED_YEARS[0] <= year <= PUBLISHED_YEARS[1]


def parse_date(value: Any, where: str, field: str = "published") -> str | None:
    """An ISO date string (YYYY-MM-DD) in :data:`PUBLISHED_YEARS` or None; anything else
    is an input error."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            if len(value) == 10:
                date = dt.date.fromisoformat(value).isoformat()
            else:
                date = dt.datetime.fromisoformat(value).date().isoformat()
        except ValueError:
            pass
        else:
            if plausible_date(date):
                return date
            raise InputError("E106", where=where, detail=(
                f"'{field}' {date} is not a plausible publication date (years "
                f"{PUBLISHED_YEARS[0]}-{PUBLISHED_YEARS[1]})."))
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
    truncated: bool = False  # the text was cut to MAX_TEXT_CHARS (clean_text)


def _record(obj: Any, where: str, line: int, *, with_spans: bool) -> Record:
    if not isinstance(obj, dict):
        raise InputError("E106", where=where, detail="expected a JSON object {\"id\", \"text\"}.")
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError("E106", where=where, detail="no \"text\" string in the record.")
    if with_spans and obj.get("spans") is not None:
        truncated = False  # the spans index the text as given: cleaning would move them
    else:
        text, truncated = clean_text(text, where)
        obj = {k: normalise_text(v) if isinstance(v, str) else v for k, v in obj.items()}
        obj["text"] = text
    if not text.strip():
        raise InputError("E110", where=where)
    raw_id = obj.get("id", line)
    if not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool):
        raise InputError("E106", where=where, detail="\"id\" must be a string or a number.")
    spans = None
    if with_spans and obj.get("spans") is not None:
        spans = _spans(obj["spans"], text, where)
    return Record(line=line, id=str(raw_id), text=text, data=obj, spans=spans,
                  truncated=truncated)


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
        # standard input as bytes too, so invalid UTF-8 there is E111 as in a file
        handle = getattr(sys.stdin, "buffer", sys.stdin) if str(path) == "-" \
            else path.open("rb")
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
            except RecursionError:
                yield InputError("E105", where=where, detail="nested too deep")
                continue
            except ValueError as e:  # a number of more than 4,300 digits
                yield InputError("E105", where=where, detail=str(e).split(";")[0])
                continue
            try:
                yield _record(obj, where, number, with_spans=with_spans)
            except InputError as e:
                yield e
    if not seen_any:
        raise InputError("E102", path=path)
