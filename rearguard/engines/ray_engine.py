"""The Ray engine (``--engine ray``): rearguard's workers as the actors of a Ray cluster,
or of a Ray started here for this run.

Two uses, one kind of worker (an actor that loads the pipeline once, through
:func:`rearguard.parallel.init_worker`, and runs :func:`rearguard.parallel.run_batch` over
batches of articles):

* **Jobs over shards** (``extract --engine ray --input FOLDER --output FOLDER``,
  :meth:`RayEngine.extract_shards`): Ray Data reads the shards on the cluster (a
  ``flat_map`` over their paths through rearguard's own JSON Lines reader, so line
  numbers, default ids and bad-line errors are those of the local engine; Ray's
  ``read_json`` would infer one Arrow schema for every line and fail a whole file on one
  bad line), cuts them into blocks of :data:`BLOCK` rows, and extracts
  with ``map_batches`` over an actor pool of :class:`ExtractBatch` (a callable class,
  ``compute=ActorPoolStrategy(size=N)``). The results stream back in input order
  (``preserve_order``) to :func:`rearguard.engines.run_job`, which writes each shard
  under a temporary name and renames it when complete.
* **The read-ahead of ``ingest``** (and ``extract FILE...``): the engine is made current
  with :func:`rearguard.parallel.using`, and :func:`rearguard.parallel.ordered_map` hands
  its batches to :class:`_Worker` actors instead of local processes; the store writer
  stays this one process, in input order.

Ray is an optional extra (``pip install 'rearguard[ray]'``): it is imported here, in
functions, and this module only when ``--engine ray`` is asked for.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable, Iterator
from typing import Any

from .. import parallel
from ..errors import InputError, RearguardError
from ..settings import Settings
from . import Row, Shard, articles, outcome

MISSING = "Ray is not installed. Install the ray extra: pip install 'rearguard[ray]'."
#: Ray Data's own light tasks (reading a shard, cutting it into blocks) need a CPU to be
#: scheduled on while the actors hold theirs: a Ray started here has one logical CPU more
#: than it has actors, and on a cluster the actors leave one CPU free.
SPARE_CPUS = 1
#: Articles per Ray Data block and per actor call: Ray schedules each call as a task (a
#: few hundred milliseconds of scheduling each, measured on 2 cores), so a call holds more
#: articles than a local worker's batch (:data:`rearguard.parallel.BATCH`).
BLOCK = 32
#: Calls queued at each actor, so that it does not wait for the next one to be scheduled.
IN_FLIGHT = 4


def require_ray() -> Any:
    """The ``ray`` module, or a one-line error saying how to install it."""
    try:
        import ray
        import ray.data  # the Data library (the ray[data] extra)
    except ImportError:
        raise InputError("E106", where="--engine ray", detail=MISSING) from None
    return ray


def _first_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]


def _pickled(error: BaseException) -> bytes:
    try:
        return pickle.dumps(error)
    except Exception:  # an exception that does not pickle: its message still crosses
        return pickle.dumps(RuntimeError(f"{type(error).__name__}: {_first_line(error)}"))


# -- the actors ---------------------------------------------------------------------------

class _Worker:
    """An actor of :func:`rearguard.parallel.ordered_map`'s pool."""

    def __init__(self, settings: Settings) -> None:
        parallel.init_worker(settings, load=True)

    def run(self, func: Callable[[Any], Any], batch: list[Any]) -> list[tuple[bool, Any]]:
        return parallel.run_batch(func, batch)


class ExtractBatch:
    """``map_batches``' callable class: one per actor, the pipeline loaded once; a batch
    of pickled articles (or of errors read in their place) in, output lines and pickled
    errors out."""

    def __init__(self, settings: Settings) -> None:
        parallel.init_worker(settings, load=True)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        items = [pickle.loads(b) for b in batch.column("item").to_pylist()]
        fatal = batch.column("fatal").to_pylist()
        lines: list[str | None] = []
        errors: list[bytes] = []
        results = parallel.run_batch(parallel.extract_task, items)
        for (_, found), is_fatal in zip(results, fatal, strict=True):
            line, error = outcome(found, fatal=is_fatal)
            lines.append(line)
            errors.append(b"" if error is None else _pickled(error))
        return pa.table({"shard": batch.column("shard"),
                         "line": pa.array(lines, type=pa.string()),
                         "error": pa.array(errors, type=pa.binary())})


def _read_shard(row: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A shard's articles (``flat_map``), read where the task runs: the path must be the
    same on every node (shared storage)."""
    try:
        for item in articles(row["path"], row["shown"]):
            yield {"shard": row["shard"], "fatal": False, "item": pickle.dumps(item)}
    except InputError as e:  # the file cannot be read at all
        yield {"shard": row["shard"], "fatal": True, "item": _pickled(e)}


class _ActorPool:
    """:class:`rearguard.parallel.Pool` on Ray actors: batches go to the actors in turn
    (each runs its calls in order), results are taken in the order they were sent."""

    def __init__(self, ray: Any, workers: int, settings: Settings) -> None:
        self.ray = ray
        remote = ray.remote(num_cpus=1)(_Worker)
        self.actors = [remote.remote(settings) for _ in range(workers)]
        self.turn = 0

    def submit(self, func: Callable[[Any], Any], batch: list[Any]) -> Any:
        actor = self.actors[self.turn % len(self.actors)]
        self.turn += 1
        return actor.run.remote(func, batch)

    def result(self, handle: Any) -> list[tuple[bool, Any]]:
        try:
            return self.ray.get(handle)
        except self.ray.exceptions.RayError as e:  # an actor died (memory, a lost node)
            raise RearguardError("E146", where="Ray", detail=_first_line(e)) from None

    def close(self) -> None:
        for actor in self.actors:
            self.ray.kill(actor)


# -- the engine ----------------------------------------------------------------------------

class RayEngine:
    """A connection to Ray (``address``: ``ray://HOST:10001``, ``auto`` for the cluster
    this machine belongs to, or None to start Ray here with ``workers`` CPUs), made when
    first needed and closed at the end of the ``with`` block (a Ray started here is
    stopped). ``workers``: actors (default: the CPUs of the cluster, or the cores here)."""

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        self.address = address
        self.wanted = workers
        self.started = False
        self.ray: Any = None

    def __enter__(self) -> RayEngine:
        require_ray()  # the missing extra is said before any work
        return self

    def __exit__(self, *exc: object) -> None:
        if self.started and self.ray is not None:
            self.ray.shutdown()
            self.started = False

    def connect(self) -> Any:
        ray = require_ray()
        self.ray = ray
        if ray.is_initialized():  # a caller's Ray (a test's ray.init, a notebook)
            return ray
        options: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
        if self.address:
            options["address"] = self.address
        else:
            options.update(num_cpus=(self.wanted or parallel.available_cores()) + SPARE_CPUS,
                           include_dashboard=False)
        try:
            ray.init(**options)
        except Exception as e:
            where = f"--address {self.address}" if self.address else "--engine ray"
            raise InputError("E106", where=where,
                             detail=f"cannot start or reach Ray ({_first_line(e)}).") from None
        self.started = True
        return ray

    def size(self, *, spare: int = 0) -> int:
        """The number of actors: ``workers``, else the cluster's CPUs (this machine's
        cores for a Ray started here); at most the cluster's CPUs less ``spare``."""
        if not self.address and not _initialized():
            return self.wanted or parallel.available_cores()
        cpus = max(1, int(self.connect().cluster_resources().get("CPU", 1)) - spare)
        return min(self.wanted or cpus, cpus)

    # parallel.Engine
    def start(self, workers: int, settings: Settings) -> parallel.Pool:
        return _ActorPool(self.connect(), workers, settings)

    def extract_shards(self, shards: list[Shard], *, settings: Settings) -> Iterator[Row]:
        """Every shard's output lines and errors, in input order (Ray Data; through Ray
        Client, where Ray Data does not run, the shards are read here and their batches
        sent to actors)."""
        if any(s.source == "-" for s in shards):
            raise InputError("E165", option="input", value="-",
                             detail="the Ray engine's workers read files: name one")
        ray = self.connect()
        if _through_client():
            from . import local_rows

            with parallel.using(self):
                yield from local_rows(shards, settings=settings, workers=max(2, self.size()))
            return
        try:
            yield from self._data_rows(ray, shards, settings)
        except (RearguardError, KeyboardInterrupt, GeneratorExit):
            raise
        except Exception as e:  # Ray's own failures (a lost node, a dead actor): one line
            raise RearguardError("E146", where="Ray", detail=_first_line(e)) from None

    def _data_rows(self, ray: Any, shards: list[Shard], settings: Settings) -> Iterator[Row]:
        from ray.data import ActorPoolStrategy, DataContext

        context = DataContext.get_current()
        context.execution_options.preserve_order = True  # results in input order
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        for handler in logging.getLogger("ray.data").handlers:
            if "File" not in type(handler).__name__:  # its log file keeps everything
                handler.setLevel(logging.ERROR)
        items = [{"shard": i, "path": os.path.abspath(s.source), "shown": s.source}
                 for i, s in enumerate(shards)]
        data = (ray.data.from_items(items, override_num_blocks=len(items))
                .flat_map(_read_shard)
                .repartition(target_num_rows_per_block=BLOCK)
                .map_batches(ExtractBatch, fn_constructor_kwargs={"settings": settings},
                             batch_size=BLOCK, batch_format="pyarrow", num_cpus=1,
                             compute=ActorPoolStrategy(size=self.size(spare=SPARE_CPUS),
                                                       max_tasks_in_flight_per_actor=IN_FLIGHT)))
        for row in data.iter_rows():
            error = pickle.loads(row["error"]) if row["error"] else None
            yield row["shard"], row["line"], error


def _initialized() -> bool:
    import ray

    return bool(ray.is_initialized())


def _through_client() -> bool:
    """Connected through Ray Client (``ray://``)."""
    from ray.util.client import ray as client

    return bool(client.is_connected())
