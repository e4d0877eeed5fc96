"""tools/train_toponyms.py: training on candidates from two gazetteer indexes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tool():  # type: ignore[no-untyped-def]
    path = ROOT / "tools/train_toponyms.py"
    spec = importlib.util.spec_from_file_location("train_toponyms_t", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_toponyms_t"] = module
    spec.loader.exec_module(module)
    return module


def _data(t):  # type: ignore[no-untyped-def]
    """Ten articles, one gold place each; on the first index only "place" candidates carry
    the gazetteer feature, on the second a village namesake of a common word does too."""
    articles = [t.Article("trnews", str(i), [(0, 5)]) for i in range(10)]
    first, second = [], []
    for i in range(10):
        place = {"gaz_known": 1.0, "prev=in": 1.0}
        word = {"prev=det": 1.0}
        first += [t.Example(i, (0, 5), place, True, True, 1.0, True, (0, 5), False),
                  t.Example(i, (10, 15), word, False, False, 1.0, False, (10, 15), False)]
        second += [t.Example(i, (0, 5), place, True, True, 1.0, True, (0, 5), False),
                   t.Example(i, (10, 15), {**word, "gaz_known": 1.0}, False, False, 1.0,
                             False, (10, 15), False)]
    return articles, first, second


def test_joint_training_learns_the_second_index() -> None:
    t = _tool()
    articles, first, second = _data(t)
    one = t.build(articles, first)
    both = t.build(articles, first, second, "village.sqlite")
    word = {"prev=det": 1.0, "gaz_known": 1.0}
    assert both.probability(word) < one.probability(word)
    assert both.meta["also_gazetteer"] == "village.sqlite"
    assert "also_gazetteer" not in one.meta
    keep = t.cross_validate(articles, first, "docs", second, second)
    assert len(keep) == len(second)
    assert keep[0::2] == [True] * 10 and keep[1::2] == [False] * 10

