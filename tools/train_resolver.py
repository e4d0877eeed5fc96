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
* confidence: a logistic regression over what the chosen reading rests on
  (``rearguard.geo.resolve.CONFIDENCE_FEATURES``: its probability, the probability of the
  readings near it, its margin over the best reading far from it, how many readings there
  were, the other names of the article, and the reading's own features), label within 161
  km, then an isotonic calibration of its output fitted on out-of-fold outputs (5 folds by
  article inside the training data), kept as about 20 knots. It learns from the news
  readings and from UCDP GED Syria's village and town names in "{name}, Syria" on a
  village-level index of Syria (built from ``../shared/gazetteer/SY.zip`` and cached, or
  ``--names-index``; ``--news-only`` leaves them out): on news alone it had never seen a
  story's villages. The reading's probability alone, isotonic-calibrated, is kept as the
  fallback ("calibration"): it pooled into two levels (0.54 and 0.90), because a country
  at probability 1.0 is right no more often than a town at 0.8;
* report: 5-fold cross-validation by article (each fold's articles resolved by weights
  trained on the other four folds, and confidence by a model fitted on their readings),
  Acc@161, expected calibration error and the AUROC of confidence against right readings,
  against the hand weights and the calibrated probability on the same articles, with the
  reliability tables. A score on what the model trained on proves nothing.

Deterministic: the folds are fixed by a hash of the article id, the optimisers start from
the hand weights and from zero. Writes ``rearguard/data/resolver.json``.

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
from rearguard.eval.metrics import auroc, reliability_table  # noqa: E402
from rearguard.geo import open_gazetteer  # noqa: E402
from rearguard.geo.distance import haversine_km  # noqa: E402
from rearguard.geo.resolve import (  # noqa: E402
    CONFIDENCE_FEATURES,
    FEATURES,
    HAND_WEIGHTS,
    NULL_FEATURES,
    ConfidenceModel,
    Mention,
    Resolver,
    confidence_features,
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


def resolver_of(gazetteer, settings, weights: Sequence[float],
                confidence: ConfidenceModel | None = None) -> Resolver:
    return Resolver(gazetteer, fuzzy=settings.fuzzy_names,
                    max_candidates=settings.max_candidates, weights=tuple(weights),
                    confidence=confidence)


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
          calibration: Sequence[Sequence[float]] | None = None,
          confidence: ConfidenceModel | None = None) -> dict[str, list[tuple[float, bool]]]:
    """Per corpus, (confidence, within 161 km) for every gold toponym (unresolved: 0, no)."""
    resolver = Resolver(gazetteer, fuzzy=settings.fuzzy_names,
                        max_candidates=settings.max_candidates,
                        weights=None if weights is None else tuple(weights),
                        calibration=None if calibration is None
                        else tuple((float(x), float(y)) for x, y in calibration),
                        confidence=confidence)
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


ConfidenceRow = tuple[str, list[float], bool]  # (article, CONFIDENCE_FEATURES, right)
CONFIDENCE_L2 = 1.0
CONFIDENCE_FOLDS = 5
CONFIDENCE_KNOTS = 20  # about 200 readings a level: five of the six bins of eval filled


def confidence_rows(resolver: Resolver, docs: Sequence[GoldDoc]) -> list[ConfidenceRow]:
    """The confidence features of every resolved gold toponym's reading, and whether it
    lies within 161 km of the gold point."""
    rows: list[ConfidenceRow] = []
    for doc in docs:
        spans = [(t.start, t.end) for t in doc.toponyms]
        if not spans:
            continue
        for mention, gold in zip(resolver.score_mentions(doc.text, spans), doc.toponyms,
                                 strict=True):
            if mention.best < 0:
                continue
            cand = mention.candidates[mention.best]
            ok = haversine_km(cand.latitude, cand.longitude, gold.latitude,
                              gold.longitude) <= RIGHT_KM
            rows.append((f"{doc.corpus}/{doc.id}", confidence_features(mention), ok))
    return rows


def name_confidence_rows(resolver: Resolver, items: Sequence[NameGold]
                         ) -> list[ConfidenceRow]:
    """The confidence features of every resolved UCDP name's reading (in "{name}, Syria",
    as ``rearguard eval geocode`` reads it), and whether it lies within 161 km of one of the
    name's points: the same label as the news readings'."""
    rows: list[ConfidenceRow] = []
    for name, points in items:
        text, spans = name_text(name)
        mention = resolver.score_mentions(text, spans)[0]
        if mention.best < 0:
            continue
        cand = mention.candidates[mention.best]
        ok = any(haversine_km(cand.latitude, cand.longitude, lat, lon) <= RIGHT_KM
                 for lat, lon in points)
        rows.append((f"ucdp/{name}", confidence_features(mention), ok))
    return rows


NAMES_FILES = ("SY.zip",)  # the village names the confidence model reads UCDP's names on


def names_index(data: str | None) -> Path:
    """A village-level index for UCDP GED Syria's names: the built-in sources plus
    ../shared/gazetteer's SY.zip (a name in "{name}, Syria" is read inside Syria, so the
    other countries' files change none of its readings), built once (about a minute) and
    cached in the user data folder under a key of the file and the index code."""
    from rearguard.eval.corpora import default_data_dir
    from rearguard.geo.build import build_gazetteer, source_fingerprint

    base = Path(data).expanduser() if data else default_data_dir()
    files = [base.resolve().parent / "gazetteer" / name for name in NAMES_FILES]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise SystemExit(f"train_resolver: {', '.join(missing)} not found: the confidence "
                         "model learns from UCDP names on a village-level index (give one "
                         "with --names-index, or --news-only to leave them out)")
    facts = [source_fingerprint(geonames=True), *(f"{f.name}:{f.stat().st_size}" for f in files)]
    key = hashlib.sha256("\n".join(facts).encode()).hexdigest()[:16]
    path = load_settings().gazetteer_path.parent / f"names-train-{key}.sqlite"
    if not path.is_file():
        print(f"building {path} (about a minute)", file=sys.stderr)
        build_gazetteer(path, geonames=files, show_progress=False)
    return path


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = CONFIDENCE_L2) -> np.ndarray:
    """Logistic regression weights (column 0 is the bias, unpenalised), fitted by Newton's
    method on standardised columns with an L2 penalty and returned in the columns' own
    units. Deterministic: no random start; constant columns get weight 0."""
    mean = x[:, 1:].mean(axis=0)
    scale = x[:, 1:].std(axis=0)
    live = scale > 1e-9
    z = np.hstack([np.ones((len(x), 1)), (x[:, 1:][:, live] - mean[live]) / scale[live]])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -50, 50)))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    out = np.zeros(x.shape[1])
    out[1:][live] = w[1:] / scale[live]
    out[0] = w[0] - float((w[1:] * mean[live] / scale[live]).sum())
    return out


def _confidence_fold(article: str) -> int:
    return int(hashlib.sha1(f"confidence/{article}".encode()).hexdigest(), 16) % CONFIDENCE_FOLDS


def fit_confidence(rows: Sequence[ConfidenceRow], l2: float = CONFIDENCE_L2
                   ) -> ConfidenceModel:
    """The confidence model: logistic weights over CONFIDENCE_FEATURES from all ``rows``,
    and an isotonic calibration of its output fitted on out-of-fold outputs (5 folds by
    article inside ``rows``), so the calibration sees the logistic as new articles do."""
    x = np.array([f for _, f, _ in rows], dtype=float)
    y = np.array([ok for _, _, ok in rows], dtype=float)
    folds = np.array([_confidence_fold(a) for a, _, _ in rows])
    held: list[tuple[float, bool]] = []
    for k in range(CONFIDENCE_FOLDS):
        w = fit_logistic(x[folds != k], y[folds != k], l2)
        p = 1.0 / (1.0 + np.exp(-np.clip(x[folds == k] @ w, -50, 50)))
        held += [(float(v), bool(ok)) for v, ok in zip(p, y[folds == k], strict=True)]
    weights = fit_logistic(x, y, l2)
    knots = fit_calibration({"held out": held}, CONFIDENCE_KNOTS)
    return ConfidenceModel(tuple(round(float(v), 6) for v in weights),
                           tuple((float(a), float(b)) for a, b in knots))


def reliability(rows: Sequence[tuple[float, bool]]) -> list[dict[str, float | int | None]]:
    """The reliability bins of ``rearguard eval geocode`` over the resolved readings."""
    table = reliability_table([(c, ok) for c, ok in rows if c > 0])
    return [{"lo": b["lo"], "hi": b["hi"], "n": b["n"],
             "confidence": None if b["mean_confidence"] is None
             else round(b["mean_confidence"], 3),
             "right": None if b["accuracy"] is None else round(b["accuracy"], 3)}
            for b in table["bins"]]


def summary(results: dict[str, list[tuple[float, bool]]]) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    news = [obs for name, rows in results.items() if name in CORPORA for obs in rows]
    for name, rows in [*sorted(results.items()), ("all news", news)]:
        resolved = [(c, ok) for c, ok in rows if c > 0]
        area = auroc(resolved)
        table[name] = {"n": len(rows),
                       "accuracy": round(100 * sum(ok for _, ok in rows) / len(rows), 1),
                       "ece": round(ece(rows), 3),
                       "auroc": None if area is None else round(area, 3),
                       "levels": len({c for c, _ in resolved})}
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
    parser.add_argument("--village", help="a village-level gazetteer index: also learn the "
                        "weights from UCDP GED Syria's names, resolved on it")
    parser.add_argument("--names-index", help="the village-level index the confidence model "
                        "reads UCDP names on (default: built from ../shared/gazetteer/SY.zip "
                        "and cached)")
    parser.add_argument("--news-only", action="store_true",
                        help="the confidence model learns from the news corpora only")
    args = parser.parse_args(argv)
    out = Path(args.out)
    settings = load_settings(**({"gazetteer": args.village} if args.village else {}))
    names = ucdp_names(args.data) if args.village else []
    gazetteer = open_gazetteer(settings, show_progress=False)
    # The confidence model also learns from UCDP names on a village-level index: on news
    # alone it has never seen a story's villages, and "{name}, Syria" read among same-named
    # villages looked as sure as "Springfield, Ill." (0.99 for 87% right).
    conf_names = [] if args.news_only else ucdp_names(args.data)
    names_settings = (None if args.news_only else load_settings(
        gazetteer=str(Path(args.names_index) if args.names_index else names_index(args.data))))
    names_gazetteer = (None if names_settings is None
                       else open_gazetteer(names_settings, show_progress=False))

    def conf_rows(weights: Sequence[float], train_docs: Sequence[GoldDoc],
                  train_names: Sequence[NameGold]) -> list[ConfidenceRow]:
        rows = confidence_rows(resolver_of(gazetteer, settings, weights), train_docs)
        if names_gazetteer is not None:
            rows += name_confidence_rows(resolver_of(names_gazetteer, names_settings, weights),
                                         train_names)
        return rows
    docs = [d for name in CORPORA for d in load_corpus(name, args.data)]
    model: dict[str, object] = {"features": list(WEIGHTS)}
    if not args.no_cv:
        hand, probability, learned = [], [], []
        names_cv: list[tuple[float, bool]] = []
        for k in range(FOLDS):
            train_docs = [d for d in docs if fold_of(d) != k]
            test_docs = [d for d in docs if fold_of(d) == k]
            train_names = [n for n in names if name_fold(n) != k]
            test_names = [n for n in names if name_fold(n) == k]
            weights = train(gazetteer, settings, train_docs, args.iterations, args.l2,
                            train_names)
            hand_weights = list(hand_weights_of())
            calibration = fit_calibration(score(gazetteer, settings, train_docs, weights))
            confidence = fit_confidence(conf_rows(
                weights, train_docs, [n for n in conf_names if name_fold(n) != k]))
            if names_gazetteer is not None:
                names_cv += [(confidence(f), ok) for _, f, ok in name_confidence_rows(
                    resolver_of(names_gazetteer, names_settings, weights),
                    [n for n in conf_names if name_fold(n) == k])]
            learned.append(score(gazetteer, settings, test_docs, weights,
                                 confidence=confidence))
            probability.append(score(gazetteer, settings, test_docs, weights, calibration))
            hand.append(score(gazetteer, settings, test_docs, hand_weights))
            if names:
                for got, w, conf in ((learned[-1], weights, confidence),
                                     (hand[-1], hand_weights, None)):
                    got["ucdp names @25"] = score_names(
                        resolver_of(gazetteer, settings, w, conf), test_names)
            print(f"fold {k + 1}/{FOLDS} done", file=sys.stderr)
        cv = {"hand": summary(merge(hand)), "probability": summary(merge(probability)),
              "learned": summary(merge(learned)),
              "reliability": {"probability": reliability(
                  [o for name, rows in merge(probability).items() if name in CORPORA
                   for o in rows]),
                  "learned": reliability([o for name, rows in merge(learned).items()
                                          if name in CORPORA for o in rows])}}
        if names_cv:
            area = auroc(names_cv)
            cv["ucdp names, confidence"] = {
                "n": len(names_cv), "ece": round(ece(names_cv), 3),
                "auroc": None if area is None else round(area, 3),
                "reliability": reliability(names_cv)}
        model["cross_validation"] = cv
        print("5-fold cross-validation by article (Acc@161 %, UCDP names Acc@25 %; ECE, "
              "AUROC of confidence against right): hand weights; learned weights with the "
              "probability calibrated; learned weights with the confidence model")
        for name in cv["learned"]:
            h, p, lrn = cv["hand"][name], cv["probability"][name], cv["learned"][name]
            print(f"  {name:15} n={lrn['n']:5}  hand {h['accuracy']:5.1f} / {h['ece']:.3f}"
                  f"   probability {p['accuracy']:5.1f} / {p['ece']:.3f} / {p['auroc']}"
                  f"   confidence {lrn['accuracy']:5.1f} / {lrn['ece']:.3f} / {lrn['auroc']}")
        tables = [(f"all news, {kind}", cv["reliability"][kind])
                  for kind in ("probability", "learned")]
        if names_cv:
            got = cv["ucdp names, confidence"]
            print(f"  UCDP names (village index, within 161 km), confidence: n={got['n']} "
                  f"ECE {got['ece']:.3f} AUROC {got['auroc']}")
            tables.append(("UCDP names, learned", got["reliability"]))
        for label, table in tables:
            print(f"  reliability, {label}:")
            for b in table:
                print(f"    {b['lo']:.1f}-{b['hi']:.1f}  n={b['n']:5}  confidence "
                      f"{b['confidence']}  right {b['right']}")
    weights = train(gazetteer, settings, docs, args.iterations, args.l2, names)
    model["weights"] = [round(float(w), 5) for w in weights]
    model["calibration"] = fit_calibration(score(gazetteer, settings, docs, weights))
    confidence = fit_confidence(conf_rows(weights, docs, conf_names))
    model["confidence"] = {"features": list(CONFIDENCE_FEATURES),
                           "weights": list(confidence.weights),
                           "calibration": [list(k) for k in confidence.calibration],
                           "l2": CONFIDENCE_L2,
                           "trained_on": "the news readings" + ("" if args.news_only else
                                         ", and UCDP names on a village-level index of "
                                         "Syria")}
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
