"""CPU of rearguard's own hot functions, each alone, on the inputs ``extract`` gives them.

    .venv/bin/python bench/functions_bench.py [--docs 2000] [--repeat 3] [--record FILE]
                                              [--save OUT.pkl] [--compare A.pkl B.pkl]

Extracts the first N bench articles (the corpus of bench/ingest_bench.py) in this process,
recording the arguments of each call of ``find_dates``, ``find_counts``, ``find_actors``,
the event classifier's ``scores`` and ``detect_language`` (``--record FILE`` keeps them in
a pickle, and a later run with the same FILE reads them instead of extracting), then runs
each function alone on its recorded calls ``--repeat`` times and prints the CPU seconds
(median, and every run). Against other code, run it with ``PYTHONPATH`` set to another
checkout and the same ``--record`` file, alternating: the calls are then the same.
``--save`` writes the functions' answers, and ``--compare A B`` says whether two saved
runs answered every call the same (set ``PYTHONHASHSEED`` to the same value in both: the
classifier sums its features in hash order, which moves its probabilities' last bits).
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_bench import corpus

NAMES = ("dates", "counts", "actors", "scores", "language")


def record(docs: int) -> dict[str, list]:
    """The calls ``extract --workers 1`` makes over the first ``docs`` articles."""
    import rearguard.events.extract as ex
    import rearguard.ingest.language as lang
    from rearguard.cli import main

    calls: dict[str, list] = {name: [] for name in NAMES}

    def spy(name: str, fn: Callable, shape: Callable) -> Callable:
        def wrapped(*args: Any, **kw: Any) -> Any:
            calls[name].append(shape(*args, **kw))
            return fn(*args, **kw)
        return wrapped

    saved = (ex.find_dates, ex.find_counts, ex.find_actors, ex.classify_scores,
             lang.detect_language)
    ex.find_dates = spy("dates", ex.find_dates, lambda t, p, **kw: (t, p, kw))
    ex.find_counts = spy("counts", ex.find_counts, lambda t, **kw: (t, kw))
    ex.find_actors = spy("actors", ex.find_actors, lambda t, **kw: (t, kw))
    ex.classify_scores = spy("scores", ex.classify_scores, lambda s: s)
    lang.detect_language = spy("language", lang.detect_language, lambda t: t)
    try:
        _extract(docs, main)
    finally:
        (ex.find_dates, ex.find_counts, ex.find_actors, ex.classify_scores,
         lang.detect_language) = saved
    return calls


def _extract(docs: int, main: Callable[[], None]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "articles.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in corpus(docs)),
                          encoding="utf-8")
        sys.argv = ["rearguard", "extract", "--input", str(source), "--workers", "1",
                    "--output", str(Path(tmp) / "out.jsonl")]
        try:
            main()
        except SystemExit as e:
            if e.code:
                raise


def runners() -> dict[str, Callable[[Any], Any]]:
    from rearguard.actors.resolve import find_actors
    from rearguard.events.classify import scores
    from rearguard.ingest.language import detect_language
    from rearguard.nlp.counts import find_counts
    from rearguard.nlp.dates import find_dates

    return {
        "dates": lambda c: find_dates(c[0], c[1], **c[2]),
        "counts": lambda c: find_counts(c[0], **c[1]),
        "actors": lambda c: find_actors(c[0], **c[1]),
        "scores": scores,
        "language": detect_language,
    }


def compare(a: str, b: str) -> None:
    first, second = (pickle.loads(Path(p).read_bytes()) for p in (a, b))
    for name in first:
        if name in second:
            same = first[name] == second[name]
            print(f"{name:9} {'identical' if same else 'DIFFER'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--record", help="pickle of the recorded calls (made if missing)")
    parser.add_argument("--save", help="pickle to write the functions' answers to")
    parser.add_argument("--compare", nargs=2, metavar="PKL", help="compare two --save files")
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    if args.record and Path(args.record).is_file():
        calls = pickle.loads(Path(args.record).read_bytes())
    else:
        calls = record(args.docs)
        if args.record:
            Path(args.record).write_bytes(pickle.dumps(calls))
    import rearguard

    print(f"rearguard from {Path(rearguard.__file__).parent}")
    answers = {}
    for name, fn in runners().items():
        fn(calls[name][0])  # load models, compile the expressions
        times = []
        for _ in range(args.repeat):
            start = time.process_time()
            answers[name] = [fn(c) for c in calls[name]]
            times.append(time.process_time() - start)
        print(f"  {name:9} {len(calls[name]):6} calls  CPU {statistics.median(times):6.2f} s"
              f"  (runs {' '.join(f'{t:.2f}' for t in times)})")
    if args.save:
        Path(args.save).write_bytes(pickle.dumps(answers))


if __name__ == "__main__":
    main()
