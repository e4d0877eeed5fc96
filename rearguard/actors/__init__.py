"""Actors: find the armed groups, state forces and civilians a sentence names, with
ACLED-style names and inter codes (see :mod:`rearguard.actors.resolve`)."""

from __future__ import annotations

from .aliases import country_name
from .resolve import (
    attribute_generic,
    find_actors,
    interaction,
    is_civilian,
    is_generic,
    is_state,
    normalise_actor,
)

__all__ = [
    "attribute_generic", "country_name", "find_actors", "interaction", "is_civilian",
    "is_generic", "is_state", "normalise_actor",
]
