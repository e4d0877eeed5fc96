"""Event triggers: the cheap first pass of the cascade, and the words events hang on.

A trigger is a word or phrase that can name an incident ("assaulted", "car bomb",
"recaptured", "protesters marched"). :func:`find_triggers` matches them over raw text with one
precompiled expression, so whole articles can be screened before any statistical model
runs: a sentence without a trigger cannot yield an event.

Each trigger has a *family*, a coarse kind of incident that the extractor uses to pick the
event's ACLED type together with the classifier, and to decide which mentions of one
article may be the same incident (:data:`FAMILY_GROUP`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# family -> alternatives (regular expressions over lower-cased text, whole words).
TRIGGERS: dict[str, tuple[str, ...]] = {
    "offensive": (
        r"offensives?", r"counter-?offensives?",
        r"(?:military )?operations? to (?:re)?(?:take|capture)",
    ),
    "battle": (
        r"assault(?:ed|s|ing)?", r"attack(?:ed|s|ing)?", r"raid(?:ed|s|ing)?",
        r"ambush(?:ed|es|ing)?", r"clash(?:ed|es|ing)?", r"fighting", r"fought",
        r"battl(?:e|ed|es|ing)", r"fire-?fights?", r"gun-?fights?", r"gun ?battles?",
        r"exchanged (?:gun)?fire", r"storm(?:ed|ing)", r"breach(?:ed|es|ing)",
        r"repuls(?:ed|ing)", r"repelled", r"besieg(?:ed|ing)", r"sieges?",
        r"counter-?attack(?:ed|s)?", r"skirmish(?:es)?", r"hostilities", r"insurgent attacks?",
    ),
    "kill": (
        r"kill(?:ed|ing|s)?", r"died", r"dead", r"slain", r"massacr(?:e|ed|es)",
        r"execut(?:ed|ions?)", r"behead(?:ed|ing)", r"shot dead", r"shot", r"shooting",
        r"gunned down",
        r"opened fire", r"wound(?:ed|ing)", r"injur(?:ed|ing|ies)", r"death toll",
        r"assassinat(?:ed|ions?)", r"stabb(?:ed|ing)", r"lynch(?:ed|ing)",
        r"murder(?:ed|s|ing)?", r"killings",
    ),
    "explosion": (
        r"bomb(?:s|ing|ings|ed|er|ers)?", r"car[- ]?bombs?", r"truck[- ]?bombs?",
        r"roadside bombs?", r"blasts?", r"explosions?",
        r"explod(?:ed|ing)", r"detonat(?:ed|ing|ion)", r"ieds?", r"explosive devices?",
        r"land ?mines?", r"booby-?trap(?:ped|s)?", r"suicide",
        r"blew (?:himself|herself|themselves) up", r"blew up", r"blown up", r"blowing up",
    ),
    "air": (
        r"air ?strikes?", r"air raids?", r"drone strikes?", r"drones?", r"warplanes?",
        r"jets?", r"helicopter gunships?", r"aerial (?:bombardment|attacks?)", r"barrel bombs?",
    ),
    "shelling": (
        r"shell(?:ed|ing|s)?", r"mortars?", r"rockets?", r"artillery", r"missiles?",
        r"bombard(?:ed|ment|ments)",
    ),
    "grenade": (r"grenades?",),
    "chemical": (
        r"chemical (?:weapons?|attacks?|agents?)", r"chlorine", r"sarin", r"mustard gas",
        r"toxic gas", r"nerve agents?",
    ),
    "capture": (
        r"captur(?:ed|ing|es)", r"seiz(?:ed|ing|es)",
        r"t(?:ook|aken|aking|akes?) (?:full |complete |total |partial |effective )?control",
        r"took over", r"taken over", r"overr?an", r"overrun",
        r"fell to", r"fallen to",
    ),
    "regain": (
        r"recaptur(?:ed|ing|e)", r"retook", r"retaken", r"retake", r"liberat(?:ed|ing|ion)",
        r"regain(?:ed|ing)?(?: (?:full |complete )?control)?", r"took back",
        r"t(?:ook|ake|aken|aking) (?:it |them )?back", r"won back",
        r"cleared", r"drove out", r"driven out", r"expelled",
    ),
    "hold": (
        r"held (?:it|them|onto|on to|the (?:town|city|village|area|district)s?)",
        r"(?:holds|holding) (?:it|them|the (?:town|city|village|area|district)s?)",
        r"controls", r"control the", r"in control of", r"under (?:the |its |their )?control",
    ),
    "transfer": (
        r"withdr(?:ew|awn|awal)", r"handed over", r"hand over", r"pulled out", r"retreated",
    ),
    "abduct": (
        r"abduct(?:ed|ing|ion|ions)", r"kidnapp(?:ed|ing|ings)", r"hostages?",
        r"taken prisoner", r"took prisoner", r"disappeared",
    ),
    "arrest": (
        r"arrest(?:ed|s|ing)?", r"detain(?:ed|ing)", r"detention", r"rounded up",
        r"taken into custody",
    ),
    "protest": (
        r"protest(?:s|ed|ers|ors|ing)?", r"demonstrat(?:ion|ions|ors|ed|ing)",
        r"rall(?:y|ies|ied)", r"march(?:ed|es|ers)", r"sit-ins?", r"strikers",
        r"took to the streets",
    ),
    "riot": (
        r"riot(?:s|ed|ers|ing)?", r"mobs?", r"loot(?:ed|ing|ers)", r"vandali[sz](?:ed|ing)",
        r"tear gas", r"rubber bullets",
    ),
    "destruction": (
        r"destroy(?:ed|ing)", r"demolish(?:ed|ing)", r"razed", r"burn(?:ed|t)",
        r"torch(?:ed|ing)", r"set (?:on )?fire", r"set ablaze", r"burn(?:ed|t) down",
    ),
    "sexual": (r"rap(?:e|ed|es|ing)", r"sexual (?:violence|assault|abuse)", r"sexually assaulted"),
    "agreement": (
        r"ceasefire", r"cease-fire", r"truce", r"peace (?:deal|agreement|accord)",
        r"signed an? agreement",
    ),
    "weapons": (
        r"defus(?:ed|ing)", r"(?:weapons|arms|ammunition) (?:cache|depot)s?",
        r"seized (?:weapons|arms|explosives|ammunition)",
    ),
    "base": (r"(?:set up|established) (?:a )?(?:base|headquarters|camp)",),
}

# Families whose mentions can describe the same incident.
FAMILY_GROUP: dict[str, str] = {
    "offensive": "violence", "battle": "violence", "kill": "violence", "explosion": "violence",
    "air": "violence", "shelling": "violence", "grenade": "violence", "chemical": "violence",
    "capture": "violence", "regain": "violence", "hold": "violence", "abduct": "violence",
    "sexual": "violence",
    "destruction": "violence", "transfer": "strategic", "arrest": "strategic",
    "protest": "demonstration", "riot": "demonstration", "agreement": "strategic",
    "weapons": "strategic", "base": "strategic",
}

# Words that name a trigger only together with a stronger one nearby; alone they are
# too common outside conflict news ("dead" in "dead heat", "jets" in sport).
WEAK_FAMILIES = frozenset({"kill", "destruction"})
WEAK_WORDS = frozenset({
    "dead", "jets", "jet", "drones", "drone", "mines", "mine", "rockets", "rocket", "cleared",
    "disappeared", "burned", "burnt", "suicide", "missiles", "missile", "bombers",
    "bomber", "mob", "mobs", "march", "marches", "rally", "rallies", "expelled", "retreated",
    "strikers", "shells",
})


@dataclass(frozen=True)
class Trigger:
    """A trigger found in a text: ``text[start:end]`` and its family."""

    start: int
    end: int
    text: str
    family: str

    @property
    def group(self) -> str:
        return FAMILY_GROUP[self.family]

    @property
    def weak(self) -> bool:
        return self.family in WEAK_FAMILIES or self.text.lower() in WEAK_WORDS


def _compile() -> tuple[re.Pattern[str], dict[str, str]]:
    parts = []
    names: dict[str, str] = {}
    for number, (family, alternatives) in enumerate(TRIGGERS.items()):
        group = f"f{number}"
        names[group] = family
        # Longer alternatives first so "car bomb" wins over "bomb".
        body = "|".join(sorted(alternatives, key=len, reverse=True))
        parts.append(f"(?P<{group}>{body})")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])", re.I), names


_PATTERN, _GROUPS = _compile()


def find_triggers(text: str, start: int = 0, end: int | None = None) -> list[Trigger]:
    """Every trigger in ``text[start:end]``, left to right, offsets into ``text``."""
    found = []
    for match in _PATTERN.finditer(text, start, len(text) if end is None else end):
        family = _GROUPS[match.lastgroup or ""]
        found.append(Trigger(match.start(), match.end(), match.group(0), family))
    return found


def has_trigger(text: str) -> bool:
    """True if ``text`` holds a trigger other than a word that is ambiguous on its own
    ("dead", "jets", "rally"): the cascade's test."""
    return any(t.text.lower() not in WEAK_WORDS for t in find_triggers(text))
