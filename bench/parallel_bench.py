"""Worker processes, the Ray engine and the bare spaCy pipeline, same articles, same run.

    .venv/bin/python bench/parallel_bench.py [--docs 2000] [--workers 1 2] [--ray-cpus 2]
                                             [--repeat 1] [--no-ray] [--no-bare]
                                             [--python PYTHON ...]

Writes the first N real articles of ../shared/eval (the corpus of bench/ingest_bench.py:
the news geoparsing corpora's development halves, then MUC-4 dev and train reports, each
with a publication date) to a JSON Lines file and times, each in its own process tree and
one after the other:

* ``rearguard extract --input FILE --workers W`` for each W (local worker processes);
* ``rearguard extract --input FILE --engine ray --workers C --output OUT.jsonl``: a Ray
  started for the run with C actors (the ``ray`` extra; skipped with a note without it);
* the bare spaCy pipeline rearguard loads (the ``spacy_model`` setting, without the
  lemmatizer, as :func:`rearguard.nlp.pipeline.load_pipeline` loads it, but without
  rearguard's rulers) over the same texts with ``nlp.pipe(n_process=2)``.

Each line gives wall-clock seconds (the whole command: start-up, loading, the work),
docs/s, the ratio to the first run (one worker), the CPU seconds of the whole process tree
and docs per CPU-second (what a machine of one's own would give per core; it moves less
with other work on the machine than wall time does), and peak memory sampled from /proc
every 0.2 s: the largest process and the whole process tree (a Ray run's tree holds Ray's
own services). The outputs of the local runs and the Ray run must be identical, and the
script says so; the Ray line also gives its time against the last local run (the issue's
target: at most 1.3x two local workers).

``--python`` runs the ``extract`` commands under each of the given interpreters
(``PYTHON -m rearguard extract ...``; default: this one), each line labelled with the
interpreter and its spaCy version: the same code over another environment (another spaCy
build, say; or, with a wrapper script that sets ``PYTHONPATH``, other code), in the same
run, with the same check that every output is identical. Wrappers of two checkouts must
set their own ``XDG_DATA_HOME`` too: the gazetteer index is rebuilt whenever the
fingerprint of its code differs (``rearguard/geo/build.py``), so two checkouts sharing one
index rebuild it inside every other timed command (about 40 CPU seconds).

On a machine shared with other work the figures move with its load: ``--repeat N`` runs
every command N times, alternating (round 2 runs them in reverse order), and gives the
median seconds with the range. The load average is printed before and after. The
outputs are only comparable if rearguard's code and data did not change during the run
(a shared checkout): the script fingerprints ``rearguard/`` before each command and says
if it changed.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_bench import corpus

CLI = Path(sys.executable).parent / "rearguard"
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
PACKAGE = Path(__file__).resolve().parents[1] / "rearguard"


def _fingerprint() -> str:
    """rearguard's code and data as this run reads them."""
    digest = hashlib.sha1()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


TICK = os.sysconf("SC_CLK_TCK")


def _tree(root: int) -> dict[int, tuple[int, float]]:
    """``root`` and its descendants: pid -> (resident memory KB, CPU seconds so far)."""
    children: dict[int, list[int]] = {}
    seen: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            pages = int(Path(f"/proc/{entry}/statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        seen[int(entry)] = (pages * PAGE_KB, (int(fields[11]) + int(fields[12])) / TICK)
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in seen:
            tree[pid] = seen[pid]
        todo += children.get(pid, [])
    return tree


def timed(command: list[str], stdout_path: Path | None) -> dict[str, float]:
    """Run ``command``, sampling its process tree: wall seconds, CPU seconds (every
    process of the tree, Ray's services included; a process's last 0.2 s before it ends
    may be missed) and peak memory (MB)."""
    peak = [0, 0]
    cpu: dict[int, float] = {}
    out = stdout_path.open("wb") if stdout_path else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            tree = _tree(proc.pid)
            sizes = [kb for kb, _ in tree.values()]
            peak[0] = max(peak[0], max(sizes, default=0))
            peak[1] = max(peak[1], sum(sizes))
            cpu.update({pid: seconds for pid, (_, seconds) in tree.items()})

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if stdout_path:
        out.close()  # type: ignore[union-attr]
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command[:4])}... failed ({proc.returncode}):\n"
                 f"{err.decode(errors='replace')[-2000:]}")
    return {"seconds": seconds, "cpu": sum(cpu.values()), "largest_mb": peak[0] / 1024,
            "tree_mb": peak[1] / 1024}


def _spacy(python: str) -> str:
    """The version of spaCy ``python`` imports."""
    return subprocess.run([python, "-c", "import spacy; print(spacy.__version__)"],
                          check=True, capture_output=True, text=True).stdout.strip()


def bare(source: Path, processes: int) -> None:
    """The bare spaCy pipeline over the texts of ``source`` (run as a child process)."""
    import spacy

    from rearguard.settings import load_settings

    texts = [json.loads(line)["text"] for line in source.open(encoding="utf-8")]
    nlp = spacy.load(load_settings().spacy_model, exclude=["lemmatizer"])
    for _ in nlp.pipe(texts, n_process=processes, batch_size=16):
        pass  # docs are dropped as they come, as extract does


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--ray-cpus", type=int, default=2, help="actors of the Ray run")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each command, alternating; medians are reported")
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--no-bare", action="store_true")
    parser.add_argument("--python", nargs="+", default=[sys.executable],
                        help="interpreters to run extract with (default: this one)")
    parser.add_argument("--bare", help=argparse.SUPPRESS)  # internal: the bare child
    parser.add_argument("--processes", type=int, default=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        bare(Path(args.bare), args.processes)
        return
    rows = corpus(args.docs)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "articles.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        print(f"{len(rows)} articles, {sum(len(r['text']) for r in rows):,} characters")
        runs: list[tuple[str, list[str], Path | None]] = []
        for k, python in enumerate(args.python):
            command, label = [str(CLI)], ""
            if len(args.python) > 1 or python != sys.executable:
                command = [python, "-m", "rearguard"]
                label = f" [{python}: spaCy {_spacy(python)}]"
            for workers in args.workers:
                runs.append((f"extract, {workers} worker(s){label}",
                             [*command, "extract", "--input", str(source), "--workers",
                              str(workers)], Path(tmp) / f"out-{k}-{workers}.jsonl"))
        ray_out = Path(tmp) / "out-ray.jsonl"
        if args.no_ray:
            pass
        elif importlib.util.find_spec("ray") is None:
            print("  (Ray engine skipped: the ray extra is not installed: "
                  "pip install 'rearguard[ray]')")
        else:
            runs.append((f"extract --engine ray, {args.ray_cpus} CPUs",
                         [str(CLI), "extract", "--input", str(source), "--engine", "ray",
                          "--workers", str(args.ray_cpus), "--output", str(ray_out)], None))
        if not args.no_bare:
            runs.append(("bare spaCy, n_process=2",
                         [sys.executable, __file__, "--bare", str(source)], None))
        results: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in runs}
        digests = set()
        fingerprints = set()
        for round_ in range(args.repeat):
            for name, command, stdout_path in runs if round_ % 2 == 0 else runs[::-1]:
                fingerprints.add(_fingerprint())
                ray_out.unlink(missing_ok=True)  # else the Ray job skips it as done
                results[name].append(timed(command, stdout_path))
                output = stdout_path or (ray_out if "--engine" in command else None)
                if output is not None:
                    digests.add(hashlib.sha1(output.read_bytes()).hexdigest())
        base = last_local = None
        for name, command, stdout_path in runs:
            seconds = statistics.median(r["seconds"] for r in results[name])
            spread = "" if args.repeat == 1 else (
                f" ({min(r['seconds'] for r in results[name]):.0f}-"
                f"{max(r['seconds'] for r in results[name]):.0f})")
            cpu = statistics.median(r["cpu"] for r in results[name])
            largest = max(r["largest_mb"] for r in results[name])
            tree = max(r["tree_mb"] for r in results[name])
            base = base or seconds
            extra = ""
            if stdout_path is not None:
                last_local = seconds
            elif "--engine" in command and last_local:
                extra = f"  {seconds / last_local:4.2f}x the time of the last local run"
            print(f"  {name + ':':30} {seconds:6.1f} s{spread}  {len(rows) / seconds:5.1f} "
                  f"docs/s  {base / seconds:4.2f}x one worker  CPU {cpu:6.1f} s "
                  f"({len(rows) / cpu:5.1f} docs per CPU-second)  largest process "
                  f"{largest:4.0f} MB, all {tree:5.0f} MB{extra}")
        if len(fingerprints) > 1:
            print("  rearguard/ CHANGED during the run (a shared checkout): the outputs "
                  "cannot be compared")
        print("  outputs identical" if len(digests) == 1 else "  OUTPUTS DIFFER")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
