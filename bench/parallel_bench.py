"""Worker processes against one process, same articles, same run.

    .venv/bin/python bench/parallel_bench.py [--docs 600] [--workers 1 2]

Writes the first N real articles of ../shared/eval (the news geoparsing corpora's
development halves, then MUC-4 dev reports) to a JSON Lines file and runs
``rearguard extract --input FILE --workers W`` for each W, each in its own process tree,
reporting wall-clock seconds, docs/s, the speed-up over one worker and the peak memory
(max RSS) of the largest process (one worker's pipeline; the tree holds W of them). The
outputs must be identical, and the script says so.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_bench import _texts

CLI = Path(sys.executable).parent / "rearguard"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    texts = _texts(args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "articles.jsonl"
        source.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n"
                                  for i, t in enumerate(texts)), encoding="utf-8")
        chars = sum(len(t) for t in texts)
        print(f"{len(texts)} articles, {chars:,} characters")
        base = None
        digests = set()
        for workers in args.workers:
            out = Path(tmp) / f"out-{workers}.jsonl"
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            start = time.perf_counter()
            with out.open("w") as fh:
                subprocess.run([str(CLI), "extract", "--input", str(source), "--workers",
                                str(workers)], stdout=fh, check=True)
            seconds = time.perf_counter() - start
            peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
            digests.add(hashlib.sha1(out.read_bytes()).hexdigest())
            base = base or seconds
            print(f"  workers {workers}: {seconds:7.2f} s  {len(texts) / seconds:6.1f} docs/s  "
                  f"{base / seconds:4.2f}x one worker  largest process {peak // 1024} MB")
        print("  outputs identical" if len(digests) == 1 else "  OUTPUTS DIFFER")


if __name__ == "__main__":
    main()
