"""Dataset benchmark: ingest 1,000+ real articles, ingest them again, compare backends.

    .venv/bin/python bench/ingest_bench.py [--docs 1200] [--postgres URL] [--workers 1 2]

The corpus is the texts in ../shared/eval in a fixed order: the development halves of the
four news geoparsing corpora (a general news feed) and MUC-4 train and dev reports
(political violence, re-cased sentence by sentence), written to a JSON Lines file with a
publication date per line. Reports articles/s and events/s of a first ingest into SQLite,
the time of a second ingest of the same corpus (which must change nothing), peak memory,
and, with --postgres, the same ingest into PostgreSQL and whether both stores export
byte-identical CSV and JSON Lines. With several ``--workers`` values each ingest is run
with each (worker processes extract, this process writes), and the exports must not
differ between them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import secrets
import sys
import tempfile
import time
from pathlib import Path

from rearguard.dataset import ingest
from rearguard.eval.corpora import load_corpus
from rearguard.export import write_events
from rearguard.settings import load_settings
from rearguard.store import open_store

SHARED = Path(__file__).resolve().parents[1].parent / "shared/eval"
CORPORA = ("trnews", "gwn", "geovirus", "lgl")


def _recase(text: str) -> str:
    return ". ".join(s.strip().capitalize() for s in text.split(". "))


def corpus(n: int) -> list[dict]:
    rows = [{"id": f"{name}-{doc.id}", "text": doc.text, "published": "2016-11-06"}
            for name in CORPORA for doc in load_corpus(name)]
    for split in ("dev", "train"):
        path = SHARED / f"muc4/processed/{split}.json"
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            rows.append({"id": f"muc-{doc['docid']}", "text": _recase(doc["doctext"]),
                         "published": "1989-06-01"})
    return rows[:n]


def _digest(store, folder: Path, name: str) -> str:
    digest = hashlib.sha256()
    for fmt in ("csv", "jsonl"):
        path = folder / f"{name}.{fmt}"
        write_events(store.events(), fmt, path)
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def run(url: str, source: Path, folder: Path, name: str, settings, workers: int = 1) -> dict:
    clock = lambda: 1_700_000_000  # noqa: E731 - fixed timestamps: identical exports
    with open_store(url) as store:
        start = time.perf_counter()
        first = ingest([str(source)], store=store, settings=settings, clock=clock,
                       workers=workers)
        seconds = time.perf_counter() - start
        before = _digest(store, folder, f"{name}-1")
        start = time.perf_counter()
        second = ingest([str(source)], store=store, settings=settings, clock=clock)
        again = time.perf_counter() - start
        after = _digest(store, folder, f"{name}-2")
        events = store.count("events")
    return {"articles": first.articles, "events": events, "new": first.events_new,
            "merged": first.events_merged, "errors": len(first.errors), "seconds": seconds,
            "second_seconds": again, "second_new": second.articles, "unchanged": before == after,
            "digest": before}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1200)
    parser.add_argument("--postgres", help="also ingest into this PostgreSQL database "
                        "(a fresh schema is made and dropped)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1],
                        help="worker processes for the first ingest, one run each")
    args = parser.parse_args()
    settings = load_settings()
    rows = corpus(args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "corpus.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        digests = set()
        for workers in args.workers:
            lite = run(f"sqlite:///{folder / f'bench-{workers}.db'}", source, folder,
                       f"sqlite-{workers}", settings, workers)
            _report(f"SQLite, {workers} worker(s)", lite, len(rows))
            digests.add(lite["digest"])
        if len(args.workers) > 1:
            print("exports with " + ", ".join(map(str, args.workers)) + " workers: "
                  + ("identical" if len(digests) == 1 else "DIFFERENT"))
        if args.postgres:
            import psycopg

            schema = f"rg_bench_{secrets.token_hex(4)}"
            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f"CREATE SCHEMA {schema}")
                try:
                    sep = "&" if "?" in args.postgres else "?"
                    url = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
                    pg = run(url, source, folder, "postgresql", settings, args.workers[-1])
                finally:
                    admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            _report(f"PostgreSQL, {args.workers[-1]} worker(s)", pg, len(rows))
            same = "identical" if pg["digest"] == lite["digest"] else "DIFFERENT"
            print(f"exports (CSV and JSON Lines) from SQLite and PostgreSQL: {same}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB")


def _report(name: str, r: dict, total: int) -> None:
    print(f"{name}: {total} articles in, {r['articles']} stored, {r['events']} events "
          f"({r['new']} created, {r['merged']} merged), {r['errors']} errors")
    print(f"  first ingest:  {r['seconds']:7.1f} s  {r['articles'] / r['seconds']:6.1f} "
          f"articles/s  {r['events'] / r['seconds']:6.1f} events/s")
    print(f"  second ingest: {r['second_seconds']:7.1f} s  {r['second_new']} new articles, "
          f"dataset {'unchanged' if r['unchanged'] else 'CHANGED'}")


if __name__ == "__main__":
    sys.exit(main())
