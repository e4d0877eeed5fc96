"""Settings: documented defaults, then a TOML file, then REARGUARD_* variables, then overrides."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from rearguard.errors import SettingsError
from rearguard.settings import SETTINGS, Settings, default_data_dir, load_settings

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "settings.md"


pytestmark = pytest.mark.usefixtures("clean_environment")


def _toml(tmp_path: Path, text: str, name: str = "settings.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_settings_fields_mirror_SETTINGS() -> None:
    assert [f.name for f in dataclasses.fields(Settings)] == [s.name for s in SETTINGS]
    assert len({s.name for s in SETTINGS}) == len(SETTINGS)
    for s in SETTINGS:
        assert s.help.strip(), f"setting {s.name} has no help text"


def test_defaults_match_SETTINGS() -> None:
    settings = load_settings()
    for s in SETTINGS:
        value = getattr(settings, s.name)
        assert value == s.default, s.name
        assert type(value) is type(s.default), s.name


def test_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REARGUARD_MAX_CANDIDATES", "7")
    monkeypatch.setenv("REARGUARD_DEMONYMS", "off")
    monkeypatch.setenv("REARGUARD_MIN_CONFIDENCE", "0.25")
    monkeypatch.setenv("REARGUARD_SPACY_MODEL", "my_model")
    settings = load_settings()
    assert settings.max_candidates == 7
    assert settings.demonyms is False
    assert settings.min_confidence == 0.25
    assert settings.spacy_model == "my_model"
    assert settings.fuzzy_names is True  # untouched


@pytest.mark.parametrize("text", ["1", "true", "YES", " On "])
def test_env_bool_true(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("REARGUARD_FUZZY_NAMES", text)
    assert load_settings(fuzzy_names=None).fuzzy_names is True
    monkeypatch.setenv("REARGUARD_AUTO_BUILD_GAZETTEER", "0")
    assert load_settings().auto_build_gazetteer is False


@pytest.mark.parametrize(
    ("env", "value"),
    [
        ("REARGUARD_DEMONYMS", "maybe"),
        ("REARGUARD_FUZZY_NAMES", ""),
        ("REARGUARD_MAX_CANDIDATES", "seven"),
        ("REARGUARD_MAX_CANDIDATES", "7.5"),
        ("REARGUARD_MIN_CONFIDENCE", "high"),
        ("REARGUARD_MIN_CONFIDENCE", "2"),
        ("REARGUARD_MIN_CONFIDENCE", "-0.1"),
    ],
)
def test_env_bad_value(monkeypatch: pytest.MonkeyPatch, env: str, value: str) -> None:
    monkeypatch.setenv(env, value)
    name = env.removeprefix("REARGUARD_").lower()
    with pytest.raises(SettingsError) as info:
        load_settings()
    err = info.value
    assert err.code == "E401"
    assert err.details["name"] == name
    assert err.message.startswith(f"[E401] Setting '{name}': ")
    assert "\n" not in err.message
    assert isinstance(err, ValueError)


@pytest.mark.parametrize(
    ("name", "value"),
    [("max_candidates", "many"), ("demonyms", "perhaps"), ("min_confidence", 1.5),
     ("min_confidence", "x")],
)
def test_override_bad_value(name: str, value: object) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(**{name: value})
    assert info.value.code == "E401"
    assert f"'{name}'" in info.value.message


def test_unknown_setting() -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(max_candidate=3)
    err = info.value
    assert err.code == "E402"
    assert "'max_candidate'" in err.message
    for s in SETTINGS:
        assert s.name in err.message  # the known settings are listed


def test_unknown_setting_in_replace() -> None:
    with pytest.raises(SettingsError) as info:
        load_settings().replace(colour="blue")
    assert info.value.code == "E402"


def test_replace_coerces_and_keeps_the_rest() -> None:
    base = load_settings()
    changed = base.replace(max_candidates="5", demonyms="no")
    assert changed.max_candidates == 5 and changed.demonyms is False
    assert changed.spacy_model == base.spacy_model
    assert base.max_candidates == 40  # frozen original untouched


def test_none_override_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REARGUARD_MAX_CANDIDATES", "7")
    assert load_settings(max_candidates=None).max_candidates == 7
    assert load_settings(min_confidence=None).min_confidence == 0.0


def test_toml_with_table(tmp_path: Path) -> None:
    path = _toml(tmp_path, '[rearguard]\nmax_candidates = 5\ndemonyms = false\n'
                           'spacy_model = "other_model"\n')
    settings = load_settings(path)
    assert settings.max_candidates == 5
    assert settings.demonyms is False
    assert settings.spacy_model == "other_model"
    assert settings.fuzzy_names is True


def test_toml_without_table(tmp_path: Path) -> None:
    path = _toml(tmp_path, "max_candidates = 6\nmin_confidence = 0.5\n")
    settings = load_settings(str(path))
    assert settings.max_candidates == 6
    assert settings.min_confidence == 0.5


def test_toml_from_REARGUARD_CONFIG(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _toml(tmp_path, "max_candidates = 11\n")
    monkeypatch.setenv("REARGUARD_CONFIG", str(path))
    assert load_settings().max_candidates == 11


def test_rearguard_toml_in_working_directory() -> None:
    Path("rearguard.toml").write_text("[rearguard]\nmax_candidates = 12\n", encoding="utf-8")
    assert load_settings().max_candidates == 12


def test_explicit_config_wins_over_REARGUARD_CONFIG(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REARGUARD_CONFIG", str(_toml(tmp_path, "max_candidates = 11\n", "a.toml")))
    explicit = _toml(tmp_path, "max_candidates = 13\n", "b.toml")
    assert load_settings(explicit).max_candidates == 13


def test_toml_unknown_and_bad_values(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(_toml(tmp_path, "[rearguard]\ncolour = 'blue'\n", "a.toml"))
    assert info.value.code == "E402"
    with pytest.raises(SettingsError) as info:
        load_settings(_toml(tmp_path, "[rearguard]\nmax_candidates = 'lots'\n", "b.toml"))
    assert info.value.code == "E401"


@pytest.mark.parametrize("line", ["demonyms = 3", "max_candidates = 2.5",
                                  "max_candidates = true", "fuzzy_names = [1]"])
def test_toml_wrong_kind(tmp_path: Path, line: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(_toml(tmp_path, f"[rearguard]\n{line}\n"))
    assert info.value.code == "E401"


def test_toml_unreadable(tmp_path: Path) -> None:
    broken = _toml(tmp_path, "max_candidates = = 3\n")
    with pytest.raises(SettingsError) as info:
        load_settings(broken)
    assert info.value.code == "E403"
    assert str(broken) in info.value.message
    missing = tmp_path / "missing.toml"
    with pytest.raises(SettingsError) as info:
        load_settings(missing)
    assert info.value.code == "E403"
    assert str(missing) in info.value.message


def test_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _toml(tmp_path, "max_candidates = 5\nmin_confidence = 0.5\ndemonyms = false\n")
    monkeypatch.setenv("REARGUARD_MAX_CANDIDATES", "7")
    monkeypatch.setenv("REARGUARD_MIN_CONFIDENCE", "0.25")
    settings = load_settings(path, max_candidates=3)
    assert settings.max_candidates == 3  # override beats env and file
    assert settings.min_confidence == 0.25  # env beats file
    assert settings.demonyms is False  # file beats default
    assert load_settings(path).max_candidates == 7


def test_overrides_win_over_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REARGUARD_MAX_CANDIDATES", "7")
    monkeypatch.setenv("REARGUARD_FUZZY_NAMES", "false")
    settings = load_settings(max_candidates=3, fuzzy_names=True)
    assert settings.max_candidates == 3
    assert settings.fuzzy_names is True


def test_gazetteer_path_default_under_XDG_DATA_HOME(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "rearguard"
    path = load_settings().gazetteer_path
    assert path.parent == tmp_path / "xdg" / "rearguard"
    assert re.fullmatch(r"gazetteer-v\d+\.sqlite", path.name)


def test_gazetteer_path_default_without_XDG(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = load_settings().gazetteer_path
    assert path.parent == tmp_path / "home" / ".local" / "share" / "rearguard"


def test_gazetteer_path_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert load_settings(gazetteer=str(tmp_path / "g.sqlite")).gazetteer_path == (
        tmp_path / "g.sqlite")
    monkeypatch.setenv("REARGUARD_GAZETTEER", str(tmp_path / "env.sqlite"))
    assert load_settings().gazetteer_path == tmp_path / "env.sqlite"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert load_settings(gazetteer="~/g.sqlite").gazetteer_path == tmp_path / "home" / "g.sqlite"


@pytest.mark.skipif(not DOCS.exists(), reason="docs/settings.md is not written yet")
def test_every_setting_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if s.name not in docs]
    assert not missing, f"settings missing from docs/settings.md: {missing}"
