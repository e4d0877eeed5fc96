"""Issue 11, point 4 at the command line: read-only commands never create a store, every
output path error and a damaged store are one line, exit statuses agree across commands,
filters that match nothing known are errors, URLs are URLs, and folders skip what is not
an article (and say so)."""

from __future__ import annotations

import http.server
import json
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from rearguard.cli import cli
from rearguard.store import open_store
from rearguard.types import Article, ControlChange

from .export.strategies import make_event

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "shirqat-2016-11-06.txt"
RLM = "\u200f"


def _run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _error_line(result, code: str) -> str:
    """The one line on standard error, which carries ``code``; no traceback."""
    assert "Traceback" not in result.output
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("rearguard: error")]
    assert line.startswith(f"rearguard: error: [{code}] "), result.stderr
    return line


def _dataset(path: Path, n: int = 3) -> Path:
    """A small store: events in Iraq and Somalia, a control record, log entries."""
    with open_store(str(path)) as store:
        for i in range(1, n + 1):
            store.put_event(make_event(event_id_cnty=f"IRQ{i}", country="Iraq", iso=368,
                                       latitude=35.5, longitude=43.2, location="Shirqat"))
            store.log(f"IRQ{i}", "created", "test", None)
        store.put_event(make_event(event_id_cnty="SOM1", country="Somalia", iso=706,
                                   event_type="Explosions/Remote violence",
                                   sub_event_type="Suicide bomb"))
        store.log("SOM1", "created", "test", None)
        store.add_control(ControlChange(
            place="Shirqat", geonameid=None, latitude=35.5, longitude=43.2, country="Iraq",
            admin1="Salah ad Din", holder="Islamic State", previous_holder="",
            date="2016-11-06", date_precision=1, kind="capture", article_id="a1"))
    return path


# -- read-only commands never create a store ---------------------------------------------

@pytest.mark.parametrize("command", [["export"], ["history"], ["history", "IRQ1"],
                                     ["control", "Mosul"]])
def test_read_only_commands_do_not_create_a_store(tmp_path: Path, command) -> None:
    missing = tmp_path / "typo.db"
    result = _run(*command, "--db", missing)
    assert result.exit_code == 1
    assert str(missing) in _error_line(result, "E714")
    assert not missing.exists() and list(tmp_path.iterdir()) == []
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()  # a SQLite file, but no rearguard tables
    result = _run(*command, "--db", empty)
    assert "no rearguard tables" in _error_line(result, "E714")


# -- output paths --------------------------------------------------------------------------

def test_output_path_errors_are_one_line(tmp_path: Path) -> None:
    db = _dataset(tmp_path / "d.db")
    for target, words in [(tmp_path / "no-folder" / "out.csv", "does not exist"),
                          (tmp_path, "it is a folder"),
                          (db / "out.csv", "does not exist")]:  # under a file
        result = _run("export", "--db", db, "-o", target)
        assert result.exit_code == 1 and words in _error_line(result, "E145")
    if Path("/dev/full").exists() and stat.S_ISCHR(os.stat("/dev/full").st_mode):
        result = _run("export", "--db", db, "-o", "/dev/full")
        assert "No space left" in _error_line(result, "E145")
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # a device is written, not replaced


def test_a_failed_export_leaves_the_earlier_file_as_it_was(tmp_path: Path, monkeypatch) -> None:
    import rearguard.export as export

    db = _dataset(tmp_path / "d.db")
    out = tmp_path / "events.csv"
    assert _run("export", "--db", db, "-o", out).exit_code == 0
    before = out.read_bytes()
    assert before.count(b"\n") == 5

    def full_disk(events, path):
        with open(path, "w") as stream:
            stream.write("event_id_cnty,half a line")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(export._WRITERS, "csv", full_disk)
    result = _run("export", "--db", db, "-o", out)
    assert "No space left on device" in _error_line(result, "E145")
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.db", "events.csv"]  # no .part


# -- a damaged store -----------------------------------------------------------------------

def _damage(path: Path, tables: tuple[str, ...]) -> None:
    """Overwrite the first page of each table with garbage (as a bad sector would)."""
    with sqlite3.connect(path) as con:
        size = con.execute("PRAGMA page_size").fetchone()[0]
        roots = [con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                             [t]).fetchone()[0] for t in tables]
    con.close()
    data = bytearray(path.read_bytes())
    for root in roots:
        start = (root - 1) * size
        data[start:start + size] = b"\xa5" * size
    path.write_bytes(bytes(data))


def test_a_damaged_store_is_one_line_naming_the_file_and_recover(tmp_path: Path,
                                                                 settings) -> None:
    db = _dataset(tmp_path / "d.db", n=60)
    _damage(db, ("articles", "events", "control", "change_log"))
    before = db.read_bytes()
    for command in (["export"], ["history"], ["control", "Shirqat"],
                    ["ingest", EXAMPLE, "--quiet"]):
        result = _run(*command, "--db", db)
        assert result.exit_code == 1, (command, result.output)
        line = _error_line(result, "E713")
        assert str(db) in line and f"sqlite3 {db} .recover" in line
    assert db.read_bytes() == before


# -- filters ---------------------------------------------------------------------------------

def _ids(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [json.loads(line)["event_id_cnty"] for line in result.stdout.splitlines()]


def test_export_filters_take_sub_event_types_and_iso_codes(tmp_path: Path) -> None:
    db = _dataset(tmp_path / "d.db")
    export = ("export", "--db", db, "--format", "jsonl")
    iraq = ["IRQ1", "IRQ2", "IRQ3"]
    assert _ids(_run(*export, "--event-type", "Armed clash")) == iraq
    assert _ids(_run(*export, "--event-type", "armed CLASH")) == iraq
    assert _ids(_run(*export, "--event-type", "Battles")) == iraq
    assert _ids(_run(*export, "--event-type", "Suicide bomb")) == ["SOM1"]
    for value in ("IQ", "IRQ", "iraq", "368"):
        assert _ids(_run(*export, "--country", value)) == iraq
    assert _ids(_run(*export, "--country", "SO")) == ["SOM1"]
    assert _ids(_run(*export, "--country", "Yemen")) == []  # known, just no events


@pytest.mark.parametrize("option, value, close", [
    ("--event-type", "Armed clashes", "'Armed clash'"),
    ("--event-type", "Bombing", "none"),
    ("--country", "Irak", "'Iraq'"),
    ("--country", "Somalai", "'Somalia'"),
])
def test_a_filter_value_that_matches_nothing_known_is_an_error(tmp_path: Path, option, value,
                                                               close) -> None:
    db = _dataset(tmp_path / "d.db")
    result = _run("export", "--db", db, option, value)
    assert result.exit_code == 1 and result.stdout == ""
    line = _error_line(result, "E148")
    assert repr(value) in line and close in line


# -- confusing behaviours --------------------------------------------------------------------

def test_history_of_an_unknown_event_is_an_error_with_close_ids(tmp_path: Path) -> None:
    db = _dataset(tmp_path / "d.db")
    result = _run("history", "IRQ9", "--db", db)
    assert result.exit_code == 1 and "IRQ1" in _error_line(result, "E147")
    assert _run("history", "NOPE", "--db", db).exit_code == 1
    known = _run("history", "IRQ2", "--db", db)
    assert known.exit_code == 0 and "IRQ2  created: test" in known.stdout


def test_ingest_without_a_source_names_what_it_takes(tmp_path: Path) -> None:
    result = _run("ingest", "--db", tmp_path / "d.db")
    line = _error_line(result, "E120")
    assert "--input" not in line and "folder" in line
    assert not (tmp_path / "d.db").exists()


class _Pages(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, directory=str(ROOT / "tests" / "data" / "ingest"), **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_extract_reads_an_http_address_as_a_url(server: str, settings) -> None:
    result = _run("extract", f"{server}/page.html", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["article"]["url"].startswith("https://news.example.org/")
    assert any(e["location"] for e in data["events"])
    missing = _run("extract", f"{server}/nope.html")
    assert "404" in _error_line(missing, "E124") and "http://" in missing.stderr
    assert "E127" in _run("extract", "ftp://127.0.0.1/x.txt").stderr


def test_exit_status_is_the_same_for_every_command(tmp_path: Path, settings) -> None:
    missing = tmp_path / "nope.txt"
    for command in (["extract"], ["geocode"]):
        assert _run(*command, EXAMPLE).exit_code == 0
        assert _run(*command, missing, EXAMPLE).exit_code == 1  # stops at the first
        assert _run(*command, "--keep-going", missing, EXAMPLE).exit_code == 2
        assert _run(*command, "--keep-going", EXAMPLE).exit_code == 0
    lines = tmp_path / "in.jsonl"
    lines.write_text('{"id": "a", "text": "Two killed in Mosul."}\n{not json\n')
    for command in (["extract"], ["geocode"], ["classify"]):
        assert _run(*command, "--input", lines).exit_code == 1
        assert _run(*command, "--input", lines, "--keep-going").exit_code == 2
    db = tmp_path / "d.db"
    assert _run("ingest", missing, EXAMPLE, "--db", db, "--quiet").exit_code == 1
    assert _run("ingest", missing, EXAMPLE, "--db", db, "--quiet",
                "--keep-going").exit_code == 2
    assert _run("ingest", EXAMPLE, "--db", db, "--quiet", "--keep-going").exit_code == 0


# -- folders, languages and marks, through ingest ----------------------------------------

def test_ingest_examples_skips_expected_json_and_says_so(tmp_path: Path, settings) -> None:
    db = tmp_path / "d.db"
    result = _run("ingest", ROOT / "examples", "--db", db, "--quiet")
    assert result.exit_code == 0, result.output
    (warning,) = [x for x in result.stderr.splitlines() if "skipped" in x]
    assert warning.startswith("rearguard: warning: skipped 1 file ")
    assert "golden/expected.json" in warning
    with open_store(str(db)) as store:
        texts = [a.text for a in store.articles()]
    assert len(texts) == 6 and not any('"reports"' in t for t in texts)


def test_arabic_is_recorded_and_warned_and_a_mark_loses_no_event(tmp_path: Path,
                                                                 settings) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ar.txt").write_text(
        "قتل خمسة جنود عراقيين في هجوم لتنظيم الدولة الإسلامية على مدينة الشرقاط يوم "
        "الأحد، وفق ما أفاد مسؤول أمني.", encoding="utf-8")
    text = EXAMPLE.read_text(encoding="utf-8")
    marked = text.replace("Shirqat", f"{RLM}Shirqat{RLM}")
    assert marked != text
    (folder / "marked-2016-11-06.txt").write_text(marked, encoding="utf-8")
    db = tmp_path / "d.db"
    result = _run("ingest", folder, "--db", db, "--quiet")
    assert result.exit_code == 0, result.output
    (warning,) = [x for x in result.stderr.splitlines() if "Arabic" in x]
    assert warning.startswith("rearguard: warning: ") and "ar.txt" in warning
    clean = json.loads(_run("extract", EXAMPLE, "--format", "json").stdout)
    with open_store(str(db)) as store:
        languages = sorted((a.language or "") for a in store.articles())
        stored = list(store.events())
    assert languages == ["ar", "en"]
    assert sorted(e.location for e in stored) == sorted(e["location"] for e in clean["events"])


def test_a_nul_in_one_article_does_not_stop_the_batch(store_url: str, tmp_path: Path,
                                                      settings) -> None:
    from rearguard.dataset import ingest

    lines = tmp_path / "batch.jsonl"
    records = [{"id": "a", "text": "Two soldiers were killed in Mosul on Monday."},
               {"id": "b", "text": "Gunmen killed three\u0000 people in Kirkuk on Monday."},
               {"id": "c", "text": "A roadside bomb wounded four in Tikrit on Monday."}]
    lines.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with open_store(store_url) as store:
        report = ingest([str(lines)], store=store, settings=settings)
        assert report.errors == [] and report.articles == 3
        b = store.get_article("b")
    assert isinstance(b, Article) and "\x00" not in b.text and "three people" in b.text
