"""Property-based tests over the command line with generated hostile inputs (issue 11,
point 5): no traceback, and no stored record lost.

The inputs and the checks are tests/robustness/inputs.py: text, HTML, JSON Lines, feeds and
folders of them with NUL, bidirectional marks, invalid UTF-8, lone surrogates, huge lines,
deep nesting, broken XML and JSON of the wrong types, through ``ingest`` (on SQLite and
PostgreSQL, into a store that already holds a dataset), ``extract``, ``geocode``,
``classify``, ``export``, ``history``, ``control``, and the review commands (``event``,
``source``, ``reprocess``). The commands run in-process (click's
CliRunner) with a few hundred examples in all, so the default run stays fast; a handful of
real processes check what a user sees on a terminal. bench/robustness_bench.py runs the
same strategies over 100,000 examples (docs/robustness.md).

Tracebacks already known (``inputs.KNOWN_FAILURES``, each a strict xfail in
test_known_failures.py) are let through; any other problem fails with the case to
reproduce it.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from rearguard.dataset import ingest
from rearguard.store import open_store

from .inputs import (
    DB,
    SEEDED_ARTICLES,
    SENTENCES,
    Case,
    Ref,
    check_streams,
    ingest_cases,
    known,
    lost_records,
    query_cases,
    reading_cases,
    review_cases,
    run_case,
    snapshot,
)

pytestmark = pytest.mark.issue(11)

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "tests/data/dataset"
# Huge lines of up to 500 repeats in the default run (the bench goes to 2,000): extraction
# takes about 5 s per 100,000 characters.
MAX_REPEAT = 500
FAST = hsettings(deadline=None, suppress_health_check=list(HealthCheck))


def _seeded(url: str) -> None:
    """A store that holds a dataset: three articles, merged events, log entries."""
    with open_store(url) as store:
        report = ingest([str(DATASET)], store=store)
    assert report.articles == 3 and not report.errors


def _new_problems(case: Case, problems: list[str]) -> list[str]:
    """The problems that are not known failures, with the case to reproduce them."""
    new = [p for p in problems if not known(p)]
    return [f"{p}\n  case: {case.describe()}" for p in new]


@pytest.mark.usefixtures("settings")  # the gazetteer, built once
def test_ingest_never_shows_a_traceback_nor_loses_a_stored_record(
        store_url: str, tmp_path: Path) -> None:
    _seeded(store_url)
    seen: collections.Counter[str] = collections.Counter()

    @hsettings(FAST, max_examples=30)
    @given(ingest_cases(MAX_REPEAT))
    @example(Case(["ingest", Ref("a-2016-10-23.txt"), "--db", DB, "--quiet"],  # one stored
                  {"a-2016-10-23.txt": SENTENCES[0].encode()}))
    def one(case: Case) -> None:
        run = run_case(case, Path(tempfile.mkdtemp(dir=tmp_path)), store_url)
        seen[f"exit {run.status}"] += 1
        assert _new_problems(case, run.problems) == []

    one()
    end = snapshot(store_url)
    assert len(end.articles) > 3, "nothing was stored: the checks had nothing at stake"
    assert seen["exit 1"] + seen["exit 2"] > 0 and seen["exit 0"] > 0, seen


@pytest.mark.usefixtures("settings")
def test_reading_commands_never_show_a_traceback(tmp_path: Path) -> None:
    seen: collections.Counter[str] = collections.Counter()

    @hsettings(FAST, max_examples=80)
    @given(reading_cases(MAX_REPEAT))
    def one(case: Case) -> None:
        run = run_case(case, Path(tempfile.mkdtemp(dir=tmp_path)), "unused.db")
        seen[f"{case.command} {run.status}"] += 1
        assert _new_problems(case, run.problems) == []

    one()
    assert not (tmp_path / "unused.db").exists()
    assert sum(v for k, v in seen.items() if k.endswith(" 0")) > 0, seen
    assert sum(v for k, v in seen.items() if not k.endswith(" 0")) > 0, seen


def test_queries_on_a_stored_dataset_never_show_a_traceback_nor_write(
        store_url: str, tmp_path: Path) -> None:
    _seeded(store_url)
    before = snapshot(store_url)
    seen: collections.Counter[int] = collections.Counter()

    @hsettings(FAST, max_examples=100)
    @given(query_cases())
    def one(case: Case) -> None:
        run = run_case(case, Path(tempfile.mkdtemp(dir=tmp_path)), store_url)
        seen[run.status] += 1
        assert _new_problems(case, run.problems) == []

    one()
    assert snapshot(store_url) == before  # read-only commands wrote nothing
    assert seen[0] and seen[1], seen


@pytest.mark.usefixtures("settings")
def test_review_commands_never_show_a_traceback_nor_lose_a_stored_record(
        store_url: str, tmp_path: Path) -> None:
    """Rejecting, restoring and editing events, rejecting and restoring sources and
    reprocessing, with drawn ids, values and reasons: a rejected event stays in the
    deletions feed, a rejected source's text stays stored, nothing else goes."""
    _seeded(store_url)
    seen: collections.Counter[str] = collections.Counter()

    @hsettings(FAST, max_examples=40)
    @given(review_cases())
    @example(Case(["event", "edit", "SOM2", "fatalities=81", "--why", "a test", "--db", DB],
                  {}))
    @example(Case(["source", "reject", SEEDED_ARTICLES[2], "--why", "a test", "--db", DB],
                  {}))
    @example(Case(["source", "restore", SEEDED_ARTICLES[2], "--why", "a test", "--db", DB],
                  {}))
    def one(case: Case) -> None:
        run = run_case(case, Path(tempfile.mkdtemp(dir=tmp_path)), store_url)
        seen[f"exit {run.status}"] += 1
        assert _new_problems(case, run.problems) == []

    one()
    assert seen["exit 0"] and seen["exit 1"], seen
    with open_store(store_url) as store:
        assert len(list(store.articles())) == 3  # rejected or not, every article is kept


# -- real processes ----------------------------------------------------------------------------

HOSTILE_FILES: dict[str, bytes] = {
    "nul-2016-11-06.txt": b"Airstrikes killed five civilians in Sinjar on Monday.\x00\n",
    "bidi-2016-11-06.html": (
        "<!DOCTYPE html><html><head><title>Sinjar</title></head><body><article><p>"
        "Airstrikes killed five civilians in \u200fSinjar\u200f on Monday, \u202eofficials"
        "\u202c said.</p></article></body></html>").encode(),
    "latin1.txt": "Rebels seized the town of Goma, said the caf\u00e9 owner.\n".encode("latin-1"),
    # 1.2 million characters, all but one sentence of them removed by cleaning
    "huge-marks.txt": ("\u200f" * 1_200_000 + "Rebels seized the town of Goma on Monday.\n"
                       ).encode(),
    "arabic-2016-11-06.txt": "مقتل خمسة جنود في هجوم على حاجز في الموصل يوم الأحد.\n".encode(),
    "deep.html": (b"<html><body><article>" + b"<div>" * 5_000
                  + b"<p>Rebels seized the town of Goma on Monday.</p>" + b"</div>" * 5_000
                  + b"</article></body></html>"),
    "broken.xml": (b'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
                   b"<item><title>Goma</title><description>Rebels seized the town of Goma "
                   b"on Monday.</description></item><item><title>cut"),
    "xxe.rss": (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM '
                b'"file:///etc/passwd">]><rss version="2.0"><channel><title>W</title><item>'
                b"<title>Goma</title><link>https://news.example.org/xxe</link><description>"
                b"Rebels seized the town of Goma on Monday. &xxe;</description></item>"
                b"</channel></rss>"),
    "types.jsonl": b"\n".join([
        b'{"text": 5}', b'[1, 2]', b'"text"', b'null', b'{"text": "Goma", "id": true}',
        b'{"text": "Rebels seized the town of Goma.", "published": 20161106}',
        b'{"text": "\\u0000\\u200f"}', b"{not json", b'{"text": "ok \xff"}']) + b"\n",
}


def _cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    return subprocess.run([sys.executable, "-m", "rearguard", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.usefixtures("settings")
def test_real_processes_on_hostile_files(tmp_path: Path) -> None:
    """What a user sees: an ingest of a folder of hostile files with --keep-going into a
    store that holds a dataset, and an extract of them: one line per error, never a
    traceback, nothing stored lost, nothing hostile stored."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in HOSTILE_FILES.items():
        (folder / name).write_bytes(data)
    db = tmp_path / "store.db"
    _seeded(str(db))
    before = snapshot(str(db))

    went_on = _cli("ingest", folder, "--db", db, "--quiet", "--keep-going", cwd=tmp_path)
    assert check_streams(went_on.returncode, stderr=went_on.stderr) == []
    assert went_on.returncode == 2
    after = snapshot(str(db), since=before)
    assert lost_records(before, after) == []
    with open_store(str(db)) as store:
        articles = {a.id: a for a in store.articles()}
    texts = "\n".join(a.text for a in articles.values())
    assert "root:" not in texts  # the external entity was not read
    assert "\x00" not in texts and "\u200f" not in texts and "\u202e" not in texts
    assert any(a.language == "ar" for a in articles.values())
    assert len(articles) > len(before.articles)

    files = [folder / name for name in sorted(HOSTILE_FILES)]
    extracted = _cli("extract", *files, "--format", "jsonl", "--keep-going", cwd=tmp_path)
    assert check_streams(extracted.returncode, stderr=extracted.stderr) == []
    assert extracted.returncode == 2
    for line in extracted.stdout.splitlines():
        json.loads(line)  # the output stays JSON Lines


@pytest.mark.slow
@hsettings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_real_processes_on_generated_inputs(data: st.DataObject) -> None:
    """Generated ingest cases in real processes (each loads the models: 3-5 s a case)."""
    case = data.draw(ingest_cases(MAX_REPEAT))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = str(work / "store.db")
        _seeded(db)
        before = snapshot(db)
        case.write(work)
        args = case.resolve(work, db)
        if any("\x00" in a for a in args):
            return  # argv cannot hold NUL; the in-process tests cover such options
        done = _cli(*args, cwd=work)
        if "Traceback" in done.stderr and known("traceback: " + done.stderr):
            return  # a known failure (test_known_failures.py)
        assert check_streams(done.returncode, done.stderr) == [], case.describe()
        assert lost_records(before, snapshot(db, since=before)) == [], case.describe()
