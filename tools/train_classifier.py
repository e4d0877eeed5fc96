"""Train rearguard's ACLED event-type classifier and write rearguard/data/classifier.json.

    .venv/bin/python tools/train_classifier.py [--data ../shared/eval] [--out PATH]

Training data: the subtask-1 rows (25 ACLED labels) of the CASE 2021 Task 2 development
file (``case2021-task2/dev_labeled.tsv`` under --data) plus the project's own examples in
``tools/training/examples.tsv`` and ``tools/training/classifier_examples.tsv``.
Deterministic: the same inputs give the same file. Only weights derived from the rows are
written; no snippet text goes into the model.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rearguard.errors import RearguardError  # noqa: E402
from rearguard.eval.classify import (  # noqa: E402
    EXAMPLE_PATHS,
    LabelledSnippet,
    load_dev,
    read_all_examples,
)
from rearguard.events.classify import (  # noqa: E402
    MODEL_PATH,
    Classifier,
    TrainConfig,
    train,
)

Examples = str | Path | Sequence[str | Path] | None


def load_training(
    data_dir: str | Path | None = None, examples: Examples = EXAMPLE_PATHS
) -> tuple[list[LabelledSnippet], list[LabelledSnippet]]:
    """(development rows, project examples): what the shipped model is trained on."""
    dev = load_dev(data_dir)
    return dev, read_all_examples(examples)


def build(data_dir: str | Path | None = None, examples: Examples = EXAMPLE_PATHS) -> Classifier:
    dev, extra = load_training(data_dir, examples)
    config = TrainConfig()
    # The same weighting as the cross-validation in `rearguard eval classify`.
    model = train([(r.text, r.label) for r in dev]
                  + [(r.text, r.label, config.example_weight) for r in extra], config=config)
    model.meta.update({"case2021_dev_rows": len(dev), "project_examples": len(extra),
                       "trained_by": "tools/train_classifier.py"})
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="folder holding case2021-task2/ (default ../shared/eval)")
    parser.add_argument("--examples", action="append",
                        help="project examples TSV, may be repeated (default "
                             "tools/training/examples.tsv and classifier_examples.tsv)")
    parser.add_argument("--out", default=str(MODEL_PATH), help="model file to write")
    args = parser.parse_args(argv)
    try:
        model = build(args.data, args.examples or EXAMPLE_PATHS)
    except RearguardError as e:
        print(f"train_classifier: error: {e.message}", file=sys.stderr)
        return 1
    model.save(args.out)
    size = Path(args.out).stat().st_size
    print(f"wrote {args.out}: {len(model.features)} features, {model.meta['examples']} "
          f"examples, {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
