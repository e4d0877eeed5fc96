"""Load benchmark of ``rearguard serve`` on 100,000 events, SQLite and PostgreSQL.

    .venv/bin/python bench/serve_bench.py [--events 100000] [--concurrency 8]
        [--seconds 15] [--rate 100 --rate 500] [--workers 1 --workers 2] [--cache-mb MB]
        [--postgres postgresql://postgres@127.0.0.1:5432/test [--postgres-schema NAME]]
        [--sqlite-db PATH] [--seed-db examples.db] [--only bbox] [--no-sqlite]

The dataset is synthetic but made of real extractions: the events the bundled reports give
(examples/, examples/golden, tests/data/dataset and tests/data/articles, ingested once into
a temporary store, or the events of ``--seed-db``) are copied again and again, each copy
with its date shifted by up to two years, its place moved by about 30 km (Gaussian), a new
id in its country's series and fatalities redrawn around the original; evidence, actors,
types and sources stay as extracted, so rows have the size and variety of real ones.
``--sqlite-db`` and ``--postgres-schema`` keep the filled stores to compare servers on one
dataset (a store of an older rearguard is migrated when opened).

The server runs as its own process(es) (``rearguard serve --rate 0``, ``--workers``
processes of ``--threads`` handler threads); the load comes from this process over
keep-alive HTTP/1.1 connections. Two requests:

* ``/events?limit=100`` (the first page, JSON with evidence);
* ``/events.geojson?bbox=...&limit=100``: a random 2 x 2 degree box around one of the
  seed places.

For each, a closed loop (``--concurrency`` connections each sending its next request when
the last answer arrives: the throughput the server sustains, with latencies) and an open
loop at each ``--rate`` requests per second (requests sent on schedule whatever the answers,
as wrk2 paces them: the latency a client sees at that rate, queueing included, counted
from when each request was due; a server slower than the rate shows it as growing
latency). Besides latencies, each line has the CPU time per answered request of the
server's processes and of the PostgreSQL backends serving them (from /proc, so it does
not depend on what else runs), the time the server's threads waited for a core
(schedstat's run-queue delay: what the rest of the machine cost it) and the load average.
Prints a Markdown table; JSON to bench/results/serve.json.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from rearguard.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEED_SOURCES = [ROOT / "examples/shirqat-2016-11-06.txt", *(ROOT / "examples/golden").glob("*.txt"),
                *(ROOT / "tests/data/dataset").glob("*.txt"),
                *(ROOT / "tests/data/articles").glob("*.txt")]


def seed_events(seed_db: str | None, work: Path) -> list:
    if seed_db is None:
        from rearguard.dataset import ingest

        seed_db = str(work / "seed.db")
        with open_store(seed_db) as store:
            ingest([str(p) for p in sorted(SEED_SOURCES)], store=store)
    with open_store(seed_db, create=False) as store:
        events = [e for e in store.events() if e.latitude is not None and e.event_date]
    if not events:
        raise SystemExit("the seed store holds no dated, located events")
    return events


def synthetic(seeds: list, n: int, rng: random.Random):
    """n events copied from the seeds with shifted dates, places, ids and counts."""
    numbers: dict[str, int] = {}
    for i in range(n):
        base = seeds[i % len(seeds)]
        code = base.event_id_cnty.rstrip("0123456789") or "XXX"
        numbers[code] = numbers.get(code, 0) + 1
        day = dt.date.fromisoformat(base.event_date) + dt.timedelta(days=rng.randint(-730, 0))
        lat = max(-89.9, min(89.9, base.latitude + rng.gauss(0, 0.3)))
        lon = (base.longitude + rng.gauss(0, 0.3) + 180) % 360 - 180
        fatalities = max(0, int(rng.gauss(base.fatalities, 1 + base.fatalities / 3)))
        yield dataclasses.replace(
            base, event_id_cnty=f"{code}{numbers[code]}", event_date=day.isoformat(),
            year=day.year, latitude=round(lat, 5), longitude=round(lon, 5),
            fatalities=fatalities, timestamp=base.timestamp + i)


def fill(url: str, seeds: list, n: int) -> float:
    started = time.perf_counter()
    rng = random.Random(12)
    with open_store(url) as store:
        batch = []
        for event in synthetic(seeds, n, rng):
            batch.append(event)
            if len(batch) == 2000:
                with store.transaction():
                    for e in batch:
                        store.put_event(e)
                batch = []
        with store.transaction():
            for e in batch:
                store.put_event(e)
        assert store.count("events") == n, store.count("events")
    return time.perf_counter() - started


# -- the server ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


APPLICATION = "rg_bench_serve"  # the server's PostgreSQL connections, to find their CPU time


class Server:
    def __init__(self, url: str, threads: int, workers: int = 1, cache_mb: float | None = None,
                 postgres: str | None = None) -> None:
        self.postgres = postgres  # an admin URL: count the server's PostgreSQL backends too
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        command = [sys.executable, "-m", "rearguard", "serve", "--db", url, "--port",
                   str(self.port), "--rate", "0", "--threads", str(threads), "--no-map"]
        if workers != 1:
            command += ["--workers", str(workers)]
        if cache_mb is not None:
            command += ["--cache-mb", str(cache_mb)]
        self.process = subprocess.Popen(
            command, stdout=self.log, stderr=self.log,
            env={**os.environ, "REARGUARD_SERVE_TOKEN": ""})
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.log.seek(0)
                    raise SystemExit("the server did not start: "
                                     + self.log.read().decode()) from None
                time.sleep(0.2)

    def cpu_seconds(self) -> float:
        """User and system CPU time of the server and its live descendants (the worker
        processes), from /proc: what the requests cost whatever else the machine runs."""
        return sum(_cpu_of(pid) for pid in _family(self.process.pid))

    def waited_seconds(self) -> float:
        """Time the server's threads spent ready to run but waiting for a core (the
        scheduler's run-queue delay, /proc/PID/task/TID/schedstat): what the rest of the
        machine's load cost it."""
        total = 0
        for pid in _family(self.process.pid):
            try:
                tasks = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for tid in tasks:
                try:
                    with open(f"/proc/{pid}/task/{tid}/schedstat", encoding="ascii") as f:
                        total += int(f.read().split()[1])
                except (OSError, IndexError, ValueError):
                    continue
        return total / 1e9

    def store_cpu_seconds(self) -> float:
        """CPU time of the PostgreSQL backends serving the server's connections (0 on
        SQLite, which runs inside the server)."""
        if not self.postgres:
            return 0.0
        import psycopg

        with psycopg.connect(self.postgres, autocommit=True) as admin:
            pids = [r[0] for r in admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APPLICATION])]
        return sum(_cpu_of(pid) for pid in pids)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # still answering a backlog: no need to wait
            self.process.kill()
            self.process.wait()
        self.log.close()


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        return handle.read().rsplit(")", 1)[1].split()


def _cpu_of(pid: int) -> float:
    try:
        fields = _stat(pid)
    except OSError:  # gone meanwhile
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def _family(root: int) -> list[int]:
    """``root`` and every live process below it."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents.setdefault(int(_stat(int(entry))[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def measured(server: Server, run) -> dict:
    """``run()``'s result with the CPU time per answered request of the server (its
    processes), of PostgreSQL's backends for it, and of the load generator (this
    process): independent of what else the machine runs."""
    cpu, store, client = server.cpu_seconds(), server.store_cpu_seconds(), time.process_time()
    waited = server.waited_seconds()
    result = asyncio.run(run())
    cpu, store, client = (server.cpu_seconds() - cpu, server.store_cpu_seconds() - store,
                          time.process_time() - client)
    waited = max(0.0, server.waited_seconds() - waited)
    answered = max(1, result["requests"])
    result.update(server_cpu_ms=round(1000 * cpu / answered, 2),
                  store_cpu_ms=round(1000 * store / answered, 2),
                  server_waited_ms=round(1000 * waited / answered, 2),
                  client_cpu_ms=round(1000 * client / answered, 2),
                  load_average=round(os.getloadavg()[0], 2))
    return result


# -- the load -----------------------------------------------------------------------------

class Connection:
    """One keep-alive HTTP/1.1 connection (the answers carry Content-Length)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, int]:
        try:
            return await self._get(path)
        except (asyncio.IncompleteReadError, ConnectionError):
            # the server closes a connection idle past its keep-alive (5 s): open another
            self.close()
            self.writer = None
            return await self._get(path)

    async def _get(self, path: str) -> tuple[int, int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None and self.writer is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = next(int(line.split(":", 1)[1]) for line in lines
                      if line.lower().startswith("content-length:"))
        await self.reader.readexactly(length)
        return status, length

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(latencies: list[float], elapsed: float, errors: int, size: int) -> dict:
    if not latencies:
        return {"requests": 0, "rps": 0.0, "p50_ms": None, "p99_ms": None, "mean_ms": None,
                "errors": errors, "bytes_per_answer": size}
    return {"requests": len(latencies), "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(1000 * percentile(latencies, 50), 1),
            "p99_ms": round(1000 * percentile(latencies, 99), 1),
            "mean_ms": round(1000 * statistics.fmean(latencies), 1),
            "errors": errors, "bytes_per_answer": size}


async def closed_loop(port: int, paths, concurrency: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    size = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors, size
        connection = Connection(port)
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                status, size = await connection.get(next(paths))
                latencies.append(time.perf_counter() - started)
                errors += status != 200
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return summary(latencies, time.perf_counter() - started, errors, size)


async def open_loop(port: int, paths, rate: float, seconds: float,
                    connections: int = 64) -> dict:
    """Requests sent every 1/rate s whatever the answers, over at most ``connections``
    keep-alive connections (a request waits for a free one). Latency counts from when a
    request was due, so queueing shows. Requests still unanswered ``seconds`` after the
    last was due are cancelled and counted as ``late``."""
    latencies: list[float] = []
    errors = 0
    size = 0
    idle = [Connection(port) for _ in range(connections)]
    free = asyncio.Semaphore(connections)

    async def one(path: str, due: float) -> None:
        nonlocal errors, size
        async with free:
            connection = idle.pop()
            try:
                status, size = await connection.get(path)
            except asyncio.CancelledError:
                connection.close()  # half-read: not reusable
                raise
            latencies.append(time.perf_counter() - due)
            errors += status != 200
            idle.append(connection)

    started = time.perf_counter()
    tasks = []
    for i in range(int(rate * seconds)):
        due = started + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(next(paths), due)))
    _, late = await asyncio.wait(tasks, timeout=seconds)
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    elapsed = time.perf_counter() - started
    for connection in idle:
        connection.close()
    result = summary(latencies, elapsed, errors, size)
    result.update(offered_rps=rate, late=len(late))
    return result


def scenarios(seeds: list, rng: random.Random):
    def first_page():
        while True:
            yield "/events?limit=100"

    def bbox():
        while True:
            seed = rng.choice(seeds)
            west, south = seed.longitude - 1 + rng.uniform(-0.3, 0.3), \
                seed.latitude - 1 + rng.uniform(-0.3, 0.3)
            yield (f"/events.geojson?bbox={west:.3f},{south:.3f},{west + 2:.3f},"
                   f"{south + 2:.3f}&limit=100")

    return {"/events?limit=100": first_page, "/events.geojson?bbox=(2x2 deg)&limit=100": bbox}


def run_backend(name: str, url: str, seeds: list, args, postgres: str | None = None
                ) -> list[dict]:
    rows = []
    for workers in args.workers:
        label = name if workers == 1 else f"{name}, {workers} processes"
        rows += run_server(label, workers, url, seeds, args, postgres)
    return rows


def run_server(name: str, workers: int, url: str, seeds: list, args, postgres: str | None
               ) -> list[dict]:
    server = Server(url, args.threads, workers, args.cache_mb, postgres)
    rows = []
    try:
        for label, make in scenarios(seeds, random.Random(7)).items():
            if args.only and args.only not in label:
                continue
            asyncio.run(closed_loop(server.port, make(), args.concurrency, 2))  # warm-up
            closed = measured(server, lambda make=make: closed_loop(
                server.port, make(), args.concurrency, args.seconds))
            rows.append({"store": name, "request": label, "workers": workers,
                         "load": f"closed loop, {args.concurrency} connections", **closed})
            print(json.dumps(rows[-1]), file=sys.stderr)
            for rate in args.rate:
                opened = measured(server, lambda make=make, rate=rate: open_loop(
                    server.port, make(), rate, args.seconds))
                rows.append({"store": name, "request": label, "workers": workers,
                             "load": f"open loop, {rate:g} requests/s", **opened})
                print(json.dumps(rows[-1]), file=sys.stderr)
    finally:
        server.stop()
    return rows


def sqlite_store(path: str | None, work: Path, seeds: list, n: int, facts: dict) -> str:
    """The benchmark's SQLite store: ``path`` as it is when it already holds ``n`` events
    (to compare servers on one dataset), else filled anew (and kept there if given)."""
    if path and Path(path).exists():
        with open_store(path, create=False) as store:  # migrated to this version
            if store.count("events") == n:
                return path
        raise SystemExit(f"{path} does not hold {n:,} events; remove it to fill it again")
    url = path or str(work / "bench.db")
    facts["sqlite_fill_s"] = round(fill(url, seeds, n), 1)
    facts["sqlite_mb"] = round(os.path.getsize(url) / 1e6, 1)
    return url


def run_postgres(args, seeds: list, facts: dict) -> list[dict]:
    """The PostgreSQL runs, in a schema of its own: a new one dropped afterwards, or
    ``--postgres-schema`` (filled once, then reused as it is)."""
    import psycopg

    admin = psycopg.connect(args.postgres, autocommit=True)
    schema = args.postgres_schema or f"rg_bench_{secrets.token_hex(4)}"
    sep = "&" if "?" in args.postgres else "?"
    url = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
    try:
        exists = admin.execute("SELECT 1 FROM information_schema.tables WHERE "
                               "table_schema = %s AND table_name = 'events'",
                               [schema]).fetchone() is not None
        if not exists:
            admin.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            facts["postgres_fill_s"] = round(fill(url, seeds, args.events), 1)
        else:
            with open_store(url, create=False) as store:  # migrated to this version
                if store.count("events") != args.events:
                    raise SystemExit(f"schema {schema} does not hold {args.events:,} events")
        admin.execute(f"VACUUM ANALYZE {schema}.events")  # as autovacuum would, in time
        return run_backend("PostgreSQL", f"{url}&application_name={APPLICATION}", seeds, args,
                           postgres=args.postgres)
    finally:
        if not args.postgres_schema:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rate", type=float, action="append",
                        help="open-loop request rate (repeatable; default 100 and 500)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, action="append",
                        help="rearguard serve --workers (server processes; repeatable: one "
                        "server after the other; default 1)")
    parser.add_argument("--cache-mb", type=float,
                        help="rearguard serve --cache-mb (default: the server's)")
    parser.add_argument("--only", help="only the requests whose label contains this "
                        "('limit=100', 'bbox')")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--sqlite-db", help="keep the SQLite store here and reuse it")
    parser.add_argument("--postgres", help="also on this PostgreSQL database (a schema of "
                        "its own, dropped afterwards)")
    parser.add_argument("--postgres-schema", help="keep the PostgreSQL store in this "
                        "schema and reuse it")
    parser.add_argument("--seed-db", help="copy the events of this store (default: ingest "
                        "the bundled reports)")
    args = parser.parse_args()
    args.rate = args.rate or [100.0, 500.0]
    args.workers = args.workers or [1]

    rows: list[dict] = []
    facts: dict = {"load_average_start": os.getloadavg()}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        seeds = seed_events(args.seed_db, work)
        facts["seed_events"] = len(seeds)
        if not args.no_sqlite:
            url = sqlite_store(args.sqlite_db, work, seeds, args.events, facts)
            rows += run_backend("SQLite", url, seeds, args)
        if args.postgres:
            rows += run_postgres(args, seeds, facts)
    facts.update(events=args.events, cpus=os.cpu_count(), threads=args.threads,
                 workers=args.workers, seconds=args.seconds, load_average=os.getloadavg())
    out = ROOT / "bench/results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "serve.json").write_text(json.dumps({"facts": facts, "rows": rows}, indent=1))
    print(f"{args.events:,} events from {facts['seed_events']} real ones; "
          f"{facts['cpus']} CPUs; load average "
          f"{facts['load_average_start'][0]:.1f} at the start, "
          f"{facts['load_average'][0]:.1f} at the end")
    print("| store | request | load | answered/s | p50 ms | p99 ms | late | errors "
          "| CPU ms/request (server + PostgreSQL) | waited for a core, ms/request "
          "| load avg | KB |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        cpu = f"{r['server_cpu_ms']}" + (f" + {r['store_cpu_ms']}" if r["store_cpu_ms"] else "")
        print(f"| {r['store']} | `{r['request']}` | {r['load']} | {r['rps']:,} | "
              f"{r['p50_ms']} | {r['p99_ms']} | {r.get('late', '')} | {r['errors']} | "
              f"{cpu} | {r['server_waited_ms']} | {r['load_average']} | "
              f"{r['bytes_per_answer'] // 1000} |")


if __name__ == "__main__":
    main()
