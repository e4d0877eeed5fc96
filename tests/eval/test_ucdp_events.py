"""``rearguard eval ucdp-events``: the side mapping, the report splitting, the scoring
arithmetic on hand-made records, and a short run on real rows of ../shared."""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from rearguard.cli import cli
from rearguard.errors import EvalDataError, InputError
from rearguard.eval.ucdp_events import (
    BACKGROUND,
    NAMED_ELSEWHERE,
    NO_ARMED_SIDE,
    NO_INCIDENT,
    NO_PLACE,
    NO_TRIGGER,
    NOT_CODED,
    NOT_NEWS,
    OTHER_PLACE,
    OTHER_TOWN,
    REGION,
    TOLL,
    UNPLACED,
    Diagnosis,
    GedRow,
    Reading,
    Report,
    actors_agree,
    article_for,
    choose,
    evaluate_ucdp_events,
    far_cause,
    fold_name,
    format_misses,
    format_table,
    in_window,
    is_news,
    names_place,
    one_side_agrees,
    read_reports,
    score_report,
    side_matches,
    split_reports,
    tally,
    type_agrees,
)
from rearguard.types import Event, Place

ROOT = Path(__file__).resolve().parents[2]

# ------------------------------------------------------------------ the side mapping


@pytest.mark.parametrize(("side", "actor"), [
    ("Government of Syria", "Military Forces of Syria"),
    ("Government of Syria", "Military Forces of Syria (2000-)"),
    ("Government of Syria", "Police Forces of Syria"),
    ("Government of Syria", "Military Forces of Russia"),  # GED: Russia's strikes
    ("Government of Syria", "Hezbollah"),
    ("Government of Turkey", "Military Forces of Turkey"),
    ("Government of United States of America", "Military Forces of the United States"),
    ("IS", "Islamic State (Syria)"),
    ("IS", "Islamic State"),
    ("SDF", "SDF: Syrian Democratic Forces"),
    ("SDF", "YPG: People's Protection Units"),
    ("Syrian insurgents", "Opposition Rebels (Syria)"),
    ("Syrian insurgents", "Hayat Tahrir al-Sham"),
    ("HTS", "Hayat Tahrir al-Sham"),
    ("Ahrar al-Sham, HTS, Southern Front", "Free Syrian Army"),  # a coalition, loosely
    ("Civilians", "Civilians (Syria)"),
    ("NDF (Syria)", "Military Forces of Syria"),
])
def test_sides_map_to_acled_actors(side: str, actor: str) -> None:
    assert side_matches(side, actor)


@pytest.mark.parametrize(("side", "actor"), [
    ("Government of Syria", "Military Forces of Turkey"),
    ("Government of Syria", "Unidentified Armed Group (Syria)"),
    ("Government of Turkey", "Military Forces of Syria"),
    ("IS", "Opposition Rebels (Syria)"),
    ("SDF", "Syrian National Army"),
    ("Syrian insurgents", "Islamic State (Syria)"),
    ("Syrian insurgents", "SDF: Syrian Democratic Forces"),
    ("Syrian insurgents", "Unidentified Armed Group (Syria)"),
    ("Civilians", "Military Forces of Syria"),
    ("IS", ""),
    ("", "Islamic State (Syria)"),
])
def test_sides_do_not_map_to_other_actors(side: str, actor: str) -> None:
    assert not side_matches(side, actor)


def _actor_rows() -> list[list[str]]:
    path = ROOT / "rearguard" / "data" / "actors.tsv"
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def test_every_syrian_rebel_name_rearguard_gives_is_an_insurgent() -> None:
    """The opposition list stays in step with actors.tsv: each Syrian rebel group
    rearguard can name (but the SDF and YPG, a side of their own) is a Syrian insurgent,
    and every Syrian state name is the government's."""
    rebels = {r[1] for r in _actor_rows() if len(r) > 4 and r[4] == "rebel"
              and (r[3] == "SY" or "SY" in (r[5] if len(r) > 5 else "").split("|"))}
    assert "Opposition Rebels (Syria)" in rebels
    for name in rebels:
        kurdish = name.startswith(("SDF", "YPG"))
        assert side_matches("Syrian insurgents", name) != kurdish, name
        assert side_matches("SDF", name) == kurdish, name
    states = {r[1] for r in _actor_rows() if len(r) > 4 and r[3] == "SY" and r[4] == "state"}
    assert states and all(side_matches("Government of Syria", n) for n in states)


def _event(actor1: str = "", actor2: str = "", *, event_type: str = "Battles",
           date: str | None = "2016-05-02", lat: float | None = None,
           lon: float | None = None, precision: int = 1, assoc1: str = "") -> Event:
    return Event(event_id_cnty="SYR1", event_date=date, year=2016, time_precision=1,
                 disorder_type="Political violence", event_type=event_type,
                 sub_event_type="Armed clash", actor1=actor1, actor2=actor2,
                 assoc_actor_1=assoc1, latitude=lat, longitude=lon, geo_precision=precision)


def test_actor_agreement_needs_both_sides_either_way_round() -> None:
    both = _event("Islamic State (Syria)", "Military Forces of Syria")
    assert actors_agree(both, "Government of Syria", "IS")
    assert actors_agree(both, "IS", "Government of Syria")
    assert not actors_agree(both, "Government of Syria", "Syrian insurgents")
    assert one_side_agrees(both, "Government of Syria", "Syrian insurgents")
    one = _event("Unidentified Armed Group (Syria)", "Civilians (Syria)")
    assert not actors_agree(one, "Government of Syria", "Civilians")
    assert one_side_agrees(one, "Government of Syria", "Civilians")
    # an associated actor counts on its actor's side
    assoc = _event("Unidentified Armed Group (Syria)", "SDF: Syrian Democratic Forces",
                   assoc1="Military Forces of Russia")
    assert actors_agree(assoc, "SDF", "Government of Syria")
    # two actors on the same side of the event are not the two sides
    same = _event("Military Forces of Syria", "", assoc1="Islamic State (Syria)")
    assert not actors_agree(same, "Government of Syria", "IS")


# ------------------------------------------------------------------ splitting reports


def test_split_one_report() -> None:
    assert split_reports("Clashes in Aleppo", "2016-01-02", "SOHR") == [
        ("Clashes in Aleppo", "2016-01-02", "SOHR")]


def test_split_pairs_each_headline_with_its_own_date_and_publisher() -> None:
    assert split_reports("Raids on Duma;CS225", "2017-05-10;2017-07-01", "SOHR;Airwars") == [
        ("Raids on Duma", "2017-05-10", "SOHR"), ("CS225", "2017-07-01", "Airwars")]


def test_split_decodes_entities_before_splitting() -> None:
    # "&#8217;" holds a ";" that is no join
    assert split_reports("Warplanes bomb Al-Fu&#8217;ah", "2016-01-16", "SOHR") == [
        ("Warplanes bomb Al-Fu’ah", "2016-01-16", "SOHR")]


def test_split_keeps_a_headlines_own_semicolon() -> None:
    headline = "More than 300 shells target Aleppo; fierce clashes in the city"
    assert split_reports(headline, "2016-07-11", "SOHR") == [(headline, "2016-07-11", "SOHR")]
    joined = "7 casualties; six of them children;135 people were killed yesterday"
    assert split_reports(joined, "2016-07-15;2016-07-16", "SOHR;SOHR") == [
        ("7 casualties; six of them children", "2016-07-15", "SOHR"),
        ("135 people were killed yesterday", "2016-07-16", "SOHR")]


def test_split_falls_back_when_the_counts_never_agree() -> None:
    # three headlines, two dates: the last date serves the rest, the first publisher all
    assert split_reports("A;B; C ;", "2016-01-01;2016-01-02", "SOHR;Airwars") == [
        ("A", "2016-01-01", "SOHR"), ("B", "2016-01-02", "SOHR"),
        ("C", "2016-01-02", "SOHR")]
    assert split_reports("", "2016-01-01", "SOHR") == []


# ------------------------------------------------------------------ scoring


def _row(*, prec: int | None = 1, lat: float | None = 34.55, lon: float | None = 38.27,
         start: str = "2016-05-01", end: str = "2016-05-01", side_a: str = "Government of Syria",
         side_b: str = "IS", kind: int = 1, where: str = "Tadmur/Palmyra town") -> GedRow:
    return GedRow(id="1", where_prec=prec, where_coordinates=where, latitude=lat,
                  longitude=lon, date_start=start, date_end=end, side_a=side_a,
                  side_b=side_b, type_of_violence=kind)


def test_date_window_and_type() -> None:
    row = _row(start="2016-05-01", end="2016-05-03")
    assert in_window("2016-04-30", row) and in_window("2016-05-04", row)
    assert not in_window("2016-04-29", row) and not in_window("2016-05-05", row)
    assert not in_window(None, row) and not in_window("May 2016", row)
    assert type_agrees(_event(event_type="Explosions/Remote violence"), row)
    assert not type_agrees(_event(event_type="Violence against civilians"), row)
    civilians = _row(kind=3, side_b="Civilians")
    assert type_agrees(_event(event_type="Violence against civilians"), civilians)
    assert not type_agrees(_event(event_type="Battles"), civilians)


def test_score_report_on_hand_made_records() -> None:
    palmyra = _row()  # (34.55, 38.27), 1 May 2016, government v IS
    report = Report("Clashes in Palmyra", "2016-05-02", "SOHR", [palmyra])
    near = _event("Military Forces of Syria", "Islamic State (Syria)", lat=34.56, lon=38.28)
    assert score_report(report, [near]) == {
        "any": True, "place25": True, "place161": True, "date": True, "actors": True,
        "one_side": True, "type": True, "published_in_window": True}
    # Homs, about 150 km west; dated three days late; unnamed attackers on civilians
    far = _event("Unidentified Armed Group (Syria)", "Civilians (Syria)", lat=34.73,
                 lon=36.72, date="2016-05-05", event_type="Violence against civilians")
    assert score_report(report, [far]) == {
        "any": True, "place25": False, "place161": True, "date": False, "actors": False,
        "one_side": False, "type": False, "published_in_window": True}
    # some event agreeing is enough
    assert score_report(report, [far, near])["place25"] is True
    assert score_report(report, []) == {
        "any": False, "place25": False, "place161": False, "date": False, "actors": False,
        "one_side": False, "type": False, "published_in_window": True}
    # a province-level row (where_prec 4) has no place to score
    province = Report("Clashes in Homs", "2016-05-02", "SOHR", [_row(prec=4)])
    assert score_report(province, [near])["place25"] is None


def test_tally_shares_over_the_reports_each_measure_applies_to() -> None:
    scores: list[dict[str, bool | None]] = [
        {"any": True, "place25": True, "place161": True, "date": True, "actors": False,
         "one_side": True, "type": True, "published_in_window": True},
        {"any": True, "place25": None, "place161": None, "date": False, "actors": False,
         "one_side": False, "type": True, "published_in_window": True},
        {"any": False, "place25": False, "place161": False, "date": False, "actors": False,
         "one_side": False, "type": False, "published_in_window": False},
    ]
    result = tally(scores)
    assert result["n"] == 3
    assert result["any"] == {"hits": 2, "n": 3, "share": pytest.approx(2 / 3)}
    assert result["place25"] == {"hits": 1, "n": 2, "share": 0.5}  # None is not scored
    assert result["date"] == {"hits": 1, "n": 3, "share": pytest.approx(1 / 3)}
    assert result["date_given_event"] == {"hits": 1, "n": 2, "share": 0.5}
    assert result["type_given_event"] == {"hits": 2, "n": 2, "share": 1.0}
    assert result["actors"]["share"] == 0.0
    assert tally([])["any"] == {"hits": 0, "n": 0, "share": None}


def test_choose_is_seeded_and_keeps_file_order() -> None:
    reports = [Report(str(i), "2016-01-01", "SOHR") for i in range(50)]
    first = choose(reports, sample=10, seed=7)
    assert [r.headline for r in first] == [r.headline for r in choose(reports, sample=10,
                                                                       seed=7)]
    assert len(first) == 10 and first == sorted(first, key=lambda r: int(r.headline))
    assert first != choose(reports, sample=10, seed=8)
    assert len(choose(reports, sample=10, seed=7, limit=3)) == 3
    assert choose(reports, limit=2) == reports[:2]
    assert choose(reports, sample=500) == reports


# ------------------------------------------------------------------ miss causes


def test_fold_name_and_names_place() -> None:
    assert fold_name("Ḩarf al-Musaytirah") == "harf musaytirah"
    assert fold_name("Ash Shaykh Miskin") == "shaykh miskin"
    rows = [_row(where="Ash Shaykh Miskin town")]
    assert names_place("12 raids on the town of Shaykh Miskin", rows)
    assert not names_place("Clashes around Shekh Meskin", rows)  # spelling only
    assert not names_place("Clashes in Miskinah", rows)


def _place(lat: float, lon: float) -> Place:
    return Place(start=0, end=1, text="x", latitude=lat, longitude=lon)


def test_far_causes() -> None:
    report = Report("Shells on Palmyra and Homs", "2016-05-02", "SOHR", [_row()])
    homs = _event(lat=34.73, lon=36.72)
    province = _event(lat=34.73, lon=36.72, precision=3)
    assert far_cause(report, [homs], [_place(34.73, 36.72), _place(34.56, 38.28)]) \
        == OTHER_PLACE
    assert far_cause(report, [homs], [_place(34.73, 36.72)]) == OTHER_TOWN
    assert far_cause(report, [province], []) == REGION
    named = Report("Shells on Tadmur", "2016-05-02", "SOHR", [_row()])
    assert far_cause(named, [homs], [_place(34.73, 36.72)]) == NAMED_ELSEWHERE



class _FakeDiagnosis(Diagnosis):
    """Reads ``places`` and ``incidents`` (of them ``placed``) in any headline; the
    pipeline with the news filter off finds ``unfiltered``."""

    def __init__(self, places: list[Place], incidents: int, placed: int,
                 unfiltered: tuple[Event, ...]):
        pipeline: Any = SimpleNamespace(settings=SimpleNamespace(news_filter=True))
        unfiltered_pipeline: Any = SimpleNamespace(
            extract=lambda article: SimpleNamespace(events=unfiltered))
        super().__init__(pipeline, unfiltered_pipeline)
        self.reading = Reading(places, incidents, placed)

    def read(self, article: object) -> Reading:
        return self.reading


def _cause(headline: str, *, places: list[Place] | None = None, incidents: int = 1,
           placed: int = 1, unfiltered: tuple[Event, ...] = ()) -> str:
    report = Report(headline, "2016-05-02", "SOHR", [_row()])
    found = [_place(34.73, 36.72)] if places is None else places
    diagnosis = _FakeDiagnosis(found, incidents, placed, unfiltered)
    return diagnosis.cause(report, article_for(report, 0), [])


@pytest.mark.parametrize("title", [
    "R3880", "CS225", "RS3022", "Syria Daily Report 28/02/2016",
    "March 8th 2017: (S487) Ratlah village, Ar Raqqah governorate, Syria",
    "July 17th 2017: (1069a) Raqqa, Raqqa governorate, Syria",
    "March 31st 2017: Raqqa city, Raqqa governorate, Syria",
    "September 17th- September 18th 2016", "Airwars assessment",
    "http://www.syriahr.com/en/?p=60015",
])
def test_codes_and_titles_are_not_news(title: str) -> None:
    assert not is_news(title)


@pytest.mark.parametrize("headline", [
    "14 shells hit Dahya al-Assad an clashes continue around Ter Ma’la",
    "Toll Of Combat Operations Within (24) Hours",
    "IS kills 12 in 2017 attack on Raqqa",
    "Civilian casualties from alleged Russian airstrikes reach record levels",
])
def test_headlines_are_news(headline: str) -> None:
    assert is_news(headline)


def test_no_event_causes_in_order() -> None:
    assert _cause("R3880") == NOT_NEWS
    assert _cause("Syria Daily Report 28/02/2016") == NOT_NEWS
    assert _cause("March 8th 2017: (S487) Ratlah village, Ar Raqqah governorate, "
                  "Syria") == NOT_NEWS
    assert _cause("Human losses in Zamalka") == NO_TRIGGER
    assert _cause("84 were killed yesterday including 5 members of the regime forces",
                  places=[]) == TOLL
    assert _cause("Renewed clashes on the outskirts of the last enclave", places=[]) \
        == NO_PLACE
    assert _cause("Clashes in Aleppo", unfiltered=(_event(),)) == BACKGROUND
    assert _cause("Clashes in Aleppo", incidents=0, placed=0) == NO_INCIDENT
    assert _cause("Clashes in Aleppo", placed=0) == UNPLACED
    assert _cause("Clashes in the city of Aleppo") == NO_ARMED_SIDE
    assert _cause("Clashes between the regime forces and the factions in Hama") == NOT_CODED


# ------------------------------------------------------------------ reading the file


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = ["id", "type_of_violence", "side_a", "side_b", "source_office", "source_date",
               "source_headline", "where_prec", "where_coordinates", "latitude", "longitude",
               "date_start", "date_end"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return path


def _ged(**fields: str) -> dict[str, str]:
    base = {"id": "1.0", "type_of_violence": "1.0", "side_a": "Government of Syria",
            "side_b": "IS", "source_office": "SOHR", "source_date": "2016-05-02",
            "source_headline": "Clashes in Palmyra", "where_prec": "1.0",
            "where_coordinates": "Tadmur/Palmyra town", "latitude": "34.55",
            "longitude": "38.27", "date_start": "2016-05-01", "date_end": "2016-05-01"}
    return {**base, **fields}


def test_read_reports_groups_rows_by_headline_and_date(tmp_path: Path) -> None:
    _write_csv(tmp_path / "ged_syria_dev.csv", [
        _ged(),
        _ged(id="2.0", where_prec="2.0", source_headline="Clashes in Palmyra;CS1",
             source_date="2016-05-02;2016-06-01", source_office="SOHR;Airwars"),
        _ged(id="3.0", source_date="2016-05-09"),  # the same headline another day
    ])
    reports = read_reports(tmp_path)
    assert [(r.headline, r.published, r.source, [x.id for x in r.rows]) for r in reports] == [
        ("Clashes in Palmyra", "2016-05-02", "SOHR", ["1.0", "2.0"]),
        ("CS1", "2016-06-01", "Airwars", ["2.0"]),
        ("Clashes in Palmyra", "2016-05-09", "SOHR", ["3.0"]),
    ]
    assert reports[0].rows[1].where_prec == 2 and reports[0].rows[0].name == "Tadmur"


def test_bad_input_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError):
        read_reports(tmp_path / "missing.csv")
    (tmp_path / "ged_syria_dev.csv").write_text("id,year\n1,2016\n", encoding="utf-8")
    with pytest.raises(InputError, match="source_headline"):
        read_reports(tmp_path)
    result = CliRunner().invoke(cli, ["eval", "ucdp-events", "--data", str(tmp_path)])
    assert result.exit_code != 0
    assert "not a UCDP GED CSV" in result.output and "Traceback" not in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["eval", "ucdp-events", "--data", str(empty)])
    assert result.exit_code != 0 and "not found" in result.output


# ------------------------------------------------------------------ the real rows


@pytest.fixture(scope="module")
def real_file(shared_dir: Path) -> Path:
    path = shared_dir / "eval" / "ucdp-ged-syria" / "ged_syria_dev.csv"
    if not path.is_file():
        pytest.skip("no ucdp-ged-syria in ../shared/eval")
    return path


def test_real_reports_split_as_ucdp_joined_them(real_file: Path) -> None:
    reports = read_reports(real_file)
    assert len(reports) == 8841
    heads = {r.headline for r in reports}
    # a headline's own "; " stays, entities are decoded, UCDP's joins are split
    assert ("More than 300 shells target neighborhoods of Aleppo; fierce clashes in the "
            "city accompany the aerial and missile bombing") in heads
    assert not any("&#82" in h for h in heads)
    assert sum(len(r.rows) for r in reports) >= 9124


def test_twenty_real_reports_end_to_end(real_file: Path, settings) -> None:
    """The first 20 reports of the file, through the whole extractor. The figures are in
    range, and "18 casualties ... bombing dozens of missiles on the city of Palmyra" (UCDP:
    Tadmur, 2 January 2016, government v IS) is a shelling in Palmyra, that day."""
    from rearguard.pipeline import Pipeline

    pipeline = Pipeline(settings)
    results = evaluate_ucdp_events(data_dir=real_file.parent, settings=settings, limit=20,
                                   pipeline=pipeline, examples=2)
    scores = results["scores"]
    assert results["reports"] == 8841 and scores["n"] == 20
    for name, cell in scores.items():
        if name != "n" and cell["share"] is not None:
            assert 0.0 <= cell["share"] <= 1.0 and cell["hits"] <= cell["n"] <= 20, name
    assert 0.2 <= scores["any"]["share"] <= 0.9
    assert scores["date_given_event"]["share"] >= 0.8
    no_event = scores["n"] - scores["any"]["hits"]
    assert sum(c for k, c in results["causes"].items() if k.startswith("no event")) == no_event
    table = format_table(results)
    assert "of news headlines" in table and "20 reports (all, the first 20 of 8841)" in table
    assert format_misses(results).startswith("## ")
    palmyra = next(r for r in read_reports(real_file)[:20] if "city of Palmyra" in r.headline)
    events = pipeline.extract(article_for(palmyra, 0)).events
    score = score_report(palmyra, events)
    assert score["any"] and score["place25"] and score["date"] and score["type"], events



def test_the_halves_split_the_reports_by_headline_and_are_disjoint() -> None:
    from rearguard.eval.ucdp_events import choose, part_of

    reports = [Report(f"Clashes in village number {i}", "2016-01-01", "SOHR") for i in range(200)]
    tune = choose(reports, part="tune")
    check = choose(reports, part="check")
    assert len(tune) + len(check) == 200
    assert 70 < len(tune) < 130  # a hash split, about half each
    assert {r.headline for r in tune}.isdisjoint(r.headline for r in check)
    assert all(part_of(r) == "tune" for r in tune)
