"""Shared fixtures: the built gazetteer (built once, cached in the user data directory or
REARGUARD_TEST_GAZETTEER), settings that use it, and the --slow option."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rearguard.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Settings on the full built-in gazetteer (built on first use, ~30 s)."""
    path = os.environ.get("REARGUARD_TEST_GAZETTEER")
    base = load_settings(**({"gazetteer": path} if path else {}))
    from rearguard.geo import open_gazetteer

    open_gazetteer(base, show_progress=False)
    return base


@pytest.fixture(scope="session")
def gazetteer(settings: Settings):
    from rearguard.geo import open_gazetteer

    return open_gazetteer(settings, show_progress=False)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No REARGUARD_* settings (but the test gazetteer) and no rearguard.toml from the
    caller's environment: the test runs in an empty working directory."""
    for name in list(os.environ):
        if name.startswith("REARGUARD_") and name != "REARGUARD_TEST_GAZETTEER":
            monkeypatch.delenv(name)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
