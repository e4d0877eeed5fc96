"""Schemathesis against the API's own OpenAPI schema: whatever a client sends, what the
schema allows (positive) and what it does not (negative), the server never answers 5xx.

Schemathesis' pytest plugin does not run under pytest 9, so the cases come from its
Hypothesis strategies (``APIOperation.as_strategy``), one ``@given`` per operation. The
default run is bounded (derandomised, so CI sees the same cases each time); ``--slow``
runs many more, with fresh randomness."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode

from rearguard.serve import create_app

from .conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
_QUIET = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]


@pytest.fixture(scope="module")
def api_schema(example_db: Path, tmp_path_factory: pytest.TempPathFactory):
    # The review POSTs are exercised too (with the token), on a copy of the dataset.
    copy = tmp_path_factory.mktemp("schema") / "copy.db"
    shutil.copy(example_db, copy)
    app = create_app(str(copy), token=TOKEN, map_page=False)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _fuzz(api_schema, examples: int, derandomize: bool) -> list[str]:
    """Run every operation in both modes; returns the operations run."""
    ran = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @settings(max_examples=examples, deadline=None, derandomize=derandomize,
                      suppress_health_check=_QUIET, database=None)
            @given(case=strategy)
            def check(case) -> None:
                case.call_and_validate(headers=AUTH, checks=[not_a_server_error])

            try:
                check()
            except Unsatisfiable:
                # nothing to break: an operation without parameters (GET /health)
                assert mode == GenerationMode.NEGATIVE and not operation.query
        ran.append(operation.label)
    return ran


def test_no_server_errors(api_schema) -> None:
    ran = _fuzz(api_schema, examples=12, derandomize=True)
    assert {"GET /events", "GET /events/{event_id_cnty}", "GET /control", "GET /alerts",
            "POST /events/{event_id_cnty}/edit", "GET /export"} <= set(ran)


@pytest.mark.slow
def test_no_server_errors_many_more(api_schema) -> None:
    _fuzz(api_schema, examples=300, derandomize=False)
