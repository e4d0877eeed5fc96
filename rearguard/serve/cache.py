"""What the server keeps between requests while the store does not change: each event's
rendered JSON (the bytes :func:`.formats.row_json_bytes` writes) and GeoJSON feature, and
counts, dropped as a whole when the data changes.

The data version is checked once per request, before its queries: on SQLite
``PRAGMA data_version`` of the thread's connection (it changes when another connection
commits: another process, or another thread of this one), on PostgreSQL
``pg_current_snapshot()`` (it changes when any transaction commits on the server; cheaper
than knowing which). A connection seen for the first time also drops the cache (it cannot
tell what changed before it was opened), and so does every write this server makes itself
(:class:`DropOnWrite`), since its own connection does not see it as a change. An entry is
only stored when no change was seen since its request checked the version, so a request
that read the store before a change cannot leave what it read behind it.

Bounded in bytes (``--cache-mb``, per server process); the oldest entries go first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from ..store.sql import Database
from .limits import Receive, Scope, Send

ENTRY_OVERHEAD = 120  # bytes a cached entry costs beyond its JSON (key, node)
MAX_COUNTS = 10_000


def data_version(db: Database) -> Hashable:
    if db.backend == "sqlite":
        return db.scalar("PRAGMA data_version")
    return db.scalar("SELECT pg_current_snapshot()::text")


class Cache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, int(max_bytes))
        self.generation = 0
        self._lock = threading.Lock()
        self._events: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._size = 0
        self._counts: dict[Hashable, int] = {}
        self._versions: dict[int, Hashable] = {}  # id(connection) -> its last version
        self.hits = self.misses = 0

    def check(self, db: Database) -> int:
        """Look at the store's data version through ``db``; drop everything if it changed.
        Returns the generation to hand to :meth:`events` and :meth:`count`."""
        version = data_version(db)
        key = id(db.conn) if db.backend == "sqlite" else 0
        with self._lock:
            if self._versions.get(key, self) != version:
                self._versions[key] = version
                self._drop()
            return self.generation

    def drop(self) -> None:
        """Forget everything (after this server wrote to the store)."""
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        self.generation += 1
        self._events.clear()
        self._counts.clear()
        self._size = 0

    def events(self, ids: Sequence[str], generation: int,
               load: Callable[[list[str]], dict[str, bytes]], kind: str = "json"
               ) -> list[bytes | None]:
        """What is kept of each event as ``kind`` (its JSON; its GeoJSON feature), from the
        cache or from ``load(missing ids)`` (None for an event ``load`` did not find)."""
        keys = [(kind, i) for i in ids]
        with self._lock:
            current = generation == self.generation
            found = [self._events.get(k) if current else None for k in keys]
            if current:
                for key, body in zip(keys, found, strict=True):
                    if body is not None:
                        self._events.move_to_end(key)
        missing = [i for i, body in zip(ids, found, strict=True) if body is None]
        self.hits += len(ids) - len(missing)
        self.misses += len(missing)
        if not missing:
            return found
        loaded = load(missing)
        if self.max_bytes:
            with self._lock:
                if generation == self.generation:
                    for i, body in loaded.items():
                        if (kind, i) not in self._events:
                            self._events[kind, i] = body
                            self._size += len(body) + ENTRY_OVERHEAD
                    while self._size > self.max_bytes and self._events:
                        _, old = self._events.popitem(last=False)
                        self._size -= len(old) + ENTRY_OVERHEAD
        return [body if body is not None else loaded.get(i)
                for i, body in zip(ids, found, strict=True)]

    def count(self, key: Hashable, generation: int, compute: Callable[[], int]) -> int:
        with self._lock:
            if generation == self.generation and key in self._counts:
                return self._counts[key]
        value = compute()
        with self._lock:
            if generation == self.generation and self.max_bytes:
                if len(self._counts) >= MAX_COUNTS:
                    self._counts.clear()
                self._counts[key] = value
        return value

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {"events": len(self._events), "bytes": self._size,
                    "generation": self.generation, "hits": self.hits, "misses": self.misses}


class DropOnWrite:
    """ASGI middleware: a request but GET, HEAD and OPTIONS (the review and ingest POSTs)
    drops the cache when its answer starts (so a client that reads after it sees what it
    wrote) and again when it ends (whatever happened)."""

    def __init__(self, app: Callable[..., Any], cache: Cache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return

        async def dropping(message: Any) -> None:
            if message.get("type") == "http.response.start":
                self.cache.drop()
            await send(message)

        try:
            await self.app(scope, receive, dropping)
        finally:
            self.cache.drop()
