"""Readers for the news geoparsing gold corpora: LGL, TR-News, GeoVirus and GeoWebNews.

Every reader yields :class:`GoldDoc` records whose toponyms satisfy
``doc.text[t.start:t.end] == t.text`` and carry gold coordinates. Toponyms that cannot
meet that are skipped; pass a ``collections.Counter`` as ``stats`` to learn how many and
why (keys: ``docs``, ``toponyms``, ``no_coords``, ``bad_coords``, ``offset_mismatch`` and,
per corpus, ``shifted``, ``realigned``, ``kept_offsets``, ``xml_only``...).

Corpus quirks handled here (see the corpora's README):

* GeoVirus offsets are one past the name: ``text[start-1:end-1] == name``.
* TR-News: the offsets are the truth where they delimit whole words (the ``phrase`` can
  differ, e.g. ``Kenyan`` over the span ``Kenya``). Some offsets are shifted a few
  characters left of the phrase (``'monton, '`` for ``Edmonton``); with ``realign=True``
  those are moved to the nearest occurrence of the phrase within a few characters.
* GeoWebNews: the default gold is ``gwn_full.txt`` (the list the paper's geocoding test
  uses), joined to the ``GWN.xml`` articles by order; ``source="xml"`` uses the
  ``GWN.xml`` toponyms that have latitude/longitude instead.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import EvalDataError

CORPUS_FILES: dict[str, str] = {
    "lgl": "lgl.xml",
    "trnews": "TR-News.xml",
    "geovirus": "GeoVirus.xml",
    "gwn": "GWN.xml",
}
GWN_FULL = "gwn_full.txt"
SUBDIR = "geoparsing-news"
_REALIGN_WINDOW = 8  # characters either side of a TR-News start to look for the phrase


@dataclass(frozen=True)
class GoldToponym:
    """A gold toponym: ``text`` is the surface form ``doc.text[start:end]``."""

    start: int
    end: int
    text: str
    latitude: float
    longitude: float
    geonameid: int | None = None


@dataclass(frozen=True)
class GoldDoc:
    """One gold article with its geocoded toponyms (in file order)."""

    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    corpus: str


# --------------------------------------------------------------------------- helpers


def default_data_dir() -> Path:
    """The shared evaluation folder: $REARGUARD_EVAL_DATA, ../shared/eval from the
    working directory, or ../shared/eval next to the repository root (first that exists)."""
    env = os.environ.get("REARGUARD_EVAL_DATA")
    if env:
        return Path(env).expanduser()
    candidates = [
        Path.cwd() / ".." / "shared" / "eval",
        Path(__file__).resolve().parents[2] / ".." / "shared" / "eval",
    ]
    for path in candidates:
        if path.is_dir():
            return path.resolve()
    return candidates[0]


def corpus_dir(data_dir: str | Path | None = None) -> Path:
    """The folder holding the corpus files; accepts it or its parent ``shared/eval``."""
    base = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    if (base / SUBDIR).is_dir():
        return base / SUBDIR
    return base


def _parse(path: str | Path) -> ET.Element:
    path = Path(path)
    if not path.is_file():
        raise EvalDataError("E501", path=path)
    return ET.parse(path).getroot()


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None and value.strip() else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None and value.strip() else None
    except ValueError:
        return None


def _in_range(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180


def _matches(text: str, start: int | None, end: int | None, surface: str | None) -> bool:
    if start is None or end is None or not surface:
        return False
    return 0 <= start < end <= len(text) and text[start:end] == surface


def _word_aligned(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` is non-empty, in range and starts/ends at word edges."""
    if not 0 <= start < end <= len(text):
        return False
    inner = text[start].isalnum() and (text[end - 1].isalnum() or text[end - 1] == ".")
    before = start == 0 or not text[start - 1].isalnum()
    after = end == len(text) or not text[end].isalnum()
    return inner and before and after


def _make(
    text: str, start: int, end: int, lat: float | None, lon: float | None,
    geonameid: int | None, stats: Counter[str],
) -> GoldToponym | None:
    """A GoldToponym over ``text[start:end]``, or None (counted) for bad coordinates."""
    if not _in_range(lat, lon):
        stats["bad_coords"] += 1
        return None
    stats["toponyms"] += 1
    assert lat is not None and lon is not None
    return GoldToponym(start, end, text[start:end], lat, lon, geonameid)


# ------------------------------------------------------------------- LGL / TR-News


def _gaztag_coords(toponym: ET.Element) -> tuple[float | None, float | None, int | None]:
    gaz = toponym.find("gaztag")
    if gaz is None:
        return None, None, None
    lat, lon = _float(gaz.findtext("lat")), _float(gaz.findtext("lon"))
    return lat, lon, _int(gaz.get("geonameid"))


def _realign(text: str, start: int, phrase: str) -> int | None:
    """Start of the occurrence of ``phrase`` nearest ``start`` (within the window)."""
    hits: list[int] = []
    pos = text.find(phrase, max(0, start - _REALIGN_WINDOW))
    while pos != -1 and pos <= start + _REALIGN_WINDOW:
        hits.append(pos)
        pos = text.find(phrase, pos + 1)
    return min(hits, key=lambda p: abs(p - start), default=None)


def _span_lgl(
    text: str, toponym: ET.Element, offsets_rule: bool, realign: bool, stats: Counter[str]
) -> tuple[int, int] | None:
    """The span of an LGL/TR-News toponym, or None (counted as offset_mismatch)."""
    start, end = _int(toponym.findtext("start")), _int(toponym.findtext("end"))
    phrase = toponym.findtext("phrase") or ""
    if _matches(text, start, end, phrase):
        return start, end  # type: ignore[return-value]
    if offsets_rule and start is not None and end is not None and _word_aligned(text, start, end):
        stats["kept_offsets"] += 1
        return start, end
    if realign and start is not None and phrase:
        pos = _realign(text, start, phrase)
        if pos is not None:
            stats["realigned"] += 1
            return pos, pos + len(phrase)
    stats["offset_mismatch"] += 1
    return None


def _read_lgl_schema(
    path: str | Path, corpus: str, stats: Counter[str] | None, offsets_rule: bool, realign: bool
) -> Iterator[GoldDoc]:
    stats = stats if stats is not None else Counter()
    for article in _parse(path).iter("article"):
        text = article.findtext("text") or ""
        golds: list[GoldToponym] = []
        for toponym in article.iterfind("toponyms/toponym"):
            lat, lon, gid = _gaztag_coords(toponym)
            if lat is None or lon is None:
                stats["no_coords"] += 1
                continue
            span = _span_lgl(text, toponym, offsets_rule, realign, stats)
            gold = _make(text, *span, lat, lon, gid, stats) if span else None
            if gold is not None:
                golds.append(gold)
        stats["docs"] += 1
        yield GoldDoc(article.get("docid") or str(stats["docs"]), text, tuple(golds), corpus)


def read_lgl(path: str | Path, *, stats: Counter[str] | None = None) -> Iterator[GoldDoc]:
    """LGL articles; toponyms need a ``<gaztag>`` with lat/lon and ``text[start:end] == phrase``."""
    return _read_lgl_schema(path, "lgl", stats, offsets_rule=False, realign=False)


def read_trnews(
    path: str | Path, *, stats: Counter[str] | None = None, realign: bool = True
) -> Iterator[GoldDoc]:
    """TR-News articles (LGL schema). Offsets win over ``phrase`` when they delimit whole
    words; shifted offsets are moved onto the phrase when ``realign``, else skipped."""
    return _read_lgl_schema(path, "trnews", stats, offsets_rule=True, realign=realign)


# ------------------------------------------------------------------------- GeoVirus


def _span_geovirus(
    text: str, location: ET.Element, stats: Counter[str]
) -> tuple[int, int] | None:
    """GeoVirus offsets are one past the name; accept unshifted ones too (counted)."""
    start, end = _int(location.findtext("start")), _int(location.findtext("end"))
    name = location.findtext("name") or ""
    if start is None or end is None:
        stats["offset_mismatch"] += 1
        return None
    if _matches(text, start - 1, end - 1, name):
        stats["shifted"] += 1
        return start - 1, end - 1
    if _matches(text, start, end, name):
        stats["unshifted"] += 1
        return start, end
    stats["offset_mismatch"] += 1
    return None


def read_geovirus(path: str | Path, *, stats: Counter[str] | None = None) -> Iterator[GoldDoc]:
    """GeoVirus articles (ids ``geovirus-<n>``, in file order) with the off-by-one fixed."""
    stats = stats if stats is not None else Counter()
    for number, article in enumerate(_parse(path).iter("article")):
        text = article.findtext("text") or ""
        golds: list[GoldToponym] = []
        for location in article.iterfind("locations/location"):
            lat, lon = _float(location.findtext("lat")), _float(location.findtext("lon"))
            if lat is None or lon is None:
                stats["no_coords"] += 1
                continue
            span = _span_geovirus(text, location, stats)
            gold = _make(text, *span, lat, lon, None, stats) if span else None
            if gold is not None:
                golds.append(gold)
        stats["docs"] += 1
        yield GoldDoc(f"geovirus-{number}", text, tuple(golds), "geovirus")


# ---------------------------------------------------------------------- GeoWebNews


@dataclass(frozen=True)
class _FullEntry:
    normalised: str
    surface: str
    latitude: float | None
    longitude: float | None
    start: int | None
    end: int | None


def _read_gwn_full(path: Path) -> list[list[_FullEntry]]:
    """``gwn_full.txt``: one line per article, ``||``-separated entries of
    ``normalised,,surface,,lat,,lon,,start,,end``."""
    if not path.is_file():
        raise EvalDataError("E501", path=path)
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline; an empty line before it is an article without gold
    rows: list[list[_FullEntry]] = []
    for line in lines:
        entries = []
        for raw in filter(None, line.rstrip("\r").split("||")):
            f = raw.split(",,") + [""] * 6
            entries.append(
                _FullEntry(f[0], f[1], _float(f[2]), _float(f[3]), _int(f[4]), _int(f[5]))
            )
        rows.append(entries)
    return rows


def _gwn_articles(xml_path: str | Path) -> list[ET.Element]:
    return list(_parse(xml_path).iter("article"))


def _gwn_xml_gold(article: ET.Element) -> list[ET.Element]:
    """The article's toponyms that have latitude and longitude."""
    return [
        t for t in article.iterfind("toponyms/toponym")
        if _float(t.findtext("latitude")) is not None
        and _float(t.findtext("longitude")) is not None
    ]


def _gwn_from_xml(article: ET.Element, text: str, stats: Counter[str]) -> list[GoldToponym]:
    golds: list[GoldToponym] = []
    for toponym in _gwn_xml_gold(article):
        start, end = _int(toponym.findtext("start")), _int(toponym.findtext("end"))
        if not _matches(text, start, end, toponym.findtext("extractedName")):
            stats["offset_mismatch"] += 1
            continue
        lat, lon = _float(toponym.findtext("latitude")), _float(toponym.findtext("longitude"))
        gid = _int(toponym.findtext("geonamesID"))
        gold = _make(text, start, end, lat, lon, gid, stats)  # type: ignore[arg-type]
        if gold is not None:
            golds.append(gold)
    return golds


def _gwn_ids_by_span(article: ET.Element) -> dict[tuple[int, int], int]:
    """GeoNames ids of the article's XML toponyms, by (start, end)."""
    ids: dict[tuple[int, int], int] = {}
    for toponym in article.iterfind("toponyms/toponym"):
        start, end = _int(toponym.findtext("start")), _int(toponym.findtext("end"))
        gid = _int(toponym.findtext("geonamesID"))
        if start is not None and end is not None and gid is not None:
            ids.setdefault((start, end), gid)
    return ids


def _gwn_from_full(
    article: ET.Element, text: str, entries: list[_FullEntry], stats: Counter[str]
) -> list[GoldToponym]:
    ids = _gwn_ids_by_span(article)
    golds: list[GoldToponym] = []
    for e in entries:
        if e.latitude is None or e.longitude is None:
            stats["no_coords"] += 1
            continue
        if not _matches(text, e.start, e.end, e.surface):
            stats["offset_mismatch"] += 1
            continue
        assert e.start is not None and e.end is not None
        gid = ids.get((e.start, e.end))
        gold = _make(text, e.start, e.end, e.latitude, e.longitude, gid, stats)
        if gold is not None:
            golds.append(gold)
    return golds


def read_gwn(
    xml_path: str | Path, *, source: str = "full", full_path: str | Path | None = None,
    stats: Counter[str] | None = None,
) -> Iterator[GoldDoc]:
    """GeoWebNews articles (ids: the ``file`` attribute). ``source="full"`` (default) takes
    the gold from ``gwn_full.txt`` (next to ``xml_path`` unless ``full_path``), joined to
    the articles by order; ``source="xml"`` takes the GWN.xml toponyms with coordinates."""
    if source not in ("full", "xml"):
        raise ValueError(f"source must be 'full' or 'xml', not {source!r}")
    stats = stats if stats is not None else Counter()
    articles = _gwn_articles(xml_path)
    rows: list[list[_FullEntry]] = []
    if source == "full":
        rows = _read_gwn_full(Path(full_path) if full_path else Path(xml_path).parent / GWN_FULL)
        if len(rows) != len(articles):
            raise ValueError(
                f"{GWN_FULL} has {len(rows)} lines but GWN.xml has {len(articles)} articles"
            )
    for number, article in enumerate(articles):
        text = article.findtext("text") or ""
        if source == "full":
            golds = _gwn_from_full(article, text, rows[number], stats)
        else:
            golds = _gwn_from_xml(article, text, stats)
        stats["docs"] += 1
        yield GoldDoc(article.get("file") or str(number), text, tuple(golds), "gwn")


def compare_gwn(xml_path: str | Path, full_path: str | Path | None = None) -> dict[str, int]:
    """How far ``gwn_full.txt`` agrees with the GWN.xml toponyms that have coordinates.

    Keys: ``xml`` and ``full`` (gold toponyms in each), ``both`` (same span in both),
    ``xml_only``, ``full_only``, ``coord_mismatch`` (same span, coordinates differ by more
    than 1e-4 degrees), ``full_offset_mismatch`` (full entries whose span is not the
    surface name), ``full_nongold_in_xml`` (full entries over XML toponyms without
    coordinates, e.g. ``Non_Toponym`` organisation names)."""
    articles = _gwn_articles(xml_path)
    rows = _read_gwn_full(Path(full_path) if full_path else Path(xml_path).parent / GWN_FULL)
    keys = ("xml", "full", "both", "xml_only", "full_only", "coord_mismatch",
            "full_offset_mismatch", "full_nongold_in_xml")
    counts: Counter[str] = Counter(dict.fromkeys(keys, 0))
    for article, entries in zip(articles, rows, strict=False):
        text = article.findtext("text") or ""
        xml = {
            (_int(t.findtext("start")), _int(t.findtext("end"))):
            (_float(t.findtext("latitude")), _float(t.findtext("longitude")))
            for t in _gwn_xml_gold(article)
        }
        all_spans = {
            (_int(t.findtext("start")), _int(t.findtext("end")))
            for t in article.iterfind("toponyms/toponym")
        }
        full = {(e.start, e.end): e for e in entries}
        counts["xml"] += len(xml)
        counts["full"] += len(entries)
        counts["full_offset_mismatch"] += sum(
            not _matches(text, e.start, e.end, e.surface) for e in entries
        )
        _compare_spans(xml, full, all_spans, counts)
    counts["articles_xml"], counts["lines_full"] = len(articles), len(rows)
    return dict(counts)


def _compare_spans(
    xml: dict[tuple[int | None, int | None], tuple[float | None, float | None]],
    full: dict[tuple[int | None, int | None], _FullEntry],
    all_spans: set[tuple[int | None, int | None]],
    counts: Counter[str],
) -> None:
    for span, (lat, lon) in xml.items():
        entry = full.get(span)
        if entry is None:
            counts["xml_only"] += 1
            continue
        counts["both"] += 1
        if None in (lat, lon, entry.latitude, entry.longitude) or max(
            abs(lat - entry.latitude), abs(lon - entry.longitude)  # type: ignore[operator]
        ) > 1e-4:
            counts["coord_mismatch"] += 1
    for span in full:
        if span not in xml:
            counts["full_only"] += 1
            counts["full_nongold_in_xml"] += span in all_spans


# ------------------------------------------------------------------------- loading


class _Reader(Protocol):
    def __call__(
        self, path: Path, /, *, stats: Counter[str] | None = None
    ) -> Iterator[GoldDoc]: ...


_READERS: dict[str, _Reader] = {
    "lgl": read_lgl,
    "trnews": read_trnews,
    "geovirus": read_geovirus,
    "gwn": read_gwn,
}


def corpus_path(name: str, data_dir: str | Path | None = None) -> Path:
    """The file of corpus ``name``; EvalDataError E502 for an unknown name."""
    if name not in CORPUS_FILES:
        raise EvalDataError("E502", name=name, known=", ".join(CORPUS_FILES))
    return corpus_dir(data_dir) / CORPUS_FILES[name]


def load_corpus(
    name: str, data_dir: str | Path | None = None, *, stats: Counter[str] | None = None
) -> list[GoldDoc]:
    """All documents of corpus ``name`` ('lgl', 'trnews', 'geovirus', 'gwn').

    ``data_dir`` is the folder with the files or its parent (``shared/eval``); default
    :func:`default_data_dir`. Missing files raise EvalDataError E501."""
    path = corpus_path(name, data_dir)
    if not path.is_file():
        raise EvalDataError("E501", path=path)
    return list(_READERS[name](path, stats=stats))
