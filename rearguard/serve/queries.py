"""The SQL the server needs beyond :class:`rearguard.store.Store`'s public methods: pages of
events by keyset (cursor), counts, control records by GeoNames id and as of a date, the
articles behind records, and the change log since a time.

Every condition is written with ``?`` placeholders and the request's values go in as
parameters; column names come only from the fixed lists below, never from a request.
The event filters have the same meaning as ``Store.events`` (``docs/store.md``), which
``tests/serve/test_api.py`` checks filter by filter against the store itself.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..store.sql import Database
from ..types import ControlChange, Event, Evidence

EVENT_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Event))
CONTROL_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(ControlChange))
_EVENT_COLUMNS = ", ".join(f'"{n}"' for n in EVENT_FIELDS)
_CONTROL_COLUMNS = ", ".join(f'"{n}"' for n in CONTROL_FIELDS)


class BadCursor(ValueError):
    """A ``cursor`` the server did not hand out."""


@dataclasses.dataclass(frozen=True)
class EventQuery:
    """The filters of ``GET /events`` (already checked)."""

    country: str | None = None
    admin1: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    rear_area: bool | None = None
    min_confidence: float | None = None
    min_fatalities: int | None = None
    updated_since: str | None = None
    status: str = "active"


def event_conditions(q: EventQuery) -> tuple[list[str], list[Any]]:
    """SQL conditions and parameters for the filters, with ``Store.events``' meaning."""
    from ..export.filters import country_number

    where: list[str] = ["status = ?"]
    params: list[Any] = [q.status]
    if q.country is not None:
        number = country_number(q.country)
        if number is None:
            where.append("LOWER(country) = ?")
            params.append(q.country.strip().lower())
        else:
            where.append("(iso = ? OR LOWER(country) = ?)")
            params += [number, q.country.strip().lower()]
    if q.admin1 is not None:
        where.append("LOWER(admin1) = ?")
        params.append(q.admin1.lower())
    if q.event_type is not None:
        where.append("(LOWER(event_type) = ? OR LOWER(sub_event_type) = ?)")
        params += [q.event_type.strip().lower()] * 2
    if q.sub_event_type is not None:
        where.append("LOWER(sub_event_type) = ?")
        params.append(q.sub_event_type.strip().lower())
    if q.date_from is not None:
        where.append("event_date >= ?")
        params.append(q.date_from)
    if q.date_to is not None:
        where.append("event_date <= ?")
        params.append(q.date_to)
    if q.actor is not None:
        where.append("(" + " OR ".join(
            f"LOWER({c}) LIKE ? ESCAPE '\\'"
            for c in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")) + ")")
        needle = re.sub(r"([\\%_])", r"\\\1", q.actor.lower())
        params += [f"%{needle}%"] * 4
    if q.bbox is not None:
        west, south, east, north = q.bbox
        where.append("latitude BETWEEN ? AND ?")
        params += [south, north]
        if west <= east:
            where.append("longitude BETWEEN ? AND ?")
            params += [west, east]
        else:  # across the antimeridian
            where.append("(longitude >= ? OR longitude <= ?)")
            params += [west, east]
    if q.rear_area is not None:
        where.append("rear_area = ?")
        params.append(int(q.rear_area))
    if q.min_confidence is not None:
        where.append("confidence >= ?")
        params.append(float(q.min_confidence))
    if q.min_fatalities is not None:
        where.append("fatalities >= ?")
        params.append(int(q.min_fatalities))
    if q.updated_since is not None:
        where.append("updated_at >= ?")
        params.append(q.updated_since)
    return where, params


# -- cursors ---------------------------------------------------------------------------
# Events come in the store's order: by event_date (undated last), then id in code-point
# order. A cursor is the (date, id) of the last event of a page, so the next page starts
# right after it whatever was added or changed meanwhile.

def encode_cursor(position: tuple[str | None, str]) -> str:
    raw = json.dumps(list(position), separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(text: str) -> tuple[str | None, str]:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        date, event_id = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise BadCursor(text) from None
    if not isinstance(event_id, str) or not (date is None or isinstance(date, str)):
        raise BadCursor(text)
    return date, event_id


def row_event(row: dict[str, Any]) -> Event:
    row["article_ids"] = tuple(json.loads(row["article_ids"] or "[]"))
    row["evidence"] = evidence_of(row["evidence"])
    if row["rear_area"] is not None:
        row["rear_area"] = bool(row["rear_area"])
    return Event(**row)


def evidence_of(text: str | None) -> tuple[Evidence, ...]:
    return tuple(Evidence(**item) for item in json.loads(text or "[]"))


# -- pages ---------------------------------------------------------------------------------
# A page is found in two steps: its keys (id, date and point) from an index alone
# (migration 0005: ``events_page`` in page order; ``events_cell`` per 1-degree cell of a
# small bbox), then the whole rows of those ids by primary key (or the rendered events
# from the server's cache, :mod:`.cache`). A cursor is a seek in either index
# (``event_date >= ?`` first, so page 1,000 costs what page 1 does).

KEY_COLUMNS = ("event_id_cnty", "event_date", "latitude", "longitude")
_KEYS = ", ".join(KEY_COLUMNS)
_DATED_ORDER = "event_date, event_id_cnty COLLATE BINARY"
_UNDATED_ORDER = "event_id_cnty COLLATE BINARY"
MAX_CELLS = 64  # a larger bbox walks events_page (the whole dataset's order) instead


def box_cells(bbox: tuple[float, float, float, float] | None) -> list[int] | None:
    """The 1-degree cells (:func:`rearguard.store.migrations.event_cell`) a bbox
    overlaps, or None when the cells are not the way to it: no bbox, one across the
    antimeridian or beyond -180..180, or more than :data:`MAX_CELLS` cells."""
    if bbox is None:
        return None
    west, south, east, north = bbox
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None
    rows = range(int(south + 90), int(north + 90) + 1)
    columns = range(int(west + 180), int(east + 180) + 1)
    if len(rows) * len(columns) > MAX_CELLS:
        return None
    return [r * 360 + c for r in rows for c in columns]


def page_keys(db: Database, q: EventQuery, *, limit: int,
              after: tuple[str | None, str] | None = None) -> tuple[list[dict[str, Any]], bool]:
    """The keys (:data:`KEY_COLUMNS`) of up to ``limit`` events after the cursor position
    ``after`` (None: from the start), in page order, and whether more follow. Dated events
    first, then the undated ones."""
    where, params = event_conditions(q)
    found: list[dict[str, Any]] = []
    want = limit + 1
    if after is None or after[0] is not None:
        dated = [*where, "event_date IS NOT NULL"]
        dated_params = list(params)
        if after is not None:
            dated += ["event_date >= ?",
                      "(event_date > ? OR event_id_cnty > ? COLLATE BINARY)"]
            dated_params += [after[0], after[0], after[1]]
        found += _keys(db, q, dated, dated_params, _DATED_ORDER, want)
    if len(found) < want:
        undated = [*where, "event_date IS NULL"]
        undated_params = list(params)
        if after is not None and after[0] is None:
            undated.append("event_id_cnty > ? COLLATE BINARY")
            undated_params.append(after[1])
        found += _keys(db, q, undated, undated_params, _UNDATED_ORDER, want - len(found))
    return found[:limit], len(found) > limit


def _keys(db: Database, q: EventQuery, where: Sequence[str], params: Sequence[Any],
          order: str, limit: int) -> list[dict[str, Any]]:
    cells = box_cells(q.bbox)
    if cells is None:
        sql = f"SELECT {_KEYS} FROM events WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
        return list(db.rows(sql, [*params, int(limit)]))
    # One walk per cell, each in page order and at most ``limit`` long, merged.
    from ..store.migrations import EVENT_CELL_SQL

    arm = (f"SELECT * FROM (SELECT {_KEYS} FROM events WHERE {' AND '.join(where)} AND "
           f"{EVENT_CELL_SQL[db.backend]} = ? ORDER BY {order} LIMIT ?) AS c")
    sql = (f"SELECT * FROM ({' UNION ALL '.join(f'{arm}{i}' for i in range(len(cells)))}) "
           f"AS u ORDER BY {order} LIMIT ?")
    cell_type = int if db.backend == "sqlite" else float  # the expression's own type
    values: list[Any] = []
    for cell in cells:
        values += [*params, cell_type(cell), int(limit)]
    return list(db.rows(sql, [*values, int(limit)]))


def rows_by_id(db: Database, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored rows (:data:`EVENT_FIELDS`; JSON text in ``article_ids`` and
    ``evidence``) of these events, by id."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        marks = ", ".join("?" for _ in chunk)
        for row in db.rows(f"SELECT {_EVENT_COLUMNS} FROM events "
                           f"WHERE event_id_cnty IN ({marks})", chunk):
            found[row["event_id_cnty"]] = row
    return found


def page_of_rows(db: Database, q: EventQuery, *, limit: int,
                 after: tuple[str | None, str] | None = None
                 ) -> tuple[list[dict[str, Any]], bool]:
    """Up to ``limit`` event rows (as stored: JSON text in ``article_ids`` and
    ``evidence``) after the cursor position ``after`` (None: from the start), and whether
    more follow."""
    keys, more = page_keys(db, q, limit=limit, after=after)
    found = rows_by_id(db, [k["event_id_cnty"] for k in keys])
    return [found[k["event_id_cnty"]] for k in keys if k["event_id_cnty"] in found], more


def page_of_events(db: Database, q: EventQuery, *, limit: int,
                   after: tuple[str | None, str] | None = None) -> tuple[list[Event], bool]:
    """:func:`page_of_rows` as events."""
    rows, more = page_of_rows(db, q, limit=limit, after=after)
    return [row_event(row) for row in rows], more


def row_cursor(row: dict[str, Any]) -> tuple[str | None, str]:
    return row["event_date"], row["event_id_cnty"]


def count_events(db: Database, q: EventQuery) -> int:
    where, params = event_conditions(q)
    return int(db.scalar(f"SELECT COUNT(*) FROM events WHERE {' AND '.join(where)}", params))


def event_status(db: Database, event_id: str) -> dict[str, Any] | None:
    rows = list(db.rows("SELECT status, edits, pipeline_version, updated_at FROM events "
                        "WHERE event_id_cnty = ?", [event_id]))
    if not rows:
        return None
    row = rows[0]
    row["edits"] = json.loads(row["edits"] or "{}")
    return row


# -- articles, control, change log -----------------------------------------------------

ARTICLE_COLUMNS = ("id", "url", "published", "title", "source", "language", "status")


def articles_by_id(db: Database, ids: Iterable[str], *, text: bool = False
                   ) -> dict[str, dict[str, Any]]:
    """The stored articles with these ids (without their text unless ``text``)."""
    wanted = sorted({i for i in ids if i})
    found: dict[str, dict[str, Any]] = {}
    columns = ", ".join(f'"{c}"' for c in (*ARTICLE_COLUMNS, *(("text",) if text else ())))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in db.rows(f"SELECT {columns} FROM articles WHERE id IN ({marks})", chunk):
            found[row["id"]] = row
    return found


def _control_rows(db: Database, where: Sequence[str], params: Sequence[Any]
                  ) -> list[ControlChange]:
    sql = (f"SELECT {_CONTROL_COLUMNS} FROM control WHERE {' AND '.join(where) or '1 = 1'} "
           'ORDER BY ("date" IS NULL), "date", id')
    records = []
    for row in db.rows(sql, params):
        row["evidence"] = evidence_of(row["evidence"])
        records.append(ControlChange(**row))
    return records


def control_by_geonameid(db: Database, geonameid: int) -> list[ControlChange]:
    """Every control statement about the place with this GeoNames id, by date."""
    return _control_rows(db, ["geonameid = ?"], [int(geonameid)])


def control_until(db: Database, at: str,
                  bbox: tuple[float, float, float, float] | None) -> list[ControlChange]:
    """The dated control statements up to ``at`` (inclusive), in ``bbox``, by date."""
    where = ['"date" IS NOT NULL', '"date" <= ?', "latitude IS NOT NULL",
             "longitude IS NOT NULL"]
    params: list[Any] = [at]
    if bbox is not None:
        west, south, east, north = bbox
        where.append("latitude BETWEEN ? AND ?")
        params += [south, north]
        if west <= east:
            where.append("longitude BETWEEN ? AND ?")
            params += [west, east]
        else:
            where.append("(longitude >= ? OR longitude <= ?)")
            params += [west, east]
    return _control_rows(db, where, params)


def control_of_articles_since(db: Database, since: str) -> list[ControlChange]:
    """Control statements of the articles stored or changed at or after ``since``."""
    return _control_rows(db, ["article_id IN (SELECT id FROM articles WHERE updated_at >= ?)"],
                         [since])


def history_since(db: Database, since: str) -> list[dict[str, Any]]:
    """Change-log entries at or after ``since`` (UTC, the store's format), oldest first."""
    return list(db.rows("SELECT event_id, action, detail, article_id, at FROM change_log "
                        "WHERE at >= ? ORDER BY id", [since]))


def finite_bbox(values: Sequence[float]) -> bool:
    return len(values) == 4 and all(math.isfinite(v) for v in values)
