"""``rearguard serve``: the HTTP API and the offline map (docs/serve.md)."""

from __future__ import annotations

import dataclasses
import json
import os
from typing import Any

import click

from ..errors import InputError
from . import cli, settings_from
from .dataset import DB_HELP


@cli.command()
@click.option("--db", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--token", envvar="REARGUARD_SERVE_TOKEN",
              help="Allow the review and ingest POSTs for requests with 'Authorization: "
              "Bearer TOKEN' (also REARGUARD_SERVE_TOKEN). Without it the server is "
              "read-only.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let pages from ORIGIN call the API (repeatable; none by default).")
@click.option("--max-limit", default=1000, show_default=True, type=int,
              help="The largest page of events; larger limits are clamped to it.")
@click.option("--rate", default=50.0, show_default=True, type=float,
              help="Requests per second per client address (0: no limit).")
@click.option("--burst", type=int, help="Requests a client may make at once "
              "(default: twice --rate).")
@click.option("--threads", default=8, show_default=True, type=int,
              help="Requests handled at once per process (and its store connections at "
              "most).")
@click.option("--workers", default=1, show_default=True, type=int,
              help="Server processes (each with --threads threads, its own store "
              "connections, cache and --rate buckets); 0: one per core.")
@click.option("--cache-mb", default=256.0, show_default=True, type=float,
              help="Megabytes of rendered events kept per process while the store does not "
              "change (0: no cache).")
@click.option("--no-map", is_flag=True, help="Serve the API only, not the map page.")
@click.pass_context
def serve(ctx: click.Context, db: str | None, host: str, port: int, token: str | None,
          cors: tuple[str, ...], max_limit: int, rate: float, burst: int | None,
          threads: int, workers: int, cache_mb: float, no_map: bool) -> None:
    """Serve the dataset: the HTTP API (OpenAPI schema at /openapi.json) and the map
    page at /map/. Read-only unless --token is given."""
    import uvicorn

    from ..serve import create_app

    checks = [("port", port, 0 <= port <= 65535, "a port number 0-65535"),
              ("max-limit", max_limit, max_limit >= 1, "a page size >= 1"),
              ("rate", rate, rate >= 0, "requests per second >= 0 (0: no limit)"),
              ("burst", burst, burst is None or burst >= 1, "a number of requests >= 1"),
              ("threads", threads, 1 <= threads <= 256, "a number of threads 1-256"),
              ("workers", workers, 0 <= workers <= 256, "a number of processes 0-256 "
               "(0: one per core)"),
              ("cache-mb", cache_mb, 0 <= cache_mb <= 1_000_000, "megabytes >= 0")]
    for option, value, ok, expected in checks:
        if not ok:
            raise InputError("E165", option=option, value=value, detail=f"expected {expected}")
    if token is not None and len(token.strip()) < 8:
        raise InputError("E165", option="token", value="***",
                         detail="expected a secret of at least 8 characters")
    settings = settings_from(ctx, database=db)
    options: dict[str, Any] = dict(token=token, cors=list(cors), max_limit=max_limit,
                                   rate=rate, burst=burst, threads=threads,
                                   map_page=not no_map, cache_mb=cache_mb)
    app = create_app(settings.database, settings=settings, **options)  # checks the store
    workers = workers or _cores()
    where = "read-only" if not token else "review actions need the token"
    processes = f"; {workers} processes" if workers > 1 else ""
    click.echo(f"rearguard: serving {settings.database or 'rearguard.db'} at "
               f"http://{host}:{port}/ (map: /map/, API schema: /openapi.json; {where}"
               f"{processes})", err=True)
    run: dict[str, Any] = dict(host=host, port=port, log_level="warning", access_log=False)
    try:
        if workers == 1:
            uvicorn.run(app, **run)
        else:  # each process builds its own app from the same options
            from ..serve.app import OPTIONS_VARIABLE

            os.environ[OPTIONS_VARIABLE] = json.dumps(
                {"db": settings.database, "settings": dataclasses.asdict(settings), **options})
            uvicorn.run("rearguard.serve.app:app_from_environment", factory=True,
                        workers=workers, **run)
    except OSError as e:
        raise InputError("E165", option="port", value=port,
                         detail=f"cannot listen there ({e.strerror or e})") from None


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
