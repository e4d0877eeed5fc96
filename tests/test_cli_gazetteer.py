"""`rearguard gazetteer build|search|info` through the command line."""

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from rearguard.cli import cli
from rearguard.geo import build as build_module
from rearguard.geo import open_gazetteer
from rearguard.settings import load_settings

from .geo.test_geonames_dump import (
    COUNTRY_ROWS,
    dumps,  # noqa: F401  (fixture: small GeoNames files)
)


def test_search_ranks_the_libyan_capital_first(gazetteer):
    result = CliRunner().invoke(
        cli, ["--gazetteer", str(gazetteer.path), "gazetteer", "search", "Tripoli", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["country_code"] == "LY" and rows[0]["feature_code"] == "PPLC"
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["score"] >= rows[1]["score"]


def test_search_by_country_and_transliteration(gazetteer):
    result = CliRunner().invoke(
        cli, ["--gazetteer", str(gazetteer.path), "gazetteer", "search", "Shirqat",
              "--country", "IQ", "--limit", "1"],
    )
    assert result.exit_code == 0
    assert "Ash Sharq" in result.stdout and "Salah ad Din" in result.stdout


def test_search_reports_no_match(gazetteer):
    result = CliRunner().invoke(
        cli, ["--gazetteer", str(gazetteer.path), "gazetteer", "search", "Qqqxzy"]
    )
    assert result.exit_code == 0
    assert "No place named 'Qqqxzy'" in result.stdout


def test_build_writes_a_complete_index_with_geonames_dumps(tmp_path, dumps):  # noqa: F811
    path = tmp_path / "g.sqlite"
    runner = CliRunner()
    first, *rest = map(str, dumps)
    result = runner.invoke(
        cli, ["gazetteer", "build", "--path", str(path), "--quiet", "--geonames", first, *rest]
    )
    assert result.exit_code == 0, result.output
    assert path.is_file() and not list(tmp_path.glob("*.tmp*"))
    info = runner.invoke(cli, ["--gazetteer", str(path), "gazetteer", "info"])
    facts = dict(line.split(": ", 1) for line in info.stdout.splitlines())
    assert int(facts["count:cities"]) > 230_000
    assert int(facts["count:admin1"]) > 3_000 and int(facts["count:countries"]) > 240
    assert int(facts["count:geonames"]) == 6
    found = runner.invoke(cli, ["--gazetteer", str(path), "gazetteer", "search", "Tall Ayn"])
    assert "Tall ‘Ayn" in found.stdout and "Muhafazat Sahl" in found.stdout


def test_missing_index_without_auto_build_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("REARGUARD_AUTO_BUILD_GAZETTEER", "false")
    result = CliRunner().invoke(
        cli, ["--gazetteer", str(tmp_path / "none.sqlite"), "gazetteer", "search", "Mosul"]
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "[E201]" in result.stderr


# -- folders, bad input and rebuilds (the built-in sources stubbed out for speed) ---------
class _NoBuiltins:
    """Stands in for the built-in sources (30 s of PyPI data) where a test needs only the
    GeoNames files' part of a build."""

    def __init__(self, progress):
        self.progress = progress

    def write(self, writer):
        self.progress("builtins stubbed", 0)


@pytest.fixture
def no_builtins(monkeypatch):
    monkeypatch.setattr(build_module, "BuiltinSources", _NoBuiltins)
    monkeypatch.setattr(build_module, "_OPEN", {})


def _build(*args):
    return CliRunner().invoke(cli, ["gazetteer", "build", "--quiet", *map(str, args)])


def _meta(path):
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT key, value FROM meta"))


def test_build_takes_a_folder_and_skips_other_files(tmp_path, dumps, no_builtins):  # noqa: F811
    (tmp_path / "README.md").write_text("# GeoNames downloads\n", encoding="utf-8")
    path = tmp_path / "out" / "g.sqlite"
    result = _build("--path", path, tmp_path)
    assert result.exit_code == 0, result.output
    assert "geonames 6" in result.stdout
    meta = _meta(path)
    assert json.loads(meta["geonames_paths"]) == sorted(str(p.resolve()) for p in dumps)
    assert meta["geonames_files"].split(",") == sorted(p.name for p in dumps)


def test_folder_without_geonames_files_is_one_line(tmp_path, no_builtins):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "README.md").write_text("# nothing to load\n", encoding="utf-8")
    result = _build("--path", tmp_path / "g.sqlite", "--geonames", folder)
    assert result.exit_code == 1
    assert result.stderr == (
        f"rearguard: error: [E206] {folder}: the folder holds no GeoNames file (expected "
        "allCountries.zip, a country file such as IQ.zip, alternateNamesV2.zip, "
        "admin1CodesASCII.txt or admin2Codes.txt).\n"
    )
    assert not (tmp_path / "g.sqlite").exists()


def _bad_row_file(folder: Path) -> Path:
    path = folder / "XQ.txt"
    short = "\t".join(COUNTRY_ROWS[3].split("\t")[:7])
    path.write_text("\n".join([*COUNTRY_ROWS[:3], short, *COUNTRY_ROWS[4:]]) + "\n",
                    encoding="utf-8")
    return path


def _bad_coordinate_file(folder: Path) -> Path:
    path = folder / "XQ.txt"
    rows = [*COUNTRY_ROWS]
    rows[5] = rows[5].replace("\t36.5\t", "\t136.5\t")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _big_zip(folder: Path) -> Path:
    path = folder / "XQ.zip"
    lines = [row.replace("9900", f"{i:04d}", 1) for i in range(2500) for row in COUNTRY_ROWS]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("XQ.txt", "\n".join(lines) + "\n")
    return path


def _truncated_zip(folder: Path) -> Path:
    path = _big_zip(folder)
    path.write_bytes(path.read_bytes()[:-5000])
    return path


def _corrupt_zip(folder: Path) -> Path:
    path = _big_zip(folder)
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 256] = bytes(256)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    "make, expected",
    [
        (_bad_row_file, "[E207] {path} line 4: expected 19 tab-separated columns, found 7. "),
        (_bad_coordinate_file, "[E207] {path} line 6: latitude 136.5 is outside -90..90. "),
        (_truncated_zip, "[E208] {path}: not a readable zip file (File is not a zip file)"),
        (_corrupt_zip, "[E209] {path} line "),
    ],
    ids=["columns", "latitude", "truncated-zip", "corrupt-zip"],
)
def test_bad_input_is_one_line_and_keeps_the_index(
    tmp_path, dumps, no_builtins, make, expected  # noqa: F811
):
    index = tmp_path / "index" / "g.sqlite"
    assert _build("--path", index, *dumps).exit_code == 0
    before = index.read_bytes()
    bad = make(tmp_path / "index")
    result = _build("--path", index, "--geonames", dumps[0], "--geonames", bad)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("rearguard: error: " + expected.format(path=bad))
    assert result.stderr.rstrip().endswith("the gazetteer index was left as it was.")
    assert index.read_bytes() == before
    assert sorted(p.name for p in index.parent.iterdir()) == ["XQ." + bad.suffix[1:], "g.sqlite"]


def test_stale_user_build_is_rebuilt_from_its_files(
    tmp_path, dumps, no_builtins, monkeypatch, capsys  # noqa: F811
):
    index = tmp_path / "g.sqlite"
    assert _build("--path", index, tmp_path).exit_code == 0
    old = _meta(index)
    # A user build carries the loader's code in its fingerprint; a built-in one does not.
    assert old["fingerprint"] == build_module.source_fingerprint(geonames=True)
    assert old["fingerprint"] != build_module.source_fingerprint()
    settings = load_settings(gazetteer=str(index), auto_build_gazetteer=True)
    # The same code: the index is used as it is.
    open_gazetteer(settings, show_progress=False)
    assert _meta(index)["built"] == old["built"]
    build_module._OPEN.clear()
    monkeypatch.setattr(build_module, "source_fingerprint", lambda geonames=False: "newer")
    gaz = open_gazetteer(settings, show_progress=True)
    meta = gaz.meta()
    assert meta["fingerprint"] == "newer"
    assert meta["geonames_paths"] == old["geonames_paths"]
    assert meta["count:geonames"] == "6"
    assert [c.name for c in gaz.lookup("Tell el Ain", fuzzy=False)] == ["Tall ‘Ayn"]
    assert "Building gazetteer" in capsys.readouterr().err  # the progress bar


def test_stale_user_build_with_files_gone_is_kept_with_a_warning(
    tmp_path, dumps, no_builtins, monkeypatch  # noqa: F811
):
    index = tmp_path / "index" / "g.sqlite"
    assert _build("--path", index, *dumps).exit_code == 0
    before = index.read_bytes()
    dumps[0].unlink()  # alternateNamesV2.zip
    monkeypatch.setattr(build_module, "source_fingerprint", lambda geonames=False: "newer")
    result = CliRunner().invoke(cli, ["--gazetteer", str(index), "gazetteer", "search",
                                      "Tell el Ain"])
    assert result.exit_code == 0, result.output
    assert "Tall ‘Ayn" in result.stdout  # the old index, names and all
    assert result.stderr == (
        f"rearguard: warning: the gazetteer index {index} was built by an earlier "
        f"rearguard from GeoNames files that are gone ({dumps[0].resolve()}); using it as "
        f"it is. Rebuild it with 'rearguard gazetteer build --path {index} --geonames "
        "FILE_OR_FOLDER...'.\n"
    )
    assert index.read_bytes() == before


# -- village level: SY.zip and IQ.zip from ../shared/gazetteer -----------------------------
# Villages of SY.zip with population 0 (feature code PPL) that the built-in index lacks.
SYRIAN_VILLAGES = [
    ("Khirbat Khasfayn", 1745, "Al Qunaytirah"),
    ("Habbat Nazzal", 1816, "Al Hasakah"),
    ("Jubb ash Shami", 2316, "Hims"),
]


@pytest.mark.parametrize("name, geonameid, province", SYRIAN_VILLAGES)
def test_search_finds_villages_the_builtin_index_lacks(
    gazetteer, village_settings, name, geonameid, province
):
    runner = CliRunner()
    builtin = runner.invoke(cli, ["--gazetteer", str(gazetteer.path), "gazetteer", "search",
                                  name, "--country", "SY"])
    assert builtin.exit_code == 0
    assert f"No place named {name!r} in SY" in builtin.stdout
    village = runner.invoke(cli, ["--gazetteer", village_settings.gazetteer, "gazetteer",
                                  "search", name, "--country", "SY", "--json"])
    assert village.exit_code == 0, village.output
    # Namesakes in the same province may rank either way; the village must be among them.
    found = [json.loads(line) for line in village.stdout.splitlines()]
    (row,) = [r for r in found if r["geonameid"] == geonameid]
    assert row["name"] == name
    assert (row["feature_code"], row["population"]) == ("PPL", 0)
    assert row["admin1"] == province
