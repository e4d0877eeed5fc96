"""``rearguard eval wikievents``: the article text rebuilt from ``sentences`` (every token
and entity mention lines up), the publication date, name and attacker matching, and the
document scores on real WikiEvents documents (../shared/eval/wikievents, skipped when
absent) with predictions built as Event objects; a smoke run of the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rearguard.cli import cli
from rearguard.eval.wikievents import (
    MISSED_DOC,
    OFF_GOLD,
    WRONG_ATTACKER,
    WRONG_PLACE,
    WikiDoc,
    attacker_matches,
    format_misses,
    format_table,
    gold_mentions,
    is_name,
    load_wikievents,
    names_match,
    place_names,
    publication_date,
    rebuild_text,
    score_document,
    text_dates,
    with_modifiers,
)
from rearguard.types import TIME_DAY, Event, Evidence, Geocoded, Place


@pytest.fixture(scope="module")
def folder(shared_dir: Path) -> Path:
    path = shared_dir / "eval" / "wikievents"
    if not (path / "dev.jsonl").is_file():
        pytest.skip("../shared/eval/wikievents is not beside the checkout")
    return path


@pytest.fixture(scope="module")
def docs(folder: Path) -> dict[str, WikiDoc]:
    return {d.id: d for d in load_wikievents(folder)}


def _event(doc: WikiDoc, sentences: list[str], *, kind: str = "Explosions/Remote violence",
           sub: str = "Suicide bomb", location: str = "", country: str = "Afghanistan",
           actor1: str = "", at: tuple[float, float] | None = None) -> Event:
    evidence = []
    for quote in sentences:
        start = doc.text.index(quote)
        evidence.append(Evidence("event", quote, start, start + len(quote)))
    lat, lon = at if at else (None, None)
    return Event(event_id_cnty="AFG1", event_date="2019-03-01", year=2019,
                 time_precision=TIME_DAY, disorder_type="Political violence",
                 event_type=kind, sub_event_type=sub, actor1=actor1, location=location,
                 country=country, latitude=lat, longitude=lon, evidence=tuple(evidence))


# ----------------------------------------------------------------------------- the text


def test_every_token_and_mention_lines_up(folder: Path, docs: dict[str, WikiDoc]) -> None:
    lines = (folder / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    assert len(records) == len(docs) == 20
    for record in records:
        doc = docs[record["doc_id"]]
        flat = [t for tokens, _ in record["sentences"] for t in tokens]
        assert [doc.text[s:e] for s, e in doc.tokens] == [t[0] for t in flat] \
            == record["tokens"]
        for mention in record["entity_mentions"]:
            entity = doc.entities[mention["id"]]
            assert entity.text.replace(" ", "") == mention["text"].replace(" ", "")
        for mention in doc.mentions:
            assert doc.text[mention.start:mention.end] == mention.trigger
        # the joined 'text' field lost the gaps; the rebuilt text only adds white space
        assert "".join(doc.text.split()) == "".join(record["text"].split())
    road = docs["road_ied_8"]
    assert road.text.startswith("Roadside IED kills Russian major general in Syria The desert")
    assert road.sentences[1][0] == 50


def test_rebuild_rejects_misaligned_offsets() -> None:
    good = [[[["Gunmen", 0, 6], ["attacked", 7, 15]], "Gunmen attacked"],
            [[["Two", 18, 21], ["died", 22, 26]], "Two died"]]
    text, sentences, tokens = rebuild_text(good)
    assert text == "Gunmen attacked   Two died" and sentences == [(0, 15), (18, 26)]
    assert tokens[2] == (18, 21)
    with pytest.raises(ValueError, match="does not line up"):
        rebuild_text([[[["Gunmen", 0, 6], ["fired", 8, 13]], "Gunmen fired"]])
    with pytest.raises(ValueError, match="inside the one before"):
        rebuild_text([good[0], [[["Two", 10, 13]], "Two"]])


def test_publication_date(docs: dict[str, WikiDoc]) -> None:
    assert docs["64_VOA_EN_NW_2017.06.05.3887168"].published == "2017-06-05"
    assert docs["scenario_en_kairos_75"].published == "2018-01-17"  # from its text
    assert docs["road_ied_8"].published is None
    assert publication_date("x", "On May 24, 2017 and 3 June 2017, not 2017-13-01.") == \
        "2017-06-03"
    assert text_dates("Sept. 11, 2001; 21 Jul 1972; 1995-04-19") == \
        ["2001-09-11", "1972-07-21", "1995-04-19"]


# ----------------------------------------------------------------------------- matching


def test_names_and_attackers() -> None:
    assert names_match("‘Afrīn", "Afrin") and names_match("Helmand", "Helmand Province")
    assert not names_match("Mexico City", "Kabul") and not names_match("", "Kabul")
    assert is_name("Deir ez-Zor") and not is_name("the city") and not is_name("They")
    assert attacker_matches("Islamic State (Syria)", ["ISIS"])
    assert attacker_matches("Islamic State (Syria)", ["IS"])
    assert attacker_matches("Taliban", ["Taliban gunmen"])
    assert attacker_matches("Unidentified Armed Group (Iraq)", ["gunmen"])
    assert not attacker_matches("Taliban", ["they", "he", "the group"])
    assert not attacker_matches("Military Forces of Afghanistan", ["Taliban gunmen"])
    assert not attacker_matches("", ["ISIS"])


def test_gold_mentions_modifiers_and_places(docs: dict[str, WikiDoc]) -> None:
    doc = docs["suicide_ied_114"]
    attack = _event(doc, ["Taliban gunmen and suicide bombers attacked Camp Shorabak"])
    assert [m.event_type for m in gold_mentions(doc, attack)] == \
        ["Conflict.Attack.Unspecified"]
    gunmen = next(e for e in doc.entities.values() if e.text == "gunmen")
    assert with_modifiers(doc, gunmen) == "Taliban gunmen"
    places = place_names(doc, gold_mentions(doc, attack)[0].ids(["Place"]))
    assert sorted(p.text for p in places) == ["Afghan", "Afghanistan", "Helmand Province"]


def test_scores_of_a_real_document(docs: dict[str, WikiDoc]) -> None:
    doc = docs["suicide_ied_114"]
    first = "On the morning of 1 March 2019, Taliban gunmen"
    right = _event(doc, [first], location="Helmand", actor1="Taliban")
    dead = _event(doc, ["Twenty insurgents were killed."], kind="Battles", sub="Armed clash",
                  location="Quetta", country="Pakistan", actor1="Military Forces of Pakistan")
    wrong = _event(doc, [first], location="Quetta", country="Pakistan",
                   actor1="Military Forces of Afghanistan")
    refs = _event(doc, ["== References =="], kind="Violence against civilians", sub="Attack")
    protest = _event(doc, ["They killed 23 Afghan soldiers"], kind="Protests",
                     sub="Peaceful protest")
    score = score_document(doc, [right, dead, refs, wrong, protest])
    t = score.tally
    assert (t.attack_docs, t.attack_docs_found, t.events, t.other_events) == (1, 1, 4, 1)
    assert t.on_gold == 3  # the references line holds no trigger
    assert (t.place_ok, t.place_n) == (1, 2)  # the Life.Die mention has no place
    assert (t.attacker_ok, t.attacker_n) == (1, 2)
    assert [m["kind"] for m in score.misses] == [OFF_GOLD, WRONG_PLACE, WRONG_ATTACKER]
    assert score.misses[1]["gold"] == ["Afghan", "Afghanistan", "Helmand Province"]

    # the gold place geocoded in its text: Quetta is not within 25 km of Helmand, but an
    # event placed at the point the geocoder gives Helmand Province is
    def geocode(text, spans, *, settings=None):
        return Geocoded(places=tuple(
            Place(s, e, text[s:e], latitude=31.0, longitude=64.0) for s, e in spans))

    near = _event(doc, [first], location="Nad Ali", country="", at=(31.1, 64.1))
    assert score_document(doc, [near]).tally.place_ok == 0
    assert score_document(doc, [near], geocode=geocode).tally.place_ok == 1
    # the country alone is a coarser gold place that the event's country names
    assert score_document(doc, [_event(doc, [first], location="Kabul")]).tally.place_ok == 1

    quiet = score_document(doc, [protest])
    assert quiet.tally.attack_docs_found == 0 and quiet.misses[0]["kind"] == MISSED_DOC
    assert quiet.misses[0]["trigger"] == "attacked"


# ----------------------------------------------------------------------------- command


def test_evaluate_tables_and_command(settings, folder: Path, docs) -> None:
    from rearguard.eval.wikievents import evaluate_wikievents
    from rearguard.types import Extraction

    def extract(articles, *, settings=None):
        for article in articles:
            yield Extraction(article, ())

    results = evaluate_wikievents(data_dir=folder, limit=2, extract=extract, names_only=True)
    assert [r["doc"] for r in results["documents"]] == ["road_ied_8", "scenario_en_62"]
    s = results["scores"]
    assert s["attack_recall"] == {"correct": 0, "n": 1, "score": 0.0}
    assert s["precision"]["score"] is None
    assert "| attack-document recall | 0.00 | 0/1 | 0.90 |" in format_table(results)
    assert "## road_ied_8" in format_misses(results)

    args = ["--gazetteer", str(settings.gazetteer_path), "eval", "wikievents", "--data",
            str(folder.parent), "--limit", "1"]
    result = CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scores"]["docs"] == 1 and data["documents"][0]["doc"] == "road_ied_8"
    assert data["scores"]["attack_recall"]["n"] == 1
    result = CliRunner().invoke(cli, [*args, "--misses"], catch_exceptions=False)
    assert result.exit_code == 0 and "| the attacker |" in result.output
