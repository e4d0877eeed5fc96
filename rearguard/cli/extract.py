"""``rearguard extract``: the events of news reports, ACLED-style."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import click

from ..errors import InputError
from ..export import csv_text, event_from_dict, geojson_collection
from ..ingest.sources import with_language
from ..pipeline import article_from_file, extract_articles, extract_jsonl, published_option
from ..settings import Settings
from ..types import Article, Event, Extraction
from . import ErrorCounter, cli, finish, settings_from, write_json_lines
from .options import engine_options, engine_workers, workers_option, workers_or_default

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

FORMATS = ["json", "jsonl", "csv", "geojson", "text", "parquet"]


@cli.command()
@click.argument("files", nargs=-1)
@click.option("--input", "input_path", type=click.Path(allow_dash=True),
              help='JSON Lines: {"id", "text", "published", "title"?, "url"?, "source"?}; '
              "or a folder of them (shards, *.jsonl).")
@click.option("--output", "-o", type=click.Path(allow_dash=True),
              help="With --input: the file to write, or a folder for one file per shard "
              "(jsonl or parquet; default: standard output). Written under a temporary "
              "name and renamed when complete; a re-run skips the shards already written.")
@click.option("--published", help="Publication date of FILE(s), YYYY-MM-DD (default: a "
              "date in the file name, else none).")
@click.option("--source", help="Publisher of FILE(s), a name or URL (\"SOHR\", "
              "\"https://sana.sy\"): a hint to which country the reports are about.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="json (one object per file), jsonl, csv (ACLED columns first), geojson, "
              "text for reading, or parquet (events, with --output) (default: json for "
              "files, jsonl for --input).")
@click.option("--keep-going", is_flag=True,
              help="On a bad file or input line, report it and go on (exit 2 if any failed).")
@workers_option
@engine_options
@click.pass_context
def extract(ctx: click.Context, files: tuple[str, ...], input_path: str | None,
            output: str | None, published: str | None, source: str | None,
            fmt: str | None, keep_going: bool, workers: int | None, engine: str,
            address: str | None) -> None:
    """Extract the events of FILE(s) (text files, or http(s) addresses of pages and feeds):
    type, place, date, actors, counts and evidence."""
    settings = settings_from(ctx)
    published = published_option(published)
    if not files and not input_path:
        raise InputError("E109")
    if input_path:
        _extract_input(ctx, settings, input_path, output, fmt, keep_going, workers, engine,
                       address)
        return
    if output is not None:
        raise InputError("E165", option="output", value=output,
                         detail="it goes with --input (FILE arguments print)")
    if fmt == "parquet":
        raise InputError("E141")
    articles: list[Article] = []
    failed = 0
    for path in files:  # read every file first: one pipeline (or pool) for them all
        try:
            if _SCHEME.match(path):
                articles += [a if a.language is not None else with_language(a, path)
                             for a in _url_articles(path, published, source)]
            else:
                articles.append(article_from_file(path, published=published, source=source))
        except InputError as e:
            if not keep_going:
                raise
            click.echo(f"rearguard: error: {e.message}", err=True)
            failed += 1
    with engine_workers(engine, address, workers) as count:
        results = list(extract_articles(articles, settings=settings, workers=count))
    _write_extractions(results, files, fmt or "json")
    finish(ctx, failed, keep_going)


def _extract_input(ctx: click.Context, settings: Settings, input_path: str,
                   output: str | None, fmt: str | None, keep_going: bool,
                   workers: int | None, engine: str, address: str | None) -> None:
    """``--input``: a JSON Lines file or a folder of shards, to standard output or to
    ``--output`` (a job: :func:`rearguard.engines.run_job`), on ``--engine``."""
    from ..engines import check_format, plan, records, run_job
    from .options import check_engine

    check_engine(engine, address)
    count = workers if engine == "ray" else workers_or_default(workers)
    if output is not None:
        chosen = check_format(fmt, output)
        report = run_job(plan(input_path, output, chosen), fmt=chosen, settings=settings,
                         engine=engine, workers=count, address=address,
                         keep_going=keep_going)
        click.echo(report.summary(output))
        finish(ctx, report.failed, keep_going)
        return
    if fmt == "parquet":
        raise InputError("E141")
    if engine == "local" and (input_path == "-" or not Path(input_path).is_dir()):
        found = extract_jsonl(input_path, settings=settings, keep_going=keep_going,
                              workers=workers_or_default(workers))
    else:
        found = records(plan(input_path, None, "jsonl"), settings=settings, engine=engine,
                        workers=count, address=address, keep_going=keep_going)
    counted = ErrorCounter(found)
    _write_records(counted, fmt or "jsonl")
    finish(ctx, counted.failed, keep_going)


def _url_articles(location: str, published: str | None, source: str | None
                  ) -> list[Article]:
    """The articles at an http(s) address (a feed's entries or a page's article); the
    first bad one raises. Other schemes are E127."""
    from ..ingest import read_sources

    articles = []
    for item in read_sources([location], published=published):
        if isinstance(item, InputError):
            raise item
        articles.append(dataclasses.replace(item, source=source) if source else item)
    return articles


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
