"""The ACLED taxonomy table: complete, consistent, and mapped from CASE 2021 labels."""

import pytest

from rearguard.events import taxonomy as t


def test_twenty_five_sub_event_types_in_six_event_types():
    assert len(t.SUB_EVENT_TYPES) == 25 == len(set(t.SUB_EVENT_TYPES))
    assert t.EVENT_TYPES == (
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
        "Riots", "Strategic developments",
    )
    assert {t.event_type_of(s) for s in t.SUB_EVENT_TYPES} == set(t.EVENT_TYPES)


@pytest.mark.parametrize("sub, event, disorder", [
    ("Armed clash", "Battles", "Political violence"),
    ("Air/drone strike", "Explosions/Remote violence", "Political violence"),
    ("Remote explosive/landmine/IED", "Explosions/Remote violence", "Political violence"),
    ("Abduction/forced disappearance", "Violence against civilians", "Political violence"),
    ("Peaceful protest", "Protests", "Demonstrations"),
    ("Excessive force against protesters", "Protests", "Political violence; Demonstrations"),
    ("Violent demonstration", "Riots", "Demonstrations"),
    ("Mob violence", "Riots", "Political violence; Demonstrations"),
    ("Headquarters or base established", "Strategic developments", "Strategic developments"),
    ("Other", "Strategic developments", "Strategic developments"),
])
def test_hierarchy(sub, event, disorder):
    assert t.event_type_of(sub) == event
    assert t.disorder_type_of(sub) == disorder


def test_every_disorder_type_is_known():
    assert {t.disorder_type_of(s) for s in t.SUB_EVENT_TYPES} == set(t.DISORDER_TYPES)


def test_case_labels_cover_the_taxonomy():
    assert len(t.CASE_LABELS) == 25
    assert set(t.CASE_LABELS.values()) == set(t.SUB_EVENT_TYPES)
    assert t.from_case_label("ARMED_CLASH") == "Armed clash"
    assert t.from_case_label("NON_STATE_ACTOR_OVERTAKES_TER") == (
        "Non-state actor overtakes territory")
    assert t.from_case_label("PROPERTY_DISTRUCT") == "Looting/property destruction"
    for unseen in ("ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB"):
        assert t.from_case_label(unseen) is None


def test_unknown_names_raise():
    with pytest.raises(KeyError):
        t.event_type_of("Armed Clash")
    with pytest.raises(KeyError):
        t.disorder_type_of("Battles")
    with pytest.raises(KeyError):
        t.from_case_label("NOT_A_LABEL")
