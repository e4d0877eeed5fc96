"""Alerts: rule parsing, evaluation on a real store, the watch loop, the webhook, options."""

from __future__ import annotations

import json
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from rearguard.alerts import (
    Rule,
    check_webhook,
    evaluate,
    ledger_keys,
    parse_interval,
    parse_rule,
    parse_rules,
    poll,
    watch,
)
from rearguard.alerts.rules import utc_now
from rearguard.cli import cli
from rearguard.dataset import ingest
from rearguard.errors import InputError
from rearguard.store import open_store

RETAKE = ("Iraqi forces recaptured the town of Hit in Anbar province on Thursday after weeks "
          "of fighting with Islamic State militants, the army said.")
ATTACK = ("Islamic State militants attacked the town of Hit in Anbar province on Sunday, "
          "killing six soldiers, a local official said.")

FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://news.example.org/</link>
<description>Conflict reporting.</description>
<item><title>Hit retaken</title><link>https://news.example.org/2016/04/15/hit</link>
<guid>https://news.example.org/2016/04/15/hit</guid>
<pubDate>Fri, 15 Apr 2016 10:00:00 GMT</pubDate><description>{RETAKE}</description></item>
<item><title>Attack on Hit</title><link>https://news.example.org/2016/10/23/hit</link>
<guid>https://news.example.org/2016/10/23/hit</guid>
<pubDate>Sun, 23 Oct 2016 18:00:00 GMT</pubDate><description>{ATTACK}</description></item>
</channel></rss>
"""


@pytest.fixture
def store(tmp_path: Path):
    s = open_store(str(tmp_path / "alerts.db"))
    yield s
    s.close()


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    retake = tmp_path / "hit-2016-04-15.txt"
    retake.write_text(RETAKE + "\n")
    attack = tmp_path / "hit-2016-10-23.txt"
    attack.write_text(ATTACK + "\n")
    return str(retake), str(attack)


@pytest.fixture
def feed(tmp_path: Path) -> str:
    path = tmp_path / "feed.xml"
    path.write_text(FEED)
    return str(path)


def _gazetteer(settings) -> list[str]:
    return ["--gazetteer", str(settings.gazetteer)] if settings.gazetteer else []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- rules and options --------------------------------------------------------------------

@pytest.mark.parametrize(("text", "rule"), [
    ("rear-area", Rule("rear_area")),
    ("REAR_AREA", Rule("rear_area")),
    ("control", Rule("control")),
    ("fatalities>=10", Rule("fatalities", 10)),
    ("fatalities >= 0", Rule("fatalities", 0)),
    ("fatalities>=5:Iraq", Rule("fatalities", 5, "Iraq")),
    ("Fatalities>=25: Al Anbar ", Rule("fatalities", 25, "Al Anbar")),
])
def test_parse_rule(text: str, rule: Rule) -> None:
    assert parse_rule(text) == rule


@pytest.mark.parametrize(("text", "code"), [
    ("rear", None), ("", "E152"), ("deaths>=3", "E152"), ("fatalities>5", "E152"),
    ("fatalities>=", "E153"), ("fatalities>=x", "E153"), ("fatalities>=-1", "E153"),
    ("fatalities>=2.5", "E153"), ("fatalities>=3:", "E152"),
])
def test_bad_rules(text: str, code: str | None) -> None:
    if code is None:  # an accepted short form
        assert parse_rule(text) == Rule("rear_area")
        return
    with pytest.raises(InputError) as info:
        parse_rule(text)
    assert info.value.code == code


def test_default_rules_and_duplicates() -> None:
    assert parse_rules(None) == (Rule("rear_area"), Rule("control"))
    assert parse_rules(["control", "control", "fatalities>=3"]) == (
        Rule("control"), Rule("fatalities", 3))
    assert str(Rule("fatalities", 3, "Iraq")) == "fatalities>=3:Iraq"


@pytest.mark.parametrize(("text", "seconds"), [
    ("30s", 30), ("15m", 900), ("1h", 3600), ("2d", 172800), ("45", 45), (" 5 min ", 300),
    (60, 60),
])
def test_parse_interval(text, seconds: int) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize(("text", "code"), [
    ("0", "E151"), ("0s", "E151"), ("soon", "E150"), ("-5m", "E150"), ("1.5h", "E150"),
    ("", "E150"), ("15 minutes from now", "E150"), (0, "E151"), (True, "E150"),
])
def test_bad_intervals(text, code: str) -> None:
    with pytest.raises(InputError) as info:
        parse_interval(text)
    assert info.value.code == code


def test_check_webhook() -> None:
    assert check_webhook(None) is None
    assert check_webhook("http://127.0.0.1:9000/hook") == "http://127.0.0.1:9000/hook"
    for bad in ("ftp://example.org/x", "127.0.0.1:9000", "http://", "hook"):
        with pytest.raises(InputError) as info:
            check_webhook(bad)
        assert info.value.code == "E154"


# -- evaluation on a store ------------------------------------------------------------------

def test_evaluate_control_then_rear_area_then_nothing(store, settings, files) -> None:
    retake, attack = files
    rules = parse_rules(["rear-area", "control", "fatalities>=5:anbar",
                         "fatalities>=5:Syria", "fatalities>=100"])

    before, since = ledger_keys(store), utc_now()
    ingest([retake], store=store, settings=settings)
    alerts = evaluate(rules, store, since, before)
    control = [a for a in alerts if a.alert == "control"]
    assert control and all(a.control["kind"] == "retaken" for a in control)
    assert control[0].date == "2016-04-14" and "Hīt" in control[0].place
    assert "retaken by Military Forces of Iraq" in control[0].summary
    assert not [a for a in alerts if a.alert == "rear_area"]

    before, since = ledger_keys(store), utc_now()
    ingest([attack], store=store, settings=settings)
    alerts = evaluate(rules, store, since, before)
    kinds = sorted(a.alert for a in alerts)
    assert kinds == ["fatalities", "rear_area"]  # the retaking is not reported again
    rear = next(a for a in alerts if a.alert == "rear_area")
    assert rear.date == "2016-10-23" and rear.event["rear_area"] is True
    assert rear.event_id == rear.event["event_id_cnty"]
    assert "retaken by Military Forces of Iraq on 2016-04-14" in rear.summary
    data = rear.to_dict()
    assert list(data)[:6] == ["alert", "at", "event_id", "place", "date", "summary"]
    assert "control" not in data and json.loads(json.dumps(data)) == data
    deadly = next(a for a in alerts if a.alert == "fatalities")
    assert deadly.event["fatalities"] == 6 and "fatalities>=5 in anbar" in deadly.summary

    # nothing new: no alerts
    before, since = ledger_keys(store), utc_now()
    report = ingest([retake, attack], store=store, settings=settings)
    assert report.seen == 2
    assert evaluate(rules, store, since, before) == []


def test_attack_ingested_before_the_retaking_alerts_when_flagged(store, settings, files) -> None:
    retake, attack = files
    first = poll([attack], store=store, settings=settings)
    assert [a.alert for a in first.alerts] == []  # not a rear area yet
    second = poll([retake], store=store, settings=settings)
    kinds = [a.alert for a in second.alerts]
    assert "rear_area" in kinds and "control" in kinds
    rear = next(a for a in second.alerts if a.alert == "rear_area")
    assert rear.date == "2016-10-23" and "(flagged)" in rear.summary


def test_place_filter_matches_admin1_and_country_only(store, settings, files) -> None:
    retake, attack = files
    ingest([retake], store=store, settings=settings)
    since = utc_now()
    ingest([attack], store=store, settings=settings)
    for place, hit in (("al anbar", True), ("IRAQ", True), ("Anbar", True),
                       ("Nineveh", False), ("Hit", False)):
        alerts = evaluate([Rule("fatalities", 1, place)], store, since, None)
        assert bool(alerts) is hit, place


# -- the watch loop -------------------------------------------------------------------------

def test_watch_loop_sleeps_between_polls_and_alerts_once(store, settings, feed) -> None:
    lines: list[str] = []
    sleeps: list[float] = []
    warnings: list[str] = []
    result = watch([feed], store=store, settings=settings, every_seconds=60,
                   rules=parse_rules(None), max_polls=3, sleep=sleeps.append,
                   out=lines.append, warn=warnings.append)
    assert result.polls == 3 and len(sleeps) == 2 and all(0 <= s <= 60 for s in sleeps)
    alerts = [json.loads(line) for line in lines]
    assert {a["alert"] for a in alerts} == {"rear_area", "control"}
    assert result.alerts == len(alerts) and not warnings
    assert result.last is not None and result.last.alerts == []  # polls 2, 3: nothing new


def test_watch_once_on_a_feed_from_the_command_line(tmp_path: Path, settings, feed) -> None:
    db = str(tmp_path / "cli.db")
    args = [*_gazetteer(settings), "watch", feed, "--once", "--db", db,
            "--every", "1h"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    alerts = [json.loads(line) for line in result.stdout.splitlines()]
    assert {a["alert"] for a in alerts} == {"rear_area", "control"}
    for alert in alerts:
        assert alert["at"].endswith("+00:00") and alert["summary"]
        assert ("event" in alert) != ("control" in alert)
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0 and again.stdout == ""


def test_watch_once_with_a_missing_feed_warns_and_exits_1(tmp_path: Path, settings) -> None:
    args = [*_gazetteer(settings), "watch", str(tmp_path / "nope.xml"),
            "--once", "--db", str(tmp_path / "x.db")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "rearguard: warning: [E101]" in result.stderr and "Traceback" not in result.output


def test_ctrl_c_exits_130(tmp_path: Path, settings, feed, monkeypatch) -> None:
    module = sys.modules["rearguard.alerts.watch"]  # the package's "watch" is the function

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(module, "poll", interrupted)
    result = CliRunner().invoke(cli, [*_gazetteer(settings), "watch", feed,
                                      "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 130 and "interrupted" in result.stderr


# -- the webhook ----------------------------------------------------------------------------

class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, dict]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers["Content-Type"], json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver():
    _Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", _Receiver.received
    server.shutdown()
    server.server_close()


def test_webhook_receives_each_alert_as_json(store, settings, feed, receiver) -> None:
    url, received = receiver
    lines: list[str] = []
    warnings: list[str] = []
    result = watch([feed], store=store, settings=settings, rules=parse_rules(None),
                   webhook=url, once=True, out=lines.append, warn=warnings.append)
    assert not warnings and result.webhook_failures == 0
    assert [body for _, body in received] == [json.loads(line) for line in lines]
    assert {ctype for ctype, _ in received} == {"application/json"}
    assert len(received) >= 2


def test_refused_webhook_warns_and_goes_on(tmp_path: Path, settings, feed) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/hook"
    result = CliRunner().invoke(cli, [*_gazetteer(settings), "watch", feed,
                                      "--once", "--db", str(tmp_path / "w.db"),
                                      "--webhook", url])
    assert result.exit_code == 0
    alerts = [json.loads(line) for line in result.stdout.splitlines()]
    assert {a["alert"] for a in alerts} == {"rear_area", "control"}
    warnings = result.stderr.splitlines()
    assert len(warnings) == len(alerts)
    assert all(w.startswith(f"rearguard: warning: webhook {url}: ") for w in warnings)
    assert "Traceback" not in result.output


# -- bad options ----------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "code"), [
    (["--every", "0"], "E151"),
    (["--every", "soon"], "E150"),
    (["--rule", "rear-areas"], "E152"),
    (["--rule", "fatalities>=many"], "E153"),
    (["--webhook", "ftp://127.0.0.1/hook"], "E154"),
    (["--webhook", "127.0.0.1:9000"], "E154"),
    (["--max-polls", "0"], "E155"),
])
def test_bad_options_are_one_line_errors(tmp_path: Path, feed, args, code) -> None:
    db = tmp_path / "never.db"
    result = CliRunner().invoke(cli, ["watch", feed, "--db", str(db), *args])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"rearguard: error: [{code}] ")
    assert not db.exists()  # checked before anything is opened


def test_usage_errors_exit_2(feed) -> None:
    result = CliRunner().invoke(cli, ["watch", feed, "--max-polls", "many"])
    assert result.exit_code == 2
    result = CliRunner().invoke(cli, ["watch"])
    assert result.exit_code == 1 and "[E120]" in result.stderr
