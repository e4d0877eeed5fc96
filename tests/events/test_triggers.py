"""The trigger pass: the cheap screen before any model runs."""

from __future__ import annotations

import pytest

from rearguard.events.classify import Featurizer, load_cues
from rearguard.events.triggers import (
    FAMILY_GROUP,
    find_triggers,
    has_trigger,
    parse_vocabulary,
    vocabulary,
)


@pytest.mark.parametrize(("text", "word", "family"), [
    ("Daesh assaulted Shirqat in Salahuddin province.", "assaulted", "battle"),
    ("A car bomb exploded outside the ministry.", "car bomb", "explosion"),
    ("Russian warplanes carried out air strikes on Idlib.", "air strikes", "air"),
    ("Rebels shelled government positions near Hama.", "shelled", "shelling"),
    ("Gunmen threw a grenade into a bar.", "grenade", "grenade"),
    ("Witnesses described the smell of chlorine.", "chlorine", "chemical"),
    ("Iraqi forces recaptured the town in September.", "recaptured", "regain"),
    ("Al-Shabaab fighters seized the town of Bulo Burde.", "seized", "capture"),
    ("Gunmen abducted 30 students from a school in Kaduna.", "abducted", "abduct"),
    ("Police arrested 15 people in Mombasa.", "arrested", "arrest"),
    ("Thousands of protesters marched through Khartoum.", "protesters", "protest"),
    ("Rioters looted shops in Johannesburg.", "Rioters", "riot"),
    ("The two sides signed a ceasefire on Sunday.", "ceasefire", "agreement"),
    ("Troops defused a roadside device and found an arms cache.", "defused", "weapons"),
])
def test_families(text: str, word: str, family: str) -> None:
    found = find_triggers(text)
    assert any(t.text == word and t.family == family for t in found), found
    for trigger in found:
        assert text[trigger.start:trigger.end] == trigger.text


def test_longest_alternative_wins() -> None:
    (trigger,) = [t for t in find_triggers("A truck bomb hit the checkpoint.") if "bomb" in t.text]
    assert trigger.text == "bomb" or trigger.text == "truck bomb"
    (car,) = [t for t in find_triggers("A car bomb hit the checkpoint.") if "bomb" in t.text]
    assert car.text == "car bomb"


def test_whole_words_only() -> None:
    assert find_triggers("The bombastic minister praised the raiders' shellfish.") == []
    assert find_triggers("Attacker-free zones") == []


def test_window_and_offsets() -> None:
    text = "Calm in Basra. Clashes erupted in Mosul."
    found = find_triggers(text, start=15)
    assert [t.text for t in found] == ["Clashes erupted"]  # a frame: the clash happened
    assert found[0].start == text.index("Clashes")


@pytest.mark.parametrize(("text", "expected"), [
    ("Daesh assaulted Shirqat.", True),
    ("Four soldiers were killed.", True),
    ("The race was a dead heat.", False),       # "dead" alone is too weak
    ("Jets of water sprayed the crowd.", False),
    ("Shares rose 2 percent on Wednesday.", False),
])
def test_cascade_screen(text: str, expected: bool) -> None:
    assert has_trigger(text) is expected


def test_every_family_has_a_group() -> None:
    assert set(vocabulary().families) == set(FAMILY_GROUP)
    assert set(FAMILY_GROUP.values()) == {"violence", "demonstration", "strategic"}


def test_the_vocabulary_is_the_classifiers_cue_file_but_not_its_features() -> None:
    cues = {c.name: c for c in load_cues()}
    assert {f"trigger:{f}" for f in ("battle", "protest", "air")} <= set(cues)
    assert all(name in cues for name, _, _ in vocabulary().frames)
    featurizer = Featurizer(list(cues.values()))
    text = "Thousands of protesters marched as troops attacked the town and killed 12."
    assert not [c for c in featurizer(text)[1] if "trigger:" in c or "frame:" in c]


@pytest.mark.parametrize("row", [
    "trigger:battle\t-\t(?!) && clash(?:ed)?",          # not written as \b(?:...)\b
    "trigger:nothing\t-\t(?!) && \\b(?:clash)\\b",     # no such family
    "trigger:battle\t-\t\\b(?:clash)\\b",              # the classifier would read it
    "frame:protest:x\t-\t(?!) && \\bmarched\\b",        # a frame must mark its trigger
])
def test_bad_rows(row: str) -> None:
    with pytest.raises(ValueError):
        parse_vocabulary(row)


def test_seized_weapons_is_disrupted_weapons_use_not_a_capture() -> None:
    (trigger,) = find_triggers("Troops seized weapons in a raid.")[:1]
    assert (trigger.text, trigger.family) == ("seized weapons", "weapons")


@pytest.mark.parametrize(("word", "weak", "ambiguous"), [
    ("attacked", False, False), ("killed", True, False), ("dead", True, True),
    ("rally", True, True), ("marched", False, False),
])
def test_strengths(word: str, weak: bool, ambiguous: bool) -> None:
    (trigger,) = find_triggers(f"They {word} there.")
    assert (trigger.weak, trigger.ambiguous) == (weak, ambiguous)
