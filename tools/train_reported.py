"""Train the reported-as-news model (rearguard/data/reported.json) on real news.

Runs the pipeline with the news filter off over
* every article of ``eval/realnews`` (TR-News, GeoWebNews, LGL, WikiEvents and MUC-4
  development texts coded by hand, see its README): matches the extracted events to the
  gold events as ``rearguard eval articles`` does and labels each extracted event: matched
  = reported as news (1), any other = not (0: an event in a background or unrelated
  article, a background incident, a duplicate, a false event);
* the CASE 2021 Task 2 development snippets with an ACLED label
  (``../shared/eval/case2021-task2``): real news paragraphs that each report one event,
  given a publication date as a feed would and no title: the first extracted event of the
  snippet's ACLED event type is news (1), any other event of the snippet is not (0). Without
  them the model had learned from the hand-coded articles alone that an undated paragraph
  about an attack on civilians is background, and dropped a fifth of these reports.

Events the text itself dates within the last month are kept by rule
(:func:`rearguard.events.reported.dated_recently`) and are not learned from. A logistic
regression over :func:`rearguard.events.reported.news_features` with an L2 penalty is
fitted by Newton's method (numpy; deterministic) on the others. The decision
threshold is the one that maximises event F1 on the hand-coded gold (matched events kept
/ gold events, against precision of the kept events) over 5-fold cross-validation by
article; the report gives the CV figures, and the share of CASE reports kept.

    python tools/train_reported.py [--data ../shared/eval] [--gold eval/realnews]
                                   [--out rearguard/data/reported.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import binary_logit  # noqa: E402  (tools/, the script's own folder)

from rearguard.eval.articles import (  # noqa: E402
    article_for,
    check_article,
    load_gold,
    read_sources,
    score_article,
)
from rearguard.eval.classify import load_dev  # noqa: E402
from rearguard.events.reported import (  # noqa: E402
    NewsModel,
    dated_recently,
    news_features,
)
from rearguard.events.taxonomy import event_type_of  # noqa: E402
from rearguard.pipeline import extract_articles  # noqa: E402
from rearguard.settings import load_settings  # noqa: E402
from rearguard.types import Article  # noqa: E402

OUT = ROOT / "rearguard" / "data" / "reported.json"
L2 = 2.0
MIN_COUNT = 3
FOLDS = 5


@dataclass
class Example:
    article: str
    features: list[str]
    label: int
    recent: bool  # kept by the recency rule whatever the model says


def collect(data: str | None, gold_dir: str | None) -> tuple[list[Example], int]:
    """Examples from every gold article, and the number of gold events."""
    gold = load_gold(gold_dir)
    sources: dict[str, dict] = {}
    pairs = []
    for item in gold:
        if item.corpus not in sources:
            sources[item.corpus] = read_sources(item.corpus, data)
        source = check_article(item, sources[item.corpus])
        pairs.append((item, article_for(item, source)))
    settings = load_settings(news_filter=False)
    examples: list[Example] = []
    n_gold = 0
    extracted = extract_articles([a for _, a in pairs], settings=settings)
    for (item, article), extraction in zip(pairs, extracted, strict=True):
        events = list(extraction.events)
        n_gold += len(item.events)
        matched = {pi for _, pi in score_article(item, article.text, events).pairs}
        for i, event in enumerate(events):
            examples.append(Example(item.id, news_features(event, article, events),
                                    int(i in matched), dated_recently(event, article)))
    return examples, n_gold


# A date for the CASE snippets, which have none: the middle of the years they come from.
CASE_PUBLISHED = "2020-06-15"


def collect_case(data: str | None) -> list[Example]:
    """Examples from the CASE 2021 development snippets (module docstring)."""
    rows = load_dev(data)
    articles = [Article(id=f"CASE:{row.id}", text=row.text, published=CASE_PUBLISHED)
                for row in rows]
    settings = load_settings(news_filter=False)
    examples: list[Example] = []
    extracted = extract_articles(articles, settings=settings)
    for row, article, extraction in zip(rows, articles, extracted, strict=True):
        events = list(extraction.events)
        wanted = event_type_of(row.label)
        found = False
        for event in events:
            label = int(not found and event.event_type == wanted)
            found = found or bool(label)
            examples.append(Example(article.id, news_features(event, article, events), label,
                                    dated_recently(event, article)))
    return examples


def fold_of(article: str) -> int:
    return int(hashlib.sha1(article.encode()).hexdigest(), 16) % FOLDS


def vocabulary(examples: list[Example]) -> list[str]:
    return binary_logit.vocabulary([ex.features for ex in examples], MIN_COUNT)


def fit(examples: list[Example], vocab: list[str], l2: float = L2) -> dict[str, float]:
    w = binary_logit.fit([ex.features for ex in examples], [ex.label for ex in examples],
                         vocab, l2, iterations=50, tolerance=1e-9)
    return binary_logit.rounded(vocab, w)


def probability(weights: dict[str, float], features: list[str]) -> float:
    return NewsModel(weights, threshold=0.0).probability(features)


def scores_at(probs: list[tuple[float, int, bool, str]], threshold: float, n_gold: int
              ) -> tuple[float, float, float]:
    """Precision, recall and F1 of the kept events of the hand-coded gold articles."""
    kept = [label for p, label, recent, article in probs
            if (recent or p >= threshold) and not article.startswith("CASE:")]
    tp = sum(kept)
    precision = tp / len(kept) if kept else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def case_kept(probs: list[tuple[float, int, bool, str]], threshold: float) -> float:
    """The share of the CASE reports' events of the snippet's type that are kept."""
    news = [recent or p >= threshold for p, label, recent, article in probs
            if label and article.startswith("CASE:")]
    return sum(news) / len(news) if news else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", help="folder holding the corpora (default ../shared/eval)")
    parser.add_argument("--gold", help="gold JSON Lines file or folder (default eval/realnews)")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    examples, n_gold = collect(args.data, args.gold)
    case = collect_case(args.data)
    print(f"{len(examples)} extracted events ({sum(e.label for e in examples)} matched), "
          f"{n_gold} gold events; CASE 2021: {len(case)} events "
          f"({sum(e.label for e in case)} of the snippet's type)", file=sys.stderr)
    # The model decides only the events the recency rule does not keep, so it learns from
    # those alone; the scores count every extracted event.
    learn = [ex for ex in examples + case if not ex.recent]
    cv: list[tuple[float, int, bool, str]] = []
    for k in range(FOLDS):
        train = [ex for ex in learn if fold_of(ex.article) != k]
        weights = fit(train, vocabulary(train))
        cv += [(probability(weights, ex.features), ex.label, ex.recent, ex.article)
               for ex in examples + case if fold_of(ex.article) == k]
    grid = [round(t, 2) for t in np.arange(0.05, 0.80, 0.05)]
    best = max(grid, key=lambda t: (round(scores_at(cv, t, n_gold)[2], 4), -t))
    before = scores_at(cv, 0.0, n_gold)
    after = scores_at(cv, best, n_gold)
    weights = fit(learn, vocabulary(learn))
    report = {
        "learned_from": len(learn),
        "extracted_events": len(examples), "matched": sum(e.label for e in examples),
        "gold_events": n_gold, "case_events": len(case),
        "case_reported": sum(e.label for e in case), "threshold": best,
        "cv_without": {"precision": round(before[0], 4), "recall": round(before[1], 4),
                       "f1": round(before[2], 4)},
        "cv_with": {"precision": round(after[0], 4), "recall": round(after[1], 4),
                    "f1": round(after[2], 4), "case_kept": round(case_kept(cv, best), 4)},
    }
    print(json.dumps(report, indent=1), file=sys.stderr)
    data = {
        "about": "Reported as news (1) or named as background (0): logistic regression over "
                 "rearguard.events.reported.news_features, trained by tools/train_reported.py "
                 "on the hand-coded real-news gold in eval/realnews and the CASE 2021 "
                 "development snippets. Weights only: no text.",
        "report": report,
        "threshold": best,
        "weights": dict(sorted(weights.items())),
    }
    Path(args.out).write_text(json.dumps(data, indent=1) + "\n", "utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
