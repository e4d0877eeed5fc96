"""One store connection per server thread.

The request handlers run in a thread pool (at most ``threads`` at a time). SQLite
connections may only be used by the thread that opened them, so each thread keeps its
own, opened on first use through :func:`rearguard.store.sql.connect` (the same settings
as every other command: WAL, busy timeout, Unicode LOWER). On PostgreSQL this bounds the
server's connections to the pool size.
"""

from __future__ import annotations

import threading

from ..store import Store
from ..store.sql import Database, connect


class Connections:
    def __init__(self, url: str | None) -> None:
        self.url = url
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Database] = []

    def db(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.url)
            self._local.db = db
            with self._lock:
                self._opened.append(db)
        return db

    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        db = self.db()
        if store is None or getattr(self._local, "store_db", None) is not db:
            store = Store(db)
            self._local.store, self._local.store_db = store, db
        return store

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for db in opened:
            db.close()
        self._local = threading.local()
