"""How single fields are decided: demonstrators first, dates of the event's own clause."""

from __future__ import annotations

from rearguard.pipeline import extract_article
from rearguard.types import Article


def _one(text: str, published: str, settings):
    events = extract_article(Article(id="t", text=text, published=published),
                             settings=settings).events
    assert len(events) == 1, events
    return events[0]


def test_protesters_are_actor1_and_the_police_actor2(settings) -> None:
    event = _one("Thousands of people marched through Nairobi on Friday to demand lower food "
                 "prices, and police fired tear gas to disperse them.", "2023-03-24", settings)
    assert event.sub_event_type == "Protest with intervention"
    assert (event.actor1, event.inter1) == ("Protesters (Kenya)", 6)
    assert (event.actor2, event.inter2) == ("Police Forces of Kenya", 1)
    assert event.interaction == 16
    assert event.event_date == "2023-03-24" and event.time_precision == 1


def test_lethal_force_against_protesters(settings) -> None:
    event = _one("Police fired on protesters in Yangon on Sunday, killing 18 people.",
                 "2021-02-28", settings)
    assert event.sub_event_type == "Excessive force against protesters"
    assert event.actor1 == "Protesters (Myanmar)"
    assert event.actor2 == "Police Forces of Myanmar"
    assert event.fatalities == 18
    assert (event.event_date, event.time_precision) == ("2021-02-28", 1)


def test_the_day_something_was_said_is_not_the_event_date(settings) -> None:
    event = _one("The army said on Tuesday that militants attacked a checkpoint near Tikrit "
                 "last week, killing three soldiers.", "2015-03-19", settings)
    assert event.time_precision == 2  # "last week", not "on Tuesday"
    assert event.event_date == "2015-03-11"
    assert event.fatalities == 3


def test_a_date_of_another_clause_is_not_taken(settings) -> None:
    event = _one("Daesh launched a surprise attack on Hit, a town that was supposed to have "
                 "been liberated in April, on Sunday morning.", "2016-10-23", settings)
    assert event.event_date == "2016-10-23"


def test_continued_to_shell_is_an_act_not_an_intention(settings) -> None:
    event = _one("Russian forces continued to shell the suburbs of Kharkiv overnight, the "
                 "regional governor said, and at least two people were killed.",
                 "2022-03-14", settings)
    assert event.sub_event_type == "Shelling/artillery/missile attack"
    assert event.actor1 == "Military Forces of Russia"
    assert event.location == "Kharkiv" and event.fatalities == 2


def test_a_group_that_reports_its_own_attack_is_its_author(settings) -> None:
    event = _one("Yemen's Houthi movement said it launched drone attacks on two Saudi Aramco "
                 "oil facilities at Abqaiq early on Saturday, setting off large fires.",
                 "2019-09-14", settings)
    assert event.actor1 == "Ansar Allah"
    assert event.sub_event_type == "Air/drone strike"


def test_a_city_that_names_its_province_is_the_city(settings) -> None:
    event = _one("A missile struck the centre of Donetsk on Monday, killing 20 civilians, "
                 "the separatist administration said.", "2022-03-14", settings)
    assert (event.location, event.geo_precision) == ("Donetsk", 1)
    assert event.actor2 == "Civilians (Ukraine)" and event.fatalities == 20


def test_a_village_the_index_lacks_is_placed_in_the_district_the_text_names(settings) -> None:
    # CASE 2021 task 2 development snippet (Pakistan, 2019); the built-in index has no Ipi
    text = ("Four women were killed and a driver sustained injuries when unidentified gunmen "
            "opened fire on the vehicle of a Non-Governmental Organisation (NGO) in Ipi "
            "village in Mir Ali tehsil of North Waziristan tribal district on Monday")
    events = extract_article(Article(id="t", text=text, published="2018-02-23"),
                             settings=settings).events
    assert [(e.sub_event_type, e.country, e.fatalities) for e in events] == [
        ("Attack", "Pakistan", 4)]
    assert "Waziristan" in events[0].location and events[0].geo_precision >= 2


def test_casualties_after_a_shooting_are_that_shootings(settings) -> None:
    # CASE 2021 task 2 development snippet (Iraq, 2019): "killed ... after security forces
    # opened fire" is one incident and its cause, not a later event after an earlier one
    event = _one("At least six people have been killed and dozens wounded after security "
                 "forces opened fire on peaceful protesters in southern Iraq, police and "
                 "medical sources said.", "2019-10-05", settings)
    assert event.sub_event_type == "Excessive force against protesters"
    assert event.actor1.startswith("Protesters")  # ACLED: the demonstrators come first
    assert event.actor2 == "Military Forces of Iraq" and event.fatalities == 6


def test_a_week_after_an_earlier_bombing_is_still_earlier(settings) -> None:
    # tests/data/dataset/mogadishu-ap-2020-01-04.txt (AP): the truck bomb a week before
    # is not this attack, nor its 79 dead
    text = ("A suicide bomber blew himself up outside a restaurant near a military base in "
            "Mogadishu on Saturday, killing four soldiers and a civilian, police said. "
            "Al-Shabaab claimed responsibility for the attack, a week after a truck bomb "
            "killed 79 people at a checkpoint in the Somali capital.")
    event = _one(text, "2020-01-04", settings)
    assert event.sub_event_type == "Suicide bomb" and event.fatalities == 5


def test_a_weapon_inside_a_frame_names_the_type(settings) -> None:
    # CASE 2021 task 2 development snippet (Bangladesh, 2016), with a place added: the
    # frame "came under ... attack" holds the weapon that makes it a grenade attack
    event = _one("Bangladeshi police today came under a grenade attack while they were "
                 "conducting a raid at hideouts of top JMB terrorists in Dhaka.",
                 "2016-07-30", settings)
    assert event.sub_event_type == "Grenade"
