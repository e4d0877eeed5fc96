"""``--engine ray``: without Ray the command says how to install it; with Ray (the ``ray``
extra) a job over shards writes what the local engine writes, byte for byte, re-runs skip
the shards already written, and ``ingest`` stores what it stores with local workers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import rearguard.parallel as parallel
from rearguard.cli import cli
from rearguard.engines import plan, run_job

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = [*sorted((ROOT / "tests/data/articles").glob("*.txt"))[:4],
            ROOT / "examples/shirqat-2016-11-06.txt"]
INSTALL = "pip install 'rearguard[ray]'"


@pytest.fixture()
def shards(tmp_path: Path) -> Path:
    """Two shards of real articles; the first has a line that is not JSON."""
    lines = [json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8"),
                         "published": p.stem[-10:]}) for p in ARTICLES]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text("\n".join([*lines[:2], "not JSON", lines[2]]) + "\n",
                                    encoding="utf-8")
    (folder / "b.jsonl").write_text("\n".join(lines[3:]) + "\n", encoding="utf-8")
    return folder


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


# -- without Ray (the default suite) ----------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["extract", "--input", "{in}", "--output", "{out}", "--engine", "ray"],
    ["extract", "--input", "{in}/a.jsonl", "--engine", "ray"],
    ["ingest", "{in}/b.jsonl", "--db", "{out}.db", "--engine", "ray",
     "--address", "auto"],
])
def test_without_ray_one_line_says_how_to_install_it(command, shards: Path, tmp_path: Path,
                                                      monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray: ImportError
    args = [a.format(**{"in": shards, "out": tmp_path / "out"}) for a in command]
    result = _run(*args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rearguard: error:"), result.output
    assert INSTALL in lines[0] and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()  # nothing started, nothing written


def test_the_command_line_does_not_import_ray_unless_asked() -> None:
    code = ("import sys, rearguard.cli, rearguard.engines; "
            "print(any(m == 'ray' or m.startswith('ray.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_address_without_the_ray_engine_is_an_error(shards: Path) -> None:
    result = _run("extract", "--input", str(shards), "--address", "auto")
    assert result.exit_code == 1 and "--engine ray" in result.output


def test_local_jobs_write_shards_and_skip_them_when_run_again(shards: Path, tmp_path: Path,
                                                              settings) -> None:
    out = tmp_path / "out"
    first = run_job(plan(str(shards), str(out), "jsonl"), fmt="jsonl", settings=settings,
                    workers=1, keep_going=True)
    assert (first.written, first.failed) == (2, 1)
    assert sorted(p.name for p in out.iterdir()) == ["a.jsonl", "b.jsonl"]  # no .part left
    # the shard's lines are what `extract --input` prints for it
    single = _run("extract", "--input", str(shards / "a.jsonl"), "--keep-going",
                  "--workers", "1")
    assert (out / "a.jsonl").read_text(encoding="utf-8") == single.stdout
    again = run_job(plan(str(shards), str(out), "jsonl"), fmt="jsonl", settings=settings,
                    workers=1)
    assert (again.skipped, again.written) == (2, 0)


def test_parquet_shards_hold_the_events_of_the_json_lines(shards: Path, tmp_path: Path,
                                                          settings) -> None:
    from rearguard.export import read_parquet

    out = {}
    for fmt in ("jsonl", "parquet"):
        run_job(plan(str(shards), str(tmp_path / fmt), fmt), fmt=fmt, settings=settings,
                workers=1, keep_going=True)
        out[fmt] = sorted(p.name for p in (tmp_path / fmt).iterdir())
    assert out["parquet"] == ["a.parquet", "b.parquet"]
    for name in ("a", "b"):
        lines = (tmp_path / "jsonl" / f"{name}.jsonl").read_text(encoding="utf-8")
        events = [e for line in lines.splitlines() for e in json.loads(line).get("events", ())]
        stored = list(read_parquet(tmp_path / "parquet" / f"{name}.parquet"))
        assert [e.to_dict() for e in stored] == events


def test_a_bad_line_without_keep_going_leaves_no_partial_output(shards: Path,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _run("extract", "--input", str(shards / "a.jsonl"), "--output", str(out) + "/",
                  "--workers", "1")
    assert result.exit_code == 1 and "E105" in result.output
    assert list(out.iterdir()) == []  # a re-run does the shard again


# -- with Ray (the ray extra) ---------------------------------------------------------------

@pytest.fixture(scope="module")
def ray_cluster():
    """A Ray of two CPUs on this machine, for the module's tests."""
    ray = pytest.importorskip("ray", reason="the ray extra is not installed")
    pytest.importorskip("ray.data")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.mark.slow  # Ray's start and an actor loading the pipeline: about 30 s on 2 cores
def test_the_ray_engine_writes_what_the_local_engine_writes(ray_cluster, shards: Path,
                                                            tmp_path: Path, settings) -> None:
    outputs = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        report = run_job(plan(str(shards), str(out), "jsonl"), fmt="jsonl",
                         settings=settings, engine=engine, workers=2, keep_going=True)
        assert (report.written, report.records, report.failed) == (2, len(ARTICLES) + 1, 1)
        outputs[engine] = [(out / n).read_bytes() for n in ("a.jsonl", "b.jsonl")]
    assert outputs["ray"] == outputs["local"]
    records = [json.loads(line) for shard in outputs["ray"] for line in shard.splitlines()]
    assert [r["article"]["id"] if r.get("article") else r["line"] for r in records] == \
        [ARTICLES[0].stem, ARTICLES[1].stem, 3, *(p.stem for p in ARTICLES[2:])]
    assert sum(len(r.get("events", ())) for r in records) > 0
    # a re-run skips the shards written; a lost one is done again
    (tmp_path / "ray" / "b.jsonl").unlink()
    again = run_job(plan(str(shards), str(tmp_path / "ray"), "jsonl"), fmt="jsonl",
                    settings=settings, engine="ray", workers=2, keep_going=True)
    assert (again.skipped, again.written) == (1, 1)
    assert (tmp_path / "ray" / "b.jsonl").read_bytes() == outputs["local"][1]


@pytest.mark.slow
def test_ingest_on_ray_stores_what_local_workers_store(ray_cluster, tmp_path: Path,
                                                       settings, monkeypatch) -> None:
    from rearguard.dataset import ingest
    from rearguard.engines.ray_engine import RayEngine
    from rearguard.store import open_store

    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)  # a few articles, still on the actors
    monkeypatch.setattr(parallel, "BATCH", 2)
    datasets = {}
    for engine in ("local", "ray"):
        store = open_store(str(tmp_path / f"{engine}.sqlite"))
        with RayEngine() as ray_engine, parallel.using(ray_engine if engine == "ray" else None):
            report = ingest([str(p) for p in ARTICLES], store=store, settings=settings,
                            workers=2, clock=lambda: 1_700_000_000)
        assert not report.errors and report.articles == len(ARTICLES)
        datasets[engine] = sorted(
            (e.event_id_cnty, e.event_date, e.sub_event_type, e.location, e.actor1,
             e.fatalities, tuple(sorted(e.article_ids))) for e in store.events())
        store.close()
    assert datasets["ray"] == datasets["local"] and datasets["local"]
