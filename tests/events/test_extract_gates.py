"""What is not an event: harm with no political side, the police blotter, background,
plans and threats. And what still is."""

from __future__ import annotations

import pytest

from rearguard.pipeline import extract_article
from rearguard.types import Article


def _events(text: str, settings, published: str = "2018-03-14"):
    return extract_article(Article(id="t", text=text, published=published),
                           settings=settings).events


@pytest.mark.parametrize("text", [
    "A woman in Egypt has died of the H5N1 strain of bird flu, the health ministry said.",
    "At least two people died and 55 others were injured on Friday in a gas explosion at a "
    "noodle restaurant in Taiyuan, state media reported.",
    "More than 650 people have died after a tsunami hit the Indonesian island of Java.",
    "The Athens Police Department arrested a 33-year-old man on Monday on a charge of burglary.",
    "Ten years ago, a gunman entered a church in Fort Worth and killed seven people.",
    "The army may launch a new offensive on Raqqa next month, a commander said.",
    "Rebels threatened to attack Goma if the government does not negotiate.",
    "In a local pond near Hamburg, more than 1,000 toads have exploded.",
    "Thousands of local townspeople could protest against the mine in Cajamarca.",
])
def test_not_events(text: str, settings) -> None:
    assert _events(text, settings) == ()


@pytest.mark.parametrize(("text", "sub_event_type"), [
    ("Police in Istanbul detained 40 opposition activists on Tuesday after a rally.", "Arrests"),
    ("A bomb exploded at a bus station in Jos on Monday, killing four people.",
     "Remote explosive/landmine/IED"),
    ("Police fired on protesters in Yangon on Sunday, killing 18 people.",
     "Excessive force against protesters"),
])
def test_still_events(text: str, sub_event_type: str, settings) -> None:
    events = _events(text, settings)
    assert [e.sub_event_type for e in events] == [sub_event_type]
