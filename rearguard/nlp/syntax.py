"""Helpers over a dependency parse that more than one stage reads sentences with.

The events stage (which clause a date dates, which trigger sits in an earlier time clause)
and the control stage (whether a control statement is dated in its own clause) ask the same
questions of the same parsed sentences; the answers live here, in no stage.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: importing this module need not import spaCy
    from spacy.tokens import Token

# Clauses that set their event before the main one ("a year after the insurgents seized
# it", "since the army retook it"); "before", "until" and "when" clauses are the same
# story's later or same moments, dated with it.
TIME_MARKS = frozenset({"after", "since"})


def attached_to(date_token: Token, trigger: Token) -> bool:
    """True when a date phrase modifies this trigger's clause rather than another verb:
    'recaptured by ISF in September' dates the recapture, not the attack in the next clause.
    A verb that completes the trigger ('offensive to recapture Mosul on 17 October') counts
    as the trigger's clause."""
    node = date_token
    for _ in range(8):
        if node.i == trigger.i or (node.i == trigger.head.i and trigger.pos_ in ("NOUN", "PROPN")):
            return True
        if _heads_clause(node) and node.i != date_token.i:
            if trigger.head.i == node.i and trigger.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):
                return True
            # "launched its offensive to recapture Mosul on 17 October": the purpose
            # clause of the verb that governs the trigger.
            if (trigger.pos_ in ("NOUN", "PROPN") and node.dep_ in ("advcl", "xcomp")
                    and node.head.i == trigger.head.i):
                return True
            return under(node, trigger, steps=2)
        if node.head.i == node.i:
            break
        node = node.head
    # Reached the root without passing a verb: the date belongs to the sentence.
    return node.i == trigger.i or trigger.head.i == node.i


def clause_verb(token: Token) -> Token | None:
    """The verb heading the clause ``token`` is in (``token`` itself if it is one); an
    auxiliary does not head a clause ("supposed to have been liberated")."""
    node = token
    for _ in range(8):
        if _heads_clause(node):
            return node
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _heads_clause(token: Token) -> bool:
    if token.pos_ == "VERB":
        return True
    return token.pos_ == "AUX" and token.dep_ not in ("aux", "auxpass")


def under(token: Token, ancestor: Token, *, steps: int = 12) -> bool:
    """True when ``ancestor`` is ``token`` or one of its heads, at most ``steps`` up."""
    node = token
    for _ in range(steps + 1):
        if node.i == ancestor.i:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


# The words of harm that a bare "after" clause explains: "six people were killed after
# security forces opened fire on protesters" tells one incident, its deaths and its cause.
CASUALTY_WORDS = frozenset(
    "killed dead died wounded injured hurt slain lost losses casualties injuries deaths "
    "martyrs victims".split())


def earlier_clause(token: Token) -> bool:
    """A trigger in a clause that places it in time relative to the main event, other
    than the same day ("a year after the insurgents seized it", not "hours after Ethiopian
    troops pulled out"), nor the cause of the main clause's casualties ("were killed after
    security forces opened fire": no time between them)."""
    marks = [c for c in token.children if c.dep_ == "mark" and c.lower_ in TIME_MARKS]
    if token.dep_ in ("pcomp", "pobj", "advcl") and token.head.lower_ in TIME_MARKS:
        marks.append(token.head)
    for mark in marks:
        before = mark.doc[max(mark.i - 2, 0):mark.i].text.lower()
        if re.search(r"\b(?:hours?|minutes?|shortly|just|soon|moments?|immediately)$", before):
            continue
        if mark.lower_ == "after" and mark.i > 0 \
                and mark.doc[mark.i - 1].lower_ in CASUALTY_WORDS:
            # "killed and dozens wounded after ...", "human losses after aerial bombardment
            # on Homs": the cause, not an earlier event
            continue
        return True
    return False
