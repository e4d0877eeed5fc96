"""``ingest --workers``: articles extracted ahead in worker processes, stored by the one
writer, give the dataset one process gives (the bundled reports, each twice under another
name, so that duplicates fall inside the read-ahead window)."""

from __future__ import annotations

import shutil
from pathlib import Path

import rearguard.parallel as parallel
from rearguard.dataset import ingest
from rearguard.store import open_store

ROOT = Path(__file__).resolve().parents[2]


def _reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    texts = sorted((ROOT / "tests/data/dataset").glob("*.txt"))
    texts += sorted((ROOT / "examples").glob("*.txt"))
    for path in texts:
        shutil.copy(path, folder / path.name)
        shutil.copy(path, folder / f"copy-{path.name}")  # the same text again: a duplicate
    return folder


def _dataset(store) -> list[tuple]:
    return sorted((e.event_id_cnty, e.event_date, e.sub_event_type, e.location, e.actor1,
                   e.actor2, e.fatalities, tuple(sorted(e.article_ids)))
                  for e in store.events())


def test_two_workers_store_what_one_process_stores(tmp_path: Path, settings,
                                                   monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)
    monkeypatch.setattr(parallel, "BATCH", 2)
    folder = _reports(tmp_path)
    stores = {}
    for workers in (1, 2):
        store = open_store(str(tmp_path / f"w{workers}.sqlite"))
        report = ingest([str(folder)], store=store, settings=settings, workers=workers,
                        clock=lambda: 1_700_000_000)
        assert not report.errors and report.seen == report.articles  # copies: seen
        stores[workers] = _dataset(store)
        store.close()
    assert stores[1] == stores[2]
    assert len(stores[1]) >= 4  # the Mogadishu and Shirqat events are there
