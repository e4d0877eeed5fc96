"""Bounded, total input handling (issue 11, point 4), at the library level: text made safe
before it is hashed, stored or extracted; texts cut to size and flagged; the language
recorded; a folder's files read by content, and files that hold no article skipped."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from rearguard.errors import InputError
from rearguard.ingest import Source, read_sources
from rearguard.ingest.language import detect_language
from rearguard.ingest.sources import sniff
from rearguard.io import MAX_TEXT_CHARS, REMOVED_CHARS, cut_text, normalise_text
from rearguard.pipeline import article_from_file, content_id
from rearguard.types import Article

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "ingest"
SHIRQAT = (ROOT / "examples" / "shirqat-2016-11-06.txt").read_text(encoding="utf-8")
ARABIC = ("قتل خمسة جنود عراقيين في هجوم لتنظيم الدولة الإسلامية على مدينة الشرقاط يوم "
          "الأحد، وفق ما أفاد مسؤول أمني.")
RLM, LRI, PDI = "\u200f", "\u2066", "\u2069"


def _articles(items: list) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


# -- normalisation -----------------------------------------------------------------------

def test_nul_and_bidi_controls_are_removed_and_nothing_else() -> None:
    kept = "Mosul\r\n\tal-Sharqāt  «x» \u00a0 — 5\n"
    assert normalise_text(kept) == kept
    dirty = f"Clashes in {RLM}Shirqat{RLM}\x00 and {LRI}Hawija{PDI}."
    assert normalise_text(dirty) == "Clashes in Shirqat and Hawija."
    every = "".join(REMOVED_CHARS)
    assert normalise_text(f"a{every}b") == "ab"
    assert {"\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069"} <= set(every)


def test_ids_are_hashes_of_the_normalised_text(tmp_path: Path) -> None:
    clean = "Five soldiers were killed in Shirqat on Sunday, an officer said.\n"
    dirty = clean.replace("Shirqat", f"{RLM}Shirqat{RLM}").replace("Sunday", "Sun\x00day")
    (tmp_path / "dirty.txt").write_text("x" * 9000 + dirty, encoding="utf-8")  # NUL past 8 KB
    (tmp_path / "clean.txt").write_text("x" * 9000 + clean, encoding="utf-8")
    lines = tmp_path / "a.jsonl"
    lines.write_text(json.dumps({"text": "x" * 9000 + dirty, "title": f"{RLM}T"}) + "\n",
                     encoding="utf-8")
    dirty_file, clean_file, record = _articles(list(read_sources(
        [tmp_path / "dirty.txt", tmp_path / "clean.txt", lines])))
    assert dirty_file.text == clean_file.text == record.text
    assert dirty_file.id == clean_file.id == record.id == content_id(clean_file.text)
    assert record.title == "T"
    assert article_from_file(tmp_path / "dirty.txt").id == clean_file.id  # extract agrees


# -- the size limit ----------------------------------------------------------------------

def test_cut_prefers_a_paragraph_then_a_sentence_then_the_limit() -> None:
    assert cut_text("short", 100) == ("short", False)
    paragraphs = "First paragraph. " * 5 + "\n" + "Second one. " * 10
    text, cut = cut_text(paragraphs, 120)
    assert cut and text == ("First paragraph. " * 5).rstrip()
    one_line = "One sentence here. " * 20
    text, cut = cut_text(one_line, 100)
    assert cut and text.endswith("here.") and len(text) <= 100 and len(text) > 50
    no_breaks = "x" * 300
    assert cut_text(no_breaks, 100) == ("x" * 100, True)
    early_break = "a\n" + "b" * 300  # a break in the first half is not used
    assert cut_text(early_break, 100) == (early_break[:100], True)


def test_a_long_file_is_cut_flagged_and_warned_about(tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture
                                                      ) -> None:
    paragraph = "Militants attacked a checkpoint near Shirqat and were repelled. " * 20
    text = "\n".join([paragraph] * (MAX_TEXT_CHARS // len(paragraph) + 5))
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="rearguard"):
        (article,) = read_sources([path])
    assert article.flags == "truncated"
    assert len(article.text) <= MAX_TEXT_CHARS and text.startswith(article.text)
    assert article.text.endswith("repelled.")  # at a paragraph's end
    assert article.id == content_id(article.text)
    (record,) = [r for r in caplog.records if r.name == "rearguard"]
    assert str(path) in record.getMessage() and "truncated" in record.getMessage()
    (short,) = read_sources([DATA / "folder" / "avdiivka-2017-01-31.txt"])
    assert short.flags is None


def test_a_long_jsonl_record_and_feed_entry_are_cut_too(tmp_path: Path) -> None:
    text = "Shelling hit the town. " * (MAX_TEXT_CHARS // 20)
    lines = tmp_path / "long.jsonl"
    lines.write_text(json.dumps({"id": "big", "text": text}) + "\n", encoding="utf-8")
    (article,) = read_sources([lines])
    assert article.flags == "truncated" and len(article.text) <= MAX_TEXT_CHARS
    feed = tmp_path / "long.xml"
    feed.write_text("<rss version='2.0'><channel><title>T</title><item><title>x</title>"
                    f"<description>{text}</description></item></channel></rss>",
                    encoding="utf-8")
    (entry,) = read_sources([feed])
    assert entry.flags == "truncated" and len(entry.text) <= MAX_TEXT_CHARS


# -- language ------------------------------------------------------------------------------

def test_language_is_detected_recorded_and_warned_about(tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture
                                                         ) -> None:
    assert detect_language(SHIRQAT) == "en"
    assert detect_language(ARABIC) == "ar"
    assert detect_language("Shirqat, Qayyarah, Mosul") is None  # too little to tell
    (tmp_path / "ar.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "en.txt").write_text(SHIRQAT, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="rearguard"):
        arabic, english = read_sources([tmp_path / "ar.txt", tmp_path / "en.txt"])
    assert arabic.language == "ar" and english.language == "en"
    (warning,) = [r.getMessage() for r in caplog.records if r.name == "rearguard"]
    assert "ar.txt" in warning and "Arabic" in warning and "not extracted" in warning


# -- folders: by content, and what is skipped -----------------------------------------------

def test_sniff_decides_by_extension_and_content(tmp_path: Path) -> None:
    files = {
        "a.txt": "Plain report.\n",
        "noext": "Plain report.\n",
        "page.php": "<!DOCTYPE html><html><body><p>x</p></body></html>",
        "feed.dat": "<?xml version='1.0'?>\n<!-- c --><rss version='2.0'></rss>",
        "atom.xml": "<feed xmlns='http://www.w3.org/2005/Atom'></feed>",
        "sitemap.xml": "<?xml version='1.0'?><urlset></urlset>",
        "lines.json": '{"id": 1, "text": "A report."}\n{"id": 2, "text": "B."}\n',
        "expected.json": '{\n  "reports": []\n}\n',
        "list.json": '[{"text": "x"}]',
        "notes.md": "# Notes\n",
        "data.csv": "a,b\n1,2\n",
        "svg.svg": "<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        "photo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00",
        "x.html": "anything",
        "y.jsonl": "anything",
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    kinds = {name: sniff(tmp_path / name)[0] for name in files}
    assert kinds == {"a.txt": "text", "noext": "text", "page.php": "html",
                     "feed.dat": "feed", "atom.xml": "feed", "sitemap.xml": None,
                     "lines.json": "jsonl", "expected.json": None, "list.json": None,
                     "notes.md": None, "data.csv": None, "svg.svg": None,
                     "photo.png": None, "x.html": "html", "y.jsonl": "jsonl"}
    assert "binary" in sniff(tmp_path / "photo.png")[1]
    assert "JSON" in sniff(tmp_path / "expected.json")[1]


def test_a_folder_skips_what_is_not_an_article_and_says_so(tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture
                                                           ) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    with caplog.at_level(logging.WARNING, logger="rearguard"):
        items = list(read_sources([tmp_path / "examples"]))
    assert not [i for i in items if isinstance(i, InputError)]
    articles = _articles(items)
    assert len(articles) == 6 and all("golden control expectations" not in a.text.lower()
                                      and '"reports"' not in a.text for a in articles)
    skipped = [r.skipped for r in caplog.records if hasattr(r, "skipped")]
    assert skipped == [(str(tmp_path / "examples" / "golden" / "expected.json"),
                        skipped[0][1])]


def test_a_named_json_file_that_is_not_articles_is_an_error() -> None:
    (error,) = read_sources([ROOT / "examples" / "golden" / "expected.json"])
    assert isinstance(error, InputError) and error.code == "E128"
    assert "expected.json" in error.message and "\n" not in error.message


def test_a_named_file_of_another_kind_is_read_as_that(tmp_path: Path) -> None:
    feed = tmp_path / "news.txt"
    shutil.copy(DATA / "feed.xml", feed)
    as_feed = _articles(list(read_sources([DATA / "feed.xml"])))
    assert len(as_feed) > 1
    assert _articles(list(read_sources([feed]))) == as_feed  # content says feed
    assert Source.of(feed).kind == "text"  # the name alone says text
