"""The dataset store: one schema on SQLite (the default) and PostgreSQL.

>>> from rearguard.store import open_store
>>> store = open_store("sqlite:///rearguard.db")  # doctest: +SKIP

See docs/store.md for URLs, the schema, migrations and crash safety.
"""

from __future__ import annotations

from ..errors import StoreError
from .migrations import MIGRATIONS, migration
from .store import ACTIONS, Store, open_store

__all__ = ["ACTIONS", "MIGRATIONS", "Store", "StoreError", "migration", "open_store"]
