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
