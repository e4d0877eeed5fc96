"""Coverage proxy for Syrian town and village names (not shipped).

The development data has no coordinates for Syrian conflict records, so this counts how
many event-location spans in the Masdar (Syrian news agency) gold sentences resolve to a
place in Syria at all, and how many to a town or village (precision 1).

    .venv/bin/python tools/syria_coverage.py
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from rearguard.geo import geocode_spans
from rearguard.settings import load_settings

GOLD = Path(__file__).resolve().parents[1].parent / "shared/eval/event-location/gold_dev.jsonl"


def main() -> None:
    settings = load_settings()
    counts: Counter[str] = Counter()
    misses = []
    for line in GOLD.open(encoding="utf-8"):
        record = json.loads(line)
        if not record["id"].startswith("masdar"):
            continue
        spans = [(s["start"], s["end"]) for s in record["event_locations"]]
        if not spans:
            continue
        places = geocode_spans(record["text"], spans, settings=settings)
        for span, place in zip(spans, places, strict=True):
            counts["spans"] += 1
            if place.country_code == "SY":
                counts["in Syria"] += 1
                counts["town (precision 1)"] += place.geo_precision == 1
            else:
                misses.append((record["text"][span[0]:span[1]], place.name, place.country_code))
    print(dict(counts))
    for miss in misses:
        print("  ", miss)


if __name__ == "__main__":
    main()
