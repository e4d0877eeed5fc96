"""kill -9 inside a revision ingest and inside a reprocess, then the same command again: the
dataset equals the one an uninterrupted run gives, table by table (issue 11: a revision or
a re-extraction never loses stored data or leaves half an article's update).

The command runs in a child process whose store statement runner
(``rearguard.store.sql.Database.execute``) counts write statements and sends the process
SIGKILL at a chosen one, before or after it runs (the same method as
tests/robustness/test_kill.py, for ingest). The points are drawn with a fixed seed from the
writes an uninterrupted run makes. One point of the revision runs by default (about 25 s);
all eight with --slow (about 2 minutes).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rearguard.dataset import ingest
from rearguard.store import open_store

from ..helpers import KILL_HOOK

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests/data"
SEED = 11
POINTS = 4



def _records() -> list[dict]:
    def text(name: str) -> str:
        return (DATA / name).read_text(encoding="utf-8")

    return [{"id": "reuters", "published": "2019-12-28", "url": "https://wire.example/r",
             "text": text("dataset/mogadishu-reuters-2019-12-28.txt")},
            {"id": "afp", "published": "2019-12-29", "text": text(
                "dataset/mogadishu-afp-2019-12-29.txt")},
            {"id": "ap", "published": "2020-01-04", "text": text(
                "dataset/mogadishu-ap-2020-01-04.txt")},
            {"id": "kunduz", "published": "2016-10-03", "text": text(
                "articles/kunduz-2016-10-03.txt")},
            {"id": "shirqat", "published": "2016-11-06", "text": (
                ROOT / "examples/shirqat-2016-11-06.txt").read_text(encoding="utf-8")}]


def _revisions() -> list[dict]:
    """New texts at two known identities (a revised toll, a report cut to its first
    paragraph), a duplicate of a stored text and one new article."""
    old = {r["id"]: r for r in _records()}
    return [{**old["afp"], "text": old["afp"]["text"].replace("has risen to 79",
                                                              "has risen to 90")},
            {**old["reuters"], "text": old["reuters"]["text"].split("\n")[0] + "\n"},
            {"id": "copy", "published": "2019-12-29", "text": old["afp"]["text"]},
            {"id": "maiduguri", "published": "2017-06-08", "text": (
                DATA / "articles/maiduguri-2017-06-08.txt").read_text(encoding="utf-8")}]


def _run(args: list[str], db: str, *, kill_at: int = 0, after: bool = False,
         count_file: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, RG_KILL_AT=str(kill_at), RG_KILL_AFTER="1" if after else "0")
    if count_file is not None:
        env["RG_COUNT_FILE"] = str(count_file)
    return subprocess.run([sys.executable, "-c", KILL_HOOK, *args, "--db", db, "--quiet"],
                          env=env, capture_output=True, text=True, timeout=600, cwd=ROOT)


def _dataset(path: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows but ``_migrations``, without what records when (``at``,
    ``timestamp``, ``*_at``, an event's ``timestamp`` inside JSON) and auto-numbered ids."""
    def stable(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("{"):
            data = json.loads(value)
            if isinstance(data, dict):
                data.pop("timestamp", None)
                return json.dumps(data, sort_keys=True)
        return value

    with open_store(path, create=False) as store:
        db = store._db
        tables = [r["name"] for r in db.rows(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        out = {}
        for table in sorted(t for t in tables if t != "_migrations"):
            rows = [{k: stable(v) for k, v in r.items() if k not in ("at", "timestamp", "id")
                     and not k.endswith("_at")} for r in db.rows(f"SELECT * FROM {table}")]
            out[table] = sorted(tuple(sorted(r.items())) for r in rows)
        return out


_BASE: dict[str, Any] = {}


def _base(settings, factory: pytest.TempPathFactory, command: str) -> dict[str, Any]:
    """The stored dataset before the command, and the command's clean run's dataset and
    its kill points (each made once per session)."""
    if not _BASE:
        tmp = factory.mktemp("revision-crash")
        first = tmp / "first.jsonl"
        first.write_text("".join(json.dumps(r) + "\n" for r in _records()))
        base = tmp / "base.db"
        with open_store(str(base)) as store:
            ingest([str(first)], store=store, settings=settings)
        _BASE.update(base=base, tmp=tmp)
    if command not in _BASE:
        tmp = _BASE["tmp"]
        if command == "revise":
            revised = tmp / "revised.jsonl"
            revised.write_text("".join(json.dumps(r) + "\n" for r in _revisions()))
            args = ["ingest", str(revised)]
        else:
            args = ["reprocess", "--force"]
        clean = tmp / f"clean-{command}.db"
        shutil.copy(_BASE["base"], clean)
        counter = tmp / f"writes-{command}"
        done = _run(args, str(clean), count_file=counter)
        assert done.returncode == 0, done.stderr
        rng = random.Random(f"{SEED}-{command}")
        points = sorted(rng.sample(range(1, int(counter.read_text()) + 1), POINTS))
        _BASE[command] = (args, _dataset(str(clean)),
                          [(p, rng.random() < 0.5) for p in points])
    return _BASE


def _cases():
    for name in ("revise", "reprocess"):
        for index in range(POINTS):
            slow = index or name == "reprocess"  # by default: one point of a revision
            yield pytest.param(name, index, id=f"{name}-{index}",
                               marks=[pytest.mark.slow] if slow else [])


@pytest.mark.parametrize(("command", "index"), list(_cases()))
def test_a_killed_revision_or_reprocess_then_rerun_gives_the_clean_dataset(
        command: str, index: int, settings, tmp_path: Path,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    base = _base(settings, tmp_path_factory, command)
    args, clean, points = base[command]
    assert clean["article_revisions"] if command == "revise" else clean["reports"]
    kill_at, after = points[index]
    killed = tmp_path / "killed.db"
    shutil.copy(base["base"], killed)
    result = _run(args, str(killed), kill_at=kill_at, after=after)
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stderr)
    again = _run(args, str(killed))
    assert again.returncode == 0, again.stderr
    assert _dataset(str(killed)) == clean
