"""The gazetteer index: a SQLite file of places and the names they go by.

Schema (``SCHEMA_VERSION`` is bumped whenever it or the build changes):

* ``places``: one row per place (GeoNames id, or a negative id for places rearguard derives
  itself, such as province centroids), with coordinates, feature class and code, country,
  admin1 and admin2 names and population.
* ``names``: ``(key, place_id, kind)``, where ``key`` is :func:`~.normalize.name_key` of a
  name and ``kind`` says what sort of name it is (``name`` primary, ``alt`` alternate,
  ``abbr`` abbreviation, ``demonym``).
* ``variants``: ``(vkey, place_id)`` with :func:`~.normalize.variant_key`, for
  transliteration variants.
* ``notability``: ``(place_id, n_names)``, how many names a place goes by (filled when
  the index is committed).
* ``meta``: build facts (schema version, sources, counts).

:class:`GazetteerWriter` fills an index; :class:`Gazetteer` reads it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import GazetteerError
from ..types import Candidate
from .normalize import is_latin, name_key, spelling_similarity, variant_key

SCHEMA_VERSION = 3

_SCHEMA = """
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL,
    country_code TEXT NOT NULL,
    admin1_code TEXT NOT NULL,
    admin1 TEXT NOT NULL,
    admin2 TEXT NOT NULL,
    population INTEGER NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE names (
    key TEXT NOT NULL, place_id INTEGER NOT NULL, kind TEXT NOT NULL, UNIQUE (key, place_id)
);
CREATE TABLE variants (vkey TEXT NOT NULL, place_id INTEGER NOT NULL, UNIQUE (vkey, place_id));
CREATE TABLE countries (
    code TEXT PRIMARY KEY, iso3 TEXT NOT NULL, name TEXT NOT NULL, place_id INTEGER
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE notability (place_id INTEGER PRIMARY KEY, n_names INTEGER NOT NULL);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS places_admin ON places(country_code, admin1_code, feature_code);
"""

# Name kinds, strongest first; the resolver weighs them.
NAME_KINDS = ("name", "alt", "abbr", "demonym")


@dataclass(frozen=True)
class PlaceRow:
    """A place as a source hands it to :class:`GazetteerWriter`."""

    id: int
    name: str
    latitude: float
    longitude: float
    feature_class: str
    feature_code: str
    country_code: str
    admin1_code: str = ""
    admin1: str = ""
    admin2: str = ""
    population: int = 0
    source: str = ""

    def values(self) -> tuple[object, ...]:
        """The row in the column order of the places table."""
        return (
            self.id, self.name, self.latitude, self.longitude, self.feature_class,
            self.feature_code, self.country_code, self.admin1_code, self.admin1,
            self.admin2, self.population, self.source,
        )


@lru_cache(maxsize=1 << 18)
def index_keys(name: str) -> tuple[str, str]:
    """(name key, variant key) under which a name is indexed; ('', '') for names that are
    not indexed (empty, or not in Latin script). Cached: names repeat a great deal."""
    if not name or not is_latin(name):
        return "", ""
    return name_key(name), variant_key(name)


class GazetteerWriter:
    """Writes places and names into a new index file, atomically (temp file, then rename)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._tmp = self.path.with_name(self.path.name + f".tmp{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._tmp.exists():
                self._tmp.unlink()
            self.conn = sqlite3.connect(self._tmp)
        except (OSError, sqlite3.Error) as e:
            raise GazetteerError("E205", path=self.path, detail=str(e)) from e
        self.conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        self.counts: dict[str, int] = {}

    def has_place(self, place_id: int) -> bool:
        row = self.conn.execute("SELECT 1 FROM places WHERE id = ?", (place_id,)).fetchone()
        return row is not None

    def add_place(self, place: PlaceRow, names: Iterable[tuple[str, str]] = ()) -> None:
        """Add (or replace) a place; ``names`` are ``(name, kind)`` pairs besides its own."""
        self.conn.execute("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                          place.values())
        self.count(place.source)
        self.add_names(place.id, [(place.name, "name"), *names])

    def count(self, source: str, n: int = 1) -> None:
        self.counts[source] = self.counts.get(source, 0) + n

    def add_names(self, place_id: int, names: Iterable[tuple[str, str]]) -> None:
        """Index names of a place. A name already indexed for it keeps its first kind
        (the unique (key, place) constraints drop repeats, without memory in Python)."""
        rows = []
        vrows = []
        for name, kind in names:
            key, vkey = index_keys(name)
            if not key:
                continue
            rows.append((key, place_id, kind))
            if vkey and kind != "abbr":
                vrows.append((vkey, place_id))
        self.conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", rows)
        self.conn.executemany("INSERT OR IGNORE INTO variants VALUES (?,?)", vrows)

    def add_country(self, code: str, iso3: str, name: str, place_id: int | None) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO countries VALUES (?,?,?,?)", (code, iso3, name, place_id)
        )

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (key, value))

    def commit(self) -> None:
        """Index, count names, stamp and move the finished file into place."""
        self.conn.executescript(_INDEXES)
        # How many names a place goes by: a village that news and atlases name in many
        # spellings and languages is better known than its namesakes (the resolver's
        # notability evidence, where populations are unknown).
        self.conn.execute("DELETE FROM notability")
        self.conn.execute("INSERT INTO notability SELECT place_id, count(*) FROM names "
                          "GROUP BY place_id")
        self.set_meta("schema", str(SCHEMA_VERSION))
        self.set_meta("built", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        for source, count in self.counts.items():
            self.set_meta(f"count:{source}", str(count))
        self.conn.commit()
        self.conn.execute("ANALYZE")
        self.conn.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self.conn.close()
        self._tmp.unlink(missing_ok=True)


#: Entries of each per-name query cache before it is emptied (a bound on memory).
_QUERY_CACHE = 50_000

_COLUMNS = (
    "p.id, p.name, p.latitude, p.longitude, p.feature_class, p.feature_code, "
    "p.country_code, p.admin1, p.admin2, p.population, p.admin1_code, "
    "coalesce((SELECT k.n_names FROM notability k WHERE k.place_id = p.id), 0)"
)


class Gazetteer:
    """Read access to a built index. Cheap to open; keep one per process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise GazetteerError("E201", path=self.path)
        try:
            self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                        check_same_thread=False)
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.Error as e:
            raise GazetteerError("E201", path=self.path) from e
        if row is None:
            raise GazetteerError("E201", path=self.path)
        if int(row[0]) != SCHEMA_VERSION:
            raise GazetteerError("E202", path=self.path, found=row[0], expected=SCHEMA_VERSION)
        self._countries = {
            code: (iso3, name, pid)
            for code, iso3, name, pid in self.conn.execute("SELECT * FROM countries")
        }
        self._cache: dict[tuple[str, bool, frozenset[str]], tuple[Candidate, ...]] = {}
        # The queries under :meth:`lookup` (whose cache is per article focus) and
        # :meth:`lookup_within`, per name: the same name is asked again under another
        # focus, or inside a country, in article after article.
        self._exact_cache: dict[tuple[str, str], tuple[Candidate, ...]] = {}
        self._variant_cache: dict[tuple[str, frozenset[str]], tuple[Candidate, ...]] = {}

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta"))

    def country_name(self, code: str) -> str:
        return self._countries.get(code, ("", code, None))[1]

    def country_iso3(self, code: str) -> str:
        return self._countries.get(code, ("", "", None))[0]

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        """The subset of ``keys`` that name at least one place."""
        keys = list(set(keys))
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                k for (k,) in self.conn.execute(
                    f"SELECT DISTINCT key FROM names WHERE key IN ({marks})", chunk
                )
            )
        return found

    def lookup(
        self, name: str, *, fuzzy: bool = True, limit: int = 40,
        countries: frozenset[str] = frozenset(),
    ) -> tuple[Candidate, ...]:
        """Candidates for a name: exact key matches by population, then transliteration
        variants, closest spelling first. Cached per process.

        ``limit`` caps the places outside ``countries`` (the article's focus); every match
        inside them is kept, however small: a village of the story's country must not be
        crowded out by 40 bigger namesakes abroad. Variants are consulted when the exact
        key names no town, country or province, or (inside a focus) only small places
        abroad; once a focus is known, only variants inside ``countries`` are."""
        cache_key = (name, fuzzy, countries)
        if cache_key not in self._cache:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[cache_key] = self._lookup(name, fuzzy, countries)
        found = self._cache[cache_key]
        if len(found) <= limit:
            return found
        inside = [c for c in found if c.country_code in countries]
        outside = [c for c in found if c.country_code not in countries][:limit]
        return tuple(outside + inside)

    def _lookup(
        self, name: str, fuzzy: bool, countries: frozenset[str]
    ) -> tuple[Candidate, ...]:
        key = name_key(name)
        if not key:
            return ()
        exact = self._exact(name, key)
        vkey = variant_key(name) if fuzzy and not name.isupper() else ""
        if not vkey:
            return tuple(exact)
        if any(c.match == "demonym" for c in exact):
            # "Kurdish" is a word of the language spelled as it is, not a transliteration:
            # the village Kurdis is no reading of it.
            return tuple(exact)
        # "Shirqat" matches only a district exactly; the town is spelled Ash Sharqat.
        strong = [c for c in exact
                  if c.feature_class == "P" or c.is_country or c.feature_code == "ADM1"]
        if strong and (not countries or any(_notable(c) or c.country_code in countries
                                            for c in strong)):
            return tuple(exact)
        # Fuzzy matching looks only inside the article's focus, once one is known; and
        # there it looks even when villages abroad bear the exact name ("Al Lajah" in a
        # Syrian report is the Syrian Al Laj'ah, not a Yemeni Al Lajah).
        seen = {c.id for c in exact}
        return tuple(exact + [c for c in self._variants(name, vkey, countries)
                              if c.id not in seen])

    def lookup_within(self, name: str, country: str) -> tuple[Candidate, ...]:
        """Candidates for a name inside one country only, exact matches then spelling
        variants, closest spelling first: "Mansoura, Syria" is a Syrian Al Mansurah even
        though Egypt's Mansoura bears the exact name."""
        key = name_key(name)
        if not key or not country:
            return ()
        exact = self._exact(name, key, country)
        vkey = variant_key(name) if not name.isupper() else ""
        if exact or not vkey:
            return tuple(exact)
        return tuple(self._variants(name, vkey, frozenset({country})))

    def _exact(self, name: str, key: str, country: str = "") -> list[Candidate]:
        """The places bearing the name's key exactly (in ``country`` only, when given),
        most populous first. Cached per process (``key`` is ``name_key(name)``)."""
        cache_key = (name, country)
        found = self._exact_cache.get(cache_key)
        if found is None:
            if len(self._exact_cache) > _QUERY_CACHE:
                self._exact_cache.clear()
            found = self._exact_cache[cache_key] = tuple(self._exact_query(name, key, country))
        return list(found)

    def _exact_query(self, name: str, key: str, country: str) -> list[Candidate]:
        sql = (f"SELECT {_COLUMNS}, n.kind FROM names n JOIN places p ON p.id = n.place_id "
               "WHERE n.key = ?")
        params = [key]
        if country:
            sql += " AND p.country_code = ?"
            params.append(country)
        rows = self.conn.execute(sql, params).fetchall()
        return sorted(_best_per_place(rows, name), key=lambda c: -c.population)

    def _variants(self, name: str, vkey: str, countries: frozenset[str]) -> list[Candidate]:
        """The places known under another transliteration of the name (in ``countries``
        only, when given), closest spelling first. Cached per process (``vkey`` is
        ``variant_key(name)``)."""
        cache_key = (name, countries)
        found = self._variant_cache.get(cache_key)
        if found is None:
            if len(self._variant_cache) > _QUERY_CACHE:
                self._variant_cache.clear()
            found = self._variant_cache[cache_key] = tuple(
                self._variants_query(name, vkey, countries))
        return list(found)

    def _variants_query(self, name: str, vkey: str, countries: frozenset[str]
                        ) -> list[Candidate]:
        sql = (f"SELECT {_COLUMNS}, 'variant' FROM variants v "
               "JOIN places p ON p.id = v.place_id WHERE v.vkey = ?")
        params: list[str] = [vkey]
        if countries:
            sql += f" AND p.country_code IN ({','.join('?' * len(countries))})"
            params += sorted(countries)
        rows = self.conn.execute(sql, params).fetchall()
        variants = _best_per_place(rows, name)
        variants.sort(
            key=lambda c: (-round(spelling_similarity(name, c.name), 2), -c.population)
        )
        return variants

    def capitals(self, countries: Iterable[str]) -> tuple[Candidate, ...]:
        """The capital (the most populous PPLC row) of each of ``countries``, in code
        order: what "the capital" means in a report about one country."""
        codes = sorted(set(countries))
        if not codes:
            return ()
        marks = ",".join("?" * len(codes))
        rows = self.conn.execute(
            f"SELECT {_COLUMNS}, 'name' FROM places p WHERE p.feature_code = 'PPLC' "
            f"AND p.country_code IN ({marks})", codes).fetchall()
        best: dict[str, Candidate] = {}
        for row in rows:
            cand = _candidate(row, "capital")
            if (cand.country_code not in best
                    or cand.population > best[cand.country_code].population):
                best[cand.country_code] = cand
        return tuple(best[cc] for cc in sorted(best))

    def get(self, place_id: int) -> Candidate | None:
        """The place with this id (a GeoNames id, or rearguard's negative id)."""
        row = self.conn.execute(
            f"SELECT {_COLUMNS}, 'name' FROM places p WHERE p.id = ?", (place_id,)
        ).fetchone()
        return _candidate(row, "") if row else None

    def close(self) -> None:
        self.conn.close()


NOTABLE_POPULATION = 50_000


def _notable(cand: Candidate) -> bool:
    """A place well enough known that its exact name beats a spelling variant at home."""
    return (cand.population >= NOTABLE_POPULATION or cand.is_country
            or cand.feature_code in ("ADM1", "PPLC", "PPLA"))


_KIND_RANK = {"name": 0, "alt": 1, "abbr": 2, "demonym": 3, "variant": 4}


def _candidate(row: tuple, matched: str) -> Candidate:
    (pid, name, lat, lon, fclass, fcode, cc, admin1, admin2, pop, a1code, n_names, kind) = row
    return Candidate(
        id=pid, name=name, latitude=lat, longitude=lon, feature_class=fclass,
        feature_code=fcode, country_code=cc, admin1=admin1, admin2=admin2,
        population=pop, admin1_code=a1code, matched=matched, match=kind, n_names=n_names,
    )


def _best_per_place(rows: list[tuple], matched: str) -> list[Candidate]:
    best: dict[int, tuple] = {}
    for row in rows:
        pid, kind = row[0], row[-1]
        if pid not in best or _KIND_RANK.get(kind, 9) < _KIND_RANK.get(best[pid][-1], 9):
            best[pid] = row
    return [_candidate(row, matched) for row in best.values()]
