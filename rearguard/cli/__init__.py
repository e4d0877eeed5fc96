"""The ``rearguard`` command line: each command parses options and calls one library function.

Errors the library raises on purpose (:class:`~rearguard.errors.RearguardError`) become one
line on standard error and exit status 1; usage errors exit with 2 (click's convention).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

import click

from ..errors import RearguardError
from ..settings import Settings, load_settings


class _Group(click.Group):
    """Turns rearguard's errors into one line and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RearguardError as e:
            click.echo(f"rearguard: error: {e.message}", err=True)
            ctx.exit(1)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("rearguard: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rearguard")
@click.option("--config", type=click.Path(dir_okay=False), help="A rearguard.toml settings file.")
@click.option("--gazetteer", "gazetteer_path", type=click.Path(dir_okay=False),
              help="Gazetteer index to use (default: the user data directory).")
@click.pass_context
def cli(ctx: click.Context, config: str | None, gazetteer_path: str | None) -> None:
    """rearguard: conflict news in, a geocoded event dataset out."""
    ctx.obj = {"config": config, "gazetteer": gazetteer_path}


def settings_from(ctx: click.Context, **overrides: Any) -> Settings:
    obj = ctx.find_root().obj or {}
    if obj.get("gazetteer"):
        overrides.setdefault("gazetteer", obj["gazetteer"])
    return load_settings(obj.get("config"), **overrides)


def write_json_lines(records: Iterable[dict[str, Any]], out: Callable[[str], None]) -> None:
    for record in records:
        out(json.dumps(record, ensure_ascii=False))


def main() -> None:
    cli(prog_name="rearguard")


# Importing the command modules registers their commands on ``cli`` (hence last).
from . import classify as _classify  # noqa: E402,F401
from . import dataset as _dataset  # noqa: E402,F401
from . import eval as _eval  # noqa: E402,F401
from . import extract as _extract  # noqa: E402,F401
from . import gazetteer as _gazetteer  # noqa: E402,F401
from . import geocode as _geocode  # noqa: E402,F401
from . import watch as _watch  # noqa: E402,F401
