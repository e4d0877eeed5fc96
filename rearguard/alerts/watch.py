"""Watching feeds: poll, ingest what is new, alert on what the poll added or changed."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import InputError
from ..settings import Settings
from .notify import TIMEOUT, check_webhook, deliver
from .rules import Alert, Rule, evaluate, ledger_keys, parse_rules, utc_now

if TYPE_CHECKING:  # for the annotation only; poll() imports rearguard.dataset when it runs
    from ..dataset import IngestReport


@dataclass
class PollResult:
    """What one poll did: the ingest report and the alerts it raised."""

    report: IngestReport
    alerts: list[Alert] = field(default_factory=list)
    webhook_failures: int = 0


@dataclass
class WatchResult:
    polls: int = 0
    alerts: int = 0
    errors: int = 0  # source errors (unreadable feeds, bad entries) over all polls
    webhook_failures: int = 0
    last: PollResult | None = None


def _warn(message: str) -> None:
    print(f"rearguard: warning: {message}", file=sys.stderr, flush=True)


def poll(feeds: Sequence[str], *, store, settings: Settings | None = None,
         rules: Iterable[Rule] | None = None, published: str | None = None) -> PollResult:
    """Ingest ``feeds`` once and evaluate ``rules`` (default: rear-area and control) on
    what this poll added or changed. Nothing is delivered."""
    from ..dataset import ingest

    rules = tuple(rules) if rules is not None else parse_rules(None)
    before = ledger_keys(store) if any(r.kind == "control" for r in rules) else frozenset()
    since = utc_now()
    report = ingest(feeds, store=store, settings=settings, published=published)
    return PollResult(report, evaluate(rules, store, since, before))


def watch(feeds: Sequence[str], *, store, settings: Settings | None = None,
          every_seconds: float = 900, rules: Iterable[Rule] | None = None,
          webhook: str | None = None, once: bool = False, max_polls: int | None = None,
          sleep: Callable[[float], None] = time.sleep, out: Callable[[str], None] = print,
          warn: Callable[[str], None] = _warn, published: str | None = None,
          timeout: float = TIMEOUT) -> WatchResult:
    """Poll ``feeds`` every ``every_seconds`` (measured from the start of one poll to the
    start of the next) until ``once`` (one poll) or ``max_polls`` polls are done; without
    either, until interrupted. Each alert goes to ``out`` as one JSON line and, with
    ``webhook``, is POSTed; a failing webhook or unreadable feed is a ``warn`` line, and
    the watch goes on."""
    feeds = list(feeds)
    if not feeds:
        raise InputError("E120")
    if not every_seconds or every_seconds < 1:
        raise InputError("E151", value=every_seconds)
    if max_polls is not None and (isinstance(max_polls, bool) or max_polls < 1):
        raise InputError("E155", value=max_polls)
    webhook = check_webhook(webhook)
    rules = tuple(rules) if rules is not None else parse_rules(None)
    limit = 1 if once else max_polls
    result = WatchResult()
    while True:
        started = time.monotonic()
        outcome = poll(feeds, store=store, settings=settings, rules=rules,
                       published=published)
        for error in outcome.report.errors:
            warn(error)
        outcome.webhook_failures = deliver(outcome.alerts, out=out, webhook=webhook,
                                           warn=warn, timeout=timeout)
        result.polls += 1
        result.alerts += len(outcome.alerts)
        result.errors += len(outcome.report.errors)
        result.webhook_failures += outcome.webhook_failures
        result.last = outcome
        if limit is not None and result.polls >= limit:
            return result
        sleep(max(0.0, every_seconds - (time.monotonic() - started)))


__all__ = ["PollResult", "WatchResult", "poll", "watch"]
