"""`rearguard gazetteer build|search|info` through the command line."""

import json

from click.testing import CliRunner

from rearguard.cli import cli

from .geo.test_geonames_dump import dumps  # noqa: F401  (fixture: small GeoNames files)


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
