"""``rearguard geocode``: find and resolve the toponyms of articles."""

from __future__ import annotations

import json

import click

from ..errors import InputError
from ..pipeline import geocode_file, geocode_jsonl
from ..types import Geocoded, Place
from . import ErrorCounter, cli, finish, settings_from, write_json_lines
from .options import workers_option, workers_or_default


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=False))
@click.option("--input", "input_path", type=click.Path(dir_okay=False, allow_dash=True),
              help='JSON Lines: {"id", "text", "spans"?: [{"start", "end"}]} per line.')
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default=None,
              help="Output format (default: text for files, jsonl for --input).")
@click.option("--keep-going", is_flag=True,
              help="On a bad file or input line, report it (an error record for a line) and "
              "go on (exit 2 if any failed).")
@click.option("--source", help="Publisher of FILE(s), a name or URL (\"SOHR\", "
              "\"https://sana.sy\"): a hint to which country the reports are about.")
@click.option("--min-confidence", type=float, default=None,
              help="Drop coordinates of places resolved with less confidence (0-1).")
@workers_option
@click.pass_context
def geocode(ctx: click.Context, files: tuple[str, ...], input_path: str | None,
            fmt: str | None, keep_going: bool, source: str | None,
            min_confidence: float | None, workers: int | None) -> None:
    """Find the places named in FILE(s) and resolve them to coordinates."""
    settings = settings_from(ctx, min_confidence=min_confidence)
    if not files and not input_path:
        raise InputError("E109")
    if input_path:
        records = ErrorCounter(geocode_jsonl(input_path, settings=settings,
                                             keep_going=keep_going,
                                             workers=workers_or_default(workers)))
        if fmt == "json":
            click.echo(json.dumps(list(records), ensure_ascii=False, indent=2))
        else:
            write_json_lines(records, click.echo)
        finish(ctx, records.failed, keep_going)
        return
    failed = 0
    for path in files:
        try:
            found = geocode_file(path, settings=settings, source=source)
        except InputError as e:
            if not keep_going:
                raise
            click.echo(f"rearguard: error: {e.message}", err=True)
            failed += 1
            continue
        _write_places(path, found, fmt or "text")
    finish(ctx, failed, keep_going)


def _write_places(path: str, found: Geocoded, fmt: str) -> None:
    record = {"id": path, **found.to_dict()}
    if fmt == "json":
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        click.echo(json.dumps(record, ensure_ascii=False))
    else:
        focus = ", ".join(f"{f.country} {f.weight:.2f}" for f in found.focus) or "none"
        click.echo(f"{path}: {len(found.places)} places; about: {focus}")
        for p in (*found.places, *found.relative):
            click.echo("  " + describe_place(p))


def describe_place(p: Place) -> str:
    """One line for a person: where in the text, what it resolved to, how sure."""
    span = f"{p.start:>5}-{p.end:<5} {p.text!r:<24}"
    if not p.resolved:
        return f"{span} (not resolved)"
    parts = [p.name, p.admin1, p.country]
    where = ", ".join(x for i, x in enumerate(parts) if x and x not in parts[:i])
    return (f"{span} {where} ({p.latitude:.4f}, {p.longitude:.4f}) "
            f"{p.feature_code} precision {p.geo_precision} confidence {p.confidence:.2f}")
