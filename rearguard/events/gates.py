"""What is an event: the gates between violence words and events ACLED would code.

Violence needs an armed side or a weapon that went off; harm with no political side
(accidents, disasters, disease) is not coded; police who only investigate a crime or are
its victims are not a side; arrests must be of note; demonstrations need demonstrators;
agreements need a conflict; seized weapons must be weapons of war.
See docs/events.md, "What is not an event".

The gates weigh what the mentions' sentences say rather than vetoing on one missing field:
an armed side is an actor the alias table knows, or one that the trigger's frame names
("murdered ... by men wearing military uniforms"); demonstrators are protester actors, a
crowd, or a gathering the trigger itself says took place ("a vigil", "set off on a march").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..types import Actor
from .mentions import Mention, not_political
from .triggers import WEAPON_FAMILIES, Trigger

CROWD_WORDS = ("thousands", "hundreds", "dozens", "crowd", "crowds", "people", "students",
               "workers", "residents", "supporters", "activists", "women", "farmers")
# Triggers that say a gathering took place: a demonstration by definition has demonstrators.
# (A frame's trigger is a gathering too: "set off on a march", "lit candles".)
_GATHERING = re.compile(r"vigils?|marched|picketed|picketing|took to the streets", re.I)
# Words of a fight, which takes two armed sides whether or not the text names them ...
_CLASH = re.compile(r"clash|skirmish|gunfight|firefight|gun ?battle|counter[- ]?attack", re.I)
# ... and words of one unless they name what it is a fight against or for: not "the battle
# against terrorism", "fighting for our ideas", "started fighting with" a man at a party.
_FIGHTING = re.compile(r"fighting|battles?", re.I)
_CAUSE = re.compile(r"\s+(?:against|for|to|over|with)\b", re.I)


# People harmed, counted or not: an explosion that harmed people is violence (accidents
# and disasters are out already, :func:`not_political`).
_HARM = re.compile(r"\b(?:casualt(?:y|ies)|killed|kills|wounded|injur(?:ed|ies|ing)|dead|"
                   r"martyrs?|victims|human losses)\b", re.I)


def _a_fight(trigger: Trigger, mention: Mention) -> bool:
    """Whether ``trigger`` names an armed fight: "clashes", "gunfight"; "fighting" or
    "battles" as a noun of their own not followed by what the fight is against or for."""
    if _CLASH.match(trigger.text):
        return True
    if not _FIGHTING.match(trigger.text):
        return False
    token = mention.tokens.get(trigger.start)
    if token is not None and (token.dep_ in ("amod", "compound")
                              or any(c.dep_ == "dobj" for c in token.children)):
        return False  # "Ultimate fighting star", "fighting institutions"
    after = mention.sentence_text[trigger.end - mention.sent_start:]
    return _CAUSE.match(after) is None


# A demonstration said to have happened: "Peaceful protest took place in Batsari town", "the
# long-awaited peaceful protest ... was finally held in Blantyre".
_HELD = re.compile(
    r"\b(?:protests?|demonstrations?|rall(?:y|ies)|marches|march|sit-ins?)\b"
    r"(?: [\w'’(),.-]+){0,12}? (?:(?:was|were|had been|has been|have been) (?:\w+ )?held|"
    r"took place|erupted|broke out|went ahead)\b", re.I)


def codable(mentions: Sequence[Mention], actors: Sequence[Actor], counts: dict) -> bool:
    """Whether the mentions describe political violence, a demonstration or a strategic
    development ACLED would code, rather than disease, disaster, sport or markets:

    * violence needs an armed side (state forces, a rebel, militia or identity group,
      external forces, or one the trigger's frame names), or a weapon that went off ("a car bomb
      exploded", "shelling killed five", "a bomb exploded") — "1,600 birds have died of
      avian flu", "toads exploded" and "Liverpool launched a fierce attack" have neither;
    * a demonstration needs demonstrators: protesters or rioters, a crowd, or a gathering
      ("a vigil", "a march");
    * arrests must be of note (:func:`political_arrest`); an agreement must end or pause a
      conflict; seized weapons must be weapons of war;
    * another strategic development needs an actor.
    """
    group = mentions[0].group
    families = set().union(*(m.families for m in mentions))
    text = " ".join(m.sentence_text for m in mentions)
    armed = [a for a in actors if a.inter in (1, 2, 3, 4, 8)]
    # "murdered by men wearing military uniforms", "guerrillas burned three vehicles": a
    # frame whose name says "armed" names the armed side in its own words
    named_side = any("armed" in t.frame for m in mentions for t in m.triggers)
    if group == "violence" and families <= {"hold", "capture", "regain"} and not any(
            m.trigger.family in ("capture", "regain") for m in mentions):
        return False  # "IS controls Raqqa": a state of affairs, not an incident
    if group == "violence":
        if not armed and any(not_political(m.sentence_text) for m in mentions):
            return False  # "a gas explosion at a restaurant", "died of bird flu"
        if "sexual" in families and not any(a.inter in (1, 2, 3, 4, 8) for a in actors):
            # sexual violence is coded when a conflict actor commits it, state forces
            # included ("security forces raped women and girls fleeing Boko Haram")
            return False
        if armed and all(a.name.startswith("Police Forces") for a in armed) and not any(
                ar.role == "agent" and ar.actor.name.startswith("Police Forces")
                for m in mentions for ar in m.actors) and not families & set(WEAPON_FAMILIES) \
                and not named_side and not _police_attacked(mentions):
            return False  # police only as victims of a crime or as investigators
        if armed and all(a.name.startswith("Police Forces") for a in armed) \
                and _CRIME.search(text) and not _POLITICAL.search(text) \
                and not families & set(WEAPON_FAMILIES):
            return False  # police enforcing the law: "raided a house ... on drug charges"
        if armed or named_side:
            return True
        if any(t.family == "battle" and _a_fight(t, m) for m in mentions for t in m.triggers):
            return True  # "Clashes continue on many fronts of Aleppo": two armed sides
        if families & {"air", "shelling", "grenade"}:
            return True
        weapons = any(m.weapons for m in mentions)
        if families & {"explosion", "chemical"} and (
                counts or weapons or any(_HARM.search(m.sentence_text) for m in mentions)):
            # "a bomb exploded in Yunguyo", "casualties in an explosion at the countryside
            # of Idlib"; not "toads exploded"
            return True
        return False
    if group == "demonstration":
        if any(a.inter in (5, 6) for a in actors):
            return True
        if any(t.framed or _GATHERING.fullmatch(t.text)
               for m in mentions for t in m.triggers if t.family == "protest"):
            return True
        if any(_HELD.search(m.sentence_text) for m in mentions):
            return True
        return any(word in m.sentence_text.lower().split() for m in mentions
                   for word in CROWD_WORDS)
    if "arrest" in families and not families & {"weapons", "agreement", "base", "transfer"}:
        return political_arrest(mentions, actors)
    if "agreement" in families:
        return bool(actors) and (bool(_CONFLICT.search(text))
                                 or any(a.inter in (2, 3, 4) for a in actors))
    if "weapons" in families:  # "police found a pistol" is the police blotter
        return bool(actors) and (bool(_ORDNANCE.search(text))
                                 or any(a.inter in (2, 3, 4) for a in actors))
    return bool(actors)


def _police_attacked(mentions: Sequence[Mention]) -> bool:
    """"A national police post was raided and attacked", "gunmen ambushed a police patrol":
    the police are the target of an assault (a battle word, not a police raid), by a side
    the report does not name."""
    return any(t.family == "battle" and not t.weak and not _RAID.match(t.text)
               for m in mentions for t in m.triggers) and any(
        ar.role == "patient" and ar.actor.name.startswith("Police Forces")
        for m in mentions for ar in m.actors)


def political_arrest(mentions: Sequence[Mention], actors: Sequence[Actor]) -> bool:
    """ACLED codes arrests of note: of members of armed or political groups, protesters,
    journalists, activists, or many people at once; not the police blotter ("arrested a
    33-year-old man on a charge of burglary")."""
    text = " ".join(m.sentence_text for m in mentions)
    if _GRAFT.search(text) and not _PROTEST.search(text):
        return False  # "arrested on suspicion of corruption": the courts, not conflict
    # "arrested two suspects in this attack": the arrest follows political violence (but a
    # raid that arrests two men on drug charges is the police blotter, and a police raid
    # is no violence of itself)
    violence = any(t.family in ("battle", "explosion", "air", "shelling", "grenade",
                                "chemical") and not _RAID.match(t.text)
                   for m in mentions for t in m.triggers) \
        or bool(_VIOLENCE.search(text))  # "in this attack", told before
    # an army that arrests is at war or occupying ("Israeli occupation forces arrested
    # more than 100 Palestinians during raids"): not the police blotter
    military = any(ar.role == "agent" and ar.actor.name.startswith("Military Forces")
                   for m in mentions for ar in m.actors)
    political = _POLITICAL.search(text) or ((violence or military) and not _CRIME.search(text))
    if _CRIME.search(text) and not political:
        return False
    if any(a.inter in (2, 3, 4, 5, 6) for a in actors):
        return True
    if political:
        return True
    return any(c.kind == "captured" and c.value >= 10 for m in mentions for c in m.counts)


_GRAFT = re.compile(r"\b(?:corruption|bribery|bribes?|embezzl\w*|money[- ]laundering|"
                    r"tax evasion|kickbacks?)\b", re.I)
_PROTEST = re.compile(r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ies)|march\w*)\b", re.I)
_RAID = re.compile(r"(?:police )?raid", re.I)
_VIOLENCE = re.compile(
    r"\b(?:this|that|these|those) (?:\w+ )?"
    r"(?:attacks?|bombings?|blasts?|explosions?|ambush(?:es)?|massacres?|assassinations?)\b",
    re.I)
_CRIME = re.compile(
    r"\b(?:charged? with|charges?|theft|burglar(?:y|ies)|robber(?:y|ies)|drugs?|narcotics|"
    r"fraud|dui|drunk|stealing|stolen|murder charge|shoplifting|trafficking|warrant|"
    r"assault of a child|sexual assault|rapist|domestic)\b", re.I,
)
_POLITICAL = re.compile(
    r"\b(?:opposition|activists?|journalists?|protesters?|demonstrators?|militants?|rebels?|"
    r"insurgents?|terror(?:ism|ist|ists)?|jihadists?|dissidents?|separatists?|politicians?|"
    r"party (?:members?|leaders?|officials?)|lawmakers?|extremists?|coup|guerrillas?|"
    r"suspected (?:members?|militants?|fighters?))\b", re.I,
)
# An agreement ACLED codes ends, pauses or manages a conflict: not a trade deal or a lease.
_CONFLICT = re.compile(
    r"\b(?:cease-?fire|truce|peace|armistice|evacuat\w+|surrender\w*|prisoners?|detainees|"
    r"hostages|captives|rebels?|insurgents?|militants?|guerrillas?|militias?|fighters|"
    r"armed (?:groups?|forces)|troops|war|conflict|hostilities|fighting|besieged|siege|"
    r"disarm\w*|demobili[sz]\w*)\b", re.I,
)
# Weapons of war, as ACLED's "Disrupted weapons use" means them.
_ORDNANCE = re.compile(
    r"\b(?:explosives?|dynamite|gelignite|tnt|semtex|c-?4|detonators?|grenades?|mines?|"
    r"landmines?|ieds?|bombs?|rockets?|missiles?|mortars?|artillery|munitions?|"
    r"ammunitions?|arms (?:cache|depot|haul)s?|caches?|stockpiles?)\b", re.I,
)
