"""The composer reads English only: another language is recorded and gives no events (not
whatever the English rules make of it), and a cut text keeps its flag."""

from __future__ import annotations

from pathlib import Path

from rearguard.pipeline import article_from_file, extract_article

# Reuters Arabic-style lead: "Baghdad (Reuters) - Police said a car bomb killed five people
# in a market in Baghdad on Thursday."
ARABIC = ("بغداد (رويترز) - قالت الشرطة إن انفجار سيارة ملغومة قتل خمسة أشخاص في سوق شعبي "
          "ببغداد يوم الخميس.\n")


def test_an_arabic_report_is_recorded_and_not_extracted(tmp_path: Path, settings) -> None:
    path = tmp_path / "baghdad-2016-11-06.txt"
    path.write_text(ARABIC, encoding="utf-8")
    article = article_from_file(path)
    assert article.language == "ar"
    assert extract_article(article, settings=settings).events == ()


def test_an_english_report_is_read(tmp_path: Path, settings) -> None:
    path = tmp_path / "baghdad-2016-11-06.txt"
    path.write_text("BAGHDAD (Reuters) - A car bomb killed five people in a crowded market in "
                    "the Iraqi capital Baghdad on Thursday, police said.\n", encoding="utf-8")
    article = article_from_file(path)
    assert article.language == "en" and article.flags is None
    events = extract_article(article, settings=settings).events
    assert [e.location for e in events] == ["Baghdad"]
