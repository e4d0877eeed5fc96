"""The ACLED sub-event type of an incident: the classifier's scores, limited to what the
triggers allow, then ACLED's rules about who acted on whom.

* The classifier (:mod:`rearguard.events.classify`) scores each sentence over the 25
  sub-event types; an event adds up the scores of its sentences.
* Only sub-event types its trigger families allow are considered ("car bomb" can be a
  remote explosive or a suicide bomb, never a protest).
* ACLED's actor rules then apply: "Attack" is violence against civilians, so an attack on
  armed forces is an "Armed clash"; an armed clash whose only other side is civilians is an
  "Attack"; only state forces (or their allies) "regain" territory, and a non-state group
  "overtakes" it only when it holds the place (otherwise the fight is an armed clash).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet

from ..types import Actor
from .mentions import Mention
from .triggers import WEAPON_FAMILIES

ARMED = frozenset({1, 2, 3, 4, 8})

ALLOWED: dict[str, tuple[str, ...]] = {
    "offensive": ("Armed clash", "Government regains territory",
                  "Non-state actor overtakes territory"),
    "battle": ("Armed clash", "Attack", "Government regains territory",
               "Non-state actor overtakes territory"),
    "kill": ("Attack", "Armed clash", "Excessive force against protesters", "Mob violence",
             "Sexual violence"),
    "explosion": ("Remote explosive/landmine/IED", "Suicide bomb", "Air/drone strike",
                  "Shelling/artillery/missile attack", "Grenade", "Disrupted weapons use"),
    "air": ("Air/drone strike",),
    "shelling": ("Shelling/artillery/missile attack", "Air/drone strike"),
    "grenade": ("Grenade",),
    "chemical": ("Chemical weapon",),
    "capture": ("Non-state actor overtakes territory", "Government regains territory",
                "Armed clash", "Abduction/forced disappearance", "Disrupted weapons use",
                "Arrests"),
    "regain": ("Government regains territory", "Armed clash",
               "Non-state actor overtakes territory"),
    "hold": ("Non-state actor overtakes territory", "Government regains territory",
             "Armed clash"),
    "transfer": ("Non-violent transfer of territory",),
    "abduct": ("Abduction/forced disappearance",),
    "arrest": ("Arrests", "Protest with intervention"),
    "protest": ("Peaceful protest", "Protest with intervention",
                "Excessive force against protesters", "Violent demonstration"),
    "riot": ("Violent demonstration", "Mob violence", "Looting/property destruction",
             "Protest with intervention"),
    "destruction": ("Looting/property destruction",),
    "sexual": ("Sexual violence",),
    "agreement": ("Agreement",),
    "weapons": ("Disrupted weapons use",),
    "base": ("Headquarters or base established",),
    "defect": ("Change to group/activity",),
}
DEFAULT_PRIOR = 0.1
# What a family means when the classifier has no opinion among the allowed types.
DEFAULT: dict[str, str] = {family: subs[0] for family, subs in ALLOWED.items()}
# Words of fighting between two sides, as opposed to a one-sided "attack" or "raid".
FIGHTING = re.compile(r"clash|fight|fought|battl|skirmish|exchange|combat|ambush|fire|shoot|"
                      r"shot|gun",
                      re.IGNORECASE)
# Weapons name the type whatever the verb around them ("a car bomb killed 12"):
# WEAPON_FAMILIES, imported from the trigger vocabulary's module.


def decide_type(mentions: Sequence[Mention], agents: Sequence[Actor],
                patients: Sequence[Actor]) -> str:
    families = set().union(*(m.families for m in mentions))
    # The type is what the event's lead sentence says, and weapons there name it: a later
    # "there were grenade explosions" does not make a gun battle a grenade attack.
    lead = next((m for m in mentions if m.specific), mentions[0])
    # ... unless they were seized, found or defused ("seized six rifles, an m-79 grenade
    # launcher"): then they are what was disrupted, not what was used
    weapons = [f for f in WEAPON_FAMILIES if f in lead.families] \
        if lead.trigger.family != "weapons" else []
    if not weapons and (lead.trigger.family == "kill" or (
            lead.trigger.family == "battle" and not FIGHTING.search(lead.trigger.text))):
        # ... but a bare "killed", "an attack" says nothing of how: the weapon another
        # sentence of the incident names does ("the bus was damaged by a car bomb")
        # (a sentence whose own trigger is the weapon, not one listing arms seized)
        weapons = [m.trigger.family for m in mentions
                   if m.trigger.family in WEAPON_FAMILIES][:1]
    head = weapons[0] if weapons else lead.trigger.family
    allowed = set(ALLOWED.get(head, ()))
    # Generic violence words add their types only beside another violence family.
    for family in families:
        if family in ("battle", "kill", "offensive") and head in ("battle", "kill", "offensive",
                                                                    "capture", "regain"):
            allowed.update(ALLOWED[family])
    total: dict[str, float] = {}
    for mention in mentions:
        for sub, score in mention.scores.items():
            total[sub] = total.get(sub, 0.0) + score
    # The family's own meaning is the prior; the classifier must outweigh it.
    prior = DEFAULT_PRIOR * len(mentions)
    sub = max(allowed, key=lambda s: total.get(s, 0.0) + (prior if s == DEFAULT[head] else 0.0)) \
        if allowed else DEFAULT[head]
    words = {t.text.lower() for m in mentions for t in m.triggers}
    return apply_actor_rules(sub, agents, patients, families, words)


INTERVENTION_WORDS = frozenset({"tear gas", "rubber bullets", "arrested", "detained", "dispersed"})


def apply_actor_rules(sub: str, agents: Sequence[Actor], patients: Sequence[Actor],
                      families: set[str], words: AbstractSet[str] = frozenset()) -> str:
    armed_patient = any(a.inter in ARMED for a in patients)
    civilian_patient = any(a.inter == 7 for a in patients)
    agent = agents[0] if agents else None
    if sub == "Peaceful protest" and "riot" in families and not words & INTERVENTION_WORDS:
        return "Violent demonstration"
    if sub == "Peaceful protest" and words & INTERVENTION_WORDS:
        return "Protest with intervention"
    if sub == "Attack" and armed_patient and not civilian_patient:
        return "Armed clash"
    if sub == "Armed clash" and civilian_patient and not armed_patient:
        return "Attack"
    if sub == "Government regains territory" and agent is not None and agent.inter not in (1, 8):
        return "Non-state actor overtakes territory" if agent.inter in (2, 3, 4) else "Armed clash"
    if sub == "Non-state actor overtakes territory" and agent is not None and agent.inter == 1:
        return "Government regains territory"
    if sub == "Non-state actor overtakes territory" and "regain" not in families \
            and "capture" not in families:
        return "Armed clash"
    return sub
