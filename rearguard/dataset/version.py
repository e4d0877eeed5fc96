"""The pipeline version stored on each event and article: what produced the extraction.

``pipeline_version(settings)`` is ``<package version>+<12 hex digits>``: the digits hash
the code of every stage (``rearguard/{nlp,geo,events,control,actors}``, the composer
``rearguard/pipeline.py``, the record types and the text reader), the shipped models and
tables in ``rearguard/data``, and the settings that change what is extracted (spaCy
model, confidence floor, demonyms, candidates, cascade, vague numbers, fuzzy names, news
filter). Retraining a model, changing a stage or switching a setting gives a new version,
so ``rearguard reprocess`` knows which articles an older pipeline extracted. The
gazetteer index is not hashed (it is built per machine; its own fingerprint rebuilds it
when its code changes).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..settings import Settings, load_settings

PACKAGE = Path(__file__).resolve().parents[1]
STAGES = ("nlp", "geo", "events", "control", "actors", "data")
FILES = ("pipeline.py", "types.py", "io.py")
SETTINGS = ("spacy_model", "min_confidence", "demonyms", "max_candidates", "cascade",
            "vague_numbers", "fuzzy_names", "news_filter")


def package_version() -> str:
    try:
        return metadata.version("rearguard")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree not installed
        return "0"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the stages' code and the shipped data, by relative path."""
    digest = hashlib.sha256()
    paths = [PACKAGE / name for name in FILES]
    for stage in STAGES:
        paths += sorted(p for p in (PACKAGE / stage).rglob("*")
                        if p.is_file() and "__pycache__" not in p.parts)
    for path in paths:
        if path.is_file():
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def pipeline_version(settings: Settings | None = None) -> str:
    """``<package version>+<12 hex digits>`` of the code, data and settings that extract."""
    settings = settings or load_settings()
    digest = hashlib.sha256(code_fingerprint().encode())
    for name in SETTINGS:
        digest.update(f"{name}={getattr(settings, name)!r}\n".encode())
    return f"{package_version()}+{digest.hexdigest()[:12]}"


__all__ = ["pipeline_version"]
