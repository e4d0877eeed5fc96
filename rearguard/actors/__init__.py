"""Actors: find the armed groups, state forces and civilians a sentence names, with
ACLED-style names and inter codes (see :mod:`rearguard.actors.resolve`)."""

from __future__ import annotations

from .aliases import country_name
from .resolve import (
    attribute_generic,
    find_actors,
    in_country,
    interaction,
    is_civilian,
    is_generic,
    is_state,
    named_groups,
    normalise_actor,
    resolve_generic,
)

__all__ = [
    "attribute_generic", "country_name", "find_actors", "in_country", "interaction",
    "is_civilian", "is_generic", "is_state", "named_groups", "normalise_actor",
    "resolve_generic",
]
