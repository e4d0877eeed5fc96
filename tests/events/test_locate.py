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


# ------------------------------------------------------------- the learned ranker


@pytest.mark.parametrize(
    ("text", "trigger", "first"),
    [
        ("Daesh assaulted Shirqat in Salahuddin province, over 100 kilometres from Mosul",
         "assaulted", "Shirqat"),
        ("A car bomb exploded in Kabul, killing 12", "killing", "Kabul"),
        ("Serb forces shelled the town of Gorazde overnight", "shelled", "Gorazde"),
    ],
)
def test_the_rules_alone_still_decide_without_the_ranker(parse, text, trigger, first):
    places = parse(text, trigger, ranker=False)
    assert places and places[0].startswith(first), places


def test_other_names_are_candidates_and_their_container_follows(parse):
    text = "A roadside bomb exploded on Haifa Street in central Baghdad."
    assert parse(text, "exploded", names=True) == ["Haifa Street", "Baghdad"]
    assert parse(text, "exploded", names=True, containers=False) == ["Haifa Street"]
    # without names (as the extractor calls it) only toponyms come back
    assert parse(text, "exploded") == ["Baghdad"]
    assert parse("Protesters marched in Tahrir Square in Cairo on Friday.", "marched",
                 names=True) == ["Tahrir Square", "Cairo"]


def test_coordinated_places_are_all_chosen(parse):
    assert parse("Troops patrolled the streets of Kabul and Kandahar.", "patrolled") == [
        "Kabul", "Kandahar"]


def test_the_ranker_does_not_overrule_speakers_actors_and_demonyms(parse):
    assert parse("A police spokesman in Baghdad said gunmen killed two soldiers", "killed",
                 names=True) == []
    assert parse("The Kabul government condemned the attack", "attack", names=True) == []


def test_name_candidates_are_whole_names_outside_the_toponyms(settings, gazetteer):
    from rearguard.events.locate import name_candidates
    from rearguard.nlp.pipeline import load_pipeline

    nlp = load_pipeline(settings.spacy_model, str(gazetteer.path))
    doc = nlp("A car bomb detonated in the Shiite- dominated Sadr city near Haifa Street "
              "in eastern Baghdad.")
    toponyms = find_toponyms_in_doc(doc, gazetteer)
    names = name_candidates(doc[:], toponyms)
    taken = {i for t in toponyms for i in range(t.start, t.end)}
    assert "Haifa Street" in [n.text for n in names]
    for name in names:
        assert name.text[:1].isalnum() and name.text[-1:].isalnum(), name.text
        assert not taken & set(range(name.start, name.end))


def test_place_features_one_row_per_candidate_and_one_for_no_place(settings, gazetteer):
    from rearguard.events.locate import name_candidates, place_features
    from rearguard.nlp.pipeline import load_pipeline

    nlp = load_pipeline(settings.spacy_model, str(gazetteer.path))
    doc = nlp("Protesters marched in Tahrir Square in Cairo on Friday.")
    toponyms = find_toponyms_in_doc(doc, gazetteer)
    names = name_candidates(doc[:], toponyms)
    trigger = next(t for t in doc if t.text == "marched")
    rows, none = place_features(doc[:], trigger, toponyms, names)
    assert len(rows) == len(toponyms) + len(names)
    assert all(r["bias"] == 1.0 for r in rows) and none["none"] == 1.0
    assert rows[0]["cue=container"] == 1.0  # Cairo contains Tahrir Square
    assert rows[0]["kind=topo"] == 1.0
    assert any(k.startswith("kind=name:") for k in rows[1])


def test_ranker_round_trip_and_missing_weights_fall_back_to_the_rules(tmp_path):
    from rearguard.events.locate import Ranker, get_ranker

    shipped = get_ranker()
    assert shipped is not None and shipped.weights and "bias" in shipped.weights
    path = tmp_path / "locator.json"
    shipped.save(path)
    again = get_ranker(path)
    assert again is not None
    assert (again.ratio, again.margin, again.veto) == (shipped.ratio, shipped.margin,
                                                       shipped.veto)
    assert again.weights == pytest.approx(shipped.weights, abs=1e-6)
    assert get_ranker(tmp_path / "missing.json") is None
    assert Ranker({}).probabilities([{"bias": 1.0}], {"none": 1.0}) == [0.5, 0.5]


def test_an_explicit_ranker_none_means_the_rules(parse):
    text = "Daesh successfully attacked Rutba, almost 600 kilometres south of Mosul"
    assert parse(text, "attacked", ranker=None) == parse(text, "attacked", ranker=False)
