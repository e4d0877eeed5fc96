"""The weapons and physical targets of an incident, as evidence for analysts.

ACLED has no weapon or target column, but its sub-event types hang on them ("car bomb",
"grenade", "police station torched"), and so do MUC-style evaluations. The extractor keeps
them as ``weapon`` and ``target`` evidence: verbatim phrases of the event's sentences.

* Weapons: one expression over raw text (with up to two number or adjective words before
  the weapon noun: "four powerful rockets", "a car bomb").
* Targets: the object of a violent trigger ("torched a police station", "the plant was
  bombed", "an attack on the embassy") when its head noun is a building, vehicle or
  installation rather than people or a named place.
"""

from __future__ import annotations

import re

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

_WEAPON_NOUNS = (
    r"car[- ]bombs?|truck[- ]bombs?|roadside bombs?|suicide (?:vests?|belts?)|barrel bombs?|"
    r"bombs?|explosive devices?|improvised explosive devices?|ieds?|explosives?|dynamite|"
    r"landmines?|land mines?|mines?|grenades?|rocket launchers?|rocket-propelled grenades?|"
    r"rpgs?|rockets?|mortars?(?: (?:rounds?|shells?|bombs?))?|missiles?|artillery(?: shells?)?|"
    r"shells?|rifles?|assault rifles?|machine-?guns?|sub-?machine-?guns?|firearms?|guns?|"
    r"pistols?|handguns?|revolvers?|ak-47s?|kalashnikovs?|knives|knife|machetes?|"
    r"chlorine(?: gas)?|sarin|mustard gas|toxic gas|nerve agents?|drones?"
)
_MODIFIER = r"(?:(?:a|an|the|two|three|four|five|six|several|\d+|powerful|high-powered|" \
            r"homemade|home-made|crude|heavy|automatic|improvised|large|small|booby-trapped)\s+)"
WEAPON = re.compile(rf"(?<![\w-])(?:{_MODIFIER}{{0,2}})(?:{_WEAPON_NOUNS})(?![\w-])", re.I)

THINGS = frozenset(
    """station stations building buildings headquarters office offices embassy consulate
    plant factory bank banks bridge bridges pylon pylons tower towers vehicle vehicles bus
    buses car cars truck trucks market marketplace school schools hospital clinic church
    churches mosque mosques temple checkpoint checkpoints base barracks post outpost residence
    house houses home homes convoy pipeline pipelines facility facilities installation
    installations store stores shop shops hotel airport court courthouse ministry camp
    compound compounds warehouse depot refinery substation line lines airliner aircraft
    helicopter plane train tanker ship vessel offices premises property properties
    headquarter seat palace parliament prison jail dam well wells power""".split()
)
VIOLENT_OBJECT_DEPS = ("dobj", "nsubjpass")
TARGET_PREPS = frozenset({"on", "against", "at", "near", "outside", "inside"})


def find_weapons(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Character spans of weapon phrases in ``text[start:end]``."""
    return [(m.start(), m.end()) for m in WEAPON.finditer(text, start, end)]


def target_phrase(trigger: Token) -> Token | None:
    """The head noun of the physical target of ``trigger``, if it has one."""
    candidates = [c for c in trigger.children if c.dep_ in VIOLENT_OBJECT_DEPS]
    for prep in trigger.children:
        if prep.dep_ == "prep" and prep.lower_ in TARGET_PREPS:
            candidates += [c for c in prep.children if c.dep_ == "pobj"]
    for noun in candidates:
        if noun.lower_ in THINGS and not noun.ent_type_:
            return noun
    return None


def phrase_span(noun: Token, sent: SpacySpan) -> tuple[int, int]:
    """Document character span of the noun phrase headed by ``noun`` (its left modifiers
    and a following "of ..." phrase, at most eight tokens)."""
    left = noun.left_edge.i
    right = noun.i
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            right = child.right_edge.i
    left = max(left, right - 7, sent.start)
    doc = noun.doc
    return doc[left].idx, doc[right].idx + len(doc[right].text)


VICTIM_PREPS = frozenset({"of", "on", "against"})


def victim_span(trigger: Token) -> tuple[int, int] | None:
    """The named person an attack, killing or abduction was aimed at ("the murder of
    Colonel Waldemar Franklin Quintero", "gunmen shot the mayor, Ana Diaz"): the PERSON
    entity in the trigger's object, as document character offsets."""
    nouns = [c for c in trigger.children if c.dep_ in VIOLENT_OBJECT_DEPS]
    for prep in trigger.children:
        if prep.dep_ == "prep" and prep.lower_ in VICTIM_PREPS:
            nouns += [c for c in prep.children if c.dep_ == "pobj"]
    for noun in nouns:
        for token in noun.subtree:
            if token.ent_type_ == "PERSON" and token.ent_iob_ == "B":
                ent = next(e for e in token.doc.ents if e.start == token.i)
                start, end = _whole_name(token.doc, ent.start, ent.end)
                doc = token.doc
                return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    for noun in nouns:
        name = _untagged_name(noun)
        if name is not None:
            return name
    return None


def _untagged_name(noun: Token) -> tuple[int, int] | None:
    """A proper name of two to four words the tagger gave no entity, as wire transcripts
    write them in lower case ("the assassination of bernardo jaramillo ossa")."""
    if noun.tag_ != "NNP" or noun.ent_type_ or not noun.is_alpha:
        return None
    parts = [c for c in noun.lefts if c.dep_ == "compound"]
    words = [*parts, noun]
    if not 2 <= len(words) <= 4 or words[-1].i - words[0].i != len(words) - 1:
        return None
    if any(w.tag_ != "NNP" or w.ent_type_ or not w.is_alpha or w.lower_ in TITLES
           for w in words):
        return None
    return words[0].idx, noun.idx + len(noun.text)


# Words before a name that are a title, not part of it ("Colonel Roberto Rivera").
TITLES = frozenset(
    """mr mrs ms miss dr doctor president vice-president senator deputy congressman mayor
    governor judge justice attorney colonel col general gen lieutenant lt captain capt major
    maj sergeant sgt commander admiral father monsignor msgr bishop archbishop cardinal
    reverend rev professor prof ambassador consul minister director editor chief leader
    sister brother policeman patrolman officer agent soldier private corporal guard
    engineer lawyer""".split()
)


def _whole_name(doc, start: int, end: int) -> tuple[int, int]:
    """A PERSON entity grown over the proper nouns of its own noun phrase that the tagger
    left out: "Jose Antonio [Rodriguez Porth]", "[victor] manuel vasquez", "Roberto Armando
    Rivera [escobar]" (names are often lower case in wire transcripts); never over a title."""
    while end < len(doc) and doc[end - 1].dep_ == "compound" and doc[end - 1].head.i >= end \
            and doc[end].is_alpha and doc[end].tag_ in ("NNP", "NNPS", "NN") \
            and doc[end].lower_ not in TITLES:
        end += 1
    while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i >= start \
            and doc[start - 1].is_alpha and doc[start - 1].tag_ == "NNP" \
            and doc[start - 1].lower_ not in TITLES:
        start -= 1
    return start, end
