"""Extraction jobs over JSON Lines shards, on an engine: ``local`` (this machine's worker
processes, :mod:`rearguard.parallel`) or ``ray`` (a Ray cluster's actors,
:mod:`rearguard.engines.ray_engine`, imported only when asked for).

A job reads one JSON Lines file or a folder of them (each a *shard*) and writes one output
per shard: JSON Lines (the records ``extract --input`` prints, byte for byte) or Parquet
(the events, in the schema of ``export --format parquet``). Each output is written under
a temporary name (``NAME.part``) and renamed when the shard is complete, so a job that
stopped (an error, Ctrl-C, a lost node) is re-run by running it again: shards whose output
exists are skipped, the others are done again from their start.

The engines only map the pipeline's entry point (:func:`rearguard.parallel.extract_task`,
:class:`rearguard.pipeline.Pipeline`) over batches of articles read here
(:func:`articles`); what is read, extracted and written is the same whichever engine runs
it, and in input order.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..io import iter_jsonl
from ..settings import Settings

ENGINES = ("local", "ray")
#: What a job writes to files (standard output takes any ``extract`` format).
FILE_FORMATS = ("jsonl", "parquet")
SUFFIX = {"jsonl": ".jsonl", "parquet": ".parquet"}
#: A shard is a ``*.jsonl`` file of the input folder (not its subfolders).
SHARD_GLOB = "*.jsonl"
PART = ".part"

#: One result in input order: the shard's index, the output line (a JSON record; None when
#: there is none) and the error in its place (None when there is none).
Row = tuple[int, str | None, BaseException | None]


@dataclass(frozen=True)
class Shard:
    source: str  # as the user gave it (error messages name it so)
    output: Path | None  # None: standard output

    @property
    def done(self) -> bool:
        return self.output is not None and self.output.exists()


@dataclass
class JobReport:
    shards: int = 0
    skipped: int = 0  # shards whose output was already written
    written: int = 0
    records: int = 0
    failed: int = 0  # error records written with --keep-going

    def summary(self, output: str) -> str:
        skipped = f", {self.skipped} already written (skipped)" if self.skipped else ""
        return (f"{self.written} of {self.shards} shards written to {output}{skipped}; "
                f"{self.records} records, {self.failed} errors")


def plan(input_path: str, output: str | None, fmt: str) -> list[Shard]:
    """The shards of ``input_path`` (a JSON Lines file, ``-``, or a folder of ``*.jsonl``)
    and where each one's output goes: ``output`` itself for one input file, unless it is a
    folder (an existing one, or a path ending in ``/``); for a folder, ``OUTPUT/NAME.jsonl``
    or ``.parquet`` per shard."""
    source = Path(input_path)
    is_folder = input_path != "-" and source.is_dir()
    if is_folder:
        names = sorted(p for p in source.glob(SHARD_GLOB)
                       if p.is_file() and not p.name.startswith("."))
        if not names:
            raise InputError("E106", where=input_path,
                             detail="the folder holds no JSON Lines shards (*.jsonl).")
        sources = [str(p) for p in names]
    elif input_path != "-" and not source.exists():
        raise InputError("E101", path=input_path)
    else:
        sources = [input_path]
    if output is None:
        return [Shard(s, None) for s in sources]
    if output == "-":
        raise InputError("E165", option="output", value=output,
                         detail="standard output is the default: leave --output out")
    folder = Path(output)
    as_folder = is_folder or folder.is_dir() or output.endswith(("/", os.sep))
    if not as_folder:
        return [Shard(sources[0], folder)]
    if folder.exists() and not folder.is_dir():
        raise InputError("E165", option="output", value=output,
                         detail="a folder of shards needs an output folder, not a file")
    if "-" in sources:
        raise InputError("E165", option="output", value=output,
                         detail="standard input has no name to give its output: name a "
                         "file")
    return [Shard(s, folder / (Path(s).stem + SUFFIX[fmt])) for s in sources]


def articles(path: str, shown: str | None = None) -> Iterator[Any]:
    """The articles of a JSON Lines shard, an :class:`InputError` in a bad line's place
    (as ``extract --input`` reads them). ``shown``: the name errors give the file, when
    ``path`` is where a worker opens it (an absolute path)."""
    from ..pipeline import article_from_record

    shown = shown or path
    for item in _named(iter_jsonl(path), path, shown):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            yield article_from_record(item)
        except InputError as e:
            yield InputError("E106", where=f"{shown}:{item.line}",
                             detail=e.message.split(": ", 1)[-1])


def _named(items: Iterator[Any], path: str, shown: str) -> Iterator[Any]:
    """``items`` with ``path`` in the errors' details renamed ``shown``."""
    def renamed(error: InputError) -> InputError:
        if path == shown:
            return error
        return InputError(error.code, **{
            k: str(v).replace(path, shown) if isinstance(v, (str, Path)) else v
            for k, v in error.details.items()})

    try:
        for item in items:
            yield renamed(item) if isinstance(item, InputError) else item
    except InputError as e:
        raise renamed(e) from None


def outcome(found: Any, *, fatal: bool = False) -> tuple[str | None, BaseException | None]:
    """An extraction's output line, or a bad line's error record and its error; a fatal
    error (the file itself cannot be read) or an unexpected one has no line."""
    from ..pipeline import error_record

    if isinstance(found, InputError) and not fatal:
        return json.dumps(error_record(found), ensure_ascii=False), found
    if isinstance(found, BaseException):
        return None, found
    return json.dumps(found.to_dict(), ensure_ascii=False), None


def local_rows(shards: list[Shard], *, settings: Settings, workers: int) -> Iterator[Row]:
    """The local engine: each shard through :func:`rearguard.parallel.ordered_map`."""
    from ..parallel import extract_task, ordered_map

    for index, shard in enumerate(shards):
        try:
            for found in ordered_map(extract_task, articles(shard.source), settings=settings,
                                     workers=workers):
                line, error = outcome(found)
                yield index, line, error
        except InputError as e:  # the file cannot be read at all
            yield index, None, e


def rows(shards: list[Shard], *, settings: Settings, engine: str, workers: int | None,
         address: str | None = None) -> Iterator[Row]:
    """Every shard's results, in order, from ``engine``. ``workers``: processes (local;
    None: the cores available) or actors (ray; None: the cluster's CPUs)."""
    if engine == "ray":
        from .ray_engine import RayEngine

        with RayEngine(address, workers) as ray_engine:
            yield from ray_engine.extract_shards(shards, settings=settings)
    else:
        from ..parallel import available_cores

        yield from local_rows(shards, settings=settings, workers=workers or available_cores())


def checked(stream: Iterable[Row], keep_going: bool, report: JobReport
            ) -> Iterator[tuple[int, str]]:
    """The lines to write, in order; an error without ``--keep-going`` (or one with no
    line to write) is raised where it comes."""
    for index, line, error in stream:
        if error is not None and (line is None or not keep_going):
            raise error
        if error is not None:
            report.failed += 1
        report.records += 1
        yield index, line  # type: ignore[misc]


def run_job(shards: list[Shard], *, fmt: str, settings: Settings, engine: str = "local",
            workers: int | None = None, address: str | None = None, keep_going: bool = False
            ) -> JobReport:
    """Extract every shard whose output is not yet written, and write it (temporary name,
    renamed when complete)."""
    report = JobReport(shards=len(shards))
    todo = [s for s in shards if not s.done]
    report.skipped = len(shards) - len(todo)
    if not todo:
        return report
    for shard in todo:
        assert shard.output is not None
        shard.output.parent.mkdir(parents=True, exist_ok=True)
    stream = checked(rows(todo, settings=settings, engine=engine, workers=workers,
                          address=address), keep_going, report)
    for index, group in groupby(stream, key=itemgetter(0)):
        output = todo[index].output
        assert output is not None
        part = output.with_name(output.name + PART)
        try:
            _write(fmt, (line for _, line in group), part)
        except BaseException:  # stopped inside the shard: nothing half-written is left
            part.unlink(missing_ok=True)
            raise
        os.replace(part, output)
        report.written += 1
    return report


def records(shards: list[Shard], *, settings: Settings, engine: str = "local",
            workers: int | None = None, address: str | None = None, keep_going: bool = False
            ) -> Iterator[dict[str, Any]]:
    """Every shard's output records, in order (for standard output)."""
    report = JobReport()
    for _, line in checked(rows(shards, settings=settings, engine=engine, workers=workers,
                                address=address), keep_going, report):
        yield json.loads(line)


def _write(fmt: str, lines: Iterable[str], path: Path) -> None:
    if fmt == "parquet":
        from ..export import event_from_dict, write_parquet

        write_parquet((event_from_dict(event, str(path))
                       for line in lines for event in json.loads(line).get("events", ())),
                      path)
        return
    with path.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(line + "\n")


def check_format(fmt: str | None, output: str | None) -> str:
    """The format of a job's files: ``--format``, else the output's suffix, else jsonl."""
    if fmt is None:
        return "parquet" if output and output.endswith(".parquet") else "jsonl"
    if output is not None and fmt not in FILE_FORMATS:
        raise InputError("E165", option="format", value=fmt,
                         detail="--output writes jsonl or parquet")
    return fmt


__all__ = ["ENGINES", "FILE_FORMATS", "JobReport", "Shard", "articles", "check_format",
           "outcome", "plan", "records", "run_job"]
