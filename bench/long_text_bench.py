"""Long-text benchmark: extraction time and peak memory against the length of one article.

    .venv/bin/python bench/long_text_bench.py [--sizes 125000,250000,500000,1000000,5000000]
        [--shapes paragraphs,one-line] [--timeout 900]

Each text is the bundled real reports (examples/ and tests/data/articles/) repeated to the
size asked, written to a temporary .txt file and read the way ``rearguard ingest`` reads
it (:func:`rearguard.ingest.read_sources`, so the 1,000,000-character cut of
docs/ingest.md applies), then extracted (:func:`rearguard.pipeline.extract_article`).
Shapes: ``paragraphs`` keeps the reports' line breaks; ``one-line`` puts the whole text on
a single line (no paragraph to cut at, no line for the parser to split on).

Each size runs in its own process (so peak memory is that size's), with a time limit.
Prints one line per run: characters read, characters extracted, seconds, seconds per
100,000 characters, events, peak memory (max RSS, MB).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _text(size: int, shape: str) -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted(
        [*ROOT.glob("examples/*.txt"), *ROOT.glob("tests/data/articles/*.txt")])]
    base = "\n\n".join(p.strip() for p in parts)
    text = (base + "\n\n") * (size // (len(base) + 2) + 1)
    text = text[:size]
    if shape == "one-line":
        text = " ".join(text.split())
    return text


def _one(size: int, shape: str) -> dict[str, object]:
    from rearguard.ingest import read_sources
    from rearguard.pipeline import extract_article
    from rearguard.settings import load_settings
    from rearguard.types import Article

    settings = load_settings()
    extract_article(Article(id="warm", text="Warm-up: 3 killed in Mosul."), settings=settings)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, f"long-{shape}.txt")
        path.write_text(_text(size, shape), encoding="utf-8")
        (article,) = [a for a in read_sources([str(path)]) if isinstance(a, Article)]
    start = time.perf_counter()
    result = extract_article(article, settings=settings)
    seconds = time.perf_counter() - start
    return {"size": size, "shape": shape, "extracted": len(article.text),
            "flags": getattr(article, "flags", None), "seconds": round(seconds, 1),
            "per_100k": round(seconds / max(len(article.text), 1) * 100_000, 2),
            "events": len(result.events),
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="125000,250000,500000,1000000,5000000")
    parser.add_argument("--shapes", default="paragraphs,one-line")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        size, shape = args.one.split(":")
        print(json.dumps(_one(int(size), shape)))
        return
    for shape in args.shapes.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            try:
                done = subprocess.run([sys.executable, __file__, "--one", f"{size}:{shape}"],
                                      capture_output=True, text=True, timeout=args.timeout)
            except subprocess.TimeoutExpired:
                print(json.dumps({"size": size, "shape": shape,
                                  "seconds": f"> {args.timeout:g} (stopped)"}), flush=True)
                continue
            if done.returncode != 0:
                tail = done.stderr.strip().splitlines()[-1:] or ["?"]
                print(json.dumps({"size": size, "shape": shape, "error": tail[0]}), flush=True)
                continue
            print(done.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
