"""The trigger pass: the cheap screen before any model runs."""

from __future__ import annotations

import pytest

from rearguard.events.triggers import FAMILY_GROUP, TRIGGERS, find_triggers, has_trigger


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
    assert [t.text for t in found] == ["Clashes"]
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
    assert set(TRIGGERS) == set(FAMILY_GROUP)
    assert set(FAMILY_GROUP.values()) == {"violence", "demonstration", "strategic"}
