"""Corpus readers: the real development files (skipped when absent) and small synthetic ones."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from rearguard.errors import EvalDataError
from rearguard.eval.corpora import (
    CORPUS_FILES,
    GoldDoc,
    compare_gwn,
    corpus_dir,
    corpus_path,
    default_data_dir,
    load_corpus,
    read_geovirus,
    read_gwn,
    read_trnews,
)

DATA = corpus_dir(default_data_dir())
HAVE_DATA = all((DATA / f).is_file() for f in [*CORPUS_FILES.values(), "gwn_full.txt"])

# Development halves, per the corpora's README; toponym counts as read here.
EXPECTED_DOCS = {"gwn": 101, "lgl": 293, "trnews": 53, "geovirus": 112}
EXPECTED_TOPONYMS = {"gwn": 1234, "lgl": 2175, "trnews": 528, "geovirus": 1098}


@pytest.fixture(scope="module")
def corpora() -> dict[str, tuple[list[GoldDoc], Counter[str]]]:
    if not HAVE_DATA:
        pytest.skip(f"evaluation corpora not found in {DATA}")
    out = {}
    for name in CORPUS_FILES:
        stats: Counter[str] = Counter()
        out[name] = (load_corpus(name, DATA, stats=stats), stats)
    return out


@pytest.mark.parametrize("name", sorted(CORPUS_FILES))
def test_real_corpus_counts(corpora, name: str) -> None:
    docs, stats = corpora[name]
    assert len(docs) == EXPECTED_DOCS[name]
    assert sum(len(d.toponyms) for d in docs) == EXPECTED_TOPONYMS[name]
    assert stats["offset_mismatch"] == 0
    assert len({d.id for d in docs}) == len(docs)
    assert all(d.corpus == name for d in docs)


@pytest.mark.parametrize("name", sorted(CORPUS_FILES))
def test_real_corpus_spans_and_coordinates(corpora, name: str) -> None:
    for doc in corpora[name][0]:
        for t in doc.toponyms:
            assert 0 <= t.start < t.end <= len(doc.text)
            assert doc.text[t.start:t.end] == t.text and t.text.strip()
            assert -90 <= t.latitude <= 90 and -180 <= t.longitude <= 180


def test_real_quirks(corpora) -> None:
    assert corpora["geovirus"][1]["shifted"] == EXPECTED_TOPONYMS["geovirus"]
    assert corpora["lgl"][1]["no_coords"] > 0  # toponyms without <gaztag> are skipped
    tr = corpora["trnews"][1]
    assert tr["realigned"] > 0 and tr["offset_mismatch"] == 0
    lgl_ids = [t.geonameid for d in corpora["lgl"][0] for t in d.toponyms]
    assert all(isinstance(i, int) for i in lgl_ids)


def test_real_gwn_full_agrees_with_xml() -> None:
    if not HAVE_DATA:
        pytest.skip(f"evaluation corpora not found in {DATA}")
    c = compare_gwn(DATA / "GWN.xml")
    assert c["articles_xml"] == c["lines_full"] == 101
    assert c["full_offset_mismatch"] == 0 and c["coord_mismatch"] == 0
    assert c["both"] + c["full_only"] == c["full"] == EXPECTED_TOPONYMS["gwn"]
    xml_docs = list(read_gwn(DATA / "GWN.xml", source="xml"))
    assert sum(len(d.toponyms) for d in xml_docs) == c["xml"]


# ----------------------------------------------------------------- synthetic


def test_geovirus_off_by_one(tmp_path: Path) -> None:
    xml = (
        "<articles><article><source>u</source><text>Cases in Pandi, Bulacan.</text>"
        "<locations><location><name>Pandi</name><start>10</start><end>15</end>"
        "<lat>14.87</lat><lon>120.95</lon></location>"
        "<location><name>Bulacan</name><start>17</start><end>24</end>"
        "<lat>15</lat><lon>121.08</lon></location></locations></article></articles>"
    )
    path = tmp_path / "GeoVirus.xml"
    path.write_text(xml, encoding="utf-8")
    stats: Counter[str] = Counter()
    (doc,) = read_geovirus(path, stats=stats)
    assert [(t.start, t.end, t.text) for t in doc.toponyms] == [
        (9, 14, "Pandi"), (16, 23, "Bulacan"),
    ]
    assert stats["shifted"] == 2 and doc.id == "geovirus-0"


def test_trnews_offsets_realign_and_skip(tmp_path: Path) -> None:
    text = "Rain in Edmonton and Kenyan hills; Ottawa too."
    def top(start: int, end: int, phrase: str) -> str:
        return (
            f"<toponym><start>{start}</start><end>{end}</end><phrase>{phrase}</phrase>"
            '<gaztag geonameid="1"><lat>1</lat><lon>2</lon></gaztag></toponym>'
        )
    xml = (
        f'<articles><article docid="7"><text><![CDATA[{text}]]></text><toponyms>'
        + top(6, 14, "Edmonton")  # shifted two left: 'n Edmont'
        + top(21, 26, "Kenya")  # offsets equal the phrase (inside 'Kenyan'): kept
        + top(35, 41, "Ottawa city")  # word-aligned offsets win over the phrase
        + top(0, 3, "Nowhere")  # broken, phrase not nearby: skipped
        + "<toponym><start>0</start><end>4</end><phrase>Rain</phrase></toponym>"
        + "</toponyms></article></articles>"
    )
    path = tmp_path / "TR-News.xml"
    path.write_text(xml, encoding="utf-8")
    stats: Counter[str] = Counter()
    (doc,) = read_trnews(path, stats=stats)
    assert [t.text for t in doc.toponyms] == ["Edmonton", "Kenya", "Ottawa"]
    assert stats["realigned"] == 1 and stats["kept_offsets"] == 1
    assert stats["offset_mismatch"] == 1 and stats["no_coords"] == 1
    stats2: Counter[str] = Counter()
    (doc2,) = read_trnews(path, stats=stats2, realign=False)
    assert [t.text for t in doc2.toponyms] == ["Kenya", "Ottawa"]


def test_gwn_full_joined_by_order(tmp_path: Path) -> None:
    xml = (
        '<articles><article file="5"><text>Shelling near Afrin.</text><toponyms>'
        "<toponym><extractedName>Afrin</extractedName><start>14</start><end>19</end>"
        "<geonamesID>174184</geonamesID><latitude>36.5</latitude><longitude>36.8</longitude>"
        "</toponym></toponyms></article>"
        '<article file="9"><text>Nothing here.</text><toponyms/></article></articles>'
    )
    (tmp_path / "GWN.xml").write_text(xml, encoding="utf-8")
    (tmp_path / "gwn_full.txt").write_text(
        "Afrin District,,Afrin,,36.5,,36.8,,14,,19||X,,Shelling,,1,,2,,0,,7\n\n",
        encoding="utf-8",
    )
    stats: Counter[str] = Counter()
    docs = list(read_gwn(tmp_path / "GWN.xml", stats=stats))
    assert [d.id for d in docs] == ["5", "9"]
    assert [(t.text, t.geonameid) for t in docs[0].toponyms] == [("Afrin", 174184)]
    assert stats["offset_mismatch"] == 1  # 'Shelling' spans 0-7 = 'Shellin'
    c = compare_gwn(tmp_path / "GWN.xml")
    assert (c["both"], c["full_only"], c["xml_only"], c["full_offset_mismatch"]) == (1, 1, 0, 1)


def test_errors_and_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(EvalDataError) as unknown:
        load_corpus("wiktor", tmp_path)
    assert unknown.value.code == "E502" and "lgl" in str(unknown.value)
    with pytest.raises(EvalDataError) as missing:
        load_corpus("lgl", tmp_path)
    assert missing.value.code == "E501" and "lgl.xml" in str(missing.value)
    (tmp_path / "geoparsing-news").mkdir()
    monkeypatch.setenv("REARGUARD_EVAL_DATA", str(tmp_path))
    assert default_data_dir() == tmp_path
    assert corpus_path("gwn") == tmp_path / "geoparsing-news" / "GWN.xml"
