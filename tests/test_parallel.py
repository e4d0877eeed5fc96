"""``--workers``: worker processes give the same output, in input order, as one process
(real articles: TR-News, development half, where ../shared is present; the examples
otherwise)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import rearguard.parallel as parallel
from rearguard.pipeline import extract_jsonl, geocode_jsonl

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"


def _texts() -> list[tuple[str, str]]:
    if (SHARED / "geoparsing-news" / "TR-News.xml").is_file():
        from rearguard.eval.articles import read_sources

        src = read_sources("trnews", SHARED)
        return [(k, v.text[:3000]) for k, v in list(src.items())[:14]]
    texts = sorted((ROOT / "examples").rglob("*.txt"))
    return [(p.stem + str(i), p.read_text(encoding="utf-8")) for i in range(3) for p in texts]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "articles.jsonl"
    lines = [json.dumps({"id": k, "text": t, "published": "2016-12-01"}) for k, t in _texts()]
    lines.insert(5, "this line is not JSON")  # an error in the middle keeps its place
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_workers_give_what_one_process_gives(corpus: Path, settings, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 4)  # small input, still in workers
    monkeypatch.setattr(parallel, "BATCH", 3)
    one = list(extract_jsonl(corpus, settings=settings, keep_going=True, workers=1))
    two = list(extract_jsonl(corpus, settings=settings, keep_going=True, workers=2))
    assert json.dumps(one, sort_keys=True, default=str) == \
        json.dumps(two, sort_keys=True, default=str)
    assert one[5]["id"] is None and "E105" in one[5]["error"]
    assert sum(len(r.get("events", ())) for r in one) > 0  # real events came back


@pytest.mark.slow  # two more pools of two spawned workers: about 30 s
def test_geocode_in_workers_keeps_ids_and_order(corpus: Path, settings, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 4)
    one = list(geocode_jsonl(corpus, settings=settings, keep_going=True, workers=1))
    two = list(geocode_jsonl(corpus, settings=settings, keep_going=True, workers=2))
    assert one == two
    assert [r["id"] for r in two][:5] == [k for k, _ in _texts()][:5]


@pytest.mark.slow
def test_a_bad_line_stops_the_workers_as_it_stops_one_process(corpus: Path, settings,
                                                              monkeypatch) -> None:
    from rearguard.errors import InputError

    monkeypatch.setattr(parallel, "MIN_PARALLEL", 4)
    out = []
    with pytest.raises(InputError, match="E105"):
        for record in extract_jsonl(corpus, settings=settings, workers=2):
            out.append(record)
    assert len(out) == 5  # the lines before it, then the error


def test_a_batch_of_articles_gives_what_each_article_gives(settings) -> None:
    """The extraction tasks do a batch's articles together (their sentences parsed in one
    batch): the results are each article's own, in place, with None and errors kept."""
    from rearguard.errors import InputError
    from rearguard.types import Article

    articles = [Article(id=k, text=t, published="2016-12-01") for k, t in _texts()[:4]]
    error = InputError("E105", where="line 3", detail="not JSON")
    parallel.init_worker(settings)
    batch = parallel.run_batch(parallel.extract_if_asked,
                               [articles[0], None, error, articles[1], articles[2]])
    alone = [parallel.run_batch(parallel.extract_task, [a])[0] for a in articles[:3]]
    assert [ok for ok, _ in batch] == [True, True, False, True, True]
    assert batch[1][1] is None and batch[2][1] is error
    assert [r.to_dict() for _, r in (batch[0], batch[3], batch[4])] == \
        [r.to_dict() for _, r in alone]
