"""Generic armed mentions ("guerrillas", "suicide bombers") as the group the report names,
a claimer as the author, and the second side of a protest, on real reports (the
development texts in ../shared/eval and the test reports)."""

from __future__ import annotations

from pathlib import Path

from rearguard.pipeline import extract_article
from rearguard.types import Article

REPORTS = Path(__file__).resolve().parents[1] / "data" / "articles"


def _events(text: str, published: str, settings):
    return extract_article(Article(id="t", text=text, published=published),
                           settings=settings).events


def test_guerrillas_are_the_group_the_report_names(settings) -> None:
    # MUC-4 TST1-MUC3-0001: the URNG is named once, its guerrillas killed a peasant
    events = _events(
        'A report published by the "cerigua" news agency -- mouthpiece of the Guatemalan '
        "National Revolutionary Unity (URNG) -- whose main offices are in Mexico, says that "
        "a guerrilla column attacked the farm 2 days ago.\n\nHe also reported that guerrillas "
        "killed a peasant in the city of Flores, in the northern el Peten department, and "
        "burned a tank truck.", "1990-02-04", settings)
    flores = [e for e in events if e.admin1 == "Petén" or "Pet" in e.location]
    assert len(flores) == 1, events
    assert flores[0].actor1 == "URNG: Guatemalan National Revolutionary Unity"
    assert flores[0].actor2 == "Civilians (Guatemala)"


def test_suicide_bombers_are_the_group_whose_hallmarks_they_bore(settings) -> None:
    text = (REPORTS / "maiduguri-2017-06-08.txt").read_text(encoding="utf-8")
    bombing = [e for e in _events(text, "2017-06-08", settings)
               if e.sub_event_type == "Suicide bomb"]
    assert len(bombing) == 1
    assert bombing[0].actor1 == "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"
    assert bombing[0].actor2 == "Civilians (Nigeria)"


def test_the_suicide_bomber_is_the_group_that_claimed_the_attack(settings) -> None:
    # WikiEvents suicide_ied_11
    events = _events(
        "On December 21, 2015 in Bagram, a suicide bomber blew himself up, killing six NATO "
        "service members. Zabiullah Mujahid, the spokesperson for the Taliban, claimed they "
        "were responsible for the attack via Twitter and e-mail.", "2015-12-21", settings)
    assert len(events) == 1
    assert events[0].actor1 == "Taliban"
    assert events[0].actor2 == "NATO Forces"


def test_residents_who_marched_are_the_crowd_not_a_second_side(settings) -> None:
    # LGL 41294632
    events = _events(
        "Toting signs that said “Vote no on 1” and “Equality for all,” about 55 Gainesville "
        "residents marched Friday near the intersection of Northwest Eighth Avenue and "
        "Northwest 34th Street.", "2009-03-21", settings)
    assert len(events) == 1
    assert events[0].event_type == "Protests"
    assert events[0].actor2 == ""
