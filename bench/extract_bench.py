"""Extraction benchmark: the whole extractor against the bare spaCy pipeline, same texts,
same run.

    .venv/bin/python bench/extract_bench.py [--docs 300] [--repeat 1]

The texts are real articles from ../shared/eval: the development halves of the four news
geoparsing corpora (mostly not about conflict, as a news feed is) and the MUC-4 dev
reports (all about political violence), in a fixed order. Reports wall-clock seconds,
docs/s, the ratio of the extractor's time to the bare pipeline's, events found, and peak
memory (max RSS) of the process, with and without the trigger cascade; beside wall time,
the CPU seconds (user + system) of each run and their ratio, which move less than wall
time on a machine shared with other work (the load average is printed before and after).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from rearguard.eval.corpora import load_corpus
from rearguard.settings import load_settings
from rearguard.types import Article

CORPORA = ("trnews", "gwn", "geovirus", "lgl")
MUC_DEV = Path(__file__).resolve().parents[1].parent / "shared/eval/muc4/processed/dev.json"


def _texts(n: int) -> list[str]:
    """Half news-feed articles, half MUC-4 conflict reports (sentence-cased)."""
    news = [doc.text for name in CORPORA for doc in load_corpus(name)]
    conflict = []
    if MUC_DEV.is_file():
        for line in MUC_DEV.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["doctext"]
            conflict.append(". ".join(s.strip().capitalize() for s in text.split(". ")))
    half = n // 2
    return news[: n - min(half, len(conflict))] + conflict[:half]


def _timed(fn) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, this process) of ``fn()``."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def _measure(mode: str, n: int) -> dict[str, float]:
    """Run one mode in this process: seconds, events and peak memory (max RSS, MB)."""
    texts = _texts(n)
    settings = load_settings()
    if mode == "bare":
        import spacy

        bare = spacy.load(settings.spacy_model, exclude=["lemmatizer"])
        for _ in bare.pipe(texts[:5]):
            pass

        def run() -> None:
            for _ in bare.pipe(texts):  # docs are dropped as they come, as extract does
                pass

        (seconds, cpu), events = _timed(run), 0
    else:
        from rearguard.geo import open_gazetteer
        from rearguard.pipeline import extract_articles

        open_gazetteer(settings, show_progress=False)
        chosen = settings.replace(cascade=mode == "cascade")
        articles = [Article(id=str(i), text=t, published="2016-11-06")
                    for i, t in enumerate(texts)]
        list(extract_articles(articles[:5], settings=chosen))  # warm caches and models
        found: list[int] = []
        seconds, cpu = _timed(lambda: found.extend(
            len(x.events) for x in extract_articles(articles, settings=chosen)))
        events = sum(found)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "cpu": cpu, "events": events, "peak_mb": peak,
            "docs": len(texts), "chars": sum(len(t) for t in texts)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--mode", choices=["bare", "cascade", "full"],
                        help="run one mode in this process and print JSON (used internally)")
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(_measure(args.mode, args.docs)))
        return
    # Each mode in its own process, one after the other, so peak memory is each one's own.
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results = {}
    for mode in ("bare", "cascade", "full"):
        out = subprocess.run([sys.executable, __file__, "--mode", mode, "--docs", str(args.docs)],
                             check=True, capture_output=True, text=True).stdout
        results[mode] = json.loads(out.strip().splitlines()[-1])
    bare = results["bare"]
    print(f"{bare['docs']} articles, {bare['chars']:,} characters")
    labels = {"bare": "bare spaCy pipeline", "cascade": "extract (cascade on)",
              "full": "extract (cascade off)"}
    for mode, r in results.items():
        ratio = "" if mode == "bare" else (
            f"  {r['seconds'] / bare['seconds']:.2f}x the bare pipeline's time "
            f"({r['cpu'] / bare['cpu']:.2f}x its CPU), {r['events']} events")
        print(f"  {labels[mode] + ':':24} {r['seconds']:6.2f} s {r['docs'] / r['seconds']:6.1f} "
              f"docs/s  CPU {r['cpu']:6.2f} s  peak {r['peak_mb']:5.0f} MB{ratio}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
