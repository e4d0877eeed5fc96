"""``rearguard serve``: one-line errors, and a real server answering over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..helpers import run


def test_a_missing_store_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    result = run("serve", "--db", str(missing))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "E714" in lines[0] and "Traceback" not in result.output
    assert not missing.exists()


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--port", "70000", "--port"),
    ("--max-limit", "0", "--max-limit"),
    ("--rate", "-1", "--rate"),
    ("--threads", "0", "--threads"),
    ("--workers", "-1", "--workers"),
    ("--cache-mb", "-5", "--cache-mb"),
    ("--token", "short", "--token"),
])
def test_bad_options_are_one_line(example_db, option, value, says) -> None:
    result = run("serve", "--db", str(example_db), option, value)
    assert result.exit_code == 1, result.output
    assert says in result.output and len(result.output.strip().splitlines()) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("workers", [1, 2])
def test_the_server_answers_over_http(example_db, tmp_path: Path, workers: int) -> None:
    """One process, or (--workers 2) a supervisor and two processes sharing the port."""
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "rearguard", "serve", "--db", str(example_db), "--port",
             str(port), "--workers", str(workers)], stderr=errors,
            env={**os.environ, "REARGUARD_SERVE_TOKEN": ""})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    health = json.load(r)
                break
            except OSError:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert health["status"] == "ok" and health["read_only"] is True
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/events?limit=3") as r:
            first_three = [e["event_id_cnty"] for e in json.load(r)["events"]]
        assert len(first_three) == 3
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json") as r:
            assert "/events" in json.load(r)["paths"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/events.csv?limit=1") as r:
            assert r.read().decode().startswith("event_id_cnty,event_date,year,")
        for _ in range(4):  # whichever process answers, the same page
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/events?limit=3") as r:
                assert [e["event_id_cnty"] for e in json.load(r)["events"]] == first_three
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        if children.exists():  # (multiprocessing's resource tracker is a child too)
            found = len(children.read_text().split())
            assert found == 0 if workers == 1 else workers <= found <= workers + 1
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    assert "serving" in log.read_text() and "Traceback" not in log.read_text()
