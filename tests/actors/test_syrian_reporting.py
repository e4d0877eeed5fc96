"""How Syrian reporting (SOHR's English headlines, UCDP GED Syria's sources) names the sides:
"the factions", "the regime", "regime helicopters", "Turkey-loyal factions". The sentences
are real headlines of UCDP GED Syria's development half (its tuning part)."""

from __future__ import annotations

import pytest

from rearguard.actors import find_actors


def _names(text: str, cc: str | None) -> list[tuple[str, str]]:
    return [(a.text, a.name) for a in find_actors(text, country_code=cc)]


@pytest.mark.parametrize("headline, expected", [
    ("3 casualties in shelling by the factions on Aleppo neighborhoods .. and the regime "
     "ground forces shell the city’s countryside",
     [("factions", "Opposition Rebels (Syria)"),
      ("the regime ground forces", "Military Forces of Syria")]),
    ("Raids by regime’s warplanes on Khan Shaykhun",
     [("regime’s warplanes", "Military Forces of Syria")]),
    ("Regime’s helicopters shell the west of Rif Dimashq and continuous shelling south of "
     "the capital", [("Regime’s helicopters", "Military Forces of Syria")]),
    ("Artillery shelling targets the northern countryside of Hama and casualties in the "
     "ranks of the factions in clashes against the regime in the area",
     [("factions", "Opposition Rebels (Syria)"), ("the regime", "Military Forces of Syria")]),
    ("The Turkish-backed factions shell villages in the countryside of Manbij",
     [("Turkish-backed factions", "Syrian National Army")]),
    ("Israeli raids target the T4 Military Airbase east of Homs",
     [("Israeli raids", "Military Forces of Israel")]),
])
def test_syrian_headlines_name_their_sides(headline, expected):
    assert _names(headline, "SY") == expected


def test_the_factions_and_the_regime_are_syrian_words_only():
    # elsewhere a party's factions are no armed opposition, and "the regime" no army
    assert _names("The factions of the ruling party met in Nairobi.", "KE") == []
    assert _names("Protesters denounced the regime in Tehran.", "IR") == [
        ("Protesters", "Protesters (Iran)")]


def test_the_government_names_its_forces_not_its_supporters():
    assert _names("Government warplanes bombed the town of Ariha.", "SY") == [
        ("Government warplanes", "Military Forces of Syria")]
    found = find_actors("Thousands of government supporters rallied in Damascus.",
                        country_code="SY")
    assert not [a for a in found if a.name.startswith("Military Forces")]


@pytest.mark.parametrize("headline, expected", [
    ("6 casualties in airstrikes by the International Coalition’s warplanes",
     [("International Coalition’s warplanes", "Coalition Forces")]),
    ("3 killed by U.S.-led airstrike in eastern Syria",
     [("U.S.-led airstrike", "Coalition Forces")]),
    ("Syria Democratic Forces continue their quest to fully control the area",
     [("Syria Democratic Forces", "SDF: Syrian Democratic Forces")]),
])
def test_an_air_force_by_its_owner(headline, expected):
    assert _names(headline, "SY") == expected
