"""The deletions feed (ACLED's ``deleted`` list): the events taken out of the dataset.

``rearguard export --deleted --since T`` writes one record per event that an analyst
rejected, or that no report supports any more, at or after ``T``:
``event_id_cnty, deleted_timestamp`` (Unix seconds, as ACLED's feed), then rearguard's
``deleted_at`` (UTC ISO 8601), ``status`` (``rejected`` or ``deleted``) and ``reason``.
A consumer that synchronises with ``export --changed-since T`` removes these ids.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from ._common import PathOrFile, text_output

DELETED_COLUMNS = ("event_id_cnty", "deleted_timestamp", "deleted_at", "status", "reason")


def deletion_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """A store deletion (``Store.deletions``) as a feed record."""
    moment = datetime.fromisoformat(row["deleted_at"])
    return {"event_id_cnty": row["event_id_cnty"],
            "deleted_timestamp": int(moment.timestamp()),
            "deleted_at": row["deleted_at"], "status": row["status"],
            "reason": row["reason"]}


def write_deletions_csv(rows: Iterable[Mapping[str, Any]], out: PathOrFile) -> int:
    count = 0
    with text_output(out) as stream:
        writer = csv.DictWriter(stream, fieldnames=DELETED_COLUMNS, lineterminator="\n",
                                quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        for row in rows:
            writer.writerow(deletion_record(row))
            count += 1
    return count


def write_deletions_jsonl(rows: Iterable[Mapping[str, Any]], out: PathOrFile) -> int:
    count = 0
    with text_output(out) as stream:
        for row in rows:
            stream.write(json.dumps(deletion_record(row), ensure_ascii=False) + "\n")
            count += 1
    return count
