"""Issue 11, point 2: an analyst's review of the dataset (rejecting and restoring events,
editing fields, rejecting sources) survives new reports, re-ingest and re-extraction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rearguard.alerts import evaluate, parse_rules
from rearguard.alerts.rules import utc_now
from rearguard.dataset import (
    edit_event,
    ingest,
    reject_event,
    reject_source,
    reprocess,
    restore_event,
)
from rearguard.errors import InputError, StoreError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests/data/dataset"
AFP = (DATA / "mogadishu-afp-2019-12-29.txt").read_text()
REUTERS = (DATA / "mogadishu-reuters-2019-12-28.txt").read_text()
AP = (DATA / "mogadishu-ap-2020-01-04.txt").read_text()


def _jsonl(tmp_path: Path, name: str, *records: dict) -> str:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture
def mogadishu(store, settings, tmp_path):
    """Reuters' and AFP's reports of the 28 December 2019 bombing (one event, 79 dead by
    AFP's later figure) and AP's of a second attack a week later."""
    source = _jsonl(tmp_path, "mogadishu.jsonl",
                    {"id": "reuters", "published": "2019-12-28", "text": REUTERS},
                    {"id": "afp", "published": "2019-12-29", "text": AFP},
                    {"id": "ap", "published": "2020-01-04", "text": AP})
    ingest([source], store=store, settings=settings)
    (bombing,) = [e for e in store.events() if e.event_date == "2019-12-28"]
    (later,) = [e for e in store.events() if e.event_date == "2020-01-04"]
    return source, bombing, later


def test_a_rejected_event_stays_rejected(store, settings, tmp_path, mogadishu) -> None:
    source, bombing, later = mogadishu
    assert reject_event(store, later.event_id_cnty, "a duplicate of an older report")
    assert not reject_event(store, later.event_id_cnty, "again")  # already rejected
    assert [e.event_id_cnty for e in store.events()] == [bombing.event_id_cnty]
    assert [d["event_id_cnty"] for d in store.deletions()] == [later.event_id_cnty]
    entry = store.history(later.event_id_cnty)[-1]
    assert entry["action"] == "rejected" and entry["detail"] == "a duplicate of an older report"
    # re-ingest: the articles are stored already, nothing comes back
    ingest([source], store=store, settings=settings)
    assert store.event_meta(later.event_id_cnty).status == "rejected"
    # a new report of the same incident joins the rejected event and raises no alert
    since = utc_now()
    copy = AP.replace("Saturday", "Saturday morning", 1) + "\nMore details were awaited."
    ingest([_jsonl(tmp_path, "more.jsonl",
                   {"id": "ap-2", "published": "2020-01-04", "text": copy})],
           store=store, settings=settings)
    assert "ap-2" in store.get_event(later.event_id_cnty).article_ids
    assert store.event_meta(later.event_id_cnty).status == "rejected"
    assert [e.event_id_cnty for e in store.events()] == [bombing.event_id_cnty]
    rules = parse_rules(["fatalities>=0", "rear-area"])
    assert [a.event_id for a in evaluate(rules, store, since, None)] == []
    # re-extraction keeps it rejected, with its id
    reprocess(store, settings=settings, force=True)
    assert store.event_meta(later.event_id_cnty).status == "rejected"
    assert [e.event_id_cnty for e in store.events()] == [bombing.event_id_cnty]
    assert restore_event(store, later.event_id_cnty, "it was a new attack after all")
    assert {e.event_id_cnty for e in store.events()} == {bombing.event_id_cnty,
                                                        later.event_id_cnty}
    assert store.deletions() == []
    assert store.history(later.event_id_cnty)[-1]["action"] == "restored"


def test_edits_win_over_new_reports_and_re_extraction(store, settings, tmp_path,
                                                     mogadishu) -> None:
    _, bombing, _ = mogadishu
    edited = edit_event(store, bombing.event_id_cnty, ["fatalities=81", "location=Afgooye Road"],
                        "government final toll")
    assert edited.fatalities == 81 and edited.location == "Afgooye Road"
    assert store.event_meta(bombing.event_id_cnty).edits == {"fatalities": 81,
                                                             "location": "Afgooye Road"}
    entry = store.history(bombing.event_id_cnty)[-1]
    assert entry["action"] == "edited" and "fatalities 79 -> 81" in entry["detail"]
    assert "government final toll" in entry["detail"]
    revised = {"id": "afp", "published": "2019-12-29",
               "text": AFP.replace("has risen to 79", "has risen to 90")}
    ingest([_jsonl(tmp_path, "b.jsonl", revised)], store=store, settings=settings)
    after = store.get_event(bombing.event_id_cnty)
    assert after.fatalities == 81 and after.location == "Afgooye Road"
    reprocess(store, settings=settings, force=True)
    assert store.get_event(bombing.event_id_cnty).fatalities == 81
    # a sub-event type brings its event type; a date its year
    edited = edit_event(store, bombing.event_id_cnty, ["sub_event_type=Suicide bomb",
                                                      "event_date=2019-12-27"], "checked")
    assert edited.event_type == "Explosions/Remote violence" and edited.year == 2019
    with pytest.raises(InputError, match="E161"):
        edit_event(store, bombing.event_id_cnty, ["article_ids=x"], "no")
    with pytest.raises(InputError, match="E162"):
        edit_event(store, bombing.event_id_cnty, ["fatalities=-1"], "no")
    with pytest.raises(InputError, match="E162"):
        edit_event(store, bombing.event_id_cnty, ["sub_event_type=Armed clashes"], "no")
    with pytest.raises(InputError, match="E160"):
        edit_event(store, bombing.event_id_cnty, ["fatalities=3"], "  ")
    with pytest.raises(StoreError, match="E715"):
        reject_event(store, "SOM999", "no such event")


def test_a_rejected_source_leaves_the_dataset(store, settings, tmp_path, mogadishu) -> None:
    source, bombing, later = mogadishu
    fed = reject_source(store, "afp", "the agency's copy was a rewrite of Reuters'")
    assert fed == [bombing.event_id_cnty]
    after = store.get_event(bombing.event_id_cnty)
    # the event is derived again from Reuters alone: its first figure, its source only
    assert after.article_ids == ("reuters",) and after.fatalities == 61
    assert all(e.article_id == "reuters" for e in after.evidence)
    assert "no longer a source: article afp" in store.history(bombing.event_id_cnty)[-1][
        "detail"]
    assert store.article_meta("afp").status == "rejected"
    # a source that alone reported an event takes it out of the dataset (rejected)
    reject_source(store, "ap", "not a conflict report")
    assert store.event_meta(later.event_id_cnty).status == "rejected"
    assert [e.event_id_cnty for e in store.events()] == [bombing.event_id_cnty]
    # re-ingest and re-extraction do not bring the sources back
    report = ingest([source], store=store, settings=settings)
    assert report.seen == 3 and report.articles == 0
    reprocess(store, settings=settings, force=True)
    assert store.get_event(bombing.event_id_cnty).article_ids == ("reuters",)
    assert [e.event_id_cnty for e in store.events()] == [bombing.event_id_cnty]
    assert store.get_article("afp").text == AFP  # the text stays stored
    with pytest.raises(StoreError, match="E715"):
        reject_source(store, "https://nowhere.example/x", "no such article")


def test_a_restored_source_brings_back_what_its_rejection_took(store, settings,
                                                                mogadishu) -> None:
    from rearguard.dataset import restore_source

    _, bombing, later = mogadishu
    reject_event(store, bombing.event_id_cnty, "analyst: to be checked")  # stays rejected
    reject_source(store, "ap", "not a conflict report")
    reject_source(store, "afp", "a rewrite")
    assert store.event_meta(later.event_id_cnty).status == "rejected"
    assert store.get_event(bombing.event_id_cnty).article_ids == ("reuters",)
    assert restore_source(store, "ap", "it is a wire report") == [later.event_id_cnty]
    assert store.article_meta("ap").status == "active"
    back = store.get_event(later.event_id_cnty)
    assert store.event_meta(later.event_id_cnty).status == "active"
    assert back.article_ids == ("ap",) and back.fatalities == later.fatalities
    assert store.history(later.event_id_cnty)[-1]["action"] == "restored"
    restore_source(store, "afp", "not a rewrite")
    after = store.get_event(bombing.event_id_cnty)
    assert after.article_ids == ("reuters", "afp") and after.fatalities == 79
    # the analyst's own rejection of the bombing is not undone by restoring a source
    assert store.event_meta(bombing.event_id_cnty).status == "rejected"
    assert restore_source(store, "afp", "again") == [bombing.event_id_cnty]  # no change
