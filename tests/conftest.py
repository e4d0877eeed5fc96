"""Shared fixtures: the built gazetteer (built once, cached in the user data directory or
REARGUARD_TEST_GAZETTEER), settings that use it, and the --slow option."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from rearguard.settings import Settings, load_settings
from rearguard.store import Store, open_store

from .helpers import PG_BASE, schema_url

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Settings on the full built-in gazetteer (built on first use, ~30 s)."""
    path = os.environ.get("REARGUARD_TEST_GAZETTEER")
    base = load_settings(**({"gazetteer": path} if path else {}))
    from rearguard.geo import open_gazetteer

    open_gazetteer(base, show_progress=False)
    return base


@pytest.fixture(scope="session")
def gazetteer(settings: Settings):
    from rearguard.geo import open_gazetteer

    return open_gazetteer(settings, show_progress=False)


# The country files of ../shared/gazetteer that the village-level tests load.
VILLAGE_FILES = ("SY.zip", "IQ.zip")


@pytest.fixture(scope="session")
def village_settings() -> Settings:
    """Settings on a village-level gazetteer: the built-in sources plus SY.zip and IQ.zip
    from ../shared/gazetteer (32,000 more places; skipped when the folder is missing).
    Built once (about a minute) and cached beside the default test gazetteer under a name
    keyed by the files' names and sizes and the index code's fingerprint, so a later run
    reuses it and a change to the index code or the files builds a new one."""
    import hashlib

    from rearguard.geo.build import build_gazetteer, source_fingerprint

    files = [SHARED / "gazetteer" / name for name in VILLAGE_FILES]
    if not all(path.is_file() for path in files):
        pytest.skip(f"../shared/gazetteer ({', '.join(VILLAGE_FILES)}) is not beside the "
                    "checkout")
    facts = [source_fingerprint(geonames=True),
             *(f"{p.name}:{p.stat().st_size}" for p in files)]
    key = hashlib.sha256("\n".join(facts).encode()).hexdigest()[:16]
    test_gazetteer = os.environ.get("REARGUARD_TEST_GAZETTEER")
    cache = Path(test_gazetteer).parent if test_gazetteer else load_settings().gazetteer_path.parent
    path = cache / f"village-test-{key}.sqlite"
    if not path.is_file():
        build_gazetteer(path, geonames=files, show_progress=False)
        for old in cache.glob("village-test-*.sqlite"):
            if old != path:
                old.unlink(missing_ok=True)
    return load_settings(gazetteer=str(path))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No REARGUARD_* settings (but the test gazetteer) and no rearguard.toml from the
    caller's environment: the test runs in an empty working directory."""
    for name in list(os.environ):
        if name.startswith("REARGUARD_") and name != "REARGUARD_TEST_GAZETTEER":
            monkeypatch.delenv(name)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)


# -- dataset stores on both backends ---------------------------------------------------
# SQLite lives in ``tmp_path``. PostgreSQL uses a fresh schema per test session
# (``rg_test_<random>`` on ``REARGUARD_TEST_POSTGRES`` or
# postgresql://postgres@127.0.0.1:5432/test), selected through the connection's
# ``options=-csearch_path=...``, emptied before each test and dropped at the end. If the
# server cannot be reached the PostgreSQL tests are skipped, or fail when ``CI`` is set.

DATA_TABLES = ("articles", "events", "event_numbers", "control", "change_log", "reports",
               "article_revisions", "event_articles")




def _admin():
    """An autocommit connection to the test database, or skip/fail when unreachable."""
    try:
        import psycopg

        return psycopg.connect(PG_BASE, autocommit=True, connect_timeout=3)
    except Exception as exc:  # any reason the server is not usable
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
