"""Great-circle distance and bearing on a spherical Earth (enough for geocoding scores),
and containment by administrative area."""

from __future__ import annotations

import math
from typing import Any

from .normalize import fold

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def initial_bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Compass bearing in degrees from the first point to the second."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


def destination(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) along the initial compass ``bearing`` (degrees)."""
    p1, l1 = math.radians(lat), math.radians(lon)
    theta, delta = math.radians(bearing), km / EARTH_RADIUS_KM
    p2 = math.asin(math.sin(p1) * math.cos(delta)
                   + math.cos(p1) * math.sin(delta) * math.cos(theta))
    l2 = l1 + math.atan2(math.sin(theta) * math.sin(delta) * math.cos(p1),
                         math.cos(delta) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


def in_admin_area(outer: Any, inner: Any) -> bool:
    """Whether ``inner`` lies in the province (ADM1) or district (ADM2) ``outer``, by the
    admin names both carry (gazetteer candidates or resolved places alike: any object with
    ``country_code``, ``feature_code``, ``admin1`` and ``admin2``). False for any other
    kind of ``outer``, and when a name is missing."""
    if not outer.country_code or outer.country_code != inner.country_code:
        return False
    field = {"ADM1": "admin1", "ADM2": "admin2"}.get(outer.feature_code or "")
    if field is None:
        return False
    mine, theirs = getattr(outer, field) or "", getattr(inner, field) or ""
    return bool(mine and theirs) and fold(mine) == fold(theirs)
