"""Reported as news, or named as background: a learned decision over finished events.

Articles name many incidents they do not report: an earlier bombing recalled for context,
the attack a trial is about, a plot, a threat, a yearly toll. ACLED codes an incident
from the reports that bring it as news. :func:`news_features` describes one event of an
article by what its own sentences and dates say: how old its date is against the
publication date and whether the text gave the date at all; retrospective, judicial,
planning and aggregate words in its sentences; where in the article it is told and whether
the headline names its place; how many sentences tell it; its type, deaths and actors.
A logistic regression over these features, trained by ``tools/train_reported.py`` on the
project's hand-coded real-news gold (``eval/realnews``: an extracted event matched to a
gold event is news, any other is not) and on the real news snippets of CASE 2021 (one
reported event each: an event of the snippet's type is news), is shipped as
``rearguard/data/reported.json`` with the decision threshold chosen by cross-validation.
An event the text itself dates within the last month (:func:`dated_recently`) is kept
by rule, whatever the model says. :func:`keep_reported` is the step
``rearguard.pipeline`` runs after the events stage; without the file it keeps every event.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..types import Article, Event

_CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.I)
    for name, pattern in {
        "past": r"\b(since|ago|last (year|month|spring|summer|autumn|fall|winter)|"
                r"years? (after|earlier|before)|earlier this (year|month)|previous(ly)?|"
                r"former(ly)?|anniversary|memorial|recalled?|remember(ed)?|"
                r"in the past|first (time|implemented)|had (been )?\w+ed)\b",
        "year": r"\b(in|of|since) (19|20)\d\d\b",
        "legal": r"\b(trial|court|sentenced?|convicted|charged|pleaded|plea|prosecutors?|"
                 r"jury|judge|inquest|verdict|hearing|testif\w+|indicted|defendants?|"
                 r"lawsuit|accused|ruled)\b",
        "plan": r"\b(plan(ned|s|ning)?|plot(ted|ting|s)?|threat(en(ed|s)?|s)?|"
                r"warn(ed|s|ing)?|intend\w*|vow\w*|schedul\w+|upcoming|prepar\w+|"
                r"call(ed|s)? for|aim(ed|s)? to|would|could|might)\b",
        "aggregate": r"\b(series of|wave of|campaign|spate of|rates? of|total of|tally|"
                     r"so far this year|since the (start|beginning)|dozens of attacks|"
                     r"attacks)\b",
        "negation": r"\b(not|never|denied|no one|without)\b",
        "fresh": r"\b(today|tonight|yesterday|this morning|on (monday|tuesday|wednesday|"
                 r"thursday|friday|saturday|sunday)|(monday|tuesday|wednesday|thursday|"
                 r"friday|saturday|sunday)|hours)\b",
    }.items()
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_STOP = frozenset(
    "that this with from have were been said says will would their they them there about "
    "after over into more than when what which while also could other some such only".split()
)


def _age_bucket(event: Event, article: Article) -> str:
    if not event.event_date or not article.published:
        return "age=unknown"
    try:
        days = (dt.date.fromisoformat(article.published)
                - dt.date.fromisoformat(event.event_date)).days
    except ValueError:
        return "age=unknown"
    if days < 0:
        return "age=future"
    for limit, name in ((1, "0-1"), (7, "2-7"), (31, "8-31"), (365, "32-365")):
        if days <= limit:
            return f"age={name}"
    return "age=>365"


def _sentences(event: Event) -> list[tuple[int, int]]:
    return sorted({(e.start, e.end) for e in event.evidence if e.field == "event"})


def _title_words(article: Article) -> set[str]:
    title = article.title or ""
    return {w.lower() for w in _WORD.findall(title)} - _STOP


# A text shorter than this is a paragraph (a wire flash, a feed item's summary, an
# analyst's pasted report), not an article that recalls other incidents around its news.
SHORT_TEXT = 1000


def news_features(event: Event, article: Article, others: Sequence[Event] = ()) -> list[str]:
    """The names of the features that are on for ``event`` of ``article`` (``others``:
    the article's other events)."""
    text = article.text
    feats = ["bias", _age_bucket(event, article)]
    if len(text) < SHORT_TEXT:
        feats.append("short_text")  # a paragraph that reports one thing, not an article
    if not any(e.field == "date" for e in event.evidence):
        feats.append("date_not_in_text")
    spans = _sentences(event)
    said = " ".join(text[s:e] for s, e in spans)
    for name, pattern in _CUES.items():
        if pattern.search(said):
            feats.append(f"cue={name}")
    first = spans[0][0] if spans else 0
    share = first / max(1, len(text))
    feats.append("pos=lead" if first < 400 or share < 0.1
                 else "pos=early" if share < 0.4 else "pos=late")
    feats.append("sentences=1" if len(spans) <= 1 else "sentences=2+")
    title = _title_words(article)
    if title:
        words = {w.lower() for w in _WORD.findall(said)} - _STOP
        if event.location and event.location.lower() in (article.title or "").lower():
            feats.append("title_place")
        if len(words & title) >= 2:
            feats.append("title_words")
    feats.append(f"type={event.event_type}")
    if event.fatalities > 0:
        feats.append("dead")
    if not event.actor1:
        feats.append("no_actor1")
    if (event.geo_precision or 3) >= 3:
        feats.append("country_level")
    dated = [o.event_date for o in others if o.event_date and o is not event]
    if event.event_date and dated and event.event_date < max(dated):
        try:
            gap = (dt.date.fromisoformat(max(dated))
                   - dt.date.fromisoformat(event.event_date)).days
        except ValueError:
            gap = 0
        if gap > 7:
            feats.append("older_than_others")
    return feats


@dataclass(frozen=True)
class NewsModel:
    """Logistic regression weights over :func:`news_features`, and the threshold."""

    weights: dict[str, float]
    threshold: float

    def probability(self, features: Sequence[str]) -> float:
        z = sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NewsModel:
        return cls({str(k): float(v) for k, v in data["weights"].items()},
                   float(data["threshold"]))


@lru_cache(maxsize=1)
def load_news_model() -> NewsModel | None:
    """The shipped model, read once; None when the package has no reported.json."""
    try:
        text = resources.files("rearguard.data").joinpath("reported.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    return NewsModel.from_dict(json.loads(text))


def news_probability(event: Event, article: Article, others: Sequence[Event] = (),
                     model: NewsModel | None = None) -> float | None:
    """P(the article reports ``event`` as news); None without a model."""
    model = model or load_news_model()
    if model is None:
        return None
    return model.probability(news_features(event, article, others))


RECENT_DAYS = 31


def dated_recently(event: Event, article: Article) -> bool:
    """The text itself dates the event within :data:`RECENT_DAYS` before publication (a
    raid "on 20 October" in a 6 November report): most often a reported incident with its
    own date, which the dataset keeps and merges with other reports of it."""
    if not any(e.field == "date" for e in event.evidence):
        return False
    return _age_bucket(event, article) in ("age=0-1", "age=2-7", "age=8-31")


def keep_reported(article: Article, events: Sequence[Event],
                  model: NewsModel | None = None) -> tuple[Event, ...]:
    """The events the article reports as news, in order (all of them without a model):
    those dated recently by the text itself, and the others the model finds news."""
    model = model or load_news_model()
    if model is None:
        return tuple(events)
    return tuple(e for e in events if dated_recently(e, article)
                 or model.probability(news_features(e, article, events)) >= model.threshold)
