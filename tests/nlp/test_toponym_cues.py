"""Toponym evidence added for abbreviations, legislators' party tags, compass words,
streets, firms, cars and person nouns (rearguard/nlp/toponyms.py, rearguard/nlp/pipeline.py),
on sentences written for these tests, with the real pipeline."""

from __future__ import annotations

import pytest

from rearguard.nlp.toponyms import DOTTED_ABBREV, score_candidates


@pytest.fixture(scope="module")
def nlp(settings, gazetteer):
    from rearguard.nlp.pipeline import load_pipeline

    return load_pipeline(settings.spacy_model, str(gazetteer.path))


@pytest.fixture(scope="module")
def places(nlp, gazetteer):
    from rearguard.geo import toponym_ents

    def run(text: str) -> list[str]:
        return [s.text for s in toponym_ents(nlp(text), gazetteer, demonyms=False)]

    return run


@pytest.fixture(scope="module")
def feats(nlp, gazetteer):
    def run(text: str, name: str) -> dict[str, float]:
        doc = nlp(text)
        for cand, f in score_candidates(doc, gazetteer, demonyms=False):
            if doc[cand.start : cand.end].text in (name, f"The {name}", f"the {name}"):
                return f
        raise AssertionError(f"{name!r} is no candidate in {text!r}")

    return run


def test_dotted_abbreviations() -> None:
    for text in ("U.S.", "S.C.", "W.Va", "W.Va.", "N.Y.", "D.C."):
        assert DOTTED_ABBREV.fullmatch(text), text
    for text in ("Mr.", "Nov.", "US", "St."):
        assert not DOTTED_ABBREV.fullmatch(text), text


def test_an_abbreviated_country_inside_an_agency_name_is_a_candidate(feats) -> None:
    f = feats("The U.S. Department of Energy said the plant in Ohio was safe.", "U.S.")
    assert f["src=inside_ORG"] == 1.0
    assert f["dotted_abbrev"] == 1.0


def test_an_abbreviation_before_a_hyphened_adjective_is_its_own_token(nlp, places) -> None:
    assert [t.text for t in nlp("a U.S.-based charity")][:3] == ["a", "U.S.", "-"]
    assert "U.S." in places("Officials of a U.S.-based charity arrived in Nairobi on Monday.")


def test_the_senate_of_an_abbreviated_country_is_no_variant_run(nlp) -> None:
    doc = nlp("The U.S. Senate voted on the bill, and U.S. Sens. Jane Roe and Al Doe agreed.")
    runs = [doc[s:e].text for s, e in doc.user_data["rearguard_variant_places"]]
    assert not any("U.S." in run for run in runs)


def test_a_party_tag_names_the_legislators_home(nlp, feats, places) -> None:
    text = "Rep. Anna Fields, D-Columbus, and Sen. Tim Hart, R-S.C., backed the bill."
    assert "D-Columbus" not in [e.text for e in nlp(text).ents]
    assert feats(text, "Columbus")["party_tag"] == 1.0
    assert feats(text, "S.C.")["party_tag"] == 1.0
    found = places(text)
    assert "Columbus" in found and "S.C." in found


def test_a_compass_word_before_a_known_place(feats, places) -> None:
    f = feats("Storms knocked out power across North Texas on Sunday.", "North Texas")
    assert f["compass_inside"] == 1.0
    assert "gaz_unknown" not in f
    assert places("Storms knocked out power across North Texas on Sunday.") == ["North Texas"]


def test_a_compass_word_opening_a_street_is_no_place(feats, places) -> None:
    text = "The march went along Northwest Eighth Avenue for about an hour."
    f = feats(text, "Northwest")
    assert f["street_frame"] == 1.0 and f["compass_word"] == 1.0
    assert "Northwest" not in places(text)


def test_cars_and_firms_are_no_places(feats, places) -> None:
    text = "The Toyota failed to yield and struck a Honda Civic, police said."
    assert feats(text, "Toyota")["cue=product"] == 1.0
    found = places(text)
    assert "Toyota" not in found and "Honda" not in found
    firm = "The council hired the design firm Stevens & Porter for the new library."
    assert "Stevens" not in places(firm)


def test_a_person_noun_after_a_name(feats, places) -> None:
    text = "The school invited a Lincoln portrayer to speak to pupils."
    assert feats(text, "Lincoln")["next=person_noun"] == 1.0
    assert "Lincoln" not in places(text)


def test_a_towns_police_is_a_candidate_but_a_force_is_not(feats, places) -> None:
    text = "The Gainesville Police Department said two men were arrested on Friday."
    assert feats(text, "Gainesville")["inside_police"] == 1.0
    assert "Iraq" not in places("Iraq Security Forces said they retook the bridge.")


def test_person_evidence_on_one_mention_speaks_for_the_others(feats) -> None:
    text = ("A Lincoln portrayer spoke to the class. Students asked how Lincoln "
            "lived in the White House during the war.")
    doc_feats = feats(text, "Lincoln")
    assert doc_feats["person_in_article"] == 1.0


def test_an_acronym_the_text_spells_out_is_what_it_stands_for(feats, places) -> None:
    # LGL dev: a town programme and a veterans' association, each defined in the text
    nice = ("The Neighborhood Improvement Coordination Effort, or NICE program, will "
            "kick off during NIU Cares Day. For more information on NICE, call the city.")
    assert "acronym_defined" in feats(nice, "NICE")
    assert "NICE" not in places(nice)
    caf = ("The plane was restored to join the Commemorative Air Force (CAF) tours in "
           "Texas and Florida. To learn more about the CAF, visit its website.")
    assert "acronym_defined" in feats(caf, "CAF")
    assert places(caf) == ["Texas", "Florida"]
    # ... and one that stands for a place is evidence for it
    drc = ("Fighting in the Democratic Republic of Congo (DRC) has displaced thousands. "
           "The DRC government blamed the rebels.")
    assert "acronym_of_place" in feats(drc, "DRC")
    assert places(drc).count("DRC") == 2


def test_a_hyphened_state_is_one_word_not_the_state_of_a_place(feats) -> None:
    # LGL dev: Tri-State is a racetrack, K-State a university; with the village-level
    # index "Tri" is a village and "Tri-State" read as its state
    f = feats("The law also required Tri-State to build a hotel.", "Tri-State")
    assert "admin_hyphened" in f and "admin_word_inside" not in f
    f = feats("You can cheer on the K-State baseball team here at Tointon Family Stadium.",
              "K-State")
    assert "admin_hyphened" in f and "admin_word_inside" not in f
    # a state after a space is still a place's state: "Kansas State" names Kansas
    f = feats("He moved to Kansas State last year.", "Kansas State")
    assert "admin_hyphened" not in f
