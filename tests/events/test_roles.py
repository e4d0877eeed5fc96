"""The actor-role model: who acted and who was acted on, on sentences of real reports."""

from __future__ import annotations

import pytest

from rearguard.events import roles
from rearguard.events.triggers import find_triggers
from rearguard.nlp.pipeline import load_pipeline


@pytest.fixture(scope="module")
def nlp(settings, gazetteer):
    return load_pipeline(settings.spacy_model, str(gazetteer.path))


def _role(nlp, text: str, actor: str, trigger: str, decide=roles.decide_role) -> str:
    doc = nlp(text)
    start = text.index(actor)
    actor_token = doc.char_span(start, start + len(actor), alignment_mode="expand")[0]
    trig = next(t for t in find_triggers(text) if t.text.lower() == trigger.lower())
    trig_span = doc.char_span(trig.start, trig.end, alignment_mode="expand")
    return decide(actor_token, trig_span.root, start, trig.start)


# Sentences from the seed report (Middle East Eye, 6 November 2016) and a MUC-4 style
# agency line; each pair names the actor, the trigger and the side a coder would give.
CASES = [
    ("In the early hours of this morning, Daesh assaulted Shirqat in Salahuddin province.",
     "Daesh", "assaulted", "agent"),
    ("When Shirqat was recaptured by ISF in September, their victory was touted as a "
     "stepping stone.", "ISF", "recaptured", "agent"),
    ("The attack was eventually repulsed, but not before dozens of Kurdish security forces "
     "died, shaking confidence in their ability to detect and prevent attacks.",
     "Kurdish security forces", "died", "patient"),
    ("About 50 peasants have been kidnapped by terrorists of the Farabundo Marti National "
     "Liberation Front in San Miguel department.", "peasants", "kidnapped", "patient"),
    ("About 50 peasants have been kidnapped by terrorists of the Farabundo Marti National "
     "Liberation Front in San Miguel department.", "terrorists", "kidnapped", "agent"),
]


@pytest.mark.parametrize(("text", "actor", "trigger", "want"), CASES)
def test_model_gives_the_coder_side(nlp, text, actor, trigger, want):
    assert _role(nlp, text, actor, trigger) == want


def test_shipped_model_is_read_once_and_reports_its_training():
    model = roles.load_role_model()
    assert model is not None and model is roles.load_role_model()
    assert "rule=agent" in model.weights and model.weights["rule=agent"] > 0


def test_features_name_the_relation_to_the_trigger(nlp):
    text = "When Shirqat was recaptured by ISF in September, the army celebrated."
    doc = nlp(text)
    start = text.index("ISF")
    actor = doc.char_span(start, start + 3)[0]
    trig = next(t for t in find_triggers(text) if t.text == "recaptured")
    head = doc.char_span(trig.start, trig.end)[0]
    feats = roles.role_features(actor, head, start, trig.start)
    assert "passive" in feats and "after" in feats
    assert "rule=agent" in feats
    assert any(f.startswith("dep=") for f in feats)


def test_without_the_model_the_rule_decides(nlp, monkeypatch):
    monkeypatch.setattr(roles, "load_role_model", lambda: None)
    text = "In the early hours of this morning, Daesh assaulted Shirqat."
    assert _role(nlp, text, "Daesh", "assaulted") == "agent"
