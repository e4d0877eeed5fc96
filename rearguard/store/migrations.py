"""Named, recorded schema migrations (sqlite-utils style).

Each migration is a function decorated with ``@migration("NNNN_name")``; they run in the
order they are registered, each once, and are recorded in ``_migrations`` (position, name,
UTC time applied). The DDL is one text for both backends: portable types, JSON as TEXT,
booleans as INTEGER 0/1, and ``SERIAL_ID`` for an auto-numbered key (see :mod:`.sql`).
Never edit a released migration; add a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from ..errors import StoreError
from .sql import Database

Migration = Callable[[Database], None]
MIGRATIONS: list[tuple[str, Migration]] = []

_BOOKKEEPING = (
    "CREATE TABLE IF NOT EXISTS _migrations ("
    "seq INTEGER NOT NULL, name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
)


def migration(name: str) -> Callable[[Migration], Migration]:
    """Register a migration under a unique name, after those already registered."""

    def register(fn: Migration) -> Migration:
        if any(known == name for known, _ in MIGRATIONS):
            raise ValueError(f"migration {name!r} is registered twice")
        MIGRATIONS.append((name, fn))
        return fn

    return register


def applied(db: Database) -> list[str]:
    """Names of the applied migrations, in the order they were applied (read-only)."""
    if not db.table_exists("_migrations"):
        return []
    return [r["name"] for r in db.rows("SELECT name FROM _migrations ORDER BY seq, name")]


def pending(db: Database) -> list[str]:
    """Registered migrations not yet applied, in order (read-only)."""
    done = set(applied(db))
    return [name for name, _ in MIGRATIONS if name not in done]


def check_known(db: Database, names: list[str]) -> None:
    """StoreError E705 when the database records migrations this version does not know."""
    known = {name for name, _ in MIGRATIONS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise StoreError("E705", where=db.where, names=", ".join(unknown))


def migrate(db: Database) -> list[str]:
    """Apply pending migrations in one transaction; return the names applied.

    Idempotent, and safe when several processes open the same store at once: the
    transaction takes the write lock (SQLite) or an advisory lock (PostgreSQL) and then
    looks again at what is applied.
    """
    names = applied(db)
    check_known(db, names)
    if not pending(db):
        return []
    db.begin()
    try:
        db.lock_for_migration()
        db.execute(_BOOKKEEPING)
        done = applied(db)
        check_known(db, done)
        ran: list[str] = []
        for name, fn in MIGRATIONS:
            if name in done:
                continue
            fn(db)
            at = datetime.now(UTC).isoformat(timespec="microseconds")
            db.execute(
                "INSERT INTO _migrations (seq, name, applied_at) VALUES (?, ?, ?)",
                [len(done) + len(ran) + 1, name, at],
            )
            ran.append(name)
    except BaseException:
        db.rollback()
        raise
    db.commit()
    return ran


@migration("0001_initial")
def _initial(db: Database) -> None:
    statements = (
        """CREATE TABLE articles (
            id TEXT PRIMARY KEY, url TEXT UNIQUE, published TEXT, title TEXT,
            source TEXT, text TEXT NOT NULL)""",
        """CREATE TABLE events (
            event_id_cnty TEXT PRIMARY KEY, event_date TEXT, year BIGINT,
            time_precision BIGINT, disorder_type TEXT, event_type TEXT, sub_event_type TEXT,
            actor1 TEXT, assoc_actor_1 TEXT, inter1 BIGINT, actor2 TEXT, assoc_actor_2 TEXT,
            inter2 BIGINT, interaction BIGINT, civilian_targeting TEXT, iso BIGINT,
            region TEXT, country TEXT, admin1 TEXT, admin2 TEXT, admin3 TEXT, location TEXT,
            latitude DOUBLE PRECISION, longitude DOUBLE PRECISION, geo_precision BIGINT,
            source TEXT, source_scale TEXT, notes TEXT, fatalities BIGINT, tags TEXT,
            "timestamp" BIGINT, injured BIGINT, captured BIGINT, claimed_by TEXT,
            rear_area INTEGER NOT NULL DEFAULT 0, rear_area_reason TEXT, front TEXT,
            front_distance_km DOUBLE PRECISION, confidence DOUBLE PRECISION,
            article_ids TEXT NOT NULL DEFAULT '[]', evidence TEXT NOT NULL DEFAULT '[]')""",
        "CREATE INDEX events_date ON events (event_date)",
        "CREATE INDEX events_country ON events (country, admin1)",
        "CREATE INDEX events_point ON events (latitude, longitude)",
        """CREATE TABLE event_numbers (iso3 TEXT PRIMARY KEY, last BIGINT NOT NULL)""",
        """CREATE TABLE control (
            id SERIAL_ID, dedup_key TEXT NOT NULL UNIQUE, place TEXT, place_key TEXT,
            place_variant TEXT, geonameid BIGINT, latitude DOUBLE PRECISION,
            longitude DOUBLE PRECISION, country TEXT, admin1 TEXT, holder TEXT,
            previous_holder TEXT, "date" TEXT, date_precision BIGINT, kind TEXT,
            extent TEXT, confidence DOUBLE PRECISION, evidence TEXT NOT NULL DEFAULT '[]',
            article_id TEXT, held_days BIGINT)""",
        "CREATE INDEX control_place_key ON control (place_key)",
        "CREATE INDEX control_place_variant ON control (place_variant)",
        "CREATE INDEX control_point ON control (latitude, longitude)",
        """CREATE TABLE change_log (
            id SERIAL_ID, event_id TEXT NOT NULL, action TEXT NOT NULL,
            detail TEXT NOT NULL, article_id TEXT, at TEXT NOT NULL)""",
        "CREATE INDEX change_log_event ON change_log (event_id)",
    )
    for sql in statements:
        db.execute(db.serial(sql))


@migration("0002_article_language_flags")
def _article_language_flags(db: Database) -> None:
    """Article.language (ISO 639-1, NULL when not detected) and Article.flags
    (comma-separated, e.g. "truncated"; NULL when reading changed nothing)."""
    db.execute("ALTER TABLE articles ADD COLUMN language TEXT")
    db.execute("ALTER TABLE articles ADD COLUMN flags TEXT")


@migration("0003_revisions_review")
def _revisions_review(db: Database) -> None:
    """Revisions, review and re-extraction (issue 11, points 1-3).

    * ``articles``: ``content_hash`` (the text's hash, so the same text under two ids or
      two URLs is one source), ``duplicate_of`` (the article whose text this one repeats;
      such an article is not extracted), ``revision`` (1, 2, ... as the text at its URL or
      id changes), ``status`` (``active`` or ``rejected``, with ``review_note``),
      ``extracted_with`` (the pipeline version of its reports) and ``updated_at``.
    * ``article_revisions``: every earlier text of an article, so a revision never loses
      what was stored.
    * ``events``: ``status`` (``active``, ``rejected`` by an analyst, ``deleted`` when no
      report supports it any more), ``edits`` (an analyst's field values, JSON, applied
      over every re-derivation), ``pipeline_version`` (of the reports it is made of; NULL
      for events stored before this migration) and ``updated_at`` (UTC ISO 8601 of the
      last change, for ``export --changed-since``).
    * ``reports``: what one article's extraction said about one event (the event as
      extracted, JSON); a dataset event is the merge of its reports in publication order,
      so it can be re-derived when an article is revised, rejected or re-extracted.
    """
    statements = (
        "ALTER TABLE articles ADD COLUMN content_hash TEXT",
        "ALTER TABLE articles ADD COLUMN duplicate_of TEXT",
        "ALTER TABLE articles ADD COLUMN revision BIGINT NOT NULL DEFAULT 1",
        "ALTER TABLE articles ADD COLUMN status TEXT NOT NULL DEFAULT 'active'",
        "ALTER TABLE articles ADD COLUMN review_note TEXT",
        "ALTER TABLE articles ADD COLUMN extracted_with TEXT",
        "ALTER TABLE articles ADD COLUMN updated_at TEXT",
        "CREATE INDEX articles_content_hash ON articles (content_hash)",
        "CREATE INDEX articles_duplicate_of ON articles (duplicate_of)",
        """CREATE TABLE article_revisions (
            id SERIAL_ID, article_id TEXT NOT NULL, revision BIGINT NOT NULL,
            url TEXT, published TEXT, title TEXT, source TEXT, text TEXT NOT NULL,
            language TEXT, flags TEXT, content_hash TEXT, replaced_at TEXT NOT NULL,
            why TEXT NOT NULL)""",
        "CREATE INDEX article_revisions_article ON article_revisions (article_id)",
        "ALTER TABLE events ADD COLUMN status TEXT NOT NULL DEFAULT 'active'",
        "ALTER TABLE events ADD COLUMN edits TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE events ADD COLUMN pipeline_version TEXT",
        "ALTER TABLE events ADD COLUMN updated_at TEXT",
        "CREATE INDEX events_updated_at ON events (updated_at)",
        """CREATE TABLE reports (
            id SERIAL_ID, event_id TEXT NOT NULL, article_id TEXT, seq BIGINT NOT NULL,
            published TEXT, pipeline_version TEXT, event TEXT NOT NULL)""",
        "CREATE INDEX reports_event ON reports (event_id)",
        "CREATE INDEX reports_article ON reports (article_id)",
    )
    for sql in statements:
        db.execute(db.serial(sql))
    # Backfill: the hash of every stored text (as rearguard.pipeline.content_id computes
    # it) and, for events, the time of their last change-log entry.
    import hashlib

    for row in list(db.rows("SELECT id, text FROM articles")):
        digest = hashlib.sha1(row["text"].encode("utf-8")).hexdigest()[:16]
        db.execute("UPDATE articles SET content_hash = ? WHERE id = ?", [digest, row["id"]])
    db.execute("UPDATE events SET updated_at = (SELECT MAX(at) FROM change_log "
               "WHERE change_log.event_id = events.event_id_cnty)")


@migration("0004_event_articles")
def _event_articles(db: Database) -> None:
    """``event_articles(event_id, article_id)``: which events name which article among their
    sources, kept by ``put_event``, so finding the events an article fed (a revision, a
    rejected source, a re-extraction) is an index look-up, not a scan of every event's
    ``article_ids``. Backfilled from the stored events."""
    import json

    db.execute("CREATE TABLE event_articles (event_id TEXT NOT NULL, article_id TEXT NOT NULL, "
               "PRIMARY KEY (event_id, article_id))")
    db.execute("CREATE INDEX event_articles_article ON event_articles (article_id)")
    for row in list(db.rows("SELECT event_id_cnty, article_ids FROM events")):
        for article_id in dict.fromkeys(json.loads(row["article_ids"] or "[]")):
            db.execute("INSERT INTO event_articles (event_id, article_id) VALUES (?, ?)",
                       [row["event_id_cnty"], article_id])



# A point's 1-degree grid cell (row * 360 + column, from 90 S and 180 W), the SQL
# expression migration 0005 indexes (``events_cell``). A query uses the index only when it
# spells the expression exactly so: never change it (a new migration would have to rebuild
# the index). SQLite's CAST truncates toward zero (and cannot fail); PostgreSQL's integer
# cast rounds (and fails out of range), so there it is trunc() on doubles. The same cell in
# Python: :func:`event_cell`.
EVENT_CELL_SQL = {
    "sqlite": "(CAST(latitude + 90 AS INTEGER) * 360 + CAST(longitude + 180 AS INTEGER))",
    "postgresql": "(trunc(latitude + 90) * 360 + trunc(longitude + 180))",
}


def event_cell(latitude: float, longitude: float) -> int:
    """:data:`EVENT_CELL_SQL` of a point (for latitudes -90..90, longitudes -180..180)."""
    return int(latitude + 90) * 360 + int(longitude + 180)


@migration("0005_event_page_indexes")
def _event_page_indexes(db: Database) -> None:
    """Indexes from which a page of events is found without reading a row until the page
    is known (issue 12's load goal; ``rearguard/serve/queries.py``, docs/serve.md). Both
    end with the order every page and export comes in (event date, then id in code-point
    order: ``COLLATE BINARY``, "C" on PostgreSQL) and the point, so a page is the first
    matching entries of a walk in that order:

    * ``events_page (status, event_date, event_id_cnty, latitude, longitude)``: the
      pages of the whole dataset (the first page of 100,000 events is its first 101
      entries; a cursor is a seek) and of a large bbox;
    * ``events_cell (status, cell, event_date, event_id_cnty, latitude, longitude)``, on
      :data:`EVENT_CELL_SQL`, the point's 1-degree cell: a small bbox is the few cells it
      overlaps, each walked in page order, whether the region is dense or empty.
    """
    db.execute("CREATE INDEX events_page ON events "
               "(status, event_date, event_id_cnty COLLATE BINARY, latitude, longitude)")
    db.execute(f"CREATE INDEX events_cell ON events (status, {EVENT_CELL_SQL[db.backend]}, "
               "event_date, event_id_cnty COLLATE BINARY, latitude, longitude)")
