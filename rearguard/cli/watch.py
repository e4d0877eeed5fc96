"""``rearguard watch``: poll feeds into the dataset and alert on what is new."""

from __future__ import annotations

import click

from ..errors import InputError
from . import cli, settings_from

DB_HELP = "SQLite file or postgresql:// URL (default: the 'database' setting, rearguard.db)."
RULE_HELP = ("rear-area, control or fatalities>=N[:COUNTRY|:ADMIN1]; repeat for several "
             "(default: rear-area and control).")


@cli.command()
@click.argument("feeds", nargs=-1)
@click.option("--every", default="15m", show_default=True,
              help="Time between polls: 30s, 15m, 1h.")
@click.option("--db", help=DB_HELP)
@click.option("--webhook", help="Also POST each alert as JSON to this http(s) URL.")
@click.option("--rule", "rules", multiple=True, help=RULE_HELP)
@click.option("--published", help="Publication date for text files without one, YYYY-MM-DD.")
@click.option("--once", is_flag=True, help="Poll once and exit (for cron).")
@click.option("--max-polls", type=int, help="Stop after this many polls.")
@click.pass_context
def watch(ctx: click.Context, feeds: tuple[str, ...], every: str, db: str | None,
          webhook: str | None, rules: tuple[str, ...], published: str | None, once: bool,
          max_polls: int | None) -> None:
    """Poll FEEDS (RSS/Atom feeds, their addresses, or any source 'ingest' reads) every
    interval, add new articles to the dataset, and print one JSON line per alert:
    rear-area attacks, new control changes, events with many fatalities. --once polls
    once; --once with unreadable sources exits 1."""
    from ..alerts import check_webhook, parse_interval, parse_rules
    from ..alerts import watch as run_watch
    from ..pipeline import published_option
    from ..store import open_store

    if not feeds:
        raise InputError("E120")
    every_seconds = parse_interval(every)
    parsed = parse_rules(rules)
    webhook = check_webhook(webhook)
    if max_polls is not None and max_polls < 1:
        raise InputError("E155", value=max_polls)
    published = published_option(published)
    settings = settings_from(ctx, database=db)
    store = open_store(settings.database)
    try:
        result = run_watch(list(feeds), store=store, settings=settings,
                           every_seconds=every_seconds, rules=parsed, webhook=webhook,
                           once=once, max_polls=max_polls, published=published,
                           out=click.echo,
                           warn=lambda m: click.echo(f"rearguard: warning: {m}", err=True))
    finally:
        store.close()
    if once and result.errors:
        ctx.exit(1)
