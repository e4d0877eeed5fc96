"""MUC-4 event scoring: loaders on the real files (skipped when absent), the normaliser,
the matcher, the key readers (dates, places, deaths) and the whole scorer on a fake
extractor with hand-computed P/R/F1."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from rearguard.errors import EvalDataError
from rearguard.eval import muc
from rearguard.eval.muc import (
    Dateline,
    KeyTemplate,
    MucDoc,
    article_for,
    date_matches,
    date_ranges,
    evaluate_events,
    event_fillers,
    format_table,
    incident_type,
    key_deaths,
    key_places,
    known_names,
    load_muc4,
    match_count,
    merge_entities,
    muc_dir,
    names_people,
    normalise,
    parse_dateline,
    place_matches,
    recase,
    score_document,
)
from rearguard.types import Article, Event, Evidence, Extraction

DATA = muc_dir()
HAVE_DATA = all((DATA / f).is_file() for f in (
    "processed/dev.json", "derived/muc4_dev_keys_full.jsonl", "raw/tst1-muc3", "raw/tst2-muc4"
))


# ------------------------------------------------------------------ the real files


@pytest.fixture(scope="module")
def dev() -> list[MucDoc]:
    if not HAVE_DATA:
        pytest.skip(f"MUC-4 data not found in {DATA}")
    return load_muc4(DATA)


def test_real_dev_counts(dev: list[MucDoc]) -> None:
    assert len(dev) == 200
    assert sum(len(d.templates) for d in dev) == 191
    assert sum(bool(d.templates) for d in dev) == 116
    assert len({d.id for d in dev}) == 200
    assert dev[0].id == "TST1-MUC3-0001" and dev[-1].id == "TST2-MUC4-0100"
    types = {t.incident_type for d in dev for t in d.templates}
    assert types <= {*muc.INCIDENT_TYPES, "bombing / attack"}


def test_real_dev_datelines(dev: list[MucDoc]) -> None:
    assert all(d.dateline is not None for d in dev)  # every raw text has one
    dated = [d for d in dev if d.published]
    assert len(dated) == 184  # 15 'NO DATE', 1 '25 JAN' without a year
    assert all(d.published[:4] in ("1988", "1989", "1990") for d in dated)
    first = dev[0]
    assert first.published == "1990-02-04"
    assert first.dateline.place == "GUATEMALA CITY" and first.dateline.source == "ACAN-EFE"
    assert first.raw_text.startswith("GUATEMALA CITY, 4 FEB 90")


def test_real_dev_templates_carry_the_full_keys(dev: list[MucDoc]) -> None:
    t = dev[0].templates[0]
    assert t.incident_type == "attack" and t.date == "02 FEB 90"
    assert t.location == "GUATEMALA: SANTO TOMAS (FARM)"
    assert t.roles["PerpOrg"] == (("guatemalan national revolutionary unity", "urng"),)
    assert key_deaths(t) == (True, (1, 1.0))  # DEATH: "CIVILIAN", 1: "CIVILIAN"
    templates = [t for d in dev for t in d.templates]
    assert sum(bool(date_ranges(t.date)) for t in templates) == 184  # 7 are '-'
    assert all(key_places(t.location) for t in templates)


def test_real_article_is_readable(dev: list[MucDoc]) -> None:
    article = article_for(dev[1], DATA)
    assert article.id == "TST1-MUC3-0002" and article.published == "1990-02-18"
    assert article.text.startswith("San Salvador, 18 February 1990 (DPA) -- Heavy fighting")
    assert "Farabundo Marti National Liberation Front (FMLN)" in article.text
    assert article.text.lower().endswith(dev[1].doctext.strip().lower()[-60:])


def test_missing_data_and_unknown_split(tmp_path) -> None:
    with pytest.raises(EvalDataError) as e:
        load_muc4(tmp_path)
    assert e.value.code == "E521"
    with pytest.raises(EvalDataError) as e:
        load_muc4(tmp_path, "nope")
    assert e.value.code == "E524"


# ------------------------------------------------------------- datelines and casing


def test_parse_dateline() -> None:
    d = parse_dateline("CONCEPCION, 23 AUG 88 (SANTIAGO DOMESTIC SERVICE) -- [TEXT] X")
    assert d == Dateline("CONCEPCION", "1988-08-23", "SANTIAGO DOMESTIC SERVICE",
                         "CONCEPCION, 23 AUG 88 (SANTIAGO DOMESTIC SERVICE) --")
    d = parse_dateline("BEIJING (PRC), 30 NOV 89 (XINHUA\nDOMESTIC SERVICE) -- [TEXT]")
    assert d.place == "BEIJING (PRC)" and d.date == "1989-11-30"
    assert d.source == "XINHUA DOMESTIC SERVICE"
    assert parse_dateline("CLANDESTINE, NO DATE -- [TEXT]").date is None
    assert parse_dateline("BUENOS AIRES, 25 JAN (NA) -- [TEXT]").date is None
    assert parse_dateline("LIMA, 3 FEB 90 -- X").date == "1990-02-03"
    assert parse_dateline("no dateline here") is None


def test_recase() -> None:
    text = ("members of the farabundo marti national liberation front (fmln) attacked. "
            "colonel luis isaacs said that isaacs and the fmln met in san salvador.")
    out = recase(text, {"san salvador": "San Salvador"})
    assert out == (
        "Members of the Farabundo Marti National Liberation Front (FMLN) attacked. "
        "Colonel Luis Isaacs said that Isaacs and the FMLN met in San Salvador."
    )
    assert len(out) == len(text)
    assert recase("a report by (vargas) today") == "A report by (Vargas) today"


def test_recase_knows_armed_groups_by_name(tmp_path) -> None:
    # Most reports name a group without the "(fmln)" that would teach its case: the actor
    # table's group names are known names; an acronym that is an English word is not.
    names = known_names(str(tmp_path))  # rearguard's own tables only
    text = "at 0300 fmln units attacked; shining path and the eln is active"
    assert recase(text, names) == (
        "At 0300 FMLN units attacked; Shining Path and the ELN is active")
    assert names.get("is") is None and names.get("mend") is None
    assert names.get("army") is None  # a generic word of the table stays a word


# ------------------------------------------------------------ normaliser and matcher


def test_normalise() -> None:
    assert normalise("The Guerrillas") == "guerrillas"
    assert normalise('"Santo Tomas" presidential farm') == "santo tomas presidential farm"
    assert normalise("an  army  patrol, a unit") == "army patrol unit"
    assert normalise("theater") == "theater"  # only whole words are articles
    assert normalise("Bogotá") == "bogota"
    assert normalise("the") == ""


def test_merge_entities() -> None:
    merged = merge_entities([["guerrillas", "guerrilla column"], ["the guerrillas"], ["urng"]])
    assert sorted(map(sorted, merged)) == [["guerrilla column", "guerrillas"], ["urng"]]
    assert merge_entities([["the"], []]) == []


def test_match_count_one_gold_entity_at_most_once() -> None:
    gold = merge_entities([["guerrillas", "guerrilla column"]])
    # two fillers that are both mentions of the one entity: one match
    assert match_count(merge_entities([["guerrillas"], ["guerrilla column"]]), gold) == 1
    # any coreferent mention counts
    assert match_count(merge_entities([["A guerrilla column"]]), gold) == 1
    # no partial credit
    assert match_count(merge_entities([["urban guerrillas"]]), gold) == 0


def test_match_count_is_a_maximum_matching() -> None:
    gold = [frozenset({"x", "y"}), frozenset({"y"})]
    # a greedy pass giving "x or y" the first entity would leave "y" unmatched
    assert match_count([frozenset({"y", "z"}), frozenset({"x"})], gold) == 2
    assert match_count([frozenset({"y"}), frozenset({"y"})], gold) == 2
    assert match_count([], gold) == 0 and match_count([frozenset({"y"})], []) == 0


# ---------------------------------------------------------------- dates and places


def test_date_ranges() -> None:
    assert date_ranges("19 APR 89") == [(date(1989, 4, 19), date(1989, 4, 19))]
    assert date_ranges("10 JAN 90 - 11 JAN 90") == [(date(1990, 1, 10), date(1990, 1, 11))]
    assert date_ranges("- 19 APR 89") == [(date(1989, 3, 20), date(1989, 4, 19))]
    assert date_ranges("- 19 APR 89", open_days=1) == [(date(1989, 4, 19), date(1989, 4, 19))]
    assert date_ranges("(25 JAN 90)") == [(date(1990, 1, 25), date(1990, 1, 25))]
    assert date_ranges("(09 DEC 89) / (- 09 DEC 89)")[1][1] == date(1989, 12, 9)
    assert date_ranges("-") == []


def test_date_matches() -> None:
    assert date_matches("10 JAN 90 - 11 JAN 90", "1990-01-11")
    assert not date_matches("10 JAN 90 - 11 JAN 90", "1990-01-12")
    assert date_matches("- 19 APR 89", "1989-04-01")
    assert not date_matches("- 19 APR 89", "1989-04-20")  # after the anchor
    assert not date_matches("- 19 APR 89", "1989-03-01")  # more than a month before
    assert date_matches("(11 NOV 89) / (10 NOV 89 - 11 NOV 89)", "1989-11-10")
    assert not date_matches("19 APR 89", None) and not date_matches("-", "1989-04-19")


def _event(**kw) -> Event:
    base = dict(event_id_cnty="X1", event_date=None, year=None, time_precision=None,
                disorder_type="Political violence", event_type="Battles",
                sub_event_type="Armed clash", actor1="")
    return Event(**{**base, **kw})


def test_key_places_and_place_matches() -> None:
    fill = "(EL SALVADOR: SAN MIGUEL (DEPARTMENT): EL TRIUNFO (TOWN)) / (EL SALVADOR)"
    assert key_places(fill)[0] == ({"el salvador"}, [("san miguel", "DEPARTMENT"),
                                                     ("el triunfo", "TOWN")])
    city = "COLOMBIA: MEDELLIN (CITY)"
    assert place_matches(city, _event(country="Colombia", location="Medellín"))
    assert not place_matches(city, _event(country="Colombia", location="Bogota"))
    assert not place_matches(city, _event(country="Peru", location="Medellin"))
    assert place_matches("COLOMBIA", _event(country="Colombia", location="Cali"))
    assert place_matches("PERU: LIMA (CITY): SAN ISIDRO (NEIGHBORHOOD)",
                         _event(country="Peru", location="Lima"))
    dept = "EL SALVADOR: MORAZAN (DEPARTMENT)"
    assert place_matches(dept, _event(country="El Salvador", location="Perquin",
                                      admin1="Morazan"))
    assert place_matches("HONDURAS / EL SALVADOR", _event(country="El Salvador"))
    assert place_matches("CHILE: COPIAPO (CITY) - TALCA (CITY)",
                         _event(country="Chile", location="Talca"))
    assert place_matches("UNITED STATES: WASHINGTON (CITY)",
                         _event(country="United States of America", location="Washington"))


def test_key_deaths() -> None:
    def t(effects, numbers):
        return KeyTemplate("attack", {}, effects=tuple(effects), numbers=tuple(numbers))

    assert key_deaths(t(['DEATH: "JESUITS" / "PRIESTS"'], ['6: "PRIESTS" / "JESUITS"'])) == (
        True, (6, 6.0))
    assert key_deaths(t(['DEATH: "DEAD"', 'INJURY: "WOUNDED"'],
                        ['67: "DEAD"', '~1000: "WOUNDED"'])) == (True, (67, 67.0))
    assert key_deaths(t(['DEATH: "A"', 'DEATH: "B"'], ['1: "A"', '5 - 7: "B"'])) == (
        True, (6, 8.0))
    assert key_deaths(t(['DEATH: "CIVILIANS"'], ['PLURAL: "CIVILIANS"'])) == (True, None)
    assert key_deaths(t(['? DEATH: "PEOPLE"'], ['? 15: "PEOPLE"'])) == (True, (15, 15.0))
    assert key_deaths(t(['NO INJURY OR DEATH: "-"'], ['-'])) == (False, None)
    assert key_deaths(t(['INJURY: "POLICEMAN"'], ['1: "POLICEMAN"'])) == (False, None)


# ------------------------------------------------------------------------- mapping


def test_incident_type_mapping() -> None:
    def kind(sub, event_type="", **kw):
        return incident_type(_event(event_type=event_type, sub_event_type=sub, **kw))

    assert kind("Armed clash") == "attack" and kind("Attack") == "attack"
    assert kind("Air/drone strike") == "attack"
    assert kind("Remote explosive/landmine/IED") == "bombing"
    assert kind("Grenade") == "bombing" and kind("Suicide bomb") == "bombing"
    assert kind("Abduction/forced disappearance") == "kidnapping"
    assert kind("Looting/property destruction", notes="They set fire to a bus.") == "arson"
    assert kind("Looting/property destruction", notes="Rebels looted a store.") == "robbery"
    assert kind("Looting/property destruction", notes="They dynamited a pylon.") == "bombing"
    assert kind("Looting/property destruction") == "attack"
    assert kind("Other", notes="The Shining Path called an armed strike.") == (
        "forced work stoppage")
    assert kind("Other") is None and kind("Arrests") is None
    assert kind("Peaceful protest") is None
    assert kind("", event_type="Explosions/Remote violence") == "bombing"


def test_people_and_things() -> None:
    assert names_people("urban guerrillas") and names_people("heavily armed men")
    assert names_people("members of the FMLN") and names_people("drug traffickers")
    assert not names_people("Shining Path") and not names_people("FMLN")
    fillers = event_fillers(_event(
        actor1="FMLN: Farabundo Marti National Liberation Front",
        actor2="Police Forces of El Salvador (1989-2009)",
        evidence=(Evidence("actor1", "urban guerrillas", 0, 16),
                  Evidence("actor2", "the police station", 30, 47),
                  Evidence("actor2", "two policemen", 50, 63),
                  Evidence("weapon", "dynamite", 70, 78))))
    assert fillers["PerpInd"] == [{"urban guerrillas"}]
    assert fillers["PerpOrg"] == [{"FMLN: Farabundo Marti National Liberation Front", "FMLN",
                                   "Farabundo Marti National Liberation Front"}]
    assert fillers["Target"] == [{"the police station"}]
    assert fillers["Victim"] == [{"two policemen", "policemen", "Police Forces of El Salvador",
                                  "Police Forces of El Salvador (1989-2009)"}]
    assert fillers["Weapon"] == [{"dynamite"}]
    assert event_fillers(_event(actor1="Unidentified Armed Group (Peru)"))["PerpOrg"] == []


# ---------------------------------------------------------------- the whole scorer


def _docs() -> list[MucDoc]:
    t1 = KeyTemplate(
        "attack",
        {"PerpInd": (("guerrillas", "guerrilla column"),),
         "PerpOrg": (("fmln", "farabundo marti national liberation front"),),
         "Target": (("power substation", "substation"),), "Victim": (("soldier",),),
         "Weapon": ()},
        date="- 18 FEB 90", location="EL SALVADOR: SAN SALVADOR (CITY)",
        effects=('INJURY: "SOLDIER"',), numbers=('1: "SOLDIER"',),
    )
    t2 = KeyTemplate(
        "bombing",
        {"PerpInd": (("guerrillas",),), "PerpOrg": (), "Target": (("bridge",),),
         "Victim": (("peasants",),), "Weapon": (("bomb", "dynamite"),)},
        date="17 FEB 90", location="EL SALVADOR",
        effects=('DEATH: "PEASANTS"',), numbers=('2: "PEASANTS"',),
    )
    line = Dateline("SAN SALVADOR", "1990-02-18", "DPA", "SAN SALVADOR, 18 FEB 90 (DPA) --")
    return [
        MucDoc("A", "guerrillas of the fmln attacked a substation.", "", line, (t1, t2)),
        MucDoc("B", "police arrested a journalist.", "", line, ()),
    ]


def _ev(field: str, text: str) -> Evidence:
    return Evidence(field, text, 0, len(text))


FAKE_EVENTS = {
    "A": (
        _event(actor1="FMLN: Farabundo Marti National Liberation Front",
               event_date="1990-02-17", country="El Salvador", location="San Salvador",
               evidence=(_ev("event", "attacked"), _ev("actor1", "the guerrillas"),
                         _ev("actor2", "an electric power substation"))),
        _event(event_type="Explosions/Remote violence",
               sub_event_type="Remote explosive/landmine/IED",
               actor1="Unidentified Armed Group (El Salvador)",
               actor2="Civilians (El Salvador)", event_date="1990-02-16",
               country="El Salvador", location="Usulutan", fatalities=2,
               evidence=(_ev("actor1", "Guerrilla column"), _ev("actor2", "two peasants"),
                         _ev("weapon", "a bomb"))),
        _event(event_type="Strategic developments", sub_event_type="Arrests",
               actor1="Police Forces of El Salvador", actor2="Civilians (El Salvador)",
               evidence=(_ev("actor1", "police"), _ev("actor2", "students"))),
    ),
    "B": (
        _event(event_type="Violence against civilians", sub_event_type="Attack",
               actor1="Police Forces of Colombia",
               evidence=(_ev("actor1", "police"), _ev("actor2", "a journalist"))),
    ),
}


def fake_extract(article: Article, *, settings=None) -> Extraction:
    return Extraction(article, FAKE_EVENTS.get(article.id, ()))


def test_score_document_counts() -> None:
    score = score_document(_docs()[0], FAKE_EVENTS["A"])
    assert score.roles == {"PerpInd": (1, 1, 0), "PerpOrg": (1, 0, 0), "Target": (0, 1, 2),
                           "Victim": (1, 0, 1), "Weapon": (1, 0, 0)}
    assert score.types == (2, 0, 0)
    assert score.events == 2 and score.dropped == 1
    assert score.alignment == [(0, 0), (1, 1)]


def test_evaluate_events_with_a_fake_extractor(tmp_path) -> None:
    seen: list[Article] = []

    def extract(article: Article, *, settings=None) -> Extraction:
        seen.append(article)
        return fake_extract(article, settings=settings)

    r = evaluate_events(data_dir=tmp_path, extractor=extract, docs=_docs())
    assert [a.id for a in seen] == ["warm-up", "A", "B"]
    assert seen[1].published == "1990-02-18"
    assert seen[1].text.startswith("San Salvador, 18 February 1990 (DPA) -- Guerrillas of")
    roles = r["roles"]
    assert (roles["PerpInd"]["tp"], roles["PerpInd"]["fp"], roles["PerpInd"]["fn"]) == (1, 1, 0)
    assert roles["PerpInd"]["precision"] == 0.5 and roles["PerpInd"]["recall"] == 1.0
    assert roles["PerpInd"]["f1"] == pytest.approx(2 / 3)
    assert (roles["PerpOrg"]["tp"], roles["PerpOrg"]["fp"], roles["PerpOrg"]["fn"]) == (1, 1, 0)
    assert roles["Target"]["f1"] == 0.0 and roles["Target"]["fn"] == 2
    assert roles["Victim"]["precision"] == 0.5 and roles["Victim"]["recall"] == 0.5
    assert roles["Weapon"]["f1"] == 1.0
    micro = r["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (4, 4, 3)
    assert micro["precision"] == 0.5
    assert micro["recall"] == pytest.approx(4 / 7)
    assert micro["f1"] == pytest.approx(8 / 15)
    it = r["incident_type"]
    assert (it["tp"], it["fp"], it["fn"]) == (2, 1, 0)  # doc B has no template: a false positive
    assert it["precision"] == pytest.approx(2 / 3) and it["f1"] == pytest.approx(0.8)
    assert r["date"] == {"n": 2, "correct": 1, "accuracy": 0.5, "aligned": 2,
                         "accuracy_aligned": 0.5}
    assert r["place"]["accuracy"] == 1.0 and r["place"]["n"] == 2
    assert r["deaths"]["n"] == 1 and r["deaths"]["accuracy"] == 1.0
    assert r["deaths_exact"]["n"] == 1 and r["deaths_exact"]["accuracy"] == 1.0
    assert r["docs"] == 2 and r["events"] == 3 and r["dropped_events"] == 1
    table = format_table(r)
    assert "| micro (5 roles) | 50.00 | 57.14 | 53.33 | 4 | 4 | 3 |" in table
    assert "| incident type | 66.67 | 100.00 | 80.00 | 2 | 1 | 0 |" in table
    assert "| date | 2 | 1 | 50.00 | 2 | 50.00 |" in table
    json.dumps(r)  # serialisable for --json


def test_no_events_means_no_alignment(tmp_path) -> None:
    r = evaluate_events(data_dir=tmp_path, extractor=lambda a, settings=None: Extraction(a),
                        docs=_docs(), warm_up=False)
    assert r["micro"]["tp"] == 0 and r["micro"]["fn"] == 7 and r["micro"]["precision"] == 0.0
    assert r["date"]["accuracy"] == 0.0 and r["date"]["aligned"] == 0
    assert r["date"]["accuracy_aligned"] is None
    assert r["incident_type"]["fn"] == 2


def test_cli_events_uses_the_harness(monkeypatch, dev) -> None:
    from rearguard.cli import cli

    monkeypatch.setattr(muc, "_extractor", lambda: fake_extract)
    result = CliRunner().invoke(cli, ["eval", "events", "--data", str(DATA), "--limit", "3",
                                      "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["docs"] == 3 and data["events"] == 0
    assert data["micro"]["fn"] > 0 and data["micro"]["tp"] == 0
