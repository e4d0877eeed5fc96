"""``export`` and the other commands that only read (issue 11, points 2 and 4): an
``--admin1`` or ``--actor`` that names nothing known is a one-line error with close values,
as ``--country`` is, and a SQLite store that cannot be written (a read-only file, or a file in a
read-only folder) is read, not refused."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rearguard.cli import cli
from rearguard.store import open_store

from ..export.strategies import make_event

pytestmark = pytest.mark.issue(11)


def _dataset(path: Path) -> Path:
    with open_store(str(path)) as store:
        store.put_event(make_event(event_id_cnty="IRQ1", country="Iraq", iso=368,
                                   admin1="Salah ad Din", location="Shirqat"))
        store.put_event(make_event(event_id_cnty="SOM1", country="Somalia", iso=706,
                                   admin1="Banaadir", location="Mogadishu"))
        store.log("IRQ1", "created", "test", None)
        store.log("SOM1", "created", "test", None)
    return path


def _export(db: Path, *args: str, gazetteer: Path):
    return CliRunner().invoke(cli, ["--gazetteer", str(gazetteer), "export", "--db", str(db),
                                    "--format", "jsonl", *args])


def _ids(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [json.loads(line)["event_id_cnty"] for line in result.stdout.splitlines()]


def _error(result, code: str) -> str:
    assert result.exit_code == 1 and result.stdout == "" and "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"rearguard: error: [{code}] ")
    return line


# -- --admin1 -------------------------------------------------------------------------------

def test_admin1_of_the_dataset_or_the_gazetteer_is_taken(tmp_path: Path, settings) -> None:
    db, gazetteer = _dataset(tmp_path / "d.db"), settings.gazetteer_path
    assert _ids(_export(db, "--admin1", "Banaadir", gazetteer=gazetteer)) == ["SOM1"]
    assert _ids(_export(db, "--admin1", " salah AD din ", gazetteer=gazetteer)) == ["IRQ1"]
    # a province the gazetteer knows by the name events carry: no events yet, no error
    assert _ids(_export(db, "--admin1", "Ninawa", gazetteer=gazetteer)) == []


@pytest.mark.parametrize("option, value, close", [
    ("--admin1", "Banadir", "'Banaadir'"),  # a misspelling of a province of the dataset
    ("--admin1", "Nineveh", "'Ninawa'"),  # the gazetteer's name, which the events carry
    ("--admin1", "Salahuddin", "'Salah ad Din'"),
    ("--admin1", "Xyzzy", "none"),
    ("--actor", "Daesh", "'Islamic State'"),  # an alias: the events carry the name
    ("--actor", "al shabab", "'Al Shabaab'"),
    ("--actor", "Militray Forces of Iraq", "'Military Forces of Iraq'"),
    ("--actor", "zzzz", "none"),
])
def test_a_value_that_matches_nothing_known_is_an_error_with_close_values(
        tmp_path: Path, settings, option: str, value: str, close: str) -> None:
    db = _dataset(tmp_path / "d.db")
    line = _error(_export(db, option, value, gazetteer=settings.gazetteer_path), "E148")
    assert f"{option}: {value!r}" in line and f"Close values: {close}" in line


def test_admin1_without_a_gazetteer_checks_the_dataset_and_builds_nothing(
        tmp_path: Path) -> None:
    db, missing = _dataset(tmp_path / "d.db"), tmp_path / "no-gazetteer.sqlite"
    assert _ids(_export(db, "--admin1", "banaadir", gazetteer=missing)) == ["SOM1"]
    assert "'Banaadir'" in _error(_export(db, "--admin1", "Banadir", gazetteer=missing),
                                  "E148")
    assert not missing.exists()


# -- --actor --------------------------------------------------------------------------------

def test_actor_that_is_part_of_a_known_name_is_taken(tmp_path: Path, settings) -> None:
    db, gazetteer = _dataset(tmp_path / "d.db"), settings.gazetteer_path
    assert _ids(_export(db, "--actor", "military forces", gazetteer=gazetteer)) == \
        ["IRQ1", "SOM1"]
    # known names with no events here, or no events in the selection: 0 rows, no error
    assert _ids(_export(db, "--actor", "Boko Haram", gazetteer=gazetteer)) == []
    assert _ids(_export(db, "--actor", "Military Forces of Syria", gazetteer=gazetteer)) == []
    assert _ids(_export(db, "--actor", "Military", "--since", "2030-01-01",
                        gazetteer=gazetteer)) == []


# -- a store that cannot be written ---------------------------------------------------------

def _unprivileged() -> list[str]:
    """A command prefix under which a read-only file is read-only: root may write any file
    unless its CAP_DAC_OVERRIDE is dropped (setpriv, util-linux)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only file would be written")
    return [setpriv, "--bounding-set", "-dac_override"]


def _real(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_unprivileged(), sys.executable, "-m", "rearguard",
                           *(str(a) for a in args)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "TQDM_DISABLE": "1"})


@pytest.fixture()
def read_only(tmp_path: Path):
    """A store file chmod 444 in a folder that ``make_read_only()`` turns 555."""
    folder = tmp_path / "ro"
    folder.mkdir()
    db = _dataset(folder / "d.db")
    db.chmod(0o444)
    try:
        yield db
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)


@pytest.mark.parametrize("folder_writable", [True, False])
def test_the_reading_commands_read_a_read_only_store(read_only: Path,
                                                     folder_writable: bool) -> None:
    if not folder_writable:
        read_only.parent.chmod(0o555)
    before = read_only.read_bytes()
    export = _real("export", "--db", read_only, "--format", "jsonl")
    assert export.returncode == 0, export.stderr
    assert sorted(json.loads(x)["event_id_cnty"] for x in export.stdout.splitlines()) == \
        ["IRQ1", "SOM1"]
    history = _real("history", "IRQ1", "--db", read_only)
    assert history.returncode == 0 and "IRQ1  created: test" in history.stdout
    control = _real("control", "Shirqat", "--db", read_only)
    assert control.returncode == 0 and "no control records" in control.stdout
    shown = _real("event", "show", "SOM1", "--db", read_only)
    assert shown.returncode == 0 and json.loads(shown.stdout)["event"]["event_id_cnty"] == "SOM1"
    assert read_only.read_bytes() == before


def test_a_command_that_writes_says_the_store_is_read_only(read_only: Path) -> None:
    read_only.parent.chmod(0o555)
    before = read_only.read_bytes()
    done = _real("event", "reject", "SOM1", "--why", "a test", "--db", read_only)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("rearguard: error: [E702] ") and "readonly" in line
    assert read_only.read_bytes() == before


def test_a_read_only_store_of_an_older_version_is_a_one_line_error(read_only: Path) -> None:
    read_only.chmod(0o644)  # make it look older: its last migration not applied
    conn = sqlite3.connect(read_only)
    conn.execute("DELETE FROM _migrations WHERE seq = (SELECT max(seq) FROM _migrations)")
    conn.commit()
    conn.close()  # the last connection: the -wal and -shm files go
    assert not Path(f"{read_only}-shm").exists()
    read_only.chmod(0o444)
    read_only.parent.chmod(0o555)
    done = _real("export", "--db", read_only)
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("rearguard: error: [E702] ") and "older rearguard" in line
