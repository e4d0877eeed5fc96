"""``rearguard eval control``: date-at-precision, the record matcher and the flag finder on
hand-made records, loading expected.json (the shipped one and broken ones), the scorer on
a fake extractor, and a smoke run of the command on the seed (table shape only: the
quality of the extraction is the control stage's golden tests' business)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rearguard.actors import normalise_actor
from rearguard.cli import cli
from rearguard.errors import EvalDataError
from rearguard.eval.control import (
    KINDS,
    ExpectedControl,
    ExpectedFlag,
    control_matches,
    date_matches,
    default_golden_dir,
    distance_km,
    evaluate_control,
    find_flag_event,
    format_table,
    holder_matches,
    kind_matches,
    load_golden,
    match_control,
    parse_precision,
    score_control,
    score_flags,
    select_reports,
)
from rearguard.types import (
    TIME_DAY,
    TIME_MONTH,
    TIME_WEEK,
    Article,
    ControlChange,
    Event,
    Extraction,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "000_1444002c944f9f67.txt"

SHIRQAT = (35.51722, 43.22806)
RUTBA = (33.03718, 40.28586)
SLOVIANSK = (48.84974, 37.59739)
KRAMATORSK = (48.73106, 37.56779)


def _found(place: str = "Ash Sharqāt", at: tuple[float, float] | None = SHIRQAT,
           holder: str = "Military Forces of Iraq", date: str | None = "2016-09-15",
           precision: int | None = TIME_MONTH, kind: str = "retaken",
           extent: str = "full") -> ControlChange:
    lat, lon = at if at is not None else (None, None)
    return ControlChange(place=place, geonameid=None, latitude=lat, longitude=lon,
                         country="Iraq", admin1="", holder=holder, previous_holder="",
                         date=date, date_precision=precision, kind=kind, extent=extent)


def _expected(place: str = "Shirqat", at: tuple[float, float] = SHIRQAT,
              holder: str = "Military Forces of Iraq", date: str | None = "2016-09",
              precision: int = TIME_MONTH, kind: str = "retaken") -> ExpectedControl:
    return ExpectedControl(place=place, latitude=at[0], longitude=at[1], holder=holder,
                           date=date, date_precision=precision, kind=kind)


def _event(at: tuple[float, float] | None = SHIRQAT, date: str | None = "2016-11-06",
           precision: int | None = TIME_DAY, rear: bool = True,
           location: str = "Ash Sharqāt") -> Event:
    lat, lon = at if at is not None else (None, None)
    return Event(event_id_cnty="IRQ1", event_date=date, year=None, time_precision=precision,
                 disorder_type="Political violence", event_type="Battles",
                 sub_event_type="Armed clash", actor1="Islamic State (Iraq)",
                 location=location, latitude=lat, longitude=lon, rear_area=rear)


def _flag(at: tuple[float, float] = SHIRQAT, date: str = "2016-11-06",
          rear: bool = True) -> ExpectedFlag:
    return ExpectedFlag(place="Shirqat", latitude=at[0], longitude=at[1], date=date,
                        rear_area=rear)


def _moved(at: tuple[float, float], km_north: float) -> tuple[float, float]:
    return at[0] + km_north / 111.195, at[1]


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize(("expected", "precision", "found", "ok"), [
    ("2016-11-06", TIME_DAY, "2016-11-06", True),
    ("2016-11-06", TIME_DAY, "2016-11-05", False),
    ("2016-10-17", TIME_WEEK, "2016-10-24", True),   # 7 days: still the week
    ("2016-10-17", TIME_WEEK, "2016-10-10", True),
    ("2016-10-17", TIME_WEEK, "2016-10-25", False),  # 8 days
    ("2016-10-20", TIME_WEEK, "2016-10-17", True),
    ("2016-09", TIME_MONTH, "2016-09-15", True),
    ("2016-09", TIME_MONTH, "2016-09-30", True),
    ("2016-09-15", TIME_MONTH, "2016-09-01", True),
    ("2016-09", TIME_MONTH, "2016-10-01", False),
    ("2016-09", TIME_MONTH, "2015-09-15", False),
    (None, TIME_DAY, "1999-01-01", True),            # any date
    (None, TIME_DAY, None, True),
    ("2016-11-06", TIME_DAY, None, False),
    ("2016-11-06", TIME_WEEK, "", False),
])
def test_date_matches_at_the_expected_precision(expected, precision, found, ok) -> None:
    assert date_matches(expected, precision, found) is ok


def test_parse_precision_names_and_codes() -> None:
    names = ("day", "Week", "month", 1, 2, 3)
    assert [parse_precision(x, "t") for x in names] == [1, 2, 3, 1, 2, 3]
    for bad in ("year", 4, True, None):
        with pytest.raises(ValueError):
            parse_precision(bad, "t")


# ----------------------------------------------------------------------------- matching


def test_holder_and_kind_rules() -> None:
    assert holder_matches("Military Forces of Iraq", "  military forces  of IRAQ ")
    assert not holder_matches("Military Forces of Iraq", "Islamic State (Iraq)")
    assert holder_matches("", "anyone") and holder_matches("", "")
    assert not holder_matches("Taliban", "")
    assert kind_matches("retaken", "liberated") and kind_matches("liberated", "retaken")
    assert kind_matches("captured", "Captured")
    assert not kind_matches("captured", "claimed")
    assert not kind_matches("captured", "retaken")
    assert not kind_matches("held", "captured")


def test_place_within_25_km() -> None:
    assert control_matches(_expected(), _found(at=_moved(SHIRQAT, 24)))
    assert not control_matches(_expected(), _found(at=_moved(SHIRQAT, 26)))
    assert not control_matches(_expected(), _found(at=None))
    assert distance_km(*SLOVIANSK, *KRAMATORSK) < 25  # close enough to be confused


def test_every_criterion_counts() -> None:
    assert control_matches(_expected(), _found())
    assert not control_matches(_expected(), _found(holder="Islamic State (Iraq)"))
    assert not control_matches(_expected(), _found(kind="captured"))
    assert control_matches(_expected(), _found(kind="liberated"))
    assert not control_matches(_expected(), _found(date="2016-10-15"))
    assert not control_matches(_expected(), _found(date=None))
    assert control_matches(_expected(holder="", date=None), _found(holder="x", date=None))
    # the found record's own precision is not what is compared: the expected one is
    assert control_matches(_expected(date="2016-10-17", precision=TIME_WEEK),
                           _found(date="2016-10-20", precision=TIME_DAY))


def test_matching_is_one_to_one_and_nearest_first() -> None:
    sloviansk = _expected("Sloviansk", SLOVIANSK, "Military Forces of Ukraine", "2014-07-05",
                          TIME_DAY)
    kramatorsk = _expected("Kramatorsk", KRAMATORSK, "Military Forces of Ukraine",
                           "2014-07-05", TIME_DAY)
    found_k = _found("Kramatorsk", KRAMATORSK, "Military Forces of Ukraine", "2014-07-05",
                     TIME_DAY)
    found_s = _found("Slovyansk", SLOVIANSK, "Military Forces of Ukraine", "2014-07-05",
                     TIME_DAY)
    # found Kramatorsk first: in document order it would take Sloviansk; nearest-first not
    assert match_control([sloviansk, kramatorsk], [found_k, found_s]) == [(0, 1), (1, 0)]
    # one found record serves one expected record only
    assert match_control([sloviansk, kramatorsk], [found_s]) == [(0, 0)]
    # a repeated found record is spurious
    assert match_control([sloviansk], [found_s, found_s]) == [(0, 0)]


def test_closest_date_wins_a_tie_on_place() -> None:
    rutba_taken = _expected("Rutba", RUTBA, "Islamic State (Iraq)", "2016-10-17", TIME_WEEK,
                            "captured")
    early = _found("Ar Ruţbah", RUTBA, "Islamic State (Iraq)", "2016-10-22", TIME_WEEK,
                   "captured")
    exact = _found("Ar Ruţbah", RUTBA, "Islamic State (Iraq)", "2016-10-17", TIME_WEEK,
                   "captured")
    assert match_control([rutba_taken], [early, exact]) == [(0, 1)]


def test_score_control_counts() -> None:
    expected = [
        _expected(),
        _expected("Rutba", RUTBA, "Islamic State (Iraq)", "2016-10-17", TIME_WEEK, "captured"),
        _expected("Rutba", RUTBA, "Military Forces of Iraq", "2016-10-20", TIME_WEEK, "retaken"),
    ]
    found = [
        _found(),
        _found("Ar Ruţbah", RUTBA, "Islamic State (Iraq)", "2016-10-18", TIME_WEEK, "captured"),
        _found("Ar Ruţbah", RUTBA, "Military Forces of Iraq", "2016-11-06", TIME_DAY, "retaken"),
        _found(kind="contested", holder="", date="2016-11-06", precision=TIME_DAY),
    ]
    score = score_control(expected, found)
    assert (score["expected"], score["found"], score["matched"]) == (3, 4, 2)
    assert score["precision"] == pytest.approx(0.5)
    assert score["recall"] == pytest.approx(2 / 3)
    assert score["pairs"] == [[0, 0], [1, 1]]
    assert score["missed"] == [2] and score["spurious"] == [2, 3]
    empty = score_control(expected, [])
    assert empty["found"] == 0 and empty["precision"] is None and empty["recall"] == 0.0
    none = score_control([], found)
    assert none["recall"] is None and none["precision"] == 0.0


# ----------------------------------------------------------------------------- flags


def test_flag_event_same_place_and_date_at_the_events_precision() -> None:
    events = [
        _event(at=_moved(SHIRQAT, 30)),                      # too far
        _event(date="2016-11-05"),                           # another day
        _event(rear=False, location="the right one"),
    ]
    assert find_flag_event(_flag(), events) == 2
    week = _event(date="2016-11-02", precision=TIME_WEEK)
    month = _event(date="2016-11-15", precision=TIME_MONTH)
    assert find_flag_event(_flag(), [week]) == 0
    assert find_flag_event(_flag(date="2016-11-10"), [week]) is None
    assert find_flag_event(_flag(), [month]) == 0
    assert find_flag_event(_flag(), [_event(at=None)]) is None
    # the nearest of two events on the day
    near = _event(at=_moved(SHIRQAT, 2))
    far = _event(at=_moved(SHIRQAT, 20))
    assert find_flag_event(_flag(), [far, near]) == 1
    # no precision is taken as day precision
    assert find_flag_event(_flag(), [_event(precision=None)]) == 0


def test_score_flags() -> None:
    flags = [_flag(rear=True), _flag(at=RUTBA, date="2016-10-17", rear=False),
             _flag(date="2016-09-15", rear=False)]
    events = [_event(rear=True), _event(at=RUTBA, date="2016-10-17", precision=TIME_WEEK,
                                        rear=True)]
    score = score_flags(flags, events)
    assert (score["expected"], score["located"], score["correct"]) == (3, 2, 1)
    assert score["accuracy"] == pytest.approx(1 / 3)
    assert [d["event"] for d in score["details"]] == [0, 1, None]
    assert [d["rear_area"] for d in score["details"]] == [True, True, None]
    assert score_flags([], events)["accuracy"] is None


# ----------------------------------------------------------------------------- loading


def test_shipped_expectations_load_and_use_rearguards_names() -> None:
    reports = load_golden()
    names = [r.name for r in reports]
    assert names[0] == "seed-shirqat" and len(names) == len(set(names)) >= 6
    assert reports[0].path == SEED.resolve()
    for report in reports:
        assert report.published and report.control and report.rear_area
        if report.name != "seed-shirqat":
            assert report.path.is_file(), report.path
        for record in report.control:
            assert record.kind in KINDS
            if record.holder:
                actor = normalise_actor(record.holder)
                assert actor is not None and actor.name == record.holder, record.holder
    flags = [f.rear_area for r in reports for f in r.rear_area]
    assert True in flags and False in flags
    seed = reports[0]
    assert [(c.kind, c.holder, c.date, c.date_precision) for c in seed.control] == [
        ("retaken", "Military Forces of Iraq", "2016-09", TIME_MONTH),
        ("captured", "Islamic State (Iraq)", "2016-10-17", TIME_WEEK),
        ("retaken", "Military Forces of Iraq", "2016-10-20", TIME_WEEK),
        ("claimed", "Islamic State (Iraq)", "2016-11-06", TIME_DAY),
    ]
    assert seed.control[3].extent == "partial"
    assert (seed.rear_area[0].date, seed.rear_area[0].rear_area) == ("2016-11-06", True)


def test_the_seed_text_is_not_copied_into_the_golden_folder() -> None:
    if not SEED.is_file():
        pytest.skip("../shared/seed is not beside the checkout")
    opening = SEED.read_text(encoding="utf-8")[:80]
    for path in default_golden_dir().iterdir():
        assert opening not in path.read_text(encoding="utf-8"), path


def _write(folder: Path, data: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else json.dumps(data)
    (folder / "expected.json").write_text(text, encoding="utf-8")
    return folder


def _report(**overrides) -> dict:
    report = {
        "name": "r1", "file": "r1.txt", "published": "2016-11-06",
        "control": [{"place": "Shirqat", "lat": SHIRQAT[0], "lon": SHIRQAT[1],
                     "holder": "Military Forces of Iraq", "date": "2016-09",
                     "date_precision": "month", "kind": "retaken"}],
        "rear_area": [{"place": "Shirqat", "lat": SHIRQAT[0], "lon": SHIRQAT[1],
                       "date": "2016-11-06", "rear_area": True}],
    }
    report.update(overrides)
    return report


def test_load_reads_paths_relative_to_the_folder(tmp_path: Path) -> None:
    folder = _write(tmp_path / "g", {"reports": [_report()]})
    (report,) = load_golden(folder)
    assert report.path == (folder / "r1.txt").resolve()
    assert report.control[0].date_precision == TIME_MONTH
    assert load_golden(folder / "expected.json")[0].name == "r1"


@pytest.mark.parametrize(("data", "words"), [
    ("{not json", "not valid"),
    ({"reports": {}}, "reports"),
    ({"reports": [_report(published=None)]}, "published"),
    ({"reports": [_report(published="6 Nov 2016")]}, "YYYY-MM-DD"),
    ({"reports": [_report(control=[{**_report()["control"][0], "kind": "overran"}])]}, "kind"),
    ({"reports": [_report(control=[{**_report()["control"][0], "date_precision": "year"}])]},
     "date_precision"),
    ({"reports": [_report(control=[{**_report()["control"][0], "date": "2016-09",
                                    "date_precision": "day"}])]}, "YYYY-MM-DD"),
    ({"reports": [_report(control=[{**_report()["control"][0], "lat": "35"}])]}, "lat"),
    ({"reports": [_report(rear_area=[{**_report()["rear_area"][0], "rear_area": "yes"}])]},
     "rear_area"),
    ({"reports": [_report(), _report()]}, "twice"),
])
def test_bad_expectations_are_e532(tmp_path: Path, data, words: str) -> None:
    folder = _write(tmp_path / "g", data)
    with pytest.raises(EvalDataError) as info:
        load_golden(folder)
    assert info.value.code == "E532" and words in info.value.message


def test_missing_folder_and_unknown_report(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError) as info:
        load_golden(tmp_path / "nowhere")
    assert info.value.code == "E531"
    reports = load_golden(_write(tmp_path / "g", {"reports": [_report()]}))
    assert select_reports(reports, ()) == reports
    with pytest.raises(EvalDataError) as info:
        select_reports(reports, ["r2"])
    assert info.value.code == "E533" and "r1" in info.value.message


# ----------------------------------------------------------------------------- scoring


def test_evaluate_on_a_fake_extractor(tmp_path: Path) -> None:
    folder = _write(tmp_path / "g", {"reports": [
        _report(),
        _report(name="gone", file="gone.txt"),
        _report(name="r2", file="r2.txt", control=[], rear_area=[]),
    ]})
    (folder / "r1.txt").write_text("Shirqat was retaken in September.", encoding="utf-8")
    (folder / "r2.txt").write_text("Nothing happened.", encoding="utf-8")
    seen: list[Article] = []

    def fake(article: Article, *, settings=None) -> Extraction:
        seen.append(article)
        if article.id == "r1":
            return Extraction(article, events=(_event(rear=False),),
                              control=(_found(), _found(kind="held")))
        return Extraction(article)

    results = evaluate_control(data_dir=folder, extractor=fake)
    assert [a.id for a in seen] == ["r1", "r2"]
    assert seen[0].published == "2016-11-06"
    assert list(results["reports"]) == ["r1", "r2"]
    assert [s["name"] for s in results["skipped"]] == ["gone"]
    r1 = results["reports"]["r1"]
    assert (r1["control"]["matched"], r1["control"]["found"]) == (1, 2)
    assert (r1["flags"]["located"], r1["flags"]["correct"]) == (1, 0)
    assert r1["expected_flags"][0]["event"]["rear_area"] is False
    total = results["total"]
    assert (total["expected"], total["found"], total["matched"]) == (1, 2, 1)
    assert total["precision"] == pytest.approx(0.5) and total["recall"] == 1.0
    assert (total["flags"], total["located"], total["correct"]) == (1, 1, 0)
    json.dumps(results)  # --json must be able to print it

    table = format_table(results, details=True).splitlines()
    assert table[0].startswith("| report | published | expected | found | matched |")
    assert table[2].startswith("| r1 | 2016-11-06 | 1 | 2 | 1 | 50.0 | 100.0 | 1 | 1 | 0 |")
    assert table[3].startswith("| r2 | 2016-11-06 | 0 | 0 | 0 | – | – | 0 | 0 | 0 |")
    assert table[4].startswith("| **total** |")
    assert any(line.startswith("skipped gone:") for line in table)
    assert "| found only | Ash Sharqāt | held |" in "\n".join(table)

    only = evaluate_control(data_dir=folder, extractor=fake, only=["r2"])
    assert list(only["reports"]) == ["r2"]


def test_no_extractor_is_loaded_when_every_text_is_missing(tmp_path: Path) -> None:
    folder = _write(tmp_path / "g", {"reports": [_report(file="absent.txt")]})
    results = evaluate_control(data_dir=folder)  # would import spaCy otherwise
    assert results["reports"] == {} and results["total"]["expected"] == 0


# ----------------------------------------------------------------------------- command


def test_command_on_the_seed_prints_one_row_and_a_total(settings, shared_dir) -> None:
    if not SEED.is_file():
        pytest.skip("the seed report is not in ../shared/seed")
    args = ["--gazetteer", str(settings.gazetteer_path), "eval", "control",
            "--report", "seed-shirqat"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("|")]
    assert len(lines) == 4  # header, rule, the seed, total
    assert all(line.count("|") == 11 for line in lines)
    assert lines[2].startswith("| seed-shirqat | 2016-11-06 | 4 | ")
    assert lines[2].split("|")[8].strip() == "2"  # rear-area flags expected
    assert lines[3].startswith("| **total** |")
    assert "total: 1 reports" in result.output

    result = CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False)
    data = json.loads(result.output)
    assert list(data["reports"]) == ["seed-shirqat"]
    row = data["reports"]["seed-shirqat"]
    assert row["control"]["expected"] == 4 and row["flags"]["expected"] == 2
    assert row["control"]["matched"] <= min(row["control"]["found"], 4)


def test_command_reports_unknown_names_in_one_line() -> None:
    result = CliRunner().invoke(cli, ["eval", "control", "--report", "atlantis"])
    assert result.exit_code == 1
    assert "[E533]" in result.output and "seed-shirqat" in result.output
