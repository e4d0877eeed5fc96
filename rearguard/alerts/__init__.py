"""Alerts on a watched dataset: poll feeds, ingest what is new, and report rear-area
attacks, control changes and deadly events as JSON lines and webhook POSTs.

    from rearguard.alerts import parse_rules, watch
    watch(["feed.xml"], store=store, every_seconds=900, rules=parse_rules(["control"]))

See docs/alerts.md.
"""

from .notify import check_webhook, deliver, post_json
from .rules import (
    DEFAULT_RULES,
    Alert,
    Rule,
    evaluate,
    ledger_keys,
    parse_interval,
    parse_rule,
    parse_rules,
)
from .watch import PollResult, WatchResult, poll, watch

__all__ = ["DEFAULT_RULES", "Alert", "PollResult", "Rule", "WatchResult", "check_webhook",
           "deliver", "evaluate", "ledger_keys", "parse_interval", "parse_rule",
           "parse_rules", "poll", "post_json", "watch"]
