"""The news step: incidents an article names only as background are not its events."""

from __future__ import annotations

import pytest

from rearguard.eval.articles import article_for, check_article, load_gold, read_sources
from rearguard.events import reported
from rearguard.pipeline import extract_article
from rearguard.types import Article


@pytest.fixture(scope="module")
def articles(shared_dir) -> dict[str, Article]:
    gold = {g.id: g for g in load_gold()}
    out = {}
    for key in ("TR-News:1060003", "TR-News:1030008", "LGL:42573065"):
        item = gold[key]
        source = check_article(item, read_sources(item.corpus, shared_dir / "eval"))
        out[key] = article_for(item, source)
    return out


def _dates(article: Article, settings, on: bool) -> list[str | None]:
    found = extract_article(article, settings=settings.replace(news_filter=on))
    return [e.event_date for e in found.events]


def test_a_sentencing_report_brings_no_old_attacks(articles, settings):
    """Reuters, 23 November 2016: an Ohio man sentenced for a plot; the Islamic State
    contact he wrote to in 2014 and the 2015 drone strike that killed him are background."""
    article = articles["TR-News:1060003"]
    assert {"2014", "2015"} <= {d[:4] for d in _dates(article, settings, False) if d}
    assert not [d for d in _dates(article, settings, True) if d and d[:4] in ("2014", "2015")]


def test_a_state_of_emergency_report_brings_no_paris_attacks(articles, settings):
    """December 2016: the powers 'first implemented after a series of attacks left 130
    people dead throughout Paris on November 13, 2015' recall the attacks, a year on."""
    article = articles["TR-News:1030008"]
    assert "2015-11-13" in _dates(article, settings, False)
    assert "2015-11-13" not in _dates(article, settings, True)


def test_the_days_car_bomb_is_kept(articles, settings):
    """AP, 26 March 2009: the Baghdad car bomb of the day is the report's news."""
    article = articles["LGL:42573065"]
    assert "2009-03-26" in _dates(article, settings, True)
    assert _dates(article, settings, True) == _dates(article, settings, False)


def test_recent_incidents_the_text_dates_are_kept(settings, shared_dir):
    """The seed (6 November 2016) recalls the raid on Rutba of 17-20 October: a reported
    incident with its own date, kept by the recency rule whatever the model says."""
    text = (shared_dir / "seed/000_1444002c944f9f67.txt").read_text(encoding="utf-8")
    article = Article(id="seed", text=text, published="2016-11-06")
    events = extract_article(article, settings=settings).events
    rutba = [e for e in events if e.location == "Ar Ruţbah"]
    assert rutba and all(reported.dated_recently(e, article) for e in rutba)


def test_without_a_model_every_event_is_kept(articles, settings, monkeypatch):
    article = articles["TR-News:1060003"]
    events = extract_article(article, settings=settings.replace(news_filter=False)).events
    monkeypatch.setattr(reported, "load_news_model", lambda: None)
    assert reported.keep_reported(article, events) == tuple(events)


def test_features_describe_an_old_event_told_late(articles, settings):
    article = articles["TR-News:1030008"]
    events = extract_article(article, settings=settings.replace(news_filter=False)).events
    paris = next(e for e in events if e.event_date == "2015-11-13")
    feats = reported.news_features(paris, article, events)
    assert "age=32-365" in feats or "age=>365" in feats
    assert "older_than_others" in feats
    model = reported.load_news_model()
    assert model is not None
    assert model.probability(feats) < model.threshold


@pytest.mark.parametrize("text, sub_event_type", [
    # CASE 2021 task 2 development snippets: one report each, undated, as a feed gives them
    ("Iraqi security forces arrested three members of Islamic State (ISIS) in Nineveh "
     "province", "Arrests"),
    ("Boko Haram militants have attacked three villages in north-eastern Nigeria, leaving "
     "30 people dead and 20 wounded, according to vigilantes.", "Attack"),
])
def test_a_paragraph_that_reports_one_incident_is_news(text, sub_event_type, settings):
    article = Article(id="case", text=text, published="2020-06-15")
    unfiltered = extract_article(article, settings=settings.replace(news_filter=False)).events
    assert [e.sub_event_type for e in unfiltered] == [sub_event_type]
    assert not reported.dated_recently(unfiltered[0], article)  # the model decides it
    assert extract_article(article, settings=settings).events == unfiltered
