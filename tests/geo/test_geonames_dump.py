"""Loading GeoNames dumps: small files in the real formats, written by the tests."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rearguard.errors import GazetteerError, InputError
from rearguard.geo.gazetteer import Gazetteer, GazetteerWriter, PlaceRow
from rearguard.geo.geonames_dump import load_geonames_files

VILLAGE_ID = 9900003
REPLACED_ID = 9900008


def _geoname(gid: int, name: str, ascii_name: str, alts: str, lat: str, lon: str,
             fclass: str, fcode: str, a1: str = "05", a2: str = "", pop: int = 0) -> str:
    """One line of the geoname table (19 tab-separated columns)."""
    return "\t".join([
        str(gid), name, ascii_name, alts, lat, lon, fclass, fcode, "XQ", "", a1, a2, "", "",
        str(pop), "", "310", "Asia/Baghdad", "2023-01-15",
    ])


COUNTRY_ROWS = [
    _geoname(9900001, "Muḩāfaz̧at Sahl", "Muhafazat Sahl", "Sahl Governorate,Sahl",
             "36.0", "43.0", "A", "ADM1", pop=2_000_000),
    _geoname(9900002, "Qaḑā’ Tall ‘Ayn", "Qada' Tall 'Ayn", "Tall Ayn District",
             "36.3", "42.9", "A", "ADM2", a2="0512"),
    _geoname(VILLAGE_ID, "Tall ‘Ayn", "Tall 'Ayn", "Tal Ayn,Tell Ain,TLA,تل عين,40012",
             "36.35", "42.95", "P", "PPL", a2="0512", pop=4200),
    _geoname(9900004, "Tall Qadim", "Tall Qadim", "", "36.4", "42.8", "P", "PPLH", a2="0512"),
    _geoname(9900005, "Jabal Sahl", "Jabal Sahl", "", "36.5", "43.1", "T", "MT"),
    _geoname(9900006, "Tall Saghir", "Tall Saghir", "", "36.5", "43.2", "T", "HLL"),
    _geoname(9900007, "Sahl Air Base", "Sahl Air Base", "", "36.1", "43.3", "S", "AIRB"),
    _geoname(REPLACED_ID, "Bashiqah", "Bashiqah", "Bashiqa", "36.45", "43.35", "P", "PPLA2",
             a2="0512", pop=37_000),
]
ADMIN1 = "XQ.05\tMuḩāfaz̧at Sahl\tMuhafazat Sahl\t9900001\n"
ADMIN2 = "XQ.05.0512\tQaḑā’ Tall ‘Ayn\tQada' Tall 'Ayn\t9900002\n"
# alternateNameId, geonameid, isolanguage, name, preferred, short, colloquial, historic,
# from, to
ALT_ROWS = [
    "1\t9900003\ten\tTell el Ain\t1\t\t\t\t\t",
    "2\t9900003\tlink\thttps://en.wikipedia.org/wiki/Tall_Ayn\t\t\t\t\t\t",
    "3\t9900003\tabbr\tTLA\t\t\t\t\t\t",
    "4\t9900003\ten\tOld Ayn Town\t\t\t\t1\t\t",
    "5\t9999999\ten\tNowhere Village\t\t\t\t\t\t",
    "6\t9900001\t\tSahl Province\t\t\t\t\t\t",
    "7\t9900003\ten\tAyn Tallah\t\t\t1\t\t\t",
    "8\t9900003\ten\tAyn Former\t\t\t\t\t1900\t1950",
    "9\t9900003\tar\tتل عين\t\t\t\t\t\t",
]


def _zip(path: Path, member: str, lines: list[str], extra: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in (extra or {}).items():
            archive.writestr(name, text)
        archive.writestr(member, "\n".join(lines) + "\n")
    return path


@pytest.fixture
def dumps(tmp_path: Path) -> list[Path]:
    """The alternate names first and admin tables last: the loader must reorder them."""
    (tmp_path / "admin1CodesASCII.txt").write_text(ADMIN1, encoding="utf-8")
    (tmp_path / "admin2Codes.txt").write_text(ADMIN2, encoding="utf-8")
    return [
        _zip(tmp_path / "alternateNamesV2.zip", "alternateNamesV2.txt", ALT_ROWS,
             {"iso-languagecodes.txt": "ISO 639-3\tISO 639-2\tISO 639-1\tLanguage Name\n"}),
        _zip(tmp_path / "XQ.zip", "XQ.txt", COUNTRY_ROWS, {"readme.txt": "a readme\n"}),
        tmp_path / "admin2Codes.txt",
        tmp_path / "admin1CodesASCII.txt",
    ]


Build = Callable[..., Gazetteer]


@pytest.fixture
def build(tmp_path: Path) -> Iterator[Build]:
    """Loads files into a new index and opens it; closes what it opened."""
    opened: list[Gazetteer] = []

    def run(paths: list[Path], before: Callable[[GazetteerWriter], None] | None = None
            ) -> Gazetteer:
        opened.append(_build(tmp_path, paths, before))
        return opened[-1]

    yield run
    for gaz in opened:
        gaz.close()


def _build(tmp_path: Path, paths: list[Path],
           before: Callable[[GazetteerWriter], None] | None) -> Gazetteer:
    path = tmp_path / "g.sqlite"
    writer = GazetteerWriter(path)
    if before is not None:
        before(writer)
    seen: list[tuple[str, int]] = []
    load_geonames_files(writer, paths, lambda label, n: seen.append((label, n)))
    writer.commit()
    assert [label for label, _ in seen] == [f"geonames {p.name}" for p in _load_order(paths)]
    return Gazetteer(path)


def _load_order(paths: list[Path]) -> list[Path]:
    rank = {"admin1CodesASCII": 0, "admin2Codes": 1, "alternateNamesV2": 3}
    return sorted(paths, key=lambda p: rank.get(p.stem, 2))


def _old_bashiqa(writer: GazetteerWriter) -> None:
    writer.add_place(
        PlaceRow(id=REPLACED_ID, name="Old Bashiqa", latitude=1.0, longitude=2.0,
                 feature_class="P", feature_code="PPL", country_code="XQ", admin1_code="05",
                 admin1="Built-in Province", admin2="Built-in District", population=5,
                 source="cities"),
    )


def test_village_found_by_name_with_place_facts(build: Build, dumps: list[Path]) -> None:
    gaz = build(dumps)
    (village,) = gaz.lookup("Tall Ayn", fuzzy=False)
    assert village.id == VILLAGE_ID
    assert village.name == "Tall ‘Ayn"
    assert (village.latitude, village.longitude) == (36.35, 42.95)
    assert (village.feature_class, village.feature_code) == ("P", "PPL")
    assert (village.country_code, village.admin1_code) == ("XQ", "05")
    assert village.admin1 == "Muhafazat Sahl"
    assert village.admin2 == "Qada' Tall 'Ayn"
    assert village.population == 4200
    assert village.match == "name"
    assert gaz.meta()["count:geonames"] == "6"  # 8 rows: a PPLH and a hill skipped


def test_names_from_table_and_alternate_names(build: Build, dumps: list[Path]) -> None:
    gaz = build(dumps)
    for name, kind in [("Tell Ain", "alt"), ("Tell el Ain", "alt"), ("Ayn Tallah", "alt"),
                       ("TLA", "abbr")]:
        found = gaz.lookup(name, fuzzy=False)
        assert [(c.id, c.match) for c in found] == [(VILLAGE_ID, kind)], name
    for skipped in ["Old Ayn Town", "Ayn Former", "Nowhere Village", "40012",
                    "https://en.wikipedia.org/wiki/Tall_Ayn"]:
        assert gaz.lookup(skipped, fuzzy=False) == (), skipped
    (province,) = gaz.lookup("Sahl Province", fuzzy=False)
    assert province.id == 9900001 and province.feature_code == "ADM1"
    assert province.admin1 == "Muhafazat Sahl" and province.admin2 == ""
    (district,) = gaz.lookup("Tall Ayn District", fuzzy=False)
    assert district.feature_code == "ADM2" and district.admin2 == "Qada' Tall 'Ayn"
    assert (province.country_code, province.admin1_code) == ("XQ", "05")


def test_feature_selection(build: Build, dumps: list[Path]) -> None:
    gaz = build(dumps)
    assert gaz.get(9900004) is None  # PPLH: historical
    assert gaz.lookup("Tall Qadim") == ()
    assert gaz.get(9900006) is None  # an uninhabited hill
    assert gaz.get(9900005) is not None  # a mountain
    assert gaz.get(9900007) is not None  # an air base


def test_row_with_existing_id_replaces_it(build: Build, dumps: list[Path]) -> None:
    gaz = build(dumps, before=_old_bashiqa)
    place = gaz.get(REPLACED_ID)
    assert place is not None
    assert (place.name, place.latitude, place.longitude) == ("Bashiqah", 36.45, 43.35)
    assert (place.feature_code, place.population) == ("PPLA2", 37_000)
    assert (place.admin1, place.admin2) == ("Muhafazat Sahl", "Qada' Tall 'Ayn")
    # The built-in names stay, now pointing at the GeoNames place; none is doubled.
    assert [c.id for c in gaz.lookup("Old Bashiqa", fuzzy=False)] == [REPLACED_ID]
    assert [c.id for c in gaz.lookup("Bashiqa", fuzzy=False)] == [REPLACED_ID]
    (count,) = gaz.conn.execute(
        "SELECT count(*) FROM names WHERE place_id = ?", (REPLACED_ID,)
    ).fetchone()
    assert count == 3  # old bashiqa, bashiqah, bashiqa


def test_admin_names_kept_without_admin_tables(build: Build, dumps: list[Path]) -> None:
    gaz = build([dumps[1]], before=_old_bashiqa)
    place = gaz.get(REPLACED_ID)
    assert place is not None and place.name == "Bashiqah"
    assert (place.admin1, place.admin2) == ("Built-in Province", "Built-in District")


def test_plain_text_country_file(tmp_path: Path, build: Build) -> None:
    path = tmp_path / "XQ.txt"
    path.write_text("\n".join(COUNTRY_ROWS) + "\n", encoding="utf-8")
    gaz = build([path])
    (village,) = gaz.lookup("Tall Ayn", fuzzy=False)
    assert village.id == VILLAGE_ID and village.admin1 == ""


def test_country_alternate_names_file_told_by_columns(
    tmp_path: Path, build: Build, dumps: list[Path]
) -> None:
    folder = tmp_path / "alternatenames"
    folder.mkdir()
    alt = _zip(folder / "XQ.zip", "XQ.txt", ALT_ROWS)
    gaz = build([alt, dumps[1]])
    assert [c.id for c in gaz.lookup("Tell el Ain", fuzzy=False)] == [VILLAGE_ID]


@pytest.mark.parametrize(
    "name, text",
    [
        ("XR.txt", "1\tSomewhere\t33.0\t44.0\tP\n"),
        ("admin1CodesASCII.txt", "\n".join(COUNTRY_ROWS) + "\n"),
        ("alternateNamesV2.txt", "1\t2\ten\n"),
        ("allCountries.txt", ""),
    ],
)
def test_wrong_columns_raise_e204(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    writer = GazetteerWriter(tmp_path / "g.sqlite")
    with pytest.raises(GazetteerError) as info:
        load_geonames_files(writer, [path], lambda label, n: None)
    writer.abort()
    assert info.value.code == "E204"
    assert "columns" in info.value.message


@pytest.mark.parametrize("name", ["places.txt", "XQ.csv", "cities.zip"])
def test_unknown_file_name_raises_e204(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("\n".join(COUNTRY_ROWS) + "\n", encoding="utf-8")
    writer = GazetteerWriter(tmp_path / "g.sqlite")
    with pytest.raises(GazetteerError) as info:
        load_geonames_files(writer, [path], lambda label, n: None)
    writer.abort()
    assert info.value.code == "E204"
    assert "allCountries.zip" in info.value.message


def test_not_a_zip_raises_e204(tmp_path: Path) -> None:
    path = tmp_path / "XQ.zip"
    path.write_text("\n".join(COUNTRY_ROWS) + "\n", encoding="utf-8")
    writer = GazetteerWriter(tmp_path / "g.sqlite")
    with pytest.raises(GazetteerError) as info:
        load_geonames_files(writer, [path], lambda label, n: None)
    writer.abort()
    assert info.value.code == "E204"


def test_missing_file_raises_input_error(tmp_path: Path, dumps: list[Path]) -> None:
    writer = GazetteerWriter(tmp_path / "g.sqlite")
    with pytest.raises(InputError) as info:
        load_geonames_files(writer, [*dumps, tmp_path / "IQ.zip"], lambda label, n: None)
    assert info.value.code == "E101"
    # Files are checked before anything is loaded.
    assert writer.conn.execute("SELECT count(*) FROM places").fetchone() == (0,)
    writer.abort()
