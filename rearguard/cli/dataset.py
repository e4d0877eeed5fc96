"""``rearguard ingest``, ``rearguard control`` and ``rearguard export``: the living dataset."""

from __future__ import annotations

import itertools
import json
import sys

import click

from ..errors import InputError
from ..pipeline import published_option
from . import cli, finish, settings_from
from .options import check_engine, engine_options, engine_workers, workers_option

DB_HELP = "SQLite file or postgresql:// URL (default: the 'database' setting, rearguard.db)."


def _store(ctx: click.Context, db: str | None, *, create: bool = True, readonly: bool = False):
    """The settings and the store; ``create=False`` refuses a store that does not exist
    (E714) instead of creating an empty one; ``readonly=True`` (commands that only read)
    also opens a SQLite file that cannot be written (a read-only file or folder)."""
    from ..store import open_store

    settings = settings_from(ctx, database=db)
    return settings, open_store(settings.database, create=create, readonly=readonly)


class _Stop(Exception):
    """The first bad source, without --keep-going: stop reading."""


@cli.command()
@click.argument("sources", nargs=-1)
@click.option("--db", help=DB_HELP)
@click.option("--published", help="Publication date for text files without one, YYYY-MM-DD.")
@click.option("--keep-going", is_flag=True,
              help="On a bad source, file, line or feed entry, report it and go on "
              "(exit 2 if any failed).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@workers_option
@engine_options
@click.pass_context
def ingest(ctx: click.Context, sources: tuple[str, ...], db: str | None,
           published: str | None, keep_going: bool, quiet: bool, workers: int | None,
           engine: str, address: str | None) -> None:
    """Add SOURCES (text, HTML and JSON Lines files, folders, RSS/Atom feeds or their
    addresses) to the dataset. Articles already stored are skipped. Files in a folder that
    hold no article are skipped and listed. The first bad source stops the command (exit
    1; what was stored before it stays); with --keep-going it is reported and the rest go
    on (exit 2). With --engine ray the articles are extracted by a Ray cluster's actors
    and stored here, by this one process, in input order."""
    from tqdm import tqdm

    from ..dataset import IngestReport
    from ..dataset import ingest as run_ingest

    if not sources:
        raise InputError("E120")
    published = published_option(published)
    check_engine(engine, address)  # before the store is opened: a missing extra, a stray --address
    settings, store = _store(ctx, db)
    bar = tqdm(desc="Ingesting", unit=" articles", disable=quiet, file=sys.stderr)
    latest = IngestReport()

    def progress(report: IngestReport) -> None:
        nonlocal latest
        latest = report
        bar.set_postfix_str(f"events {report.events_new}+{report.events_merged}, "
                            f"errors {len(report.errors)}")
        bar.n = report.articles + report.seen + len(report.errors)
        bar.refresh()
        if report.errors and not keep_going:
            raise _Stop

    stopped = False
    try:
        with engine_workers(engine, address, workers) as count:
            latest = run_ingest(sources, store=store, settings=settings,
                                published=published, on_item=progress, workers=count)
    except _Stop:
        stopped = True
    finally:
        bar.close()
        store.close()
    for error in latest.errors:
        click.echo(f"rearguard: error: {error}", err=True)
    click.echo(latest.summary() + ("; stopped at the first error (--keep-going goes on)"
                                   if stopped else ""))
    finish(ctx, len(latest.errors), keep_going)


@cli.command("control")
@click.argument("place")
@click.option("--db", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON lines.")
@click.pass_context
def control_cmd(ctx: click.Context, place: str, db: str | None, as_json: bool) -> None:
    """Who held PLACE when, with the articles that say so."""
    from ..dataset import control_history

    _, store = _store(ctx, db, create=False, readonly=True)
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
@click.option("--country", help="A country name or its ISO 3166 code (IQ, IRQ).")
@click.option("--admin1")
@click.option("--since", help="First event date, YYYY-MM-DD (with --deleted: the UTC time "
              "or date to list deletions from).")
@click.option("--until", help="Last event date, YYYY-MM-DD.")
@click.option("--event-type", help="An ACLED event type or sub-event type (\"Battles\", "
              "\"Armed clash\").")
@click.option("--actor", help="Part of an actor's name.")
@click.option("--bbox", help="min_lon,min_lat,max_lon,max_lat")
@click.option("--sub-event-type", help="An ACLED sub-event type only (\"Armed clash\").")
@click.option("--min-confidence", type=float, help="Only events at least this confident (0-1).")
@click.option("--min-fatalities", type=int, help="Only events with at least N fatalities.")
@click.option("--rear-area/--not-rear-area", default=None,
              help="Only rear-area attacks, or only events that are not.")
@click.option("--changed-since", help="Only events created or changed at or after this "
              "UTC time or date (incremental sync).")
@click.option("--deleted", is_flag=True, help="Write the deletions feed instead: events "
              "rejected or no longer reported (with --since T: at or after T).")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str, db: str | None, deleted: bool,
           **filters) -> None:
    """Write the dataset's events: CSV (ACLED's 31 columns first), GeoJSON, JSON Lines or
    Parquet. Rejected events are never written; --deleted lists them (ACLED's deleted
    feed) and --changed-since gives what changed, for incremental sync."""
    from ..export import check_filters, sync_time, write_deletions, write_events
    from ..export.filters import check_actor

    if deleted:
        given = [f"--{k.replace('_', '-')}" for k, v in filters.items()
                 if v is not None and k != "since"]
        if given:
            raise InputError("E165", option="deleted", value=" ".join(given),
                             detail="the deletions feed takes only --since, --format "
                             "(csv or jsonl) and --output")
        since = sync_time("since", filters["since"]) if filters["since"] else None
        _, store = _store(ctx, db, create=False, readonly=True)
        try:
            write_deletions(store.deletions(since), fmt, output)
        finally:
            store.close()
        return
    if filters["changed_since"]:
        filters["changed_since"] = sync_time("changed-since", filters["changed_since"])
    if filters["min_confidence"] is not None and not 0 <= filters["min_confidence"] <= 1:
        raise InputError("E165", option="min-confidence", value=filters["min_confidence"],
                         detail="expected a number from 0 to 1")
    if filters["min_fatalities"] is not None and filters["min_fatalities"] < 0:
        raise InputError("E165", option="min-fatalities", value=filters["min_fatalities"],
                         detail="expected a count >= 0")
    if filters["admin1"] is not None:  # as --country: surrounding spaces are not part of it
        filters["admin1"] = filters["admin1"].strip()
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
    settings, store = _store(ctx, db, create=False, readonly=True)
    try:
        check_filters(store, country=filters["country"], event_type=filters["event_type"],
                      sub_event_type=filters["sub_event_type"], admin1=filters["admin1"],
                      provinces=_provinces(settings, filters["admin1"]))
        events = store.events(**filters)
        if filters["actor"] is not None:  # known only once the selection is empty
            first = next(events, None)
            if first is None:
                check_actor(filters["actor"], (name for e in store.events() for name in
                                               (e.actor1, e.actor2, e.assoc_actor_1,
                                                e.assoc_actor_2)))
            events = itertools.chain([first] if first is not None else [], events)
        write_events(events, fmt, output)
    finally:
        store.close()


def _provinces(settings, value: str | None) -> list[str]:
    """The provinces (ADM1) the gazetteer reads ``value`` as, by the names the events carry
    for them ("Nineveh": Ninawa); none without a built index (export never builds one)."""
    import sqlite3

    from ..errors import GazetteerError
    from ..geo.gazetteer import Gazetteer

    if not value or not value.strip() or not settings.gazetteer_path.is_file():
        return []
    try:
        gazetteer = Gazetteer(settings.gazetteer_path)
    except GazetteerError:
        return []
    try:
        return [c.admin1 or c.name for c in gazetteer.lookup(value.strip(), fuzzy=False)
                if c.feature_code == "ADM1"]
    except sqlite3.Error:
        return []
    finally:
        gazetteer.close()


@cli.command()
@click.argument("event_id", required=False)
@click.option("--db", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON lines.")
@click.pass_context
def history(ctx: click.Context, event_id: str | None, db: str | None, as_json: bool) -> None:
    """Why EVENT_ID (or every event) was created, merged, revised, flagged, rejected,
    restored or edited."""
    import difflib

    _, store = _store(ctx, db, create=False, readonly=True)
    try:
        entries = store.history(event_id)
        if event_id is not None and not entries:
            known = store.logged_event_ids()
            close = difflib.get_close_matches(event_id.upper(), known, n=5, cutoff=0.6)
            raise InputError("E147", event_id=event_id, where=store.where,
                             close=", ".join(close) or "none")
    finally:
        store.close()
    for entry in entries:
        if as_json:
            click.echo(json.dumps(entry, ensure_ascii=False, default=str))
        else:
            source = f" [article {entry['article_id']}]" if entry.get("article_id") else ""
            click.echo(f"{entry['at']}  {entry['event_id']}  {entry['action']}: "
                       f"{entry['detail']}{source}")
