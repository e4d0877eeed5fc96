"""``rearguard extract``: the events of news reports, ACLED-style."""

from __future__ import annotations

import json

import click

from ..errors import InputError
from ..export import csv_text, event_from_dict, geojson_collection
from ..pipeline import extract_files, extract_jsonl, published_option
from ..types import Event, Extraction
from . import cli, settings_from, write_json_lines

FORMATS = ["json", "jsonl", "csv", "geojson", "text"]


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=False))
@click.option("--input", "input_path", type=click.Path(dir_okay=False, allow_dash=True),
              help='JSON Lines: {"id", "text", "published", "title"?, "url"?, "source"?}.')
@click.option("--published", help="Publication date of FILE(s), YYYY-MM-DD (default: a "
              "date in the file name, else none).")
@click.option("--source", help="Publisher of FILE(s), a name or URL (\"SOHR\", "
              "\"https://sana.sy\"): a hint to which country the reports are about.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="json (one object per file), jsonl, csv (ACLED columns first), geojson, "
              "or text for reading (default: json for files, jsonl for --input).")
@click.option("--keep-going", is_flag=True,
              help="On a bad file or input line, report it and go on.")
@click.pass_context
def extract(ctx: click.Context, files: tuple[str, ...], input_path: str | None,
            published: str | None, source: str | None, fmt: str | None,
            keep_going: bool) -> None:
    """Extract the events of FILE(s): type, place, date, actors, counts and evidence."""
    settings = settings_from(ctx)
    published = published_option(published)
    if not files and not input_path:
        raise InputError("E109")
    if input_path:
        records = extract_jsonl(input_path, settings=settings, keep_going=keep_going)
        _write_records(records, fmt or "jsonl")
        return
    results: list[Extraction] = []
    failed = 0
    for path in files:
        try:
            results += list(extract_files([path], published=published, settings=settings,
                                          source=source))
        except InputError as e:
            if not keep_going:
                raise
            click.echo(f"rearguard: error: {e.message}", err=True)
            failed += 1
    _write_extractions(results, files, fmt or "json")
    if failed:
        ctx.exit(1)


def _events(results: list[Extraction]) -> list[Event]:
    return [event for result in results for event in result.events]


def _write_extractions(results: list[Extraction], files, fmt: str) -> None:
    if fmt == "json":
        data = [r.to_dict() for r in results]
        click.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        write_json_lines((r.to_dict() for r in results), click.echo)
    elif fmt == "csv":
        click.echo(csv_text(_events(results)), nl=False)
    elif fmt == "geojson":
        click.echo(json.dumps(geojson_collection(_events(results)), ensure_ascii=False))
    else:
        for result in results:
            _describe(result)


def _write_records(records, fmt: str) -> None:
    if fmt == "jsonl":
        write_json_lines(records, click.echo)
    elif fmt == "json":
        click.echo(json.dumps(list(records), ensure_ascii=False, indent=2))
    else:
        events = [event_from_dict(e, "extract") for r in records for e in r.get("events", [])]
        if fmt == "csv":
            click.echo(csv_text(events), nl=False)
        else:
            click.echo(json.dumps(geojson_collection(events), ensure_ascii=False))


def _describe(result: Extraction) -> None:
    article = result.article
    click.echo(f"article {article.id} published {article.published or 'unknown'}: "
               f"{len(result.events)} events")
    for event in result.events:
        where = ", ".join(x for x in (event.location, event.admin1, event.country) if x)
        click.echo(f"  {event.event_id_cnty}  {event.event_date} (precision "
                   f"{event.time_precision})  {event.event_type} / {event.sub_event_type}")
        click.echo(f"    where: {where} ({event.latitude}, {event.longitude}) "
                   f"precision {event.geo_precision}")
        click.echo(f"    who:   {event.actor1 or '-'} vs {event.actor2 or '-'} "
                   f"(interaction {event.interaction})")
        click.echo(f"    counts: {event.fatalities} killed, {event.injured} injured, "
                   f"{event.captured} captured" + (f"; claimed by {event.claimed_by}"
                                                   if event.claimed_by else ""))
        click.echo(f"    notes: {event.notes}")
        click.echo(f"    confidence {event.confidence:.2f}, {len(event.evidence)} evidence spans")
