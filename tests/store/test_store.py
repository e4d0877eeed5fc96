"""The dataset store on both backends: round trips, filters, ids, ledger, log."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rearguard.errors import StoreError
from rearguard.store import Store, open_store
from rearguard.types import Article, ControlChange, Event, Evidence

# PostgreSQL TEXT cannot hold NUL, and no UTF-8 text holds lone surrogates.
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=30)
FLOAT = st.floats(allow_nan=False, allow_infinity=False)
INT = st.integers(-(2**62), 2**62)
EVIDENCE = st.builds(Evidence, field=TEXT, text=st.text(max_size=20), start=INT, end=INT)


def event(event_id: str = "IRQ1", **fields) -> Event:
    base = dict(event_date="2016-10-20", year=2016, time_precision=1,
                disorder_type="Political violence", event_type="Battles",
                sub_event_type="Armed clash", actor1="Islamic State (Iraq)")
    base.update(fields)
    return Event(event_id_cnty=event_id, **base)


EVENTS = st.builds(
    Event,
    event_id_cnty=TEXT.filter(bool),
    event_date=st.none() | st.dates().map(str),
    year=st.none() | INT,
    time_precision=st.none() | st.integers(1, 3),
    disorder_type=TEXT, event_type=TEXT, sub_event_type=TEXT, actor1=TEXT,
    assoc_actor_1=TEXT, inter1=st.none() | INT, actor2=TEXT, notes=TEXT, location=TEXT,
    iso=st.none() | INT, latitude=st.none() | st.floats(-90, 90),
    longitude=st.none() | st.floats(-180, 180),
    geo_precision=st.none() | st.integers(1, 3), fatalities=INT, timestamp=INT,
    rear_area=st.booleans(), rear_area_reason=TEXT, front=TEXT,
    front_distance_km=st.none() | FLOAT, confidence=FLOAT,
    # ids are read through rearguard.io.normalise_text (no NUL) and are keys of
    # event_articles, a TEXT column
    article_ids=st.lists(st.text(st.characters(blacklist_categories=("Cs",),
                                               blacklist_characters="\x00"), max_size=12),
                         max_size=4).map(tuple),
    evidence=st.lists(EVIDENCE, max_size=3).map(tuple),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EVENTS)
def test_event_round_trip(store: Store, ev: Event) -> None:
    store.put_event(ev)
    back = store.get_event(ev.event_id_cnty)
    assert back == ev
    assert [type(getattr(back, f.name)) for f in dataclasses.fields(Event)] == \
        [type(getattr(ev, f.name)) for f in dataclasses.fields(Event)]


@pytest.mark.parametrize("latitude, longitude", [
    (1e300, 10.0), (33.0, -181.0), (float("nan"), 44.0), (91.0, None),
])
def test_a_point_off_the_globe_is_refused_and_nothing_is_lost(store: Store, latitude,
                                                               longitude) -> None:
    """PostgreSQL's cell index overflowed on latitude 1e300 (E708); on both backends such
    a point is a clear E716 and the stored event stays as it was."""
    store.put_event(event(fatalities=2, latitude=33.0, longitude=44.0))
    with pytest.raises(StoreError) as caught:
        store.put_event(event(fatalities=9, latitude=latitude, longitude=longitude))
    assert caught.value.code == "E716" and "\n" not in caught.value.message
    kept = store.get_event("IRQ1")
    assert kept is not None and (kept.fatalities, kept.latitude) == (2, 33.0)


def test_put_replaces_and_delete(store: Store) -> None:
    store.put_event(event(fatalities=1))
    store.put_event(event(fatalities=4, article_ids=("a", "b")))
    assert store.count("events") == 1
    assert store.get_event("IRQ1").fatalities == 4
    store.delete_event("IRQ1")
    assert store.get_event("IRQ1") is None and store.count("events") == 0
    assert store.backend in ("sqlite", "postgresql")


def test_filters(store: Store) -> None:
    store.put_event(event("IRQ3", event_date="2016-10-21", country="Iraq", admin1="Nineveh",
                          latitude=36.34, longitude=43.13, actor2="Military Forces of Iraq"))
    store.put_event(event("IRQ2", event_date="2016-10-20", country="Iraq", admin1="Anbar",
                          latitude=33.4, longitude=43.3, assoc_actor_1="Ḥashd al-Shaʿbī",
                          event_type="Explosions/Remote violence"))
    store.put_event(event("SYR1", event_date="2016-09-01", country="Syria", admin1="Raqqa",
                          latitude=35.95, longitude=39.01, actor1="SDF 100%_x"))
    store.put_event(event("AFG1", event_date=None, country="Afghanistan"))

    def ids(**kw):
        return [e.event_id_cnty for e in store.events(**kw)]

    assert ids() == ["SYR1", "IRQ2", "IRQ3", "AFG1"]
    assert ids(country="iraq") == ["IRQ2", "IRQ3"]
    assert ids(admin1="Nineveh") == ["IRQ3"]
    assert ids(since="2016-10-20", until="2016-10-20") == ["IRQ2"]
    assert ids(since="2016-10-01") == ["IRQ2", "IRQ3"]
    assert ids(event_type="explosions/remote violence") == ["IRQ2"]
    assert ids(actor="military forces") == ["IRQ3"]
    assert ids(actor="ḤASHD") == ["IRQ2"]  # unicode case folding on both backends
    assert ids(actor="100%_") == ["SYR1"]
    assert ids(actor="0%x") == []  # % and _ are literal
    assert ids(bbox=(42.0, 33.0, 44.0, 37.0)) == ["IRQ2", "IRQ3"]
    assert ids(bbox=(42.0, 33.0, 44.0, 37.0), admin1="anbar") == ["IRQ2"]
    assert ids(bbox=(179.0, -10.0, -179.0, 10.0)) == []  # across the antimeridian
    with pytest.raises(StoreError, match=r"^\[E709\]"):
        list(store.events(bbox=(1, 5, 2, 4)))


def test_events_near(store: Store) -> None:
    store.put_event(event("IRQ1", latitude=35.50, longitude=43.26))  # ~0 km
    store.put_event(event("IRQ2", latitude=35.60, longitude=43.26))  # ~11 km north
    store.put_event(event("IRQ3", latitude=35.50, longitude=43.50))  # ~22 km east
    store.put_event(event("IRQ4", latitude=35.50, longitude=43.26, event_date="2016-11-30"))
    store.put_event(event("IRQ5", latitude=None, longitude=None))
    near = store.events_near(latitude=35.5, longitude=43.26, km=15,
                             date_from="2016-10-15", date_to="2016-10-20")
    assert [e.event_id_cnty for e in near] == ["IRQ1", "IRQ2"]
    # The box prefilter is not a circle: a corner point 20 km off on each axis is out.
    store.put_event(event("IRQ6", latitude=35.5 + 0.18, longitude=43.26 + 0.22))
    near = store.events_near(latitude=35.5, longitude=43.26, km=25,
                             date_from="2016-10-20", date_to="2016-10-20")
    assert [e.event_id_cnty for e in near] == ["IRQ1", "IRQ2", "IRQ3"]
    with pytest.raises(StoreError, match=r"^\[E712\]"):
        store.events_near(latitude=0, longitude=0, km=-1, date_from="a", date_to="b")


def test_events_near_poles_and_antimeridian(store: Store) -> None:
    store.put_event(event("FJI1", latitude=-17.0, longitude=179.99))
    store.put_event(event("ATA1", latitude=89.99, longitude=-120.0))
    found = store.events_near(latitude=-17.0, longitude=-179.99, km=5,
                              date_from="2016-01-01", date_to="2016-12-31")
    assert [e.event_id_cnty for e in found] == ["FJI1"]
    found = store.events_near(latitude=89.99, longitude=60.0, km=5,
                              date_from="2016-01-01", date_to="2016-12-31")
    assert [e.event_id_cnty for e in found] == ["ATA1"]


def test_next_event_number_never_reused(store: Store) -> None:
    numbers = [store.next_event_number("IRQ") for _ in range(3)]
    assert numbers == [1, 2, 3]
    store.put_event(event(f"IRQ{numbers[-1]}"))
    store.delete_event(f"IRQ{numbers[-1]}")
    assert store.next_event_number("irq") == 4
    assert store.next_event_number("SYR") == 1
    store.put_event(event("SYR120"))  # an imported ACLED id moves the counter past it
    assert store.next_event_number("SYR") == 121
    with pytest.raises(StoreError, match=r"^\[E710\]"):
        store.next_event_number("  ")


def test_next_event_number_survives_reopen(store_url: str) -> None:
    with open_store(store_url) as first:
        assert first.next_event_number("IRQ") == 1
    with open_store(store_url) as second:
        assert second.next_event_number("IRQ") == 2


def test_articles(store: Store) -> None:
    first = Article("a1", "Text ☃", published="2016-10-20", title="T", url="http://x/1",
                    source="AP")
    assert store.add_article(first) is True
    assert store.add_article(first) is False
    assert store.add_article(Article("a2", "other", url="http://x/1")) is False
    assert store.add_article(Article("a3", "no url")) is True
    assert store.add_article(Article("a4", "no url either")) is True
    assert store.has_article("a1") and not store.has_article("a2")
    assert store.article_id_for_url("http://x/1") == "a1"
    assert store.article_id_for_url("http://x/2") is None
    assert next(iter(store.articles())) == first
    assert store.count("articles") == 3
    with pytest.raises(StoreError, match=r"^\[E706\]"):
        store.count("nope")


def _control(**fields) -> ControlChange:
    base = dict(place="Ash Sharqāt", geonameid=94787, latitude=35.51, longitude=43.23,
                country="Iraq", admin1="Salah ad Din", holder="Military Forces of Iraq",
                previous_holder="Islamic State (Iraq)", date="2016-09-22", date_precision=1,
                kind="retaken", confidence=0.9, article_id="a1",
                evidence=(Evidence("holder", "Iraqi forces", 0, 12),))
    base.update(fields)
    return ControlChange(**base)


def test_control_ledger(store: Store) -> None:
    record = _control()
    assert store.add_control(record) is True
    assert store.add_control(dataclasses.replace(record, confidence=0.5)) is False
    assert store.add_control(_control(kind="captured", holder="Islamic State (Iraq)",
                                      previous_holder="", date="2014-06-10")) is True
    assert store.add_control(_control(place="Mosul", geonameid=99072, latitude=36.34,
                                      longitude=43.13, date=None, held_days=3)) is True
    assert store.count("control") == 3
    by_name = store.control(place="ASH SHARQĀT")
    assert [r.date for r in by_name] == ["2014-06-10", "2016-09-22"]
    assert by_name[1] == record
    assert [r.kind for r in store.control(place="al-Sharqat")] == ["captured", "retaken"]
    assert len(store.control(place="Shirqat")) == 2  # transliteration variant
    assert store.control(place="Baghdad") == []
    near = store.control(latitude=35.45, longitude=43.25, km=10)
    assert [r.place for r in near] == ["Ash Sharqāt", "Ash Sharqāt"]
    assert [r.place for r in store.control(latitude=35.45, longitude=43.25, km=120)] == \
        ["Ash Sharqāt", "Ash Sharqāt", "Mosul"]  # undated last
    assert store.control(place="Mosul", latitude=35.45, longitude=43.25, km=10) == []
    assert len(store.control()) == 3


def test_control_without_coordinates(store: Store) -> None:
    record = _control(geonameid=None, latitude=None, longitude=None, place="Hīt")
    assert store.add_control(record) and not store.add_control(record)
    assert store.control(place="hit") == [record]
    assert store.control(latitude=33.6, longitude=42.8) == []


def test_history(store: Store) -> None:
    store.log("IRQ1", "created", "from article a1", "a1")
    store.log("IRQ2", "created", "from article a2", "a2")
    store.log("IRQ1", "merged", "IRQ2 merged into it: same place and day")
    store.log("IRQ2", "deleted", "merged into IRQ1", "a2")
    rows = store.history("IRQ1")
    assert [(r["action"], r["article_id"]) for r in rows] == [("created", "a1"),
                                                              ("merged", None)]
    assert set(rows[0]) == {"event_id", "action", "detail", "article_id", "at"}
    assert rows[0]["at"] <= rows[1]["at"]
    assert [r["event_id"] for r in store.history()] == ["IRQ1", "IRQ2", "IRQ1", "IRQ2"]
    with pytest.raises(StoreError, match=r"^\[E707\]"):
        store.log("IRQ1", "renamed", "x")


def test_transaction_rolls_back_and_nests(store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add_article(Article("a1", "x"))
            with store.transaction():
                store.put_event(event())
            raise RuntimeError("boom")
    assert store.count("articles") == 0 and store.count("events") == 0
    with store.transaction():
        store.add_article(Article("a1", "x"))
        with store.transaction():
            store.put_event(event())
    assert store.count("articles") == 1 and store.count("events") == 1
    # An inner failure that the outer block swallows still rolls the unit back.
    with pytest.raises(StoreError, match=r"^\[E711\]"):
        with store.transaction():
            store.add_article(Article("a2", "y"))
            try:
                with store.transaction():
                    raise ValueError("bad record")
            except ValueError:
                pass
    assert store.count("articles") == 1
    assert store.add_article(Article("a3", "z"))  # the store is usable afterwards
