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
    "expected meant due suggest suggests suggested propose proposes proposed urge urges "
    "urged demand demands demanded ask asks asked allow allows allowing tasked mandated "
    "charged".split()
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


# The role of an actor that responded to or investigated the incident: no side of it.
RESPONDER = "responder"


@dataclass
class ActorRole:
    """An actor of a mention and the side it is on: 'agent' acted, 'patient' was acted on,
    'responder' only responded to or investigated it (police searching for the bomber; no
    side, but evidence that the state was involved); ``head`` is True when it is linked to
    the mention's head trigger."""

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
    if token.dep_ == "compound" and token.head.lower_ in NO_INCIDENT_HEADS:
        return False  # "the bomb squad has responded", "a bomb threat", "air-raid shelters"
    ancestor = token
    for _ in range(3):
        if ancestor.head.i == ancestor.i or ancestor.dep_ in ("relcl", "acl"):
            # a relative clause states its own fact: "demanded the release of peasants
            # who were captured on 27 January, and X captured on 2 February" (both
            # captures happened)
            break
        ancestor = ancestor.head
        if ancestor.lemma_.lower() in INTENT_HEADS or ancestor.lower_ in INTENT_HEADS:
            if ancestor.lower_ == "due" and ancestor.dep_ == "prep":
                break  # "casualties due to the fall of shells": a cause, not a schedule
            return False
        if token.pos_ in ("NOUN", "PROPN") and ancestor.lower_ in TRADE_HEADS:
            return False  # "selling $1.3 billion in artillery to Saudi Arabia": arms trade
    return True


# Verbs of trade, under which a weapon noun is merchandise, not a weapon used.
TRADE_HEADS = frozenset(
    "sell sells selling sold buy buys buying bought purchase purchases purchasing purchased "
    "export exports exporting exported import imports importing imported procure procuring "
    "procured manufacture manufactures manufacturing manufactured".split()
)


# Heads under which "to X" is an outcome or an ongoing act, not an intention: "managed to
# take it back", "continued to shell the suburbs".
SUCCESS_HEADS = frozenset(
    "manage managed manages succeed succeeded succeeds able went proceeded continue "
    "continued continues continuing kept keep began begin begins started start resumed".split()
)
VERB_ONLY = frozenset({"shot", "fought", "stormed", "seized", "raided", "burned", "burnt"})
# Nouns that a trigger word modifies without naming an incident: those who deal with bombs,
# threats and hoaxes of them, shelters from them.
NO_INCIDENT_HEADS = frozenset(
    """squad squads unit threat threats scare scares hoax hoaxes disposal expert experts
    technician technicians shelter shelters detector detectors dog dogs sniffer
    drill drills""".split()
)
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


# Plural nouns that name one fight rather than many incidents.
FIGHT_PLURALS = frozenset({"clashes", "skirmishes", "gunfights", "firefights", "hostilities"})


# Plural triggers that name who acted (aircraft, gunmen, bombers), not a series of incidents.
_AGENT_PLURAL = re.compile(r"(?:planes|men|bombers|copters|drones|jets|gunships)$")


# Verbs of harm whose agent is the incident itself: "killed by airstrikes".
_HARMED = frozenset("killed wounded injured hurt destroyed damaged hit struck targeted".split())
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def _names_place(noun: Token) -> bool:
    """Whether a noun phrase's head names a place: it is one ("Anjarh"), or its compound
    or "of" names one ("Khan Shaykhun city", "the eastern countryside of Hama") -- not a
    kind of target somewhere ("Shia mosques in Iraq")."""
    if noun.ent_type_ in _PLACE_LABELS:
        return True
    for child in noun.children:
        if child.dep_ == "compound" and child.ent_type_ in _PLACE_LABELS:
            return True
        if child.dep_ == "prep" and child.lower_ == "of":
            return any(obj.ent_type_ in _PLACE_LABELS for obj in child.children
                       if obj.dep_ == "pobj")
    return False


def is_generic_plural(token: Token, trigger_text: str) -> bool:
    """'Daesh attacks' in a headline or 'launch devastating attacks across the country':
    a plural noun trigger with no number, article or possessive names no single incident."""
    if token.pos_ not in ("NOUN", "PROPN") or token.tag_ not in ("NNS", "NNPS"):
        return False
    if token.lower_ in FIGHT_PLURALS:
        return False  # "clashes in the countryside of Hama" are one fight, however long
    if _AGENT_PLURAL.search(token.lower_):
        return False  # "a massacre carried out by warplanes": who did it, not many incidents
    for child in token.children:
        if child.dep_ in ("nummod", "poss") or child.lower_ in ("the", "these", "those", "both"):
            return False
    if any(child.dep_ == "prep" and child.lower_ == "on"
           and any(_names_place(obj) for obj in child.children if obj.dep_ == "pobj")
           for child in token.children):
        # "casualties in raids on the city of Idlib": incidents at one place ("on" only:
        # "attacks against Salvadorans" aim at a people)
        return False
    if token.dep_ == "pobj" and token.head.lower_ == "by" and token.head.dep_ == "agent" \
            and token.head.head.lower_ in _HARMED:
        # "65 killed or wounded by airstrikes": the strikes that harmed them (not "forces
        # backed by US air strikes")
        return False
    subject = token.head if token.dep_ == "conj" else token
    if subject.dep_ in ("nsubj", "nsubjpass") and subject.head.pos_ in ("VERB", "AUX"):
        # the subject of what happened: "Taliban gunmen and suicide bombers attacked Camp
        # Shorabak", "Gun attacks in and near Karak have left seven people dead"
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


def actor_role(actor_token: Token, trigger: Token, actor_start: int, trigger_start: int,
               family: str | None = None) -> str:
    """'agent' or 'patient': the learned role model over the parse, with the hand rule as
    one of its features (:mod:`rearguard.events.roles`); ``family``: the trigger's."""
    return decide_role(actor_token, trigger, actor_start, trigger_start, family)


# Verbs of those who respond to, investigate or comment on an incident rather than take part
# in it: "Police in Lyon were searching for a man believed to be responsible for a blast",
# "French police are hunting a suspect", "the bomb squad has responded", "the police also
# blamed the Communist Party". Surface forms (the pipeline has no lemmatizer).
RESPONSE_VERBS = frozenset(
    """investigate investigates investigated investigating probe probes probed probing
    search searches searched searching hunt hunts hunted hunting respond responds responded
    responding arrive arrives arrived arriving rush rushes rushed rushing cordon cordons
    cordoned cordoning defuse defuses defused defusing evacuate evacuates evacuated
    evacuating seal seals sealed sealing blame blames blamed blaming suspect suspects
    suspected suspecting treat treats treated treating rescue rescues rescued rescuing
    examine examines examined examining inspect inspects inspected inspecting identify
    identifies identified identifying look looks looked looking seek seeks sought seeking
    question questions questioned questioning interrogate interrogated interrogating pursue
    pursues pursued pursuing chase chases chased chasing track tracks tracked tracking trace
    traces traced tracing comb combs combed combing scour scours scoured scouring recover
    recovers recovered recovering condemn condemns condemned condemning denounce denounces
    denounced denouncing deploy deploys deployed deploying secure secures secured securing
    guard guards guarded guarding monitor monitors monitored monitoring collect collected
    collecting gather gathered gathering close closed closing cordoned-off see seen saw
    watch watched watching""".split()
)
# Nouns that make their verb a response: "launched an investigation into the attack".
RESPONSE_NOUNS = frozenset(
    "investigation investigations probe probes inquiry inquiries enquiry manhunt search "
    "hunt cordon cordons".split()
)
# Prepositions and conjunctions that set an incident beside the clause's own news: "UDA
# patrols were seen on the streets only four hours after the bombing".
TIME_WORDS = frozenset("after before following ahead".split())
# What an armed group's possessive may qualify and still be a side: its fighters, units or
# leaders ("the IRA's Belfast brigade", "Daesh's fighters"), not "Daesh's grip".
ARMED_NOUNS = frozenset(
    """forces troops soldiers fighters militants militiamen militia militias members gunmen
    guerrillas jihadists insurgents rebels group personnel units paramilitaries operatives
    loyalists mercenaries elements cell cells brigade brigades battalion battalions column
    columns patrol patrols commander commanders leader leaders chief bombers bomber
    gunman men wing army unit""".split()
)


def possessive_only(actor: Token, trigger_ids: frozenset[int]) -> bool:
    """True for an actor named only as the owner of something that is neither an event nor
    an armed unit: "Mosul, Daesh's last major urban stronghold", "Daesh's grip"."""
    return actor.dep_ == "poss" and actor.head.i not in trigger_ids \
        and actor.head.lower_ not in ARMED_NOUNS
_NOUN_LINKS = frozenset("compound amod poss appos conj nmod nummod det quantmod".split())


def not_a_side(actor: Token, trigger: Token, trigger_ids: frozenset[int]) -> bool:
    """True when ``actor`` (the root token of an actor's phrase) is the subject of a verb
    that is not an event word of the sentence and that only responds to the event named by
    ``trigger`` (investigates it, searches, arrives, blames) or sets it in a time clause
    ("seen on the streets after the bombing"): such an actor is no side of the event.
    ``trigger_ids`` are the token indices of every trigger head of the sentence."""
    node = actor
    for _ in range(6):
        if node.dep_ in ("nsubj", "nsubjpass"):
            break
        if node.dep_ in _NOUN_LINKS or (node.dep_ == "pobj" and node.head.lower_ == "of"):
            node = node.head
            continue
        if node.dep_ == "prep" and node.lower_ == "of":
            node = node.head
            continue
        return False
    else:
        return False
    verb = node.head
    if verb.i in trigger_ids or verb.i == trigger.i:
        return False
    path = _path_up(trigger, verb)
    if path is None:
        return False
    if verb.lower_ in RESPONSE_VERBS or any(
            c.dep_ == "dobj" and c.lower_ in RESPONSE_NOUNS for c in verb.children):
        # "troops arrived and clashed with them": an act of the subject's own
        verbal = trigger.pos_ in ("VERB", "AUX") and all(
            t.dep_ in ("conj", "xcomp", "advcl") for t in path)
        return not verbal
    # "a man wanted in connection with the explosion"
    if any(t.lower_ == "connection" for t in path):
        return True
    return any((t.dep_ == "prep" and t.lower_ in TIME_WORDS) or (
        t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in TIME_WORDS
                                  for c in t.children)) for t in [trigger, *path])


def _path_up(token: Token, ancestor: Token) -> list[Token] | None:
    """The tokens from ``token``'s head up to (not including) ``ancestor``; None when
    ``ancestor`` does not govern ``token``."""
    path: list[Token] = []
    node = token
    for _ in range(12):
        if node.head.i == node.i:
            return None
        if node.head.i == ancestor.i:
            return path
        node = node.head
        path.append(node)
    return None


# Verbs that attribute an incident to its author: "the attack is widely believed to have
# been carried out by the armed Basque separatist group ETA", "an attack claimed by IS".
AUTHOR_VERBS = frozenset(
    """carried conducted perpetrated committed staged launched orchestrated masterminded
    planned organised organized claimed executed mounted plotted""".split()
)
# Nouns and verbs that name the author of an incident: "the attack bore the hallmarks of
# Boko Haram", "blamed on the PKK", "attributed to the Taliban".
_AUTHOR_OF = frozenset("hallmarks hallmark signature work responsibility".split())
_BLAMED_ON = frozenset("blamed attributed ascribed".split())


# Nouns of an attack whose "by" names its author: "airstrikes by the International
# Coalition's warplanes", "a massacre by warplanes", "shelling by the factions".
ATTACK_NOUNS = frozenset(
    """attack attacks airstrike airstrikes strike strikes raid raids bombing bombings
    bombardment bombardments shelling massacre massacres ambush assault shooting
    targeting""".split()
)


def attributed(actor: Token) -> bool:
    """True when the phrase rooted at ``actor`` is named as the author of an incident
    outside the trigger's own clause: the agent of "carried out by", "the hallmarks of X",
    "blamed on X", "attributed to X", and the "by" of an attack noun ("raids by the
    coalition")."""
    node = actor
    for _ in range(4):
        if node.dep_ in _NOUN_LINKS:
            node = node.head
        elif node.dep_ == "pobj" and node.head.lower_ == "of" \
                and node.head.head.lower_ in ARMED_NOUNS:
            node = node.head.head  # "members of the Colombian national liberation army"
        else:
            break
    if node.dep_ != "pobj":
        return False
    prep = node.head
    head = prep.head
    word = prep.lower_
    if word == "by" and prep.dep_ in ("agent", "prep"):
        # "6 casualties in airstrikes by the coalition's warplanes": the harm's author
        return head.lower_ in AUTHOR_VERBS or head.lower_ in ATTACK_NOUNS \
            or head.lower_ in VICTIM_NOUNS or any(
            c.dep_ == "prt" and head.lower_ in ("carried",) for c in head.children)
    if word == "of":
        return head.lower_ in _AUTHOR_OF
    if word in ("on", "to"):
        return head.lower_ in _BLAMED_ON
    return False


# Nouns for those harmed: an actor counted among them was acted on ("at least 18
# casualties, among both soldiers and civilians", "the dead included three policemen").
VICTIM_NOUNS = frozenset(
    """casualties casualty victims victim dead deaths wounded injured fatalities toll
    bodies hostages captives killed""".split()
)


def among_victims(actor: Token) -> bool:
    """True when the phrase rooted at ``actor`` is counted among the harmed: "casualties
    among soldiers and civilians", "victims of the police", "the dead included soldiers"."""
    node = actor
    for _ in range(3):
        if node.dep_ in ("conj", "appos", "compound", "amod"):
            node = node.head
        else:
            break
    if node.dep_ == "pobj" and node.head.lower_ in ("among", "including"):
        return node.head.head.lower_ in VICTIM_NOUNS
    if node.dep_ == "dobj" and node.head.lower_ in ("included", "include", "includes"):
        return any(c.dep_ == "nsubj" and c.lower_ in VICTIM_NOUNS for c in node.head.children)
    return False
