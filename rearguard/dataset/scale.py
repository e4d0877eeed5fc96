"""ACLED's ``source_scale``: the geographic scale of the sources behind an event.

ACLED names each source's scale (Local, Subnational, National, Regional, International,
New media, Other) and joins an event's distinct scales with a hyphen
("National-International"). rearguard knows a source only by the name an article carries
(its feed's title, a site name, the ``source`` of a JSON Lines record), so it names the
scale of the sources it can recognise: the international wire services and broadcasters
below, and national outlets of the places news comes from when a user's table says so.
Unknown sources add nothing, rather than a guess.
"""

from __future__ import annotations

import re

INTERNATIONAL = (
    "associated press", "ap", "apw", "reuters", "afp", "agence france-presse",
    "agence france presse", "xinhua", "bbc", "bbc news", "al jazeera", "aljazeera", "dpa",
    "efe", "ansa", "anadolu", "anadolu agency", "voice of america", "voa", "rfe/rl",
    "radio free europe", "the new york times", "new york times", "the guardian",
    "the washington post", "washington post", "cnn", "france 24", "deutsche welle", "dw",
    "sky news", "upi", "bloomberg", "middle east eye", "the national", "the independent",
    "kyodo", "tass", "itar-tass", "interfax",
)
ORDER = ("Local", "Subnational", "National", "Regional", "International", "New media", "Other")
_KEYS = {name: "International" for name in INTERNATIONAL}


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w/ -]", " ", name.lower())).strip()


def scale_of(source: str) -> str:
    """The scale of one source name ("" when rearguard does not know it)."""
    return _KEYS.get(_key(source), "")


def source_scale(sources: str) -> str:
    """ACLED's source_scale for an event's ``source`` column ("AP; Reuters" ->
    "International"), the distinct known scales in ACLED's order, joined by "-"."""
    scales = {scale_of(s) for s in sources.split(";")} - {""}
    return "-".join(s for s in ORDER if s in scales)
