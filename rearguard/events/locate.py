"""Which toponyms of a sentence are the place where a given event happened.

Rules over the spaCy dependency parse compute how each candidate attaches to the event; a
small learned ranker (``rearguard/data/locator.json``, trained by ``tools/train_locator.py``)
decides over those features, and the rules decide alone if the weights are missing. Pure
Python over the parse, so the extractor can call it for every event sentence. Each toponym
is first *anchored*: we climb from the name to the point
where its noun phrase attaches to the clause, noting how it attaches (the *cue*):

* ``prep``  the object of a locative preposition (in, at, near, outside, on, into, across...):
  "shelled positions **in Idlib**", "a checkpoint **near Tikrit**";
* ``arg``   the direct object or passive subject of a verb, or the "of" object of a nominal
  trigger: "attacked **Rutba**", "**Kirkuk** was attacked", "the shelling **of Aleppo**";
* ``poss``  the possessor of an argument: "breached **Kirkuk**'s defences";
* ``near``  a bare direction: "**north of Baghdad**" (ACLED codes such events 'near' a place;
  the toponym is kept, but only as a fallback);
* ``weak``  any other attachment.

Through the way: ``compound`` modifiers of place nouns ("a **Baghdad** market"), coordinated
and apposed names, "the town **of Shirqat**". A toponym is *excluded* (score 0) when it is a
demonym or modifies an actor ("**Iraqi** forces", "the **Kabul** government", "**Iraq**'s
army"), lies in a distance phrase ("100 kilometres **from Mosul**", "600 km south of
**Mosul**"), is an origin or destination ("fled **to Turkey**", "came **from Kabul**"), an
actor phrase ("by", "between", "against"), or belongs to a reported-speech frame ("a spokesman
**in Baghdad** said", "police **in Basra** said that ...").

The score of a non-excluded toponym is its cue's base minus a cost per dependency edge between
the trigger and the anchor, and a larger cost per clause boundary crossed downwards (a place
attached to another verb's clause). :func:`event_places` keeps the best toponym, the ones tied
with it through coordination or the same attachment, and -- after each of them -- the
toponym that contains it ("Shirqat **in Salahuddin province**", "Hama, **Syria**").
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Span, Token

__all__ = [
    "PlaceScore", "Ranker", "event_places", "get_ranker", "name_candidates", "place_features",
    "score_places",
]

RANKER_PATH = Path(__file__).resolve().parents[1] / "data" / "locator.json"
RANKER_FORMAT = "rearguard-event-locator"
RANKER_VERSION = 1

LOC_PREPS = frozenset(
    "in at near outside on into across around inside throughout within along off through"
    " onto upon amid amidst beside behind beyond alongside nearby opposite over past via".split()
)
ORIGIN_PREPS = frozenset("to from toward towards out".split())
ACTOR_PREPS = frozenset("by between with against among".split())
DIRECTIONS = frozenset(
    "north south east west northeast northwest southeast southwest north-east north-west"
    " south-east south-west northeastern northwestern southeastern southwestern northern"
    " southern eastern western".split()
)
MEASURES = frozenset(
    "kilometres kilometers kilometre kilometer km kms miles mile metres meters metre meter"
    " yards feet ft hours hour minutes minute drive".split()
)
PLACE_NOUNS = frozenset(
    (
        "town towns city cities village villages province provinces governorate governorates"
        " district districts region regions area areas neighbourhood neighbourhoods"
        " neighborhood neighborhoods suburb suburbs outskirts outskirt vicinity countryside"
        " capital settlement settlements street streets road roads highway center centre"
        " heart part parts border borders frontier state county municipality zone camp island"
        " port enclave territory territories quarter quarters hamlet hamlets locality valley"
        " mountains edge environs market markets mosque checkpoint base airport hospital"
        " prison school district-centre downtown countries country"
    ).split()
)
ACTOR_NOUNS = frozenset(
    (
        "force forces army armies troops troop soldiers soldier police policemen policeman"
        " government governments authorities authority officials official military militia"
        " militias militants rebels fighters president minister ministry embassy ambassador"
        " spokesman spokeswoman spokesperson leader leaders commander commanders regime"
        " opposition governor mayor media agency television tv radio newspaper daily court"
        " parliament security coalition navy jets warplanes helicopters guards brigade"
        " battalion officers officer diplomats delegation administration junta cabinet"
        " counterpart counterparts envoy prime premier king prince troopers gunmen guerrillas"
        " insurgents separatists units unit warships ships vessels aircraft planes patrol"
        " patrols convoy firm company stronghold squad team"
    ).split()
)
SAY_WORDS = frozenset(
    (
        "said say says saying told tell tells reported report reports reporting announced"
        " announce announces stated state states claimed claims claim added adds quoted"
        " quoting confirmed confirms confirm denied denies alleged warned explained noted"
        " insisted according accused"
    ).split()
)
EVENT_NOUNS = frozenset(
    (
        "attack attacks assault assaults bombing bombings bombardment bombardments shelling"
        " shellings raid raids strike strikes airstrike airstrikes air-strike offensive siege"
        " capture seizure occupation invasion fighting clashes clash battle battles explosion"
        " explosions blast blasts ambush massacre killing killings shooting shootings protest"
        " protests demonstration demonstrations rally rallies march marches liberation"
        " takeover recapture operation operations incursion incursions fall storming"
    ).split()
)
PEOPLE_VERB_STEMS = (
    "kill", "shoot", "shot", "wound", "injur", "arrest", "detain", "kidnap", "abduct",
    "execut", "behead", "murder", "tortur", "stab", "rape", "massacr", "assassin", "lynch",
    "slay", "slain", "slew", "hang", "hung", "beat", "dead", "die", "died",
)
MONTH_ABBREVIATIONS = frozenset(
    "jan jan. feb feb. mar mar. apr apr. jun jun. jul jul. aug aug. sep sep. sept sept."
    " oct oct. nov nov. dec dec.".split()
)
DEMONYM_ENDINGS = ("ians", "ans", "ese", "is", "ites", "ers", "ish", "ch")
SPEECH_DEPS = frozenset(("ccomp", "parataxis"))
_KNOWN_PREPS = LOC_PREPS | ORIGIN_PREPS | ACTOR_PREPS | {"of", "during", "for", "after", "since"}
_KNOWN_CONTEXT = _KNOWN_PREPS | PLACE_NOUNS | DIRECTIONS | frozenset(
    ", . ( ) - -- : ; 's ' \" and or ^ $ the".split()
)

BASE = {
    "arg": 3.0, "prep": 3.0, "poss": 2.6, "modifier": 1.2, "near": 1.2, "weak": 1.0,
    "subject": 0.5,
}
EDGE_COST = 0.3
# extra cost per clause boundary on the path: going up from the trigger to a governing
# clause ("[killing 12] <- exploded in Kabul") is cheap; going down into another clause
# (a place attached to a different verb) is not, least so for "when/while" clauses
UP_COST = {"advcl": 0.2, "xcomp": 0.1, "conj": 0.5, "relcl": 0.5, "acl": 0.2, "ccomp": 0.6,
           "parataxis": 0.8, "pcomp": 0.1}
DOWN_COST = {"advcl": 0.5, "xcomp": 0.2, "conj": 1.0, "relcl": 0.8, "acl": 0.4, "ccomp": 1.2,
             "parataxis": 1.2, "csubj": 1.0, "pcomp": 0.2}
THRESHOLD = 0.9
TIE = 0.31


@dataclass(frozen=True)
class PlaceScore:
    """How one toponym relates to the event.

    ``score`` 0 means it is not the event's place; ``cue`` is how it attaches (``prep``,
    ``arg``, ``poss``, ``near``, ``weak``) or why it was excluded (``demonym``, ``actor``,
    ``distance``, ``origin``, ``speech``, ``unlinked``); ``distance`` the dependency edges
    between the trigger and the anchor (-1 if unlinked); ``anchor`` the token where the
    toponym's phrase attaches; ``container_of`` the toponym this one contains, if it
    directly follows it ("Shirqat in **Salahuddin province**")."""

    span: Span
    score: float
    cue: str
    distance: int = -1
    anchor: Token | None = None
    container_of: Span | None = None


def _has_measure(token: Token, before: int) -> bool:
    """A distance measure ("kilometres", "km") among the few tokens before index ``before``,
    or in the subtree of ``token`` ("100 km south")."""
    doc = token.doc
    start = max(token.sent.start, before - 4)
    if any(doc[i].lower_ in MEASURES for i in range(start, before)):
        return True
    return any(t.lower_ in MEASURES for t in token.subtree)


def _is_direction_relative(word: Token) -> bool:
    """'south' in '600 km south of Mosul' / 'north of Baghdad' (a relative position), not
    'the north of Syria' (a region)."""
    if word.lower_ not in DIRECTIONS:
        return False
    return not any(c.dep_ == "det" for c in word.children) and word.dep_ != "pobj"


def _is_demonym(span: Span) -> bool:
    """'Iraqi', 'Palestinians', 'French': names of peoples, not places (the place ruler
    may label a demonym the gazetteer knows as GPE)."""
    root = span.root
    if span.label_ == "NORP" or root.tag_ in ("JJ", "JJR", "JJS"):
        return True
    return root.tag_ == "NNPS" and root.lower_.endswith(DEMONYM_ENDINGS)


def _verb_takes_places(verb: Token) -> bool:
    """False for verbs whose object or passive subject is a person ("killed", "shot")."""
    return not verb.lower_.startswith(PEOPLE_VERB_STEMS)


def _is_actor_head(token: Token) -> bool:
    return token.lower_ in ACTOR_NOUNS or token.ent_type_ in ("PERSON", "ORG", "NORP")


def _anchor(
    span: Span, owner_of: dict[int, Span], seen: list[str] | None = None
) -> tuple[Token | None, str, Span | None]:
    """Climb from the toponym to where its phrase attaches: ``(anchor, cue, container_of)``.

    For an excluded toponym the anchor is None and the cue the reason. The anchor is the
    token the phrase hangs from (a preposition's head, or the verb of an argument).
    ``owner_of`` maps token indices to the toponym covering them: a toponym whose phrase
    hangs from another toponym ("Shirqat in Salahuddin", "Makhmur district, northern Iraq")
    is that one's container. The prepositions passed on the way are appended to ``seen``."""
    a = span.root
    cue = ""
    if seen is None:
        seen = []

    def other(token: Token) -> Span | None:
        found = owner_of.get(token.i)
        return found if found is not None and found != span else None

    def named(token: Token) -> Span | None:
        """The toponym naming ``token``: itself, or a place noun's name ("Makhmur district")."""
        found = other(token)
        if found is None and token.lower_ in PLACE_NOUNS:
            # "Makhmur district" names the district; "the Afghan city of Kunduz" does not:
            # an adjective (demonym) says whose city it is, not which.
            found = next((other(c) for c in token.children
                          if c.dep_ in ("compound", "amod", "nmod") and c.pos_ != "ADJ"
                          and other(c) is not None), None)
        return found

    for _ in range(12):
        dep, head = a.dep_, a.head
        if head.i == a.i or head.i in range(span.start, span.end):
            return a, cue or "weak", None
        if dep == "appos" and named(head) is not None:
            return None, "container", named(head)  # "Makhmur district, northern Iraq"
        if dep == "conj" and other(head) is not None:
            a = head
            continue
        if dep in ("compound", "amod", "nmod", "nummod", "npadvmod") and a.lower_ not in DIRECTIONS:
            word = head.lower_
            if other(head) is not None:
                return None, "container", other(head)  # "Anbar's Ramadi", "Aleppo city"
            if _is_actor_head(head):
                return None, "actor", None  # "Iraq Security Forces", "the Kabul government"
            if not (word in PLACE_NOUNS or word in EVENT_NOUNS or head.ent_type_ in ("FAC", "LOC")):
                cue = cue or "modifier"  # "his Tokyo apartment", "a Tampa woman"
            a = head  # "a Baghdad market", "the Kabul attack"
            continue
        if dep in ("appos", "conj"):
            if head.pos_ in ("VERB", "AUX"):
                return head, cue or "weak", None
            a = head
            continue
        if dep == "poss":
            if other(head) is not None:
                return None, "container", other(head)
            if _is_actor_head(head):
                return None, "actor", None
            cue = cue or "poss"
            a = head
            continue
        if dep == "pobj":
            prep = head
            word = prep.lower_
            seen.append(word)
            if word == "of":
                owner = prep.head
                if other(owner) is not None:
                    return None, "container", other(owner)
                if _is_direction_relative(owner):
                    if _has_measure(owner, owner.i):
                        return None, "distance", None
                    cue = cue or "near"
                    a = owner
                    continue
                if owner.lower_ in PLACE_NOUNS or owner.lower_ in DIRECTIONS:
                    if named(owner) is not None:
                        return None, "container", named(owner)  # "Semdinli district of Hakkari"
                    a = owner  # "the town of Shirqat", "the north of Syria"
                    continue
                if owner.lower_ in EVENT_NOUNS or owner.lower_.endswith("ing"):
                    cue = cue or "arg"  # "the shelling of Aleppo", "capture of Mosul"
                    a = owner
                    continue
                if _is_actor_head(owner):
                    return None, "actor", None
                cue = cue or "weak"
                a = owner
                continue
            if word == "from" and _has_measure(prep, prep.i):
                return None, "distance", None
            if word in ORIGIN_PREPS:
                return None, "origin", None
            if word in ACTOR_PREPS:
                return None, "actor", None
            if named(prep.head) is not None and word == "in":
                return None, "container", named(prep.head)
            if word in LOC_PREPS:
                if prep.head.lower_ in DIRECTIONS and _has_measure(prep.head, prep.head.i):
                    return None, "distance", None
                return prep.head, cue or "prep", None
            return prep.head, cue or "weak", None
        if dep in ("dobj", "nsubjpass", "attr", "oprd", "dative"):
            if not _verb_takes_places(head):
                return head, cue or "subject", None  # "Foley was shot": a person
            return head, cue or "arg", None
        if dep in ("nsubj", "csubj", "agent", "expl"):
            if head.lower_ in SAY_WORDS:
                return None, "speech", None
            return head, cue or "subject", None  # "Israel captured ...": an actor
        if dep == "npadvmod" and a.lower_ in DIRECTIONS:
            return head, cue or "near", None
        return head, cue or "weak", None
    return a, cue or "weak", None


def _ancestors(token: Token) -> list[Token]:
    """The token and its heads up to the root of its sentence."""
    chain = [token]
    while chain[-1].head.i != chain[-1].i and len(chain) < 200:
        chain.append(chain[-1].head)
    return chain


def _path(trigger: Token, anchor: Token) -> tuple[list[Token], list[Token]] | None:
    """(up, down): tokens from the trigger up to the lowest common ancestor (exclusive of the
    trigger) and from that ancestor down to the anchor (exclusive), or None if unlinked."""
    up_chain = _ancestors(trigger)
    down_chain = _ancestors(anchor)
    down_index = {t.i: k for k, t in enumerate(down_chain)}
    for k, t in enumerate(up_chain):
        if t.i in down_index:
            return up_chain[: k + 1], down_chain[: down_index[t.i] + 1]
    return None


def _container_of(span: Span, others: Sequence[Span]) -> Span | None:
    """The toponym ``span`` directly follows as its container: "Shirqat in Salahuddin
    province", "Hama, Syria", "Maharda (Hama province)"."""
    doc = span.doc
    i = span.start - 1
    while i >= 0 and (doc[i].lower_ in ("the", "a", "central") or doc[i].lower_ in DIRECTIONS):
        i -= 1  # "Haifa Street in central Baghdad", "Sadr City in eastern Baghdad"
    if i < 1:
        return None
    link = doc[i].lower_
    if link not in ("in", ",", "(", "of"):
        return None
    if link == "," and not (
        span.root.dep_ == "appos"
        or span[-1].lower_ in PLACE_NOUNS
        or span.end == len(doc)
        or (doc[span.end].is_punct and doc[span.end].lower_ not in ("and",))
    ):
        return None
    if link == "of" and doc[i - 1].lower_ not in ("province", "district", "governorate"):
        return None
    before = doc[i - 1] if link != "of" else None
    for other in others:
        if other is span:
            continue
        if link == "of":
            # "X district of Y province"
            if other.end == i and other[-1].lower_ in PLACE_NOUNS:
                return other
            continue
        if before is not None and other.end - 1 == before.i:
            if link == "," and span.root.dep_ == "conj":
                return None  # "Aleppo, Idlib and Hama": a list, not containment
            return other
    return None


def _speech_frame(up: list[Token], down: list[Token]) -> bool:
    """True if the anchor is in the frame of a verb of saying that reports the trigger's
    clause ("police in Basra said [militants attacked ...]")."""
    lca = up[-1]
    if lca.lower_ not in SAY_WORDS:
        return False
    # the trigger reaches the saying verb through a reported clause
    reported = len(up) >= 2 and any(t.dep_ in SPEECH_DEPS for t in up[:-1])
    return reported


@dataclass
class _Analysis:
    """What the rules found about one toponym, kept for the ranker's features."""

    place: PlaceScore
    preps: list[str]
    up: list[Token]
    down: list[Token]


def _analyse(sent: Span, trigger: Token, toponyms: Sequence[Span]) -> list[_Analysis]:
    in_sent = [t for t in toponyms if t.start >= sent.start and t.end <= sent.end]
    owner_of = {i: t for t in in_sent for i in range(t.start, t.end)}
    out: list[_Analysis] = []
    for span in toponyms:
        preps: list[str] = []

        def done(place: PlaceScore, up: list[Token] | None = None,
                 down: list[Token] | None = None) -> None:
            out.append(_Analysis(place, preps, up or [], down or []))  # noqa: B023

        if span not in in_sent:
            done(PlaceScore(span, 0.0, "unlinked"))
            continue
        if span.text.lower() in MONTH_ABBREVIATIONS:
            done(PlaceScore(span, 0.0, "date"))
            continue
        if _is_demonym(span):
            done(PlaceScore(span, 0.0, "demonym"))
            continue
        anchor, cue, container = _anchor(span, owner_of, preps)
        if container is None:
            container = _container_of(span, in_sent)
            if container is not None:
                anchor, cue = None, "container"
        if anchor is None:
            done(PlaceScore(span, 0.0, cue, container_of=container))
            continue
        if anchor.i in range(span.start, span.end):
            anchor = span.root
        path = _path(trigger, anchor)
        if path is None:
            done(PlaceScore(span, 0.0, "unlinked", anchor=anchor))
            continue
        up, down = path
        if _speech_frame(up, down) and up[-1].i != trigger.i:
            done(PlaceScore(span, 0.0, "speech", anchor=anchor), up, down)
            continue
        distance = (len(up) - 1) + (len(down) - 1)
        score = BASE[cue] - EDGE_COST * distance
        score -= sum(UP_COST.get(t.dep_, 0.0) for t in up[:-1])
        score -= sum(DOWN_COST.get(t.dep_, 0.0) for t in down[:-1])
        done(PlaceScore(span, round(max(score, 0.0), 3), cue, distance, anchor), up, down)
    return out


def _bucket(value: float, edges: Sequence[float]) -> int:
    """Index of the first edge ``value`` does not exceed (len(edges) if above all)."""
    for k, edge in enumerate(edges):
        if value <= edge:
            return k
    return len(edges)


def _gap(span: Span, trigger: Token) -> int:
    """Signed token gap from the trigger to the span (negative: the span comes before)."""
    if span.start <= trigger.i < span.end:
        return 0
    return span.start - trigger.i if span.start > trigger.i else span.end - 1 - trigger.i


NAME_LABELS = ("FAC", "ORG", "PERSON", "EVENT", "LOC", "GPE", "PRODUCT", "WORK_OF_ART")


def _name_word(token: Token) -> bool:
    """A proper noun outside any entity that can be part of a place name ("Dutu", "Kaniye";
    not "Shiite-", "al-" or a bracket)."""
    text = token.text
    return (
        token.pos_ == "PROPN" and not token.ent_type_ and text[:1].isalpha()
        and text[-1:].isalnum() and any(c.isupper() for c in text)
    )


def name_candidates(sent: Span, toponyms: Sequence[Span]) -> list[Span]:
    """Other names in the sentence that may be the event's place although they are not
    toponyms: entities the NER calls a facility, an organisation or a person ("Manger
    Square", "the Adiyat School", "Sere Kaniye") and runs of proper nouns outside any entity
    ("Dutu"). None overlaps a toponym."""
    doc = sent.doc
    taken = {i for t in toponyms for i in range(t.start, t.end)}
    out: list[Span] = []
    for ent in sent.ents:
        if (
            ent.label_ in NAME_LABELS and ent.text[:1].isalnum() and ent.text[-1:].isalnum()
            and not any(i in taken for i in range(ent.start, ent.end))
        ):
            out.append(ent)
            taken.update(range(ent.start, ent.end))
    i = sent.start
    while i < sent.end:
        if _name_word(doc[i]) and i not in taken:
            j = i + 1
            while j < sent.end and j not in taken and (
                _name_word(doc[j]) or (doc[j].text in ("-", "/") and j + 1 < sent.end
                                       and _name_word(doc[j + 1]))
            ):
                j += 1
            out.append(Span(doc, i, j, label="NAME"))
            i = j
        else:
            i += 1
    out.sort(key=lambda s: s.start)
    return out


def place_features(
    sent: Span, trigger: Token, toponyms: Sequence[Span], names: Sequence[Span] = ()
) -> tuple[list[dict[str, float]], dict[str, float]]:
    """The ranker's features: one dict per (trigger, candidate) pair, for the toponyms and
    then the other ``names`` (see :func:`name_candidates`), in the order given -- what the
    rules compute (cue, score, path, preposition, containment) and where the candidate lies
    -- and one dict for the answer "no place in this sentence"."""
    _, rows, none = _featurize(sent, trigger, toponyms, names)
    return rows, none


def _featurize(
    sent: Span, trigger: Token, toponyms: Sequence[Span], names: Sequence[Span] = ()
) -> tuple[list[_Analysis], list[dict[str, float]], dict[str, float]]:
    analyses = _analyse(sent, trigger, [*toponyms, *names])
    scored = [a.place for a in analyses]
    n_topo = len(toponyms)
    chosen = {id(s) for s in _rule_choice(scored[:n_topo])}
    contains = {id(s.container_of) for s in scored if s.container_of is not None}
    alive = sorted((s.score for s in scored[:n_topo] if s.score > 0), reverse=True)
    best = alive[0] if alive else 0.0
    gaps = [abs(_gap(s.span, trigger)) for s in scored]
    nearest = min(gaps) if gaps else 0
    n_top = _bucket(len(toponyms), (1, 2, 3))
    n_alive = _bucket(len(alive), (0, 1, 2))
    tlow = trigger.lower_
    people = int(not _verb_takes_places(trigger))
    tpos = trigger.pos_ if trigger.pos_ in ("VERB", "NOUN", "AUX", "ADJ") else "X"
    slen = max(len(sent), 1)
    doc = trigger.doc
    rows: list[dict[str, float]] = []
    verb = trigger.lemma_.lower() if trigger.lemma_ else tlow
    none: dict[str, float] = {
        "none": 1.0,
        f"none|ntop={n_top}": 1.0,
        f"none|nalive={n_alive}": 1.0,
        f"none|best={_bucket(best, (0.0, 0.9, 1.5, 2.0, 2.5))}": 1.0,
        f"none|chosen={int(bool(chosen))}": 1.0,
        f"none|people={people}": 1.0,
        f"none|tpos={tpos}": 1.0,
        f"none|verb={verb}": 1.0,
    }
    for k, (a, gap_abs) in enumerate(zip(analyses, gaps, strict=True)):
        p = a.place
        kind = "topo" if k < n_topo else f"name:{p.span.label_ or 'NAME'}"
        span = p.span
        cue = p.cue
        prep = a.preps[0] if a.preps else "-"
        if prep not in _KNOWN_PREPS:
            prep = "other"
        gap = _gap(span, trigger)
        side = "after" if gap > 0 else ("before" if gap < 0 else "at")
        gb = _bucket(gap_abs, (1, 3, 6, 10, 20))
        dist = _bucket(p.distance, (-1, 0, 1, 2, 3, 4, 6)) if p.distance >= -1 else 0
        rank = sum(1 for v in alive if v > p.score) if p.score > 0 else -1
        prev = doc[span.start - 1].lower_ if span.start > sent.start else "^"
        if prev in ("the", "a") and span.start - 2 >= sent.start:
            prev = doc[span.start - 2].lower_
        nxt = doc[span.end].lower_ if span.end < sent.end else "$"
        root = span.root
        f: dict[str, float] = {
            "bias": 1.0,
            f"cue={cue}": 1.0,
            f"cue={cue}|people={people}": 1.0,
            f"cue={cue}|dist={dist}": 1.0,
            f"cue={cue}|prep={prep}": 1.0,
            f"prep={prep}": 1.0,
            f"prep={prep}|people={people}": 1.0,
            "score": p.score,
            "score2": p.score * p.score / 3.0,
            "margin": (best - p.score) if p.score > 0 else 3.0,
            f"rank={min(rank, 2)}": 1.0,
            f"chosen={int(id(p) in chosen)}": 1.0,
            f"chosen={int(id(p) in chosen)}|alive={n_alive}": 1.0,
            f"up={_bucket(len(a.up) - 1, (-1, 0, 1, 2, 3))}": 1.0,
            f"down={_bucket(len(a.down) - 1, (-1, 0, 1, 2, 3))}": 1.0,
            "upcost": sum(UP_COST.get(t.dep_, 0.0) for t in a.up[:-1]),
            "downcost": sum(DOWN_COST.get(t.dep_, 0.0) for t in a.down[:-1]),
            f"gap={side}{gb}": 1.0,
            f"nearest={int(gap_abs == nearest)}": 1.0,
            f"label={span.label_}": 1.0,
            f"tag={root.tag_}": 1.0,
            f"len={_bucket(len(span), (1, 2, 3))}": 1.0,
            f"container={int(p.container_of is not None)}": 1.0,
            f"contains={int(id(span) in contains)}": 1.0,
            f"ntop={n_top}": 1.0,
            f"nalive={n_alive}": 1.0,
            f"ntop={n_top}|cue={cue}": 1.0,
            f"people={people}": 1.0,
            f"tpos={tpos}": 1.0,
            f"tpos={tpos}|cue={cue}": 1.0,
            "position": (span.start - sent.start) / slen,
            f"prev={prev if prev in _KNOWN_CONTEXT else 'other'}": 1.0,
            f"next={nxt if nxt in _KNOWN_CONTEXT else 'other'}": 1.0,
            f"upper={int(span.text.isupper() and len(span.text) > 3)}": 1.0,
            f"first={int(span.start == sent.start)}": 1.0,
            f"anchor_trigger={int(p.anchor is not None and p.anchor.i == trigger.i)}": 1.0,
            f"verb={verb}": 1.0,
            f"kind={kind}": 1.0,
            f"kind={kind}|cue={cue}": 1.0,
            f"kind={kind}|prep={prep}": 1.0,
        }
        rows.append(f)
    return analyses, rows, none


def score_places(
    sent: Span, trigger: Token, toponyms: Sequence[Span]
) -> list[PlaceScore]:
    """One :class:`PlaceScore` per toponym, in the order given (score 0: not the place)."""
    return [a.place for a in _analyse(sent, trigger, toponyms)]


def _rule_choice(scored: Sequence[PlaceScore]) -> list[PlaceScore]:
    """The rules' choice: the best toponym scoring at least THRESHOLD and those close to it
    with the same cue."""
    ranked = sorted(
        (s for s in scored if s.score >= THRESHOLD),
        key=lambda s: (-s.score, s.distance, s.span.start),
    )
    if not ranked:
        return []
    best = ranked[0]
    return [best] + [
        s for s in ranked[1:] if s.cue == best.cue and s.score >= best.score - TIE
    ]


def _with_containers(chosen: Sequence[Span], scored: Sequence[PlaceScore]) -> list[Span]:
    out: list[Span] = []
    for span in chosen:
        out.append(span)
        inner = span
        for _ in range(len(scored)):
            outer = next((c.span for c in scored if c.container_of == inner), None)
            if outer is None or outer in out:
                break
            out.append(outer)
            inner = outer
    return out


# cues of candidates that are never added beside the best one (the gold marks the most
# specific place: "Shirqat", not its container "Salahuddin province")
_NEVER_SECOND = frozenset(
    "container distance origin actor demonym speech unlinked date".split()
)
# cues the ranker may not overrule: the rules' exclusions of speakers, actors, demonyms
VETO = ("actor", "date", "demonym", "speech")


@dataclass(frozen=True)
class Ranker:
    """The learned ranker: a log-linear model over the candidates of one sentence and the
    answer "no place" (softmax over them), and the rule choosing the places from it.

    The best candidate is chosen if its probability is at least ``margin`` above that of
    "no place"; another one is added if its cue is not an exclusion and either its
    probability is at least ``ratio`` times the best one's, or it attaches the same way as
    the best (same anchor, cue and preposition: "the towns of Nyabibwe and Dutu"). A
    candidate whose rule cue is in ``veto`` is never chosen: speakers' places, actors and
    demonyms ("a spokesman in Baghdad said", "the Kabul government", "Iraqi") stay
    excluded, as the rules have it."""

    weights: dict[str, float]
    ratio: float = 0.5
    margin: float = 0.0
    veto: tuple[str, ...] = VETO
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    def probabilities(
        self, rows: Sequence[dict[str, float]], none: dict[str, float]
    ) -> list[float]:
        """Softmax over the candidates' rows and the "no place" row (last)."""
        w = self.weights
        zs = [sum(w.get(k, 0.0) * v for k, v in f.items()) for f in [*rows, none]]
        top = max(zs)
        exps = [math.exp(z - top) for z in zs]
        total = sum(exps)
        return [e / total for e in exps]

    def choose(self, analyses: Sequence[_Analysis], probs: Sequence[float],
               sent: Span) -> list[int]:
        """Indices of the chosen candidates, best first."""
        none = probs[-1]
        order = sorted(
            (k for k, a in enumerate(analyses)
             if a.place.span.start >= sent.start and a.place.span.end <= sent.end
             and a.place.cue not in self.veto),
            key=lambda k: (-probs[k], analyses[k].place.span.start),
        )
        if not order or probs[order[0]] < none + self.margin:
            return []
        top = analyses[order[0]]

        def key(a: _Analysis) -> tuple[str, int, str]:
            anchor = a.place.anchor.i if a.place.anchor is not None else -1
            return a.place.cue, anchor, a.preps[0] if a.preps else "-"

        chosen = [order[0]]
        for k in order[1:]:
            a = analyses[k]
            if a.place.cue in _NEVER_SECOND:
                continue
            if probs[k] >= self.ratio * probs[order[0]] or key(a) == key(top):
                chosen.append(k)
        return chosen

    def to_json(self) -> dict[str, Any]:
        return {
            "format": RANKER_FORMAT, "version": RANKER_VERSION, "ratio": self.ratio,
            "margin": self.margin, "veto": list(self.veto), "meta": self.meta,
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: Any) -> Ranker:
        if not isinstance(data, dict) or data.get("format") != RANKER_FORMAT:
            raise ValueError("not a rearguard event-location ranker")
        return cls({str(k): float(v) for k, v in data["weights"].items()},
                   float(data["ratio"]), float(data["margin"]),
                   tuple(str(c) for c in data.get("veto", VETO)), dict(data.get("meta") or {}))

    def save(self, path: str | Path) -> None:
        text = json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, indent=0)
        Path(path).write_text(text + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def _load_ranker(path: str) -> Ranker | None:
    try:
        return Ranker.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def get_ranker(path: str | Path | None = None) -> Ranker | None:
    """The ranker at ``path`` (default: the shipped ``rearguard/data/locator.json``),
    loaded once; None if the file is missing or unreadable (then the rules decide)."""
    return _load_ranker(str(Path(path).resolve()) if path is not None else str(RANKER_PATH))


def event_places(
    sent: Span,
    trigger: Token,
    toponyms: Sequence[Span],
    *,
    containers: bool = True,
    names: bool = False,
    ranker: Ranker | bool | None = True,
) -> list[Span]:
    """The toponyms where this event happened, best first (possibly none).

    With the shipped ranker (``ranker=True``, the default; or a :class:`Ranker`) the
    learned model decides over the rules' features; without it (``ranker=False``, or the
    weights file missing) the rules do: the best-scoring toponym and those close to it with
    the same cue. With ``names`` other names of the sentence are candidates too (see
    :func:`name_candidates`: "Manger Square", "the Adiyat School"); they are not toponyms,
    so the caller may not be able to geocode them. With ``containers`` each place is
    followed by the toponyms that contain it ("Shirqat in Salahuddin province" ->
    [Shirqat, Salahuddin province])."""
    model = get_ranker() if ranker is True else (ranker or None)
    if model is None:
        scored = score_places(sent, trigger, toponyms)
        chosen = [s.span for s in _rule_choice(scored)]
    else:
        extra = name_candidates(sent, toponyms) if names else []
        analyses, rows, none = _featurize(sent, trigger, toponyms, extra)
        probs = model.probabilities(rows, none)
        scored = [a.place for a in analyses]
        chosen = [scored[k].span for k in model.choose(analyses, probs, sent)]
    return _with_containers(chosen, scored) if containers else chosen
