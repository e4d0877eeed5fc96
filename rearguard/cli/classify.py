"""``rearguard classify``: the ACLED event type of each snippet of a JSON Lines file."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from ..errors import InputError
from ..io import iter_jsonl
from ..pipeline import error_record
from . import ErrorCounter, cli, finish, write_json_lines


def classify_jsonl(
    path: str | Path, *, model: str | Path | None = None, keep_going: bool = False
) -> Iterator[dict[str, Any]]:
    """``{"id", "event_type", "sub_event_type", "disorder_type", "confidence"}`` per input
    line, in order. A bad line raises, or with ``keep_going`` yields
    ``{"id": null, "line", "error"}``."""
    from ..events.classify import get_classifier

    classifier = get_classifier(model)  # load (and fail) before reading any input
    for item in iter_jsonl(path):
        if isinstance(item, InputError):
            if not keep_going:
                raise item
            yield error_record(item)
            continue
        result = classifier.classify(item.text)
        yield {"id": item.id, **dataclasses.asdict(result)}


@cli.command("classify")
@click.option("--input", "input_path", required=True,
              type=click.Path(dir_okay=False, allow_dash=True),
              help='JSON Lines: {"id", "text"} per line ("-" for standard input).')
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl",
              show_default=True, help="One JSON object per line, or one JSON array.")
@click.option("--keep-going", is_flag=True,
              help="On a bad input line, write an error record for it and go on (exit 2 if "
              "any failed).")
@click.option("--model", type=click.Path(dir_okay=False),
              help="Classifier model file (default: the one shipped with rearguard).")
@click.pass_context
def classify_command(ctx: click.Context, input_path: str, fmt: str, keep_going: bool,
                     model: str | None) -> None:
    """ACLED event type, sub-event type and disorder type of each snippet."""
    records = ErrorCounter(classify_jsonl(input_path, model=model, keep_going=keep_going))
    if fmt == "json":
        click.echo(json.dumps(list(records), ensure_ascii=False, indent=2))
    else:
        write_json_lines(records, click.echo)
    finish(ctx, records.failed, keep_going)
