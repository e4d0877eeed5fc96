"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..engines import ENGINES
from ..errors import InputError
from ..parallel import MIN_PARALLEL, available_cores


def workers_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--workers N``: processes that share the articles (default: the cores available)."""
    return click.option(
        "--workers", type=click.IntRange(min=1), default=None,
        help=f"Processes that share the articles (default: the cores available, here "
        f"{available_cores()}). Each loads the pipeline once; inputs of fewer than "
        f"{MIN_PARALLEL} articles run in one process. The output is the same.")(func)


def workers_or_default(workers: int | None) -> int:
    return workers if workers is not None else available_cores()


def engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--engine local|ray`` and ``--address``: where the workers run."""
    func = click.option(
        "--address", metavar="ray://HOST:PORT|auto",
        help="The Ray cluster to run on (with --engine ray): ray://HOST:10001, or auto "
        "for the cluster this machine has joined (default: a Ray started here for the "
        "run).")(func)
    return click.option(
        "--engine", type=click.Choice(ENGINES), default="local", show_default=True,
        help="Where the workers run: this machine's processes, or the actors of a Ray "
        "cluster, as many as --workers (default: the cluster's CPUs) (pip install "
        "'rearguard[ray]'; docs/parallel.md). The output is the same.")(func)


def check_engine(engine: str, address: str | None) -> None:
    if address is not None and engine != "ray":
        raise InputError("E165", option="address", value=address,
                         detail="it names a Ray cluster: add --engine ray")
    if engine == "ray":
        from ..engines.ray_engine import require_ray

        require_ray()


@contextmanager
def engine_workers(engine: str, address: str | None, workers: int | None) -> Iterator[int]:
    """The number of workers to ask for, with ``engine`` current for
    :func:`rearguard.parallel.ordered_map` inside the block (Ray is reached only when a
    pool is started, and stopped at the end if it was started here)."""
    check_engine(engine, address)
    if engine != "ray":
        yield workers_or_default(workers)
        return
    from ..engines.ray_engine import RayEngine
    from ..parallel import using

    with RayEngine(address, workers) as ray_engine, using(ray_engine):
        yield ray_engine.size()
