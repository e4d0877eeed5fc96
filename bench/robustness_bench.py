"""Robustness run (issue 11, point 5): many generated hostile inputs through the commands.

    .venv/bin/python bench/robustness_bench.py [--examples 100000] [--chunk 1000] [--seed 0]
        [--workers 2] [--postgres postgresql://postgres@127.0.0.1:5432/test] [--max-repeat 2000]
        [--example-timeout 120]

Each example is one command line (ingest, extract, geocode, classify, export, history or
control) run in-process through click's CliRunner on generated files: text, HTML, JSON
Lines, RSS/Atom/RDF feeds or folders of them, with NUL, bidirectional marks, invalid UTF-8,
lone surrogates, huge lines, deep nesting, broken XML and JSON of the wrong types (the
strategies of tests/robustness/inputs.py, the same ones the default test run samples). Every
run is checked: no exception but click's exit, no "Traceback" on standard error, exit status
0, 1 or 2, one coded line per error; after every ingest, every article, event, control
record and change-log entry stored before it is still there.

Examples run in chunks (a fresh Hypothesis run with seed ``seed + chunk number``, so a chunk
is reproducible on its own, and a fresh store seeded with tests/data/dataset); with
``--postgres`` every other chunk's store is a fresh schema on that server. Workers split the
chunks. A failure does not stop the run: failures are grouped by their last traceback line
(or problem), counted, and the first case of each is printed to reproduce it. Results are
written to bench/results/robustness.json after every chunk ("complete": false until the
last).

An example that runs longer than ``--example-timeout`` seconds is stopped (SIGALRM in the
worker) and recorded as slow, its own kind apart from the failures ("slow: COMMAND BYTES
bytes", with its case), so that one slow input cannot stall a chunk: the second large run
stopped for over 20 minutes in the chunks of seeds 30 and 31 (docs/robustness.md). The store
checks are skipped for a stopped ingest (it was cut mid-way, on purpose).
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _signature(problem: str) -> str:
    from tests.robustness.inputs import known

    name = known(problem)
    if name:
        return f"known: {name}"
    if problem.startswith(("traceback: ", "'Traceback' on standard error")):
        # its last line that names an error
        lines = [x for x in problem.splitlines() if re.match(r"[\w.]+(Error|Exception)\b", x)]
        last = lines[-1] if lines else problem.splitlines()[-1]
        return problem.split(":")[0] + ": " + last[:200]
    return problem[:120]


class _Slow(BaseException):
    """Raised by SIGALRM in a running example. A BaseException, so that neither click's
    runner nor the product's ``except Exception`` takes it for the command's own error."""


def _alarm(signum: int, frame: Any) -> None:
    raise _Slow


def run_chunk(number: int, args: argparse.Namespace) -> dict[str, Any]:
    """One Hypothesis run of ``args.chunk`` examples on a fresh store."""
    from hypothesis import HealthCheck, Phase, given, seed, settings

    from rearguard.dataset import ingest
    from rearguard.store import open_store
    from tests.robustness.inputs import any_case, run_case

    base = Path(tempfile.mkdtemp(prefix=f"rg-robust-{number}-"))
    admin = schema = None
    if args.postgres and number % 2 == 1:
        import psycopg

        admin = psycopg.connect(args.postgres, autocommit=True)
        schema = f"rg_robust_{secrets.token_hex(4)}"
        admin.execute(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in args.postgres else "?"
        db = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
    else:
        db = f"sqlite:///{base / 'store.db'}"
    with open_store(db) as store:
        ingest([str(ROOT / "tests/data/dataset")], store=store)
    counts: collections.Counter[str] = collections.Counter()
    failures: dict[str, dict[str, Any]] = {}
    slow: list[dict[str, Any]] = []
    signal.signal(signal.SIGALRM, _alarm)

    @seed(args.seed + number)
    @settings(max_examples=args.chunk, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(any_case(args.max_repeat))
    def one(case) -> None:
        work = Path(tempfile.mkdtemp(dir=base))
        size = sum(len(d) for d in case.files.values())
        counts["examples"] += 1
        counts[f"command {case.command}"] += 1
        counts["files"] += len(case.files)
        counts["bytes"] += size
        started = time.monotonic()
        try:
            signal.setitimer(signal.ITIMER_REAL, args.example_timeout)
            try:
                run = run_case(case, work, db)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _Slow:
            gc.collect()  # close what the stopped command left open (a store's connection)
            counts["slow examples"] += 1
            slow.append({"kind": f"slow: {case.command} {size} bytes", "chunk": number,
                         "seconds": round(time.monotonic() - started, 1),
                         "case": case.describe()[:3000]})
            return
        finally:
            shutil.rmtree(work, ignore_errors=True)
        counts[f"exit {run.status}"] += 1
        counts["failed examples"] += bool(run.problems)
        for problem in run.problems:
            key = _signature(problem)
            entry = failures.setdefault(key, {"count": 0, "first": problem[-3000:],
                                              "case": case.describe()[:3000],
                                              "chunk": number})
            entry["count"] += 1

    start = time.monotonic()
    try:
        one()
    finally:
        if admin is not None:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            admin.close()
        shutil.rmtree(base, ignore_errors=True)
    return {"chunk": number, "backend": "postgresql" if schema else "sqlite",
            "seconds": time.monotonic() - start, "counts": dict(counts), "failures": failures,
            "slow": slow}


def _worker(numbers: list[int], args: argparse.Namespace, queue) -> None:
    for number in numbers:
        queue.put(run_chunk(number, args))
    queue.put(None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--postgres", help="also run every other chunk on this server")
    parser.add_argument("--max-repeat", type=int, default=2_000,
                        help="longest run of one unit in a huge line")
    parser.add_argument("--example-timeout", type=float, default=120.0, metavar="SECONDS",
                        help="stop an example after this long and record it as slow")
    parser.add_argument("--output", default=str(ROOT / "bench/results/robustness.json"))
    args = parser.parse_args()
    chunks = list(range(-(-args.examples // args.chunk)))
    started = time.monotonic()
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(chunks[i::args.workers], args, queue))
               for i in range(args.workers)]
    for w in workers:
        w.start()
    results, running = [], len(workers)
    totals: collections.Counter[str] = collections.Counter()
    failures: dict[str, dict[str, Any]] = {}
    slow: list[dict[str, Any]] = []
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)

    def save() -> None:  # after every chunk, so a run stopped early keeps its results
        summary = {"examples": totals["examples"], "seconds": round(time.monotonic() - started),
                   "complete": not running, "counts": dict(totals), "failures": failures,
                   "slow": slow, "args": vars(args),
                   "chunks": [{k: r[k] for k in ("chunk", "backend", "seconds")} |
                              {"examples": r["counts"].get("examples", 0)} for r in results]}
        out.write_text(json.dumps(summary, indent=1, ensure_ascii=False))

    while running:
        result = queue.get()
        if result is None:
            running -= 1
            continue
        results.append(result)
        totals.update(result["counts"])
        for key, entry in result["failures"].items():
            if key in failures:
                failures[key]["count"] += entry["count"]
            else:
                failures[key] = entry
                print(f"NEW FAILURE {key}\n  case: {entry['case'][:600]}\n", flush=True)
        for entry in result["slow"]:
            slow.append(entry)
            print(f"SLOW (stopped after {entry['seconds']} s) {entry['kind']}\n"
                  f"  case: {entry['case'][:600]}\n", flush=True)
        print(f"chunk {result['chunk']:3} {result['backend']:10} "
              f"{result['counts'].get('examples', 0)} examples in {result['seconds']:.0f} s; "
              f"total {totals['examples']} in {time.monotonic() - started:.0f} s, "
              f"{totals['failed examples']} failed, {totals['slow examples']} slow", flush=True)
        save()
    for w in workers:
        w.join()
    save()
    elapsed = time.monotonic() - started
    print(f"\n{totals['examples']:,} examples ({totals['files']:,} generated files, "
          f"{totals['bytes']:,} bytes) in {elapsed:.0f} s on {args.workers} worker(s); "
          f"{totals['failed examples']} examples failed, {totals['slow examples']} stopped as "
          f"slow (over {args.example_timeout:g} s)")
    for key, entry in sorted(failures.items(), key=lambda kv: -kv[1]["count"]):
        print(f"  {entry['count']:6}  {key}")
    for entry in slow:
        print(f"  slow   {entry['kind']} (chunk {entry['chunk']})")
    print("commands: " + ", ".join(f"{k.split()[1]} {v}" for k, v in sorted(totals.items())
                                    if k.startswith("command ")))
    print(f"written to {out}")
    return 1 if any(not k.startswith("known: ") for k in failures) else 0


if __name__ == "__main__":
    os.environ.setdefault("TQDM_DISABLE", "1")
    sys.exit(main())
