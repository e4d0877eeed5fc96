"""Small helpers the tests share: writing input files, running the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path


def write_file(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def write_jsonl(tmp_path: Path, *lines: object, name: str = "in.jsonl") -> Path:
    """A JSON Lines file: dicts are dumped, strings are written as they are."""
    text = "".join((json.dumps(x) if not isinstance(x, str) else x) + "\n" for x in lines)
    return write_file(tmp_path, name, text)


def run(*args: str):
    """Invoke the ``rearguard`` command line in-process; returns click's Result."""
    from click.testing import CliRunner

    from rearguard.cli import cli

    return CliRunner().invoke(cli, list(args))


# The PostgreSQL server the store tests use (a fresh schema per session on it).
PG_BASE = os.environ.get("REARGUARD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def schema_url(schema: str) -> str:
    """A URL of the test server whose search path is ``schema``."""
    sep = "&" if "?" in PG_BASE else "?"
    return f"{PG_BASE}{sep}options=-csearch_path%3D{schema}"


# ``python -c KILL_HOOK <rearguard arguments>``: the command line, with the store's one
# statement runner wrapped so that the process kills itself (SIGKILL) before, or with
# RG_KILL_AFTER=1 after, write statement number RG_KILL_AT (0: never), writing the count
# of write statements so far to RG_COUNT_FILE when set. Shared by the crash tests.
KILL_HOOK = r"""
import os, re, signal, sys
from rearguard.store import sql

kill_at = int(os.environ.get("RG_KILL_AT", "0"))
after = os.environ.get("RG_KILL_AFTER") == "1"
count_file = os.environ.get("RG_COUNT_FILE")
writes = 0
original = sql.Database.execute
WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|COMMIT)\b", re.I)

def execute(self, statement, params=()):
    global writes
    if not WRITE.match(statement):
        return original(self, statement, params)
    writes += 1
    if writes == kill_at and not after:
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(self, statement, params)
    if writes == kill_at and after:
        os.kill(os.getpid(), signal.SIGKILL)
    if count_file:
        with open(count_file, "w") as handle:
            handle.write(str(writes))
    return result

sql.Database.execute = execute
from rearguard.cli import cli
cli(args=sys.argv[1:], prog_name="rearguard")
"""


def load_tool(name: str):
    """A trainer of tools/ (``tools/NAME.py``, not a package) loaded as a module."""
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module
