"""Opening stores: URLs, errors as one coded line, migrations, and a real crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rearguard.errors import RearguardError, StoreError
from rearguard.store import MIGRATIONS, open_store
from rearguard.store.sql import parse_url
from rearguard.types import Article

ROOT = Path(__file__).resolve().parents[2]
NAMES = [name for name, _ in MIGRATIONS]


@pytest.mark.parametrize(("url", "expected"), [
    (None, ("sqlite", "rearguard.db")),
    ("rearguard.db", ("sqlite", "rearguard.db")),
    ("data/x.db", ("sqlite", "data/x.db")),
    ("/abs/x.db", ("sqlite", "/abs/x.db")),
    ("sqlite:///rel.db", ("sqlite", "rel.db")),
    ("sqlite:////abs/x.db", ("sqlite", "/abs/x.db")),
    ("sqlite:///:memory:", ("sqlite", ":memory:")),
    ("postgresql://u@h:5432/db", ("postgresql", "postgresql://u@h:5432/db")),
    ("postgres://u@h/db", ("postgresql", "postgres://u@h/db")),
])
def test_parse_url(url, expected) -> None:
    assert parse_url(url) == expected


def _one_line_error(url: str, code: str) -> StoreError:
    with pytest.raises(StoreError) as info:
        open_store(url)
    err = info.value
    assert isinstance(err, RearguardError)
    assert err.code == code and str(err).startswith(f"[{code}] ")
    assert "\n" not in str(err) and err.__cause__ is None
    return err


def test_bad_urls(tmp_path: Path) -> None:
    _one_line_error("mysql://root@localhost/db", "E701")
    _one_line_error("sqlite://", "E701")
    err = _one_line_error("postgresql://postgres:secret@127.0.0.1:1/test", "E703")
    assert "secret" not in str(err)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    _one_line_error(str(blocker / "store.db"), "E702")  # parent is a file: unwritable
    _one_line_error(str(tmp_path / "missing" / "store.db"), "E702")
    _one_line_error(str(tmp_path), "E702")  # a folder
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    _one_line_error(str(junk), "E702")


def test_in_memory_and_default_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(":memory:") as store:
        assert store.backend == "sqlite" and store.migrations() == NAMES
    monkeypatch.chdir(tmp_path)
    with open_store() as store:
        store.add_article(Article("a1", "x"))
    assert (tmp_path / "rearguard.db").is_file()


def test_migrations_recorded_and_idempotent(fresh_url: str) -> None:
    with open_store(fresh_url, migrate=False) as store:
        assert store.migrations() == [] and store.pending() == NAMES
    with open_store(fresh_url, migrate=False) as store:
        assert store.pending() == NAMES  # pending() did not write anything
    with open_store(fresh_url) as store:
        assert store.migrations() == NAMES and store.pending() == []
        store.add_article(Article("a1", "x"))
    with open_store(fresh_url) as store:  # reopening applies nothing twice
        assert store.migrations() == NAMES and store.count("articles") == 1
        rows = list(store._db.rows("SELECT seq, name, applied_at FROM _migrations"))
        assert [r["name"] for r in rows] == NAMES and all(r["applied_at"] for r in rows)


def test_newer_database_is_refused(fresh_url: str) -> None:
    with open_store(fresh_url) as store:
        store._db.execute("INSERT INTO _migrations (seq, name, applied_at) "
                          "VALUES (99, '9999_from_the_future', 'x')")
    err = _one_line_error(fresh_url, "E705")
    assert "9999_from_the_future" in str(err)
    with pytest.raises(StoreError, match=r"^\[E705\]"):
        open_store(fresh_url, migrate=False)


CHILD = textwrap.dedent("""
    import sys, time
    from rearguard.store import open_store
    from rearguard.types import Article, Event
    store = open_store(sys.argv[1])
    with store.transaction():
        store.add_article(Article("doomed", "never committed"))
        store.put_event(Event("IRQ99", "2016-10-20", 2016, 1, "Political violence",
                              "Battles", "Armed clash", "ISIS", article_ids=("doomed",)))
        store.log("IRQ99", "created", "from doomed", "doomed")
        store.next_event_number("IRQ")
        print("ready", flush=True)
        time.sleep(60)
""")


def test_killed_writer_leaves_nothing(store_url: str) -> None:
    with open_store(store_url) as store:
        store.add_article(Article("kept", "committed before"))
        assert store.next_event_number("IRQ") == 1
    child = subprocess.Popen([sys.executable, "-c", CHILD, store_url], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "ready", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    with open_store(store_url) as store:
        assert [a.id for a in store.articles()] == ["kept"]
        assert store.count("events") == 0 and store.history() == []
        assert store.next_event_number("IRQ") == 2  # the killed number was never taken
        store.add_article(Article("after", "the store still takes writes"))
        assert store.count("articles") == 2


def test_raise_sites_use_store_codes() -> None:
    """StoreError("E7xx", ...) calls in rearguard/store name codes that exist."""
    import ast

    from rearguard.errors import Errors

    for path in (ROOT / "rearguard" / "store").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "StoreError"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                code = node.args[0].value
                assert code.startswith("E7") and hasattr(Errors, code), f"{path}: {code}"
