"""Hypothesis strategies for events, derived from the dataclasses' type hints so that new
fields are covered without editing the tests."""

from __future__ import annotations

import dataclasses
import typing

from hypothesis import strategies as st

from rearguard.types import Event, Evidence

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
TEXT = st.text(max_size=12)
LATITUDE = st.floats(min_value=-90, max_value=90)
LONGITUDE = st.floats(min_value=-180, max_value=180)
# ISO dates, so that CSV's empty-cell-is-None rule never meets an empty date.
DATES = st.dates().map(lambda d: d.isoformat())


def _scalar(hint: typing.Any, *, csv_safe: bool) -> st.SearchStrategy:
    args = typing.get_args(hint)
    if args and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        inner_strategy = (st.text(min_size=1, max_size=12) if inner is str and csv_safe
                          else _scalar(inner, csv_safe=csv_safe))
        return st.none() | inner_strategy
    return {str: TEXT, int: INT64, float: FLOATS, bool: st.booleans()}[hint]


def evidence() -> st.SearchStrategy[Evidence]:
    hints = typing.get_type_hints(Evidence)
    return st.builds(Evidence, **{f.name: _scalar(hints[f.name], csv_safe=False)
                                  for f in dataclasses.fields(Evidence)})


def events(*, csv_safe: bool = False, located: bool | None = None) -> st.SearchStrategy[Event]:
    """Events with every field drawn. ``csv_safe`` keeps article ids free of ``;`` and
    non-empty; ``located`` forces coordinates on (True) or off (False)."""
    hints = typing.get_type_hints(Event)
    fields: dict[str, st.SearchStrategy] = {}
    for f in dataclasses.fields(Event):
        hint = hints[f.name]
        if f.name == "article_ids":
            ident = (st.text(min_size=1, max_size=8).filter(lambda s: ";" not in s)
                     if csv_safe else TEXT)
            fields[f.name] = st.lists(ident, max_size=3).map(tuple)
        elif f.name == "evidence":
            fields[f.name] = st.lists(evidence(), max_size=3).map(tuple)
        elif f.name == "event_date":
            fields[f.name] = st.none() | DATES
        elif f.name in ("latitude", "longitude"):
            coordinate = LATITUDE if f.name == "latitude" else LONGITUDE
            fields[f.name] = {True: coordinate, False: st.none()}.get(
                located, st.none() | coordinate)  # type: ignore[arg-type]
        else:
            fields[f.name] = _scalar(hint, csv_safe=csv_safe)
    return st.builds(Event, **fields)


def make_event(**changes: typing.Any) -> Event:
    """A plain hand-built event; keyword arguments override its fields."""
    base = dict(event_id_cnty="IRQ1", event_date="2016-11-06", year=2016, time_precision=1,
                disorder_type="Political violence", event_type="Battles",
                sub_event_type="Armed clash", actor1="Military Forces of Iraq (2014-)")
    base.update(changes)
    return Event(**base)
