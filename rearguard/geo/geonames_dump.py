"""Loading full GeoNames dumps that a user downloaded into a gazetteer being built.

Accepted files, recognised by name (``.zip`` files are read in place, one line at a time):

* the geoname table: ``allCountries.zip``, a country file such as ``IQ.zip`` / ``IQ.txt``
  (also ``cities500.zip`` and the like, which share its 19 columns);
* ``alternateNamesV2.zip`` / ``alternateNames.zip`` (also a country's alternate-names file,
  e.g. ``alternatenames/IQ.zip``, told from a geoname table by its column count);
* ``admin1CodesASCII.txt`` and ``admin2Codes.txt``, which give places their admin names.

They are loaded after the built-in sources: admin code tables first, then geoname tables,
then alternate names, whatever order they were given in. A place from a dump replaces a
built-in place with the same id (keeping its admin names when the dump has none for it);
names are added to those already there.

A folder stands for the GeoNames files in it (not its subfolders); other files there, such
as a README, are skipped. Every row is checked: a wrong column count, a coordinate that is
not a number or is outside ±90/±180, an id that is not a positive whole number, text that
is not UTF-8 or a zip that ends early or is corrupt stops the load with an error naming the
file and line (the build then leaves the previous index as it was).

For allCountries (12 million lines) nothing is held per row: places and names go to SQLite
in batches, repeated names are dropped by the index's unique (key, place) constraints,
and the ids that alternate names may attach to are a bitmap.
"""

from __future__ import annotations

import io
import math
import re
import sqlite3
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import BinaryIO, NoReturn, cast

from ..errors import GazetteerError, InputError
from .gazetteer import GazetteerWriter, PlaceRow
from .sources import _usable_alt, ascii_title

SOURCE = "geonames"
_BATCH = 5000

# File kinds, in the order they are loaded.
_ADMIN1, _ADMIN2, _TABLE, _ALTNAMES = range(4)
_KIND_BY_STEM = {
    "admin1codesascii": _ADMIN1,
    "admin1codes": _ADMIN1,
    "admin2codes": _ADMIN2,
    "allcountries": _TABLE,
    "no-country": _TABLE,
    "alternatenamesv2": _ALTNAMES,
    "alternatenames": _ALTNAMES,
}
_TABLE_STEM = re.compile(r"[a-z]{2}|cities\d+")
_COLUMNS = {_ADMIN1: (4,), _ADMIN2: (4,), _TABLE: (19,), _ALTNAMES: (10, 8)}
_KNOWN = (
    "expected allCountries.zip, a country file such as IQ.zip, alternateNamesV2.zip, "
    "admin1CodesASCII.txt or admin2Codes.txt"
)
_NOT_DATA = ("readme.txt", "iso-languagecodes.txt")

# Feature selection: P, A and L whole; H, T and S only where inhabited or useful for news.
_WHOLE_CLASSES = frozenset("PAL")
_USEFUL = {
    "H": frozenset({"STM", "LK", "RSV", "SEA", "GULF", "BAY", "STRT", "OCN"}),
    "T": frozenset({"MT", "MTS", "VAL", "PASS", "ISL", "ISLS", "PEN", "DSRT", "PLAT"}),
    "S": frozenset({"AIRP", "AIRB", "DAM", "MILB", "INSM", "CMPRF", "PSTB", "PRT", "FT"}),
}
_HISTORICAL = frozenset(
    {"PPLH", "PPLCH", "PPLQ", "ADM1H", "ADM2H", "ADM3H", "ADM4H", "ADM5H", "ADMDH", "PCLH",
     "RGNH"}
)
# alternateNames "languages" that are not names (links, codes, postcodes, old French names).
_SKIP_LANGUAGES = frozenset(
    {"link", "wkdt", "post", "iata", "icao", "faac", "fr_1793", "unlc"}
)

_UPSERT = (
    "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
    "name=excluded.name, latitude=excluded.latitude, longitude=excluded.longitude, "
    "feature_class=excluded.feature_class, feature_code=excluded.feature_code, "
    "country_code=excluded.country_code, admin1_code=excluded.admin1_code, "
    "admin1=coalesce(nullif(excluded.admin1, ''), admin1), "
    "admin2=coalesce(nullif(excluded.admin2, ''), admin2), "
    "population=excluded.population, source=excluded.source"
)


def geonames_inputs(paths: Sequence[Path]) -> list[Path]:
    """The GeoNames files named by ``paths``, a folder standing for the files in it that
    the loader recognises by name. Every file is checked (name and first line) here, before
    anything is built.

    Raises InputError E101 for a missing path, GazetteerError E206 for a folder without a
    GeoNames file, and the errors of :func:`load_geonames_files` for a bad file.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = _folder_files(path)
            if not found:
                raise GazetteerError("E206", path=path, detail=_KNOWN)
            files.extend(found)
        elif not path.is_file():
            raise InputError("E101", path=path)
        else:
            files.append(path)
    for path in files:
        _classify(path)
    return files


def load_geonames_files(
    writer: GazetteerWriter, paths: Sequence[Path], progress: Callable[[str, int], None]
) -> None:
    """Load GeoNames dumps (files or folders) into ``writer``; every file is checked
    before any is loaded.

    Raises InputError E101 for a missing file, GazetteerError E204 for a file that is
    not one of the GeoNames files above, E206 for a folder without one, E207 for a bad
    line, E208 for a zip that cannot be opened and E209 for one that breaks off while read.
    """
    files = sorted(
        (_classify(p), order, p) for order, p in enumerate(geonames_inputs(paths))
    )
    loader = _Loader(writer)
    for kind, _, path in files:
        progress(f"geonames {path.name}", loader.load(kind, path))
    loader.finish()


# -- recognising and reading files ------------------------------------------------------
def _recognised(path: Path) -> int | None:
    """The file's kind from its name alone, or None."""
    if path.suffix.lower() not in (".zip", ".txt"):
        return None
    stem = path.stem.lower()
    kind = _KIND_BY_STEM.get(stem)
    if kind is None and _TABLE_STEM.fullmatch(stem):
        kind = _TABLE
    return kind


def _folder_files(folder: Path) -> list[Path]:
    """The files in ``folder`` the loader recognises, by name; when a file is there both
    zipped and unzipped (IQ.zip and IQ.txt), the text file alone."""
    found = sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and _recognised(p) is not None
    )
    texts = {p.stem.lower() for p in found if p.suffix.lower() == ".txt"}
    return [p for p in found if p.suffix.lower() == ".txt" or p.stem.lower() not in texts]


def _classify(path: Path) -> int:
    """The file's kind, from its name and the column count of its first data line."""
    if not path.is_file():
        raise InputError("E101", path=path)
    kind = _recognised(path)
    if kind is None:
        raise GazetteerError("E204", path=path, detail=_KNOWN)
    found = _column_count(path)
    if found in _COLUMNS[kind]:
        return kind
    if len(path.stem) == 2 and found in _COLUMNS[_ALTNAMES]:
        return _ALTNAMES  # a country's file from GeoNames' alternatenames/ folder
    expected = " or ".join(str(n) for n in _COLUMNS[kind])
    raise GazetteerError(
        "E204", path=path,
        detail=f"expected {expected} tab-separated columns, found {found} on its first line",
    )


def _column_count(path: Path) -> int:
    with closing(_Rows(path).__iter__()) as rows:
        return len(next(rows, []))


class _Rows:
    """The tab-separated fields of each data line of a file (no comments or blank lines),
    streamed; ``line`` is the number of the line last read, for error messages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.line = 0

    def __iter__(self) -> Generator[list[str], None, None]:
        opened = False
        try:
            with _open_binary(self.path) as f:
                opened = True
                for self.line, raw in enumerate(f, 1):
                    text = raw.decode("utf-8").rstrip("\r\n")
                    if text and not text.startswith("#"):
                        yield text.split("\t")
        except UnicodeDecodeError as e:
            self.fail(f"not UTF-8 text (byte {e.start} of the line)")
        except (zipfile.BadZipFile, zlib.error, EOFError) as e:
            if not opened:
                raise GazetteerError("E208", path=self.path, detail=str(e)) from e
            damaged_at, _ = _damage(self.path)
            raise GazetteerError("E209", path=self.path, line=damaged_at or self.line + 1,
                                 detail=str(e)) from e
        except OSError as e:
            raise InputError("E108", path=self.path, detail=str(e)) from e

    def fail(self, detail: str) -> NoReturn:
        """Stop on a bad line: GazetteerError E207 naming the file and line, or E209 when
        the line is bad because the zip it came from is damaged (a damaged deflate stream
        can yield garbage lines before the decompressor or CRC check notices)."""
        if self.path.suffix.lower() == ".zip":
            line, error = _damage(self.path)
            if line:
                raise GazetteerError("E209", path=self.path, line=line, detail=error)
        raise GazetteerError("E207", path=self.path, line=self.line, detail=detail)


@contextmanager
def _open_binary(path: Path) -> Iterator[BinaryIO]:
    """A .txt file, or the data member of a .zip, as buffered bytes (lines split on '\\n';
    each is decoded on its own so that a decoding error names its line)."""
    if path.suffix.lower() != ".zip":
        with path.open("rb", buffering=1 << 20) as f:
            yield f
        return
    with zipfile.ZipFile(path) as archive:
        member = _data_member(archive, path)
        with archive.open(member) as raw, io.BufferedReader(
            cast(io.RawIOBase, raw), 1 << 20
        ) as f:
            yield f


def _damage(path: Path) -> tuple[int, str]:
    """The line of a zip's data member at which reading it fails, and why, found by reading
    it again without the large read-ahead buffer (so only on an error path); (0, '') when
    it reads to the end."""
    line = 0
    try:
        with zipfile.ZipFile(path) as archive, archive.open(_data_member(archive, path)) as f:
            for _ in f:
                line += 1
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        return line + 1, str(e)
    except (OSError, GazetteerError):
        pass
    return 0, ""


def _data_member(archive: zipfile.ZipFile, path: Path) -> str:
    """IQ.zip holds IQ.txt (and readme.txt); alternateNamesV2.zip alternateNamesV2.txt."""
    texts = [
        n for n in archive.namelist()
        if n.lower().endswith(".txt") and n.rsplit("/", 1)[-1].lower() not in _NOT_DATA
    ]
    wanted = path.stem.lower() + ".txt"
    for name in texts:
        if name.rsplit("/", 1)[-1].lower() == wanted:
            return name
    if len(texts) == 1:
        return texts[0]
    raise GazetteerError("E204", path=path, detail=f"no {path.stem}.txt inside the zip")


# -- loading ----------------------------------------------------------------------------
class _Loader:
    """Writes the rows of each file into the writer's database."""

    def __init__(self, writer: GazetteerWriter) -> None:
        self.writer = writer
        self.conn = writer.conn
        # Admin names by 'IQ.18' and 'IQ.18.123'; built-in provinces fill in until the
        # admin1 table (if given) replaces them.
        self.admin1: dict[str, str] = {
            f"{cc}.{code}": name
            for cc, code, name in self.conn.execute(
                "SELECT country_code, admin1_code, admin1 FROM places "
                "WHERE feature_code = 'ADM1' AND admin1_code != '' AND admin1 != ''"
            )
        }
        self.admin2: dict[str, str] = {}
        # Names of the ADM1 rows in the geoname tables, for admin1 codes that neither
        # admin1CodesASCII.txt nor the built-in provinces name (see finish()).
        self.adm1_rows: dict[str, str] = {}

    def load(self, kind: int, path: Path) -> int:
        """Load one file; returns how many rows were used."""
        if kind == _ADMIN1:
            return _load_admin_names(path, self.admin1)
        if kind == _ADMIN2:
            return _load_admin_names(path, self.admin2)
        if kind == _TABLE:
            return self._load_table(path)
        return self._load_alternate_names(path)

    def finish(self) -> None:
        """Give places whose admin1 code no admin table or built-in province names the
        name of their table's ADM1 row with that code (files in this format without
        admin1CodesASCII.txt: Iraq's Kurdish governorates, for one)."""
        names = [(k, v) for k, v in self.adm1_rows.items() if k not in self.admin1]
        if not names:
            return
        self.conn.execute("CREATE TEMP TABLE adm1_names (key TEXT PRIMARY KEY, name TEXT)")
        self.conn.executemany("INSERT INTO adm1_names VALUES (?, ?)", names)
        self.conn.execute(
            "UPDATE places SET admin1 = (SELECT name FROM adm1_names "
            "WHERE key = places.country_code || '.' || places.admin1_code) "
            "WHERE source = ? AND admin1 = '' AND admin1_code != '' "
            "AND country_code || '.' || admin1_code IN (SELECT key FROM adm1_names)",
            (SOURCE,),
        )
        self.conn.execute("DROP TABLE adm1_names")

    def _load_table(self, path: Path) -> int:
        rows = _Rows(path)
        batch: list[tuple[object, ...]] = []
        count = 0
        for row in rows:
            place = self._place(row, rows)
            if place is None:
                continue
            batch.append(place.values())
            alts = [(row[2], "alt")]
            alts += [(a, "alt") for a in row[3].split(",") if _usable_alt(a)]
            self.writer.add_names(place.id, [(place.name, "name"), *alts])
            count += 1
            if len(batch) >= _BATCH:
                self.conn.executemany(_UPSERT, batch)
                batch.clear()
        self.conn.executemany(_UPSERT, batch)
        self.writer.count(SOURCE, count)
        return count

    def _place(self, row: list[str], rows: _Rows) -> PlaceRow | None:
        """A geoname-table row as a place, or None when it is not wanted (a historical
        place, an unnamed one, a feature class that news does not need). A malformed row
        stops the load (``rows.fail``)."""
        if len(row) != 19:
            rows.fail(f"expected 19 tab-separated columns, found {len(row)}")
        gid = _whole(row[0], "geonameid", rows)
        lat = _coordinate(row[4], "latitude", 90.0, rows)
        lon = _coordinate(row[5], "longitude", 180.0, rows)
        population = _whole(row[14], "population", rows, zero_ok=True) if row[14] else 0
        if not row[1] or not _wanted(row[6], row[7], population):
            return None
        cc, a1, a2 = row[8], row[10], row[11]
        if row[7] == "ADM1" and a1:
            self.adm1_rows.setdefault(f"{cc}.{a1}", ascii_title(row[1]))
        return PlaceRow(
            id=gid, name=row[1], latitude=lat, longitude=lon, feature_class=row[6],
            feature_code=row[7], country_code=cc, admin1_code=a1,
            admin1=self.admin1.get(f"{cc}.{a1}", "") if a1 else "",
            admin2=self.admin2.get(f"{cc}.{a1}.{a2}", "") if a1 and a2 else "",
            population=population, source=SOURCE,
        )

    def _load_alternate_names(self, path: Path) -> int:
        known = _IdBitmap(self.conn)
        rows = _Rows(path)
        count = 0
        for row in rows:
            if len(row) not in _COLUMNS[_ALTNAMES]:
                rows.fail(f"expected 10 (or 8) tab-separated columns, found {len(row)}")
            gid = _whole(row[1], "geonameid", rows)
            if gid not in known:
                continue
            kind = _alternate_kind(row)
            if kind:
                self.writer.add_names(gid, [(row[3], kind)])
                count += 1
        return count


def _load_admin_names(path: Path, table: dict[str, str]) -> int:
    """admin1CodesASCII / admin2Codes: code, name, ASCII name, geonameid."""
    rows = _Rows(path)
    count = 0
    for row in rows:
        if len(row) != 4:
            rows.fail(f"expected 4 tab-separated columns, found {len(row)}")
        if row[0] and (row[1] or row[2]):
            table[row[0]] = ascii_title(row[1] or row[2])
            count += 1
    return count


def _whole(text: str, what: str, rows: _Rows, *, zero_ok: bool = False) -> int:
    """``text`` as a whole number (positive, or >= 0 with ``zero_ok``)."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if number > 0 or (zero_ok and number == 0):
        return number
    kind = "whole number >= 0" if zero_ok else "positive whole number"
    rows.fail(f"{what} {text!r} is not a {kind}")


def _coordinate(text: str, what: str, limit: float, rows: _Rows) -> float:
    """``text`` as a latitude (limit 90) or longitude (limit 180) in degrees."""
    try:
        value = float(text)
    except ValueError:
        rows.fail(f"{what} {text!r} is not a number")
    if not (math.isfinite(value) and -limit <= value <= limit):
        rows.fail(f"{what} {text} is outside -{limit:g}..{limit:g}")
    return value


def _wanted(feature_class: str, feature_code: str, population: int) -> bool:
    if feature_code in _HISTORICAL:
        return False
    if feature_class in _WHOLE_CLASSES:
        return True
    useful = _USEFUL.get(feature_class)
    return useful is not None and (feature_code in useful or population > 0)


def _alternate_kind(row: list[str]) -> str:
    """'alt', 'abbr' or '' (skip) for an alternateNames row."""
    language, name = row[2], row[3]
    historic = row[7] == "1" or (len(row) >= 10 and row[9].strip() != "")
    if language in _SKIP_LANGUAGES or historic:
        return ""
    if language == "abbr":
        usable = len(name) >= 3 and not any(ch.isdigit() for ch in name)
        return "abbr" if usable else ""
    return "alt" if _usable_alt(name) else ""


class _IdBitmap:
    """The positive place ids in the index, one bit each (allCountries: about 1.6 MB)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        (top,) = conn.execute("SELECT coalesce(max(id), 0) FROM places").fetchone()
        self.bits = bytearray(max(top, 0) // 8 + 1)
        for (pid,) in conn.execute("SELECT id FROM places WHERE id > 0"):
            self.bits[pid >> 3] |= 1 << (pid & 7)

    def __contains__(self, pid: int) -> bool:
        return 0 < pid < len(self.bits) * 8 and bool(self.bits[pid >> 3] & (1 << (pid & 7)))
