"""Counts of people killed, injured and captured."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rearguard.nlp.counts import find_counts

SEED = "seed/000_1444002c944f9f67.txt"
K, I, C = "killed", "injured", "captured"  # noqa: E741 - I beside K and C reads as "injured"


def _found(text: str, **kw) -> list[tuple]:
    """(kind, value, text, exact, attackers) for each count."""
    return [(c.kind, c.value, c.text, c.exact, c.attackers) for c in find_counts(text, **kw)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # stated numbers, active and passive
        ("A suicide bomber killed at least 12 people and wounded 30 others at a market in "
         "Baghdad on Tuesday, police said.",
         [(K, 12, "at least 12 people", True, False), (I, 30, "30 others", True, False)]),
        ("The attack killed three and wounded seven, a police spokesman said.",
         [(K, 3, "three", True, False), (I, 7, "seven", True, False)]),
        ("The shelling hit a crowded market, killing three and wounding seven.",
         [(K, 3, "three", True, False), (I, 7, "seven", True, False)]),
        ("Three people were killed and seven others wounded when a roadside bomb exploded "
         "near Kandahar.",
         [(K, 3, "Three people", True, False), (I, 7, "seven others", True, False)]),
        ("An officer was killed and two soldiers were wounded in the ambush near Gao.",
         [(K, 1, "An officer", True, False), (I, 2, "two soldiers", True, False)]),
        ("The bombing in Quetta killed 1,200 people, the ministry said.",
         [(K, 1200, "1,200 people", True, False)]),
        ("The Saudi-led coalition air strike killed twenty-three civilians in Saada.",
         [(K, 23, "twenty-three civilians", True, False)]),
        ("Police said a hundred and twelve people died in the stampede.",
         [(K, 112, "a hundred and twelve people", True, False)]),
        ("Israeli troops shot and wounded four Palestinians near Hebron.",
         [(I, 4, "four Palestinians", True, False)]),
        ("Three Americans were killed in the blast in Kabul.",
         [(K, 3, "Three Americans", True, False)]),
        ("Five soldiers killed in Mali attack", [(K, 5, "Five soldiers", True, False)]),
        ("Five militants killed two soldiers in Sinai.", [(K, 2, "two soldiers", True, False)]),
        ("In 2015, 12 soldiers were killed in the same valley.",
         [(K, 12, "12 soldiers", True, False)]),
        ("Five police officers in the town were killed overnight.",
         [(K, 5, "Five police officers", True, False)]),
        # ranges and qualifiers
        ("Between 10 and 12 soldiers were killed in the ambush, the army said.",
         [(K, 10, "Between 10 and 12 soldiers", True, False)]),
        ("Officials said 15 to 20 civilians died in the airstrike on Idlib.",
         [(K, 15, "15 to 20 civilians", True, False)]),
        ("Medics said 15-20 people were hurt.", [(I, 15, "15-20 people", True, False)]),
        ("Two or three villagers were abducted.", [(C, 2, "Two or three villagers", True, False)]),
        ("More than 30 Taliban fighters were killed, the ministry said.",
         [(K, 30, "More than 30 Taliban fighters", True, False)]),
        ("Over 100 people were injured in the clashes.",
         [(I, 100, "Over 100 people", True, False)]),
        ("Up to 30 people may have been killed, a local official said.",
         [(K, 30, "Up to 30 people", False, False)]),
        ("Nearly 40 civilians were killed in Aleppo.",
         [(K, 40, "Nearly 40 civilians", False, False)]),
        ("Fewer than 10 people were hurt.", [(I, 9, "Fewer than 10 people", False, False)]),
        # tolls, the dead and bodies
        ("The death toll rose to 40 on Wednesday.", [(K, 40, "40", True, False)]),
        ("The death toll from Friday's attacks in Paris has risen to 129.",
         [(K, 129, "129", True, False)]),
        ("The number of dead stood at 17.", [(K, 17, "17", True, False)]),
        ("The blast left 5 dead and 12 wounded.",
         [(K, 5, "5", True, False), (I, 12, "12", True, False)]),
        ("Five bodies were found in a ditch near Kirkuk.", [(K, 5, "Five bodies", True, False)]),
        ("Police found the bodies of 14 men in Juarez.", [(K, 14, "14 men", True, False)]),
        ("Cholera and fighting caused 12 deaths.", [(K, 12, "12 deaths", True, False)]),
        # vague words
        ("Several people were killed, witnesses said.", [(K, 10, "Several people", False, False)]),
        ("Dozens were wounded in the stampede.", [(I, 12, "Dozens", False, False)]),
        ("Hundreds of civilians were killed in the shelling.",
         [(K, 100, "Hundreds of civilians", False, False)]),
        ("The two-day battle killed scores of fighters.",
         [(K, 20, "scores of fighters", False, False)]),
        ("A handful of soldiers were wounded.", [(I, 3, "A handful of soldiers", False, False)]),
        ("The attack wounded several policemen.", [(I, 10, "several policemen", False, False)]),
        ("A few protesters were hurt.", [(I, 3, "A few protesters", False, False)]),
        # singular and bare plurals
        ("A policeman died of his wounds in hospital.", [(K, 1, "A policeman", True, False)]),
        ("A 25-year-old man was killed by a sniper in Sarajevo.",
         [(K, 1, "A 25-year-old man", True, False)]),
        ("The raid killed a 14-year-old boy.", [(K, 1, "a 14-year-old boy", True, False)]),
        ("A journalist was kidnapped in Aleppo.", [(C, 1, "A journalist", True, False)]),
        ("Soldiers were killed in the ambush.", [(K, 2, "Soldiers", False, False)]),
        ("The strike killed a commander of the group.", [(K, 1, "a commander", True, False)]),
        # attackers
        ("Two suicide bombers blew themselves up at the gate of the base.",
         [(K, 2, "Two suicide bombers", True, True)]),
        ("A suicide bomber blew himself up at a mosque, killing 25 worshippers.",
         [(K, 1, "A suicide bomber", True, True), (K, 25, "25 worshippers", True, False)]),
        ("Five militants were killed in the clash.", [(K, 5, "Five militants", True, True)]),
        ("The two gunmen were shot dead by police.", [(K, 2, "two gunmen", True, True)]),
        ("Security forces killed three militants in Diyala.",
         [(K, 3, "three militants", True, True)]),
        ("The attackers were killed.", [(K, 2, "The attackers", False, True)]),
        # captured
        ("Militants abducted 20 schoolgirls from the village.",
         [(C, 20, "20 schoolgirls", True, False)]),
        ("The gunmen seized 20 hostages at the gas plant.", [(C, 20, "20 hostages", True, False)]),
        ("Al-Shabaab militants took five soldiers hostage.",
         [(C, 5, "five soldiers", True, False)]),
        ("Gunmen stormed the hotel and took 40 people hostage.",
         [(C, 40, "40 people", True, False)]),
        ("Boko Haram kidnapped 276 girls from a school in Chibok in 2014.",
         [(C, 276, "276 girls", True, False)]),
        ("Eight aid workers were taken hostage in Darfur.",
         [(C, 8, "Eight aid workers", True, False)]),
        # subsets are not counted twice
        ("The attack killed 12 people, including three children.",
         [(K, 12, "12 people", True, False)]),
        # not counts
        ("The rebels captured the town after heavy fighting.", []),
        ("The rebels seized five villages.", []),
        ("Insurgents fired 10 rockets at the base.", []),
        ("Troops destroyed five tanks and 12 armoured vehicles.", []),
        ("The convoy of 50 vehicles was attacked 20 km from Mosul.", []),
        ("The fighting caused heavy casualties on both sides.", []),
        ("The army suffered heavy losses.", []),
        ("The attackers killed and wounded 12 people.", []),
        ("Twelve people were killed or wounded.", []),
        ("The attack left 30 casualties.", []),
        ("No one was killed in the attack.", []),
        ("No soldiers were killed.", []),
        ("At 10 a.m. three rockets hit the city.", []),
        ("A 3-year-old child was among the dead.", []),
        ("The 2,000-strong force advanced 30 kilometres.", []),
        ("The Iraqi army's 9th Division has 12,000 soldiers.", []),
        ("He was killed in 2015 at the age of 45.", []),
        ("The army said it killed 'terrorists' in the raid.", []),
        ("Two Iraqi helicopters were shot down.", []),
        ("Turnout was 45 percent; five candidates were running.", []),
        # MUC-4 dev (TST2-MUC4-0049, 0061): a participle phrase between the people and the
        # verb, an adjective of office, "shot to death"
        ("At least seven Peruvian presidential guards travelling aboard a military bus were "
         "killed today in an attack in downtown Lima.",
         [(K, 7, "At least seven Peruvian presidential guards", True, False)]),
        ("Two national police officers assigned to the dijin directorate were shot to death.",
         [(K, 2, "Two national police officers", True, False)]),
    ],
)
def test_find_counts(text: str, expected: list[tuple]) -> None:
    assert _found(text) == expected


def test_vague_table_loader_is_reexported(tmp_path) -> None:
    from rearguard.nlp import counts, numbers

    assert counts.load_vague_table is numbers.load_vague_table


def test_custom_vague_table() -> None:
    assert _found("Several soldiers were killed.", vague={"Several": 5}) == [
        (K, 5, "Several soldiers", False, False)]
    # A word the table lacks is not a number; the bare plural remains.
    assert _found("Dozens of soldiers were killed.", vague={"several": 5}) == [
        (K, 2, "soldiers", False, False)]


def test_offsets_index_the_full_text() -> None:
    text = "Gunmen killed two soldiers. Later, five civilians were wounded."
    second = text.index("Later")
    found = find_counts(text, start=second)
    assert [(c.kind, c.value, c.start, c.text) for c in found] == [
        (I, 5, text.index("five"), "five civilians")]
    assert [c.value for c in find_counts(text, end=second)] == [2]


def test_seed_report(shared_dir: Path) -> None:
    path = shared_dir / SEED
    if not path.is_file():
        pytest.skip(f"{SEED} is not in ../shared")
    text = path.read_text(encoding="utf-8")
    assert _found(text) == [
        (C, 5, "five police officers", True, False),
        (K, 2, "other Iraq Security Forces (ISF) troops", False, False),
        (K, 12, "dozens of Kurdish security forces", False, False),
    ]
    killing = text.index("killing other")
    assert find_counts(text)[1].start > killing
    assert "including an officer" in text[killing:killing + 80]


_FRAGMENTS = [
    "Gunmen ", "killed ", "killing ", "wounded ", "three ", "12 ", "1,200 ", "dozens of ",
    "several ", "at least ", "up to ", "between 10 and 12 ", "soldiers ", "people ",
    "police officers ", "were ", "was ", "an officer ", "a policeman ", "died", "dead ",
    "and ", ", ", ". ", "capturing ", "hostage ", "took ", "blew themselves up ",
    "25-year-old ", "rockets ", "km ", "casualties ", "death toll rose to ", "bodies ",
    "including ", "(ISF) ", "Iraq Security Forces ", "other ", "no one ",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=6), max_size=16),
    st.integers(min_value=0, max_value=40),
    st.one_of(st.none(), st.integers(min_value=0, max_value=300)),
)
def test_offsets_point_at_verbatim_text(parts, start, end) -> None:
    text = "".join(parts)
    stop = len(text) if end is None else end
    for c in find_counts(text, start=start, end=end):
        assert c.text == text[c.start:c.end]
        assert start <= c.start < c.end <= stop
        assert c.kind in (K, I, C)
        assert c.value >= 1
        assert not c.attackers or c.kind == K


# Real sentences: MUC-4 train reports (../shared/eval/muc4, lower-cased there), a
# GeoWebNews and a TR-News report; what the counts must be.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list before one verb is read item by item
        ("The Britain-based Syrian Observatory for Human Rights Monitoring group says at 24 "
         "civilians, 24 Kurdish fighters, and 25 Turkish-backed Syrian militiamen have been "
         "killed in the clashes in Afrin since Saturday.",
         [(K, 24, "24 civilians", True, False), (K, 24, "24 Kurdish fighters", True, False),
          (K, 25, "25 Turkish-backed Syrian militiamen", True, False)]),
        ("One army lieutenant, four soldiers, and three civilians were killed during the "
         "attacks.",
         [(K, 1, "One army lieutenant", True, False), (K, 4, "four soldiers", True, False),
          (K, 3, "three civilians", True, False)]),
        ("Six guerrillas and one soldier were killed and two soldiers were wounded in recent "
         "fighting between Apopa battalion troops and the so-called army of national "
         "liberation.",
         [(K, 6, "Six guerrillas", True, True), (K, 1, "one soldier", True, False),
          (I, 2, "two soldiers", True, False)]),
        # "one", a subset between the count and its verb, modifiers the table lacked
        ("The Atonal battalion reported that one extremist was killed and five others were "
         "wounded during a clash yesterday afternoon.",
         [(K, 1, "one extremist", True, False), (I, 5, "five others", True, False)]),
        ("One person was killed and three others injured tonight as the result of a bomb "
         "explosion in downtown San Salvador.",
         [(K, 1, "One person", True, False), (I, 3, "three others", True, False)]),
        ("The armed forces press committee (Coprefa) reported that four army members, "
         "including two officers, were killed and six soldiers were wounded in clashes.",
         [(K, 4, "four army members", True, False), (I, 6, "six soldiers", True, False)]),
        ("A treasury police member was killed in a rebel attack in San Miguel.",
         [(K, 1, "A treasury police member", True, False)]),
        ("Six American NATO service members were killed with two other Americans and an "
         "Afghani injured.", [(K, 6, "Six American NATO service members", True, False)]),
        ("OSCE Envoy Condemns Dvani Attack that Killed One Policeman.",
         [(K, 1, "One Policeman", True, False)]),
        ("He also reported that guerrillas killed a peasant in the city of Flores.",
         [(K, 1, "a peasant", True, False)]),
        # the dead of a noun, and "left ... dead"
        ("The Salvadoran army accepted responsibility this morning for the death of two "
         "reporters who were shot by soldiers.", [(K, 2, "two reporters", True, False)]),
        ("There was an exchange of gunfire this morning at Puerto Obaldia, which left two "
         "persons dead and one missing.", [(K, 2, "two persons", True, False)]),
        ("The attack left one officer dead and three people wounded before police shot and "
         "killed the attacker.",
         [(K, 1, "one officer", True, False), (I, 3, "three people", True, False),
          (K, 1, "the attacker", True, True)]),
        ("Alleged Ongoing Confrontation Leaves Students Injured.",
         [(I, 2, "Students", False, False)]),
        # the dead of a period or a campaign, and the denied, are no incident's
        ("Sunday's bombing came after sectarian clashes since 2011 that killed dozens of "
         "Copts.", []),
        ("The army said hundreds of rebels had been killed in the ferocious offensive.", []),
        ("More than 500 people have been killed in the conflict so far this year.", []),
        ("They deny that many civilians were killed in bombardments.", []),
        ("Five people were killed on Monday, bringing the death toll since January to 40.",
         [(K, 5, "Five people", True, False)]),
        # not a count: a weight
        ("MENA said a 12-kilogram TNT bomb caused the blast, killing 25 people.",
         [(K, 25, "25 people", True, False)]),
    ],
)
def test_real_sentences(text: str, expected: list[tuple]) -> None:
    assert _found(text) == expected


# find_counts skips a rule when the sentence lacks every word its matches hold (the first
# word of each of its verbs); it must skip only rules that would have found nothing. With
# every rule run (counts._UNFOLDED matching anything), the answer must be the same.
_COUNT_PHRASES = [
    "five people were killed", "a policeman was shot dead", "soldiers were wounded",
    "two journalists were kidnapped", "killing 12 civilians", "wounding a guard",
    "took 20 people hostage", "seized five villages", "left 5 dead and 12 wounded",
    "left one officer dead", "leaves students injured", "the death toll rose to 40",
    "12 bodies were found", "the bodies of three men", "the murder of two members",
    "the death of a civilian", "two bombers blew themselves up",
    "the attacker detonated his explosive vest", "killed and wounded 12",
    "12 killed or injured", "30 casualties", "no one was hurt", "dozens of Kurdish fighters",
    "at least 15 to 20 troops", "fatally wounded", "lost their lives", "gunned down",
    "claimed the lives of 30 people", "abducting two", "held captive", "were executed",
]
_COUNT_WORDS = ["and", ",", "the", "police", "said", "were", "in", "Mosul", "on", "."]


def _every_rule_run(text: str) -> list:
    import re

    import rearguard.nlp.counts as counts

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(counts, "_UNFOLDED", re.compile(""))
        return find_counts(text)


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.one_of(st.sampled_from(_COUNT_PHRASES), st.sampled_from(_COUNT_WORDS)),
                      max_size=8),
       case=st.sampled_from([str, str.upper, str.lower, str.capitalize]))
def test_skipping_rules_the_sentence_cannot_match_loses_no_count(parts, case) -> None:
    text = case(" ".join(parts))
    assert find_counts(text) == _every_rule_run(text)


def test_a_verb_read_case_insensitively_through_a_non_ascii_letter_is_still_counted() -> None:
    # the dotless i (U+0131) is read as "i" by a case-insensitive expression but does not
    # lower-case to it: such a sentence is scanned with every rule
    text = "Five people were k\u0131lled."
    assert [(c.kind, c.value) for c in find_counts(text)] == [(K, 5)]
    assert find_counts(text) == _every_rule_run(text)


def test_a_vague_table_changed_between_calls_is_read_again() -> None:
    # the normalised table and its rules are cached per table content, not per dict
    table = {"Scores": 20}
    text = "Scores of soldiers were killed."
    assert [c.value for c in find_counts(text, vague=table)] == [20]
    table["Scores"] = 30
    assert [c.value for c in find_counts(text, vague=table)] == [30]
    assert [c.value for c in find_counts(text, vague={"  scores ": 40})] == [40]
    assert [c.text for c in find_counts(text, vague={})] == ["soldiers"]  # the bare plural


@pytest.mark.parametrize("text", [
    "Two people were KILLED.", "The BODIES of three men were found.", "Gunmen shot two.",
    "Five were injured in Mosul.", "nothing happened in mosul.", "",
])
def test_the_stem_pretest_answers_as_the_expression(text: str) -> None:
    import rearguard.nlp.counts as counts

    found = find_counts(text)
    assert (counts._TRIGGER.search(text) is None) == (not any(
        stem in text.lower() for stem in counts._TRIGGER_STEMS))
    assert found == _every_rule_run(text)
