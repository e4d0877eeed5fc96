"""The dataset end to end: ingest, merge across articles, the ledger, re-ingest, crashes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rearguard.dataset import ingest
from rearguard.store import open_store

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests/data"
MOGADISHU = (2.04, 45.34)


def _near(events, lat, lon, km=15.0):
    from rearguard.geo.distance import haversine_km

    return [e for e in events if haversine_km(e.latitude, e.longitude, lat, lon) <= km]


@pytest.fixture
def db(store):
    """The dataset on each backend (SQLite and PostgreSQL: tests/conftest.py)."""
    return store


def test_two_agencies_one_incident_and_a_second_incident_a_week_later(db, settings) -> None:
    sources = [str(DATA / "dataset/mogadishu-reuters-2019-12-28.txt"),
               str(DATA / "dataset/mogadishu-afp-2019-12-29.txt"),
               str(DATA / "dataset/mogadishu-ap-2020-01-04.txt")]
    report = ingest(sources, store=db, settings=settings)
    assert report.articles == 3 and not report.errors
    events = _near(list(db.events()), *MOGADISHU)
    truck = [e for e in events if e.event_date == "2019-12-28"]
    assert len(truck) == 1  # two agencies, one incident
    event = truck[0]
    assert len(event.article_ids) == 2
    # AFP's later report revises Reuters' first figure
    assert event.fatalities == 79
    assert {e.article_id for e in event.evidence} == set(event.article_ids)
    later = [e for e in events if e.event_date == "2020-01-04"]
    assert len(later) == 1 and later[0].sub_event_type == "Suicide bomb"
    actions = [h["action"] for h in db.history(event.event_id_cnty)]
    assert actions[0] == "created" and "merged" in actions


def test_ingesting_twice_changes_nothing(db, settings, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(DATA / "dataset", folder)
    first = ingest([str(folder)], store=db, settings=settings)
    before = sorted((e.event_id_cnty, e.fatalities, e.article_ids) for e in db.events())
    second = ingest([str(folder)], store=db, settings=settings)
    after = sorted((e.event_id_cnty, e.fatalities, e.article_ids) for e in db.events())
    assert first.articles == 3 and second.articles == 0 and second.seen == 3
    assert before == after


def test_rear_area_flag_arrives_with_the_retaking_report(db, settings, tmp_path: Path) -> None:
    """An attack ingested before the article about the retaking is flagged once that
    article arrives."""
    attack = tmp_path / "hit-2016-10-23.txt"
    attack.write_text("Islamic State militants attacked the town of Hit in Anbar province on "
                      "Sunday, killing six soldiers, a local official said.\n")
    retake = tmp_path / "hit-2016-04-15.txt"
    retake.write_text("Iraqi forces recaptured the town of Hit in Anbar province on Thursday "
                      "after weeks of fighting with Islamic State militants, the army said.\n")
    ingest([str(attack)], store=db, settings=settings)
    (event,) = [e for e in db.events() if e.event_date == "2016-10-23"]
    assert not event.rear_area
    ingest([str(retake)], store=db, settings=settings)
    event = db.get_event(event.event_id_cnty)
    assert event.rear_area
    assert "retaken by Military Forces of Iraq on 2016-04-14" in event.rear_area_reason
    assert "flagged" in [h["action"] for h in db.history(event.event_id_cnty)]


def test_a_killed_ingest_loses_and_duplicates_nothing(tmp_path: Path, settings) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(DATA / "articles", folder)
    files = sorted(folder.glob("*.txt"))
    path = tmp_path / "crash.db"
    command = [sys.executable, "-m", "rearguard", "ingest", str(folder), "--db", str(path),
               "--quiet"]
    env = dict(os.environ)
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
        if path.exists():
            try:
                with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as con:
                    stored = con.execute("select count(*) from articles").fetchone()[0]
            except sqlite3.Error:
                continue
            if stored >= 2:
                break
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert 0 < stored < len(files) or child.returncode == 0
    subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=300)
    store = open_store(str(path))
    try:
        ids = [a.id for a in store.articles()]
        assert len(ids) == len(set(ids)) == len(files)
        events = list(store.events())
        assert len({e.event_id_cnty for e in events}) == len(events)
    finally:
        store.close()


def test_an_earlier_report_arriving_late_does_not_undo_a_revision(db, settings) -> None:
    """AFP's revised toll (published the next day) stands when Reuters' first report
    is ingested after it."""
    ingest([str(DATA / "dataset/mogadishu-afp-2019-12-29.txt")], store=db, settings=settings)
    ingest([str(DATA / "dataset/mogadishu-reuters-2019-12-28.txt")], store=db,
           settings=settings)
    (event,) = [e for e in db.events() if e.event_date == "2019-12-28"]
    assert event.fatalities == 79 and len(event.article_ids) == 2
    # sources in publication order whatever the arrival order (issue 11: any order, the
    # same events); the id is still the one the first report to arrive gave it
    assert [db.get_article(a).published for a in event.article_ids] == [
        "2019-12-28", "2019-12-29"]
    assert db.history(event.event_id_cnty)[0]["action"] == "created"


def test_cli_ingest_control_export_history(settings, tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from rearguard.cli import cli

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    folder = str(DATA / "dataset")
    first = runner.invoke(cli, ["ingest", folder, "--quiet"])
    assert first.exit_code == 0, first.output
    output = first.output
    assert output.strip().endswith("3 control records, 0 errors") or "0 errors" in output
    assert (tmp_path / "rearguard.db").exists()  # the default database
    again = runner.invoke(cli, ["ingest", folder, "--quiet"])
    assert "0 new articles (3 already stored)" in again.output
    csv_out = runner.invoke(cli, ["export", "--format", "csv", "--country", "somalia"])
    lines = csv_out.output.splitlines()
    assert lines[0].startswith("event_id_cnty,event_date,year,time_precision")
    assert len(lines) == 3 and all(",Somalia," in line for line in lines[1:])
    log = runner.invoke(cli, ["history", "--json"])
    actions = [json.loads(line)["action"] for line in log.output.splitlines()]
    assert actions.count("created") == 2 and "merged" in actions
    bad = runner.invoke(cli, ["export", "--since", "2019-13-01"])
    assert bad.exit_code == 1 and "E112" in bad.output and "--since" in bad.output
    missing = runner.invoke(cli, ["ingest", "no-such-file.txt", str(DATA / "dataset"), "--quiet",
                                  "--keep-going"])
    assert missing.exit_code == 2 and "[E101]" in missing.output
    assert "0 new articles (3 already stored)" in missing.output  # the rest proceeded
    stopped = runner.invoke(cli, ["ingest", "no-such-file.txt", str(DATA / "dataset"), "--quiet"])
    assert stopped.exit_code == 1 and "[E101]" in stopped.output
    assert "0 new articles (0 already stored)" in stopped.output  # stopped at the first
