"""Score territorial control records and rear-area flags on the golden reports.

The golden reports live in ``examples/golden/``: one ``expected.json`` lists each report
(its text file, publication date, the control records and rear-area flags it must
yield). Text files are named relative to the folder of ``expected.json``, so the seed
report is read from ``../shared/seed`` beside the checkout without copying it.

Matching (all pure functions, see docs/control.md):

* a found :class:`~rearguard.types.ControlChange` matches an expected record when its
  place is within :data:`PLACE_KM` (25 km), its holder is equal after normalising case
  and white space (an expected ``""`` means any holder), its kind is the same (``retaken``
  and ``liberated`` count as one kind) and its date agrees at the *expected* precision:
  day exact, week within 7 days, month the same ``YYYY-MM`` (an expected ``null`` date
  means any date);
* expected and found records are paired one to one, greedily, nearest first;
* each expected rear-area flag is compared with the event within 25 km on the same date
  at the *event's* precision (the nearest such event); a flag with no such event counts
  as not located and not correct.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any

from ..errors import EvalDataError
from ..types import TIME_DAY, TIME_MONTH, TIME_WEEK, Article, ControlChange, Event, Extraction
from .metrics import haversine_km

Extractor = Callable[..., Extraction]  # (article, *, settings) -> Extraction

PLACE_KM = 25.0
WEEK_DAYS = 7
EXPECTED_FILE = "expected.json"
KINDS: tuple[str, ...] = (
    "captured", "retaken", "liberated", "held", "withdrew", "handed_over", "claimed",
    "contested",
)
# Kinds that count as the same when matching; every other kind matches only itself.
SAME_KIND: dict[str, str] = {"liberated": "retaken"}
PRECISIONS: dict[str, int] = {"day": TIME_DAY, "week": TIME_WEEK, "month": TIME_MONTH}
PRECISION_NAMES: dict[int, str] = {v: k for k, v in PRECISIONS.items()}
EXTENTS = ("full", "partial")

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MONTH = re.compile(r"\d{4}-\d{2}")


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ExpectedControl:
    """A control record a golden report must yield. ``date`` is ``YYYY-MM-DD`` (or
    ``YYYY-MM`` at month precision), None for any date; ``holder`` "" for any holder."""

    place: str
    latitude: float
    longitude: float
    holder: str
    date: str | None
    date_precision: int
    kind: str
    extent: str | None = None  # recorded for readers and the control stage; not scored
    note: str = ""


@dataclass(frozen=True)
class ExpectedFlag:
    """The rear-area flag the event at a place on a date must carry."""

    place: str
    latitude: float
    longitude: float
    date: str
    rear_area: bool
    note: str = ""


@dataclass(frozen=True)
class GoldenReport:
    """One golden report: where its text is and what it must yield."""

    name: str
    path: Path
    published: str
    control: tuple[ExpectedControl, ...] = ()
    rear_area: tuple[ExpectedFlag, ...] = ()
    title: str = ""

    def article(self) -> Article:
        """The report as an :class:`Article` (E534 when its text file is missing)."""
        if not self.path.is_file():
            raise EvalDataError("E534", name=self.name, path=str(self.path))
        text = self.path.read_text(encoding="utf-8")
        return Article(id=self.name, text=text, published=self.published,
                       title=self.title or None, source="golden")


# ----------------------------------------------------------------------------- matching


def _day(value: str) -> Date:
    return Date.fromisoformat(value[:10])


def _month(value: str) -> str:
    return value[:7]


def date_matches(expected: str | None, precision: int | None, found: str | None) -> bool:
    """Whether ``found`` (ISO day) agrees with ``expected`` at ``precision`` (1 day: the
    same day; 2 week: within 7 days; 3 month: the same YYYY-MM). An expected None means
    any date; a found None matches only that."""
    if expected is None:
        return True
    if not found:
        return False
    if precision == TIME_MONTH:
        return _month(expected) == _month(found)
    if len(expected) < 10 or len(found) < 10:
        return False
    if precision == TIME_WEEK:
        return abs((_day(expected) - _day(found)).days) <= WEEK_DAYS
    return expected[:10] == found[:10]


def date_gap_days(expected: str | None, found: str | None) -> float:
    """Days between two ISO dates (a month date counts as its 15th); inf when unknown."""
    if not expected or not found:
        return math.inf
    a = expected if len(expected) >= 10 else expected[:7] + "-15"
    b = found if len(found) >= 10 else found[:7] + "-15"
    try:
        return float(abs((_day(a) - _day(b)).days))
    except ValueError:
        return math.inf


def normalise_holder(name: str | None) -> str:
    """Case and white space folded: "Military  forces of IRAQ " -> "military forces of iraq"."""
    return " ".join((name or "").split()).casefold()


def holder_matches(expected: str, found: str | None) -> bool:
    """Equal after :func:`normalise_holder`; an expected "" matches any holder."""
    want = normalise_holder(expected)
    return not want or want == normalise_holder(found)


def canonical_kind(kind: str | None) -> str:
    kind = (kind or "").strip().lower()
    return SAME_KIND.get(kind, kind)


def kind_matches(expected: str, found: str | None) -> bool:
    """The same kind, except that retaken and liberated count as one."""
    return canonical_kind(expected) == canonical_kind(found)


def distance_km(lat: float | None, lon: float | None,
                lat2: float | None, lon2: float | None) -> float:
    """Great-circle km; inf when either point is unknown."""
    if lat is None or lon is None or lat2 is None or lon2 is None:
        return math.inf
    return haversine_km(lat, lon, lat2, lon2)


def control_matches(expected: ExpectedControl, found: ControlChange,
                    km: float = PLACE_KM) -> bool:
    """Place within ``km``, holder, kind and date at the expected precision all agree."""
    return (
        distance_km(expected.latitude, expected.longitude, found.latitude, found.longitude)
        <= km
        and holder_matches(expected.holder, found.holder)
        and kind_matches(expected.kind, found.kind)
        and date_matches(expected.date, expected.date_precision, found.date)
    )


def match_control(expected: Sequence[ExpectedControl], found: Sequence[ControlChange],
                  km: float = PLACE_KM) -> list[tuple[int, int]]:
    """One-to-one greedy pairing ``(expected index, found index)``: of all matching
    pairs, the nearest place first, then the closest date, then document order."""
    pairs = []
    for ei, e in enumerate(expected):
        for fi, f in enumerate(found):
            if control_matches(e, f, km):
                pairs.append((
                    distance_km(e.latitude, e.longitude, f.latitude, f.longitude),
                    date_gap_days(e.date, f.date), ei, fi,
                ))
    used_e: set[int] = set()
    used_f: set[int] = set()
    chosen = []
    for _, _, ei, fi in sorted(pairs):
        if ei not in used_e and fi not in used_f:
            used_e.add(ei)
            used_f.add(fi)
            chosen.append((ei, fi))
    return sorted(chosen)


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def score_control(expected: Sequence[ExpectedControl], found: Sequence[ControlChange],
                  km: float = PLACE_KM) -> dict[str, Any]:
    """expected, found, matched, precision, recall (None when undefined), the pairs,
    and the indices of missed expected and spurious found records."""
    pairs = match_control(expected, found, km)
    matched_e = {e for e, _ in pairs}
    matched_f = {f for _, f in pairs}
    return {
        "expected": len(expected),
        "found": len(found),
        "matched": len(pairs),
        "precision": _ratio(len(pairs), len(found)),
        "recall": _ratio(len(pairs), len(expected)),
        "pairs": [list(p) for p in pairs],
        "missed": [i for i in range(len(expected)) if i not in matched_e],
        "spurious": [i for i in range(len(found)) if i not in matched_f],
    }


def event_on_date(flag_date: str, event: Event) -> bool:
    """Whether the event's date agrees with the flag's at the event's precision (an event
    with no precision is taken at day precision)."""
    return date_matches(event.event_date, event.time_precision or TIME_DAY, flag_date)


def find_flag_event(flag: ExpectedFlag, events: Sequence[Event],
                    km: float = PLACE_KM) -> int | None:
    """Index of the event within ``km`` of the flag's place on its date (nearest place,
    then closest date, then first); None when there is none."""
    best: tuple[float, float, int] | None = None
    for i, event in enumerate(events):
        d = distance_km(flag.latitude, flag.longitude, event.latitude, event.longitude)
        if d > km or not event_on_date(flag.date, event):
            continue
        key = (d, date_gap_days(flag.date, event.event_date), i)
        best = key if best is None or key < best else best
    return None if best is None else best[2]


def score_flags(flags: Sequence[ExpectedFlag], events: Sequence[Event],
                km: float = PLACE_KM) -> dict[str, Any]:
    """expected, located (an event was found for the flag), correct (its rear_area agrees),
    accuracy (correct / expected) and per flag the event index and its rear_area."""
    details: list[dict[str, Any]] = []
    for flag in flags:
        i = find_flag_event(flag, events, km)
        found = None if i is None else bool(events[i].rear_area)
        details.append({"event": i, "rear_area": found,
                        "correct": found is not None and found == flag.rear_area})
    correct = sum(d["correct"] for d in details)
    return {
        "expected": len(flags),
        "located": sum(d["event"] is not None for d in details),
        "correct": correct,
        "accuracy": _ratio(correct, len(flags)),
        "details": details,
    }


# ----------------------------------------------------------------------------- loading


def default_golden_dir() -> Path:
    """``examples/golden`` in the checkout."""
    return Path(__file__).resolve().parents[2] / "examples" / "golden"


def parse_precision(value: Any, where: str) -> int:
    """"day"/"week"/"month" (or ACLED's 1/2/3) -> 1/2/3."""
    if isinstance(value, str) and value.strip().lower() in PRECISIONS:
        return PRECISIONS[value.strip().lower()]
    if isinstance(value, int) and not isinstance(value, bool) and value in PRECISION_NAMES:
        return value
    raise ValueError(f"{where}: date_precision must be day, week or month, got {value!r}")


def _check_date(value: Any, precision: int, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}: date must be a string or null, got {value!r}")
    ok = _ISO_DAY.fullmatch(value) or (precision == TIME_MONTH and _ISO_MONTH.fullmatch(value))
    if not ok:
        raise ValueError(f"{where}: date {value!r} is not YYYY-MM-DD"
                         + (" or YYYY-MM" if precision == TIME_MONTH else ""))
    try:
        _day(value if len(value) == 10 else value + "-01")
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a calendar date") from None
    return value


def _coord(record: dict[str, Any], key: str, where: str) -> float:
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{where}: '{key}' must be a number, got {value!r}")
    limit = 90 if key == "lat" else 180
    if not -limit <= value <= limit:
        raise ValueError(f"{where}: '{key}' {value} is out of range")
    return float(value)


def _text(record: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = record.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"{where}: '{key}' must be a non-empty string, got {value!r}")
    return value


def parse_control(record: Any, where: str) -> ExpectedControl:
    if not isinstance(record, dict):
        raise ValueError(f"{where}: a control record must be an object")
    kind = _text(record, "kind", where).strip().lower()
    if kind not in KINDS:
        raise ValueError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    precision = parse_precision(record.get("date_precision", "day"), where)
    extent = record.get("extent")
    if extent is not None and extent not in EXTENTS:
        raise ValueError(f"{where}: extent must be full or partial, got {extent!r}")
    holder = record.get("holder", "")
    if not isinstance(holder, str):
        raise ValueError(f"{where}: 'holder' must be a string (\"\" for any holder)")
    return ExpectedControl(
        place=_text(record, "place", where), latitude=_coord(record, "lat", where),
        longitude=_coord(record, "lon", where), holder=holder,
        date=_check_date(record.get("date"), precision, where), date_precision=precision,
        kind=kind, extent=extent, note=_text(record, "note", where, required=False),
    )


def parse_flag(record: Any, where: str) -> ExpectedFlag:
    if not isinstance(record, dict):
        raise ValueError(f"{where}: a rear-area flag must be an object")
    rear = record.get("rear_area")
    if not isinstance(rear, bool):
        raise ValueError(f"{where}: 'rear_area' must be true or false, got {rear!r}")
    day = _check_date(record.get("date"), TIME_DAY, where)
    if day is None:
        raise ValueError(f"{where}: a rear-area flag needs a date")
    return ExpectedFlag(
        place=_text(record, "place", where), latitude=_coord(record, "lat", where),
        longitude=_coord(record, "lon", where), date=day, rear_area=rear,
        note=_text(record, "note", where, required=False),
    )


def parse_report(record: Any, base: Path, where: str) -> GoldenReport:
    if not isinstance(record, dict):
        raise ValueError(f"{where}: a report must be an object")
    name = _text(record, "name", where)
    where = f"{where} ({name})"
    published = _check_date(record.get("published"), TIME_DAY, where)
    if published is None:
        raise ValueError(f"{where}: 'published' (YYYY-MM-DD) is required")
    control = record.get("control", [])
    flags = record.get("rear_area", [])
    if not isinstance(control, list) or not isinstance(flags, list):
        raise ValueError(f"{where}: 'control' and 'rear_area' must be lists")
    return GoldenReport(
        name=name, path=(base / _text(record, "file", where)).resolve(), published=published,
        control=tuple(parse_control(c, f"{where} control[{i}]") for i, c in enumerate(control)),
        rear_area=tuple(parse_flag(f, f"{where} rear_area[{i}]") for i, f in enumerate(flags)),
        title=_text(record, "title", where, required=False),
    )


def load_golden(data_dir: str | Path | None = None) -> list[GoldenReport]:
    """The golden reports listed in ``<data_dir>/expected.json`` (default
    ``examples/golden``); text paths are relative to that folder. Texts are not read."""
    folder = Path(data_dir) if data_dir is not None else default_golden_dir()
    path = folder / EXPECTED_FILE if folder.is_dir() or not folder.suffix else folder
    if not path.is_file():
        raise EvalDataError("E531", path=str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise EvalDataError("E532", path=str(path), detail=f"not valid JSON: {e}") from None
    try:
        if not isinstance(data, dict) or not isinstance(data.get("reports"), list):
            raise ValueError("expected an object with a 'reports' list")
        reports = [parse_report(r, path.parent, f"reports[{i}]")
                   for i, r in enumerate(data["reports"])]
    except ValueError as e:
        raise EvalDataError("E532", path=str(path), detail=str(e)) from None
    names = [r.name for r in reports]
    if dupes := sorted({n for n in names if names.count(n) > 1}):
        raise EvalDataError("E532", path=str(path),
                            detail=f"report names used twice: {', '.join(dupes)}")
    return reports


def select_reports(reports: Sequence[GoldenReport],
                   only: Iterable[str] | None) -> list[GoldenReport]:
    """The reports named in ``only`` (all when empty), in file order; E533 for unknown names."""
    wanted = list(only or ())
    if not wanted:
        return list(reports)
    known = [r.name for r in reports]
    for name in wanted:
        if name not in known:
            raise EvalDataError("E533", name=name, known=", ".join(known))
    return [r for r in reports if r.name in wanted]


# ----------------------------------------------------------------------------- running


def _extractor() -> Extractor:
    """The real extractor, imported only when needed (models load on first use)."""
    from ..pipeline import extract_article

    return extract_article


def _control_row(c: ControlChange) -> dict[str, Any]:
    return {"place": c.place, "lat": c.latitude, "lon": c.longitude, "holder": c.holder,
            "date": c.date, "date_precision": PRECISION_NAMES.get(c.date_precision or 0),
            "kind": c.kind, "extent": c.extent}


def _expected_row(e: ExpectedControl) -> dict[str, Any]:
    return {"place": e.place, "lat": e.latitude, "lon": e.longitude, "holder": e.holder,
            "date": e.date, "date_precision": PRECISION_NAMES[e.date_precision],
            "kind": e.kind, "extent": e.extent}


def score_report(report: GoldenReport, extraction: Extraction) -> dict[str, Any]:
    """The scores of one report's extraction, with the records behind them."""
    found = list(extraction.control)
    control = score_control(report.control, found)
    flags = score_flags(report.rear_area, extraction.events)
    events = extraction.events
    return {
        "published": report.published,
        "control": control,
        "flags": flags,
        "expected_records": [_expected_row(e) for e in report.control],
        "found_records": [_control_row(c) for c in found],
        "expected_flags": [
            {"place": f.place, "lat": f.latitude, "lon": f.longitude, "date": f.date,
             "rear_area": f.rear_area,
             "event": None if d["event"] is None else {
                 "location": events[d["event"]].location,
                 "date": events[d["event"]].event_date,
                 "rear_area": events[d["event"]].rear_area,
                 "rear_area_reason": events[d["event"]].rear_area_reason}}
            for f, d in zip(report.rear_area, flags["details"], strict=True)
        ],
    }


def _total(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    t: dict[str, Any] = {"expected": 0, "found": 0, "matched": 0, "flags": 0, "located": 0,
                         "correct": 0}
    for row in rows:
        c, f = row["control"], row["flags"]
        t["expected"] += c["expected"]
        t["found"] += c["found"]
        t["matched"] += c["matched"]
        t["flags"] += f["expected"]
        t["located"] += f["located"]
        t["correct"] += f["correct"]
    t["precision"] = _ratio(t["matched"], t["found"])
    t["recall"] = _ratio(t["matched"], t["expected"])
    t["flag_accuracy"] = _ratio(t["correct"], t["flags"])
    return t


def evaluate_control(
    *,
    data_dir: str | Path | None = None,
    settings: Any = None,
    only: Iterable[str] | None = None,
    extractor: Extractor | None = None,
) -> dict[str, Any]:
    """Run the extractor on the golden reports (those named in ``only``, or all) and score
    its control records and rear-area flags.

    ``extractor(article, settings=...) -> Extraction`` defaults to
    ``rearguard.pipeline.extract_article``, imported only here. A report whose text
    file is missing (the seed without ../shared) is listed in ``skipped`` and left out.
    Returns ``reports`` ({name: row from :func:`score_report`}), ``total`` (expected,
    found, matched, precision, recall, flags, located, correct, flag_accuracy),
    ``skipped`` and ``seconds``."""
    reports = select_reports(load_golden(data_dir), only)
    extract = extractor
    results: dict[str, Any] = {}
    skipped = []
    seconds = 0.0
    for report in reports:
        try:
            article = report.article()
        except EvalDataError as e:
            skipped.append({"name": report.name, "path": str(report.path), "reason": e.message})
            continue
        if extract is None:
            extract = _extractor()
        began = time.perf_counter()
        extraction = extract(article, settings=settings)
        seconds += time.perf_counter() - began
        results[report.name] = score_report(report, extraction)
    return {"reports": results, "total": _total(results.values()), "skipped": skipped,
            "seconds": seconds}


# ----------------------------------------------------------------------------- tables


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _date(date: str | None, precision: str | None) -> str:
    if date is None:
        return "any"
    return f"{date} ({precision})" if precision else date


def _cell(value: Any) -> str:
    return str(value if value not in (None, "") else "–").replace("|", "\\|")


def format_table(results: dict[str, Any], details: bool = False) -> str:
    """A Markdown table, one row per report and a total row; with ``details``, each
    report's expected and found records and flags below it."""
    head = ["report", "published", "expected", "found", "matched", "P", "R",
            "rear-area flags", "located", "correct"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * 2 + ["---:"] * 8) + "|"]
    for name, row in results["reports"].items():
        c, f = row["control"], row["flags"]
        lines.append(
            f"| {name} | {row['published']} | {c['expected']} | {c['found']} | {c['matched']} "
            f"| {_pct(c['precision'])} | {_pct(c['recall'])} | {f['expected']} "
            f"| {f['located']} | {f['correct']} |")
    t = results["total"]
    lines.append(
        f"| **total** | | {t['expected']} | {t['found']} | {t['matched']} "
        f"| {_pct(t['precision'])} | {_pct(t['recall'])} | {t['flags']} "
        f"| {t['located']} | {t['correct']} |")
    lines += ["", f"total: {len(results['reports'])} reports, control {t['matched']}/"
              f"{t['expected']} expected matched, {t['found']} found (P {_pct(t['precision'])}, "
              f"R {_pct(t['recall'])}); rear-area flags {t['correct']}/{t['flags']} correct, "
              f"{t['located']} located; {results.get('seconds', 0.0):.1f} s"]
    for skip in results.get("skipped", ()):
        lines.append(f"skipped {skip['name']}: text not found at {skip['path']}")
    if details:
        for name, row in results["reports"].items():
            lines += ["", *_detail_lines(name, row)]
    return "\n".join(lines)


def _detail_lines(name: str, row: dict[str, Any]) -> list[str]:
    c = row["control"]
    found = row["found_records"]
    partner = {e: f for e, f in c["pairs"]}
    lines = [f"### {name} ({row['published']})", "",
             "| | place | kind | holder | date | found |", "|---|---|---|---|---|---|"]
    for i, e in enumerate(row["expected_records"]):
        f = found[partner[i]] if i in partner else None
        match = (f"yes: {f['place']}, {f['kind']}, {f['date']}" if f else "missed")
        lines.append(f"| expected | {_cell(e['place'])} | {e['kind']} "
                     f"| {_cell(e['holder'] or 'any')} "
                     f"| {_date(e['date'], e['date_precision'])} | {_cell(match)} |")
    for i in c["spurious"]:
        f = found[i]
        lines.append(f"| found only | {_cell(f['place'])} | {_cell(f['kind'])} "
                     f"| {_cell(f['holder'])} "
                     f"| {_date(f['date'], f['date_precision'])} | not expected |")
    if row["expected_flags"]:
        lines += ["", "| rear-area flag | date | expected | event found | its rear_area |",
                  "|---|---|---|---|---|"]
        for flag in row["expected_flags"]:
            ev = flag["event"]
            where = None if ev is None else f"{ev['location']}, {ev['date']}"
            lines.append(
                f"| {_cell(flag['place'])} | {flag['date']} | {str(flag['rear_area']).lower()} "
                f"| {_cell(where)} | {'–' if ev is None else str(ev['rear_area']).lower()} |")
    return lines
