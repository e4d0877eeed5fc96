"""Real SOHR headlines (UCDP GED Syria's development half, its tuning part): raids by
aircraft nobody named, and a side named inside its own trigger word."""

from __future__ import annotations

from rearguard.pipeline import extract_article
from rearguard.types import Article


def _events(text: str, settings):
    return extract_article(Article(id="t", text=text, published="2016-11-27",
                                   source="SOHR"), settings=settings).events


def test_raids_on_a_town_by_aircraft_nobody_named(settings) -> None:
    events = _events("Casualties and injuries in morning raids on Khan Shaykhun city",
                     settings)
    assert [(e.sub_event_type, e.actor1, e.inter1) for e in events] == [
        ("Air/drone strike", "Unidentified Military Forces", 1)]
    assert events[0].admin1 == "Idlib"
    assert not [e for e in events[0].evidence if e.field == "actor1"]  # no words named it


def test_raids_in_general_are_no_incident(settings) -> None:
    # a plural aimed at no place names no incident ("attacks on Shia mosques")
    assert _events("Daesh raids on Shia mosques have become rarer, analysts say.",
                   settings) == ()


def test_a_side_named_inside_its_trigger_owns_it(settings) -> None:
    events = _events("Russian airstrikes target Aleppo, Clashes continue in Hama countryside",
                     settings)
    strikes = [e for e in events if e.sub_event_type == "Air/drone strike"]
    assert [(e.actor1, e.location) for e in strikes] == [("Military Forces of Russia",
                                                          "Aleppo")]
    assert all(e.actor1 != "Military Forces of Russia" for e in events if e not in strikes)


def test_an_explosion_that_harmed_people_is_violence(settings) -> None:
    events = _events("Casualties in an explosion at the countryside of Idlib", settings)
    assert [(e.sub_event_type, e.actor1, e.admin1) for e in events] == [
        ("Remote explosive/landmine/IED", "Unidentified Armed Group (Syria)", "Idlib")]
    # an accident is not, however many it harmed
    assert _events("A gas explosion at a restaurant in Aleppo killed 3 people", settings) == ()


def test_a_battle_of_a_place_and_counter_attacks_take_two_armed_sides(settings) -> None:
    battle = _events("320 were killed in 8 days of the large battle of Aleppo", settings)
    assert [(e.sub_event_type, e.location, e.fatalities) for e in battle] == [
        ("Armed clash", "Aleppo", 320)]
    counter = _events("Casualties in violent counter attacks in the western countryside of "
                      "Al-Raqqah", settings)
    assert [e.sub_event_type for e in counter] == ["Armed clash"]
    assert _events("The battle against corruption in Aleppo continues", settings) == ()


def test_air_attacks_on_two_towns(settings) -> None:
    events = _events("5 casualties at least and a large number of wounded in the air attacks "
                     "on the cities of Idlib and Ariha", settings)
    assert sorted(e.location for e in events if e.sub_event_type == "Air/drone strike") == \
        ["Arīḩā", "Idlib"]


def test_a_massacre_that_killed_has_an_armed_perpetrator(settings) -> None:
    events = _events("11 dead and tens wounded in the massacre at Batbo town in the western "
                     "countryside of Aleppo", settings)
    assert [(e.sub_event_type, e.actor1, e.actor2, e.fatalities) for e in events] == [
        ("Attack", "Unidentified Armed Group (Syria)", "Civilians (Syria)", 11)]
    # a massacre named as a film's subject is no incident
    assert _events("The film about the massacre of Srebrenica opened in London", settings) == ()


def test_strikes_by_the_coalitions_warplanes(settings) -> None:
    events = _events("6 casualties in airstrikes by the International Coalition’s warplanes "
                     "on the town of Hajin", settings)
    assert [(e.sub_event_type, e.actor1) for e in events] == [
        ("Air/drone strike", "Coalition Forces")]


def test_one_event_at_each_listed_province_or_town(settings) -> None:
    events = _events("Aerial bombardment targets Hama and Raqqa", settings)
    assert sorted(e.admin1 for e in events) == ["Ar Raqqah", "Hamah"]
    assert {e.sub_event_type for e in events} == {"Air/drone strike"}


def test_the_two_sides_a_clash_names_together(settings) -> None:
    events = _events("Clashes between the regime forces and the factions in the countryside "
                     "of Daraa kill 5", settings)
    assert [(e.actor1, e.actor2) for e in events] == [
        ("Military Forces of Syria", "Opposition Rebels (Syria)")]


def test_the_harm_an_air_strike_caused(settings) -> None:
    # "after" an incident its own casualties are news of it, not of an earlier one
    events = _events("Human losses after aerial bombardment on Homs", settings)
    assert [(e.sub_event_type, e.location) for e in events] == [("Air/drone strike", "Homs")]


def test_shells_that_fell(settings) -> None:
    events = _events("About 20 casualties and injuries due to the fall of shells at the "
                     "western neighborhoods of Aleppo", settings)
    assert [(e.sub_event_type, e.location) for e in events] == [
        ("Shelling/artillery/missile attack", "Aleppo")]
    # a schedule is no incident
    assert _events("The army is due to attack Raqqa next week", settings) == ()


def test_forces_that_target_advance_or_execute(settings) -> None:
    target = _events("Regime forces target areas of Dar’a countryside", settings)
    assert [(e.sub_event_type, e.actor1) for e in target] == [
        ("Shelling/artillery/missile attack", "Military Forces of Syria")]
    advance = _events("IS advances over rebels in northern Aleppo", settings)
    assert [(e.event_type, e.actor1, e.actor2) for e in advance] == [
        ("Battles", "Islamic State (Syria)", "Opposition Rebels (Syria)")]
    executed = _events("ISIS executes two Syrians in 24 hours in Deir Ezzor", settings)
    assert [(e.sub_event_type, e.actor1, e.fatalities) for e in executed] == [
        ("Attack", "Islamic State (Syria)", 2)]
    assert _events("The campaign targets areas of poverty in Aleppo", settings) == ()


def test_the_police_a_report_cites_are_its_source(settings) -> None:
    events = _events("Gunmen attacked a checkpoint in Tal Abyad on Monday, according to the "
                     "police.", settings)
    assert events and all("Police" not in e.actor2 and "Police" not in e.actor1
                          for e in events)
