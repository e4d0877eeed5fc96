"""What is an event: the gates between violence words and events ACLED would code.

Violence needs an armed side or a weapon that went off; harm with no political side
(accidents, disasters, disease) is not coded; police who only investigate a crime or are
its victims are not a side; arrests must be of note; demonstrations need demonstrators.
See docs/events.md, "What is not an event".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..types import Actor
from .acled_type import WEAPON_FAMILIES
from .mentions import Mention, not_political

CROWD_WORDS = ("thousands", "hundreds", "dozens", "crowd", "crowds", "people", "students",
               "workers", "residents", "supporters", "activists", "women", "farmers")


def codable(mentions: Sequence[Mention], actors: Sequence[Actor], counts: dict) -> bool:
    """Whether the mentions describe political violence, a demonstration or a strategic
    development ACLED would code, rather than disease, disaster, sport or markets:

    * violence needs an armed side (state forces, a rebel, militia or identity group,
      external forces), or a weapon that went off ("a car bomb exploded", "shelling killed
      five", "a bomb exploded") — "1,600 birds have died of avian flu", "toads exploded"
      and "Liverpool launched a fierce attack" have neither;
    * a demonstration needs demonstrators: protesters or rioters, or a crowd;
    * a strategic development needs an actor.
    """
    group = mentions[0].group
    families = set().union(*(m.families for m in mentions))
    armed = [a for a in actors if a.inter in (1, 2, 3, 4, 8)]
    if group == "violence" and families <= {"hold", "capture", "regain"} and not any(
            m.trigger.family in ("capture", "regain") for m in mentions):
        return False  # "IS controls Raqqa": a state of affairs, not an incident
    if group == "violence":
        if not armed and any(not_political(m.sentence_text) for m in mentions):
            return False  # "a gas explosion at a restaurant", "died of bird flu"
        if "sexual" in families and not any(a.inter in (2, 3, 4, 8) for a in actors):
            return False  # sexual violence is coded when a conflict actor commits it
        if armed and all(a.name.startswith("Police Forces") for a in armed) and not any(
                ar.role == "agent" and ar.actor.name.startswith("Police Forces")
                for m in mentions for ar in m.actors) and not families & set(WEAPON_FAMILIES):
            return False  # police only as victims of a crime or as investigators
        if armed:
            return True
        if families & {"air", "shelling", "grenade"}:
            return True
        weapons = any(m.weapons for m in mentions)
        if families & {"explosion", "chemical"} and (counts or weapons):
            return True  # "a bomb exploded in Yunguyo"; not "toads exploded"
        return False
    if group == "demonstration":
        if any(a.inter in (5, 6) for a in actors):
            return True
        return any(word in m.sentence_text.lower().split() for m in mentions
                   for word in CROWD_WORDS)
    if families & {"arrest"} and families <= {"arrest", "kill", "destruction"}:
        return political_arrest(mentions, actors)
    return bool(actors)


def political_arrest(mentions: Sequence[Mention], actors: Sequence[Actor]) -> bool:
    """ACLED codes arrests of note: of members of armed or political groups, protesters,
    journalists, activists, or many people at once; not the police blotter ("arrested a
    33-year-old man on a charge of burglary")."""
    text = " ".join(m.sentence_text for m in mentions)
    if _CRIME.search(text) and not _POLITICAL.search(text):
        return False
    if any(a.inter in (2, 3, 4, 5, 6) for a in actors):
        return True
    if _POLITICAL.search(text):
        return True
    return any(c.kind == "captured" and c.value >= 10 for m in mentions for c in m.counts)


_CRIME = re.compile(
    r"\b(?:charged? with|charges?|theft|burglar(?:y|ies)|robber(?:y|ies)|drugs?|narcotics|"
    r"fraud|dui|drunk|stealing|stolen|murder charge|shoplifting|trafficking|warrant|"
    r"assault of a child|sexual assault|rapist|domestic)\b", re.I,
)
_POLITICAL = re.compile(
    r"\b(?:opposition|activists?|journalists?|protesters?|demonstrators?|militants?|rebels?|"
    r"insurgents?|terror(?:ism|ist|ists)?|jihadists?|dissidents?|separatists?|politicians?|"
    r"party (?:members?|leaders?|officials?)|lawmakers?|extremists?|coup|"
    r"suspected (?:members?|militants?|fighters?))\b", re.I,
)
