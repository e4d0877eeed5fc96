"""ACLED's required columns are never blank: actor1, inter2, source."""

from __future__ import annotations

import pytest

from rearguard.eval.articles import article_for, check_article, load_gold, read_sources
from rearguard.events.merge import publisher, unnamed_actor
from rearguard.pipeline import extract_article
from rearguard.types import Article


@pytest.fixture(scope="module")
def baghdad(shared_dir) -> Article:
    """AP, 26 March 2009: a car bomb in Baghdad's Shaab district; no group is named."""
    item = next(g for g in load_gold() if g.id == "LGL:42573065")
    return article_for(item, check_article(item, read_sources(item.corpus, shared_dir / "eval")))


def test_an_unnamed_bomber_is_an_unidentified_armed_group(baghdad, settings):
    events = extract_article(baghdad, settings=settings).events
    bombing = [e for e in events if e.sub_event_type == "Remote explosive/landmine/IED"]
    assert bombing
    for event in bombing:  # the group of the country where the event is placed
        assert event.actor1 == f"Unidentified Armed Group ({event.country})"
        assert event.inter1 == 3
        assert not [e for e in event.evidence if e.field == "actor1"]  # no words named it
    assert any(e.country == "Iraq" for e in bombing)


def test_source_is_the_publisher_or_the_host(baghdad, settings):
    events = extract_article(baghdad, settings=settings).events
    assert events and all(e.source == publisher(baghdad) != "" for e in events)
    assert publisher(Article(id="a", text="", url="https://www.reuters.com/x")) == "reuters.com"
    assert publisher(Article(id="a", text="", source=" SOHR ", url="http://x.org")) == "SOHR"
    assert publisher(Article(id="a", text="")) == ""


def test_no_actor2_is_inter2_zero(settings, shared_dir):
    text = (shared_dir / "seed/000_1444002c944f9f67.txt").read_text(encoding="utf-8")
    events = extract_article(Article(id="s", text=text, published="2016-11-06"),
                             settings=settings).events
    assert all(e.inter2 is not None for e in events)
    assert all(e.inter2 == 0 for e in events if not e.actor2)


def test_unnamed_actor_by_type():
    assert unnamed_actor("Peaceful protest", "SY").name == "Protesters (Syria)"
    assert unnamed_actor("Violent demonstration", "PK").name == "Rioters (Pakistan)"
    assert unnamed_actor("Arrests", "FR").name == "Police Forces of France"
    assert unnamed_actor("Shelling/artillery/missile attack", "YE").name == \
        "Unidentified Armed Group (Yemen)"
    # aircraft nobody named: ACLED's Unidentified Military Forces, state forces by default
    strike = unnamed_actor("Air/drone strike", "YE")
    assert (strike.name, strike.inter) == ("Unidentified Military Forces", 1)
