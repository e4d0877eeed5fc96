"""Gazetteer build benchmark: the built-in index, then the same plus village-level files.

    .venv/bin/python bench/gazetteer_bench.py [--shared ../shared/gazetteer] [--out DIR]

Each build runs as its own child process (``rearguard gazetteer build --quiet``), so its
peak memory is the child's max RSS (``resource.getrusage(RUSAGE_CHILDREN)`` after it
alone has run). The baseline is the built-in index (the PyPI packages alone), measured in
the same run; the village-level build adds every GeoNames file in ../shared/gazetteer
(30 country files, 689,647 rows). Reports wall-clock seconds, the ratio to the baseline
and peak memory. Skips the village-level build, saying so, when the folder is missing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "gazetteer"
TARGET_SECONDS = 180
TARGET_MB = 1500


def _build(out: Path, geonames: list[Path]) -> tuple[float, float]:
    """Seconds and peak MB of one build in a fresh child process."""
    command = [str(Path(sys.executable).with_name("rearguard")), "gazetteer", "build",
               "--quiet", "--path", str(out)]
    if geonames:
        command += ["--geonames", *map(str, geonames)]
    code = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "seconds = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(done.returncode, seconds, peak)\n"
    )
    # A wrapper process per build: RUSAGE_CHILDREN then holds that one build's peak.
    result = subprocess.run([sys.executable, "-c", code, *command], capture_output=True,
                            text=True, check=True)
    status, seconds, peak_kb = result.stdout.split()
    if status != "0":
        sys.exit(f"gazetteer build failed ({' '.join(command)}): {result.stderr.strip()}")
    return float(seconds), int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=SHARED,
                        help="folder of GeoNames country files (default ../shared/gazetteer)")
    parser.add_argument("--out", type=Path, help="where to write the indexes (default: a "
                        "temporary folder, removed afterwards)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rg-gazbench-") as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        base_s, base_mb = _build(out / "builtin.sqlite", [])
        print("gazetteer build (each in its own process)")
        print(f"  built-in index (baseline):       {base_s:6.1f} s  1.00x  "
              f"peak {base_mb:,.0f} MB")
        files = sorted(args.shared.glob("*.zip")) if args.shared.is_dir() else []
        if not files:
            print(f"  village level: skipped, {args.shared} is missing or holds no .zip "
                  "files (put the 30 GeoNames country files there to measure it)")
            return
        village_s, village_mb = _build(out / "village.sqlite", [args.shared])
        print(f"  built-in + {len(files)} country files:   {village_s:6.1f} s  "
              f"{village_s / base_s:.2f}x  peak {village_mb:,.0f} MB")
        within = village_s < TARGET_SECONDS and village_mb < TARGET_MB
        print(f"  target: under {TARGET_SECONDS} s and {TARGET_MB:,} MB: "
              f"{'met' if within else 'NOT MET'}")


if __name__ == "__main__":
    main()
