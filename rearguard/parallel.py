"""Worker processes for the commands that read many articles (``--workers N``).

Each worker is a separate process that loads the pipeline (spaCy, the gazetteer and its
resolver, the learned models) once, on its first task, and then takes batches of items.
Results come back **in input order** whatever order the workers finish in, and at most a
bounded window of batches is in flight, so memory does not grow with the input: a
JSON Lines file of a million articles streams through.

Workers are started with ``spawn``: each imports rearguard afresh instead of inheriting a
copy of the parent (an open SQLite connection or spaCy's threads do not survive ``fork``
safely). That costs a few seconds per worker, so a small input (fewer than
:data:`MIN_PARALLEL` items) is done in this process instead.

The task functions are module-level so that they pickle; they call the same library entry
points as one process does (:class:`rearguard.pipeline.Pipeline`,
:func:`rearguard.geo.geocode_article`), so the output is identical whatever ``workers``.

Where the workers run is the *engine*: this machine's processes by default, or another
engine made current with :func:`using` (as joblib's ``parallel_backend``), such as a Ray
cluster's actors (:mod:`rearguard.engines.ray_engine`). The callers (``extract``,
``geocode``, ``ingest``'s read-ahead) do not change: the window, the order and the
errors are kept here, whatever the engine.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import islice
from typing import Any, Protocol, TypeVar

from .settings import Settings

T = TypeVar("T")
R = TypeVar("R")

#: Items per task: enough to amortise the inter-process traffic, small enough that the
#: workers stay busy to the end of a short input. An extraction task's articles are
#: parsed together (:func:`_extract_batch`): over 32 articles' kept sentences spaCy
#: spent about 0.8 of its CPU over 8 (its parser steps through all the batch's sentences
#: at once; the docs are the same), and a Ray actor's call holds 32 too.
BATCH = 32
#: Batches in flight per worker: the window that bounds memory.
WINDOW = 4
#: Fewer items than this are done in this process: starting a worker (a fresh
#: interpreter loading spaCy, the gazetteer and the models) costs about as much as
#: extracting a hundred articles.
MIN_PARALLEL = 128


def available_cores() -> int:
    """The cores this process may run on (a container's or ``taskset``'s limit, not the
    machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# -- the state of one worker process ----------------------------------------------------

_SETTINGS: Settings | None = None
_PIPELINE: Any = None


def init_worker(settings: Settings, *, load: bool = False) -> None:
    """A worker's start: its settings, and its pipeline loaded now with ``load`` (else on
    first use)."""
    global _SETTINGS, _PIPELINE
    _SETTINGS, _PIPELINE = settings, None
    if load:
        _pipeline()


def _settings() -> Settings:
    if _SETTINGS is None:
        raise RuntimeError("worker used before its settings were given")
    return _SETTINGS


def _pipeline() -> Any:
    """This process's pipeline, loaded on first use (:func:`init_worker` drops it)."""
    global _PIPELINE
    if _PIPELINE is None:
        from .pipeline import Pipeline

        _PIPELINE = Pipeline(_settings())
    return _PIPELINE


def extract_task(article: Any) -> Any:
    """One article's :class:`~rearguard.types.Extraction` (in a worker, or in process);
    an error read in its place upstream is handed back as it is."""
    if isinstance(article, BaseException):
        raise article
    return _pipeline().extract(article)


def extract_if_asked(article: Any) -> Any:
    """:func:`extract_task` for an article, None for None (an item the caller does not
    need extracted, kept in the stream so that results stay in input order)."""
    return None if article is None else extract_task(article)


def geocode_task(item: tuple[str, Any, str | None, str]) -> Any:
    """``(text, spans, source, where)`` -> :class:`~rearguard.types.Geocoded`."""
    from .geo import geocode_article

    if isinstance(item, BaseException):
        raise item
    text, spans, source, where = item
    return geocode_article(text, spans, settings=_settings(), source=source,
                           where=where)


def run_batch(func: Callable[[Any], Any], batch: list[Any]) -> list[tuple[bool, Any]]:
    """``func`` over a batch; an error is returned in the item's place, not raised, so
    the items after it in the batch are still done. The extraction tasks do the batch's
    articles together (:meth:`rearguard.pipeline.Pipeline.extract_many`: their sentences
    parsed in one batch), with the same results."""
    if func in (extract_task, extract_if_asked) and len(batch) > 1:
        return _extract_batch(batch)
    out: list[tuple[bool, Any]] = []
    for item in batch:
        try:
            out.append((True, func(item)))
        except Exception as e:
            out.append((False, e))
    return out


def _extract_batch(batch: list[Any]) -> list[tuple[bool, Any]]:
    """:func:`extract_task` (or :func:`extract_if_asked`: None stays None) over a batch,
    the articles extracted together."""
    articles = [item for item in batch if item is not None and not isinstance(item,
                                                                              BaseException)]
    try:
        found = iter(_pipeline().extract_many(articles) if articles else [])
    except Exception as e:  # the pipeline did not load: every article has the error
        found = iter([e] * len(articles))
    out: list[tuple[bool, Any]] = []
    for item in batch:
        if item is None:
            out.append((True, None))
        elif isinstance(item, BaseException):
            out.append((False, item))  # an error read in the item's place upstream
        else:
            result = next(found)
            out.append((not isinstance(result, Exception), result))
    return out


# -- engines: where the workers run ------------------------------------------------------

class Pool(Protocol):
    """Started workers: ``submit`` hands one batch to a worker and returns a handle,
    ``result`` waits for that batch's results (:func:`run_batch`'s list)."""

    def submit(self, func: Callable[[Any], Any], batch: list[Any]) -> Any: ...

    def result(self, handle: Any) -> list[tuple[bool, Any]]: ...

    def close(self) -> None: ...


class Engine(Protocol):
    """Starts a :class:`Pool` of ``workers`` that have been given ``settings``
    (:func:`init_worker`) and load the pipeline once."""

    def start(self, workers: int, settings: Settings) -> Pool: ...


class _LocalPool:
    """Spawned processes of this machine (the default engine)."""

    def __init__(self, workers: int, settings: Settings) -> None:
        self.executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker, initargs=(settings,))

    def submit(self, func: Callable[[Any], Any], batch: list[Any]
               ) -> Future[list[tuple[bool, Any]]]:
        return self.executor.submit(run_batch, func, batch)

    def result(self, handle: Future[list[tuple[bool, Any]]]) -> list[tuple[bool, Any]]:
        return handle.result()

    def close(self) -> None:
        # the caller may stop early (an error without --keep-going): drop queued work
        self.executor.shutdown(wait=True, cancel_futures=True)


class LocalEngine:
    def start(self, workers: int, settings: Settings) -> Pool:
        return _LocalPool(workers, settings)


_ENGINE: ContextVar[Engine | None] = ContextVar("rearguard_engine", default=None)


@contextmanager
def using(engine: Engine | None) -> Iterator[None]:
    """Within the block, :func:`ordered_map` starts its workers on ``engine`` (None: this
    machine's processes)."""
    token = _ENGINE.set(engine)
    try:
        yield
    finally:
        _ENGINE.reset(token)


# -- the map ----------------------------------------------------------------------------

def ordered_map(func: Callable[[T], R], items: Iterable[T], *, settings: Settings,
                workers: int = 1, batch: int = BATCH) -> Iterator[R | BaseException]:
    """``func(item)`` for every item, in input order; an item whose call raised yields
    the exception instead (the caller raises it or reports it and goes on).

    ``func`` is one of this module's task functions. With ``workers`` > 1 and at least
    :data:`MIN_PARALLEL` items, ``workers`` workers of the current engine (:func:`using`)
    share the work (started when the first batch with work comes: a batch of None items
    is answered here); otherwise it runs here."""
    it = iter(items)
    head = list(islice(it, max(MIN_PARALLEL, batch * workers)))
    if workers <= 1 or len(head) < MIN_PARALLEL:
        yield from _serial(func, head, it, settings, batch)
        return
    engine = _ENGINE.get() or LocalEngine()
    pool: Pool | None = None
    try:
        # (True, handle) for a submitted batch; (False, results) for one answered here
        pending: deque[tuple[bool, Any]] = deque()
        for chunk in _chunks(head, it, batch):
            if all(item is None for item in chunk):
                # nothing to do (a re-ingest of stored articles): no worker is started
                # for it, and its place in the order is kept
                pending.append((False, [(True, None)] * len(chunk)))
            else:
                if pool is None:
                    pool = engine.start(workers, settings)
                pending.append((True, pool.submit(func, chunk)))
            if len(pending) >= workers * WINDOW:
                yield from _unpack(pool, pending.popleft())
        while pending:
            yield from _unpack(pool, pending.popleft())
    finally:
        if pool is not None:
            pool.close()


def _serial(func: Callable[[T], R], head: list[T], rest: Iterator[T], settings: Settings,
            batch: int) -> Iterator[R | BaseException]:
    """The map in this process: ``extract``'s articles a batch at a time (faster over a
    batch than one by one); anything else one item at a time, so that a caller acting on
    each result as it comes (``ingest`` stores each article before the next is
    extracted) is not handed them in bursts."""
    init_worker(settings)
    for chunk in _chunks(head, rest, batch if func is extract_task else 1):
        for _, result in run_batch(func, chunk):
            yield result


def _chunks(head: list[T], rest: Iterator[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(head), size):
        yield head[start : start + size]
    while True:
        chunk = list(islice(rest, size))
        if not chunk:
            return
        yield chunk


def _unpack(pool: Pool | None, entry: tuple[bool, Any]) -> Iterator[Any]:
    submitted, value = entry
    results = pool.result(value) if submitted and pool is not None else value
    for _, item in results:
        yield item
