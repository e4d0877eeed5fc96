"""The review commands (``event``, ``source``, ``reprocess``) and the sync options of
``export``: what they print, what they change, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from rearguard.dataset import ingest
from rearguard.store import open_store, utc_now

from .helpers import run

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/data/dataset"


@pytest.fixture
def db(settings, tmp_path: Path) -> str:
    """A SQLite dataset of the three Mogadishu reports (two of one bombing)."""
    source = tmp_path / "m.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "reuters", "published": "2019-12-28", "url": "https://wire.example/reuters",
         "text": (DATA / "mogadishu-reuters-2019-12-28.txt").read_text()},
        {"id": "afp", "published": "2019-12-29",
         "text": (DATA / "mogadishu-afp-2019-12-29.txt").read_text()},
        {"id": "ap", "published": "2020-01-04",
         "text": (DATA / "mogadishu-ap-2020-01-04.txt").read_text()}]))
    path = str(tmp_path / "review.db")
    with open_store(path) as store:
        ingest([str(source)], store=store, settings=settings)
    return path


def _ids(db: str) -> dict[str, str]:
    with open_store(db) as store:
        return {e.event_date: e.event_id_cnty for e in store.events()}


def _csv(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def test_reject_restore_and_the_deletions_feed(db: str) -> None:
    ids = _ids(db)
    bombing, later = ids["2019-12-28"], ids["2020-01-04"]
    start = utc_now()
    done = run("event", "reject", later, "--why", "a duplicate", "--db", db)
    assert done.exit_code == 0 and done.output == f"{later}: rejected\n"
    assert run("event", "reject", later, "--why", "x", "--db", db).output == \
        f"{later}: already rejected\n"
    rows = _csv(run("export", "--db", db).output)
    assert [r["event_id_cnty"] for r in rows] == [bombing]
    feed = run("export", "--deleted", "--since", start, "--db", db)
    assert feed.exit_code == 0
    (gone,) = _csv(feed.output)
    assert gone["event_id_cnty"] == later and gone["status"] == "rejected"
    assert gone["reason"] == "a duplicate" and int(gone["deleted_timestamp"]) > 1_700_000_000
    assert _csv(run("export", "--deleted", "--since", "2999-01-01", "--db", db).output) == []
    lines = run("export", "--deleted", "--format", "jsonl", "--db", db).output.splitlines()
    assert [json.loads(line)["event_id_cnty"] for line in lines] == [later]
    history = run("history", later, "--db", db).output
    assert f"{later}  rejected: a duplicate" in history
    assert run("event", "restore", later, "--why", "new attack", "--db", db).exit_code == 0
    assert len(_csv(run("export", "--db", db).output)) == 2
    assert _csv(run("export", "--deleted", "--db", db).output) == []


def test_edit_and_show(db: str) -> None:
    bombing = _ids(db)["2019-12-28"]
    edited = run("event", "edit", bombing, "fatalities=81", "location=Afgooye", "--why",
                 "final toll", "--db", db)
    assert edited.exit_code == 0, edited.output
    assert edited.output == f"{bombing}: fatalities=81, location='Afgooye'\n"
    blank = run("event", "edit", bombing, "injured=", "--why", "x", "--db", db)
    assert blank.exit_code == 1 and "[E162] injured='': a value is needed" in blank.output
    shown = json.loads(run("event", "show", bombing, "--db", db).output)
    assert shown["event"]["fatalities"] == 81 and shown["edits"]["fatalities"] == 81
    assert shown["status"] == "active" and shown["pipeline_version"].startswith("0.")
    assert sorted(r["article_id"] for r in shown["reports"]) == ["afp", "reuters"]
    assert "edited: final toll" in run("history", bombing, "--db", db).output


def test_source_reject_and_show(db: str) -> None:
    bombing = _ids(db)["2019-12-28"]
    out = run("source", "reject", "https://wire.example/reuters", "--why", "rewrite",
              "--db", db)
    assert out.exit_code == 0
    assert out.output == f"https://wire.example/reuters: rejected as a source; events it " \
                         f"fed: {bombing}\n"
    shown = json.loads(run("source", "show", "reuters", "--db", db).output)
    assert shown["status"] == "rejected" and shown["review_note"] == "rewrite"
    assert shown["article"]["url"] == "https://wire.example/reuters"
    assert "text" not in shown["article"] and shown["characters"] > 100
    (row,) = [r for r in _csv(run("export", "--db", db).output)
              if r["event_id_cnty"] == bombing]
    assert row["article_ids"] == "afp"


@pytest.mark.parametrize(("args", "code"), [
    (["event", "reject", "SOM999", "--why", "x"], "E715"),
    (["event", "reject", "SOM1", "--why", "  "], "E160"),
    (["event", "edit", "SOM1", "fatalities=many", "--why", "x"], "E162"),
    (["event", "edit", "SOM1", "evidence=x", "--why", "x"], "E161"),
    (["event", "edit", "SOM1", "latitude=91", "--why", "x"], "E162"),
    (["event", "show", "SOM999"], "E715"),
    (["source", "reject", "nothing", "--why", "x"], "E715"),
    (["export", "--deleted", "--format", "geojson"], "E164"),
    (["export", "--deleted", "--country", "Somalia"], "E165"),
    (["export", "--deleted", "--since", "yesterday"], "E163"),
    (["export", "--changed-since", "2026-13-01"], "E163"),
    (["export", "--min-confidence", "1.5"], "E165"),
    (["export", "--min-fatalities", "-1"], "E165"),
    (["export", "--sub-event-type", "Suicide bombing"], "E148"),
    (["reprocess", "--since", "2019-13-01"], "E112"),
])
def test_bad_input_is_one_line(db: str, args: list[str], code: str) -> None:
    result = run(*args, "--db", db)
    assert result.exit_code == 1, result.output
    (line,) = result.output.splitlines()
    assert line.startswith(f"rearguard: error: [{code}] ")
    if code == "E148":
        assert "'Suicide bomb'" in line  # the close value


def test_review_commands_never_create_a_store(tmp_path: Path) -> None:
    missing = str(tmp_path / "none.db")
    for args in (["event", "reject", "X1", "--why", "x"], ["source", "show", "a"],
                 ["reprocess"], ["export", "--deleted"]):
        result = run(*args, "--db", missing)
        assert result.exit_code == 1 and "[E714]" in result.output
    assert not Path(missing).exists()


def test_export_filters_and_changed_since(db: str) -> None:
    ids = _ids(db)
    bombing, later = ids["2019-12-28"], ids["2020-01-04"]

    def exported(*args: str) -> list[str]:
        result = run("export", *args, "--db", db)
        assert result.exit_code == 0, result.output
        return [r["event_id_cnty"] for r in _csv(result.output)]

    assert exported("--min-fatalities", "70") == [bombing]
    assert exported("--sub-event-type", "suicide bomb") == [later]
    assert exported("--min-confidence", "0") == [bombing, later]
    assert exported("--min-confidence", "1") == []
    assert exported("--not-rear-area") == [bombing, later]
    assert exported("--rear-area") == []
    mark = utc_now()
    assert exported("--changed-since", mark) == []
    run("event", "edit", later, "fatalities=3", "--why", "count", "--db", db)
    assert exported("--changed-since", mark) == [later]
    assert exported("--changed-since", mark[:10]) == [bombing, later]  # today, 00:00 UTC


def test_reprocess_command(db: str) -> None:
    before = run("export", "--format", "jsonl", "--db", db).output
    result = run("reprocess", "--quiet", "--db", db)
    assert result.exit_code == 0
    assert "0 articles extracted again (3 already current)" in result.output
    forced = run("reprocess", "--quiet", "--force", "--db", db)
    assert "3 articles extracted again" in forced.output and "0 updated" in forced.output
    assert run("export", "--format", "jsonl", "--db", db).output == before


def test_source_restore(db: str) -> None:
    later = _ids(db)["2020-01-04"]
    run("source", "reject", "ap", "--why", "wrong feed", "--db", db)
    assert later not in _ids(db).values()
    out = run("source", "restore", "ap", "--why", "right feed after all", "--db", db)
    assert out.exit_code == 0, out.output
    assert out.output == f"ap: a source again; events it feeds: {later}\n"
    assert _ids(db)["2020-01-04"] == later
