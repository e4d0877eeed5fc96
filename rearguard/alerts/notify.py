"""Delivering alerts: one JSON line each on standard output, and a JSON POST to a webhook.

A webhook that fails (refused, timed out, an HTTP error status) costs one warning line; it
never stops the watch.
"""

from __future__ import annotations

import http.client
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from ..errors import InputError
from .rules import Alert

TIMEOUT = 10.0


def check_webhook(url: str | None) -> str | None:
    """The webhook URL if it is http(s) with a host; ``None`` stays ``None``."""
    if url is None:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise InputError("E154", value=url) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError("E154", value=url)
    return url.strip()


def alert_line(alert: Alert) -> str:
    return json.dumps(alert.to_dict(), ensure_ascii=False)


def post_json(url: str, payload: dict[str, Any], *, timeout: float = TIMEOUT) -> int:
    """POST ``payload`` as JSON; the response status. Raises OSError (URLError,
    HTTPError, timeouts) when the delivery fails."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "rearguard-watch"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        return response.status


def _warn(message: str) -> None:
    print(f"rearguard: warning: {message}", file=sys.stderr, flush=True)


def _reason(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return str(error) or type(error).__name__


def deliver(alerts: Iterable[Alert], *, out: Callable[[str], None] = print,
            webhook: str | None = None, warn: Callable[[str], None] = _warn,
            timeout: float = TIMEOUT) -> int:
    """Print each alert as one JSON line with ``out`` and, with ``webhook``, POST it.
    Returns how many POSTs failed (each failure is one warning)."""
    failed = 0
    for alert in alerts:
        out(alert_line(alert))
        if webhook is None:
            continue
        try:
            post_json(webhook, alert.to_dict(), timeout=timeout)
        except (OSError, ValueError, http.client.HTTPException) as e:  # URLError, timeouts
            failed += 1
            one_line = " ".join(_reason(e).split())
            warn(f"webhook {webhook}: could not deliver the {alert.alert} alert ({one_line})")
    return failed


__all__ = ["alert_line", "check_webhook", "deliver", "post_json"]
