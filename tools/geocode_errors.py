"""Error analysis for the geocoder (not shipped): the gold-span misses of a corpus.

    .venv/bin/python tools/geocode_errors.py gwn [N]

prints the N commonest wrong readings (gold surface, what rearguard chose, distance).
"""

from __future__ import annotations

import sys
from collections import Counter

from rearguard.eval.corpora import load_corpus
from rearguard.eval.metrics import haversine_km
from rearguard.geo import geocode_spans
from rearguard.settings import load_settings


def main(corpus: str, top: int = 60) -> None:
    settings = load_settings()
    misses: Counter[str] = Counter()
    for doc in load_corpus(corpus):
        spans = [(t.start, t.end) for t in doc.toponyms]
        places = geocode_spans(doc.text, spans, settings=settings)
        for gold, place in zip(doc.toponyms, places, strict=True):
            if place.latitude is None:
                gold_at = f"{gold.latitude:.2f},{gold.longitude:.2f}"
                misses[f"{gold.text!r} -> unresolved (gold {gold_at})"] += 1
                continue
            km = haversine_km(place.latitude, place.longitude, gold.latitude, gold.longitude)
            if km > 161:
                misses[
                    f"{gold.text!r} -> {place.name} {place.country_code} {place.feature_code} "
                    f"(gold {gold.latitude:.2f},{gold.longitude:.2f}; {km:.0f} km)"
                ] += 1
    print(f"{sum(misses.values())} misses")
    for line, count in misses.most_common(top):
        print(f"{count:4d}  {line}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 60)
