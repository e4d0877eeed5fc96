"""The dataset store: one schema on SQLite (the default) and PostgreSQL.

>>> from rearguard.store import open_store
>>> store = open_store("sqlite:///rearguard.db")  # doctest: +SKIP

See docs/store.md for URLs, the schema, migrations and crash safety.
"""

from __future__ import annotations

from ..errors import StoreError
from .migrations import MIGRATIONS, migration
from .store import (
    ACTIONS,
    EVENT_STATUSES,
    ArticleMeta,
    EventMeta,
    Report,
    Store,
    open_store,
    text_hash,
    utc_now,
)

__all__ = ["ACTIONS", "EVENT_STATUSES", "MIGRATIONS", "ArticleMeta", "EventMeta", "Report",
           "Store", "StoreError", "migration", "open_store", "text_hash", "utc_now"]
