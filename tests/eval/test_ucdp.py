"""UCDP GED Syria: the place-name rule on the real rows, and the two scores with fake
geocoders on a hand-made file."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from rearguard.errors import EvalDataError
from rearguard.eval.ucdp import (
    clean_place_name,
    evaluate_headlines,
    evaluate_names,
    evaluate_ucdp,
    format_table,
    headline_gold,
    name_gold,
    publisher,
    read_ucdp,
    ucdp_path,
)
from rearguard.types import Place


def test_clean_place_name_rule() -> None:
    assert clean_place_name("Teir Maaleh village") == "Teir Maaleh"
    assert clean_place_name("Tadmur/Palmyra town") == "Tadmur"
    assert clean_place_name("Kurt Fawqani / Kurd Rojhilate village") == "Kurt Fawqani"
    assert clean_place_name("Al Furat/Euphrates river near Kobane") == "Al Furat"
    assert clean_place_name("Yarmouk camp") == "Yarmouk"
    assert clean_place_name("Aleppo city") == "Aleppo"
    assert clean_place_name("Al Faysal mills") == "Al Faysal mills"  # not a dropped word
    assert clean_place_name("Idlib Governorate") == "Idlib Governorate"
    assert clean_place_name("Townsville") == "Townsville"  # a word, not a suffix
    assert publisher("SOHR;Airwars") == "SOHR" and publisher("") is None


# ------------------------------------------------------------------ the real rows


@pytest.fixture(scope="module")
def real_rows(shared_dir: Path):
    path = shared_dir / "eval" / "ucdp-ged-syria" / "ged_syria_dev.csv"
    if not path.is_file():
        pytest.skip("no ucdp-ged-syria in ../shared/eval")
    return read_ucdp(path)


def test_real_names_follow_the_readme_split(real_rows) -> None:
    """The README: 9,124 rows and 960 names, and a name is in this half when the SHA-1
    of its lower-cased form is even; so every name the rule makes must hash even."""
    assert len(real_rows) == 9124
    names = {row.name for row in real_rows}
    assert len(names) == 960
    odd = [n for n in names if int(hashlib.sha1(n.lower().encode()).hexdigest(), 16) % 2]
    assert odd == []
    first = real_rows[0]
    assert (first.where_coordinates, first.name) == ("Teir Maaleh village", "Teir Maaleh")
    assert first.where_prec == 1 and first.source_office == "SOHR"
    assert first.headline.startswith("14 shells hit Dahya al-Assad")
    tadmur = [r for r in real_rows if r.where_coordinates == "Tadmur/Palmyra town"]
    assert tadmur and {r.name for r in tadmur} == {"Tadmur"}


def test_real_gold_groups(real_rows) -> None:
    names = name_gold(real_rows)
    assert all(r.where_prec == 1 for rows in names.values() for r in rows)
    assert sum(len(rows) for rows in names.values()) == sum(
        r.where_prec == 1 for r in real_rows)
    assert len(names) < 960  # some names occur only at coarser precisions
    assert len(names["Aleppo"]) > 100  # many events in one city, one name
    heads = headline_gold(real_rows)
    assert all(r.where_prec in (1, 2) for rows in heads.values() for r in rows)
    assert len(heads) > 5000


# ------------------------------------------------------- hand-made file, fake geocoders

_COLUMNS = ["id", "source_office", "source_headline", "where_prec", "where_coordinates",
            "latitude", "longitude"]
_ROWS = [
    # two rows of one name, 60 km apart; a third row of it at where_prec 2 (not a name row)
    ["1", "SOHR", "Clashes in Kafr Nabl", "1", "Kafr Nabl town", "35.61", "36.56"],
    ["2", "SOHR;Airwars", "Raids on Kafr Nabl", "1", "Kafr Nabl town", "36.15", "36.56"],
    ["3", "Airwars", "Strike near Kafr Nabl", "2", "Kafr Nabl town", "35.61", "36.56"],
    ["4", "SOHR", "Shelling on Nowhere", "1", "Nowhere village", "35.0", "37.0"],
    ["5", "SOHR", "Ignored, precision 4", "4", "Idlib Governorate", "35.9", "36.6"],
    ["6", "SOHR", "No point", "1", "Lost village", "", ""],
]


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "ucdp-ged-syria"
    folder.mkdir()
    with (folder / "ged_syria_dev.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(_COLUMNS)
        writer.writerows(_ROWS)
    return tmp_path


def _spans(text: str, spans: list[tuple[int, int]], *, settings: object = None) -> list[Place]:
    """Kafr Nabl at the second row's point (confidence 0.9); anything else unresolved.
    The name and its country are both spans, as a reader sees them."""
    (start, end), country = spans
    assert text[end:] == ", Syria" and text[country[0]:country[1]] == "Syria"
    other = Place(country[0], country[1], "Syria")
    if text[start:end] == "Kafr Nabl":
        return [Place(start, end, "Kafr Nabl", latitude=36.15, longitude=36.56,
                      confidence=0.9), other]
    return [Place(start, end, text[start:end]), other]


def test_names_score_any_gold_point_and_per_event(tiny: Path) -> None:
    rows = read_ucdp(ucdp_path(tiny))
    assert len(rows) == 5  # the row without coordinates is skipped
    result = evaluate_names(rows, span_geocoder=_spans)
    assert result["names"] == 2 and result["events"] == 3 and result["unresolved"] == 1
    assert result["acc25"] == 0.5 and result["acc161"] == 0.5  # Kafr Nabl hits its 2nd point
    assert result["events_acc25"] == pytest.approx(1 / 3)  # only row 2 is within 25 km
    assert result["events_acc161"] == pytest.approx(2 / 3)  # row 1 is 60 km away
    assert result["median_km"] == 0.0
    assert result["reliability"]["n"] == 1 and result["reliability"]["bins"][5]["n"] == 1
    limited = evaluate_names(rows, span_geocoder=_spans, limit=1)
    assert limited["names"] == 1 and limited["unresolved"] == 0


def test_headlines_within_25_km_and_the_publisher(tiny: Path) -> None:
    seen: list[tuple[str, str | None]] = []

    def text_geocoder(text: str, *, settings: object = None, source: str | None = None):
        seen.append((text, source))
        if "Clashes" in text:  # 25 km from row 1's point (35.61, 36.56): a miss
            return [Place(0, 7, "Clashes", latitude=35.84, longitude=36.56)]
        if "Raids" in text:
            return [Place(9, 18, "Kafr Nabl", latitude=36.15, longitude=36.57)]
        if "Strike" in text:
            return [Place(12, 21, "Kafr Nabl")]  # found but unresolved
        return []

    result = evaluate_headlines(read_ucdp(tiny), text_geocoder=text_geocoder)
    assert result["headlines"] == 4  # rows 1-4; row 5 is at precision 4
    assert ("Raids on Kafr Nabl", "SOHR") in seen and ("Strike near Kafr Nabl", "Airwars") in seen
    assert result["within25"] == 0.25  # only the raids
    assert result["any_place"] == 0.5  # clashes and raids have a resolved place
    assert result["toponyms"] == 3 and result["resolved"] == 2


def test_evaluate_ucdp_and_table(tiny: Path) -> None:
    result = evaluate_ucdp(data_dir=tiny, span_geocoder=_spans, headlines=False)
    assert result["rows"] == 5 and "headlines" not in result
    table = format_table(result)
    row = table.splitlines()[2]
    assert row.startswith('| names, where_prec 1, in "{name}, Syria" | 2 | 50.0 |')
    with pytest.raises(EvalDataError):
        evaluate_ucdp(data_dir=tiny / "absent", span_geocoder=_spans)
