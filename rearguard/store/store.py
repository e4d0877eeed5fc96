"""The dataset store: articles, events, the control ledger and the change log."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from ..errors import StoreError
from ..geo.distance import EARTH_RADIUS_KM, haversine_km
from ..geo.normalize import name_key, variant_key
from ..types import Article, ControlChange, Event, Evidence
from . import migrations as _migrations
from .sql import Database, connect, parse_url, quiet_close

ACTIONS = ("created", "merged", "updated", "deleted", "flagged", "revised", "rejected",
           "restored", "edited")
# An event is active (in exports and alerts), rejected by an analyst (kept, out of exports,
# still absorbing new reports of its incident) or deleted (no report supports it any more).
EVENT_STATUSES = ("active", "rejected", "deleted")
ARTICLE_STATUSES = ("active", "rejected")
COUNTABLE = {"articles": "articles", "events": "events", "control": "control"}
ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))
CONTROL_FIELDS = tuple(f.name for f in dataclasses.fields(ControlChange))
_ACLED_ID = re.compile(r"^([A-Z]{3})(\d+)$")


def open_store(url: str | None = None, *, migrate: bool = True, create: bool = True,
               readonly: bool = False) -> Store:
    """Open (creating if need be) the store a URL names and apply pending migrations.

    ``None``, a file path or ``sqlite:///path.db`` is SQLite; ``postgresql://...`` is
    PostgreSQL. ``migrate=False`` opens without touching the schema (see ``pending()``).
    ``create=False`` (the read-only commands) opens only a store that exists: a SQLite
    file that is not there, or a database without rearguard's tables, is E714 and nothing
    is created (an existing store of an older version is still migrated).
    ``readonly=True`` (commands that only read; implies nothing about ``create``): a SQLite
    file that cannot be written (a read-only file or folder) is opened read-only; it is
    then not migrated, and one that would need migrating is E702.
    Any failure is a one-line :class:`~rearguard.errors.StoreError`.
    """
    if not create:
        backend, target = parse_url(url)
        if backend == "sqlite" and (target == ":memory:" or not os.path.lexists(target)):
            raise StoreError("E714", where=target, detail="no such file")
    db = connect(url, readonly=readonly)
    with quiet_close(db):
        if not create and not db.table_exists("_migrations"):
            raise StoreError("E714", where=db.where, detail="it holds no rearguard tables")
        if migrate and not db.readonly:
            _migrations.migrate(db)
        else:
            _migrations.check_known(db, _migrations.applied(db))
            if migrate and _migrations.pending(db):
                raise StoreError("E702", path=db.where, detail=(
                    "it is read-only and was written by an older rearguard; open it once "
                    "where it can be written, so that it is updated"))
    return Store(db)


def _dumps(value: Any) -> str:
    # ASCII JSON: NUL and lone surrogates survive both backends' TEXT.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def _evidence(text: str | None) -> tuple[Evidence, ...]:
    return tuple(Evidence(**item) for item in json.loads(text or "[]"))


def _article(row: dict[str, Any]) -> Article:
    return Article(**row)


def text_hash(text: str) -> str:
    """The hash of an article's text: the first 16 hex digits of the SHA-1 of its UTF-8,
    the same as ``rearguard.pipeline.content_id`` (the id of an article read without one)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def utc_now() -> str:
    """The store's clock: UTC ISO 8601 with microseconds (the change log's ``at``)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def event_to_json(event: Event) -> str:
    return _dumps(event.to_dict())


def event_from_json(text: str) -> Event:
    data = json.loads(text)
    data["article_ids"] = tuple(data.get("article_ids") or ())
    data["evidence"] = tuple(Evidence(**e) for e in data.get("evidence") or ())
    return Event(**data)


@dataclasses.dataclass(frozen=True)
class Report:
    """What one article's extraction said about one dataset event: ``event`` as extracted
    (its evidence indexing that article). ``article_id`` None is a legacy report: the
    event as stored before reports were kept (migration 0003), standing for the articles
    in its ``event.article_ids`` until they are re-extracted."""

    id: int
    event_id: str
    article_id: str | None
    seq: int
    published: str | None
    pipeline_version: str | None
    event: Event


@dataclasses.dataclass(frozen=True)
class EventMeta:
    """The store's own facts about an event, beside its fields."""

    status: str
    edits: dict[str, Any]
    pipeline_version: str | None
    updated_at: str | None


@dataclasses.dataclass(frozen=True)
class ArticleMeta:
    """The store's own facts about an article, beside its fields."""

    content_hash: str | None
    duplicate_of: str | None
    revision: int
    status: str
    review_note: str | None
    extracted_with: str | None
    updated_at: str | None


def _quote(name: str) -> str:
    return f'"{name}"'


def _box(latitude: float, longitude: float, km: float) -> tuple[str, list[float]]:
    """SQL condition and parameters for a box holding every point within ``km``."""
    delta = km / EARTH_RADIUS_KM  # angular radius
    dlat = math.degrees(delta) + 1e-9
    sql, params = "latitude BETWEEN ? AND ?", [latitude - dlat, latitude + dlat]
    cos_lat = math.cos(math.radians(latitude))
    if delta < math.pi / 2 and math.sin(delta) < cos_lat:
        dlon = math.degrees(math.asin(math.sin(delta) / cos_lat)) + 1e-9
        if -180.0 <= longitude - dlon and longitude + dlon <= 180.0:
            sql += " AND longitude BETWEEN ? AND ?"
            params += [longitude - dlon, longitude + dlon]
    return sql, params


def _on_the_globe(latitude: float | None, longitude: float | None) -> bool:
    """A missing coordinate, or a point with -90 <= latitude <= 90 and -180 <= longitude
    <= 180 (not NaN)."""
    return ((latitude is None or -90.0 <= latitude <= 90.0)
            and (longitude is None or -180.0 <= longitude <= 180.0))


class Store:
    """A dataset store on SQLite or PostgreSQL. Open it with :func:`open_store`."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._depth = 0
        self._doomed: str | None = None

    @property
    def backend(self) -> str:
        return self._db.backend

    @property
    def where(self) -> str:
        """The file or (password-masked) URL of the store, for messages."""
        return self._db.where

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One atomic unit. Nested blocks join the outermost one; an exception rolls the
        whole unit back (if an inner block fails and the outer block swallows the error,
        the outer block still rolls back and raises StoreError E711)."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            except BaseException as exc:
                self._doomed = self._doomed or f"{type(exc).__name__}: {exc}"
                raise
            finally:
                self._depth -= 1
            return
        self._db.begin()
        self._depth, self._doomed = 1, None
        try:
            yield self
        except BaseException:
            self._db.rollback()
            raise
        else:
            if self._doomed is not None:
                self._db.rollback()
                raise StoreError("E711", detail=" ".join(self._doomed.split()))
            self._db.commit()
        finally:
            self._depth, self._doomed = 0, None

    # -- articles -----------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        return self._db.scalar("SELECT 1 FROM articles WHERE id = ?", [article_id]) is not None

    def article_id_for_url(self, url: str) -> str | None:
        return self._db.scalar("SELECT id FROM articles WHERE url = ?", [url])

    def article_id_for_hash(self, digest: str) -> str | None:
        """The article whose text has this hash and repeats no other (the first stored)."""
        rows = list(self._db.rows(
            "SELECT id FROM articles WHERE content_hash = ? AND duplicate_of IS NULL "
            "ORDER BY updated_at, id COLLATE BINARY", [digest]))
        return rows[0]["id"] if rows else None

    def add_article(self, article: Article, *, duplicate_of: str | None = None) -> bool:
        """Store an article; False (nothing written) if its id or url is already stored.
        ``duplicate_of``: the stored article whose text this one repeats (not extracted)."""
        names = [*ARTICLE_FIELDS, "content_hash", "duplicate_of", "updated_at"]
        columns = ", ".join(_quote(n) for n in names)
        marks = ", ".join("?" for _ in names)
        values = {n: getattr(article, n) for n in ARTICLE_FIELDS}
        values.update(content_hash=text_hash(article.text), duplicate_of=duplicate_of,
                      updated_at=utc_now())
        with self.transaction():
            cursor = self._db.execute(
                f"INSERT INTO articles ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING",
                [values[n] for n in names],
            )
            return cursor.rowcount == 1

    def article_meta(self, article_id: str) -> ArticleMeta | None:
        rows = list(self._db.rows(
            "SELECT content_hash, duplicate_of, revision, status, review_note, "
            "extracted_with, updated_at FROM articles WHERE id = ?", [article_id]))
        return ArticleMeta(**rows[0]) if rows else None

    def revise_article(self, article_id: str, article: Article, why: str) -> int:
        """Replace an article's text and metadata by a revision, keeping the stored ones in
        ``article_revisions``; the id stays. Returns the new revision number."""
        current = self.get_article(article_id)
        meta = self.article_meta(article_id)
        if current is None or meta is None:
            raise StoreError("E715", what="article", id=article_id, where=self.where,
                             close="none")
        with self.transaction():
            self._keep_revision(article_id, meta.revision, current, why)
            self._db.execute(
                "UPDATE articles SET text = ?, published = ?, title = ?, url = ?, source = ?, "
                "language = ?, flags = ?, content_hash = ?, revision = revision + 1, "
                "updated_at = ?, duplicate_of = NULL WHERE id = ?",
                [article.text, article.published, article.title,
                 article.url or current.url, article.source, article.language,
                 article.flags, text_hash(article.text), utc_now(), article_id])
        return meta.revision + 1

    def keep_older_revision(self, article_id: str, article: Article, why: str) -> None:
        """Record a version of an article that is not its current text (an older one that
        arrived late), without changing the article."""
        meta = self.article_meta(article_id)
        if meta is None:
            raise StoreError("E715", what="article", id=article_id, where=self.where,
                             close="none")
        with self.transaction():
            self._keep_revision(article_id, 0, article, why)

    def _keep_revision(self, article_id: str, revision: int, article: Article,
                       why: str) -> None:
        self._db.execute(
            "INSERT INTO article_revisions (article_id, revision, url, published, title, "
            "source, text, language, flags, content_hash, replaced_at, why) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [article_id, revision, article.url, article.published, article.title,
             article.source, article.text, article.language, article.flags,
             text_hash(article.text), utc_now(), why])

    def article_revisions(self, article_id: str) -> list[dict[str, Any]]:
        """Earlier texts of an article (revision 0: an older version that arrived after a
        newer one), oldest first."""
        return list(self._db.rows(
            "SELECT article_id, revision, url, published, title, source, text, language, "
            "flags, content_hash, replaced_at, why FROM article_revisions "
            "WHERE article_id = ? ORDER BY id", [article_id]))

    def set_article_status(self, article_id: str, status: str, note: str | None) -> None:
        if status not in ARTICLE_STATUSES:
            raise ValueError(f"not an article status: {status!r}")
        with self.transaction():
            self._db.execute("UPDATE articles SET status = ?, review_note = ?, updated_at = ? "
                             "WHERE id = ?", [status, note, utc_now(), article_id])

    def set_extracted_with(self, article_id: str, version: str | None) -> None:
        with self.transaction():
            self._db.execute("UPDATE articles SET extracted_with = ? WHERE id = ?",
                             [version, article_id])

    def set_duplicate_of(self, article_id: str, original: str | None) -> None:
        with self.transaction():
            self._db.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?",
                             [original, article_id])

    def duplicates_of(self, article_id: str) -> list[str]:
        rows = self._db.rows("SELECT id FROM articles WHERE duplicate_of = ? "
                             "ORDER BY updated_at, id COLLATE BINARY", [article_id])
        return [row["id"] for row in rows]

    def get_article(self, article_id: str) -> Article | None:
        columns = ", ".join(_quote(n) for n in ARTICLE_FIELDS)
        rows = list(self._db.rows(f"SELECT {columns} FROM articles WHERE id = ?", [article_id]))
        return _article(rows[0]) if rows else None

    def articles(self, *, since: str | None = None, sources_only: bool = False
                 ) -> Iterator[Article]:
        """Every article, by publication date (undated last), then id. ``since``: only
        those published on or after that date; ``sources_only``: only the articles that
        are sources (not rejected, not repeating another article's text)."""
        columns = ", ".join(_quote(n) for n in ARTICLE_FIELDS)
        where, params = ["1 = 1"], []
        if since is not None:
            where.append("published >= ?")
            params.append(since)
        if sources_only:
            where.append("status = 'active' AND duplicate_of IS NULL")
        sql = (f"SELECT {columns} FROM articles WHERE {' AND '.join(where)} "
               "ORDER BY (published IS NULL), published, id COLLATE BINARY")
        for row in list(self._db.rows(sql, params)):
            yield _article(row)

    def count(self, table: str) -> int:
        if table not in COUNTABLE:
            raise StoreError("E706", name=table, known=", ".join(COUNTABLE))
        return int(self._db.scalar(f"SELECT COUNT(*) FROM {COUNTABLE[table]}"))

    # -- events -------------------------------------------------------------------------

    def put_event(self, event: Event) -> None:
        """Insert or replace the event with this ``event_id_cnty`` (its ``updated_at``
        becomes now; a new event is active, a stored one keeps its status and edits)."""
        if not _on_the_globe(event.latitude, event.longitude):
            # the map's cell index (migration 0005) cannot hold it, and no map can show it
            raise StoreError("E716", id=event.event_id_cnty, latitude=event.latitude,
                             longitude=event.longitude)
        values = event.to_dict()
        values["article_ids"] = _dumps(list(event.article_ids))
        values["evidence"] = _dumps(values["evidence"])
        values["rear_area"] = None if event.rear_area is None else int(bool(event.rear_area))
        values["updated_at"] = utc_now()
        names = [*EVENT_FIELDS, "updated_at"]
        columns = ", ".join(_quote(n) for n in names)
        marks = ", ".join("?" for _ in names)
        updates = ", ".join(f"{_quote(n)} = excluded.{_quote(n)}" for n in names[1:])
        with self.transaction():
            self._db.execute(
                f"INSERT INTO events ({columns}) VALUES ({marks}) "
                f"ON CONFLICT (event_id_cnty) DO UPDATE SET {updates}",
                [values[n] for n in names],
            )
            self._db.execute("DELETE FROM event_articles WHERE event_id = ?",
                             [event.event_id_cnty])
            for article_id in dict.fromkeys(event.article_ids):
                self._db.execute("INSERT INTO event_articles (event_id, article_id) "
                                 "VALUES (?, ?)", [event.event_id_cnty, article_id])
            match = _ACLED_ID.match(event.event_id_cnty)
            if match:  # an imported ACLED id: later numbers for that country go past it
                self._bump_number(match.group(1), int(match.group(2)))

    def get_event(self, event_id: str) -> Event | None:
        rows = list(self._select_events("event_id_cnty = ?", [event_id]))
        return rows[0] if rows else None

    def delete_event(self, event_id: str) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM events WHERE event_id_cnty = ?", [event_id])
            self._db.execute("DELETE FROM event_articles WHERE event_id = ?", [event_id])

    def events(
        self,
        *,
        country: str | None = None,
        admin1: str | None = None,
        since: str | None = None,
        until: str | None = None,
        event_type: str | None = None,
        actor: str | None = None,
        bbox: Sequence[float] | None = None,
        sub_event_type: str | None = None,
        min_confidence: float | None = None,
        min_fatalities: int | None = None,
        rear_area: bool | None = None,
        changed_since: str | None = None,
        status: str | None = "active",
    ) -> Iterator[Event]:
        """Events matching every filter given, by event_date (undated last) then id.

        Only active events unless ``status`` names another (``"rejected"``,
        ``"deleted"``) or is None (every event). ``sub_event_type`` matches the sub-event
        type alone, case-insensitively; ``min_confidence`` and ``min_fatalities`` are
        inclusive lower bounds; ``rear_area`` True or False keeps the events flagged or
        not; ``changed_since`` (UTC ISO 8601, as the store writes it) keeps events
        created or changed at or after that time.

        country, admin1 and event_type match whole values, case-insensitively; country
        also matches by ISO 3166 code or any name pycountry knows for it ("IQ", "IRQ",
        "Syrian Arab Republic"), through the numeric ``iso`` column; event_type matches
        the event type or the sub-event type ("Battles", "Armed clash"); actor is a
        case-insensitive substring of actor1, actor2 or either associated actor; since
        and until are inclusive ISO dates; bbox is (min_lon, min_lat, max_lon, max_lat)
        (min_lon > max_lon means a box across the antimeridian).
        """
        from ..export.filters import country_number

        where: list[str] = []
        params: list[Any] = []
        if country is not None:
            number = country_number(country)
            if number is None:
                where.append("LOWER(country) = ?")
                params.append(country.strip().lower())
            else:
                where.append("(iso = ? OR LOWER(country) = ?)")
                params += [number, country.strip().lower()]
        if admin1 is not None:
            where.append("LOWER(admin1) = ?")
            params.append(admin1.lower())
        if event_type is not None:
            where.append("(LOWER(event_type) = ? OR LOWER(sub_event_type) = ?)")
            params += [event_type.strip().lower()] * 2
        if since is not None:
            where.append("event_date >= ?")
            params.append(since)
        if until is not None:
            where.append("event_date <= ?")
            params.append(until)
        if actor is not None:
            where.append("(" + " OR ".join(
                f"LOWER({c}) LIKE ? ESCAPE '\\'"
                for c in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")) + ")")
            needle = re.sub(r"([\\%_])", r"\\\1", actor.lower())
            params += [f"%{needle}%"] * 4
        if bbox is not None:
            sql, values = self._bbox_condition(bbox)
            where.append(sql)
            params += values
        if sub_event_type is not None:
            where.append("LOWER(sub_event_type) = ?")
            params.append(sub_event_type.strip().lower())
        if min_confidence is not None:
            where.append("confidence >= ?")
            params.append(float(min_confidence))
        if min_fatalities is not None:
            where.append("fatalities >= ?")
            params.append(int(min_fatalities))
        if rear_area is not None:
            where.append("rear_area = ?")
            params.append(int(bool(rear_area)))
        if changed_since is not None:
            where.append("updated_at >= ?")
            params.append(changed_since)
        if status is not None:
            where.append("status = ?")
            params.append(status)
        yield from self._select_events(" AND ".join(where) or "1 = 1", params)

    @staticmethod
    def _bbox_condition(bbox: Sequence[float]) -> tuple[str, list[float]]:
        try:
            min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox)
        except (TypeError, ValueError):
            raise StoreError("E709", value=bbox) from None
        values = (min_lon, min_lat, max_lon, max_lat)
        if not all(math.isfinite(v) for v in values) or min_lat > max_lat:
            raise StoreError("E709", value=tuple(bbox))
        lat = "latitude BETWEEN ? AND ?"
        if min_lon <= max_lon:
            return f"{lat} AND longitude BETWEEN ? AND ?", [min_lat, max_lat, min_lon, max_lon]
        return f"{lat} AND (longitude >= ? OR longitude <= ?)", [min_lat, max_lat,
                                                                  min_lon, max_lon]

    def events_near(
        self, *, latitude: float, longitude: float, km: float, date_from: str, date_to: str,
        statuses: Sequence[str] = ("active", "rejected"),
    ) -> list[Event]:
        """Events within ``km`` (great circle) of a point, dated date_from..date_to
        inclusive, nearest first (then by date and id): the candidates for a merge.
        Rejected events are among them (a new report of a rejected incident joins it and
        stays out of exports); deleted ones are not."""
        if not (isinstance(km, int | float) and math.isfinite(km) and km >= 0):
            raise StoreError("E712", value=km)
        box, params = _box(latitude, longitude, km)
        marks = ", ".join("?" for _ in statuses) or "NULL"
        found = []
        for event in self._select_events(
            f"{box} AND event_date >= ? AND event_date <= ? AND status IN ({marks})",
            [*params, date_from, date_to, *statuses]
        ):
            if event.latitude is None or event.longitude is None:
                continue
            distance = haversine_km(latitude, longitude, event.latitude, event.longitude)
            if distance <= km:
                found.append((distance, event))
        found.sort(key=itemgetter(0))  # stable: date, id order kept for ties
        return [event for _, event in found]

    def _select_events(self, where: str, params: Sequence[Any]) -> Iterator[Event]:
        columns = ", ".join(_quote(n) for n in EVENT_FIELDS)
        sql = (f"SELECT {columns} FROM events WHERE {where} "
               "ORDER BY (event_date IS NULL), event_date, event_id_cnty COLLATE BINARY")
        for row in self._db.rows(sql, params):
            row["article_ids"] = tuple(json.loads(row["article_ids"] or "[]"))
            row["evidence"] = _evidence(row["evidence"])
            if row["rear_area"] is not None:
                row["rear_area"] = bool(row["rear_area"])
            yield Event(**row)

    def event_meta(self, event_id: str) -> EventMeta | None:
        """The event's status, edits, pipeline version and time of last change."""
        rows = list(self._db.rows("SELECT status, edits, pipeline_version, updated_at "
                                  "FROM events WHERE event_id_cnty = ?", [event_id]))
        if not rows:
            return None
        row = rows[0]
        row["edits"] = json.loads(row["edits"] or "{}")
        return EventMeta(**row)

    def set_event_status(self, event_id: str, status: str) -> None:
        """Set an event's status (its ``updated_at`` becomes now)."""
        if status not in EVENT_STATUSES:
            raise ValueError(f"not an event status: {status!r}")
        with self.transaction():
            self._db.execute("UPDATE events SET status = ?, updated_at = ? "
                             "WHERE event_id_cnty = ?", [status, utc_now(), event_id])

    def set_event_edits(self, event_id: str, edits: dict[str, Any]) -> None:
        """An analyst's field values for the event, applied over every re-derivation."""
        with self.transaction():
            self._db.execute("UPDATE events SET edits = ? WHERE event_id_cnty = ?",
                             [_dumps(edits), event_id])

    def set_event_version(self, event_id: str, version: str | None) -> None:
        """The pipeline version(s) of the event's reports (not a change of the event)."""
        with self.transaction():
            self._db.execute("UPDATE events SET pipeline_version = ? WHERE event_id_cnty = ?",
                             [version, event_id])

    def event_ids_of_article(self, article_id: str) -> list[str]:
        """Every event (any status) that names the article among its sources (an index
        look-up in ``event_articles``, which ``put_event`` keeps)."""
        rows = self._db.rows("SELECT event_id FROM event_articles WHERE article_id = ? "
                             "ORDER BY event_id COLLATE BINARY", [article_id])
        return [row["event_id"] for row in rows]

    def deletions(self, since: str | None = None) -> list[dict[str, Any]]:
        """The deletions feed (ACLED's ``deleted`` list): events that are now rejected or
        deleted, each once with the latest change-log entry that took it out (``at`` at
        or after ``since``, UTC ISO 8601), oldest first: ``{event_id_cnty, status,
        deleted_at, reason}``."""
        sql = ("SELECT c.event_id, c.action, c.detail, c.at, e.status FROM change_log c "
               "JOIN events e ON e.event_id_cnty = c.event_id "
               "WHERE c.action IN ('rejected', 'deleted') AND e.status <> 'active'")
        params: list[Any] = []
        if since is not None:
            sql += " AND c.at >= ?"
            params.append(since)
        latest: dict[str, dict[str, Any]] = {}
        for row in self._db.rows(sql + " ORDER BY c.id", params):
            latest.pop(row["event_id"], None)
            latest[row["event_id"]] = row
        return [{"event_id_cnty": r["event_id"], "status": r["status"],
                 "deleted_at": r["at"], "reason": r["detail"]} for r in latest.values()]

    # -- reports: what each article said about each event --------------------------------

    def add_report(self, event_id: str, article_id: str | None, seq: int,
                   published: str | None, pipeline_version: str | None, event: Event) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO reports (event_id, article_id, seq, published, "
                "pipeline_version, event) VALUES (?, ?, ?, ?, ?, ?)",
                [event_id, article_id, seq, published, pipeline_version,
                 event_to_json(event)])

    def update_report(self, report_id: int, event: Event) -> None:
        with self.transaction():
            self._db.execute("UPDATE reports SET event = ? WHERE id = ?",
                             [event_to_json(event), report_id])

    def delete_report(self, report_id: int) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM reports WHERE id = ?", [report_id])

    def reports(self, *, event_id: str | None = None, article_id: str | None = None,
                legacy: bool = False) -> list[Report]:
        """The reports of an event or of an article (``legacy``: the legacy reports, whose
        article is None), in insertion order."""
        where, params = [], []
        if event_id is not None:
            where.append("event_id = ?")
            params.append(event_id)
        if article_id is not None:
            where.append("article_id = ?")
            params.append(article_id)
        if legacy:
            where.append("article_id IS NULL")
        sql = ("SELECT id, event_id, article_id, seq, published, pipeline_version, event "
               f"FROM reports WHERE {' AND '.join(where) or '1 = 1'} ORDER BY id")
        found = []
        for row in list(self._db.rows(sql, params)):
            row["event"] = event_from_json(row["event"])
            found.append(Report(**row))
        return found

    def next_event_number(self, iso3: str) -> int:
        """The next number for an event id in this country (IRQ + 1 -> 'IRQ1'): one more
        than any number handed out or stored before, so never reused after a delete."""
        code = iso3.strip().upper() if isinstance(iso3, str) else ""
        if not code:
            raise StoreError("E710", value=iso3)
        with self.transaction():
            self._db.execute(
                "INSERT INTO event_numbers (iso3, last) VALUES (?, 1) "
                "ON CONFLICT (iso3) DO UPDATE SET last = event_numbers.last + 1",
                [code],
            )
            return int(self._db.scalar("SELECT last FROM event_numbers WHERE iso3 = ?",
                                       [code]))

    def _bump_number(self, code: str, number: int) -> None:
        self._db.execute(
            "INSERT INTO event_numbers (iso3, last) VALUES (?, ?) ON CONFLICT (iso3) DO "
            "UPDATE SET last = CASE WHEN excluded.last > event_numbers.last "
            "THEN excluded.last ELSE event_numbers.last END",
            [code, number],
        )

    # -- control ledger -----------------------------------------------------------------

    def add_control(self, record: ControlChange) -> bool:
        """Store a control statement; False if an identical one is stored (same article,
        place (geonameid, else coordinates, else name), kind, date and holder)."""
        values = record.to_dict()
        values["evidence"] = _dumps(values["evidence"])
        values["place_key"] = name_key(record.place or "")
        values["place_variant"] = variant_key(record.place or "")
        values["dedup_key"] = _control_key(record)
        names = [*CONTROL_FIELDS, "place_key", "place_variant", "dedup_key"]
        columns = ", ".join(_quote(n) for n in names)
        marks = ", ".join("?" for _ in names)
        with self.transaction():
            cursor = self._db.execute(
                f"INSERT INTO control ({columns}) VALUES ({marks}) "
                "ON CONFLICT (dedup_key) DO NOTHING",
                [values[n] for n in names],
            )
            return cursor.rowcount == 1

    def control(
        self,
        *,
        place: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        km: float = 25.0,
    ) -> list[ControlChange]:
        """Control statements about a place, by date (undated last) then insertion.

        ``place`` matches the stored name case-insensitively or by its folded key
        (diacritics, al-/ash- prefixes: "Sharqat" finds "Ash Sharqāt"); only when that
        finds nothing, by transliteration variant ("Shirqat"). With latitude and
        longitude, records within ``km`` of the point. Both given: both must hold.
        No arguments: the whole ledger.
        """
        where, params = [], []
        if latitude is not None and longitude is not None:
            box, values = _box(latitude, longitude, km)
            where.append(box)
            params += values
        found = []
        if place is not None:
            found = self._control_rows([*where, "(LOWER(place) = ? OR place_key = ?)"],
                                       [*params, place.lower(), name_key(place)])
            variant = variant_key(place)
            if not found and variant:
                found = self._control_rows([*where, "place_variant = ?"], [*params, variant])
        else:
            found = self._control_rows(where, params)
        if latitude is None or longitude is None:
            return found
        return [r for r in found if r.latitude is not None and r.longitude is not None
                and haversine_km(latitude, longitude, r.latitude, r.longitude) <= km]

    def remove_control_of_article(self, article_id: str) -> list[ControlChange]:
        """Delete the control statements an article made (before it is re-extracted or
        when it is rejected; its text stays stored) and return them."""
        with self.transaction():
            records = self._control_rows(["article_id = ?"], [article_id])
            self._db.execute("DELETE FROM control WHERE article_id = ?", [article_id])
        return records

    def _control_rows(self, where: list[str], params: list[Any]) -> list[ControlChange]:
        columns = ", ".join(_quote(n) for n in CONTROL_FIELDS)
        sql = (f"SELECT {columns} FROM control WHERE {' AND '.join(where) or '1 = 1'} "
               'ORDER BY ("date" IS NULL), "date", id')
        records = []
        for row in self._db.rows(sql, params):
            row["evidence"] = _evidence(row["evidence"])
            records.append(ControlChange(**row))
        return records

    # -- change log ---------------------------------------------------------------------

    def log(self, event_id: str, action: str, detail: str, article_id: str | None = None) -> None:
        """Record why an event was created, merged, updated, deleted, flagged, revised,
        rejected, restored or edited."""
        if action not in ACTIONS:
            raise StoreError("E707", action=action, known=", ".join(ACTIONS))
        at = utc_now()
        with self.transaction():
            self._db.execute(
                "INSERT INTO change_log (event_id, action, detail, article_id, at) "
                "VALUES (?, ?, ?, ?, ?)",
                [event_id, action, detail, article_id, at],
            )

    def history(self, event_id: str | None = None) -> list[dict[str, Any]]:
        """Change-log entries (all, or one event's), oldest first."""
        sql = "SELECT event_id, action, detail, article_id, at FROM change_log"
        params: list[Any] = []
        if event_id is not None:
            sql += " WHERE event_id = ?"
            params.append(event_id)
        return list(self._db.rows(sql + " ORDER BY id", params))

    def logged_event_ids(self) -> list[str]:
        """The ids the change log names, sorted."""
        # GROUP BY, not DISTINCT: PostgreSQL refuses ORDER BY ... COLLATE after DISTINCT.
        rows = self._db.rows("SELECT event_id FROM change_log GROUP BY event_id "
                             "ORDER BY event_id COLLATE BINARY")
        return [row["event_id"] for row in rows]

    def distinct(self, column: str) -> list[str]:
        """The distinct non-empty values of an event text column (country, admin1,
        event_type, sub_event_type), sorted; for suggesting filter values."""
        if column not in ("country", "admin1", "event_type", "sub_event_type"):
            raise ValueError(f"not a filterable event column: {column!r}")
        rows = self._db.rows(f"SELECT {column} AS v FROM events WHERE {column} "
                             f"IS NOT NULL AND {column} <> '' GROUP BY {column} "
                             f"ORDER BY {column} COLLATE BINARY")
        return [row["v"] for row in rows]

    # -- migrations ---------------------------------------------------------------------

    def migrations(self) -> list[str]:
        """Applied migrations, in the order they were applied."""
        return _migrations.applied(self._db)

    def pending(self) -> list[str]:
        """Registered migrations not applied yet (read-only)."""
        return _migrations.pending(self._db)


def _control_key(record: ControlChange) -> str:
    """The identity of a control statement, as a hash."""
    if record.geonameid is not None:
        where: Any = ["id", record.geonameid]
    elif record.latitude is not None and record.longitude is not None:
        where = ["at", round(record.latitude, 6), round(record.longitude, 6)]
    else:
        where = ["name", name_key(record.place or "")]
    key = _dumps([record.article_id, where, record.kind, record.date, record.holder])
    return hashlib.sha256(key.encode("ascii")).hexdigest()
