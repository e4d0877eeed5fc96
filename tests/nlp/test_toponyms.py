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


@pytest.fixture(scope="module")
def parse(settings, gazetteer):
    from rearguard.nlp.pipeline import load_pipeline

    return load_pipeline(settings.spacy_model, str(gazetteer.path))


def test_a_bare_article_is_never_a_place(places) -> None:
    found = places("The group said its fighters advanced on al-Shadadi countryside overnight.")
    assert "al-" not in found
    assert all(any(ch.isalpha() for ch in f.strip("-")) and f.lower() not in ("al", "al-")
               for f in found)


def test_a_hyphened_article_belongs_to_its_name(places) -> None:
    found = places("Two shells fell on al-Raqqa on Monday, the monitor said.")
    assert "al-Raqqa" in found


def test_clean_span_drops_punctuation_and_dangling_articles(parse) -> None:
    from rearguard.nlp.toponyms import clean_span

    doc = parse("Clashes in al-Ghouta, near Douma - residents said.")
    al = next(t.i for t in doc if t.text == "al")
    assert clean_span(doc, al, al + 2) is None  # "al-" alone
    ghouta = next(t.i for t in doc if t.text == "Ghouta")
    assert clean_span(doc, ghouta, ghouta + 2) == (al, ghouta + 1)  # "al-Ghouta", no comma


def test_a_name_known_only_by_another_spelling_is_a_candidate(parse, gazetteer) -> None:
    """"Qamishlo" is indexed as Al Qamishli: a variant candidate with its evidence."""
    from rearguard.nlp.toponyms import score_candidates

    doc = parse("A car bomb went off in Qamishlo on Tuesday, Kurdish officials said.")
    scored = {doc[c.start : c.end].text: (c, f) for c, f in score_candidates(doc, gazetteer)}
    _, feats = scored["Qamishlo"]
    assert feats.get("gaz_variant_only") == 1.0
    assert any(k.startswith("var_n=") for k in feats)


def test_variant_keys_are_checked_in_the_index(gazetteer) -> None:
    from rearguard.geo.normalize import variant_key
    from rearguard.nlp.toponyms import known_variant_keys

    keys = [variant_key("Qamishlo"), "zzqqxxk"]
    assert known_variant_keys(gazetteer, keys) == {variant_key("Qamishlo")}


def test_a_person_with_a_place_prefix_is_no_place(places) -> None:
    assert places("Abu Omar al-Shishani said the fighters would not withdraw.") == []
