"""``rearguard eval articles``: gold loading and its checks, the sentence rule, the one-to-one
matcher, actor names, field scores and miss kinds, on real articles of
../shared/eval/geoparsing-news (skipped when absent) with gold lines written here from
reading them and predictions built as Event objects; a smoke run of the command."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rearguard.cli import cli
from rearguard.errors import EvalDataError, InputError
from rearguard.eval import articles as arts
from rearguard.eval.articles import (
    FALSE_BACKGROUND,
    FALSE_DUPLICATE,
    FALSE_OTHER,
    FALSE_QUIET,
    FIELD_ERROR,
    MISSED,
    GoldArticle,
    actor_key,
    actor_matches,
    check_article,
    format_misses,
    format_table,
    gold_paths,
    load_gold,
    match_events,
    max_weight_assignment,
    parse_gold_line,
    quote_sentences,
    read_sources,
    score_article,
    score_fields,
    select_gold,
    sentence_span,
)
from rearguard.types import TIME_DAY, Event, Evidence

BAGHDAD = (33.34058, 44.40088)
SHAAB = (33.4139, 44.39162)
QAMISHLI = (37.05215, 41.22635)
AFRIN = (36.51194, 36.86954)

# LGL 42573065, from reading it: one car bomb in Baghdad's Shaab district on Thursday
# 2009-03-26 (the download date), up to 20 dead (officials) or 8 (U.S. military); the
# 2003 invasion and "the fifth major attack this month" are background.
CAR_BOMB = {
    "corpus": "LGL", "doc": "42573065", "title": "Iraqi Officials: Car Bomb Kills 20 in Baghdad",
    "published": "2009-03-26", "kind": "conflict",
    "events": [{
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED", "date": "2009-03-26",
        "date_precision": "day", "place": "Shaab", "country": "Iraq", "admin1": "Baghdad",
        "lat": SHAAB[0], "lon": SHAAB[1], "geo_precision": 1,
        "actor1": "Unidentified Armed Group (Iraq)", "actor2": "Civilians (Iraq)",
        "fatalities": 8,
        "evidence": "A car bomb exploded near a crowded market in a mainly Shiite area in "
                    "Baghdad on Thursday"}],
    "background": [{"what": "the 2003 invasion",
                    "evidence": "the war, which began with the U.S.-led invasion in March 2003"}],
}
# GWN 1: Turkey shelled Qamishli on Tuesday (no casualties); fighting in Afrin since
# Saturday, 73 dead in SOHR's count. No publication date, so both dates are null.
AFRIN_LINE = {
    "corpus": "GWN", "doc": "1",
    "title": "Turkey shells Syrian city as it pushes into Kurdish enclave", "published": None,
    "kind": "conflict",
    "events": [
        {"event_type": "Explosions/Remote violence",
         "sub_event_type": "Shelling/artillery/missile attack", "date": None,
         "date_precision": None, "place": "Qamishli", "country": "Syria",
         "lat": QAMISHLI[0], "lon": QAMISHLI[1], "actor1": "Military Forces of Turkey",
         "actor2": "YPG: Peoples Protection Units", "fatalities": 0,
         "evidence": "Nureddine Mehmud says Turkey fired on Qamishli"},
        {"event_type": "Battles", "sub_event_type": "Armed clash", "date": None,
         "date_precision": None, "place": "Afrin", "country": "Syria",
         "lat": AFRIN[0], "lon": AFRIN[1], "actor1": "Military Forces of Turkey",
         "actor2": "YPG: Peoples Protection Units", "fatalities": 73,
         "evidence": "have been killed in the clashes in Afrin since Saturday"},
    ],
    "background": [],
}
# LGL 40450848: an arson charge in Alexandria, Louisiana: ordinary crime, no ACLED event.
ARSON = {"corpus": "LGL", "doc": "40450848",
         "title": "Alexandria woman charged in connection with Kelleyland fire",
         "published": "2009-03-20", "kind": "none", "events": [], "background": []}


@pytest.fixture(scope="module")
def data(shared_dir: Path) -> Path:
    folder = shared_dir / "eval"
    if not (folder / "geoparsing-news" / "lgl.xml").is_file():
        pytest.skip("../shared/eval/geoparsing-news is not beside the checkout")
    return folder


@pytest.fixture(scope="module")
def lgl(data: Path) -> dict[str, arts.SourceText]:
    return read_sources("lgl", data)


@pytest.fixture(scope="module")
def gwn(data: Path) -> dict[str, arts.SourceText]:
    return read_sources("gwn", data)


def _gold(line: dict, where: str = "gold.jsonl:1") -> GoldArticle:
    return parse_gold_line(json.loads(json.dumps(line)), where)


def _event(text: str, sentences: list[str], *, sub: str = "Remote explosive/landmine/IED",
           kind: str = "Explosions/Remote violence", at: tuple[float, float] | None = BAGHDAD,
           location: str = "Baghdad", day: str | None = "2009-03-26", actor1: str = "",
           actor2: str = "", fatalities: int = 0) -> Event:
    """A predicted event whose ``event`` evidence is each of ``sentences`` (found in text)."""
    evidence = []
    for quote in sentences:
        start = text.index(quote)
        evidence.append(Evidence("event", quote, start, start + len(quote)))
    lat, lon = at if at else (None, None)
    return Event(event_id_cnty="IRQ1", event_date=day, year=2009, time_precision=TIME_DAY,
                 disorder_type="Political violence", event_type=kind, sub_event_type=sub,
                 actor1=actor1, actor2=actor2, location=location, latitude=lat,
                 longitude=lon, fatalities=fatalities, evidence=tuple(evidence))


# ----------------------------------------------------------------------------- loading


def test_gold_checks_name_the_line(tmp_path: Path, lgl) -> None:
    good = _gold(CAR_BOMB)
    assert check_article(good, lgl).text.startswith("Iraqi Officials: Car Bomb Kills 20")

    bad_quote = json.loads(json.dumps(CAR_BOMB))
    bad_quote["events"][0]["evidence"] = "A car bomb exploded near a crowded market in Basra"
    with pytest.raises(InputError) as e:
        check_article(_gold(bad_quote, "lgl.jsonl:7"), lgl)
    assert "lgl.jsonl:7 events[0]" in e.value.message and "not a substring" in e.value.message

    wrong_title = {**CAR_BOMB, "title": "Alexandria woman charged"}
    with pytest.raises(InputError) as e:
        check_article(_gold(wrong_title, "lgl.jsonl:3"), lgl)
    assert "lgl.jsonl:3" in e.value.message and "title" in e.value.message

    with pytest.raises(InputError) as e:
        check_article(_gold({**CAR_BOMB, "doc": "1"}, "lgl.jsonl:9"), lgl)
    assert "not in the LGL development data" in e.value.message


@pytest.mark.parametrize(("change", "words"), [
    ({"kind": "war"}, "'kind'"),
    ({"corpus": "Reuters"}, "'corpus'"),
    ({"kind": "none"}, "must have \"events\": []"),
    ({"events": [{**CAR_BOMB["events"][0], "sub_event_type": "Armed clash"}]},
     "not an ACLED event / sub-event type pair"),
    ({"events": [{**CAR_BOMB["events"][0], "date_precision": None}]}, "'date_precision'"),
    ({"events": [{**CAR_BOMB["events"][0], "fatalities": "eight"}]}, "'fatalities'"),
    ({"published": "26 March 2009"}, "'published'"),
])
def test_bad_gold_lines(change: dict, words: str) -> None:
    with pytest.raises(InputError) as e:
        parse_gold_line({**CAR_BOMB, **change}, "x.jsonl:4")
    assert "x.jsonl:4" in e.value.message and words in e.value.message


def test_gold_files_and_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError) as e:
        gold_paths(tmp_path / "nowhere.jsonl")
    assert e.value.code == "E101"
    with pytest.raises(InputError) as e:
        gold_paths(tmp_path)
    assert "no *.jsonl gold files" in e.value.message
    monkeypatch.setattr(arts, "default_gold_dir", lambda: tmp_path / "absent")
    with pytest.raises(InputError) as e:
        gold_paths()
    assert "--gold" in e.value.message and "installed package" in e.value.message

    (tmp_path / "lgl.jsonl").write_text(
        json.dumps(CAR_BOMB) + "\n\n" + json.dumps(ARSON) + "\n", encoding="utf-8")
    (tmp_path / "gwn.jsonl").write_text(json.dumps(AFRIN_LINE) + "\n", encoding="utf-8")
    gold = load_gold(tmp_path)
    assert [g.id for g in gold] == ["GWN:1", "LGL:42573065", "LGL:40450848"]
    assert gold[2].where.endswith("lgl.jsonl:3")  # blank line skipped, numbering kept
    assert gold[0].events[0].date is None and gold[1].events[0].date_precision == TIME_DAY
    assert [g.id for g in select_gold(gold, ["lgl"], limit=1)] == ["LGL:42573065"]
    assert [g.id for g in select_gold(gold, limit=1)] == ["GWN:1", "LGL:42573065"]
    with pytest.raises(EvalDataError):
        select_gold(gold, ["reuters"])

    (tmp_path / "lgl.jsonl").write_text(json.dumps(CAR_BOMB) + "\n" + json.dumps(CAR_BOMB)
                                        + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_gold(tmp_path / "lgl.jsonl")
    assert "lgl.jsonl:2" in e.value.message and "already coded at" in e.value.message
    (tmp_path / "lgl.jsonl").write_text(json.dumps(CAR_BOMB) + "\n{not json\n",
                                        encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_gold(tmp_path / "lgl.jsonl")
    assert e.value.code == "E105" and "lgl.jsonl:2" in e.value.message


def test_wikievents_articles_are_gold_too(data: Path) -> None:
    """A WikiEvents document is rebuilt from its sentences; its title is the first one.
    From reading suicide_ied_114: the Taliban attack on Camp Shorabak, 1 March 2019,
    23 soldiers and 20 attackers dead."""
    first = ("On the morning of 1 March 2019, Taliban gunmen and suicide bombers attacked "
             "Camp Shorabak in Helmand Province, Afghanistan.")
    line = {"corpus": "WikiEvents", "doc": "suicide_ied_114", "title": first,
            "published": None, "kind": "conflict", "events": [{
                "event_type": "Battles", "sub_event_type": "Armed clash",
                "date": "2019-03-01", "date_precision": "day", "place": "Camp Shorabak",
                "country": "Afghanistan", "lat": 31.86, "lon": 64.22,
                "actor1": "Taliban", "actor2": "Military Forces of Afghanistan",
                "fatalities": 43, "evidence": "They killed 23 Afghan soldiers"}]}
    gold = _gold(line)
    source = check_article(gold, read_sources("wikievents", data))
    assert source.text.startswith(first + " They killed 23")
    with pytest.raises(InputError, match="title"):
        check_article(_gold({**line, "title": "Camp Shorabak attack"}),
                      read_sources("wikievents", data))
    clash = _event(source.text, [first], kind="Battles", sub="Armed clash",
                   location="Camp Shorabak", at=(31.85, 64.2), day="2019-03-01",
                   actor1="Taliban", actor2="Military Forces of Afghanistan", fatalities=23)
    score = score_article(gold, source.text, [clash])
    assert score.tally.matched == 1  # by place and date: the evidence is the next sentence
    assert [(m["field"], m["gold"], m["predicted"]) for m in score.misses] == \
        [("fatalities", 43, 23)]


def test_muc4_articles_are_the_texts_eval_events_feeds(data: Path) -> None:
    if not (data / "muc4" / "processed" / "dev.json").is_file():
        pytest.skip("../shared/eval/muc4 is not beside the checkout")
    texts = read_sources("muc4", data)
    first = texts["TST1-MUC3-0001"]
    assert first.text.startswith("Guatemala City, 4 February 1990 (ACAN-EFE) -- ")
    line = {"corpus": "MUC-4", "doc": "TST1-MUC3-0001", "title": first.text[:60],
            "published": "1990-02-04", "kind": "background", "events": []}
    assert check_article(_gold(line), texts) is first
    with pytest.raises(InputError, match="is not how MUC-4:TST1-MUC3-0001 begins"):
        check_article(_gold({**line, "title": "Lima, 3 February 1990"}), texts)


# ----------------------------------------------------------------------------- matching


def test_sentence_of_an_evidence(lgl) -> None:
    text = lgl["42573065"].text
    quote = CAR_BOMB["events"][0]["evidence"]
    (start, end), = quote_sentences(text, quote)
    assert text[start:end].startswith("BAGHDAD — A car bomb exploded")
    assert text[start:end].rstrip().endswith("in the fifth major attack in Iraq this month.")
    # a span is never cut at a boundary inside it, and the sentence after is not taken
    inner = text.index("this month.") + 4
    assert sentence_span(text, inner, inner + 10)[0] == start
    assert sentence_span(text, inner, inner + 10)[1] > end
    assert text[end:].startswith("The blast came a day after")


def test_actor_names() -> None:
    assert actor_key("Military Forces of Iraq (2014-)") == "military forces of iraq"
    assert actor_key("Military Forces of Iraq (2014-2018)", strict=True) == \
        "military forces of iraq"
    assert actor_key("Islamic State (Iraq)", strict=True) == "islamic state (iraq)"
    assert actor_matches("Islamic State (Iraq)", "Islamic State")
    assert not actor_matches("Islamic State (Iraq)", "Islamic State", strict=True)
    assert actor_matches("Military Forces of the United States", "Military Forces of United "
                         "States")
    assert not actor_matches("Military Forces of Iraq", "Military Forces of Syria")
    assert actor_matches("YPG: Peoples Protection Units", "YPG")  # ACLED's "acronym: name"
    assert actor_matches("LTTE: Liberation Tigers of Tamil Eelam", "Liberation Tigers of "
                         "Tamil Eelam")
    assert not actor_matches("YPG: Peoples Protection Units", "YPG", strict=True)
    assert not actor_matches("LTTE: Liberation Tigers of Tamil Eelam", "Military Forces of "
                             "Sri Lanka")
    assert actor_matches("", "") and not actor_matches("", "Civilians (Iraq)")


def test_the_car_bomb_matched_and_every_false_event_classified(lgl) -> None:
    gold = _gold(CAR_BOMB)
    text = lgl["42573065"].text
    right = _event(text, ["A car bomb exploded near a crowded market"], location="Baghdad",
                   actor1="Unidentified Armed Group (Iraq)", actor2="Civilians (Iraq)",
                   fatalities=20)
    # the same bombing again from a later sentence, its place resolved to a namesake abroad
    again = _event(text, ["The car was parked near a bus terminal"], location="Sha'ab",
                   at=(32.89014, 35.23885))
    invasion = _event(text, ["The blast came a day after the U.S. military said"],
                      kind="Battles", sub="Armed clash", location="Iraq", at=(33.0, 44.0),
                      day="2003-03-20")
    stray = _event(text, ["Shaab is a former Shiite militia stronghold"], kind="Battles",
                   sub="Armed clash", location="Shaab", at=SHAAB, day="2008-03-25")
    events = [invasion, right, again, stray]
    assert match_events(text, gold.events, events) == [(0, 1)]
    score = score_article(gold, text, events)
    t = score.tally
    assert (t.gold_events, t.predicted_events, t.matched) == (1, 4, 1)
    kinds = [m["kind"] for m in score.misses]
    assert kinds == [FALSE_BACKGROUND, FALSE_DUPLICATE, FALSE_OTHER, FIELD_ERROR]
    assert score.misses[0]["background"] == "the 2003 invasion"
    error = score.misses[3]
    assert error["field"] == "fatalities" and (error["gold"], error["predicted"]) == (8, 20)
    fields = {name: (c.n, c.correct) for name, c in t.fields.items()}
    assert fields["place_25km"] == (1, 1)  # Baghdad is 8 km from Shaab
    assert fields["date"] == (1, 1) and fields["fatalities"] == (1, 0)
    assert fields["actor1"] == fields["actor1_strict"] == (1, 1)


def test_missed_incident_says_whether_its_sentence_had_an_event(lgl) -> None:
    gold = _gold(CAR_BOMB)
    text = lgl["42573065"].text
    wrong_day = _event(text, ["Conflicting casualty tolls are common"], day="2009-03-20")
    score = score_article(gold, text, [wrong_day])
    assert score.tally.matched == 0
    assert score.misses[0]["kind"] == MISSED
    assert score.misses[0]["extractor_in_sentence"] is False
    assert score.misses[1]["kind"] == FALSE_OTHER
    # an event in the very sentence is always eligible, whatever its date and place
    other = _event(text, ["killing as many as 20 people"], day="2009-01-01", at=None)
    assert score_article(gold, text, [other]).tally.matched == 1


def test_the_assignment_takes_the_most_pairs(gwn) -> None:
    """The event in the Afrin sentence is placed in Qamishli (eligible for both gold
    events); the second, from another sentence, is placed in Afrin. Taking the overlap
    first would leave the Qamishli shelling unmatched; the assignment pairs both."""
    gold = _gold(AFRIN_LINE)
    text = gwn["1"].text
    check_article(gold, gwn)
    a = _event(text, ["The Britain-based Syrian Observatory"], location="Qamishli",
               at=QAMISHLI, day="2018-01-23")
    b = _event(text, ["Mehmud says forces from the People's Protection Units"],
               kind="Battles", sub="Armed clash", location="Afrin", at=AFRIN, day=None)
    assert match_events(text, gold.events, [a, b]) == [(0, 0), (1, 1)]
    # alone, the Afrin-sentence event goes to the Afrin clash: overlap beats place
    assert match_events(text, gold.events, [a]) == [(1, 0)]
    # both events in the Afrin sentence and placed in Qamishli: type agreement decides
    c = _event(text, ["The Britain-based Syrian Observatory"], kind="Battles",
               sub="Armed clash", location="Qamishli", at=QAMISHLI)
    assert match_events(text, gold.events, [a, c]) == [(0, 0), (1, 1)]
    assert match_events(text, gold.events, [c, a]) == [(0, 1), (1, 0)]


def test_max_weight_assignment_is_exact() -> None:
    matrices = [
        [[5, 4, 0], [4, 0, 0], [0, 3, 1]],
        [[1, 1], [1, 0], [0, 0]],
        [[0, 7, 7, 1]],
        [[0, 0], [0, 0]],
        [[2, 3, 2], [3, 5, 3], [2, 3, 2], [1, 1, 9]],
    ]
    for w in matrices:
        best = 0
        rows, cols = len(w), len(w[0])
        for perm in itertools.permutations(range(max(rows, cols)), rows):
            best = max(best, sum(w[r][c] for r, c in enumerate(perm) if c < cols))
        pairs = max_weight_assignment(w)
        assert sum(w[r][c] for r, c in pairs) == best, w
        assert len({r for r, _ in pairs}) == len({c for _, c in pairs}) == len(pairs)
        assert all(w[r][c] > 0 for r, c in pairs)
    assert max_weight_assignment([]) == []


def test_field_rules_at_the_gold_precision(lgl) -> None:
    text = lgl["42573065"].text
    week = {**CAR_BOMB["events"][0], "date_precision": "week", "fatalities": None}
    gold = _gold({**CAR_BOMB, "events": [week]}).events[0]
    near = _event(text, ["A car bomb"], day="2009-03-31", at=(33.9, 44.4))
    ok = score_fields(gold, near)
    assert ok["date"] is True and ok["fatalities"] is None
    assert ok["place_25km"] is False and ok["place_161km"] is True
    assert score_fields(gold, _event(text, ["A car bomb"], day="2009-04-03"))["date"] is False
    no_date = _gold({**CAR_BOMB, "events": [{**week, "date": None,
                                             "date_precision": None}]}).events[0]
    assert score_fields(no_date, near)["date"] is None


def test_background_and_none_articles(lgl) -> None:
    gold = _gold(ARSON)
    text = lgl["40450848"].text
    quiet = score_article(gold, text, [])
    assert (quiet.tally.quiet_articles, quiet.tally.quiet_silent) == (1, 1)
    fire = _event(text, ["Chiquita Raquel Henry, 19"], kind="Riots",
                  sub="Violent demonstration", location="Alexandria", at=(31.3, -92.4))
    noisy = score_article(gold, text, [fire])
    assert (noisy.tally.quiet_silent, noisy.tally.matched, noisy.tally.predicted_events) == \
        (0, 0, 1)
    assert [m["kind"] for m in noisy.misses] == [FALSE_QUIET]


def test_evaluate_and_tables(tmp_path: Path, data: Path, lgl) -> None:
    path = tmp_path / "lgl.jsonl"
    path.write_text(json.dumps(CAR_BOMB) + "\n" + json.dumps(ARSON) + "\n", encoding="utf-8")
    text = lgl["42573065"].text

    def extract(articles, *, settings=None):
        from rearguard.types import Extraction

        for article in articles:
            assert article.published and article.url and article.source
            events = (_event(text, ["A car bomb exploded"], fatalities=8),) \
                if article.id == "LGL:42573065" else (_event(article.text, ["Chiquita"]),)
            yield Extraction(article, events)

    results = arts.evaluate_articles(gold=path, data_dir=data, extract=extract)
    row = results["all"]
    assert (row["gold_events"], row["predicted_events"], row["matched"]) == (1, 2, 1)
    assert row["recall"] == 1.0 and row["precision"] == 0.5 and row["quiet_share"] == 0.0
    assert row["misses"][FALSE_QUIET] == 1 and list(results["corpora"]) == ["LGL"]
    table = format_table(results)
    assert "| incident recall | 100.0 (1/1) | 100.0 (1/1) |" in table
    assert "| event precision | 50.0 (1/2) |" in table
    assert "LGL:40450848" in format_misses(results)


# ----------------------------------------------------------------------------- command


def test_command_runs_the_extractor_on_one_article(settings, tmp_path: Path, data: Path) -> None:
    path = tmp_path / "lgl.jsonl"
    path.write_text(json.dumps(CAR_BOMB) + "\n" + json.dumps(ARSON) + "\n", encoding="utf-8")
    base = ["--gazetteer", str(settings.gazetteer_path), "eval", "articles", "--gold",
            str(path), "--data", str(data), "--limit", "1"]
    result = CliRunner().invoke(cli, [*base, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data_out = json.loads(result.output)
    assert data_out["articles"] == 1 and data_out["all"]["gold_events"] == 1
    assert data_out["all"]["matched"] <= min(1, data_out["all"]["predicted_events"])
    result = CliRunner().invoke(cli, [*base, "--misses"], catch_exceptions=False)
    assert result.exit_code == 0 and "| incident recall |" in result.output

    missing = CliRunner().invoke(cli, ["eval", "articles", "--gold", str(tmp_path / "no")])
    assert missing.exit_code == 1 and "[E101]" in missing.output
    assert len(missing.output.strip().splitlines()) == 1


def test_quote_spans_ignore_case_only_when_the_quote_is_not_there_as_written() -> None:
    from rearguard.eval.articles import quote_spans

    text = "At 0300 FMLN units attacked. The fmln said so. FMLN units left."
    assert quote_spans(text, "FMLN units") == ((8, 18), (47, 57))
    assert quote_spans(text, "fmln units") == ((8, 18), (47, 57))  # re-cased since
    assert quote_spans(text, "fmln said") == ((33, 42),)
    assert quote_spans(text, "ELN units") == ()
