"""Extraction benchmark: the whole extractor against the bare spaCy pipeline, same texts,
same run.

    .venv/bin/python bench/extract_bench.py [--docs 300] [--repeat 1]

The texts are real articles from ../shared/eval: the development halves of the four news
geoparsing corpora (mostly not about conflict, as a news feed is) and the MUC-4 dev
reports (all about political violence), in a fixed order. Reports wall-clock seconds,
docs/s, the ratio of the extractor's time to the bare pipeline's, events found, and peak
memory (max RSS) of the process, with and without the trigger cascade.
"""

from __future__ import annotations

import argparse
import json
import resource
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


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=300)
    args = parser.parse_args()
    import spacy

    from rearguard.events.extract import extract_articles
    from rearguard.geo import open_gazetteer

    settings = load_settings()
    open_gazetteer(settings, show_progress=False)
    texts = _texts(args.docs)
    articles = [Article(id=str(i), text=t, published="2016-11-06") for i, t in enumerate(texts)]
    chars = sum(len(t) for t in texts)

    bare = spacy.load(settings.spacy_model, exclude=["lemmatizer"])
    list(bare.pipe(texts[:5]))
    t_bare = _timed(lambda: list(bare.pipe(texts)))
    rss_bare = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    results = {}
    for cascade in (True, False):
        chosen = settings.replace(cascade=cascade)
        list(extract_articles(articles[:5], settings=chosen))  # warm caches and models
        found: list[int] = []
        seconds = _timed(lambda: found.extend(
            len(x.events) for x in extract_articles(articles, settings=chosen)))
        results[cascade] = (seconds, sum(found))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"{len(texts)} articles, {chars:,} characters")
    print(f"  bare spaCy pipeline:         {t_bare:6.2f} s  {len(texts) / t_bare:6.1f} docs/s")
    for cascade, label in ((True, "extract (cascade on)"), (False, "extract (cascade off)")):
        seconds, events = results[cascade]
        print(f"  {label + ':':28} {seconds:6.2f} s  {len(texts) / seconds:6.1f} docs/s  "
              f"{seconds / t_bare:.2f}x the bare pipeline's time, {events} events")
    print(f"peak memory (max RSS): bare pipeline {rss_bare:.0f} MB, whole run {peak:.0f} MB")


if __name__ == "__main__":
    main()
