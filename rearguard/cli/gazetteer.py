"""``rearguard gazetteer build|search|info``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..geo import build_gazetteer, open_gazetteer
from ..geo.resolve import Resolver
from . import cli, settings_from


@cli.group()
def gazetteer() -> None:
    """Build and query the gazetteer index."""


@gazetteer.command("build")
@click.argument("more_geonames", nargs=-1, type=click.Path(), metavar="[FILE|FOLDER]...")
@click.option("--geonames", multiple=True, type=click.Path(),
              help="A GeoNames dump to add (allCountries.zip, IQ.zip, alternateNamesV2.zip, "
                   "admin1CodesASCII.txt, admin2Codes.txt), or a folder holding such files "
                   "(other files in it are skipped). Repeat for several.")
@click.option("--path", "out", type=click.Path(dir_okay=False),
              help="Where to write the index (default: the gazetteer setting).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def build(ctx: click.Context, more_geonames: tuple[str, ...], geonames: tuple[str, ...],
          out: str | None, quiet: bool) -> None:
    """Build the SQLite gazetteer index (replacing any existing one).

    GeoNames dumps, or folders of them, may follow --geonames or stand as arguments:
    'rearguard gazetteer build --geonames IQ.zip SY.zip alternateNamesV2.zip' or
    'rearguard gazetteer build ~/geonames/'. Every file is checked first; a bad file or
    line stops the build with an error and leaves the existing index as it was."""
    settings = settings_from(ctx)
    geonames = geonames + more_geonames
    path = Path(out) if out else settings.gazetteer_path
    meta = build_gazetteer(path, geonames=[Path(g) for g in geonames], show_progress=not quiet)
    counts = {k.split(":", 1)[1]: int(v) for k, v in meta.items() if k.startswith("count:")}
    click.echo(f"Gazetteer written to {path}: {sum(counts.values())} places "
               f"({', '.join(f'{k} {v}' for k, v in counts.items())})")


@gazetteer.command("search")
@click.argument("name")
@click.option("--country", help="Only candidates in this country (ISO alpha-2, e.g. IQ).")
@click.option("--limit", default=10, show_default=True, help="How many candidates.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines output.")
@click.pass_context
def search(ctx: click.Context, name: str, country: str | None, limit: int, as_json: bool) -> None:
    """Print gazetteer candidates for NAME, ranked as the resolver would without context."""
    settings = settings_from(ctx)
    gaz = open_gazetteer(settings)
    resolver = Resolver(gaz, fuzzy=settings.fuzzy_names, max_candidates=10_000)
    ranked = [(c, score) for c, score in resolver.rank(name)
              if not country or c.country_code == country.upper()][:limit]
    if not ranked:
        click.echo(f"No place named {name!r}" + (f" in {country.upper()}" if country else ""))
    for rank, (c, score) in enumerate(ranked, start=1):
        if as_json:
            record = {"rank": rank, "score": round(score, 3), **c.__dict__,
                      "geonameid": c.geonameid}
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        where = ", ".join(x for x in (c.admin2, c.admin1, gaz.country_name(c.country_code)) if x)
        gid = c.geonameid or "-"
        click.echo(f"{rank:>3}. {c.name} ({where}) {c.latitude:.4f}, {c.longitude:.4f} "
                   f"{c.feature_code} pop {c.population} geonameid {gid} "
                   f"[{c.match}] score {score:.2f}")


@gazetteer.command("info")
@click.pass_context
def info(ctx: click.Context) -> None:
    """Where the index is and what it holds."""
    gaz = open_gazetteer(settings_from(ctx))
    click.echo(f"path: {gaz.path}")
    for key, value in sorted(gaz.meta().items()):
        click.echo(f"{key}: {value}")
