"""Who did it to whom: a learned decision between the acting side and the side acted on.

:func:`role_features` describes an actor's phrase against the trigger it belongs to, from
the dependency parse: the relation by which the phrase hangs under the trigger ("nsubj",
"dobj", "prep=by", "prep=against" ...), the chain of relations on the way, the trigger's
voice and tag, the trigger's family against that relation ("battle|prep=between"), word
order, the phrase's entity label, and the hand rule's own answer (:func:`rule_role`) as
one feature among them. When the trigger is not among the phrase's ancestors ("that
attack was attributed to the drug mafias"), the frame where the two paths meet: how the
actor hangs from the meeting word ("prep=to"), how the trigger does ("nsubjpass",
"conj"), its voice, and whether
the trigger's own clause has a subject of its own ("since the government launched its
offensive, Daesh have managed to hold off any advance").

A logistic regression over those features, trained by ``tools/train_roles.py`` on the
MUC-4 training documents (perpetrators against victims and targets), is shipped as
``rearguard/data/roles.json`` and read once. Without the file the rule decides alone.
MUC-4 keys list a group as perpetrator wherever it appears, also where it suffered: the
guerrillas who "died", "were killed", "were captured" or "suffered casualties", the
suspects "arrested" after an attack. ACLED reads those sentences the other way, so they
are neither learned nor decided by the model (:func:`learned_trigger`, :func:`suffers`):
the rule decides them.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Token

VICTIM_SUBJECT = frozenset("died dead slain perished wounded injured".split())
# Verbs whose subject underwent what the clause tells: "the treasury police suffered three
# casualties during today's clashes", "the patrol sustained losses".
SUFFER_VERBS = frozenset("suffered suffer suffers suffering sustained sustain sustains".split())
_NOMINAL_LINKS = frozenset("compound amod nummod det poss nmod quantmod predet case".split())
_MAX_PATH = 6


def _path(actor: Token, trigger: Token) -> list[Token] | None:
    """The tokens from the actor up to (not including) the trigger; None when the trigger
    is not among the actor's first ancestors."""
    node = actor
    path: list[Token] = []
    for _ in range(_MAX_PATH):
        if node.i == trigger.i:
            return path
        path.append(node)
        if node.head.i == node.i:
            return None
        node = node.head
    return path if node.i == trigger.i else None


def _passive(trigger: Token) -> bool:
    return trigger.tag_ == "VBN" and any(c.dep_ in ("auxpass", "nsubjpass")
                                         for c in trigger.children)


def rule_role(actor: Token, trigger: Token, actor_start: int, trigger_start: int) -> str:
    """The hand rule: 'agent' or 'patient' from the relation under the trigger; word order
    (and the voice) when the parse does not link them. The subject of "suffered" is a
    patient wherever the trigger is."""
    if suffers(actor):
        return "patient"
    path = _path(actor, trigger)
    if path and _passive(trigger) and any(t.dep_ == "prep" and t.lower_ == "by" for t in path):
        # "were captured at the Ahuachapan bus station by army troops": the parser hung the
        # passive's "by" phrase on the noun before it; it is still who did it
        return "agent"
    if path:
        child = path[-1]
        dep = child.dep_
        if dep == "nsubj" and trigger.lower_ in VICTIM_SUBJECT:
            return "patient"  # "dozens of Kurdish security forces died"
        if dep in ("nsubj", "poss", "compound", "amod", "agent", "csubj"):
            return "agent"
        if dep in ("dobj", "nsubjpass", "attr", "dative"):
            return "patient"
        if dep == "prep":
            word = child.lower_
            if word == "by":
                return "agent"
            if word in ("against", "on", "at", "with", "upon", "targeting"):
                return "patient"
        if dep in ("acl", "relcl"):
            return "agent"
    if trigger.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in trigger.children):
        return "patient" if actor_start < trigger_start else "agent"
    return "agent" if actor_start < trigger_start else "patient"


def role_features(actor: Token, trigger: Token, actor_start: int, trigger_start: int,
                  family: str | None = None) -> list[str]:
    """The names of the features that are on for this actor and trigger (``family``: the
    trigger's, as :mod:`rearguard.events.triggers` names it)."""
    feats = ["bias", f"rule={rule_role(actor, trigger, actor_start, trigger_start)}"]
    passive = _passive(trigger)
    before = actor_start < trigger_start
    feats.append("before" if before else "after")
    feats.append(f"tag={trigger.tag_}")
    if passive:
        feats.append("passive")
        feats.append("passive_before" if before else "passive_after")
    if trigger.lower_ in VICTIM_SUBJECT:
        feats.append("victim_verb")
    path = _path(actor, trigger)
    if path:
        child = path[-1]
        dep = child.dep_
        feats.append(f"dep={dep}")
        if dep == "prep":
            feats.append(f"prep={child.lower_}")
        if passive:
            feats.append(f"dep={dep}|passive")
        if trigger.lower_ in VICTIM_SUBJECT:
            feats.append(f"dep={dep}|victim_verb")
        chain = ">".join(t.dep_ for t in path[-3:])
        feats.append(f"chain={chain}")
        feats.append(f"len={min(len(path), 4)}")
        if len(path) >= 2 and path[-1].dep_ == "prep":
            feats.append(f"prep={path[-1].lower_}|{path[-2].dep_}")
        if family:
            # the trigger's kind against the relation: "fighting between X and Y" (both
            # acted) is not "an attack on X" ("battle|prep=between", "battle|prep=on")
            feats.append(f"family={family}|{_relation(child)}")
    else:
        feats.append("unlinked")
        feats.append("unlinked_before" if before else "unlinked_after")
        feats += _frame_features(actor, trigger)
    if actor.ent_type_:
        feats.append(f"ent={actor.ent_type_}")
    return feats


def _relation(node: Token) -> str:
    """A token's relation to its head, with the preposition for prepositional phrases:
    "prep=by", "prep=against", "nsubj"."""
    if node.dep_ == "pobj":
        return f"{node.head.dep_}={node.head.lower_}"
    if node.dep_ in ("prep", "agent"):
        return f"{node.dep_}={node.lower_}"
    return node.dep_


def _frame_features(actor: Token, trigger: Token) -> list[str]:
    """An actor and a trigger that the parse does not link directly: the word where their
    paths meet and how each hangs from it ("[that attack] was attributed to [the drug
    mafias]": meet at "attributed", the actor by "to", the trigger as its passive
    subject), its voice, and whether the trigger's own clause names a subject of its own
    ("since [the government] launched its [offensive], [Daesh] have managed to hold off
    any real advance": the actor is the main clause's subject, not the offensive's)."""
    line = {t.i: n for n, t in enumerate([trigger, *trigger.ancestors])}
    node, below = actor, None
    for _ in range(8):
        if node.i in line:
            break
        below = node
        if node.head.i == node.i:
            return ["frame=none"]
        node = node.head
    else:
        return ["frame=none"]
    if below is None:
        return ["frame=inside"]  # the trigger hangs from the actor's own word
    meet = node
    down = trigger  # the trigger's side of the meeting word: the word hanging from it
    if meet.i != trigger.i:
        for t in trigger.ancestors:
            if t.i == meet.i:
                break
            down = t
    up_rel = _relation(below)
    down_rel = down.dep_ if meet.i != trigger.i else "self"  # "self": a path too long
    feats = [f"frame_up={up_rel}", f"frame_down={down_rel}",
             f"frame={up_rel}|{down_rel}"]
    if meet.pos_ in ("VERB", "AUX") and _passive(meet):
        feats.append(f"frame={up_rel}|passive")
    # "Since the Iraqi government launched its offensive ..., Daesh have managed to hold
    # off any real advance": the trigger's own clause names who acted
    clause = [trigger, *(t for t in trigger.ancestors if meet.is_ancestor(t))]
    if any(c.dep_ in ("nsubj", "agent") and c.i != below.i for t in clause
           for c in t.children):
        feats.append("frame_own_subject")
        feats.append(f"frame={up_rel}|{down_rel}|own_subject")
    return feats


class RoleModel:
    """Logistic regression weights over :func:`role_features` names."""

    def __init__(self, weights: dict[str, float]):
        self.weights = weights

    def agent_probability(self, features: list[str]) -> float:
        z = sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RoleModel:
        return cls({str(k): float(v) for k, v in data["weights"].items()})


@lru_cache(maxsize=1)
def load_role_model() -> RoleModel | None:
    """The shipped model, read once; None when the package has no roles.json."""
    try:
        text = resources.files("rearguard.data").joinpath("roles.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    return RoleModel.from_dict(json.loads(text))


# Trigger families whose MUC-4 convention is not ACLED's: MUC lists the people arrested
# after an attack as its perpetrators; ACLED's arrest has the state acting on them.
RULE_FAMILIES = frozenset({"arrest"})
# Families whose passive subject suffered the act ("five guerrillas were killed", "were
# captured"): MUC-4 lists dead or captured guerrillas as perpetrators; ACLED does not.
PASSIVE_RULE_FAMILIES = frozenset({"kill", "capture", "abduct"})


def suffers(actor: Token) -> bool:
    """True when the phrase of ``actor`` is the subject of a verb of suffering ("the 6th
    military detachment suffered one casualty during a clash")."""
    node = actor
    for _ in range(5):
        if node.dep_ in _NOMINAL_LINKS or node.dep_ in ("conj", "appos"):
            if node.head.i == node.i:
                return False
            node = node.head
        else:
            break
    return node.dep_ == "nsubj" and node.head.lower_ in SUFFER_VERBS


def learned_trigger(trigger: Token, family: str | None = None) -> bool:
    """Whether the model decides (and learns) roles under this trigger: not the victim
    verbs ("died", "were wounded"), arrests, nor killings and captures told in the
    passive, where MUC-4's perpetrators are the people who suffered the verb."""
    if trigger.lower_ in VICTIM_SUBJECT or family in RULE_FAMILIES:
        return False
    return not (family in PASSIVE_RULE_FAMILIES and _passive(trigger))


def decide_role(actor: Token, trigger: Token, actor_start: int, trigger_start: int,
                family: str | None = None) -> str:
    """'agent' or 'patient': the learned model where shipped, else the rule. The subject of
    "died", "were wounded" is whoever suffered, as ACLED reads it: MUC-4 lists guerrillas
    killed in a clash or arrested after it as perpetrators, so those triggers (the
    ``family`` "arrest", passive killings and captures) are neither learned nor decided by
    the model (:func:`learned_trigger`)."""
    model = load_role_model()
    if model is None or not learned_trigger(trigger, family) or suffers(actor):
        return rule_role(actor, trigger, actor_start, trigger_start)
    p = model.agent_probability(role_features(actor, trigger, actor_start, trigger_start,
                                              family))
    return "agent" if p >= 0.5 else "patient"
