"""Event mentions: what one sentence says about one incident.

A sentence yields a mention for each distinct place its event triggers point at ("Following
the assault on Kirkuk, Daesh attacked Rutba" gives one for Kirkuk and one for Rutba). A
mention carries the trigger, the classifier's scores for the sentence, the actors in the
roles the parse gives them, the counts, dates and claims of its part of the sentence, and
the place the locator chose. Merging mentions into events is :mod:`rearguard.events.merge`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..types import Actor, Count, DateMention, Place
from .roles import decide_role
from .triggers import Trigger

# Words that make a trigger hypothetical, planned or negated rather than reported.
MODALS = frozenset("may might could would should can must will shall".split())
INTENT_HEADS = frozenset(
    "fail failing failed prevent preventing prevented plan plans planned planning threaten "
    "threatens threatened vow vowed vows aim aims aimed seek seeks sought try tries tried "
    "attempt hope hopes intend intends want wants warn warned warns fear fears feared "
    "prepare prepares preparing deter deterring stop stopping avoid avoiding supposed "
    "expected meant due".split()
)
# A sentence whose speaker is commenting rather than reporting.
_OPINION = re.compile(
    r"^\W*(analysts?|experts?|observers?|critics?|commentators?)\b[^.]{0,80}\b"
    r"(said|say|says|believe|argue|warn|think|suggest)", re.I,
)
_CLAIM = re.compile(
    r"\b(claim(?:s|ed|ing)?)\b(?:\s+(?:that|responsibility|it|to have))?", re.I,
)
# Triggers whose grammatical subject suffered the event.
_SINCE = re.compile(r"\b(since|after|following)\b", re.I)


@dataclass
class ActorRole:
    """An actor of a mention and the side it is on: 'agent' acted, 'patient' was acted on;
    ``head`` is True when it is linked to the mention's head trigger."""

    actor: Actor
    role: str
    head: bool = True
    trigger_start: int = -1  # the trigger it is linked to


@dataclass
class Mention:
    """What one sentence says about one incident."""

    sent_start: int
    sent_end: int
    trigger: Trigger
    triggers: list[Trigger]
    scores: dict[str, float]
    place: Place | None = None
    date: DateMention | None = None
    date_inherited: bool = False
    actors: list[ActorRole] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    claimed_by: Actor | None = None
    claim_start: int = -1
    claim_end: int = -1
    claim_text: str = ""
    sentence_text: str = ""
    tokens: dict[int, Token] = field(default_factory=dict)  # trigger start -> its head token
    sentence_places: list[Place] = field(default_factory=list)
    weapons: list[tuple[int, int]] = field(default_factory=list)
    targets: list[tuple[int, int]] = field(default_factory=list)
    victims: list[tuple[int, int]] = field(default_factory=list)

    @property
    def families(self) -> set[str]:
        return {t.family for t in self.triggers}

    @property
    def group(self) -> str:
        return self.trigger.group

    @property
    def specific(self) -> bool:
        """True when the mention's own place is a town or part of one (precision 1-2)."""
        return self.place is not None and (self.place.geo_precision or 3) <= 2


def token_at(sent: SpacySpan, char: int, base: int) -> Token | None:
    """The token of ``sent`` that covers article offset ``char`` (``base``: the offset of
    the sentence's doc in the article)."""
    local = char - base
    for token in sent:
        if token.idx <= local < token.idx + max(len(token.text), 1):
            return token
    return None


def is_reported(token: Token) -> bool:
    """False for triggers that are hypothetical, negated, planned or merely intended:
    'may attack', 'failing to prevent attacks', 'did not attack', 'threatened to storm'."""
    head = token if token.pos_ in ("VERB", "AUX") else token.head
    for node in (token, head):
        for child in node.children:
            if child.dep_ == "neg":
                return False
            if child.dep_ == "aux" and child.lower_ in MODALS:
                return False
    # "to recapture", "aimed to seize": an intention, not an outcome; but "managed to take
    # it back" is an outcome
    if token.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        head = token.head
        if head.lemma_.lower() not in SUCCESS_HEADS and head.lower_ not in SUCCESS_HEADS:
            return False
    # "a single shot shotgun", "a shot at the title": these words name an act only as verbs
    if token.lower_ in VERB_ONLY and token.pos_ not in ("VERB", "AUX"):
        return False
    ancestor = token
    for _ in range(3):
        if ancestor.head.i == ancestor.i:
            break
        ancestor = ancestor.head
        if ancestor.lemma_.lower() in INTENT_HEADS or ancestor.lower_ in INTENT_HEADS:
            return False
    return True


# Heads under which "to X" is an outcome or an ongoing act, not an intention: "managed to
# take it back", "continued to shell the suburbs".
SUCCESS_HEADS = frozenset(
    "manage managed manages succeed succeeded succeeds able went proceeded continue "
    "continued continues continuing kept keep began begin begins started start resumed".split()
)
VERB_ONLY = frozenset({"shot", "fought", "stormed", "seized", "raided", "burned", "burnt"})
# A sentence that dates its event only to a year ("ten years ago", "in 2009", "last year")
# tells of a past incident ACLED cannot date to the month: it is background, not an event.
_YEAR_ONLY = re.compile(
    r"\b(?:(?:\w+|\d+) (?:years?|decades?) ago|a decade ago|last year|earlier this year|"
    r"in (?:19|20)\d\d|since (?:19|20)\d\d)\b", re.I,
)
# Harm with no political side: accidents, disasters, disease.
_NOT_POLITICAL = re.compile(
    r"\b(?:gas (?:explosion|leak|cylinder)s?|accident(?:al|ally|s)?|crash(?:ed|es)?|"
    r"earthquakes?|floods?|flooding|storms?|hurricanes?|typhoons?|cyclones?|tsunamis?|"
    r"landslides?|wildfires?|virus|flu|outbreak|epidemic|disease|overdoses?|collapsed?|"
    r"derail(?:ed|ment)|capsized|stampede|lightning)\b", re.I,
)


def year_only(sentence: str) -> bool:
    return bool(_YEAR_ONLY.search(sentence))


def not_political(sentence: str) -> bool:
    return bool(_NOT_POLITICAL.search(sentence))


def is_generic_plural(token: Token, trigger_text: str) -> bool:
    """'Daesh attacks' in a headline or 'launch devastating attacks across the country':
    a plural noun trigger with no number, article or possessive names no single incident."""
    if token.pos_ not in ("NOUN", "PROPN") or token.tag_ not in ("NNS", "NNPS"):
        return False
    for child in token.children:
        if child.dep_ in ("nummod", "poss") or child.lower_ in ("the", "these", "those", "both"):
            return False
    return trigger_text.lower().endswith("s")


def is_opinion(sentence: str) -> bool:
    return bool(_OPINION.search(sentence))


def find_claim(
    text: str, start: int, end: int, actors: Sequence[Actor]
) -> tuple[Actor, int, int] | None:
    """'Daesh claims that it has taken...', 'IS claimed responsibility': the claimer is the
    actor right before the claim word. Returns (actor, start, end) of the claim phrase."""
    for match in _CLAIM.finditer(text, start, end):
        before = [a for a in actors if a.end <= match.start() and match.start() - a.end <= 40]
        if before:
            actor = before[-1]
            return actor, actor.start, match.end()
    return None


def since_anchor(text: str, date: DateMention, sent_start: int) -> bool:
    """True when a date marks the start of a period ('since ... on 17 October')."""
    return bool(_SINCE.search(text, sent_start, date.start))


def actor_role(actor_token: Token, trigger: Token, actor_start: int, trigger_start: int) -> str:
    """'agent' or 'patient': the learned role model over the parse, with the hand rule as
    one of its features (:mod:`rearguard.events.roles`)."""
    return decide_role(actor_token, trigger, actor_start, trigger_start)
