"""Which toponyms of a sentence are the place where a given event happened.

Pure rules over the spaCy dependency parse (no extra model), so the extractor can call it for
every event sentence. Each toponym is first *anchored*: we climb from the name to the point
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

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

__all__ = ["PlaceScore", "event_places", "score_places"]

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
    span: Span, owner_of: dict[int, Span]
) -> tuple[Token | None, str, Span | None]:
    """Climb from the toponym to where its phrase attaches: ``(anchor, cue, container_of)``.

    For an excluded toponym the anchor is None and the cue the reason. The anchor is the
    token the phrase hangs from (a preposition's head, or the verb of an argument).
    ``owner_of`` maps token indices to the toponym covering them: a toponym whose phrase
    hangs from another toponym ("Shirqat in Salahuddin", "Makhmur district, northern Iraq")
    is that one's container."""
    a = span.root
    cue = ""

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
    while i >= 0 and doc[i].lower_ in ("the", "a"):
        i -= 1
    if i < 1:
        return None
    link = doc[i].lower_
    if link not in ("in", ",", "(", "of"):
        return None
    if link == "," and not (
        span.root.dep_ == "appos"
        or span[-1].lower_ in PLACE_NOUNS
        or span.end == len(doc)
        or doc[span.end].is_punct and doc[span.end].lower_ not in ("and",)
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


def score_places(
    sent: Span, trigger: Token, toponyms: Sequence[Span]
) -> list[PlaceScore]:
    """One :class:`PlaceScore` per toponym, in the order given (score 0: not the place)."""
    in_sent = [t for t in toponyms if t.start >= sent.start and t.end <= sent.end]
    owner_of = {i: t for t in in_sent for i in range(t.start, t.end)}
    scores: list[PlaceScore] = []
    for span in toponyms:
        if span not in in_sent:
            scores.append(PlaceScore(span, 0.0, "unlinked"))
            continue
        if span.text.lower() in MONTH_ABBREVIATIONS:
            scores.append(PlaceScore(span, 0.0, "date"))
            continue
        if _is_demonym(span):
            scores.append(PlaceScore(span, 0.0, "demonym"))
            continue
        anchor, cue, container = _anchor(span, owner_of)
        if container is None:
            container = _container_of(span, in_sent)
            if container is not None:
                anchor, cue = None, "container"
        if anchor is None:
            scores.append(PlaceScore(span, 0.0, cue, container_of=container))
            continue
        if anchor.i in range(span.start, span.end):
            anchor = span.root
        path = _path(trigger, anchor)
        if path is None:
            scores.append(PlaceScore(span, 0.0, "unlinked", anchor=anchor))
            continue
        up, down = path
        if _speech_frame(up, down) and up[-1].i != trigger.i:
            scores.append(PlaceScore(span, 0.0, "speech", anchor=anchor))
            continue
        distance = (len(up) - 1) + (len(down) - 1)
        score = BASE[cue] - EDGE_COST * distance
        score -= sum(UP_COST.get(t.dep_, 0.0) for t in up[:-1])
        score -= sum(DOWN_COST.get(t.dep_, 0.0) for t in down[:-1])
        scores.append(PlaceScore(span, round(max(score, 0.0), 3), cue, distance, anchor))
    return scores


def event_places(
    sent: Span,
    trigger: Token,
    toponyms: Sequence[Span],
    *,
    containers: bool = True,
) -> list[Span]:
    """The toponyms where this event happened, best first (possibly none).

    Keeps the best-scoring toponym and those close to it with the same cue (coordinated
    names, "in Yala ... and in Pattani"); with ``containers`` each is followed by the
    toponyms that contain it ("Shirqat in Salahuddin province" -> [Shirqat, Salahuddin
    province])."""
    scored = score_places(sent, trigger, toponyms)
    ranked = sorted(
        (s for s in scored if s.score >= THRESHOLD),
        key=lambda s: (-s.score, s.distance, s.span.start),
    )
    if not ranked:
        return []
    best = ranked[0]
    chosen = [best] + [
        s for s in ranked[1:] if s.cue == best.cue and s.score >= best.score - TIE
    ]
    out: list[Span] = []
    for s in chosen:
        out.append(s.span)
        if not containers:
            continue
        inner = s.span
        for _ in range(len(scored)):
            outer = next((c.span for c in scored if c.container_of == inner), None)
            if outer is None or outer in out:
                break
            out.append(outer)
            inner = outer
    return out
