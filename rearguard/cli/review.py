"""``rearguard event``, ``rearguard source`` and ``rearguard reprocess``: reviewing the
dataset and extracting it again (docs/review.md)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from ..pipeline import published_option
from ..settings import Settings
from ..store import Store
from . import cli
from .dataset import DB_HELP, _store

WHY_HELP = "Why (recorded in the change log; required)."


@contextmanager
def _review_store(ctx: click.Context, db: str | None, *, readonly: bool = False
                  ) -> Iterator[tuple[Settings, Store]]:
    """The settings and the existing store (a missing one is an error, not created),
    closed when the command is done with it; ``readonly`` for the commands that only
    read (a read-only SQLite file is opened read-only)."""
    settings, store = _store(ctx, db, create=False, readonly=readonly)
    try:
        yield settings, store
    finally:
        store.close()


@cli.group("event")
def event_group() -> None:
    """Review one dataset event: reject, restore, edit or show it."""


@event_group.command("reject")
@click.argument("event_id")
@click.option("--why", required=True, help=WHY_HELP)
@click.option("--db", help=DB_HELP)
@click.pass_context
def event_reject(ctx: click.Context, event_id: str, why: str, db: str | None) -> None:
    """Take EVENT_ID out of exports and alerts (it stays stored, keeps absorbing new
    reports of its incident, and is listed by 'export --deleted')."""
    from ..dataset import reject_event

    with _review_store(ctx, db) as (_, store):
        done = reject_event(store, event_id, why)
    click.echo(f"{event_id}: rejected" if done else f"{event_id}: already rejected")


@event_group.command("restore")
@click.argument("event_id")
@click.option("--why", required=True, help=WHY_HELP)
@click.option("--db", help=DB_HELP)
@click.pass_context
def event_restore(ctx: click.Context, event_id: str, why: str, db: str | None) -> None:
    """Bring a rejected EVENT_ID back into the dataset."""
    from ..dataset import restore_event

    with _review_store(ctx, db) as (_, store):
        done = restore_event(store, event_id, why)
    click.echo(f"{event_id}: restored" if done else f"{event_id}: already active")


@event_group.command("edit")
@click.argument("event_id")
@click.argument("assignments", nargs=-1, required=True, metavar="FIELD=VALUE...")
@click.option("--why", required=True, help=WHY_HELP)
@click.option("--db", help=DB_HELP)
@click.pass_context
def event_edit(ctx: click.Context, event_id: str, assignments: tuple[str, ...], why: str,
               db: str | None) -> None:
    """Set fields of EVENT_ID by hand (fatalities=12 location=Hit). Edits are kept and
    win over every later report, revision and re-extraction."""
    from ..dataset import edit_event

    with _review_store(ctx, db) as (_, store):
        event = edit_event(store, event_id, list(assignments), why)
    shown = {name.partition("=")[0].strip() for name in assignments}
    click.echo(f"{event_id}: " + ", ".join(
        f"{name}={getattr(event, name)!r}" for name in sorted(shown)))


@event_group.command("show")
@click.argument("event_id")
@click.option("--db", help=DB_HELP)
@click.pass_context
def event_show(ctx: click.Context, event_id: str, db: str | None) -> None:
    """Print EVENT_ID as JSON with its status, edits, pipeline version and reports."""
    from ..dataset.review import show_event

    with _review_store(ctx, db, readonly=True) as (_, store):
        record = show_event(store, event_id)
    click.echo(json.dumps(record, ensure_ascii=False, indent=1))


@cli.group("source")
def source_group() -> None:
    """Review one stored article as a source."""


@source_group.command("reject")
@click.argument("article")
@click.option("--why", required=True, help=WHY_HELP)
@click.option("--db", help=DB_HELP)
@click.pass_context
def source_reject(ctx: click.Context, article: str, why: str, db: str | None) -> None:
    """Reject ARTICLE (an article id or URL) as a source: its reports and control records
    leave the dataset, the events it fed are derived again from their other sources, and
    events it alone reported are rejected. Its text stays stored."""
    from ..dataset import reject_source

    with _review_store(ctx, db) as (_, store):
        fed = reject_source(store, article, why)
    click.echo(f"{article}: rejected as a source; events it fed: {', '.join(fed) or 'none'}")


@source_group.command("restore")
@click.argument("article")
@click.option("--why", required=True, help=WHY_HELP)
@click.option("--db", help=DB_HELP)
@click.pass_context
def source_restore(ctx: click.Context, article: str, why: str, db: str | None) -> None:
    """Make a rejected ARTICLE (id or URL) a source again: it is extracted again and the
    events its rejection took out come back."""
    from ..dataset import restore_source

    with _review_store(ctx, db) as (settings, store):
        fed = restore_source(store, article, why, settings=settings)
    click.echo(f"{article}: a source again; events it feeds: {', '.join(fed) or 'none'}")


@source_group.command("show")
@click.argument("article")
@click.option("--db", help=DB_HELP)
@click.pass_context
def source_show(ctx: click.Context, article: str, db: str | None) -> None:
    """Print ARTICLE (id or URL) as JSON: status, revision, earlier texts and events."""
    from ..dataset.review import show_source

    with _review_store(ctx, db, readonly=True) as (_, store):
        record = show_source(store, article)
    click.echo(json.dumps(record, ensure_ascii=False, indent=1))


@cli.command()
@click.option("--since", help="Only articles published on or after this date, YYYY-MM-DD.")
@click.option("--force", is_flag=True,
              help="Also articles the current pipeline version extracted already.")
@click.option("--db", help=DB_HELP)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def reprocess(ctx: click.Context, since: str | None, force: bool, db: str | None,
              quiet: bool) -> None:
    """Extract the stored articles again with the current pipeline and update the events
    through the same merge and change log (events keep their ids where they are the same
    incident). Articles this pipeline version extracted already are skipped, so an
    interrupted run resumes."""
    from tqdm import tqdm

    from ..dataset import IngestReport
    from ..dataset import reprocess as run_reprocess
    from ..dataset.version import pipeline_version

    since = published_option(since, "--since")
    settings, store = _store(ctx, db, create=False)
    total = store.count("articles")
    bar = tqdm(desc="Reprocessing", unit=" articles", disable=quiet, file=sys.stderr,
               total=total)
    latest = IngestReport()

    def progress(report: IngestReport) -> None:
        nonlocal latest
        latest = report
        bar.n = report.articles + report.seen
        bar.refresh()

    try:
        latest = run_reprocess(store, settings=settings, since=since, force=force,
                               on_item=progress)
    finally:
        bar.close()
        store.close()
    click.echo(f"pipeline {pipeline_version(settings)}: {latest.articles} articles extracted "
               f"again ({latest.seen} already current), {latest.events_new} new events, "
               f"{latest.events_updated} updated, {latest.events_deleted} no longer "
               f"reported, {latest.control} control records")
