"""A revised article's new toll reaches alert consumers (issue 11, point 1 and docs/alerts.md):
a death toll revised 5 -> 14 at the same URL updates the event (logged ``revised``), and a
``fatalities>=10`` rule fires for it in the poll that brought the revision, once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rearguard.alerts import parse_rules, poll
from rearguard.store import open_store

pytestmark = pytest.mark.issue(11)

HIT = ("Islamic State militants attacked the town of Hit in Anbar province on Sunday, "
       "killing {n} soldiers, a local official said.{more}")
URL = "https://news.example.org/2016/10/23/hit"


@pytest.fixture
def store(tmp_path: Path):
    s = open_store(str(tmp_path / "alerts.db"))
    yield s
    s.close()


def _feed(tmp_path: Path, name: str, n: str, more: str = "") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"id": "wire-1", "url": URL, "published": "2016-10-23",
                                "text": HIT.format(n=n, more=more)}) + "\n")
    return str(path)


def test_a_toll_revised_past_the_rule_alerts(store, settings, tmp_path: Path) -> None:
    rules = parse_rules(["fatalities>=10:Anbar"])
    first = poll([_feed(tmp_path, "a.jsonl", "five")], store=store, settings=settings,
                 rules=rules)
    assert first.report.articles == 1 and first.alerts == []  # 5 < 10
    (event,) = store.events()

    revised = poll([_feed(tmp_path, "b.jsonl", "14", " The toll was revised.")],
                   store=store, settings=settings, rules=rules)
    assert revised.report.revised == 1
    (alert,) = revised.alerts
    assert alert.alert == "fatalities" and alert.event_id == event.event_id_cnty
    assert alert.event["fatalities"] == 14
    assert "14 fatalities (rule fatalities>=10 in Anbar, revised by a revision of its " \
           "article)" in alert.summary
    assert store.history(event.event_id_cnty)[-1]["action"] == "revised"

    again = poll([_feed(tmp_path, "b.jsonl", "14", " The toll was revised.")],
                 store=store, settings=settings, rules=rules)
    assert again.report.seen == 1 and again.alerts == []  # nothing changed: no alert


def test_a_toll_revised_down_below_the_rule_does_not_alert(store, settings,
                                                          tmp_path: Path) -> None:
    rules = parse_rules(["fatalities>=10"])
    first = poll([_feed(tmp_path, "a.jsonl", "14")], store=store, settings=settings,
                 rules=rules)
    assert [a.alert for a in first.alerts] == ["fatalities"]
    lower = poll([_feed(tmp_path, "b.jsonl", "five", " Earlier figures were wrong.")],
                 store=store, settings=settings, rules=rules)
    assert lower.report.revised == 1 and lower.alerts == []
    (event,) = store.events()
    assert event.fatalities == 5
