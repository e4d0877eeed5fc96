"""Loading GeoNames dumps: small files in the real formats, written by the tests."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rearguard.errors import GazetteerError, InputError
from rearguard.geo.gazetteer import Gazetteer, GazetteerWriter, PlaceRow
from rearguard.geo.geonames_dump import geonames_inputs, load_geonames_files
from rearguard.settings import Settings

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
    files = geonames_inputs(paths)
    assert [label for label, _ in seen] == [f"geonames {p.name}" for p in _load_order(files)]
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
    # No admin tables: the admin1 name comes from the file's own ADM1 row with that code.
    assert village.id == VILLAGE_ID and village.admin1 == "Muhafazat Sahl"
    assert village.admin2 == ""


def test_admin1_table_names_win_over_the_adm1_rows(tmp_path: Path, build: Build) -> None:
    admin1 = tmp_path / "admin1CodesASCII.txt"
    admin1.write_text("XQ.05\tSahl Governorate\tSahl Governorate\t9900001\n", encoding="utf-8")
    gaz = build([_zip(tmp_path / "XQ.zip", "XQ.txt", COUNTRY_ROWS), admin1])
    (village,) = gaz.lookup("Tall Ayn", fuzzy=False)
    assert village.admin1 == "Sahl Governorate"


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


def test_not_a_zip_raises_e208(tmp_path: Path) -> None:
    path = tmp_path / "XQ.zip"
    path.write_text("\n".join(COUNTRY_ROWS) + "\n", encoding="utf-8")
    error = _load_error(tmp_path, [path])
    assert error.code == "E208" and str(path) in error.message


def test_missing_file_raises_input_error(tmp_path: Path, dumps: list[Path]) -> None:
    writer = GazetteerWriter(tmp_path / "g.sqlite")
    with pytest.raises(InputError) as info:
        load_geonames_files(writer, [*dumps, tmp_path / "IQ.zip"], lambda label, n: None)
    assert info.value.code == "E101"
    # Files are checked before anything is loaded.
    assert writer.conn.execute("SELECT count(*) FROM places").fetchone() == (0,)
    writer.abort()


# -- folders ----------------------------------------------------------------------------
def test_folder_loads_the_geonames_files_in_it(
    tmp_path: Path, build: Build, dumps: list[Path]
) -> None:
    (tmp_path / "README.md").write_text("# my downloads\n", encoding="utf-8")
    (tmp_path / "featureCodes_en.txt").write_text("P.PPL\tpopulated place\t\n")
    sub = tmp_path / "alternatenames"
    sub.mkdir()
    _zip(sub / "XQ.zip", "XQ.txt", ["1\t9900003\ten\tFrom A Subfolder\t\t\t\t\t\t"])
    gaz = build([tmp_path])
    (village,) = gaz.lookup("Tell el Ain", fuzzy=False)
    assert village.id == VILLAGE_ID and village.admin1 == "Muhafazat Sahl"
    assert gaz.meta()["count:geonames"] == "6"
    assert gaz.lookup("From A Subfolder", fuzzy=False) == ()  # subfolders are not read


def test_folder_inputs_prefer_the_unzipped_copy(tmp_path: Path, dumps: list[Path]) -> None:
    (tmp_path / "XQ.txt").write_text("\n".join(COUNTRY_ROWS) + "\n", encoding="utf-8")
    names = [p.name for p in geonames_inputs([tmp_path])]
    assert names == ["XQ.txt", "admin1CodesASCII.txt", "admin2Codes.txt",
                     "alternateNamesV2.zip"]


def test_folder_without_geonames_files_is_e206(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("nothing here\n", encoding="utf-8")
    (tmp_path / "places.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(GazetteerError) as info:
        geonames_inputs([tmp_path])
    assert info.value.code == "E206" and str(tmp_path) in info.value.message
    assert "\n" not in info.value.message


# -- bad input --------------------------------------------------------------------------
def _load_error(tmp_path: Path, paths: list[Path]) -> GazetteerError:
    writer = GazetteerWriter(tmp_path / "g.sqlite")
    try:
        with pytest.raises(GazetteerError) as info:
            load_geonames_files(writer, paths, lambda label, n: None)
    finally:
        writer.abort()
    assert "\n" not in info.value.message
    return info.value


def _with_bad_row(row: str) -> list[str]:
    """The country rows with ``row`` as the fifth line, after a comment line."""
    return ["# a comment counts as a line", *COUNTRY_ROWS[:3], row, *COUNTRY_ROWS[3:]]


BAD_ROWS = [
    ("\t".join(COUNTRY_ROWS[2].split("\t")[:7]),
     "expected 19 tab-separated columns, found 7"),
    (COUNTRY_ROWS[2] + "\textra", "expected 19 tab-separated columns, found 20"),
    (COUNTRY_ROWS[2].replace("\t36.35\t", "\tN36.35\t"), "latitude 'N36.35' is not a number"),
    (COUNTRY_ROWS[2].replace("\t36.35\t", "\t96.35\t"), "latitude 96.35 is outside -90..90"),
    (COUNTRY_ROWS[2].replace("\t42.95\t", "\t-242.95\t"),
     "longitude -242.95 is outside -180..180"),
    (COUNTRY_ROWS[2].replace("\t42.95\t", "\tnan\t"), "longitude nan is outside"),
    (COUNTRY_ROWS[2].replace("9900003", "99000x3", 1),
     "geonameid '99000x3' is not a positive whole number"),
    (COUNTRY_ROWS[2].replace("\t4200\t", "\tmany\t"),
     "population 'many' is not a whole number >= 0"),
]


@pytest.mark.parametrize("zipped", [False, True], ids=["txt", "zip"])
@pytest.mark.parametrize("row, detail", BAD_ROWS)
def test_bad_country_row_names_file_and_line(
    tmp_path: Path, row: str, detail: str, zipped: bool
) -> None:
    lines = _with_bad_row(row)
    if zipped:
        path = _zip(tmp_path / "XQ.zip", "XQ.txt", lines)
    else:
        path = tmp_path / "XQ.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _load_error(tmp_path, [path])
    assert error.code == "E207"
    assert error.message.startswith(f"[E207] {path} line 5: {detail}")


def test_bad_first_line_is_not_a_geonames_file(tmp_path: Path) -> None:
    path = tmp_path / "XQ.txt"
    path.write_text("1\tSomewhere\t33.0\t44.0\tP\tPPL\tXQ\n", encoding="utf-8")
    error = _load_error(tmp_path, [path])
    assert error.code == "E204"
    assert "expected 19 tab-separated columns, found 7 on its first line" in error.message


@pytest.mark.parametrize(
    "name, lines, detail",
    [
        ("alternateNamesV2.txt", [*ALT_ROWS[:2], "10\t9900003\ten"],
         "line 3: expected 10 (or 8) tab-separated columns, found 3"),
        ("alternateNamesV2.txt", [ALT_ROWS[0], "11\tabc\ten\tX\t\t\t\t\t\t"],
         "line 2: geonameid 'abc' is not a positive whole number"),
        ("admin1CodesASCII.txt", [ADMIN1.strip(), "XQ.06\tOnly Two"],
         "line 2: expected 4 tab-separated columns, found 2"),
    ],
)
def test_bad_alternate_names_and_admin_rows(
    tmp_path: Path, dumps: list[Path], name: str, lines: list[str], detail: str
) -> None:
    path = tmp_path / "bad" / name
    path.parent.mkdir()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _load_error(tmp_path, [dumps[1], path])
    assert error.code == "E207" and f"{path} {detail}" in error.message


def test_text_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "XQ.txt"
    body = "\n".join(COUNTRY_ROWS[:2]).encode() + b"\n" + COUNTRY_ROWS[2].encode("latin-1",
                                                                               "replace")
    path.write_bytes(body.replace(b"Tall ", b"T\xe4ll ") + b"\n")
    error = _load_error(tmp_path, [path])
    assert error.code == "E207" and f"{path} line 2: not UTF-8 text" in error.message


def _big_country_zip(path: Path, rows: int = 20_000) -> Path:
    """A deflated country file large enough to cut or damage in its middle."""
    lines = [
        _geoname(1_000_000 + i, f"Village {i}", f"Village {i}", "", "35.0", "40.0", "P",
                 "PPL")
        for i in range(rows)
    ]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("XQ.txt", "\n".join(lines) + "\n")
    return path


def test_truncated_zip_is_e208(tmp_path: Path) -> None:
    path = _big_country_zip(tmp_path / "XQ.zip")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    error = _load_error(tmp_path, [path])
    assert error.code == "E208"
    assert error.message.startswith(f"[E208] {path}: not a readable zip file")


def test_corrupt_zip_data_names_the_line_it_broke_at(tmp_path: Path) -> None:
    path = _big_country_zip(tmp_path / "XQ.zip")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 256] = bytes(256)  # the central directory stays readable
    path.write_bytes(bytes(data))
    error = _load_error(tmp_path, [path])
    assert error.code == "E209"
    line = int(error.message.split(" line ", 1)[1].split(":", 1)[0])
    assert 5_000 < line < 15_000  # where the damage is, not at the end
    assert "the zip is truncated or corrupt (Error -3 while decompressing" in error.message


# -- village level: SY.zip and IQ.zip from ../shared/gazetteer (see conftest) -------------
@pytest.fixture(scope="module")
def villages(village_settings: Settings) -> Iterator[Gazetteer]:
    gaz = Gazetteer(village_settings.gazetteer_path)
    yield gaz
    gaz.close()


def test_village_index_holds_both_countries(villages: Gazetteer) -> None:
    meta = villages.meta()
    assert meta["geonames_files"] == "SY.zip,IQ.zip"
    assert int(meta["count:geonames"]) == 10_421 + 21_672  # every row of both files
    assert int(meta["count:cities"]) > 230_000  # on top of the built-in index


def test_airports_and_air_bases_load_with_their_codes(villages: Gazetteer) -> None:
    (airport,) = [c for c in villages.lookup("Qamishli Airport", fuzzy=False)
                  if c.country_code == "SY"]
    assert (airport.feature_class, airport.feature_code) == ("S", "AIRP")
    assert airport.admin1 == "Al Hasakah"
    assert abs(airport.latitude - 37.02056) < 1e-6 and abs(airport.longitude - 41.19139) < 1e-6
    assert {c.feature_code for c in villages.lookup("Al Asad Airbase", fuzzy=False)} == {"AIRB"}


def test_city_neighbourhoods_load_as_pplx(villages: Gazetteer) -> None:
    found = [c for c in villages.lookup("Midan", fuzzy=False) if c.feature_code == "PPLX"]
    assert [(c.id, c.country_code, c.admin1) for c in found] == [(985903037, "SY", "Dimashq")]
    qanawat = villages.get(173372)
    assert qanawat is not None and qanawat.feature_code == "PPLX"


def test_village_rows_get_admin1_names_from_their_codes(villages: Gazetteer) -> None:
    """The files carry admin1 codes only: names come from the built-in provinces, or from
    the file's own ADM1 rows (Iraq's Kurdish governorates, which the built-in index names
    only as 'Iqlim Kurdistan')."""
    for cc in ("SY", "IQ"):
        total, unnamed = villages.conn.execute(
            "SELECT count(*), sum(admin1 = '') FROM places "
            "WHERE source = 'geonames' AND country_code = ? AND feature_code = 'PPL'", (cc,)
        ).fetchone()
        assert total > 9_000 and unnamed / total < 0.001, (cc, total, unnamed)
    by_code = dict(villages.conn.execute(
        "SELECT admin1_code, admin1 FROM places WHERE id IN (1816, 2316, 1745)"
    ).fetchall())
    assert by_code == {"01": "Al Hasakah", "11": "Hims", "03": "Al Qunaytirah"}
    kurdish: dict[str, dict[str, int]] = {}
    for code, name, n in villages.conn.execute(
        "SELECT admin1_code, admin1, count(*) FROM places WHERE source = 'geonames' "
        "AND country_code = 'IQ' AND admin1_code IN ('05', '08', '11') "
        "AND feature_code = 'PPL' GROUP BY 1, 2"
    ):
        kurdish.setdefault(code, {})[name] = n
    # Most from the ADM1 rows; villages that replace a built-in town keep its names.
    assert {code: max(names, key=names.__getitem__) for code, names in kurdish.items()} == {
        "05": "As-Sulaymaniyah", "08": "Dihok", "11": "Arbil"}
    assert all("" not in names for names in kurdish.values())
