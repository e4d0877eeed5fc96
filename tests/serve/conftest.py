"""A small dataset for the server: the bundled example reports (examples/ and
examples/golden) and the three Mogadishu reports of tests/data/dataset (two of one
incident: a merge), ingested once per session into SQLite, and into PostgreSQL when the
server is reachable (tests/conftest.py's rule: skipped, or failed when CI is set)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from rearguard.store import open_store

from ..conftest import _new_schema
from ..helpers import schema_url

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(str(p) for p in [ROOT / "examples/shirqat-2016-11-06.txt",
                                   *(ROOT / "examples/golden").glob("*.txt"),
                                   *(ROOT / "tests/data/dataset").glob("*.txt")])
TOKEN = "test-token-0123456789"


def _fill(url: str, settings) -> None:
    from rearguard.dataset import ingest

    with open_store(url) as store:
        report = ingest(SOURCES, store=store, settings=settings)
    assert not report.errors and report.events_new >= 10


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory, settings) -> Path:
    """The example dataset in a SQLite file (read it only; copy it to change it)."""
    path = tmp_path_factory.mktemp("serve") / "examples.db"
    _fill(str(path), settings)
    return path


@pytest.fixture
def writable_db(example_db: Path, tmp_path: Path) -> Path:
    """A copy of the example dataset this test may change."""
    copy = tmp_path / "copy.db"
    shutil.copy(example_db, copy)
    return copy


@pytest.fixture(scope="session")
def example_pg(settings) -> Iterator[str]:
    """The example dataset in a PostgreSQL schema of its own."""
    with _new_schema() as schema:
        url = schema_url(schema)
        _fill(url, settings)
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def example_url(request: pytest.FixtureRequest) -> str:
    """The example dataset on each backend."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("example_db"))
    return request.getfixturevalue("example_pg")


def client(url: str | Path, **options):
    from fastapi.testclient import TestClient

    from rearguard.serve import create_app

    return TestClient(create_app(str(url), **options))
