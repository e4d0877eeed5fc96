"""kill -9 at 20 random points of an ingest, on SQLite and on PostgreSQL, then a re-run: the
dataset is exactly the one a clean run gives (issue 11, point 5).

This extends tests/dataset/test_ingest.py::test_a_killed_ingest_loses_and_duplicates_nothing
(one kill, SQLite, timed by polling the article count, checks counts and duplicates) to
points chosen inside the writes and a comparison of every table. The ingest runs in a child
process, ``python -c KILL_HOOK ingest ...``: the hook wraps the store's one statement runner
(``rearguard.store.sql.Database.execute``), numbers its write statements (INSERT, UPDATE,
DELETE, COMMIT) and, at the chosen one, sends the process SIGKILL, before or after the
statement runs. So a point can fall between an article's row and its events, between an
event and its log entry, just before a commit or just after it; no cleanup code runs. The
points are drawn with a fixed seed from the write statements a clean run makes, so a
failure reproduces. After each kill the plain command (``python -m rearguard ingest``) runs
again over the same sources, and every table (but ``_migrations``) must equal the clean
run's, row for row, apart from what records when (columns ``at``, ``timestamp`` and
``*_at``, and the ``timestamp`` of events kept as JSON) and auto-numbered row ids
(PostgreSQL does not roll sequences back).

One point per backend is drawn by the default run (PostgreSQL only: the test above covers
SQLite); all 20 on both run with --slow (about 5 minutes).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from rearguard.store import open_store

from ..helpers import KILL_HOOK, schema_url

ROOT = Path(__file__).resolve().parents[2]
SEED = 20261201  # the points are drawn with this seed: a failing point reproduces
POINTS = 20
# Reports of the same incidents from several agencies (merges), others apart, and a report
# of control changes (the ledger and rear-area flags).
CORPUS = ("tests/data/dataset/mogadishu-reuters-2019-12-28.txt",
          "tests/data/dataset/mogadishu-afp-2019-12-29.txt",
          "tests/data/dataset/mogadishu-ap-2020-01-04.txt",
          "tests/data/articles/mogadishu-2019-12-28.txt",
          "tests/data/articles/kunduz-2016-10-03.txt",
          "examples/shirqat-2016-11-06.txt",
          "tests/data/articles/maiduguri-2017-06-08.txt")


VOLATILE = {"at", "timestamp"}  # and every column named *_at


def _stable(value: Any) -> Any:
    """A value without what records when: a JSON object's ``timestamp`` (an event kept as
    JSON in a column) is dropped."""
    if isinstance(value, str) and value.startswith("{"):
        try:
            data = json.loads(value)
        except ValueError:
            return value
        if isinstance(data, dict) and "timestamp" in data:
            data.pop("timestamp")
            return json.dumps(data, sort_keys=True)
    return value


def _sources(tmp_path: Path) -> list[str]:
    folder = tmp_path / "reports"
    folder.mkdir(exist_ok=True)
    for name in CORPUS:  # a folder is read in name order: number them to keep this order
        shutil.copy(ROOT / name, folder / f"{len(list(folder.iterdir())):02}-{Path(name).name}")
    return [str(folder)]


def _ingest(db: str, sources: list[str], *, kill_at: int = 0, after: bool = False,
            count_file: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, RG_KILL_AT=str(kill_at), RG_KILL_AFTER="1" if after else "0")
    if count_file is not None:
        env["RG_COUNT_FILE"] = str(count_file)
    prefix = [sys.executable, "-c", KILL_HOOK] if kill_at or count_file else [
        sys.executable, "-m", "rearguard"]
    return subprocess.run([*prefix, "ingest", *sources, "--db", db, "--quiet"], env=env,
                          capture_output=True, text=True, timeout=600, cwd=ROOT)


def dataset(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (but ``_migrations``), in row-id order where there is one, without
    the columns that record when and without auto-numbered ids."""
    with open_store(url, create=False) as store:
        db = store._db
        if db.backend == "sqlite":
            tables = [r["name"] for r in db.rows(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                "'sqlite_%'")]
        else:
            tables = [r["table_name"] for r in db.rows(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "current_schema()")]
        out = {}
        for table in sorted(t for t in tables if t != "_migrations"):
            rows = list(db.rows(f"SELECT * FROM {table}"))
            if rows and "id" in rows[0] and all(isinstance(r["id"], int) for r in rows):
                rows.sort(key=lambda r: r["id"])
                for row in rows:
                    del row["id"]
            else:
                rows.sort(key=repr)
            out[table] = [tuple(sorted((k, _stable(v)) for k, v in r.items()
                                       if k not in VOLATILE and not k.endswith("_at")))
                          for r in rows]
        return out


@contextmanager
def _store_url(backend: str, tmp_path: Path, name: str) -> Iterator[str]:
    if backend == "sqlite":
        yield str(tmp_path / f"{name}.db")
        return
    from ..conftest import _new_schema

    with _new_schema() as schema:
        yield schema_url(schema)


_CLEAN: dict[str, tuple[dict[str, list[tuple[Any, ...]]], list[tuple[int, bool]]]] = {}


def _clean_run(backend: str, tmp_path_factory: pytest.TempPathFactory
               ) -> tuple[dict[str, list[tuple[Any, ...]]], list[tuple[int, bool]]]:
    """The clean run's dataset and the kill points drawn from its write statements."""
    if backend not in _CLEAN:
        tmp = tmp_path_factory.mktemp(f"clean-{backend}")
        counter = tmp / "writes"
        with _store_url(backend, tmp, "clean") as url:
            done = _ingest(url, _sources(tmp), count_file=counter)
            assert done.returncode == 0, done.stderr
            clean = dataset(url)
        writes = int(counter.read_text())
        rng = random.Random(SEED)
        points = sorted(rng.sample(range(1, writes + 1), POINTS))
        _CLEAN[backend] = clean, [(p, rng.random() < 0.5) for p in points]
    return _CLEAN[backend]


def _cases() -> Iterator[Any]:
    for backend in ("sqlite", "postgresql"):
        for index in range(POINTS):
            slow = not (backend == "postgresql" and index == 0)
            yield pytest.param(backend, index, id=f"{backend}-{index}",
                               marks=[pytest.mark.slow] if slow else [])


@pytest.mark.issue(11)
@pytest.mark.parametrize(("backend", "index"), list(_cases()))
def test_killed_ingest_then_rerun_gives_the_clean_dataset(
        backend: str, index: int, tmp_path: Path,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    clean, points = _clean_run(backend, tmp_path_factory)
    assert clean["articles"] and clean["events"] and clean["control"] and clean["change_log"]
    kill_at, after = points[index]
    with _store_url(backend, tmp_path, "killed") as url:
        killed = _ingest(url, _sources(tmp_path), kill_at=kill_at, after=after)
        assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stderr)
        again = _ingest(url, _sources(tmp_path))
        assert again.returncode == 0, again.stderr
        assert "Traceback" not in again.stderr
        got = dataset(url)
    where = f"kill at write {kill_at} ({'after' if after else 'before'} it), seed {SEED}"
    assert got.keys() == clean.keys(), where
    for table in clean:
        assert got[table] == clean[table], f"{table} differs; {where}"
