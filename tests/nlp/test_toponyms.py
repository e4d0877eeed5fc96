"""Toponym recognition: a name is a place only with evidence (rearguard/nlp/toponyms.py),
on agency-style sentences written for these tests, with the real pipeline."""

from __future__ import annotations

import pytest

from rearguard.nlp.toponyms import ToponymModel, load_model


@pytest.fixture(scope="module")
def places(settings, gazetteer):
    from rearguard.geo import toponym_ents
    from rearguard.nlp.pipeline import load_pipeline

    nlp = load_pipeline(settings.spacy_model, str(gazetteer.path))

    def run(text: str) -> list[str]:
        return [s.text for s in toponym_ents(nlp(text), gazetteer, demonyms=False)]

    return run


def test_the_shipped_model_loads_once() -> None:
    model = load_model()
    assert isinstance(model, ToponymModel)
    assert load_model() is model
    assert 0.2 <= model.threshold <= 0.8
    assert "prev=in" in model.weights


def test_weapon_names_are_no_places(places) -> None:
    found = places("Demonstrators hurled Molotov cocktails at a police post in Alexandria.")
    assert "Molotov" not in found
    assert "Alexandria" in found


def test_a_first_name_that_speaks_is_no_place(places) -> None:
    assert places("Robert told reporters the ceasefire was holding.") == []


def test_news_agencies_are_no_places(places) -> None:
    assert places("Xinhua said the ferry sank on Sunday, citing local officials.") == []


def test_a_surname_named_before_is_no_place(places) -> None:
    found = places("Aid worker Lucy Walsh arrived in Amman on Monday. Walsh said the convoy "
                   "had been turned back twice.")
    assert "Amman" in found
    assert "Walsh" not in found


def test_month_abbreviations_are_no_places(places) -> None:
    assert "Nov." not in places("The talks collapsed on Nov. 3 after a week of shelling.")


def test_a_district_after_a_possessive_city_is_a_place(places) -> None:
    found = places("Gunmen opened fire on a minibus in Cairo's Shubra district on Friday.")
    assert "Cairo" in found
    assert "Shubra" in found


def test_places_in_a_conflict_report(places) -> None:
    found = places("Islamic State fighters stormed Shirqat, about 100 km south of Mosul, and "
                   "held it for two days.")
    assert {"Shirqat", "Mosul"} <= set(found)


def test_places_named_inside_organisations(places) -> None:
    found = places("The Kentucky Department of Education said schools in Lexington would "
                   "reopen on Monday.")
    assert "Lexington" in found


def test_a_force_named_for_its_country_is_no_place(places) -> None:
    assert "Iraq" not in places("Iraq Security Forces said they killed 12 militants.")


def test_two_villages_with_a_village_index(shared_dir, places) -> None:
    """"the villages of Foua and Kfraya": two places (needs the village-level index only
    for Foua's namesake to be known; the frame alone must carry Kfraya)."""
    found = places("Rebels shelled the villages of Foua and Kfraya in Idlib province.")
    assert "Kfraya" in found
    assert "Idlib" in found
