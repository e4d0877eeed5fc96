"""Train the toponym model (which candidate names are places) and write
rearguard/data/toponyms.json; report cross-validated span precision and recall.

    .venv/bin/python tools/train_toponyms.py [--data ../shared/eval] [--out PATH]
        [--gazetteer PATH] [--cache DIR] [--report-only]

Training data: the gold toponym spans of the development halves of the news geoparsing
corpora (TR-News, GeoWebNews, GeoVirus, LGL under --data). Every candidate span that
rearguard's pipeline proposes (see rearguard/nlp/toponyms.py) is a positive example when it
overlaps a gold toponym. The scores printed are cross-validated: 5 folds by article and
leave-one-corpus-out, so no article is scored by a model that trained on it; the decision
threshold of each fold is chosen on its training articles. Deterministic: sorted inputs,
fixed folds, Newton's method from zero weights. Only feature weights go into the model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rearguard.errors import RearguardError  # noqa: E402
from rearguard.eval.corpora import load_corpus  # noqa: E402
from rearguard.nlp.toponyms import (  # noqa: E402
    MODEL_PATH,
    ToponymModel,
    is_demonym,
    score_candidates,
    trimmed_span,
)

CORPORA = ("trnews", "gwn", "geovirus", "lgl")
EXAMPLES_PATH = ROOT / "tools" / "training" / "toponym_examples.txt"
EXAMPLE_WEIGHT = 5.0  # a project example counts as much as this many corpus candidates
MIN_COUNT = 3  # features seen on fewer candidates are dropped
L2 = 1.0
FOLDS = 5
F1_PLATEAU = 0.002  # F1 differences below 0.2 point (about 10 spans of 5,000) are noise
HEADLINE = ("trnews", "lgl")  # the corpora of issue 9's end-to-end targets (P 90, R 85)
RECALL_FLOOR = 0.86  # the recall target and a point for training's optimism


@dataclass
class Example:
    doc: int  # index into the article list
    span: tuple[int, int]  # characters
    features: dict[str, float]
    exact: bool
    overlap: bool
    weight: float
    old: bool  # what the rules before the model kept (GPE, LOC, known demonyms)
    raw: tuple[int, int]  # the span untrimmed, as the rules before the model gave it
    demonym: bool  # kept without the model when demonyms are on (as the extractor has it)
    text: str = ""  # the span's text, for the error listing


@dataclass
class Article:
    corpus: str
    id: str
    gold: list[tuple[int, int]]
    text: str = ""


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def read_examples(path: Path = EXAMPLES_PATH) -> list[tuple[str, list[tuple[int, int]]]]:
    """The project's own sentences: text with its places in [brackets] -> (text, spans)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, spans, start = "", [], -1
        for ch in line:
            if ch == "[":
                start = len(text)
            elif ch == "]":
                spans.append((start, len(text)))
            else:
                text += ch
        out.append((text, spans))
    return out


def collect(data_dir: str | None, gazetteer_path: str | None, cache: str | None
            ) -> tuple[list[Article], list[Example]]:
    """Parse every development article (and the project examples, as the last articles,
    corpus "project") and turn their candidates into examples."""
    from rearguard.geo import open_gazetteer
    from rearguard.nlp.pipeline import load_pipeline
    from rearguard.settings import load_settings

    settings = load_settings(**({"gazetteer": gazetteer_path} if gazetteer_path else {}))
    gazetteer = open_gazetteer(settings, show_progress=False)
    # the cache is stale when the features, their tables or the examples change
    inputs = [ROOT / "rearguard" / "nlp" / "toponyms.py", EXAMPLES_PATH,
              *sorted((ROOT / "rearguard" / "data").glob("*.tsv"))]
    stamp = hashlib.sha1(b"".join(p.read_bytes() for p in inputs)).hexdigest()
    key = hashlib.sha1(f"{gazetteer.path}|{data_dir}|{stamp}".encode()).hexdigest()[:10]
    cache_file = Path(cache) / f"toponym-examples-{key}.pkl" if cache else None
    if cache_file is not None and cache_file.is_file():
        with cache_file.open("rb") as fh:
            return pickle.load(fh)  # type: ignore[no-any-return]
    nlp = load_pipeline(settings.spacy_model, str(gazetteer.path))
    articles: list[Article] = []
    examples: list[Example] = []
    sources: list[tuple[str, list[tuple[str, str, list[tuple[int, int]]]]]] = [
        (corpus, [(d.id, d.text, [(t.start, t.end) for t in d.toponyms])
                  for d in sorted(load_corpus(corpus, data_dir), key=lambda d: d.id)])
        for corpus in CORPORA
    ]
    sources.append(("project", [(str(i), text, spans)
                                for i, (text, spans) in enumerate(read_examples())]))
    for corpus, docs in sources:
        weight = EXAMPLE_WEIGHT if corpus == "project" else 1.0
        for (doc_id, _, spans), doc in zip(docs, nlp.pipe(d[1] for d in docs), strict=True):
            gold = sorted(set(spans))
            index = len(articles)
            articles.append(Article(corpus, doc_id, gold, doc.text))
            gold_set = set(gold)
            for cand, feats in score_candidates(doc, gazetteer, demonyms=settings.demonyms):
                span = trimmed_span(doc, cand, None)
                chars = (span.start_char, span.end_char)
                raw = doc[cand.start : cand.end]
                examples.append(Example(
                    index, chars, feats, chars in gold_set,
                    any(_overlaps(chars, g) for g in gold), weight,
                    cand.source != "inside" and cand.label in ("GPE", "LOC", "NORP"),
                    (raw.start_char, raw.end_char), is_demonym(cand, feats), span.text,
                ))
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        with cache_file.open("wb") as fh:
            pickle.dump((articles, examples), fh)
    return articles, examples


# ----------------------------------------------------------------------- the learner


def vocabulary(examples: list[Example]) -> list[str]:
    counts: Counter[str] = Counter(k for e in examples for k, v in e.features.items() if v)
    return sorted(k for k, n in counts.items() if n >= MIN_COUNT)


def matrix(examples: list[Example], vocab: list[str]) -> np.ndarray:
    index = {k: i for i, k in enumerate(vocab)}
    x = np.zeros((len(examples), len(vocab)), dtype=np.float64)
    for row, e in enumerate(examples):
        for k, v in e.features.items():
            if k in index:
                x[row, index[k]] = v
    return x


def fit(x: np.ndarray, y: np.ndarray, sw: np.ndarray, l2: float = L2, iterations: int = 50
        ) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression with sample weights ``sw`` by Newton's method
    (the bias is not regularised)."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (sw * (p - y)) + reg * w
        hess = (xb * (sw * p * (1 - p))[:, None]).T @ xb + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w[:-1], float(w[-1])


def probabilities(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w + b, -30, 30)))


# ----------------------------------------------------------------------- the scores


def span_scores(articles: list[Article], examples: list[Example], keep: list[bool],
                docs: set[int] | None = None, raw: bool = False) -> dict[str, float]:
    """Exact and overlap P/R/F1 of the kept spans against all gold spans of the articles
    (``raw``: the untrimmed spans)."""
    pred: dict[int, list[tuple[int, int]]] = {}
    for e, k in zip(examples, keep, strict=True):
        if k:
            pred.setdefault(e.doc, []).append(e.raw if raw else e.span)
    n_pred = n_gold = exact = p_hit = g_hit = 0
    for i, art in enumerate(articles):
        if docs is not None and i not in docs:
            continue
        spans = sorted(set(pred.get(i, [])))
        gold = art.gold
        n_pred += len(spans)
        n_gold += len(gold)
        exact += len(set(spans) & set(gold))
        p_hit += sum(any(_overlaps(s, g) for g in gold) for s in spans)
        g_hit += sum(any(_overlaps(s, g) for s in spans) for g in gold)

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    ep, er = exact / max(n_pred, 1), exact / max(n_gold, 1)
    op, orr = p_hit / max(n_pred, 1), g_hit / max(n_gold, 1)
    return {"exact_p": ep, "exact_r": er, "exact_f1": f1(ep, er),
            "overlap_p": op, "overlap_r": orr, "overlap_f1": f1(op, orr),
            "pred": n_pred, "gold": n_gold}


def _f1_curve(p: np.ndarray, y: np.ndarray, n_gold: int, grid: np.ndarray
              ) -> tuple[list[float], list[float]]:
    """Overlap F1 and recall of the candidates kept at each threshold of ``grid`` (recall
    against all gold spans, approximately: one positive candidate per gold span)."""
    f1s, recalls = [], []
    for t in grid:
        kept = p >= t
        tp = float(np.sum(y[kept]))
        prec = tp / max(int(np.sum(kept)), 1)
        rec = tp / max(n_gold, 1)
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        recalls.append(rec)
    return f1s, recalls


def best_threshold(p: np.ndarray, y: np.ndarray, n_gold: int,
                   headline: np.ndarray | None = None, n_headline: int = 0) -> float:
    """The highest threshold whose overlap F1 on these (training) candidates is within
    F1_PLATEAU of the best and whose recall on the ``headline`` rows (TR-News and LGL,
    ``n_headline`` gold spans) stays at RECALL_FLOOR or more.

    The top of the F1 curve is flat (in 2026-12 every threshold from 0.44 to 0.52 lay
    within 0.2 point of the best), so by F1 its points are equal. Issue 9's targets on
    TR-News + LGL put precision furthest from its own (85 against 90) and recall above
    its (87 against 85): the plateau's precise end is taken as far as recall on those
    corpora keeps a point above the target (training recall runs about a point above
    cross-validated recall). Until the sixth session: the lowest point, for recall."""
    grid = np.arange(0.20, 0.81, 0.02)
    f1s, _ = _f1_curve(p, y, n_gold, grid)
    top = max(f1s)
    plateau = [t for t, f in zip(grid, f1s, strict=True) if f >= top - F1_PLATEAU]
    if headline is not None and n_headline:
        _, recalls = _f1_curve(p[headline], y[headline], n_headline, grid)
        floor = [t for t, r in zip(grid, recalls, strict=True) if r >= RECALL_FLOOR]
        plateau = [t for t in plateau if t in floor] or plateau[:1]
    # of the thresholds that keep the same training candidates, the lowest: between two
    # probabilities seen in training, the data say nothing for a higher one
    kept = int(np.sum(p >= plateau[-1]))
    return round(float(next(t for t in grid if int(np.sum(p >= t)) == kept)), 2)


def cross_validate(articles: list[Article], examples: list[Example],
                   split: str) -> list[bool]:
    """Out-of-fold decisions for every example (``split``: 'docs' or 'corpus')."""
    if split == "docs":
        # the corpus articles only: adding project examples must not move them between folds
        order = sorted((i for i, a in enumerate(articles) if a.corpus != "project"),
                       key=lambda i: hashlib.sha1(
                           f"{articles[i].corpus}/{articles[i].id}".encode()).hexdigest())
        fold_of = {i: -1 for i in range(len(articles))}
        fold_of.update({doc: k % FOLDS for k, doc in enumerate(order)})
        folds = list(range(FOLDS))
    else:
        fold_of = {i: CORPORA.index(a.corpus) if a.corpus in CORPORA else -1
                   for i, a in enumerate(articles)}
        folds = list(range(len(CORPORA)))
    for i, a in enumerate(articles):
        if a.corpus == "project":
            fold_of[i] = -1  # always trained on, never scored
    keep = [False] * len(examples)
    for fold in folds:
        train = [e for e in examples if fold_of[e.doc] != fold]
        test_idx = [i for i, e in enumerate(examples) if fold_of[e.doc] == fold]
        vocab = vocabulary(train)
        y = np.array([e.overlap for e in train], dtype=np.float64)
        sw = np.array([e.weight for e in train], dtype=np.float64)
        w, b = fit(matrix(train, vocab), y, sw)
        n_gold = sum(len(a.gold) for i, a in enumerate(articles)
                     if fold_of[i] != fold and a.corpus != "project")
        corpus_rows = np.array([e.weight == 1.0 for e in train])
        head = np.array([articles[e.doc].corpus in HEADLINE for e in train])[corpus_rows]
        n_head = sum(len(a.gold) for i, a in enumerate(articles)
                     if fold_of[i] != fold and a.corpus in HEADLINE)
        t = best_threshold(probabilities(matrix(train, vocab), w, b)[corpus_rows],
                           y[corpus_rows], n_gold, head, n_head)
        p = probabilities(matrix([examples[i] for i in test_idx], vocab), w, b)
        for i, pi in zip(test_idx, p, strict=True):
            keep[i] = bool(pi >= t)
    return keep


def report(articles: list[Article], examples: list[Example]) -> str:
    old = [e.old for e in examples]
    cv_docs = cross_validate(articles, examples, "docs")
    cv_corpus = cross_validate(articles, examples, "corpus")
    groups: list[tuple[str, set[int]]] = [
        (c, {i for i, a in enumerate(articles) if a.corpus == c}) for c in CORPORA
    ]
    groups.append(("trnews+lgl", {i for i, a in enumerate(articles)
                                  if a.corpus in ("trnews", "lgl")}))
    groups.append(("all", {i for i, a in enumerate(articles) if a.corpus != "project"}))
    lines = ["| corpus | run | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for name, docs in groups:
        with_demonyms = [k or e.demonym for k, e in zip(cv_docs, examples, strict=True)]
        for run, keep in (("rules (before)", old), ("model, 5-fold by article", cv_docs),
                          ("model, leave corpus out", cv_corpus),
                          ("model + demonyms, 5-fold", with_demonyms)):
            s = span_scores(articles, examples, keep, docs, raw=keep is old)
            lines.append(
                f"| {name} | {run} | " + " | ".join(
                    f"{100 * s[k]:.1f}" for k in ("exact_p", "exact_r", "exact_f1",
                                                  "overlap_p", "overlap_r", "overlap_f1"))
                + " |")
    return "\n".join(lines)


def score_model(articles: list[Article], examples: list[Example], path: str) -> str:
    """Exact and overlap P/R of a trained model (and of the rules before it) per corpus."""
    model = ToponymModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    kept = [model.probability(e.features) >= model.threshold or e.demonym for e in examples]
    old = [e.old for e in examples]
    lines = ["| corpus | run | exact P | exact R | overlap P | overlap R |",
             "|---|---|---:|---:|---:|---:|"]
    groups = [(c, {i for i, a in enumerate(articles) if a.corpus == c}) for c in CORPORA]
    groups.append(("trnews+lgl", {i for i, a in enumerate(articles)
                                  if a.corpus in ("trnews", "lgl")}))
    for name, docs in groups:
        for run, keep in (("rules (before)", old), (f"model {Path(path).name}", kept)):
            sc = span_scores(articles, examples, keep, docs, raw=keep is old)
            lines.append(f"| {name} | {run} | " + " | ".join(
                f"{100 * sc[k]:.1f}" for k in ("exact_p", "exact_r", "overlap_p", "overlap_r"))
                + " |")
    return "\n".join(lines)


def errors(articles: list[Article], examples: list[Example], top: int) -> str:
    """The commonest out-of-fold errors (5-fold by article, with demonyms as shipped):
    names kept that overlap no gold toponym, and gold toponyms no kept name overlaps."""
    keep = [k or e.demonym for k, e in
            zip(cross_validate(articles, examples, "docs"), examples, strict=True)]
    fp: Counter[str] = Counter()
    where: dict[str, str] = {}
    found: dict[int, list[tuple[int, int]]] = {}
    for e, k in zip(examples, keep, strict=True):
        if not k or articles[e.doc].corpus == "project":
            continue
        found.setdefault(e.doc, []).append(e.span)
        if not e.overlap:
            fp[e.text] += 1
            text = articles[e.doc].text
            where.setdefault(e.text, " ".join(
                (text[max(0, e.span[0] - 50) : e.span[0]] + "[" + e.text + "]"
                 + text[e.span[1] : e.span[1] + 40]).split()))
    fn: Counter[str] = Counter()
    for i, art in enumerate(articles):
        if art.corpus == "project":
            continue
        for g in art.gold:
            if not any(_overlaps(g, s) for s in found.get(i, [])):
                fn[art.text[g[0] : g[1]]] += 1
    lines = [f"false positives: {sum(fp.values())} ({len(fp)} names)"]
    lines += [f"{n:4d}  {name!r:28} {where[name]}" for name, n in fp.most_common(top)]
    lines.append(f"missed gold toponyms: {sum(fn.values())} ({len(fn)} names)")
    lines += [f"{n:4d}  {name!r}" for name, n in fn.most_common(top)]
    return "\n".join(lines)


def build(articles: list[Article], examples: list[Example]) -> ToponymModel:
    vocab = vocabulary(examples)
    y = np.array([e.overlap for e in examples], dtype=np.float64)
    sw = np.array([e.weight for e in examples], dtype=np.float64)
    x = matrix(examples, vocab)
    w, b = fit(x, y, sw)
    rows = sw == 1.0
    head = np.array([articles[e.doc].corpus in HEADLINE for e in examples])[rows]
    t = best_threshold(probabilities(x, w, b)[rows], y[rows],
                       sum(len(a.gold) for a in articles if a.corpus != "project"), head,
                       sum(len(a.gold) for a in articles if a.corpus in HEADLINE))
    weights = {k: float(v) for k, v in zip(vocab, w, strict=True) if abs(v) >= 1e-4}
    meta = {"trained_by": "tools/train_toponyms.py",
            "project_examples": sum(a.corpus == "project" for a in articles),
            "articles": sum(a.corpus != "project" for a in articles),
            "candidates": len(examples), "positives": int(y.sum()), "l2": L2,
            "corpora": list(CORPORA)}
    return ToponymModel(weights, b, t, meta)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="folder holding geoparsing-news/ (default ../shared/eval)")
    parser.add_argument("--gazetteer", help="gazetteer index to parse with (default: settings)")
    parser.add_argument("--cache", help="folder to keep the parsed examples in between runs")
    parser.add_argument("--out", default=str(MODEL_PATH), help="model file to write")
    parser.add_argument("--report-only", action="store_true",
                        help="print the cross-validated scores; write no model")
    parser.add_argument("--no-report", action="store_true", help="skip cross-validation")
    parser.add_argument("--errors", type=int, metavar="N",
                        help="only list the N commonest cross-validated errors; no training")
    parser.add_argument("--score-model", metavar="PATH",
                        help="only score this model file (e.g. the shipped one on another "
                             "gazetteer index: --gazetteer village.sqlite); no training")
    args = parser.parse_args(argv)
    try:
        articles, examples = collect(args.data, args.gazetteer, args.cache)
    except RearguardError as e:
        print(f"train_toponyms: error: {e.message}", file=sys.stderr)
        return 1
    print(f"{len(articles)} articles, {len(examples)} candidates, "
          f"{sum(e.overlap for e in examples)} overlap a gold toponym")
    if args.errors:
        print(errors(articles, examples, args.errors))
        return 0
    if args.score_model:
        print(score_model(articles, examples, args.score_model))
        return 0
    if not args.no_report:
        print(report(articles, examples))
    if args.report_only:
        return 0
    model = build(articles, examples)
    model.save(args.out)
    print(f"wrote {args.out}: {len(model.weights)} weights, threshold {model.threshold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
