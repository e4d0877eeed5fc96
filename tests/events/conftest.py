"""Fixtures of the events tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp(settings, gazetteer):
    """The pipeline's spaCy model with rearguard's rulers, loaded once per module (cached
    per process by load_pipeline)."""
    from rearguard.nlp.pipeline import load_pipeline

    return load_pipeline(settings.spacy_model, str(gazetteer.path))
