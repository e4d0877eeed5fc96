"""Fixtures for the store tests: one store per backend.

SQLite lives in ``tmp_path``. PostgreSQL uses a fresh schema per test session
(``rg_test_<random>`` on ``REARGUARD_TEST_POSTGRES`` or
postgresql://postgres@127.0.0.1:5432/test), selected through the connection's
``options=-csearch_path=...``, emptied before each test and dropped at the end. If the
server cannot be reached the PostgreSQL tests are skipped, or fail when ``CI`` is set.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from rearguard.store import Store, open_store

PG_BASE = os.environ.get("REARGUARD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
DATA_TABLES = ("articles", "events", "event_numbers", "control", "change_log")


def schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_BASE else "?"
    return f"{PG_BASE}{sep}options=-csearch_path%3D{schema}"


def _admin():
    """An autocommit connection to the test database, or skip/fail when unreachable."""
    try:
        import psycopg

        return psycopg.connect(PG_BASE, autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - any reason the server is not usable
        reason = f"PostgreSQL at {PG_BASE} is unreachable ({' '.join(str(exc).split())})"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI is set, so the PostgreSQL store tests must run. "
                        "Start the server or set REARGUARD_TEST_POSTGRES.", pytrace=False)
        pytest.skip(reason + "; set REARGUARD_TEST_POSTGRES or start the server")


@contextlib.contextmanager
def _new_schema() -> Iterator[str]:
    admin = _admin()
    name = f"rg_test_{secrets.token_hex(4)}"
    admin.execute(f"CREATE SCHEMA {name}")
    try:
        yield name
    finally:
        admin.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        admin.close()


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[str]:
    """A schema for this test session (dropped afterwards)."""
    with _new_schema() as name:
        yield name


@pytest.fixture
def fresh_pg_schema() -> Iterator[str]:
    """An empty schema of its own, for tests that need an unmigrated database."""
    with _new_schema() as name:
        yield name


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a migrated, empty store on each backend."""
    if request.param == "sqlite":
        # tmp_path is absolute, so this is sqlite:////tmp/.../store.db
        return f"sqlite:///{tmp_path / 'store.db'}"
    schema = request.getfixturevalue("pg_schema")
    url = schema_url(schema)
    with open_store(url) as store:
        del store  # migrated
    admin = _admin()
    admin.execute(f"TRUNCATE {', '.join(f'{schema}.{t}' for t in DATA_TABLES)}")
    admin.close()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a database that has never been migrated."""
    if request.param == "sqlite":
        return str(tmp_path / "fresh.db")
    return schema_url(request.getfixturevalue("fresh_pg_schema"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()
