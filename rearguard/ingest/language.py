"""The language of an article's text: py3langid (a naive Bayes model over byte n-grams,
97 languages, bundled with the package; offline and deterministic).

rearguard extracts English only. A reader records the language it detects on the article
(``Article.language``) and warns when it is not English, instead of the article giving no
events without a word. See docs/ingest.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import lzma
import os
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

# The detector reads at most this many characters (the start of the text): enough to tell,
# and bounded however long the article. Longer samples do not help: py3langid's normalised
# probability falls as a sample grows (an Arabic report: 0.87 at 400 characters, 0.81 at
# 1,500, 0.54 at 20,000, under MIN_PROBABILITY), while all 559 English articles of the
# geoparsing corpora are English at >= 0.8 from their first 400 characters.
SAMPLE_CHARS = 1_000
# Shorter texts (in letters) are not judged: a headline or a list of place names is too
# little to tell (py3langid calls "Shirqat, Qayyarah, Mosul" Hausa).
MIN_LETTERS = 40
# The detector's probability (normalised over its 97 languages) a verdict needs. On the
# 559 English news articles of the four geoparsing corpora every verdict is English at
# >= 0.9; French, Arabic and Russian reports of a sentence score >= 0.85.
MIN_PROBABILITY = 0.8

ENGLISH = "en"


# The py3langid releases whose model layout :func:`_unpacked_model` reads (the arrays of
# ``py3langid.modelio.load_model``); under any other the model is loaded as py3langid does.
_LAYOUT_VERSIONS = ("0.4.",)


def default_cache_dir() -> Path:
    """The user-level cache folder ($XDG_CACHE_HOME/rearguard or ~/.cache/rearguard)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rearguard"


@lru_cache(maxsize=1)
def _identifier() -> Any:
    import numpy as np
    from py3langid.langid import (  # type: ignore[import-untyped]
        MODEL_DIR,
        MODEL_FILE,
        LanguageIdentifier,
    )

    try:
        cache = default_cache_dir()
    except (RuntimeError, KeyError):  # no home folder to be found: py3langid loads it
        model = None
    else:
        model = _unpacked_model(MODEL_DIR / MODEL_FILE, cache)
    if model is None:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ptc, pc, classes, nextmove, row, output = model
    return LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output,
                              norm_probs=True, tk_row=row)


def _unpacked_model(source: Path, cache: Path) -> tuple[Any, ...] | None:
    """py3langid's model as ``py3langid.modelio.load_model(source)`` returns it, read from
    a decompressed copy in ``cache``; None when py3langid is not a release whose layout
    this reads, or the model cannot be read (then py3langid loads it itself).

    The model ships LZMA-compressed (4.6 MB, 68 MB unpacked) and decompressing it took
    0.6-0.9 CPU seconds of every process that reads articles (each worker); reading the
    unpacked copy takes about 0.15 (docs/parallel.md, "Eighth session"). The copy is
    named by a digest of the compressed file (another py3langid release's model gets its
    own), written to a temporary file and renamed, so that a concurrent process sees the
    whole copy or none; where the cache folder is not writable the model is decompressed
    in memory, as before."""
    try:
        import py3langid  # type: ignore[import-untyped]

        if not str(getattr(py3langid, "__version__", "")).startswith(_LAYOUT_VERSIONS):
            return None
        from py3langid.modelio import _to_array  # type: ignore[import-untyped]

        packed = source.read_bytes()
    except (ImportError, OSError):
        return None
    digest = hashlib.sha256(packed).hexdigest()[:16]
    copy = cache / f"py3langid-{digest}.npz"
    unpacked: Path | bytes = copy
    if not copy.is_file():
        unpacked = lzma.decompress(packed)
        part = None
        try:
            cache.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=cache, prefix=copy.name, suffix=".part",
                                             delete=False) as file:
                part = file.name
                file.write(unpacked)
            os.replace(part, copy)
            unpacked = copy  # read as every later process reads it, the bytes let go
        except OSError:
            if part is not None:
                with contextlib.suppress(OSError):
                    os.unlink(part)
    try:
        return _read_layout(unpacked, _to_array)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        if isinstance(unpacked, Path):  # a damaged copy: the next process writes it anew
            with contextlib.suppress(OSError):
                unpacked.unlink()
        return None


def _read_layout(unpacked: Path | bytes, to_array: Any) -> tuple[Any, ...]:
    """The tuple of ``py3langid.modelio.load_model`` (0.4) from the unpacked npz."""
    import io

    import numpy as np

    with (io.BytesIO(unpacked) if isinstance(unpacked, bytes) else unpacked.open("rb")
          ) as source, np.load(source, allow_pickle=False) as data:
        return (data["ptc"], data["pc"], data["classes"].tolist(),
                to_array(data["nextmove"]), to_array(data["nextmove_row"]),
                data["out_feat"].tolist())


def _has_letters(sample: str, least: int) -> bool:
    """Whether ``sample`` holds at least ``least`` letters (``str.isalpha``): counted up to
    ``least`` only, not over the whole sample (an article has its 40 letters in its first
    words)."""
    if least <= 0:
        return True
    for ch in sample:
        if ch.isalpha():
            least -= 1
            if not least:
                return True
    return False


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language ("en", "ar", "fr"), or None when the text
    has fewer than :data:`MIN_LETTERS` letters or no language reaches
    :data:`MIN_PROBABILITY`."""
    sample = text[:SAMPLE_CHARS]
    if not _has_letters(sample, MIN_LETTERS):
        return None
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= MIN_PROBABILITY else None


def language_name(code: str) -> str:
    """A language's English name ("Arabic") from its code, else the code itself."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code)
    return str(found.name) if found is not None else code
