"""The actor-role model: who acted and who was acted on, on sentences of real reports."""

from __future__ import annotations

import pytest

from rearguard.events import roles
from rearguard.events.triggers import find_triggers


def _role(nlp, text: str, actor: str, trigger: str, decide=roles.decide_role) -> str:
    doc = nlp(text)
    start = text.index(actor)
    actor_token = doc.char_span(start, start + len(actor), alignment_mode="expand")[0]
    trig = next(t for t in find_triggers(text) if t.text.lower() == trigger.lower())
    trig_span = doc.char_span(trig.start, trig.end, alignment_mode="expand")
    return decide(actor_token, trig_span.root, start, trig.start, trig.family)


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
    # the trigger's own clause names who launched it: the main clause's subject resisted
    ("Since the Iraqi government launched its US-backed offensive to recapture Mosul on 17 "
     "October, Daesh have not only managed to hold off any real advance into the city "
     "itself.", "Daesh", "offensive", "patient"),
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


# Sentences of MUC-4 training reports (re-cased as the harness feeds them), read the way
# an ACLED coder reads them. The keys list the rebels who "suffered casualties", the
# guerrillas "killed in a confrontation" and the people arrested as perpetrators wherever
# they appear; ACLED has them acted upon, so the model is not asked about them.
MUC_TRAIN_CASES = [
    # DEV-MUC3-0508: the trigger is the subject of "was attributed", the group its "to"
    # phrase (the hand rule, reading word order, says acted upon)
    ("That attack was attributed to the drug mafias against which the newspaper has "
     "courageously set itself.", "drug mafias", "attack", "agent"),
    # DEV-MUC3-0227
    ("Reports indicate that at 0320, harassment began in the western, eastern, and northern "
     "parts of the department, and that the rebels had suffered casualties during clashes "
     "this morning near the Jiboa sugar mill.", "rebels", "clashes", "patient"),
    # DEV-MUC3-0380
    ("The armed forces press committee (COPREFA) reported that nine guerrillas were killed "
     "in a confrontation with army troops in a village near Metapan, Santa Ana department.",
     "guerrillas", "killed", "patient"),
    # DEV-MUC3-0773
    ("These people were arrested by the National Guard.", "people", "arrested", "patient"),
    ("These people were arrested by the National Guard.", "National Guard", "arrested",
     "agent"),
]


@pytest.mark.parametrize(("text", "actor", "trigger", "want"), MUC_TRAIN_CASES)
def test_muc_training_sentences_read_as_acled_reads_them(nlp, text, actor, trigger, want):
    assert _role(nlp, text, actor, trigger) == want


def test_unlinked_actor_gets_the_frame_where_the_paths_meet(nlp):
    text = "That attack was attributed to the drug mafias."
    doc = nlp(text)
    start = text.index("drug")
    actor = doc.char_span(start, start + len("drug"))[0]
    trig = next(t for t in find_triggers(text) if t.text == "attack")
    head = doc.char_span(trig.start, trig.end)[0]
    feats = roles.role_features(actor, head, start, trig.start, trig.family)
    assert "unlinked" in feats and "rule=patient" in feats
    assert "frame_up=prep=to" in feats and "frame_down=nsubjpass" in feats
    assert roles.decide_role(actor, head, start, trig.start, trig.family) == "agent"


def test_suffering_and_arrests_are_left_to_the_rule(nlp):
    text = "The rebels suffered casualties during clashes near the sugar mill."
    doc = nlp(text)
    assert roles.suffers(doc[1])
    arrested = nlp("These people were arrested by the National Guard.")
    verb = next(t for t in arrested if t.text == "arrested")
    assert not roles.learned_trigger(verb, "arrest")
    killed = nlp("Nine guerrillas were killed in a confrontation.")
    verb = next(t for t in killed if t.text == "killed")
    assert not roles.learned_trigger(verb, "kill")
    active = nlp("Guerrillas killed nine soldiers.")
    verb = next(t for t in active if t.text == "killed")
    assert roles.learned_trigger(verb, "kill")
