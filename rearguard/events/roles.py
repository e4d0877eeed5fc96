"""Who did it to whom: a learned decision between the acting side and the side acted on.

:func:`role_features` describes an actor's phrase against the trigger it belongs to, from
the dependency parse: the relation by which the phrase hangs under the trigger ("nsubj",
"dobj", "prep=by", "prep=against" ...), the chain of relations on the way, the trigger's
voice and tag, word order, the phrase's entity label, and the hand rule's own answer
(:func:`rule_role`) as one feature among them.
A logistic regression over those features, trained by ``tools/train_roles.py`` on the
MUC-4 training documents (perpetrators against victims and targets; not the victim verbs
"died", "wounded", where MUC's convention is not ACLED's), is shipped as
``rearguard/data/roles.json`` and read once. Without the file the rule decides alone.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Token

VICTIM_SUBJECT = frozenset("died dead slain perished wounded injured".split())
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
    (and the voice) when the parse does not link them."""
    path = _path(actor, trigger)
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


def role_features(actor: Token, trigger: Token, actor_start: int, trigger_start: int
                  ) -> list[str]:
    """The names of the features that are on for this actor and trigger."""
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
    else:
        feats.append("unlinked")
        feats.append("unlinked_before" if before else "unlinked_after")
    if actor.ent_type_:
        feats.append(f"ent={actor.ent_type_}")
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


def decide_role(actor: Token, trigger: Token, actor_start: int, trigger_start: int) -> str:
    """'agent' or 'patient': the learned model where shipped, else the rule. The subject of
    "died", "were wounded" is whoever suffered, as ACLED reads it: MUC-4 lists guerrillas
    killed in a clash as perpetrators, so those triggers are neither learned nor decided
    by the model."""
    model = load_role_model()
    if model is None or trigger.lower_ in VICTIM_SUBJECT:
        return rule_role(actor, trigger, actor_start, trigger_start)
    p = model.agent_probability(role_features(actor, trigger, actor_start, trigger_start))
    return "agent" if p >= 0.5 else "patient"
