"""Who is a side of an event and on which side, on sentences from real reports (the
development texts in ../shared/eval: WikiEvents, MUC-4, LGL; and the test reports)."""

from __future__ import annotations

from rearguard.pipeline import extract_article
from rearguard.types import Article


def _one(text: str, published: str, settings):
    events = extract_article(Article(id="t", text=text, published=published),
                             settings=settings).events
    assert len(events) == 1, events
    return events[0]


def test_police_searching_for_the_bomber_are_no_side(settings) -> None:
    # WikiEvents scenario_en_kairos_60: the police respond, the bomber is not named
    event = _one("Police in the city of Lyon were searching for a man believed to be "
                 "responsible for a Friday blast which injured several people. The explosion "
                 "targeted a bakery on the central street Rue Victor Hugo, in what French "
                 "President Emmanuel Macron called an \"attack.\"", "2019-05-25", settings)
    assert event.sub_event_type == "Remote explosive/landmine/IED"
    assert event.actor1 == "Unidentified Armed Group (France)"
    assert "Police" not in event.actor2


def test_police_hunting_a_suspect_are_no_side(settings) -> None:
    # WikiEvents scenario_en_kairos_61
    event = _one("French police are hunting a suspect believed to have deposited a paper bag "
                 "containing a device that exploded on Friday, wounding 13 people on a busy "
                 "pedestrian street in the city of Lyon.", "2019-05-25", settings)
    assert event.actor1 == "Unidentified Armed Group (France)"
    assert event.actor2 == "Civilians (France)"  # "13 people" wounded by a bomb


def test_soldiers_who_were_attacked_are_the_victims(settings) -> None:
    # MUC-4 TST1-MUC3-0036: soldiers attacked by someone the report does not name
    event = _one("Tegucigalpa, 13 July 1989 (Cadena Audio Video) -- Attention: a group of nine "
                 "U.S. Soldiers stationed at the Palmerola base who were visiting the city of "
                 "La Ceiba were attacked at 0030 today.", "1989-07-13", settings)
    assert event.actor1 == "Unidentified Armed Group (Honduras)"
    assert event.actor2.startswith("Military Forces of")


def test_a_group_named_as_the_author_acted(settings) -> None:
    # WikiEvents wiki_ied_bombings_9: "believed to have been carried out by ETA"
    event = _one("The Cafetería Rolando bombing was an attack on 13 September 1974 at the "
                 "Rolando cafe in Calle del Correo, Madrid, Spain which killed 13 people and "
                 "wounded 71. Though no claim of responsibility was made, the attack is widely "
                 "believed to have been carried out by the armed Basque separatist group ETA.",
                 "1974-09-14", settings)
    assert event.actor1 == "ETA: Basque Homeland and Freedom"
    assert event.actor2 == "Civilians (Spain)"


def test_conjuncts_share_their_side(settings) -> None:
    # WikiEvents suicide_ied_114: the suicide bombers attacked with the Taliban gunmen
    event = _one("Taliban gunmen and suicide bombers attacked Camp Shorabak in Helmand "
                 "Province, Afghanistan, on Friday.", "2019-03-01", settings)
    assert event.actor1 == "Taliban"
    assert not event.actor2.startswith("Unidentified")


def test_people_killed_by_a_car_bomb_are_civilians(settings) -> None:
    # LGL 42573065
    event = _one("BAGHDAD — A car bomb exploded near a crowded market in a mainly Shiite area "
                 "in Baghdad on Thursday, killing as many as 20 people, Iraqi officials said, "
                 "in the fifth major attack in Iraq this month.", "2009-03-26", settings)
    assert event.actor1 == "Unidentified Armed Group (Iraq)"
    assert event.actor2 == "Civilians (Iraq)" and event.civilian_targeting
    assert event.fatalities == 20


def test_an_owner_is_no_side(settings) -> None:
    # the seed report: "Daesh's last major urban stronghold" names Mosul, not a victim
    event = _one("In the early hours of this morning, Daesh assaulted Shirqat in Salahuddin "
                 "province, over 100 kilometres from Mosul, Iraq’s second city and Daesh’s "
                 "last major urban stronghold in the country.", "2016-11-06", settings)
    assert event.actor1 == "Islamic State (Iraq)"
    # no words of the sentence are the second side (Daesh "owns" the stronghold only); an
    # armed clash has one all the same: the state forces that the rebels fought
    assert event.sub_event_type == "Armed clash"
    assert event.actor2 == "Military Forces of Iraq"
    assert not [e for e in event.evidence if e.field == "actor2"]


def test_those_arrested_never_made_the_arrest(settings) -> None:
    # WikiEvents wiki_ied_bombings_9: an arrest names only the arrested
    event = _one("Leftists known to be sympathetic to ETA were arrested in Madrid on "
                 "Tuesday, including Eva Forest, wife of the communist playwright Alfonso "
                 "Sastre.", "1974-09-25", settings)
    assert event.sub_event_type == "Arrests"
    assert event.actor1 == "Police Forces of Spain"


def test_a_country_that_fired_acted_through_its_forces(settings) -> None:
    # GWN 1
    event = _one("BEIRUT (AP) — Nureddine Mehmud says Turkey fired on Qamishli and other towns "
                 "along the Syrian-Turkish border on Tuesday, calling it a diversion from the "
                 "main campaign by Turkish forces.", "2018-01-23", settings)
    assert event.actor1 == "Military Forces of Turkey"


def test_the_authorities_who_arrested_are_the_police_of_the_country(settings) -> None:
    # MUC-4 TST1-MUC3-0036: "The authorities" name no country ("Military Forces" before)
    events = extract_article(Article(
        id="t", published="1989-07-13",
        text="Tegucigalpa, 13 July 1989 (Cadena Audio Video) -- Attention: a group of nine "
             "U.S. Soldiers stationed at the Palmerola base who were visiting the city of La "
             "Ceiba were attacked at 0030 today.  Seven of the nine soldiers were wounded, "
             "three of the soldiers are in grave condition. The authorities reported that they "
             "have only arrested two suspects in this attack against U.S.  Soldiers, which "
             "took place at 0030."), settings=settings).events
    arrests = [e for e in events if e.sub_event_type == "Arrests"]
    assert len(arrests) == 1 and arrests[0].actor1 == "Police Forces of Honduras"
    # those arrested, unnamed, are civilians as ACLED codes them; no words name them
    assert arrests[0].actor2 == "Civilians (Honduras)"
    assert not [e for e in arrests[0].evidence if e.field == "actor2"]


def test_weapons_the_police_found_were_an_unnamed_groups(settings) -> None:
    # MUC-4 TST1-MUC3-0025
    event = _one("Bogota, 22 September 1989 (Radio Cadena Nacional) -- Security measures in the "
                 "capital have been substantially beefed up after the military and police "
                 "forces discovered a terrorist plan against a state institution.\n\nGeneral "
                 "Ramon Niebles Uzcategui, commander of the 13th brigade, reported that the "
                 "plan was discovered following investigations in southwestern Bogota, and "
                 "more specifically at Carvajal district, where the police discovered a car "
                 "with 100 kg of gelignite at a residence.", "1989-09-22", settings)
    assert event.sub_event_type == "Disrupted weapons use"
    assert event.actor1 == "Police Forces of Colombia"
    assert event.actor2 == "Unidentified Armed Group (Colombia)"


def test_casualties_among_soldiers_were_acted_on(settings) -> None:
    # MUC-4 TST1-MUC3-0056
    event = _one("San Salvador, 2 May 1990 (ACAN-EFE) -- At least 18 casualties, among both "
                 "soldiers and civilians, resulted from several guerrilla attacks on the "
                 "president's Residence, the central electoral council, and other military "
                 "installations in San Salvador and several departments throughout the "
                 "country.", "1990-05-02", settings)
    assert event.actor1 == "Unidentified Armed Group (El Salvador)"
    assert event.actor2 == "Military Forces of El Salvador"
    assert event.sub_event_type == "Armed clash"


def test_a_fight_with_no_named_side_is_the_articles_one_group(settings) -> None:
    # MUC-4 dev TST2-MUC4-0078 (shortened): the report names one armed group; the fight
    # the next sentence tells without sides is that group's, not an unidentified one's
    text = ("SAN SALVADOR, 28 NOV 89 (RADIO VENCEREMOS) -- The FMLN reported that its units "
            "attacked the army in Zacamil. Fighting continues in Mejicanos, Ayutuxtepeque, "
            "Ciudad Delgado, and Soyapango.")
    events = extract_article(Article(id="t", text=text, published="1989-11-28"),
                             settings=settings).events
    assert events and all(e.sub_event_type == "Armed clash" for e in events)
    assert {e.actor1 for e in events} == {"FMLN: Farabundo Marti National Liberation Front"}
    assert {e.actor2 for e in events} == {"Military Forces of El Salvador"}


def test_a_battles_other_side_is_armed_not_the_civilians_caught_in_it(settings) -> None:
    # GeoWebNews 1 (AP, January 2018): the dead of a clash listed civilians first
    event = _one("BEIRUT (AP) - The Britain-based Syrian Observatory for Human Rights says "
                 "24 civilians, 24 Kurdish fighters, and 25 Turkish-backed Syrian militiamen "
                 "have been killed in the clashes in Afrin since Saturday.", "2018-01-23",
                 settings)
    assert event.sub_event_type == "Armed clash"
    assert event.actor2 and not event.actor2.startswith("Civilians")
    assert event.fatalities == 73


def test_an_attacker_the_police_shot_fought_them(settings) -> None:
    # TR-News 1130003 (Reuters, April 2017): "the attacker" is the gunman, an armed side
    event = _one("A gunman opened fire on police on Paris' iconic Champs-Elysees boulevard "
                 "Thursday night. The attack left one officer dead and three people wounded "
                 "before police shot and killed the attacker.", "2017-04-21", settings)
    assert event.sub_event_type == "Armed clash"
    assert event.actor2 == "Police Forces of France"
