"""Geocoding benchmark on the development halves of the four geoparsing corpora.

    .venv/bin/python bench/geocode_bench.py [--repeat 3]

Gold-span mode: rearguard's resolver against a baseline measured in the same run, a
population-only pick over the same gazetteer (one index lookup per toponym, no context).
End to end: rearguard's toponym finding and resolution against the bare spaCy pipeline
over the same texts. Reports wall-clock seconds, places/s or docs/s, the ratio to the
baseline, and peak memory (max RSS) of the process.
"""

from __future__ import annotations

import argparse
import resource
import time

from rearguard.eval.corpora import load_corpus
from rearguard.geo import geocode_spans, geocode_text, open_gazetteer
from rearguard.settings import load_settings

CORPORA = ("trnews", "gwn", "geovirus", "lgl")


def _best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--docs", type=int, default=100, help="documents for end to end")
    args = parser.parse_args()
    settings = load_settings()
    gazetteer = open_gazetteer(settings, show_progress=False)
    docs = [doc for name in CORPORA for doc in load_corpus(name)]
    n_places = sum(len(d.toponyms) for d in docs)

    def baseline() -> None:
        for doc in docs:
            for t in doc.toponyms:
                gazetteer._cache.clear()
                gazetteer.lookup(doc.text[t.start : t.end], fuzzy=False, limit=1)

    def rearguard() -> None:
        gazetteer._cache.clear()
        for doc in docs:
            geocode_spans(doc.text, [(t.start, t.end) for t in doc.toponyms], settings=settings)

    base = _best_of(args.repeat, baseline)
    ours = _best_of(args.repeat, rearguard)
    print(f"gold spans: {len(docs)} docs, {n_places} places")
    print(f"  population-only pick: {base:.2f} s, {n_places / base:,.0f} places/s")
    print(f"  rearguard resolver:   {ours:.2f} s, {n_places / ours:,.0f} places/s "
          f"({ours / base:.2f}x the baseline's time)")

    from rearguard.nlp.pipeline import load_pipeline

    sample = [d.text for d in docs[: args.docs]]
    nlp = load_pipeline(settings.spacy_model, str(gazetteer.path))
    import spacy

    bare = spacy.load(settings.spacy_model, exclude=["lemmatizer"])
    geocode_text(sample[0], settings=settings)  # warm caches and model
    t_bare = _best_of(args.repeat, lambda: [bare(t) for t in sample])
    t_ours = _best_of(args.repeat, lambda: [geocode_text(t, settings=settings) for t in sample])
    print(f"end to end: {len(sample)} docs")
    print(f"  bare spaCy pipeline:  {t_bare:.2f} s, {len(sample) / t_bare:.1f} docs/s")
    print(f"  rearguard geocode:    {t_ours:.2f} s, {len(sample) / t_ours:.1f} docs/s "
          f"({t_ours / t_bare:.2f}x the bare pipeline's time)")
    del nlp
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
