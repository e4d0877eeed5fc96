"""Date expressions in raw text, resolved against the publication date.

:func:`find_dates` returns every date expression in ``text[start:end]`` as a
:class:`~rearguard.types.DateMention` whose ``text`` is ``text[m.start:m.end]`` verbatim,
with an ISO date and ACLED's time precision (1 day, 2 week, 3 month). An event cannot
happen after its report, so no returned date is after the publication date.

How expressions resolve (``P`` is the publication date):

* "today", "this morning", "in the early hours of this morning", "tonight", "this
  afternoon", "earlier today" -> P; "yesterday", "last night" -> P - 1 day;
  "the day before yesterday" -> P - 2. **"overnight" -> P - 1**: reports published in the
  morning describe a night that began the evening before, and ACLED codes the day an
  event started. All precision 1.
* Weekdays ("on Monday", "Monday night", "last Tuesday") -> the most recent such day on
  or before P; the publication weekday itself means P, unless "last" is said (then P - 7).
  "next Monday" is the future and is skipped.
* Day and month ("on 17 October", "October 17", "Oct. 17", "17th of October") -> that
  day; without a year, the most recent occurrence not after P. Precision 1. A weekday in
  front ("Monday, October 17") is part of the mention.
* Months ("in September", "last September", "in September 2015", "mid-September",
  "this month", "earlier this month", "last month", "two months ago") -> precision 3, the
  15th of the month, or P when the month is P's month and the 15th is later.
  "in September" is the most recent September up to P's month; "last September" the most
  recent one before P's month.
* Weeks ("this week", "earlier this week", "last week", "N weeks ago") -> precision 2,
  the Wednesday of that Monday-to-Sunday week, never after P. Weekends ("last weekend",
  "over the weekend") -> the Saturday, precision 2.
* "N days ago", "two days earlier", "a day earlier" -> P - N, precision 1.
* **Years alone are never returned** ("in 2015", "last year", "earlier this year"):
  ACLED needs at least a month, so the caller has nothing to skip.
* Durations are not dates and are consumed so nothing inside them is read as one: "for
  three days", "for almost a week", "over the past decade", "in the past week",
  "three-week-old offensive", "a week-long siege", "for months"; nor are ages or times.

Without a publication date only expressions that carry their year resolve ("17 October
2016", "September 2015", "2016-10-17"). ``published`` may be an ISO string (a longer
timestamp is cut to its date), a ``date`` or ``datetime``; an unreadable string counts as
no date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator

from ..types import TIME_DAY, TIME_MONTH, TIME_WEEK, DateMention
from .numbers import NUMBER_PATTERN, parse_number

Date = dt.date

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
_MONTHS: dict[str, int] = {name: i for i, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS.update({name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)})
_MONTHS["sept"] = 9
_WEEKDAYS: dict[str, int] = {
    name: i for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}


def _cased(words: list[str]) -> str:
    """Title-case and upper-case spellings of ``words`` as one alternation."""
    forms = []
    for w in sorted(words, key=len, reverse=True):
        forms += [w.capitalize(), w.upper()]
    return "|".join(forms)


_MONTH_FULL = rf"(?:{_cased(list(_MONTH_NAMES))})"
# Abbreviations only where a day number follows or precedes ("Oct. 17", "17 Oct").
_MONTH_ANY = (
    rf"(?:{_cased(list(_MONTH_NAMES))}|(?:{_cased([m[:3] for m in _MONTH_NAMES] + ['sept'])})\.?)"
)
_WEEKDAY = rf"(?:{_cased(list(_WEEKDAYS))})"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?:1[89]\d\d|20\d\d)(?!\d)"
_NUM = rf"(?:{NUMBER_PATTERN}|(?i:an?))"
_PART = r"(?i:\s+(?:morning|afternoon|evening|night|overnight))?"
_NOT_NAMED_DAY = r"(?<!Bloody )(?<!Black )(?<!Good )(?<!Palm )(?<!Ash )(?<!Holy )(?<!Cyber )"

Resolver = Callable[[re.Match[str], Date | None], tuple[Date, int] | None]


class _Needs:
    """What a rule's every match holds, checked over the scanned text before the rule's
    expression is run there: one of ``words`` (lower-case, found in the lower-cased text:
    the expressions read them case-insensitively), one of ``cased`` (found as written:
    month names, which the expressions read only capitalised or in capitals), and a
    digit with ``digit``. A text without them cannot match, so the rule is skipped; most
    of the 23 expressions find nothing in most articles, and running each over the whole
    text cost more than the rest of the scanner.

    ``core``, when given, is an expression that every match holds a match of, written in
    lower case without ``\\b`` and searched in the lower-cased text ("days ago" for "three
    days ago"): where the words alone are in nearly every article ("after", "day"), the
    core is rare, and its search (literals, case-sensitive) costs much less than the
    rule's (case-insensitive, tried at every word)."""

    __slots__ = ("cased", "core", "digit", "window", "words")

    def __init__(self, words: tuple[str, ...] = (), cased: tuple[str, ...] = (),
                 digit: bool = False, core: str | None = None,
                 window: _Window | None = None) -> None:
        self.words, self.cased, self.digit = words, cased, digit
        self.core = re.compile(core) if core is not None else None
        self.window = window

    def met(self, text: str, lower: str) -> bool:
        return ((not self.words or any(w in lower for w in self.words))
                and (not self.cased or any(c in text for c in self.cased))
                and (not self.digit or _DIGIT.search(text) is not None)
                and (self.core is None or self.core.search(lower) is not None))


class _Window:
    """Where a rule's matches can start: every match holds a match of ``anchor`` (searched
    in the lower-cased text, or with ``cased`` in the text as written) that begins at most
    ``letters`` characters plus ``runs`` runs of white space (with ``dashes``: of white
    space and hyphens) after the match's start. The rule's expression is then searched
    from that far before the next anchor instead of being tried at every position of the
    article: the same matches, in the same order (:func:`_windowed`). ``letters`` counts
    every character of the longest lead that is not in such a run, the case-insensitive
    words being as long as their lower-case forms (:data:`_UNFOLDED` excepted, for which
    every rule is scanned whole)."""

    __slots__ = ("anchor", "cased", "dashes", "letters", "runs")

    def __init__(self, anchor: str, letters: int, runs: int, *, cased: bool = False,
                 dashes: bool = False) -> None:
        self.anchor = re.compile(anchor)
        self.letters, self.runs, self.cased, self.dashes = letters, runs, cased, dashes


_DIGIT = re.compile(r"\d")
_SPACE_RUN = re.compile(r"\s+")
_SPACE_DASH_RUN = re.compile(r"[\s-]+")
# Runs of white space and hyphens are at most this long in most articles, and no longer
# where _LONG_RUN finds nothing (one search instead of listing every run).
_SHORT_RUN = 4
_LONG_RUN = re.compile(rf"[\s-]{{{_SHORT_RUN + 1}}}")
_UNITS = ("day", "week", "month", "year", "decade", "hour", "night", "minute")
_MONTH_ABBREVIATIONS = tuple(f for m in _MONTH_NAMES for f in (m[:3].capitalize(), m[:3].upper()))
_MONTH_CASED = tuple(f for m in _MONTH_NAMES for f in (m.capitalize(), m.upper()))


def _month_window(then: str, letters: int, runs: int, *, before: str = "",
                  dashes: bool = False) -> _Window:
    """An anchor searched as written around a month's name as the expressions read it
    (capitalised or in capitals: every full name and "Sept" is the abbreviation then
    letters): ``before`` it, the name, then ``then``."""
    names = "|".join(_MONTH_ABBREVIATIONS)
    return _Window(rf"{before}(?:{names})[A-Za-z]*{then}", letters, runs, cased=True,
                   dashes=dashes)


# Characters that an expression read case-insensitively takes for an ASCII letter but
# that do not lower-case to it (the long s, the dotless and the dotted i, the Kelvin
# sign): a text holding one is scanned by every rule.
_UNFOLDED = re.compile("[\u0130\u0131\u017f\u212a]")

_RULES: list[tuple[re.Pattern[str], Resolver | None, _Needs]] = []


def _rule(pattern: str, needs: _Needs) -> Callable[[Resolver], Resolver]:
    def register(fn: Resolver) -> Resolver:
        _RULES.append((re.compile(pattern), fn, needs))
        return fn

    return register


def _block(pattern: str, needs: _Needs) -> None:
    """Text that is not a date and must not yield one (durations, the future, years)."""
    _RULES.append((re.compile(pattern), None, needs))


# --- helpers ---------------------------------------------------------------------------

def _month_day(year: int, month: int, pub: Date | None) -> Date:
    """The 15th of the month, or the publication day when that month is not over."""
    day = Date(year, month, 15)
    if pub is not None and (year, month) == (pub.year, pub.month) and pub.day < 15:
        return pub
    return day


def _shift_month(year: int, month: int, back: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) - back
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> Date | None:
    try:
        return Date(year, month, day)
    except ValueError:
        return None


def _recent_day(month: int, day: int, pub: Date) -> Date | None:
    """The latest ``month``/``day`` not after ``pub`` (looks back up to 8 years for 29 Feb)."""
    for year in range(pub.year, pub.year - 9, -1):
        date = _safe_date(year, month, day)
        if date is not None and date <= pub:
            return date
    return None


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def _week_wednesday(pub: Date, weeks_back: int) -> Date:
    monday = pub - dt.timedelta(days=pub.weekday() + 7 * weeks_back)
    return min(monday + dt.timedelta(days=2), pub)


def _this_weekend(pub: Date) -> Date:
    """The Saturday of the weekend P is in, or of the last one before it."""
    wd = pub.weekday()
    return pub - dt.timedelta(days=wd - 5 if wd >= 5 else wd + 2)


# --- durations, the future and bare years: consumed, never returned -------------------

_QUAL = (
    r"(?:almost|nearly|about|around|more\s+than|over|some|at\s+least|roughly|approximately|"
    r"just|only|barely|less\s+than|under)"
)
_UNIT = r"(?:days?|weeks?|months?|years?|decades?|hours?|nights?|minutes?)"
_block(
    rf"(?i)\b(?:for|over|during|in|within|throughout|through|after|spanning|lasting)\s+"
    rf"(?:the\s+)?(?:(?:past|last|next|previous|coming|following|first|final)\s+)?"
    rf"(?:{_QUAL}\s+)?(?:{NUMBER_PATTERN}|an?|several|a\s+few|few|many|two|the)?\s*{_UNIT}\b"
    rf"(?!\s+(?:ago|earlier)\b)",
    _Needs(_UNITS),
)
_block(r"(?i)\b(?:for|over)\s+(?:days|weeks|months|years|decades|hours)\b",
       _Needs(_UNITS, core=r"(?:for|over)\s+(?:day|week|month|year|decade|hour)s"))
_block(
    rf"(?i)(?:\b{_QUAL}\s+)?(?:\b(?:{NUMBER_PATTERN}|an?)[-\s])?"
    rf"(?:day|week|month|year|hour|night)s?-(?:old|long)\b",
    _Needs(("-old", "-long"), core=r"(?:day|week|month|year|hour|night)s?-(?:old|long)"),
)
_block(
    rf"(?i)\b(?:{NUMBER_PATTERN}|an?|many|several)\s+(?:years?|decades?)\s+"
    r"(?:ago|earlier|before|later)\b",
    _Needs(("year", "decade"), core=r"(?:year|decade)s?\s+(?:ago|earlier|before|later)"),
)
_block(r"(?i)\b(?:next|this\s+coming|coming|following)\s+(?:week(?:end)?|month|year)\b",
       _Needs(("next", "coming", "following")))
_block(rf"\b(?i:next|this\s+coming|coming)\s+(?:{_WEEKDAY}|{_MONTH_FULL})\b",
       _Needs(("next", "coming")))
_block(rf"(?i)\b(?:{NUMBER_PATTERN}|an?|several|a\s+few)\s+{_UNIT}\s+(?:later|from\s+now|after)\b",
       _Needs(("later", "from", "after"),
              core=r"(?:day|week|month|year|decade|hour|night|minute)s?\s+(?:later|from\s+now|after)"))
_block(r"(?i)\b(?:(?:earlier|later)\s+)?(?:this|last|next|past)\s+(?:year|decade|century)\b",
       _Needs(("year", "decade", "century")))
_block(rf"(?i)\b(?:in|since|during|by|until|of|early|late|mid-?)\s+{_YEAR}",
       _Needs(digit=True, window=_Window(r"(?:1[89]|20)\d\d", 6, 1)))
_block(r"(?i)\b(?:the\s+)?(?:past|last)\s+(?:few\s+|several\s+)?(?:days|weeks|months)\b",
       _Needs(("past", "last")))


# --- day-precision expressions ---------------------------------------------------------

_PREFIX_HOURS = r"(?i:(?:in|during)\s+the\s+(?:early|small|late|wee)\s+hours\s+of\s+)"


@_rule(
    rf"(?:{_PREFIX_HOURS}|(?i:(?:earlier|later|early|late)\s+))?"
    r"(?<![\w.])(?<!USA )(?i:(?P<rel>the\s+day\s+before\s+yesterday|today|tonight|"
    r"this\s+(?:morning|afternoon|evening)|yesterday(?:\s+(?:morning|afternoon|evening))?|"
    r"last\s+night|overnight(?!\s+(?:curfew|stay|shift)))\b)",
    _Needs(("today", "tonight", "morning", "afternoon", "evening", "yesterday", "night"),
           # "during the early hours of the day before yesterday"
           window=_Window(r"today|tonight|yesterday|overnight|this\s+(?:morning|afternoon|evening)|"
                          r"last\s+night", 33, 8)),
)
def _relative(m: re.Match[str], pub: Date | None) -> tuple[Date, int] | None:
    if pub is None:
        return None
    rel = m.group("rel").lower()
    if rel.startswith("the day before"):
        back = 2
    elif rel.startswith(("yesterday", "last", "overnight")):
        back = 1
    else:
        back = 0
    return pub - dt.timedelta(days=back), TIME_DAY


@_rule(
    rf"(?:{_PREFIX_HOURS}|\b(?i:(?:early|late|earlier|later)\s+(?:on\s+)?|overnight\s+))?"
    rf"(?:\b(?i:(?P<last>last|this\s+past)\s+|on\s+|this\s+))?"
    rf"{_NOT_NAMED_DAY}\b(?P<wd>{_WEEKDAY})\b{_PART}",
    # "during the early hours of this past Sunday"
    _Needs(tuple(_WEEKDAYS), window=_Window(_WEEKDAY, 29, 7, cased=True)),
)
def _weekday(m: re.Match[str], pub: Date | None) -> tuple[Date, int] | None:
    if pub is None:
        return None
    wd = _WEEKDAYS[m.group("wd").lower()]
    back = (pub.weekday() - wd) % 7
    if back == 0 and m.group("last"):
        back = 7
    return pub - dt.timedelta(days=back), TIME_DAY


def _explicit(m: re.Match[str], pub: Date | None) -> tuple[Date, int] | None:
    month = _MONTHS[m.group("mon").lower().rstrip(".")]
    day = _day_number(m.group("day"))
    if m.group("year"):
        date = _safe_date(int(m.group("year")), month, day)
        return (date, TIME_DAY) if date else None
    if pub is None:
        return None
    date = _recent_day(month, day, pub)
    return (date, TIME_DAY) if date else None


_WD_LEAD = rf"(?:{_WEEKDAY},?\s+)?"
_rule(
    rf"\b(?:(?i:on|since|from)\s+)?{_WD_LEAD}(?:(?i:the)\s+)?(?P<day>{_DAY})(?:\s+(?i:of))?\s+"
    rf"(?P<mon>{_MONTH_ANY})(?![\w])(?:,?\s+(?P<year>{_YEAR}))?",
    # "since WEDNESDAY, the 3" before "1st of Oct"
    _Needs(cased=_MONTH_ABBREVIATIONS, digit=True,
           window=_month_window("", 19, 3, before=r"\d(?:st|nd|rd|th)?(?:\s+(?i:of))?\s+")),
)(_explicit)
_rule(
    rf"\b(?:(?i:on|since|from)\s+)?{_WD_LEAD}(?P<mon>{_MONTH_ANY})\s+"
    rf"(?:(?i:the)\s+)?(?P<day>{_DAY})(?![\w-]|\.\d|,\d)(?:,?\s+(?P<year>{_YEAR}))?",
    # "since WEDNESDAY, " before "Oct. the 17"
    _Needs(cased=_MONTH_ABBREVIATIONS, digit=True,
           window=_month_window(r"\.?\s+(?:(?i:the)\s+)?\d", 15, 2)),
)(_explicit)


@_rule(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b",
       _Needs(("-",), digit=True))
def _iso(m: re.Match[str], pub: Date | None) -> tuple[Date, int] | None:
    date = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return (date, TIME_DAY) if date else None


@_rule(
    rf"(?i)\b(?P<n>{NUMBER_PATTERN}|an?|one)\s+(?P<unit>days?|weeks?|months?)\s+"
    r"(?:ago|earlier)\b",
    _Needs(("ago", "earlier"), core=r"(?:day|week|month)s?\s+(?:ago|earlier)"),
)
def _ago(m: re.Match[str], pub: Date | None) -> tuple[Date, int] | None:
    if pub is None:
        return None
    raw = m.group("n").lower()
    n = 1 if raw in ("a", "an") else parse_number(raw)
    if n is None or n > 10_000:
        return None
    unit = m.group("unit").lower()
    if unit.startswith("day"):
        return pub - dt.timedelta(days=n), TIME_DAY
    if unit.startswith("week"):
        return pub - dt.timedelta(days=7 * n), TIME_WEEK
    year, month = _shift_month(pub.year, pub.month, n)
    return _month_day(year, month, pub), TIME_MONTH


_rule(r"(?i)\b(?:a|one)\s+day\s+earlier\b|\bthe\s+previous\s+day\b",
      _Needs(("earlier", "previous")))(
    lambda m, pub: (pub - dt.timedelta(days=1), TIME_DAY) if pub else None
)


# --- weeks and weekends ----------------------------------------------------------------

@_rule(
    r"(?i)\b(?P<which>(?:earlier|later)\s+this|this|last|this\s+past)\s+week\b(?!-)",
    _Needs(("week",)),
)
def _week(m: re.Match[str], pub: Date | None) -> tuple[Date, int] | None:
    if pub is None:
        return None
    which = m.group("which").lower()
    return _week_wednesday(pub, 1 if which.startswith(("last", "this past")) else 0), TIME_WEEK


@_rule(r"(?i)\b(?P<which>last|this|over\s+the|at\s+the|on\s+the|this\s+past)\s+weekend\b",
       _Needs(("weekend",)))
def _weekend(m: re.Match[str], pub: Date | None) -> tuple[Date, int] | None:
    if pub is None:
        return None
    saturday = _this_weekend(pub)
    which = m.group("which").lower()
    if which == "last" and pub.weekday() >= 5:
        saturday -= dt.timedelta(days=7)
    return saturday, TIME_WEEK


# --- months ----------------------------------------------------------------------------

_MONTH_CUE = (
    r"(?i:(?:earlier|later|early|late)\s+in|in\s+(?:early|late|mid-?)|in|during|since|until|"
    r"by|last|this\s+past|early|late|mid-?|at\s+the\s+(?:start|end|beginning)\s+of|"
    r"through|throughout|from|of|before|after)"
)


@_rule(
    rf"\b(?:{_MONTH_CUE}[\s-]*)?(?<![\w])(?:(?i:early|late|mid)[\s-]+)?(?P<mon>{_MONTH_FULL})"
    rf",?\s+(?P<year>{_YEAR})",
    # "at the beginning of - early - " before "September 2015"
    _Needs(cased=_MONTH_CASED, digit=True,
           window=_month_window(r",?\s+(?:1[89]|20)\d", 21, 5, dashes=True)),
)
def _month_year(m: re.Match[str], pub: Date | None) -> tuple[Date, int] | None:
    return _month_day(int(m.group("year")), _MONTHS[m.group("mon").lower()], pub), TIME_MONTH


@_rule(rf"\b(?P<cue>{_MONTH_CUE})(?:[\s-]+|(?<=-))(?P<mon>{_MONTH_FULL})\b(?!\s*\d)",
       # "at the beginning of - " before "September"
       _Needs(cased=_MONTH_CASED, window=_month_window(r"\b(?!\s*\d)", 16, 4, dashes=True)))
def _month(m: re.Match[str], pub: Date | None) -> tuple[Date, int] | None:
    if pub is None:
        return None
    month = _MONTHS[m.group("mon").lower()]
    cue = m.group("cue").lower()
    strictly_before = cue.startswith(("last", "this past"))
    if month < pub.month or (month == pub.month and not strictly_before):
        year = pub.year
    else:
        year = pub.year - 1
    return _month_day(year, month, pub), TIME_MONTH


@_rule(
    rf"\b(?:{_MONTH_CUE}[\s-]*)?(?<![\w])(?P<mon>{_MONTH_FULL})(?:\s+of)?\s+"
    r"(?P<which>(?i:last|this))\s+year\b",
    _Needs(("year",), cased=_MONTH_CASED),
)
def _month_of_year(m: re.Match[str], pub: Date | None) -> tuple[Date, int] | None:
    """"In September last year", "in March this year"."""
    if pub is None:
        return None
    year = pub.year - (1 if m.group("which").lower() == "last" else 0)
    return _month_day(year, _MONTHS[m.group("mon").lower()], pub), TIME_MONTH


@_rule(r"(?i)\b(?P<which>(?:earlier|later|early|late)\s+this|this|last|earlier\s+last)\s+month\b",
       _Needs(("month",)))
def _this_month(m: re.Match[str], pub: Date | None) -> tuple[Date, int] | None:
    if pub is None:
        return None
    back = 1 if "last" in m.group("which").lower() else 0
    year, month = _shift_month(pub.year, pub.month, back)
    return _month_day(year, month, pub), TIME_MONTH


# --- the scanner -----------------------------------------------------------------------

def _as_date(published: str | Date | None) -> Date | None:
    if published is None:
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, Date):
        return published
    try:
        return Date.fromisoformat(str(published).strip()[:10])
    except ValueError:
        return None


#: The years a resolved date may fall in: the dataset's merge windows add and subtract
#: days, which must stay inside Python's calendar.
MIN_YEAR, MAX_YEAR = 2, 9998


def _windowed(pattern: re.Pattern[str], window: _Window, lead: int, text: str, lower: str,
              begin: int, stop: int) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, begin, stop)`` where every match holds an anchor at most
    ``lead`` characters after its start (:class:`_Window`; ``lower`` is
    ``text[begin:stop].lower()``, as long). No match starts before the next anchor less
    ``lead`` (its anchor would be an earlier one), so searching from there finds the
    match that a scan from ``pos`` would; lookbehinds and ``\\b`` still see the text before
    the search's start. The rule's expression is tried near its anchors only, not at
    every position of the article."""
    pos = begin
    while pos < stop:
        if window.cased:
            anchor = window.anchor.search(text, pos, stop)
            if anchor is None:
                return
            at = anchor.start()
        else:
            anchor = window.anchor.search(lower, pos - begin)
            if anchor is None:
                return
            at = begin + anchor.start()
        m = pattern.search(text, max(pos, at - lead), stop)
        if m is None:
            return
        yield m
        pos = m.end() if m.end() > m.start() else m.end() + 1  # (no rule matches empty)


def find_dates(
    text: str,
    published: str | Date | None,
    *,
    start: int = 0,
    end: int | None = None,
) -> list[DateMention]:
    """Date expressions in ``text[start:end]``, in text order, resolved against
    ``published``; offsets index the full ``text``. See the module docstring."""
    pub = _as_date(published)
    stop = len(text) if end is None else min(end, len(text))
    begin = max(0, start)
    found: list[tuple[int, int, Resolver | None, re.Match[str]]] = []
    scanned = text[begin:stop]
    lower = scanned.lower()
    every = _UNFOLDED.search(scanned) is not None
    longest: dict[bool, int] = {}  # the longest run of white space (and hyphens) in it
    for pattern, resolver, needs in _RULES:
        if not (every or needs.met(scanned, lower)):
            continue  # no match is possible (_Needs)
        window = None if every else needs.window
        if window is None:
            matches: Iterable[re.Match[str]] = pattern.finditer(text, begin, stop)
        else:
            if window.dashes not in longest:
                if not longest and _LONG_RUN.search(scanned) is None:
                    longest.update({False: _SHORT_RUN, True: _SHORT_RUN})  # the usual case
                else:
                    runs = (_SPACE_DASH_RUN if window.dashes else _SPACE_RUN).findall(scanned)
                    longest[window.dashes] = max(map(len, runs), default=0)
            lead = window.letters + window.runs * longest[window.dashes]
            matches = _windowed(pattern, window, lead, text, lower, begin, stop)
        for m in matches:
            if m.end() > m.start():
                found.append((m.start(), m.end(), resolver, m))
    # Longest first; a duration beats a date of the same length.
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2] is not None, f[0]))
    taken: list[tuple[int, int]] = []
    mentions: list[DateMention] = []
    for s, e, resolver, m in found:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        if resolver is None:
            continue
        try:
            result = resolver(m, pub)
        except OverflowError:
            continue  # "on Sunday" before 0001-01-01, "the next day" after 9999-12-31
        if result is None:
            continue
        date, precision = result
        if pub is not None and date > pub:
            continue
        if not MIN_YEAR <= date.year <= MAX_YEAR:
            continue  # no news dates an incident in the year 9999; nor may the dataset

        mentions.append(DateMention(s, e, text[s:e], date.isoformat(), precision))
    mentions.sort(key=lambda d: d.start)
    return mentions
