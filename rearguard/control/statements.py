"""Control statements: who holds a place, and since when, from the event mentions.

Each trigger of the families ``capture`` (captured, seized, overran, took control, fell
to), ``regain`` (retook, recaptured, liberated, took back), ``transfer`` (withdrew, handed
over) and ``hold`` (held it, controls) whose object is a place becomes a
:class:`~rearguard.types.ControlChange`:

* **place**: the toponym the trigger governs ("seized the town of Bulo Burde"), or, for
  "it", "the town", "several districts", the place of the event it belongs to;
* **holder**: the side that acted ("was recaptured by ISF"; "fell to the Taliban"); in a
  claim ("Daesh claims that it has taken over...") the claimer;
* **previous holder**: the side acted upon, else the last holder of the place in the
  same article, else the main armed actor of the other camp in the article;
* **date**: the mention's date; "held it for three days until ISF forces managed to take
  it back" dates the retaking three days after the capture, and records ``held_days``;
* **kind**: captured, retaken, liberated, held, withdrew, handed_over; ``claimed`` for a
  capture only claimed; ``contested`` where fighting goes on ("Fighting in Shirqat is
  ongoing");
* **extent**: partial for districts, neighbourhoods, parts or buildings of a place.

Objects that are people ("capturing five police officers") or things ("captured weapons")
are not territory and yield nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..nlp.numbers import parse_number
from ..nlp.syntax import attached_to, earlier_clause
from ..types import (
    Actor,
    Article,
    ControlChange,
    ControlRecords,
    DateMention,
    Evidence,
    Incidents,
    Place,
)

if TYPE_CHECKING:  # spaCy is not imported for the ledger's flag alone (the store writer)
    from spacy.tokens import Token

CONTROL_FAMILIES = frozenset({"capture", "regain", "transfer", "hold"})
PLACE_NOUNS = frozenset(
    "town towns city cities village villages district districts neighbourhood neighbourhoods "
    "neighborhood neighborhoods area areas territory territories region province capital "
    "stronghold base bases airport airbase hospital positions position outskirts parts part "
    "quarter quarters suburb suburbs centre center county governorate valley hill hills "
    "crossing port island oasis camp barracks checkpoint checkpoints compound headquarters "
    "building buildings hall stronghold".split()
)
PARTIAL_NOUNS = frozenset(
    "districts district neighbourhoods neighbourhood neighborhood neighborhoods areas area "
    "parts part outskirts quarter quarters suburb suburbs hospital positions position "
    "checkpoint checkpoints base airport airbase compound headquarters building buildings "
    "hall".split()
)
PRONOUNS = frozenset({"it", "them"})
# (the pipeline has no lemmatizer: word forms)
WITHDRAW = frozenset(
    "withdrew withdrawn withdraw withdraws withdrawing pulled retreated abandoned fled "
    "left".split()
)
_ONGOING = re.compile(r"\b(?:ongoing|continu(?:es|ed|ing)|still raging|raged on)\b", re.I)
_HELD_FOR = re.compile(
    r"\bheld (?:it|them|on|onto|the \w+)?\s*(?:for )?(?:about |almost |nearly |some |around )?"
    r"(?P<n>\w+|\d+)\s+(?P<unit>days?|weeks?|months?)\b", re.I,
)
_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30}
STATE = (1, 8)
NON_STATE = (2, 3, 4)


def side_of(inter: int | None) -> str:
    """'state' (state forces and external forces beside them), 'non-state' (rebels,
    militias) or '' (civilians, protesters, unknown), from an ACLED inter code."""
    if inter in STATE:
        return "state"
    if inter in NON_STATE:
        return "non-state"
    return ""


def side(actor: Actor | None) -> str:
    """The side of an actor (see :func:`side_of`)."""
    return side_of(actor.inter) if actor is not None else ""


def object_kind(token: Token) -> tuple[str, Token | None]:
    """What a control trigger acts on: ('place', noun), ('pronoun', it), ('people', noun),
    ('thing', noun) or ('none', None)."""
    objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
    if token.lower_ in ("fell", "fallen"):
        objects = [c for c in token.children if c.dep_ == "nsubj"]
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of" and token.pos_ == "NOUN":
            objects += [c for c in prep.children if c.dep_ == "pobj"]  # "the capture of X"
        if prep.dep_ == "prep" and prep.lower_ in ("of", "over") and token.lower_ in (
                "control", "controls", "over"):
            objects += [c for c in prep.children if c.dep_ == "pobj"]
        if prep.dep_ == "prep" and prep.lower_ in ("from", "of") and token.lower_ in WITHDRAW:
            objects += [c for c in prep.children if c.dep_ == "pobj"]  # "withdrew from X"
    # "took control of X", "taken over several districts": the object hangs off the particle
    for child in token.children:
        if child.dep_ in ("dobj", "prt") and child.lower_ in ("control", "over"):
            for prep in child.children:
                if prep.dep_ == "prep":
                    objects += [c for c in prep.children if c.dep_ == "pobj"]
    for noun in objects:
        if noun.lower_ in PRONOUNS:
            return "pronoun", noun
        if noun.ent_type_ in ("GPE", "LOC", "FAC") or noun.lower_ in PLACE_NOUNS:
            return "place", noun
        if noun.ent_type_ in ("PERSON", "NORP", "ORG") or noun.like_num or any(
                c.dep_ == "nummod" for c in noun.children):
            return "people", noun
        if noun.lower_ == "control":
            continue
        return "thing", noun
    return "none", None


def _kind(trigger_text: str, family: str, claimed: bool) -> str:
    word = trigger_text.lower()
    if family == "capture":
        return "claimed" if claimed else "captured"
    if family == "regain":
        return "liberated" if word.startswith("liberat") else "retaken"
    if family == "transfer":
        return "handed_over" if "hand" in word else "withdrew"
    return "held"


def _held_days(sentence: str) -> int | None:
    match = _HELD_FOR.search(sentence)
    if not match:
        return None
    number = parse_number(match.group("n"))
    if number is None and match.group("n").lower() in ("a", "an"):
        number = 1
    if number is None:
        return None
    return number * _DAYS[match.group("unit").lower()]


def _shift(date: DateMention | None, days: int) -> tuple[str | None, int | None]:
    if date is None:
        return None, None
    day = dt.date.fromisoformat(date.date) + dt.timedelta(days=days)
    return day.isoformat(), date.precision


def _ev(field: str, text: str, start: int, end: int) -> Evidence:
    return Evidence(field=field, text=text[start:end], start=start, end=end)


def find_control(incidents: Incidents, places: Iterable[Place] = ()) -> ControlRecords:
    """The control stage: the control records of each incident of an article (``places``:
    the article's places, as the geo stage resolved them)."""
    finder = ControlFinder(incidents.article, incidents.actors, list(places))
    found = finder.find(incidents.clusters, incidents.places)
    return ControlRecords(by_incident=tuple(tuple(records) for records in found))


class ControlFinder:
    """Finds the control statements of one article's event clusters."""

    def __init__(self, article: Article, actors: Sequence[Actor],
                 places: Sequence[Place] = ()):
        self.places = [p for p in places if p.resolved]
        self.article = article
        self.text = article.text
        self.camps = {"state": _main(actors, STATE), "non-state": _main(actors, NON_STATE)}
        self.last_holder: dict[object, str] = {}

    def find(self, clusters: Sequence[Sequence], places: Sequence[Place | None]
             ) -> list[list[ControlChange]]:
        """Per cluster, its records: dated ones only (an undated change cannot enter a
        ledger), one per place, kind and date (the one naming a holder). ``places[i]`` is
        the place cluster ``i`` is about (what "it" and "the town" refer to)."""
        found = []
        for mentions, cluster_place in zip(clusters, places, strict=True):
            records = [r for r in self._cluster(mentions, cluster_place) if r.date]
            kept: dict[tuple, ControlChange] = {}
            for record in records:
                key = (record.geonameid or (record.latitude, record.longitude), record.kind,
                       record.date)
                if key not in kept or (record.holder and not kept[key].holder):
                    kept[key] = record
            found.append(list(kept.values()))
        return found

    def _cluster(self, mentions: Sequence, cluster_place: Place | None) -> list[ControlChange]:
        records: list[ControlChange] = []
        for mention in mentions:
            captured_at: DateMention | None = None
            held = _held_days(mention.sentence_text)
            for trig in mention.triggers:
                token = mention.tokens.get(trig.start)
                if token is None:
                    continue
                if trig.family not in CONTROL_FAMILIES:
                    place = mention.place or cluster_place
                    if trig.family == "battle" and _ONGOING.search(mention.sentence_text) \
                            and place is not None and place.resolved:
                        records.append(self._contested(mention, trig, place))
                    continue
                kind_of_object, noun = object_kind(token)
                if kind_of_object in ("people", "thing", "none") and not (
                        kind_of_object == "none" and (
                            trig.family == "transfer"  # "Ethiopian troops pulled out"
                            or (trig.family in ("capture", "regain")
                                and mention.place is not None
                                and _governs_place(token, mention)))):
                    continue
                place = self._named(noun, token, mention) or (
                    mention.place if mention.place is not None else cluster_place)
                if kind_of_object == "pronoun" or (noun is not None and noun.lower_ in PLACE_NOUNS
                                                   and not noun.ent_type_):
                    place = cluster_place or mention.place
                if place is None or not place.resolved:
                    continue
                record = self._record(mention, trig, token, noun, place, held, captured_at)
                if record is None:
                    continue
                if record.kind == "held" and any(
                        r.kind in ("captured", "claimed") and r.holder == record.holder
                        and r.place == record.place for r in records[-3:]):
                    continue  # "overran Kunduz and held it for two weeks": one change
                if record.kind == "held" and record.held_days and "battle" in mention.families \
                        and not any(r.kind in ("captured", "claimed") for r in records):
                    # "attacked Rutba, and held it for three days": the attack took it
                    record = dataclasses.replace(record, kind="captured")
                if record.kind in ("captured", "claimed"):
                    captured_at = mention.date
                records.append(record)
        return records

    def _named(self, noun: Token | None, token: Token, mention) -> Place | None:
        """The resolved toponym the trigger's object names ("withdrew from Sloviansk")."""
        if noun is None or not noun.ent_type_:
            return None
        base = mention.sent_start - token.sent.start_char
        start = base + noun.idx
        return next((p for p in self.places if p.start <= start < p.end), None)

    def _record(self, mention, trig, token, noun, place: Place, held: int | None,
                captured_at: DateMention | None) -> ControlChange | None:
        agents = [ar.actor for ar in mention.actors
                  if ar.trigger_start == trig.start and ar.role == "agent"]
        patients = [ar.actor for ar in mention.actors
                    if ar.trigger_start == trig.start and ar.role == "patient"]
        if not agents and token.dep_ == "conj":
            # "Daesh attacked Rutba ... and held it": the subject of the first verb
            for start, other in mention.tokens.items():
                if other.i == token.head.i:
                    agents = [ar.actor for ar in mention.actors
                              if ar.trigger_start == start and ar.role == "agent"]
        claimed = mention.claimed_by is not None and mention.claim_start <= trig.start
        holder = agents[0] if agents else None
        if holder is None and claimed:
            holder = mention.claimed_by
        if holder is None and trig.family == "regain":
            # "declared the city liberated": retaking with no agent named is the state's
            holder = self.camps.get("state")
        if holder is None:
            others = [ar.actor for ar in mention.actors if ar.role == "agent"]
            holder = others[0] if len(others) == 1 else None
        if trig.family == "transfer" and holder is not None:
            # "the army withdrew from X": the army is the previous holder
            previous, holder = holder, self.camps.get(_other(side(holder)))
        else:
            previous = next((a for a in patients if side(a) and side(a) != side(holder)), None)
        key = place.geonameid or (place.latitude, place.longitude)
        holder_name = holder.name if holder is not None else ""
        previous_name = previous.name if previous is not None else ""
        if not previous_name:
            last = self.last_holder.get(key, "")
            if last and last != holder_name:
                previous_name = last
            elif holder is not None and self.camps.get(_other(side(holder))) is not None:
                previous_name = self.camps[_other(side(holder))].name  # type: ignore[union-attr]
        kind = _kind(trig.text, trig.family, claimed)
        date, precision = (mention.date.date, mention.date.precision) if mention.date else (
            None, None)
        if earlier_clause(token) and not _dated_here(mention, token):
            # "a year after the insurgents briefly seized it": an earlier, undated change
            date, precision = None, None
        elif date is None and self.article.published:
            # "fighters said on Tuesday they had taken full control": by the report's day
            date, precision = self.article.published, 2
        if trig.family == "regain" and held and captured_at is not None:
            date, precision = _shift(captured_at, held)
        extent = "partial" if _partial(noun, mention.sentence_text, trig) else "full"
        evidence = [_ev("event", self.text, mention.sent_start, mention.sent_end)]
        if place.start >= 0 and place.end > place.start:
            evidence.append(_ev("place", self.text, place.start, place.end))
        if holder is not None and holder.start >= 0:
            evidence.append(_ev("holder", self.text, holder.start, holder.end))
        if mention.date is not None:
            evidence.append(_ev("date", self.text, mention.date.start, mention.date.end))
        evidence.append(_ev("statement", self.text, trig.start, trig.end))
        self.last_holder[key] = holder_name
        return ControlChange(
            place=place.name or place.text, geonameid=place.geonameid,
            latitude=place.latitude, longitude=place.longitude, country=place.country or "",
            admin1=place.admin1 or "", holder=holder_name, previous_holder=previous_name,
            date=date, date_precision=precision, kind=kind, extent=extent,
            confidence=_confidence(kind, holder, date, place),
            evidence=tuple(evidence), article_id=self.article.id,
            held_days=held if kind in ("captured", "claimed", "held") else None,
        )

    def _contested(self, mention, trig, place: Place) -> ControlChange:
        extent = "partial" if _partial(None, mention.sentence_text, trig) else "full"
        evidence = (_ev("event", self.text, mention.sent_start, mention.sent_end),
                    _ev("place", self.text, place.start, place.end),
                    _ev("statement", self.text, trig.start, trig.end))
        date, precision = (mention.date.date, mention.date.precision) if mention.date else (
            None, None)
        return ControlChange(
            place=place.name or place.text, geonameid=place.geonameid,
            latitude=place.latitude, longitude=place.longitude, country=place.country or "",
            admin1=place.admin1 or "", holder="", previous_holder="", date=date,
            date_precision=precision, kind="contested", extent=extent, confidence=0.5,
            evidence=evidence, article_id=self.article.id,
        )


def _dated_here(mention, token: Token) -> bool:
    """True when the mention's own date hangs from this trigger's clause."""
    if mention.date is None or mention.date_inherited:
        return False
    base = mention.sent_start - token.sent.start_char
    local = mention.date.start - base
    date_token = next((t for t in token.sent if t.idx <= local < t.idx + len(t.text)), None)
    return date_token is not None and attached_to(date_token, token)


def _governs_place(token: Token, mention) -> bool:
    """A passive or intransitive control verb whose subject is the mention's place
    ("Shirqat was recaptured by ISF", "Kunduz fell to the Taliban")."""
    place = mention.place
    if place is None:
        return False
    base = mention.sent_start - token.sent.start_char  # the token's doc in the article
    for child in token.children:
        if child.dep_ in ("nsubjpass", "nsubj"):
            lo = base + child.left_edge.idx
            hi = base + child.right_edge.idx + len(child.right_edge.text)
            if lo <= place.start and place.end <= hi:
                return True
    return False


def _partial(noun: Token | None, sentence: str, trig) -> bool:
    if noun is not None and noun.lower_ in PARTIAL_NOUNS:
        return True
    window = sentence.lower()
    return bool(re.search(r"\b(?:parts? of|several (?:districts|neighbou?rhoods|areas)|"
                          r"districts|neighbou?rhoods|outskirts)\b", window))


def _other(camp: str) -> str:
    return {"state": "non-state", "non-state": "state"}.get(camp, "")


def _main(actors: Sequence[Actor], inters: tuple[int, ...]) -> Actor | None:
    counts: dict[str, int] = {}
    first: dict[str, Actor] = {}
    for actor in actors:
        if actor.inter in inters:
            counts[actor.name] = counts.get(actor.name, 0) + 1
            first.setdefault(actor.name, actor)
    if not counts:
        return None
    return first[max(counts, key=lambda n: counts[n])]


def _confidence(kind: str, holder: Actor | None, date: str | None, place: Place) -> float:
    parts = [0.5 if kind == "claimed" else 0.9, 1.0 if holder is not None else 0.5,
             1.0 if date else 0.6, place.confidence or 0.5]
    product = 1.0
    for part in parts:
        product *= max(0.05, part)
    return round(product ** (1 / len(parts)), 3)
