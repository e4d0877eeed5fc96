"""Weapon, physical-target and named-victim evidence."""

from __future__ import annotations

import pytest

from rearguard.events.objects import find_weapons
from rearguard.pipeline import extract_article
from rearguard.types import Article


@pytest.mark.parametrize(("text", "expected"), [
    ("Four powerful rockets were found near the plant.", ["Four powerful rockets"]),
    ("A car bomb and two grenades were used.", ["A car bomb", "two grenades"]),
    ("Gunmen armed with AK-47s and machetes attacked the village.", ["AK-47s", "machetes"]),
    ("The minister said the plan would bomb at the polls.", ["bomb"]),
    ("Prices of fertiliser rose.", []),
])
def test_weapons(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in find_weapons(text, 0, len(text))] == expected


def _evidence(text: str, published: str, settings) -> dict[str, list[str]]:
    events = extract_article(Article(id="t", text=text, published=published),
                             settings=settings).events
    assert len(events) == 1, events
    found: dict[str, list[str]] = {}
    for ev in events[0].evidence:
        found.setdefault(ev.field, []).append(ev.text)
    return found


def test_target_and_weapon(settings) -> None:
    text = ("Suspected Maoist rebels blew up a police station with dynamite in Dantewada "
            "district of Chhattisgarh on Sunday, police said.")
    found = _evidence(text, "2010-04-11", settings)
    assert any("police station" in t for t in found["target"])
    assert found["weapon"] == ["dynamite"]


@pytest.mark.parametrize(("text", "victim"), [
    ("Gunmen on Tuesday shot dead the mayor of Ciudad Altamirano, Juan Mendoza Acosta, in "
     "Guerrero state, prosecutors said.", "Juan Mendoza Acosta"),
    ("Unidentified gunmen killed opposition leader Ahmed Salim in Mogadishu on Monday, "
     "police said.", "Ahmed Salim"),
])
def test_named_victim_is_a_civilian_fatality(text: str, victim: str, settings) -> None:
    events = extract_article(Article(id="t", text=text, published="2019-05-14"),
                             settings=settings).events
    assert len(events) == 1
    event = events[0]
    assert [e.text for e in event.evidence if e.field == "victim"] == [victim]
    assert event.fatalities == 1
    assert event.actor1.startswith("Unidentified Armed Group")
    assert event.actor2.startswith("Civilians (") and event.civilian_targeting
    assert event.sub_event_type == "Attack"


@pytest.mark.parametrize(("text", "trigger", "victim"), [
    # MUC-4 dev texts: the tagger's PERSON stops short of the name; the victim is the
    # whole name, never the title before it
    ("President Alfredo Cristiani Holds the Farabundo Marti National Liberation Front "
     "(FMLN) responsible for the assassination of Dr Jose Antonio Rodriguez Porth and "
     "called the attack an attempt to hinder dialogue.", "assassination",
     "Jose Antonio Rodriguez Porth"),  # TST1-MUC3-0059
    ("President Cristiani condemned the murder of national fire department director "
     "Colonel Roberto Armando Rivera escobar, who was killed in a machinegun attack this "
     "morning.", "murder", "Roberto Armando Rivera escobar"),  # TST2-MUC4-0019
    ("Oromontique battalion troops of the 6th infantry brigade commanded by Lieutenant "
     "Pachecho murdered peasants victor manuel vasquez and rafael romero.", "murdered",
     "victor manuel vasquez"),  # TST2-MUC4-0036
    # a lower-case name the tagger gave no entity at all
    ("Defense minister General Oscar Botero Restrepo disclosed this afternoon that Medellin "
     "cartel boss pablo escobar gaviria ordered the assassination of bernardo jaramillo ossa, "
     "presidential candidate of patriotic union, up.", "assassination",
     "bernardo jaramillo ossa"),  # TST2-MUC4-0032
])
def test_named_victim_is_the_whole_name(text: str, trigger: str, victim: str, nlp) -> None:
    from rearguard.events.objects import victim_span

    doc = nlp(text)
    token = next(t for t in doc if t.text == trigger)
    span = victim_span(token)
    assert span is not None and text[span[0]:span[1]] == victim
