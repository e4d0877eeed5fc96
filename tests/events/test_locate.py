"""event_places on news sentences from several wars, with the real pipeline."""

from __future__ import annotations

import pytest

from rearguard.eval.location import find_toponyms_in_doc
from rearguard.events.locate import event_places, score_places


@pytest.fixture(scope="module")
def parse(settings, gazetteer):
    from rearguard.nlp.pipeline import load_pipeline

    nlp = load_pipeline(settings.spacy_model, str(gazetteer.path))

    def run(text: str, trigger: str, **kwargs) -> list[str]:
        doc = nlp(text)
        token = next(t for t in doc if t.text == trigger)
        toponyms = find_toponyms_in_doc(doc, gazetteer)
        return [s.text for s in event_places(token.sent, token, toponyms, **kwargs)]

    return run


@pytest.mark.parametrize(
    ("text", "trigger", "first"),
    [
        ("Daesh assaulted Shirqat in Salahuddin province, over 100 kilometres from Mosul",
         "assaulted", "Shirqat"),
        ("Daesh successfully attacked Rutba, almost 600 kilometres south of Mosul",
         "attacked", "Rutba"),
        ("Daesh first breached Kirkuk's defences, more than 170 kilometres from Mosul",
         "breached", "Kirkuk"),
        ("Iraqi forces launched an offensive to recapture Mosul", "recapture", "Mosul"),
        ("Syrian troops shelled rebel positions in Idlib province", "shelled", "Idlib"),
        ("A car bomb exploded in Kabul, killing 12", "exploded", "Kabul"),
        ("A car bomb exploded in Kabul, killing 12", "killing", "Kabul"),
        ("Protesters marched in Khartoum", "marched", "Khartoum"),
        ("The Iraqi army said that militants attacked a checkpoint near Tikrit",
         "attacked", "Tikrit"),
        ("Russian warplanes bombed a market in Aleppo on Tuesday, activists said",
         "bombed", "Aleppo"),
        ("Kirkuk was attacked by Daesh fighters at dawn", "attacked", "Kirkuk"),
        ("Serb forces shelled the town of Gorazde overnight", "shelled", "Gorazde"),
    ],
)
def test_the_event_place_comes_first(parse, text, trigger, first):
    places = parse(text, trigger)
    assert places and places[0].startswith(first), places


def test_distance_phrases_are_not_the_place(parse):
    assert "Mosul" not in parse(
        "Daesh assaulted Shirqat in Salahuddin province, over 100 kilometres from Mosul",
        "assaulted",
    )
    assert parse("Daesh successfully attacked Rutba, almost 600 kilometres south of Mosul",
                 "attacked") == ["Rutba"]


def test_the_container_follows_what_it_contains(parse):
    text = "Daesh assaulted Shirqat in Salahuddin province, over 100 kilometres from Mosul"
    assert parse(text, "assaulted") == ["Shirqat", "Salahuddin province"]
    assert parse(text, "assaulted", containers=False) == ["Shirqat"]


def test_actors_speakers_and_destinations_are_not_the_place(parse):
    assert parse("The Iraqi army said that militants attacked a checkpoint near Tikrit",
                 "attacked") == ["Tikrit"]
    assert parse("A police spokesman in Baghdad said gunmen killed two soldiers",
                 "killed") == []
    assert parse("Thousands of villagers fled to Turkey after the army attacked them",
                 "attacked") == []
    assert parse("Syrian troops shelled rebel positions in Idlib province",
                 "shelled")[0].startswith("Idlib")


def test_no_place_in_the_sentence(parse):
    assert parse("Gunmen killed three policemen on Sunday, officials said.", "killed") == []
    assert parse("The Kabul government condemned the attack", "attack") == []


def test_score_places_gives_one_score_per_toponym(settings, gazetteer):
    from rearguard.nlp.pipeline import load_pipeline

    nlp = load_pipeline(settings.spacy_model, str(gazetteer.path))
    doc = nlp("Daesh successfully attacked Rutba, almost 600 kilometres south of Mosul")
    toponyms = find_toponyms_in_doc(doc, gazetteer)
    trigger = next(t for t in doc if t.text == "attacked")
    scores = score_places(doc[:], trigger, toponyms)
    assert [s.span.text for s in scores] == [t.text for t in toponyms]
    by_name = {s.span.text: s for s in scores}
    assert by_name["Rutba"].score > 0 and by_name["Rutba"].cue == "arg"
    assert by_name["Mosul"].score == 0 and by_name["Mosul"].cue == "distance"
