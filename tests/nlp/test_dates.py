"""Date expressions resolved against the publication date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rearguard.nlp.dates import find_dates
from rearguard.types import TIME_DAY, TIME_MONTH, TIME_WEEK

SEED = "seed/000_1444002c944f9f67.txt"
D, W, M = TIME_DAY, TIME_WEEK, TIME_MONTH


def _found(text: str, published, **kw) -> list[tuple[str, str, int]]:
    return [(d.text, d.date, d.precision) for d in find_dates(text, published, **kw)]


# Publication dates: 2016-11-06 is a Sunday, 2014-06-12 a Thursday, 2022-03-02 a
# Wednesday, 2019-01-01 a Tuesday.
@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # a month of last year or this year
        ("In September last year the Taliban overran Kunduz.", "2016-10-03",
         [("In September last year", "2015-09-15", M)]),
        ("The army retook the town in March this year.", "2016-10-03",
         [("in March this year", "2016-03-15", M)]),
        # relative days
        ("Daesh assaulted Shirqat this morning.", "2016-11-06",
         [("this morning", "2016-11-06", D)]),
        ("Earlier today, gunmen opened fire on a checkpoint.", "2016-11-06",
         [("Earlier today", "2016-11-06", D)]),
        ("Rockets hit the city tonight, residents said.", "2014-06-12",
         [("tonight", "2014-06-12", D)]),
        ("Clashes erupted this afternoon in Donetsk.", "2014-06-12",
         [("this afternoon", "2014-06-12", D)]),
        ("A car bomb exploded in Kabul yesterday, police said.", "2019-01-01",
         [("yesterday", "2018-12-31", D)]),
        ("Shelling continued late last night in Kharkiv.", "2022-03-02",
         [("late last night", "2022-03-01", D)]),
        ("Russian forces shelled Kharkiv overnight, officials said.", "2022-03-02",
         [("overnight", "2022-03-01", D)]),
        ("The convoy was ambushed the day before yesterday.", "2022-03-02",
         [("the day before yesterday", "2022-02-28", D)]),
        ("Police imposed an overnight curfew in Mogadishu.", "2019-01-01", []),
        ("USA Today reported the strike.", "2019-01-01", []),
        # weekdays
        ("Gunmen attacked a police post on Monday.", "2016-11-06",
         [("on Monday", "2016-10-31", D)]),
        ("The Syrian Observatory said Sunday's raids killed 12.", "2016-11-06",
         [("Sunday", "2016-11-06", D)]),
        ("The strike came last Sunday.", "2016-11-06", [("last Sunday", "2016-10-30", D)]),
        ("Militants stormed the base late on Tuesday.", "2014-06-12",
         [("late on Tuesday", "2014-06-10", D)]),
        ("Fighting broke out on Thursday morning.", "2014-06-12",
         [("on Thursday morning", "2014-06-12", D)]),
        ("ISIS fighters seized Tikrit on Wednesday night.", "2014-06-12",
         [("on Wednesday night", "2014-06-11", D)]),
        ("The vote is due next Monday.", "2016-11-06", []),
        ("Marchers remembered Bloody Sunday.", "2016-11-06", []),
        # day and month
        ("The offensive began on 17 October.", "2016-11-06",
         [("on 17 October", "2016-10-17", D)]),
        ("The offensive began October 17.", "2016-11-06", [("October 17", "2016-10-17", D)]),
        ("Troops entered the town on Oct. 17.", "2016-11-06",
         [("on Oct. 17", "2016-10-17", D)]),
        ("The siege began on the 17th of October.", "2016-11-06",
         [("on the 17th of October", "2016-10-17", D)]),
        ("It fell on 17 October 2016.", "2016-11-06", [("on 17 October 2016", "2016-10-17", D)]),
        ("It fell on October 17, 2016, officials said.", "2016-11-06",
         [("on October 17, 2016", "2016-10-17", D)]),
        ("Rebels attacked Goma on Monday, Oct. 3, witnesses said.", "2016-11-06",
         [("on Monday, Oct. 3", "2016-10-03", D)]),
        ("The massacre happened on December 3.", "2016-11-06",
         [("on December 3", "2015-12-03", D)]),
        ("Al-Qaeda struck on Sept. 11, 2001.", "2016-11-06",
         [("on Sept. 11, 2001", "2001-09-11", D)]),
        ("According to a report dated 2016-10-30, ...", "2016-11-06",
         [("2016-10-30", "2016-10-30", D)]),
        ("Elections are set for 20 November 2016.", "2016-11-06", []),
        ("No such day as 30 February.", "2016-11-06", []),
        ("The ceasefire of 29 February held.", "2017-01-10", [("29 February", "2016-02-29", D)]),
        ("May God protect them, the imam said.", "2016-11-06", []),
        # months
        ("The town was liberated in September.", "2016-11-06",
         [("in September", "2016-09-15", M)]),
        ("The town was liberated in September 2015.", "2016-11-06",
         [("in September 2015", "2015-09-15", M)]),
        ("Kurdish forces retook it last September.", "2016-11-06",
         [("last September", "2016-09-15", M)]),
        ("Kurdish forces retook it last November.", "2016-11-06",
         [("last November", "2015-11-15", M)]),
        ("The town fell in December.", "2016-11-06", [("in December", "2015-12-15", M)]),
        ("Protests spread in early March.", "2022-03-02", [("in early March", "2022-03-02", M)]),
        ("Clashes have continued since mid-October.", "2016-11-06",
         [("mid-October", "2016-10-15", M)]),
        ("Dozens were killed earlier this month.", "2016-11-06",
         [("earlier this month", "2016-11-06", M)]),
        ("Dozens were killed earlier this month.", "2016-11-25",
         [("earlier this month", "2016-11-15", M)]),
        ("The army said it lost 40 men last month.", "2016-11-06",
         [("last month", "2016-10-15", M)]),
        ("The army said it lost 40 men last month.", "2019-01-01",
         [("last month", "2018-12-15", M)]),
        ("Fighting flared two months ago.", "2016-11-06", [("two months ago", "2016-09-15", M)]),
        # weeks and weekends
        ("Government troops retook the town last week.", "2016-11-06",
         [("last week", "2016-10-26", W)]),
        ("Government troops retook the town earlier this week.", "2016-11-06",
         [("earlier this week", "2016-11-02", W)]),
        ("Clashes erupted this week.", "2019-01-01", [("this week", "2019-01-01", W)]),
        ("Gunmen struck last weekend.", "2016-11-08", [("last weekend", "2016-11-05", W)]),
        ("Gunmen struck last weekend.", "2016-11-06", [("last weekend", "2016-10-29", W)]),
        ("Gunmen struck over the weekend.", "2016-11-06", [("over the weekend", "2016-11-05", W)]),
        # counted back
        ("The attack took place three days ago.", "2016-11-06",
         [("three days ago", "2016-11-03", D)]),
        ("The base was overrun two days earlier.", "2014-06-12",
         [("two days earlier", "2014-06-10", D)]),
        ("Two weeks ago, the militia entered Sirte.", "2016-11-06",
         [("Two weeks ago", "2016-10-23", W)]),
        ("The village was shelled 10 days ago.", "2022-03-02", [("10 days ago", "2022-02-20", D)]),
        # not dates: durations, years, ages, times, the future
        ("Rebels held it for three days until troops took it back.", "2016-11-06", []),
        ("The city was in disarray for almost a week.", "2016-11-06", []),
        ("their almost three-week-old offensive against Mosul", "2016-11-06", []),
        ("a week-long siege of the compound", "2016-11-06", []),
        ("Residents have been trapped for months.", "2016-11-06", []),
        ("He spent two years in prison.", "2016-11-06", []),
        ("Violence has surged over the past decade.", "2016-11-06", []),
        ("At least 40 people died in the past week.", "2016-11-06", []),
        ("for the past two days", "2016-11-06", []),
        ("The blast went off at 10 a.m.", "2016-11-06", []),
        ("a 25-year-old man was killed", "2016-11-06", []),
        ("The conflict began in 2011.", "2016-11-06", []),
        ("Fighting has killed thousands since 2014.", "2016-11-06", []),
        ("Violence rose earlier this year.", "2016-11-06", []),
        ("The group was founded two years ago.", "2016-11-06", []),
        ("The army vowed to retake it within two weeks.", "2016-11-06", []),
        ("Talks resume next week.", "2016-11-06", []),
        ("three days later, the town fell", "2016-11-06", []),
    ],
)
def test_find_dates(text: str, published: str, expected: list[tuple[str, str, int]]) -> None:
    assert _found(text, published) == expected


def test_several_dates_in_one_sentence() -> None:
    text = ("Boko Haram fighters, who seized the town in September 2014, attacked it again "
            "on Friday and overnight.")
    assert _found(text, "2015-01-10") == [
        ("in September 2014", "2014-09-15", M),
        ("on Friday", "2015-01-09", D),
        ("overnight", "2015-01-09", D),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It fell on 17 October 2016 and again on Monday.",
         [("on 17 October 2016", "2016-10-17", D)]),
        ("In September 2015, in September, yesterday.", [("In September 2015", "2015-09-15", M)]),
        ("2016-10-30 was a Sunday.", [("2016-10-30", "2016-10-30", D)]),
    ],
)
def test_without_publication_date_only_full_dates(text: str, expected) -> None:
    assert _found(text, None) == expected


@pytest.mark.parametrize(
    "published",
    ["2016-11-06", dt.date(2016, 11, 6), dt.datetime(2016, 11, 6, 9, 30), "2016-11-06T09:30:00Z"],
)
def test_publication_date_forms(published) -> None:
    assert _found("Gunmen attacked yesterday.", published) == [("yesterday", "2016-11-05", D)]


def test_unreadable_publication_date_counts_as_none() -> None:
    assert _found("Gunmen attacked yesterday.", "not a date") == []


def test_window_offsets_index_the_full_text() -> None:
    text = "On Monday rebels attacked. On Tuesday troops returned."
    second = text.index("On Tuesday")
    found = find_dates(text, "2016-11-06", start=second - 1)
    assert [(d.start, d.text) for d in found] == [(second, "On Tuesday")]
    assert find_dates(text, "2016-11-06", end=second)[0].text == "On Monday"
    assert find_dates(text, "2016-11-06", start=4, end=20) == []  # "onday": a fragment
    assert find_dates(text, "2016-11-06", start=3, end=8) == []  # "Monda"


def test_seed_report(shared_dir: Path) -> None:
    path = shared_dir / SEED
    if not path.is_file():
        pytest.skip(f"{SEED} is not in ../shared")
    text = path.read_text(encoding="utf-8")
    found = _found(text, "2016-11-06")
    assert found == [
        ("in September", "2016-09-15", M),
        ("In the early hours of this morning", "2016-11-06", D),
        ("in September", "2016-09-15", M),
        ("today", "2016-11-06", D),
        ("on 17 October", "2016-10-17", D),
    ]
    texts = " ".join(t for t, _, _ in found)
    for not_a_date in ("three-week-old", "almost a week", "three days"):
        assert not_a_date not in texts
    assert text[text.index("today"):].startswith(("today's attack", "today\u2019s attack"))


_FRAGMENTS = [
    "Gunmen attacked ", "on Monday", "yesterday", "last night", "overnight", "today",
    "in September", "last September", "in September 2015", "on 17 October", "October 17, 2016",
    "Oct. 3", "last week", "earlier this week", "last weekend", "three days ago",
    "two weeks ago", "two months ago", "earlier this month", "last month", "for three days",
    "almost a week", "three-week-old", "in 2015", "at 10 a.m.", "a 25-year-old man",
    "30 February", "29 February", "31 December 2030", "next Monday", " ", ", ", ". ",
    "The army said ", "killing 12 people", "mid-", "the 17th of", "May", "2016-10-30",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=8), max_size=14),
    st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))),
    st.integers(min_value=0, max_value=60),
    st.one_of(st.none(), st.integers(min_value=0, max_value=400)),
)
def test_offsets_verbatim_and_never_after_publication(parts, published, start, end) -> None:
    text = " ".join(parts)
    found = find_dates(text, published, start=start, end=end)
    stop = len(text) if end is None else end
    last = -1
    for d in found:
        assert d.text == text[d.start:d.end]
        assert start <= d.start < d.end <= stop
        assert d.start >= last  # in order, no overlaps
        last = d.end
        assert d.precision in (TIME_DAY, TIME_WEEK, TIME_MONTH)
        date = dt.date.fromisoformat(d.date)
        if published is not None:
            assert date <= published


# The scanner skips a rule when the text lacks a word every match of the rule holds
# (dates._Needs); it must skip only rules that would have found nothing. With every rule
# run (dates._UNFOLDED matching anything), the answer must be the same.
_DATE_WORDS = [
    "on", "Monday", "MONDAY", "monday", "last", "this", "past", "next", "coming", "week",
    "weekend", "month", "months", "year", "years", "decade", "day", "days", "ago", "earlier",
    "later", "the", "previous", "in", "September", "SEPTEMBER", "Sept.", "Oct", "OCT", "17",
    "17th", "2015", "2016-10-17", "of", "mid-", "early", "late", "yesterday", "Yesterday",
    "today", "tonight", "morning", "night", "overnight", "for", "three", "a", "few", "-old",
    "-long", "week-old", "year-long", "from", "now", "after", "since", "ſunday", "yeſterday",
    "İn", "three-day", ",", ".", "\n",
]


def _every_rule_run(text: str, published: str | None) -> list:
    import re

    import rearguard.nlp.dates as dates

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dates, "_UNFOLDED", re.compile(""))
        return find_dates(text, published)


# A phrase for each rule (and each block), to be found among the words above.
_DATE_PHRASES = [
    "three days ago", "two weeks earlier", "a day earlier", "the previous day",
    "a week-long siege", "a three-year-old boy", "for three days", "over the past decade",
    "next week", "this coming Monday", "five days later", "last year", "in 2015",
    "the past few days", "the day before yesterday", "last night", "this morning",
    "early on Monday", "last Tuesday", "on 17 October", "Oct. 17, 2016", "17th of October",
    "2016-10-17", "this week", "last weekend", "in September 2015", "mid-September",
    "in March this year", "earlier this month", "last month", "for months",
    "two years ago", "in the early hours of Sunday",
]


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.one_of(st.sampled_from(_DATE_WORDS), st.sampled_from(_DATE_PHRASES)),
                      max_size=10),
       case=st.sampled_from([str, str.upper, str.lower]),
       published=st.sampled_from(["2016-11-06", "2019-01-01", None]),
       sep=st.sampled_from([" ", "", "  "]))
def test_skipping_rules_the_text_cannot_match_loses_no_date(parts, case, published,
                                                            sep) -> None:
    text = case(sep.join(parts))
    assert find_dates(text, published) == _every_rule_run(text, published)


def test_a_word_read_case_insensitively_through_a_non_ascii_letter_is_still_found() -> None:
    # the long s (U+017F) is read as "s" by a case-insensitive expression but does not lower-case
    # to it: such a text is scanned with every rule
    text = "He was killed yeſterday."
    assert [d.text for d in find_dates(text, "2016-11-06")] == ["yeſterday"]
    assert find_dates(text, "2016-11-06") == _every_rule_run(text, "2016-11-06")


@pytest.mark.parametrize("text", [
    "five days later", "Five Days\nLater", "three weeks from  now", "two years ago",
    "TWO DECADES EARLIER", "three days ago", "a month earlier", "a three-day-old boy",
    "a week-long siege", "for weeks", "over months", "10 hours after", "several years later",
])
def test_every_match_of_a_rule_holds_its_core(text: str) -> None:
    # a rule is skipped when the lower-cased text lacks its core (dates._Needs.core): the
    # core must be in every match the rule can make, or a date would be lost
    import rearguard.nlp.dates as dates

    cores = 0
    for pattern, _, needs in dates._RULES:
        if needs.core is None:
            continue
        for m in pattern.finditer(text):
            cores += 1
            assert needs.core.search(m.group().lower()), (pattern.pattern[:60], m.group())
    assert cores > 0


def test_a_rule_whose_core_is_missing_is_skipped_and_its_words_alone_do_not_run_it() -> None:
    import rearguard.nlp.dates as dates

    ago = next(needs for pattern, resolver, needs in dates._RULES
               if getattr(resolver, "__name__", "") == "_ago")
    assert ago.met("It happened three days ago.", "it happened three days ago.")
    assert not ago.met("Days passed; it rained long ago.", "days passed; it rained long ago.")
    assert [d.text for d in find_dates("Five days ago, and long ago.", "2016-11-06")] == [
        "Five days ago"]


# Seven rules are searched only near an anchor (dates._Window: a weekday, a month, a year,
# "yesterday"...) from as far before it as their longest lead reaches, which grows with
# the text's longest run of white space and hyphens. Leads as long as the expressions
# allow, and runs longer than the usual, must find what a scan of every position finds.
_LONG_LEADS = [
    "during the early hours of the day before yesterday", "in the small hours of tonight",
    "in the early hours of this past Sunday", "earlier on Monday night", "late last night",
    "since WEDNESDAY, the 31st of Oct", "from Monday, 17th of October 2016", "on the 3 of May",
    "since WEDNESDAY, Oct. the 17", "Sept. 4, 2016", "at the beginning of - early - September 2015",
    "at the end of-September", "in mid-  March", "through early - June 2014", "since 2015",
    "during 1989", "in the early hours of THURSDAY", "this afternoon", "overnight curfew",
    "May", "Mar", "Sunday", "Bloody Sunday", "12", "2016", "of", "the", "-", "yesterday",
]
_RUNS = [" ", "  ", "\n\n", " \n\n      ", "-", " - ", "------", "\t", "", ", ", ". "]


@settings(max_examples=500, deadline=None)
@given(parts=st.lists(st.one_of(st.sampled_from(_LONG_LEADS), st.sampled_from(_DATE_PHRASES),
                                st.sampled_from(_DATE_WORDS)), max_size=12),
       seps=st.lists(st.sampled_from(_RUNS), min_size=12, max_size=12),
       published=st.sampled_from(["2016-11-06", None]))
def test_searching_near_anchors_finds_what_a_full_scan_finds(parts, seps, published) -> None:
    text = "".join(part + sep for part, sep in zip(parts, seps, strict=False))
    for phrase in (text, text.replace(" ", "  " * 3)):
        assert find_dates(phrase, published) == _every_rule_run(phrase, published)
        middle = len(phrase) // 3
        assert (find_dates(phrase, published, start=middle, end=2 * middle)
                == _every_rule_run_within(phrase, published, middle, 2 * middle))


def _every_rule_run_within(text: str, published: str | None, start: int, end: int) -> list:
    import re

    import rearguard.nlp.dates as dates

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dates, "_UNFOLDED", re.compile(""))
        return find_dates(text, published, start=start, end=end)


def test_no_anchored_rule_matches_an_empty_text() -> None:
    """The anchored search steps past each match: a rule that matched nothing would stall
    there (and an anchor is in every match)."""
    import re._parser

    import rearguard.nlp.dates as dates

    anchored = [pattern for pattern, _, needs in dates._RULES if needs.window is not None]
    assert len(anchored) == 7
    for pattern in anchored:
        assert re._parser.parse(pattern.pattern).getwidth()[0] > 0
