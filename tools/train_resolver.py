"""Train the toponym resolver's weights: a conditional logit over each mention's readings.

The resolver scores every reading of a place name by a weighted sum of named features
(``rearguard.geo.resolve.FEATURES``: population, feature type, how the name matched, the
article's focus, the countries and provinces of the other mentions, stated containment and
distances, proximity). The hand weights were set on the development halves; this learns
them from the same data, so that the weights, and the confidence they give, are fitted
rather than guessed:

* data: the gold toponyms of the development halves of TR-News, GeoWebNews, GeoVirus and
  LGL (``../shared/eval/geoparsing-news``), resolved from gold spans; with ``--village
  INDEX`` (a gazetteer built with the village-level files of ``../shared/gazetteer``) also
  the village and town names of UCDP GED Syria's development half, each in the text
  "{name}, Syria" as ``rearguard eval geocode`` reads them, resolved on that index;
* label: the readings within 161 km of the gold point (25 km of one of its points for a
  UCDP name, where a namesake 50 km away is another village); a mention whose candidates
  are all right, or all wrong, teaches nothing and is skipped;
* model: P(reading) = softmax over the mention's readings of w . features; maximise the
  log of the probability of the right readings, with an L2 penalty towards the hand
  weights (a feature the data rarely sees keeps its hand weight); the features of the
  context depend on the other mentions' readings, so features are recomputed with the new
  weights and the model refitted (``--iterations``);
* confidence: the chosen reading's probability mapped, monotonically, to the share of
  right readings among the training articles' readings of about that probability
  (isotonic regression, kept as a dozen knots);
* report: 5-fold cross-validation by article (each fold's articles resolved by weights
  trained on the other four folds), Acc@161 and expected calibration error against the
  hand weights on the same articles. A score on what the model trained on proves nothing.

Deterministic: the folds are fixed by a hash of the article id, the optimiser starts from
the hand weights. Writes ``rearguard/data/resolver.json``.

    .venv/bin/python tools/train_resolver.py [--data ../shared/eval] [--no-cv]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rearguard.eval.corpora import GoldDoc, load_corpus  # noqa: E402
from rearguard.geo import open_gazetteer  # noqa: E402
from rearguard.geo.distance import haversine_km  # noqa: E402
from rearguard.geo.resolve import (  # noqa: E402
    FEATURES,
    HAND_WEIGHTS,
    NULL_FEATURES,
    Mention,
    Resolver,
)
from rearguard.geo.resolve import hand_weights as hand_weights_of  # noqa: E402
from rearguard.settings import load_settings  # noqa: E402

CORPORA = ("trnews", "gwn", "geovirus", "lgl")
OUT = ROOT / "rearguard" / "data" / "resolver.json"
RIGHT_KM = 161.0
FOLDS = 5
L2 = 0.01


def fold_of(doc: GoldDoc) -> int:
    digest = hashlib.sha1(f"{doc.corpus}/{doc.id}".encode()).hexdigest()
    return int(digest, 16) % FOLDS


NAME_KM = 25.0
NameGold = tuple[str, list[tuple[float, float]]]  # a UCDP name and its gold points


def ucdp_names(data: str | None) -> list[NameGold]:
    from rearguard.eval.ucdp import name_gold, read_ucdp, ucdp_path

    gold = name_gold(read_ucdp(ucdp_path(data)))
    return [(name, [(r.latitude, r.longitude) for r in rows]) for name, rows in gold.items()]


def name_fold(item: NameGold) -> int:
    return int(hashlib.sha1(item[0].encode()).hexdigest(), 16) % FOLDS


def name_text(name: str) -> tuple[str, list[tuple[int, int]]]:
    """The text a UCDP name is resolved in, and its spans (the name, then the country)."""
    text = f"{name}, Syria"
    return text, [(0, len(name)), (len(name) + 2, len(text))]


def name_instances(resolver: Resolver, items: Sequence[NameGold]) -> list[Instance]:
    found: list[Instance] = []
    for name, points in items:
        text, spans = name_text(name)
        mention = resolver.score_mentions(text, spans)[0]
        right = [any(haversine_km(c.latitude, c.longitude, lat, lon) <= NAME_KM
                     for lat, lon in points) for c in mention.candidates]
        item = instance(mention, right)
        if item is not None:
            found.append(item)
    return found


def score_names(resolver: Resolver, items: Sequence[NameGold]) -> list[tuple[float, bool]]:
    out = []
    for name, points in items:
        text, spans = name_text(name)
        place = resolver.resolve(text, spans)[0]
        ok = place.latitude is not None and any(
            haversine_km(place.latitude, place.longitude, lat, lon) <= NAME_KM
            for lat, lon in points)
        out.append((place.confidence, ok))
    return out


Instance = tuple[np.ndarray, np.ndarray]  # (features of each reading, right or not)
WEIGHTS = FEATURES + NULL_FEATURES
# The prior the fit is pulled towards: the hand weights, and 0 for "none of these".
PRIOR = np.array([HAND_WEIGHTS.get(f, 0.0) for f in FEATURES] + [0.0] * len(NULL_FEATURES))


def instance(mention: Mention, right: list[bool]) -> Instance | None:
    """The readings' features and "none of these" as one more row (its own features in
    their own columns); "none of these" is right when no reading is."""
    if not mention.candidates or not mention.features:
        return None
    n, k = len(mention.candidates), len(NULL_FEATURES)
    x = np.zeros((n + 1, len(WEIGHTS)))
    x[:n, : len(FEATURES)] = np.array(mention.features, dtype=float)
    x[n, len(FEATURES) :] = mention.null_values[:k]
    return x, np.array([*right, not any(right)])


def instances(resolver: Resolver, docs: Sequence[GoldDoc]) -> list[Instance]:
    """One instance per resolvable gold toponym."""
    found: list[Instance] = []
    for doc in docs:
        spans = [(t.start, t.end) for t in doc.toponyms]
        if not spans:
            continue
        mentions = resolver.score_mentions(doc.text, spans)
        for mention, gold in zip(mentions, doc.toponyms, strict=True):
            right = [
                haversine_km(c.latitude, c.longitude, gold.latitude, gold.longitude) <= RIGHT_KM
                for c in mention.candidates
            ]
            item = instance(mention, right)
            if item is not None:
                found.append(item)
    return found


def fit(data: list[Instance], start: np.ndarray, l2: float,
        free: np.ndarray | None = None) -> np.ndarray:
    """Weights maximising mean log P(right readings) - L2 |w - start|^2 / 2: the hand
    weights are the prior, so a feature the data rarely sees keeps its hand weight. Only
    the ``free`` weights move (all by default)."""
    free = np.ones(len(start), dtype=bool) if free is None else free
    fixed = start.copy()
    n = len(data)
    x = np.vstack([item[0] for item in data])
    right = np.concatenate([item[1] for item in data]).astype(float)
    sizes = np.array([len(item[1]) for item in data])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    group = np.repeat(np.arange(n), sizes)

    def loss(v: np.ndarray) -> tuple[float, np.ndarray]:
        w = fixed.copy()
        w[free] = v
        scores = x @ w
        scores -= np.maximum.reduceat(scores, starts)[group]
        e = np.exp(scores)
        p = e / np.add.reduceat(e, starts)[group]
        p_right = np.maximum(np.add.reduceat(p * right, starts), 1e-300)
        total = -float(np.log(p_right).sum())
        # d/dw -log sum_right p = E_p[x] - E_{p | right}[x], per instance
        q = p * right / p_right[group]
        grad = (p - q) @ x
        total = total / n + l2 * 0.5 * float((w - start) @ (w - start))
        grad = grad / n + l2 * (w - start)
        return total, grad[free]

    result = minimize(loss, start[free], jac=True, method="L-BFGS-B",
                      options={"maxiter": 1000, "gtol": 1e-6})
    out = fixed.copy()
    out[free] = result.x
    return out


def train(gazetteer, settings, docs: Sequence[GoldDoc], iterations: int, l2: float,
          names: Sequence[NameGold] = ()) -> np.ndarray:
    """The readings' weights from the mentions whose readings are partly right (the
    choice), then "none of these" from every mention with its readings' weights held
    (the confidence), so calibrating never costs a right choice."""
    ranking = np.zeros(len(WEIGHTS), dtype=bool)
    ranking[: len(FEATURES)] = True
    weights = PRIOR.copy()
    weights[len(FEATURES)] = -1e9  # first pass: the hand resolver, "none of these" off
    data: list[Instance] = []
    for _ in range(iterations):
        resolver = Resolver(gazetteer, fuzzy=settings.fuzzy_names,
                            max_candidates=settings.max_candidates, weights=tuple(weights))
        data = instances(resolver, docs) + name_instances(resolver, names)
        choice = [(x[:-1], r[:-1]) for x, r in data if len(r) > 2 and r[:-1].any()
                  and not r[:-1].all()]
        start = PRIOR.copy()
        start[len(FEATURES)] = 0.0
        weights = fit(choice, start, l2, ranking)
    return fit(data, weights, l2, ~ranking)


def score(gazetteer, settings, docs: Sequence[GoldDoc], weights: Sequence[float] | None,
          calibration: Sequence[Sequence[float]] | None = None
          ) -> dict[str, list[tuple[float, bool]]]:
    """Per corpus, (confidence, within 161 km) for every gold toponym (unresolved: 0, no)."""
    resolver = Resolver(gazetteer, fuzzy=settings.fuzzy_names,
                        max_candidates=settings.max_candidates,
                        weights=None if weights is None else tuple(weights),
                        calibration=None if calibration is None
                        else tuple((float(x), float(y)) for x, y in calibration))
    out: dict[str, list[tuple[float, bool]]] = {}
    for doc in docs:
        spans = [(t.start, t.end) for t in doc.toponyms]
        if not spans:
            continue
        for place, gold in zip(resolver.resolve(doc.text, spans), doc.toponyms, strict=True):
            ok = place.latitude is not None and haversine_km(
                place.latitude, place.longitude, gold.latitude, gold.longitude) <= RIGHT_KM
            out.setdefault(doc.corpus, []).append((place.confidence, ok))
    return out


def fit_calibration(results: dict[str, list[tuple[float, bool]]], knots: int = 12
                    ) -> list[list[float]]:
    """A monotone map from the resolver's probability to the share of right readings
    (isotonic regression by pooling adjacent violators over the resolved places), thinned
    to about ``knots`` equal-count groups of its blocks. Each group is flat from its lowest
    probability to its highest (two points, one where they are equal), as isotonic
    regression is; between groups the map is interpolated. Interpolating between the groups'
    mean probabilities instead would let a group of certain readings (probability exactly 1,
    all right) lift every probability between the last two means towards certainty."""
    rows = sorted((c, float(ok)) for obs in results.values() for c, ok in obs if c > 0)
    blocks: list[list[float]] = []  # [lowest p, highest p, sum of right, count]
    for c, ok in rows:
        blocks.append([c, c, ok, 1.0])
        while len(blocks) > 1 and (blocks[-2][2] / blocks[-2][3]
                                   >= blocks[-1][2] / blocks[-1][3]):
            last = blocks.pop()
            blocks[-1] = [blocks[-1][0], last[1], blocks[-1][2] + last[2],
                          blocks[-1][3] + last[3]]
    total = sum(block[3] for block in blocks)
    groups: list[list[float]] = []
    group: list[float] = []
    for block in blocks:
        group = ([group[0], block[1], group[2] + block[2], group[3] + block[3]] if group
                 else list(block))
        if group[3] >= total / knots:
            groups.append(group)
            group = []
    if group:
        groups.append(group)
    out: list[list[float]] = []
    for lo, hi, right, n in groups:
        y = round(right / n, 4)
        out.append([round(lo, 4), y])
        if round(hi, 4) != round(lo, 4):
            out.append([round(hi, 4), y])
    return out


def summary(results: dict[str, list[tuple[float, bool]]]) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    news = [obs for name, rows in results.items() if name in CORPORA for obs in rows]
    for name, rows in [*sorted(results.items()), ("all news", news)]:
        table[name] = {"n": len(rows),
                       "accuracy": round(100 * sum(ok for _, ok in rows) / len(rows), 1),
                       "ece": round(ece(rows), 3)}
    return table


def ece(rows: Sequence[tuple[float, bool]], bins: int = 10) -> float:
    """Expected calibration error over equal-width confidence bins."""
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in rows if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inside:
            conf = sum(c for c, _ in inside) / len(inside)
            acc = sum(ok for _, ok in inside) / len(inside)
            total += len(inside) / len(rows) * abs(conf - acc)
    return total


def merge(parts: list[dict[str, list[tuple[float, bool]]]]) -> dict[str, list[tuple[float, bool]]]:
    merged: dict[str, list[tuple[float, bool]]] = {}
    for part in parts:
        for name, rows in part.items():
            merged.setdefault(name, []).extend(rows)
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", help="folder holding geoparsing-news/ (default ../shared/eval)")
    parser.add_argument("--iterations", type=int, default=2)
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    parser.add_argument("--l2", type=float, default=L2, help="penalty towards the hand weights")
    parser.add_argument("--out", default=str(OUT), help="where to write the model")
    parser.add_argument("--village", help="a village-level gazetteer index: also learn from "
                        "UCDP GED Syria's names, resolved on it")
    args = parser.parse_args(argv)
    out = Path(args.out)
    settings = load_settings(**({"gazetteer": args.village} if args.village else {}))
    names = ucdp_names(args.data) if args.village else []
    gazetteer = open_gazetteer(settings, show_progress=False)
    docs = [d for name in CORPORA for d in load_corpus(name, args.data)]
    model: dict[str, object] = {"features": list(WEIGHTS)}
    if not args.no_cv:
        hand, learned = [], []
        for k in range(FOLDS):
            train_docs = [d for d in docs if fold_of(d) != k]
            test_docs = [d for d in docs if fold_of(d) == k]
            train_names = [n for n in names if name_fold(n) != k]
            test_names = [n for n in names if name_fold(n) == k]
            weights = train(gazetteer, settings, train_docs, args.iterations, args.l2,
                            train_names)
            hand_weights = list(hand_weights_of())
            calibration = fit_calibration(score(gazetteer, settings, train_docs, weights))
            learned.append(score(gazetteer, settings, test_docs, weights, calibration))
            hand.append(score(gazetteer, settings, test_docs, hand_weights))
            if names:
                for got, w in ((learned[-1], weights), (hand[-1], hand_weights)):
                    got["ucdp names @25"] = score_names(
                        Resolver(gazetteer, fuzzy=settings.fuzzy_names,
                                 max_candidates=settings.max_candidates, weights=tuple(w)),
                        test_names)
            print(f"fold {k + 1}/{FOLDS} done", file=sys.stderr)
        cv = {"hand": summary(merge(hand)), "learned": summary(merge(learned))}
        model["cross_validation"] = cv
        print("5-fold cross-validation by article (Acc@161 %, UCDP names Acc@25 %; ECE):")
        for name in cv["learned"]:
            h, lrn = cv["hand"][name], cv["learned"][name]
            print(f"  {name:15} n={lrn['n']:5}  hand {h['accuracy']:5.1f} / {h['ece']:.3f}"
                  f"   learned {lrn['accuracy']:5.1f} / {lrn['ece']:.3f}")
    weights = train(gazetteer, settings, docs, args.iterations, args.l2, names)
    model["weights"] = [round(float(w), 5) for w in weights]
    model["calibration"] = fit_calibration(score(gazetteer, settings, docs, weights))
    model["trained_on"] = [f"geoparsing-news/{name} (development half)" for name in CORPORA]
    if names:
        model["trained_on"].append("ucdp-ged-syria names (development half), village index")
    model["label"] = f"readings within {RIGHT_KM:g} km of the gold point"
    model["l2"] = args.l2
    out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    for name, w in zip(WEIGHTS, weights, strict=True):
        print(f"  {name:22} {w:+.3f}  (hand {HAND_WEIGHTS.get(name, 0.0):+.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
