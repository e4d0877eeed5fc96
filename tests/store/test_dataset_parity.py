"""SQLite and PostgreSQL give identical exports for the same corpus."""

from __future__ import annotations

from pathlib import Path

from rearguard.dataset import ingest
from rearguard.export import write_events
from rearguard.store import open_store

from ..helpers import schema_url

ROOT = Path(__file__).resolve().parents[2]
CORPUS = [str(ROOT / "tests/data/dataset"), str(ROOT / "tests/data/articles"),
          str(ROOT / "examples/golden")]


def _export(url: str, settings, tmp_path: Path, name: str) -> tuple[str, str, list]:
    with open_store(url) as store:
        report = ingest(CORPUS, store=store, settings=settings, clock=lambda: 1_700_000_000)
        assert report.articles >= 15 and report.events_new > 10
        csv_path, jsonl_path = tmp_path / f"{name}.csv", tmp_path / f"{name}.jsonl"
        write_events(store.events(), "csv", csv_path)
        write_events(store.events(), "jsonl", jsonl_path)
        ledger = [r.to_dict() for r in store.control()]
    return csv_path.read_text(), jsonl_path.read_text(), ledger


def test_identical_exports(settings, tmp_path: Path, fresh_pg_schema: str) -> None:
    lite = _export(f"sqlite:///{tmp_path / 'a.db'}", settings, tmp_path, "sqlite")
    pg = _export(schema_url(fresh_pg_schema), settings, tmp_path, "postgresql")
    assert lite[0] == pg[0]  # CSV, byte for byte
    assert lite[1] == pg[1]  # JSON Lines with evidence
    assert lite[2] == pg[2]  # the control ledger
