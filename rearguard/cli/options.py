"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

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
