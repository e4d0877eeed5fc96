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
