"""rearguard.ingest.read_sources: real files of each kind, a local HTTP server for URLs,
and one one-line InputError for each bad source while the rest of the batch proceeds."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from rearguard.errors import InputError, RearguardError
from rearguard.ingest import Source, read_sources
from rearguard.pipeline import article_from_file, content_id
from rearguard.types import Article

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
BAD = DATA / "bad"


def _articles(items: list) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def _errors(items: list) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def _one_line_error(error: InputError, name: str, code: str) -> None:
    assert isinstance(error, RearguardError)
    assert error.code == code, error.message
    assert "\n" not in error.message
    assert name in error.message


# -- text files and folders ------------------------------------------------------------

def test_text_file_matches_article_from_file() -> None:
    path = DATA / "folder" / "avdiivka-2017-01-31.txt"
    (article,) = list(read_sources([str(path)]))
    plain = article_from_file(path)
    assert article.id == plain.id == content_id(path.read_text(encoding="utf-8"))
    assert article.text == plain.text
    assert article.published == "2017-01-31"  # from the file name
    assert article.title == "Shelling in Avdiivka"
    assert article.url is None and article.source is None


def test_published_option_wins_over_the_file_name() -> None:
    path = DATA / "folder" / "avdiivka-2017-01-31.txt"
    (article,) = list(read_sources([path], published="2017-02-01"))
    assert article.published == "2017-02-01"


def test_a_sentence_is_not_a_title() -> None:
    (article,) = list(read_sources([DATA / "folder" / "sub" / "khartoum.txt"]))
    assert article.title is None and article.published is None


def test_folder_is_recursive_sorted_and_skips_hidden_and_binary_files() -> None:
    items = list(read_sources([str(DATA / "folder") + "/"]))
    assert not _errors(items)
    texts = [a.text.split()[0:2] for a in _articles(items)]
    # avdiivka-...txt, then sub/kandahar (no extension: text), sub/khartoum.txt;
    # .hidden.txt and sub/map.png are skipped
    assert texts == [["Shelling", "in"], ["An", "IED"], ["Police", "dispersed"]]
    assert all("hidden" not in a.text for a in _articles(items))


def test_folder_skips_hidden_folders_and_reports_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "report.txt").write_text("Fighting was reported in Aleppo.\n")
    (tmp_path / "a.txt").write_bytes(b"caf\xe9 bombed\n")  # Latin-1
    (tmp_path / "c.txt").write_bytes(b"\x00\x01binary with a text name")
    items = list(read_sources([tmp_path]))
    assert [type(i).__name__ for i in items] == ["InputError", "Article", "InputError"]
    _one_line_error(items[0], "a.txt", "E104")
    assert items[1].text == "Fighting was reported in Aleppo.\n"
    _one_line_error(items[2], "c.txt", "E103")  # named .txt: an error, not skipped


def test_empty_folder_is_one_error(tmp_path: Path) -> None:
    (tmp_path / ".hidden").write_text("x\n")
    (error,) = list(read_sources([tmp_path]))
    _one_line_error(error, str(tmp_path), "E126")


# -- HTML ------------------------------------------------------------------------------

def test_html_page_main_text_and_metadata() -> None:
    (article,) = list(read_sources([DATA / "page.html"]))
    assert article.title == "Car bomb kills five near Mosul checkpoint"
    assert article.published == "2016-11-06"
    assert article.url == "https://news.example.org/2016/11/06/car-bomb-mosul-checkpoint"
    assert article.source == "Frontline Wire"
    assert article.id == content_id(article.text)
    assert "A car bomb exploded at an Iraqi army checkpoint" in article.text
    assert "reinforcements had been sent to the area." in article.text
    for boilerplate in ("Subscribe", "Privacy policy", "Copyright", "Middle East"):
        assert boilerplate not in article.text
    paragraphs = article.text.split("\n")
    assert len(paragraphs) >= 4  # paragraph breaks kept, one paragraph a line
    assert paragraphs[-1].startswith("A spokesman for the Joint Operations Command")


# -- feeds -----------------------------------------------------------------------------

def test_rss_items_become_articles() -> None:
    items = list(read_sources([DATA / "feed.xml"]))
    assert len(items) == 3 and not _errors(items)
    first, second, third = items
    assert first.text == ("Kurdish-led forces clashed with Islamic State fighters north of "
                          "Raqqa on Saturday.\nThree fighters were killed, a monitoring "
                          "group said.")
    assert first.title == "Clashes reported in Raqqa countryside"
    assert first.url == "https://news.example.org/2016/11/05/raqqa-clashes"
    assert first.published == "2016-11-05"
    assert {a.source for a in items} == {"Frontline Wire: Middle East"}
    # script dropped, link text kept; 23:30 +0300 is still the 6th where it was written
    assert second.text == ("An airstrike hit a crowded market in Idlib city on Sunday "
                           "evening.\nRescue workers said at least seven civilians died.")
    assert second.published == "2016-11-06"
    assert third.text.startswith("Hundreds of people protested") and "<" not in third.text
    assert [a.id for a in items] == [content_id(a.text) for a in items]


def test_atom_entries_prefer_content_and_fall_back_to_updated() -> None:
    first, second = read_sources([DATA / "feed.atom"])
    assert first.text.startswith("Gunmen attacked the village of Ogossagou")
    assert "Short summary" not in first.text
    assert first.published == "2019-03-23"
    assert first.source == "Sahel Monitor"
    assert second.text == ("Four soldiers were killed when their vehicle struck a mine "
                           "near Djibo.")
    assert second.published == "2019-03-24"  # no <published>: <updated>
    assert second.url == "https://sahel.example.net/2019/03/24/burkina"


def test_feed_entry_without_text_is_one_error_and_published_fills_gaps(tmp_path: Path
                                                                        ) -> None:
    feed = tmp_path / "f.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>Empty</title><link>https://x.test/1</link></item>"
        "<item><title>Undated</title><description>Troops shelled Marawi.</description>"
        "</item></channel></rss>", encoding="utf-8")
    error, article = read_sources([feed], published="2017-06-01")
    _one_line_error(error, "entry 1", "E125")
    assert "https://x.test/1" in error.message
    assert article.published == "2017-06-01" and article.text == "Troops shelled Marawi."


def test_bozo_feed_with_entries_is_still_read(tmp_path: Path) -> None:
    feed = tmp_path / "broken.xml"
    text = (DATA / "feed.xml").read_text(encoding="utf-8")
    feed.write_text(text.replace("</channel>\n</rss>", "<item><title>cut off"), "utf-8")
    items = list(read_sources([feed]))
    assert len(_articles(items)) == 3  # the cut-off item has no text: one error
    assert [e.code for e in _errors(items)] == ["E125"]


# -- JSON Lines ------------------------------------------------------------------------

def test_jsonl_keeps_given_ids_and_reports_bad_lines() -> None:
    path = DATA / "articles.jsonl"
    items = list(read_sources([path], published="2017-03-01"))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "InputError",
                                                 "InputError"]
    first, second, bad_json, bad_date = items
    assert first == Article(id="r1", text="Militants attacked a police post in Kismayo on "
                            "Tuesday.", published="2017-02-14", title="Kismayo attack",
                            url="https://example.com/kismayo", source="Somali Wire",
                            language="en")
    assert second.id == content_id(second.text)  # no id in the record
    assert second.published == "2017-03-01"  # from published=
    _one_line_error(bad_json, f"{path}:4", "E105")
    _one_line_error(bad_date, f"{path}:5", "E106")


# -- identity across sources -----------------------------------------------------------

def test_same_text_from_two_sources_has_one_id(tmp_path: Path) -> None:
    text = ("Hundreds of people protested outside the provincial council in Basra on "
            "Monday over power cuts.")
    (tmp_path / "basra.txt").write_text(text, encoding="utf-8")
    (tmp_path / "basra.jsonl").write_text(json.dumps({"text": text}) + "\n", "utf-8")
    from_text, from_jsonl, *from_feed = read_sources(
        [tmp_path / "basra.txt", tmp_path / "basra.jsonl", DATA / "feed.xml"])
    assert from_text.id == from_jsonl.id == from_feed[2].id == content_id(text)


# -- bad sources: one error each, the batch goes on ------------------------------------

@pytest.mark.parametrize(("name", "code"), [
    ("malformed.html", "E121"),
    ("no-text.html", "E122"),
    ("not-a-feed.xml", "E123"),
    ("latin1.txt", "E104"),
])
def test_bad_file_is_one_error_and_the_batch_proceeds(name: str, code: str) -> None:
    good = DATA / "folder" / "sub" / "khartoum.txt"
    items = list(read_sources([good, BAD / name, good]))
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article"]
    _one_line_error(items[1], str(BAD / name), code)


def test_html_without_tags_and_missing_and_empty_files(tmp_path: Path) -> None:
    (tmp_path / "plain.html").write_text("Just words, no markup at all.\n")
    (tmp_path / "empty.xml").write_text("")
    items = list(read_sources([tmp_path / "plain.html", tmp_path / "missing.txt",
                               tmp_path / "empty.xml", "ftp://example.org/feed"]))
    assert [i.code for i in items] == ["E121", "E101", "E102", "E127"]
    assert all("\n" not in i.message for i in items)


def test_forced_kind_reads_a_feed_under_any_name(tmp_path: Path) -> None:
    odd = tmp_path / "news.dat"
    shutil.copy(DATA / "feed.atom", odd)
    assert len(list(read_sources([Source(str(odd), "feed")]))) == 2
    assert Source.of(odd).kind == "text"
    assert Source.of(DATA / "folder").kind == "folder"
    assert Source.of("https://x.test/a").kind == "url"
    with pytest.raises(InputError):
        Source("x", "pdf")


def test_nothing_to_read_and_bad_published_raise() -> None:
    with pytest.raises(InputError) as info:
        read_sources([])
    assert info.value.code == "E120"
    with pytest.raises(InputError) as info:
        read_sources([DATA / "feed.xml"], published="last week")
    assert info.value.code == "E112"


def test_a_single_path_is_one_source() -> None:
    assert len(list(read_sources(str(DATA / "feed.xml")))) == 3


# -- URLs ------------------------------------------------------------------------------

class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, directory=str(DATA), **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_feed_url_gives_the_same_articles_as_the_file(server: str) -> None:
    from_url = list(read_sources([f"{server}/feed.xml"]))
    assert from_url == list(read_sources([DATA / "feed.xml"]))


def test_url_of_a_page_gives_its_article(server: str) -> None:
    (article,) = read_sources([f"{server}/page.html"])
    assert article.url == "https://news.example.org/2016/11/06/car-bomb-mosul-checkpoint"


def test_bad_urls_are_one_error_each(server: str) -> None:
    closed = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    items = list(read_sources([closed, f"{server}/missing.xml",
                               f"{server}/bad/not-a-feed.xml", f"{server}/feed.atom"]))
    assert [type(i).__name__ for i in items] == ["InputError"] * 3 + ["Article"] * 2
    _one_line_error(items[0], closed, "E124")
    _one_line_error(items[1], "missing.xml", "E124")
    assert "404" in items[1].message
    _one_line_error(items[2], "not-a-feed.xml", "E123")
