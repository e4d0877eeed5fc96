"""Tracebacks the generated inputs found (issue 11, point 5), each as the smallest input
that gives it. Those fixed here pass; the others are strict xfails naming the code and the
fix proposed, so they stay visible and fail the suite (XPASS) the day they are fixed, when
the xfail mark and the matching entry of ``inputs.KNOWN_FAILURES`` go."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rearguard.cli import cli

from .inputs import check_result, known

pytestmark = pytest.mark.issue(11)

DEEP = "[" * 100_000 + "]" * 100_000


def _run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _problems(result) -> list[str]:
    return check_result(result)


def test_a_deeply_nested_json_file_in_a_folder_is_skipped(tmp_path: Path) -> None:
    """Fixed here: the folder sniffer read the first line of a .json with json.loads, which
    raises RecursionError (not a ValueError) past ~1,000 levels of nesting."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "deep.json").write_text(DEEP + "\n")
    (folder / "deep.dat").write_text('{"a": ' * 50_000 + "1" + "}" * 50_000 + "\n")
    result = _run("ingest", folder, "--db", tmp_path / "s.db", "--quiet")
    assert _problems(result) == []
    assert result.exit_code == 1 and "[E126]" in result.stderr  # nothing else to read
    assert "skipped 2 files" in result.stderr


# Was a known failure: rearguard/io.py iter_jsonl now reports it as E105.
@pytest.mark.parametrize("command", ["ingest", "extract", "geocode", "classify"])
def test_a_deeply_nested_json_line(tmp_path: Path, command: str) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"text": "Rebels seized Goma."}\n{"text": ' + DEEP + "}\n")
    args = (["ingest", path, "--db", tmp_path / "s.db", "--quiet"] if command == "ingest"
            else [command, "--input", path])
    result = _run(*args, "--keep-going")
    assert _problems(result) == [] and result.exit_code == 2


# Was a known failure: rearguard/io.py iter_jsonl now reports it as E105.
def test_a_number_of_5000_digits_in_a_json_line(tmp_path: Path) -> None:
    path = tmp_path / "digits.jsonl"
    path.write_text('{"text": "Rebels seized Goma.", "id": ' + "9" * 5000 + "}\n")
    result = _run("ingest", path, "--db", tmp_path / "s.db", "--quiet")
    assert _problems(result) == [] and result.exit_code == 1


# Was a known failure (UnicodeEncodeError on a lone surrogate): rearguard.io.normalise_text
# replaces them with U+FFFD where text is read.
@pytest.mark.parametrize("command", ["ingest", "extract", "geocode", "classify"])
def test_a_lone_surrogate_in_a_json_line(tmp_path: Path, command: str) -> None:
    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"id": "s\\udfff", "text": "Airstrikes killed five civilians in Sinjar '
                    '\\ud800 on Monday.", "published": "2016-11-07"}\n')
    args = (["ingest", path, "--db", tmp_path / "s.db", "--quiet"] if command == "ingest"
            else [command, "--input", path])
    result = _run(*args)
    problems = _problems(result)
    assert problems == [], [known(p) for p in problems]


# Was a known failure (lxml refused a control character it had parsed, outside the try):
# the paragraph loops are inside it now (rearguard/ingest/feeds.py html_fragment_text).
@pytest.mark.parametrize("body", ["&lt;p&gt;Rebels seized Goma.&amp;#7;&lt;/p&gt;",
                                  "<![CDATA[<p>Rebels seized Goma.\x07</p>]]>"])
def test_a_control_character_in_a_feed_entry(tmp_path: Path, body: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                    "<title>Wire</title><item><title>Goma</title>"
                    "<link>https://news.example.org/goma</link>"
                    f"<description>{body}</description></item></channel></rss>")
    result = _run("ingest", path, "--db", tmp_path / "s.db", "--quiet")
    assert _problems(result) == [] and result.exit_code == 0


# Was a known failure (OverflowError from the relative-date rules): publication dates are
# now bounded where they are read (rearguard/io.py PUBLISHED_YEARS), and find_dates drops
# a date its rule cannot count to.
@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_a_publication_date_at_the_start_of_the_calendar(tmp_path: Path, command: str) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Islamic State militants attacked the town of Hit in Anbar province on "
                    "Sunday, killing six soldiers, a local official said.\n")
    extra = ["--db", tmp_path / "s.db", "--quiet"] if command == "ingest" else []
    result = _run(command, path, "--published", "0001-01-01", *extra)
    assert _problems(result) == []
    assert result.exit_code == 1  # a one-line error (E113), not a traceback


# Was a known failure (a long Arabic report read as no language): the detector now reads
# the first 1,000 characters (rearguard/ingest/language.py SAMPLE_CHARS).
def test_a_long_arabic_text_is_detected_as_arabic() -> None:
    from rearguard.ingest.language import detect_language

    sentence = "مقتل خمسة جنود في هجوم على حاجز في الموصل يوم الأحد. "
    assert detect_language(sentence * 5) == "ar"  # short: detected
    assert detect_language(sentence * 400) == "ar"


@pytest.mark.parametrize("ref", ["&#55296;", "&#xD800;", "&#x110000;"])
def test_a_character_reference_to_a_surrogate_in_a_feed(tmp_path: Path, ref: str) -> None:
    """Found by the large run (seed 82): feedparser's loose parser turned "&#55296;" into a
    lone surrogate and raised UnicodeEncodeError; rearguard/ingest/feeds.py makes such
    references U+FFFD before parsing."""
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                    f"<title>Wire {ref}</title><item><title>Hit {ref}</title><description>"
                    "Islamic State militants attacked the town of Hit in Anbar province on "
                    "Sunday, killing six soldiers.</description></item></channel></rss>\n")
    result = _run("ingest", path, "--db", tmp_path / "s.db", "--quiet")
    assert _problems(result) == [] and result.exit_code == 0
