"""What is not an event: harm with no political side, the police blotter, background,
plans and threats. And what still is."""

from __future__ import annotations

import dataclasses

import pytest

from rearguard.pipeline import extract_article
from rearguard.types import Article


def _events(text: str, settings, published: str = "2018-03-14"):
    return extract_article(Article(id="t", text=text, published=published),
                           settings=settings).events


@pytest.mark.parametrize("text", [
    "A woman in Egypt has died of the H5N1 strain of bird flu, the health ministry said.",
    "At least two people died and 55 others were injured on Friday in a gas explosion at a "
    "noodle restaurant in Taiyuan, state media reported.",
    "More than 650 people have died after a tsunami hit the Indonesian island of Java.",
    "The Athens Police Department arrested a 33-year-old man on Monday on a charge of burglary.",
    "Ten years ago, a gunman entered a church in Fort Worth and killed seven people.",
    "The army may launch a new offensive on Raqqa next month, a commander said.",
    "Rebels threatened to attack Goma if the government does not negotiate.",
    "In a local pond near Hamburg, more than 1,000 toads have exploded.",
    "Thousands of local townspeople could protest against the mine in Cajamarca.",
    # TR-News 1020012 and GeoWebNews 267 (development halves): arrests for graft and for a
    # fraud, one found in a police raid, are the courts' business, not conflict
    "A top aide of Rome's new mayor has been arrested on suspicion of corruption, months "
    "after the politician was elected. Raffaele Marra was arrested on Friday, as part of an "
    "investigation of business deals dating from 2013.",
    "KOLKATA, India - Indian police have arrested a 46-year-old man for allegedly keeping his "
    "mother's body in a freezer for almost three years. Police officer Nilanjan Biswas says "
    "he was arrested after his mother's body was found during a Thursday police raid.",
    # LGL 42496805 (development half): a bomb squad called to a suspicious device
    "Bomb squad called to Richmond's east side. The Indiana State Police bomb squad has "
    "responded to an east-side Richmond storage unit after a report of a suspicious device.",
    "A bomb threat forced the evacuation of the airport in Lagos on Monday.",
])
def test_not_events(text: str, settings) -> None:
    assert _events(text, settings) == ()


@pytest.mark.parametrize(("text", "sub_event_type"), [
    ("Police in Istanbul detained 40 opposition activists on Tuesday after a rally.", "Arrests"),
    ("A bomb exploded at a bus station in Jos on Monday, killing four people.",
     "Remote explosive/landmine/IED"),
    ("Police fired on protesters in Yangon on Sunday, killing 18 people.",
     "Excessive force against protesters"),
])
def test_still_events(text: str, sub_event_type: str, settings) -> None:
    events = _events(text, settings)
    assert [e.sub_event_type for e in events] == [sub_event_type]


# Issue 10: gates that weigh evidence. Sentences from real reports in ../shared/eval
# (TR-News, LGL, WikiEvents, MUC-4), a place added where the report gave it elsewhere.
@pytest.mark.parametrize(("text", "published", "sub_event_type"), [
    # the trigger is the gathering: no crowd word is needed
    ("Alongside a small group of other recovering addicts, they lit candles on Saturday at "
     "a vigil in Vancouver put on by Recovery Day B.C.", "2016-12-05", "Peaceful protest"),
    # the frame names the armed side the alias table does not know
    ("Five other priests and two Salvadoran women were murdered at dawn today in San "
     "Salvador by men wearing military uniforms.", "1989-11-16", "Attack"),
    # an arrest beside political violence is of note
    ("GNB Brigade General Hector Armando Hernandez Da Costa was also detained by "
     "intelligence forces in Caracas on Monday night in connection with the terrorist "
     "attack.", "2018-08-15", "Arrests"),
    # weapons of war found by the police
    ("At Carvajal district in Bogota, the police discovered a car with 100 kg of gelignite "
     "at a residence on Friday.", "1989-09-23", "Disrupted weapons use"),
])
def test_weighed_events(text: str, published: str, sub_event_type: str, settings) -> None:
    events = _events(text, settings, published=published)
    assert [e.sub_event_type for e in events] == [sub_event_type]


@pytest.mark.parametrize("text", [
    # a government's deal with a company is no agreement ACLED codes
    "The Malaysian government signed an agreement with Ocean Infinity in Kuala Lumpur on "
    "Monday to restart the search for the missing jet.",
    # the police blotter: pistols are not weapons of war
    "Athens police found two pistols and drugs in the car of a 33-year-old man on Monday.",
    # a raid of the police blotter
    "Athens police raided a house on Monday and arrested two men on drug charges.",
    # sport
    "Team Panther rallied from an early ten point deficit to knock out the Royals from "
    "Watertown on Saturday.",
])
def test_weighed_non_events(text: str, settings) -> None:
    assert _events(text, settings) == ()


def test_an_assault_on_the_police_by_an_unnamed_side_is_an_event(settings) -> None:
    # MUC-4 dev TST1-MUC3-0092: the police are the target, the attackers unnamed
    events = _events("A national police post in Chalatenango was raided and attacked on "
                     "Monday.", settings, published="1989-11-14")
    assert [e.event_type for e in events] == ["Battles"]
    assert events[0].actor1.startswith("Unidentified Armed Group")
    assert events[0].actor2.startswith("Police Forces")


def test_police_shot_in_a_robbery_stay_the_police_blotter(settings) -> None:
    assert _events("Two police officers were shot during a robbery at a gas station in "
                   "Dayton on Friday.", settings, published="2009-03-21") == ()


def test_sexual_violence_by_state_forces_is_coded(settings) -> None:
    # CASE 2021 task 2 development snippet: state forces are a conflict actor too. The gate
    # is tested without the news filter: the news model retrained on 2026-12-02 reads this
    # three-month campaign as background (probability 0.48 against 0.55; docs/evaluation.md)
    events = _events("Human Rights Watch accused Myanmar security forces on Thursday of "
                     "committing widespread rape against women and girls as part of a "
                     "campaign of ethnic cleansing during the past three months against "
                     "Rohingya Muslims in the country's Rakhine state.",
                     dataclasses.replace(settings, news_filter=False),
                     published="2017-02-02")
    assert [(e.sub_event_type, e.actor1, e.admin1) for e in events] == [
        ("Sexual violence", "Military Forces of Myanmar", "Rakhine")]


def test_a_rape_with_no_conflict_actor_is_crime(settings) -> None:
    # CASE 2021 task 2 development snippet (India): an ordinary crime, not political violence
    assert not _events("Four men raped a 24-year-old mother of two in a moving car near "
                       "Alipur in outer Delhi, police said.", settings)


def test_arrests_by_an_army_are_coded(settings) -> None:
    # CASE 2021 task 2 development snippet (Prensa Latina): "occupation forces" are the
    # Israeli military, and an army's arrests are not the police blotter
    events = _events("Ramallah, Dec 14 (Prensa Latina) Israeli occupation forces arrested "
                     "more than 100 Palestinians during large-scale raids in many areas of "
                     "the West Bank during the past two days, the Palestinian Prisoners "
                     "Society (PPS) reported Friday", settings, published="2018-12-14")
    assert [(e.sub_event_type, e.actor1) for e in events] == [
        ("Arrests", "Military Forces of Israel")]


def test_soldiers_arrested_for_a_crime_are_no_army_arrest(settings) -> None:
    # MUC-4 TST1-MUC3-0069: the soldiers are the arrested, not the arresting side
    assert not [e for e in _events(
        "The announcement made by President Alfredo Cristiani of the arrest of 45 soldiers "
        "and 2 officers for killing 6 clergymen is in itself a small milestone.", settings,
        published="1989-12-05") if e.sub_event_type == "Arrests"]
