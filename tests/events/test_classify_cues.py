"""The cues appended to rearguard/data/event_cues.tsv in the classifier's fifth session
(docs/classification.md): each fires where ACLED's codebook draws the line and not on the
near miss beside it, and the shipped model follows them. The sentences are made up for
these tests; none is from an evaluation set."""

from __future__ import annotations

import pytest

from rearguard.events import classify as c

# (cue, sentence it fires on, near miss it must not fire on)
FIRES = [
    ("protest_clash", "Clashes erupted between police and protesters outside the ministry.",
     "Clashes erupted between the army and the rebels outside the town."),
    ("protest_clash", "The march turned violent in the evening.",
     "The march ended peacefully in the evening."),
    ("protest_blockade", "Protesters blocked the main highway for six hours.",
     "Police blocked the main highway for six hours."),
    ("protest_damage", "Youths pulled down the fence around the governor's office.",
     "Workers pulled down the fence around the old factory."),
    ("surrender", "Forty militants surrendered to the army on Tuesday.",
     "The army called for the militants to leave the town."),
    ("no_resistance", "The fighters entered the town without encountering any resistance.",
     "The fighters entered the town after heavy resistance."),
    ("suicide_self", "The attacker detonated his explosives, killing himself and two guards.",
     "The attacker shot two guards and killed himself."),
    ("devices_found", "Engineers found and destroyed 40 landmines along the road.",
     "A landmine exploded along the road, killing a farmer."),
    ("preemptive_arrest", "Police detained twelve activists ahead of a planned rally.",
     "Police detained twelve suspects after a robbery."),
    ("later_arrest", "Police detained forty activists on Tuesday after a rally.",
     "Police detained forty activists during a rally."),
]


@pytest.fixture(scope="module")
def cues():
    return {cue.name: cue for cue in c.load_cues()}


@pytest.mark.parametrize("name, hit, miss", FIRES, ids=[f"{n}-{i}" for i, (n, _, _) in
                                                         enumerate(FIRES)])
def test_appended_cue_fires_on_the_boundary_and_not_beside_it(cues, name, hit, miss):
    featurizer = c.Featurizer([cues[name]])
    assert featurizer.cue_names(c.normalise(hit)) == [f"c:{name}"]
    assert featurizer.cue_names(c.normalise(miss)) == []


def test_appended_cues_point_to_the_codebook_types(cues):
    assert cues["protest_clash"].target == "Violent demonstration"
    assert cues["protest_blockade"].target == "Violent demonstration"
    assert cues["protest_damage"].target == "Violent demonstration"
    assert cues["surrender"].target == "Agreement"
    assert cues["no_resistance"].target == "Non-violent transfer of territory"
    assert cues["suicide_self"].target == "Suicide bomb"
    assert cues["devices_found"].target == "Disrupted weapons use"
    assert cues["preemptive_arrest"].target == "Arrests"
    assert cues["later_arrest"].target == "Arrests"


def test_the_shipped_model_was_trained_with_the_appended_cues(cues):
    shipped = {cue.name for cue in c.get_classifier().cues}
    assert {name for name, _, _ in FIRES} <= shipped


BOUNDARIES = [
    ("Suicide bomb", "Two attackers detonated their explosives at the gate of a police "
     "station, killing themselves and a guard."),
    ("Disrupted weapons use", "Army engineers found and destroyed 40 landmines planted "
     "along the road to the village."),
    ("Arrests", "Police detained a dozen opposition activists ahead of a planned rally in "
     "the capital."),
    ("Arrests", "Security forces arrested six student leaders the day after the march."),
    ("Violent demonstration", "Clashes erupted between police and protesters in the capital "
     "on Friday."),
    ("Violent demonstration", "The march turned violent when youths pulled down the fence "
     "around the ministry."),
    ("Non-violent transfer of territory", "Government troops entered the town without "
     "encountering any resistance after the militants left."),
]


@pytest.mark.parametrize("sub, text", BOUNDARIES,
                         ids=[f"{i}-{s}" for i, (s, _) in enumerate(BOUNDARIES)])
def test_the_shipped_model_follows_the_codebook_boundary(sub, text):
    assert c.classify(text).sub_event_type == sub, sorted(
        c.scores(text).items(), key=lambda kv: -kv[1])[:3]
