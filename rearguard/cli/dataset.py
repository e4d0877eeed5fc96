"""``rearguard ingest``, ``rearguard control`` and ``rearguard export``: the living dataset."""

from __future__ import annotations

import json
import sys

import click

from ..errors import InputError
from ..pipeline import published_option
from . import cli, settings_from

DB_HELP = "SQLite file or postgresql:// URL (default: the 'database' setting, rearguard.db)."


def _store(ctx: click.Context, db: str | None):
    from ..store import open_store

    settings = settings_from(ctx, database=db)
    return settings, open_store(settings.database)


@cli.command()
@click.argument("sources", nargs=-1)
@click.option("--db", help=DB_HELP)
@click.option("--published", help="Publication date for text files without one, YYYY-MM-DD.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def ingest(ctx: click.Context, sources: tuple[str, ...], db: str | None,
           published: str | None, quiet: bool) -> None:
    """Add SOURCES (text, HTML and JSON Lines files, folders, RSS/Atom feeds or their
    addresses) to the dataset. Articles already stored are skipped; bad sources are
    reported and the rest go on."""
    from tqdm import tqdm

    from ..dataset import ingest as run_ingest

    if not sources:
        raise InputError("E109")
    published = published_option(published)
    settings, store = _store(ctx, db)
    bar = tqdm(desc="Ingesting", unit=" articles", disable=quiet, file=sys.stderr)

    def progress(report) -> None:
        bar.set_postfix_str(f"events {report.events_new}+{report.events_merged}, "
                            f"errors {len(report.errors)}")
        bar.n = report.articles + report.seen + len(report.errors)
        bar.refresh()

    try:
        report = run_ingest(sources, store=store, settings=settings, published=published,
                            on_item=progress)
    finally:
        bar.close()
        store.close()
    for error in report.errors:
        click.echo(f"rearguard: error: {error}", err=True)
    click.echo(report.summary())
    if report.errors:
        ctx.exit(1)


@cli.command("control")
@click.argument("place")
@click.option("--db", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON lines.")
@click.pass_context
def control_cmd(ctx: click.Context, place: str, db: str | None, as_json: bool) -> None:
    """Who held PLACE when, with the articles that say so."""
    from ..dataset import control_history

    _, store = _store(ctx, db)
    try:
        records = control_history(store, place)
    finally:
        store.close()
    if as_json:
        for record in records:
            click.echo(json.dumps(record.to_dict(), ensure_ascii=False))
        return
    if not records:
        click.echo(f"no control records for {place!r}")
        return
    for r in records:
        holder = r.holder or "(nobody named)"
        extent = "" if r.extent == "full" else f", {r.extent}"
        held = f", held {r.held_days} days" if r.held_days else ""
        click.echo(f"{r.date or '?':10}  {r.place}: {r.kind} by {holder}{extent}{held}"
                   f"  [article {r.article_id}]")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "geojson", "jsonl", "parquet"]),
              default="csv", show_default=True)
@click.option("--output", "-o", default="-", help="File to write (default: standard output).")
@click.option("--db", help=DB_HELP)
@click.option("--country")
@click.option("--admin1")
@click.option("--since", help="First event date, YYYY-MM-DD.")
@click.option("--until", help="Last event date, YYYY-MM-DD.")
@click.option("--event-type", help="An ACLED event type or sub-event type.")
@click.option("--actor", help="Part of an actor's name.")
@click.option("--bbox", help="min_lon,min_lat,max_lon,max_lat")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str, db: str | None, **filters) -> None:
    """Write the dataset's events: CSV (ACLED's 31 columns first), GeoJSON, JSON Lines or
    Parquet."""
    from ..export import write_events

    for name in ("since", "until"):
        if filters[name]:
            filters[name] = published_option(filters[name], f"--{name}")
    if filters["bbox"]:
        try:
            parts = tuple(float(x) for x in filters["bbox"].split(","))
            if len(parts) != 4:
                raise ValueError
        except ValueError as e:
            raise InputError("E106", where="--bbox",
                             detail="expected min_lon,min_lat,max_lon,max_lat") from e
        filters["bbox"] = parts
    _, store = _store(ctx, db)
    try:
        write_events(store.events(**filters), fmt, output)
    finally:
        store.close()


@cli.command()
@click.argument("event_id", required=False)
@click.option("--db", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON lines.")
@click.pass_context
def history(ctx: click.Context, event_id: str | None, db: str | None, as_json: bool) -> None:
    """Why EVENT_ID (or every event) was created, merged, revised or flagged."""
    _, store = _store(ctx, db)
    try:
        entries = store.history(event_id)
    finally:
        store.close()
    for entry in entries:
        if as_json:
            click.echo(json.dumps(entry, ensure_ascii=False, default=str))
        else:
            source = f" [article {entry['article_id']}]" if entry.get("article_id") else ""
            click.echo(f"{entry['at']}  {entry['event_id']}  {entry['action']}: "
                       f"{entry['detail']}{source}")
