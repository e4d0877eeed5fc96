"""The ``rearguard`` command line: each command parses options and calls one library function.

Exit status, the same for every command (docs/ingest.md, "Exit status"):

* 0: everything given was read and done.
* 1: an error stopped the command: without ``--keep-going`` the first bad input stops it;
  errors the library raises on purpose (:class:`~rearguard.errors.RearguardError`) and
  operating-system errors (a full disk) are one line on standard error, never a traceback.
* 2: with ``--keep-going``, the command went on past bad inputs and finished, but at least
  one failed (each reported on standard error); also click's usage errors.
* 130: interrupted (Ctrl-C).

Warnings the library logs on the ``rearguard`` logger (a text cut to size, a language
rearguard does not extract, files a folder holds that are not articles) are printed as
``rearguard: warning: ...`` lines on standard error.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable
from typing import Any

import click

from ..errors import RearguardError
from ..settings import Settings, load_settings

EXIT_ERROR = 1
EXIT_PARTIAL = 2
SKIPPED_LISTED = 10  # skipped files named one by one; the rest are counted


class _Warnings(logging.Handler):
    """Prints the ``rearguard`` logger's warnings as one line each on standard error, and
    gathers the files a folder skipped (records with ``skipped=(path, reason)``) into one
    summary line at the end of the command."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.skipped: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        skipped = getattr(record, "skipped", None)
        if skipped is not None:
            self.skipped.append(skipped)
            return
        message = " ".join(record.getMessage().split())
        click.echo(f"rearguard: warning: {message}", err=True)

    def summary(self) -> None:
        if not self.skipped:
            return
        shown = [f"{path} ({reason})" for path, reason in self.skipped[:SKIPPED_LISTED]]
        more = len(self.skipped) - len(shown)
        files = "file that holds" if len(self.skipped) == 1 else "files that hold"
        click.echo(f"rearguard: warning: skipped {len(self.skipped)} {files} no news "
                   f"article: {'; '.join(shown)}" + (f"; and {more} more" if more else ""),
                   err=True)


class _Group(click.Group):
    """Turns rearguard's errors into one line and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        logger = logging.getLogger("rearguard")
        warnings = _Warnings()
        logger.addHandler(warnings)
        try:
            return super().invoke(ctx)
        except RearguardError as e:
            click.echo(f"rearguard: error: {e.message}", err=True)
            ctx.exit(EXIT_ERROR)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("rearguard: interrupted", err=True)
            ctx.exit(130)
        except OSError as e:  # a full disk or a vanished file the library did not expect
            error = RearguardError("E146", where=e.filename or "rearguard",
                                   detail=e.strerror or " ".join(str(e).split())
                                   or type(e).__name__)
            click.echo(f"rearguard: error: {error.message}", err=True)
            ctx.exit(EXIT_ERROR)
        finally:
            logger.removeHandler(warnings)
            warnings.summary()


def finish(ctx: click.Context, failed: int, keep_going: bool) -> None:
    """Exit as every command does after its inputs: 0 when none failed; with
    ``--keep-going``, 2 when some did (without it the first failure already stopped the
    command with 1)."""
    if failed:
        ctx.exit(EXIT_PARTIAL if keep_going else EXIT_ERROR)


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


class ErrorCounter:
    """Passes records through and counts the error records (``{"id": None, "line",
    "error"}``) that ``--keep-going`` writes in place of bad input lines."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self.records = records
        self.failed = 0

    def __iter__(self):
        for record in self.records:
            if record.get("error") is not None and record.get("id") is None:
                self.failed += 1
            yield record


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
from . import review as _review  # noqa: E402,F401
from . import serve as _serve  # noqa: E402,F401
from . import watch as _watch  # noqa: E402,F401
