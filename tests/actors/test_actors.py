"""Actor finding and normalisation on news-style sentences from several wars."""

from __future__ import annotations

from pathlib import Path

import pytest

from rearguard.actors import (
    attribute_generic,
    country_name,
    find_actors,
    in_country,
    interaction,
    is_civilian,
    is_generic,
    is_state,
    named_groups,
    normalise_actor,
    resolve_generic,
)
from rearguard.actors.aliases import alias_rows
from rearguard.types import Actor

# The seed report as bundled with the project (tests/events/test_extract_seed.py checks it
# is the same text), so these tests run without ../shared.
SEED = Path(__file__).resolve().parents[2] / "examples" / "shirqat-2016-11-06.txt"

KRG = "Military Forces of Iraq - Kurdistan Regional Government"
PMF = "Popular Mobilization Forces"


def names(text: str, cc: str | None = None) -> list[tuple[str, str, int]]:
    return [(a.text, a.name, a.inter) for a in find_actors(text, country_code=cc)]


def only(text: str, cc: str | None = None) -> Actor:
    found = find_actors(text, country_code=cc)
    assert len(found) == 1, found
    return found[0]


# -- the seed report ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("In the early hours of this morning, Daesh assaulted Shirqat in Salahuddin province.",
         [("Daesh", "Islamic State (Iraq)", 2)]),
        ("capturing five police officers and killing other Iraq Security Forces (ISF) troops, "
         "including an officer.",
         [("police officers", "Police Forces of Iraq", 1),
          ("Iraq Security Forces (ISF) troops", "Military Forces of Iraq", 1)]),
        ("The attack was eventually repulsed, but not before dozens of Kurdish security forces "
         "died.",
         [("Kurdish security forces", KRG, 1)]),
        ("held it for three days until ISF forces managed to take it back with air support "
         "from the international US-led coalition.",
         [("ISF forces", "Military Forces of Iraq", 1),
          ("international US-led coalition", "Coalition Forces", 8)]),
        ("several Iraqi armoured vehicles and personnel carriers were destroyed by the "
         "militants, including supply trucks apparently destined for Shia militias",
         [("militants", "Unidentified Armed Group (Iraq)", 3), ("Shia militias", PMF, 3)]),
        ("Since the Iraqi government launched its US-backed offensive to recapture Mosul", []),
        ("exposing how Iraqi forces have been ineffective in securing towns",
         [("Iraqi forces", "Military Forces of Iraq", 1)]),
    ],
)
def test_seed_sentences(sentence: str, expected: list[tuple[str, str, int]]) -> None:
    assert names(sentence, "IQ") == expected


def test_seed_report_offsets_are_verbatim() -> None:
    if not SEED.exists():
        pytest.skip("seed report not available")
    text = SEED.read_text(encoding="utf-8")
    found = find_actors(text, country_code="IQ")
    assert len(found) > 15
    for actor in found:
        assert text[actor.start:actor.end] == actor.text
    by_name = {a.name for a in found}
    assert {"Islamic State (Iraq)", "Military Forces of Iraq", KRG, "Coalition Forces"} <= by_name
    # "a police station" is a place, not the police.
    assert all(a.text != "police" for a in found)


# -- aliases --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("sentence", "cc", "text", "name", "inter"),
    [
        ("Daesh fighters attacked the village.", None, "Daesh fighters", "Islamic State", 2),
        ("Da'esh shelled the town.", "SY", "Da'esh", "Islamic State (Syria)", 2),
        ("Da’esh shelled the town.", "SY", "Da’esh", "Islamic State (Syria)", 2),
        ("ISIS claimed the bombing.", "IQ", "ISIS", "Islamic State (Iraq)", 2),
        ("Isis claimed the bombing.", "IQ", "Isis", "Islamic State (Iraq)", 2),
        ("ISIL militants overran the checkpoint.", "IQ", "ISIL militants",
         "Islamic State (Iraq)", 2),
        ("IS claimed the attack in a statement.", "SY", "IS", "Islamic State (Syria)", 2),
        ("The Islamic State of Iraq and the Levant seized Ramadi.", "IQ",
         "Islamic State of Iraq and the Levant", "Islamic State (Iraq)", 2),
        ("The Islamic State group claimed it.", "IQ", "Islamic State group",
         "Islamic State (Iraq)", 2),
        ("The jihadists of IS executed the hostages.", "IQ", "jihadists of IS",
         "Islamic State (Iraq)", 2),
        ("Fighters loyal to the Islamic State stormed the prison.", "SY",
         "Fighters loyal to the Islamic State", "Islamic State (Syria)", 2),
        ("ISWAP fighters overran a base in Borno.", "NG", "ISWAP fighters",
         "Islamic State West Africa Province", 2),
        ("Islamic State killed soldiers in Borno.", "NG", "Islamic State",
         "Islamic State West Africa Province", 2),
        ("ISKP claimed the Kabul airport bombing.", "AF", "ISKP",
         "Islamic State Khorasan Province", 2),
        ("IS-K claimed the Kabul airport bombing.", "AF", "IS-K",
         "Islamic State Khorasan Province", 2),
        ("IS Sinai attacked a checkpoint near Rafah.", "EG", "IS Sinai",
         "Islamic State Sinai Province", 2),
        ("IS Somalia fighters clashed with Puntland troops.", "SO", "IS Somalia fighters",
         "Islamic State Somalia Province", 2),
        ("ISF retook the district.", "IQ", "ISF", "Military Forces of Iraq", 1),
        ("Iraqi Security Forces retook the district.", "IQ", "Iraqi Security Forces",
         "Military Forces of Iraq", 1),
        ("The Iraqi army retook the district.", "IQ", "Iraqi army", "Military Forces of Iraq", 1),
        ("Iraqi troops entered the old city.", "IQ", "Iraqi troops", "Military Forces of Iraq", 1),
        ("Iraqi soldiers were killed.", "IQ", "Iraqi soldiers", "Military Forces of Iraq", 1),
        ("Iraqi police arrested two suspects.", "IQ", "Iraqi police", "Police Forces of Iraq", 1),
        ("The Counter Terrorism Service advanced into Mosul.", "IQ", "Counter Terrorism Service",
         "Military Forces of Iraq", 1),
        ("Peshmerga fighters repelled the attack.", "IQ", "Peshmerga fighters", KRG, 1),
        ("Kurdish Peshmerga forces held the ridge.", "IQ", "Kurdish Peshmerga forces", KRG, 1),
        ("The Popular Mobilization Forces entered Tal Afar.", "IQ", PMF, PMF, 3),
        ("PMF units shelled the village.", "IQ", "PMF units", PMF, 3),
        ("Hashd al-Shaabi fighters shelled the village.", "IQ", "Hashd al-Shaabi fighters", PMF, 3),
        ("Shiite militias were accused of abuses.", "IQ", "Shiite militias", PMF, 3),
        ("Shia militias fought in Aleppo.", "SY", "Shia militias", "Shia Militia (Syria)", 4),
        ("Taliban fighters captured the district centre.", "AF", "Taliban fighters", "Taliban", 2),
        ("Boko Haram insurgents abducted schoolgirls.", "NG", "Boko Haram insurgents",
         "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", 2),
        ("Al-Shabaab claimed the Mogadishu bombing.", "SO", "Al-Shabaab", "Al Shabaab", 2),
        ("al-Shabab militants ambushed a convoy.", "SO", "al-Shabab militants", "Al Shabaab", 2),
        ("al-Qaeda in the Arabian Peninsula attacked Shabwa.", "YE",
         "al-Qaeda in the Arabian Peninsula", "AQAP: Al Qaeda in the Arabian Peninsula", 2),
        ("AQIM kidnapped a foreign worker.", "DZ", "AQIM",
         "AQIM: Al Qaeda in the Islamic Maghreb", 2),
        ("JNIM fighters besieged Djibo.", "BF", "JNIM fighters",
         "JNIM: Group for Support of Islam and Muslims", 2),
        ("Hayat Tahrir al-Sham took Idlib.", "SY",
         "Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham", 2),
        ("HTS fighters took Idlib.", "SY", "HTS fighters", "Hayat Tahrir al-Sham", 2),
        ("The al-Nusra Front shelled Aleppo.", "SY", "al-Nusra Front", "Jabhat al-Nusra", 2),
        ("SDF fighters stormed Raqqa.", "SY", "SDF fighters", "SDF: Syrian Democratic Forces", 2),
        ("YPG fighters held Kobani.", "SY", "YPG fighters", "YPG: People's Protection Units", 2),
        ("Kurdish forces held Kobani.", "SY",
         "Kurdish forces", "YPG: People's Protection Units", 2),
        ("PKK militants attacked a gendarmerie post.", "TR", "PKK militants",
         "PKK: Kurdistan Workers Party", 2),
        ("FARC guerrillas and the ELN signed the deal.", "CO", "FARC guerrillas",
         "FARC: Revolutionary Armed Forces of Colombia", 2),
        ("Houthi rebels fired a missile at Marib.", "YE", "Houthi rebels", "Ansar Allah", 2),
        ("Hezbollah fired rockets at the border.", "LB", "Hezbollah", "Hezbollah", 3),
        ("Hamas fired rockets at Ashkelon.", "PS", "Hamas", "Hamas Movement", 3),
        ("The RSF shelled El Fasher.", "SD", "RSF", "Rapid Support Forces", 2),
        ("M23 rebels seized Bunagana.", "CD", "M23 rebels", "M23: March 23 Movement", 2),
        ("ADF militants killed villagers in Beni.", "CD", "ADF militants",
         "ADF: Allied Democratic Forces", 2),
        ("Wagner mercenaries executed civilians near Moura.", "ML", "Wagner mercenaries",
         "Wagner Group", 8),
        ("The Free Syrian Army advanced on al-Bab.", "SY",
         "Free Syrian Army", "Free Syrian Army", 2),
        ("Coalition aircraft struck IS positions.", "IQ", "Coalition aircraft",
         "Coalition Forces", 8),
        ("The US-led coalition struck the bridge.", "SY",
         "US-led coalition", "Coalition Forces", 8),
        ("Coalition warplanes bombed a wedding in Hajjah.", "YE", "Coalition warplanes",
         "Saudi-led Coalition", 8),
        ("NATO forces withdrew from Kabul.", "AF", "NATO forces", "NATO Forces", 8),
        ("AMISOM troops retook Barawe.", "SO", "AMISOM troops",
         "AMISOM: African Union Mission in Somalia", 8),
        ("ATMIS forces handed over the base.", "SO", "ATMIS forces",
         "ATMIS: African Union Transition Mission in Somalia", 8),
        ("UN peacekeepers were hit by an IED near Kidal.", "ML", "UN peacekeepers",
         "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali", 8),
        ("MONUSCO peacekeepers fired on protesters.", "CD", "MONUSCO peacekeepers",
         "MONUSCO: United Nations Organization Stabilization Mission in the Democratic "
         "Republic of Congo", 8),
        ("The Tatmadaw bombed the village.", "MM", "Tatmadaw", "Military Forces of Myanmar", 1),
        ("PDF fighters ambushed a convoy in Sagaing.", "MM", "PDF fighters",
         "PDF: People's Defense Force", 2),
    ],
)
def test_aliases(sentence: str, cc: str | None, text: str, name: str, inter: int) -> None:
    hits = [a for a in find_actors(sentence, country_code=cc) if a.text == text]
    assert hits, names(sentence, cc)
    assert (hits[0].name, hits[0].inter) == (name, inter)


def test_is_needs_a_whole_word_in_its_case() -> None:
    assert names("This is what it is.", "IQ") == []
    assert names("THIS IS A HEADLINE IN CAPITALS", "IQ") == []
    assert names("pro-IS accounts and IS-linked websites", "IQ") == []
    assert names("Isis and Osiris were Egyptian gods", None)[0][1] == "Islamic State"


def test_iraq_security_forces_with_abbreviation_is_one_mention() -> None:
    actor = only("Iraq Security Forces (ISF) advanced on Shirqat.", "IQ")
    assert actor.text == "Iraq Security Forces (ISF)"
    assert actor.name == "Military Forces of Iraq"


def test_table_rows_are_well_formed() -> None:
    rows = alias_rows()
    assert len(rows) > 400
    assert all(1 <= r.inter <= 8 for r in rows)
    for row in rows:
        assert normalise_actor(row.alias, country_code=(row.only or (None,))[0]) is not None or (
            row.after_country
        ), row


# -- state forces of any country, by pattern --------------------------------------------------

@pytest.mark.parametrize(
    ("sentence", "cc", "text", "name", "inter"),
    [
        ("Malian soldiers repelled the attack.", "ML", "Malian soldiers",
         "Military Forces of Mali", 1),
        ("The Burkinabe army said it killed 40 terrorists.", "BF", "Burkinabe army",
         "Military Forces of Burkina Faso", 1),
        ("Burkinabè soldiers were ambushed.", "BF", "Burkinabè soldiers",
         "Military Forces of Burkina Faso", 1),
        ("Colombian police dismantled a camp.", "CO", "Colombian police",
         "Police Forces of Colombia", 1),
        ("Nigerien troops killed militants near Diffa.", "NE", "Nigerien troops",
         "Military Forces of Niger", 1),
        ("Chadian soldiers crossed the border.", "TD", "Chadian soldiers",
         "Military Forces of Chad", 1),
        ("Nigerian government troops retook the town.", "NG", "Nigerian government troops",
         "Military Forces of Nigeria", 1),
        ("The Nigerian Air Force struck a bandit camp.", "NG", "Nigerian Air Force",
         "Military Forces of Nigeria", 1),
        ("Somali National Army (SNA) soldiers held Bulo Burde.", "SO",
         "Somali National Army (SNA) soldiers", "Military Forces of Somalia", 1),
        ("Afghan National Army soldiers fled.", "AF", "Afghan National Army soldiers",
         "Military Forces of Afghanistan", 1),
        ("Afghan police were ambushed.", "AF", "Afghan police", "Police Forces of Afghanistan", 1),
        ("Ukrainian troops recaptured the village.", "UA", "Ukrainian troops",
         "Military Forces of Ukraine", 1),
        ("Russian forces shelled Kharkiv.", "UA", "Russian forces", "Military Forces of Russia", 8),
        ("Russian warplanes bombed Idlib.", "SY", "Russian warplanes",
         "Military Forces of Russia", 8),
        ("US troops withdrew from the base.", "IQ", "US troops",
         "Military Forces of the United States", 8),
        ("U.S. forces killed an IS leader.", "SY", "U.S. forces",
         "Military Forces of the United States", 8),
        ("the US military said", None, "US military", "Military Forces of the United States", 1),
        ("Israeli jets struck Gaza.", "PS", "Israeli jets", "Military Forces of Israel", 8),
        ("Sudanese Armed Forces (SAF) shelled Omdurman.", "SD", "Sudanese Armed Forces (SAF)",
         "Military Forces of Sudan", 1),
        ("Congolese soldiers fled Goma.", "CD", "Congolese soldiers",
         "Military Forces of the Democratic Republic of Congo", 1),
        ("Myanmar troops torched the village.", "MM", "Myanmar troops",
         "Military Forces of Myanmar", 1),
        ("Burmese soldiers torched the village.", "MM", "Burmese soldiers",
         "Military Forces of Myanmar", 1),
        ("Ethiopian forces entered Mekelle.", "ET", "Ethiopian forces",
         "Military Forces of Ethiopia", 1),
        ("Kenyan Defence Forces struck al-Shabaab.", "SO", "Kenyan Defence Forces",
         "Military Forces of Kenya", 8),
        ("Iraq's army announced the operation.", "IQ", "Iraq's army", "Military Forces of Iraq", 1),
        ("Mexican marines captured the cartel boss.", "MX", "Mexican marines",
         "Military Forces of Mexico", 1),
        ("Filipino soldiers fought Abu Sayyaf.", "PH", "Filipino soldiers",
         "Military Forces of the Philippines", 1),
        ("Salvadoran police arrested gang members.", "SV", "Salvadoran police",
         "Police Forces of El Salvador", 1),
    ],
)
def test_state_forces_by_pattern(sentence: str, cc: str | None, text: str, name: str,
                                 inter: int) -> None:
    hits = [a for a in find_actors(sentence, country_code=cc) if a.text == text]
    assert hits, names(sentence, cc)
    assert (hits[0].name, hits[0].inter) == (name, inter)
    assert is_state(hits[0])
    assert not is_generic(hits[0])


def test_coordinated_demonyms_give_both_forces() -> None:
    found = find_actors("Iraqi and US troops advanced on Mosul.", country_code="IQ")
    assert [(a.text, a.name) for a in found] == [
        ("Iraqi", "Military Forces of Iraq"),
        ("US troops", "Military Forces of the United States"),
    ]


# -- generic categories ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("sentence", "cc", "text", "name", "inter"),
    [
        ("Security forces opened fire.", "NG", "Security forces", "Military Forces of Nigeria", 1),
        ("Troops were deployed to the town.", "ML", "Troops", "Military Forces of Mali", 1),
        ("Soldiers torched houses.", "MM", "Soldiers", "Military Forces of Myanmar", 1),
        ("the army said on Monday", "SD", "the army", "Military Forces of Sudan", 1),
        ("Police fired tear gas.", "KE", "Police", "Police Forces of Kenya", 1),
        ("Policemen were killed.", "PK", "Policemen", "Police Forces of Pakistan", 1),
        ("Troops were deployed to the town.", None, "Troops", "Military Forces", 1),
        ("Gunmen killed 12 villagers.", "NG", "villagers", "Civilians (Nigeria)", 7),
        ("Residents fled the fighting.", "SD", "Residents", "Civilians (Sudan)", 7),
        ("Worshippers were killed in the mosque.", "AF", "Worshippers",
         "Civilians (Afghanistan)", 7),
        ("Aid workers were abducted.", "SS", "Aid workers", "Civilians (South Sudan)", 7),
        ("Journalists were detained.", "YE", "Journalists", "Civilians (Yemen)", 7),
        ("Farmers and herders clashed.", "NG", "Farmers", "Civilians (Nigeria)", 7),
        ("Protesters marched on parliament.", "CO", "Protesters", "Protesters (Colombia)", 6),
        ("Demonstrators blocked the road.", "SD", "Demonstrators", "Protesters (Sudan)", 6),
        ("Rioters torched the police station.", "NG", "Rioters", "Rioters (Nigeria)", 5),
        ("An angry mob lynched the suspect.", "PK", "angry mob", "Rioters (Pakistan)", 5),
        ("Gunmen stormed the church.", "BF",
         "Gunmen", "Unidentified Armed Group (Burkina Faso)", 3),
        ("Unidentified armed men abducted the chief.", "NG", "Unidentified armed men",
         "Unidentified Armed Group (Nigeria)", 3),
        ("Militants attacked the checkpoint.", "PK", "Militants",
         "Unidentified Armed Group (Pakistan)", 3),
        ("Insurgents fired mortars.", "AF",
         "Insurgents", "Unidentified Armed Group (Afghanistan)", 3),
        ("Jihadists killed 20 soldiers.", "ML", "Jihadists", "Unidentified Armed Group (Mali)", 3),
        ("Bandits abducted 80 students.", "NG", "Bandits", "Unidentified Armed Group (Nigeria)", 3),
        ("Gunmen stormed the church.", None, "Gunmen", "Unidentified Armed Group", 3),
    ],
)
def test_generic_categories_take_the_article_country(
    sentence: str, cc: str | None, text: str, name: str, inter: int
) -> None:
    hits = [a for a in find_actors(sentence, country_code=cc) if a.text == text]
    assert hits, names(sentence, cc)
    actor = hits[0]
    assert (actor.name, actor.inter, actor.country_code) == (name, inter, cc)
    assert is_generic(actor)
    assert is_civilian(actor) == (inter == 7)


def test_demonym_civilians_and_refugees_are_civilians_of_that_country() -> None:
    found = find_actors("Syrian refugees were attacked in Beirut.", country_code="LB")
    assert [(a.text, a.name, a.inter, a.country_code) for a in found] == [
        ("Syrian refugees", "Civilians (Syria)", 7, "SY")
    ]
    assert not is_generic(found[0])
    assert names("Lebanese protesters blocked roads.", "LB") == [
        ("Lebanese protesters", "Protesters (Lebanon)", 6)
    ]


def test_generic_militants_next_to_a_named_group() -> None:
    found = find_actors(
        "Al-Shabaab claimed the attack; the militants stormed the hotel.", country_code="SO"
    )
    assert [a.name for a in found] == ["Al Shabaab", "Unidentified Armed Group (Somalia)"]
    assert [is_generic(a) for a in found] == [False, True]
    attributed = attribute_generic(found)
    assert [a.name for a in attributed] == ["Al Shabaab", "Al Shabaab"]
    assert attributed[1].text == "militants"
    # Two named groups: nothing to attribute.
    two = find_actors("ISWAP and JAS fighters clashed; the militants fled.", country_code="NG")
    assert attribute_generic(two)[-1].name == "Unidentified Armed Group (Nigeria)"


# -- named groups not in the table -------------------------------------------------------

@pytest.mark.parametrize(
    ("sentence", "cc", "text", "name", "inter"),
    [
        ("The Kachin Independence Army seized a junta base.", "MM", "Kachin Independence Army",
         "KIA: Kachin Independence Army", 2),
        ("The Karenni Nationalities Defense Force ambushed troops.", "MM",
         "Karenni Nationalities Defense Force", "Karenni Nationalities Defense Force", 3),
        ("The Chin National Army attacked the camp.", "MM", "Chin National Army",
         "Chin National Army", 2),
        ("Jaish al-Adl claimed the attack in Sistan.", "IR", "Jaish al-Adl", "Jaish al-Adl", 2),
        ("Ansar Dine fighters took Timbuktu.", "ML", "Ansar Dine fighters", "Ansar Dine", 2),
        ("The Front for the Liberation of Azawad shot down a drone.", "ML",
         "Front for the Liberation of Azawad", "Front for the Liberation of Azawad", 2),
        ("The Democratic Forces for the Liberation of Rwanda (FDLR) attacked.", "CD",
         "Democratic Forces for the Liberation of Rwanda (FDLR)",
         "FDLR: Democratic Forces for the Liberation of Rwanda", 2),
        ("Fighters of the Sultan Murad Brigade shelled Afrin.", "SY",
         "Fighters of the Sultan Murad Brigade", "Sultan Murad Brigade", 3),
        ("The Justice and Equality Movement attacked Omdurman.", "SD",
         "Justice and Equality Movement", "Justice and Equality Movement", 2),
        ("Liwa Fatemiyoun fighters deployed to Palmyra.", "SY", "Liwa Fatemiyoun fighters",
         "Liwa Fatemiyoun", 3),
    ],
)
def test_unknown_named_groups_keep_their_names(
    sentence: str, cc: str | None, text: str, name: str, inter: int
) -> None:
    hits = [a for a in find_actors(sentence, country_code=cc) if a.text == text]
    assert hits, names(sentence, cc)
    assert (hits[0].name, hits[0].inter) == (name, inter)
    assert not is_generic(hits[0])


# -- non-actors --------------------------------------------------------------------------

@pytest.mark.parametrize(
    "sentence",
    [
        "Several Iraqi armoured vehicles were destroyed.",
        "The Iraqi government said the offensive would continue.",
        "Iraqi authorities failed to prevent attacks.",
        "The US-backed offensive began on 17 October.",
        "They torched a police station.",
        "An Iraqi military spokesman said the town was secure.",
        "Iraqi military vehicles were seen on the road.",
        "The Air Force Academy graduated 200 cadets.",
        "Houthi-controlled areas saw fuel shortages.",
        "The ruling coalition government collapsed.",
        "Is this the end of the war?",
    ],
)
def test_non_actors(sentence: str) -> None:
    assert names(sentence, "IQ") == []


# -- offsets, windows ----------------------------------------------------------------------

def test_offsets_are_verbatim_and_windows_respected() -> None:
    text = (
        "On Tuesday, Taliban fighters attacked Afghan security forces in Kunduz. "
        "Separately, unknown gunmen shot dead two  police  officers and ISKP claimed a "
        "bombing that killed worshippers."
    )
    found = find_actors(text, country_code="AF")
    assert found == sorted(found, key=lambda a: a.start)
    for actor in found:
        assert text[actor.start:actor.end] == actor.text
    assert [a.name for a in found] == [
        "Taliban", "Military Forces of Afghanistan", "Unidentified Armed Group (Afghanistan)",
        "Police Forces of Afghanistan", "Islamic State Khorasan Province",
        "Civilians (Afghanistan)",
    ]
    cut = text.index("Separately")
    window = find_actors(text, start=cut, end=len(text) - 15, country_code="AF")
    assert [a.name for a in window] == [
        "Unidentified Armed Group (Afghanistan)", "Police Forces of Afghanistan",
        "Islamic State Khorasan Province",
    ]
    assert all(cut <= a.start and a.end <= len(text) - 15 for a in window)
    assert find_actors(text, start=5, end=5) == []
    assert find_actors("") == []


def test_longest_match_wins() -> None:
    assert names("Kurdish security forces died.", "IQ") == [
        ("Kurdish security forces", KRG, 1)
    ]
    assert names("Islamic State West Africa Province fighters", "NG") == [
        ("Islamic State West Africa Province fighters", "Islamic State West Africa Province", 2)
    ]


# -- single names, helpers -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "cc", "expected", "inter"),
    [
        ("Daesh", "IQ", "Islamic State (Iraq)", 2),
        ("Daesh", None, "Islamic State", 2),
        ("the Islamic State", "SY", "Islamic State (Syria)", 2),
        ("Islamic State (Iraq)", None, "Islamic State (Iraq)", 2),
        ("Military Forces of Iraq (2014-2018)", "IQ", "Military Forces of Iraq", 1),
        ("Military Forces of the United States", "IQ", "Military Forces of the United States", 8),
        ("Civilians (Syria)", None, "Civilians (Syria)", 7),
        ("Malian soldiers", None, "Military Forces of Mali", 1),
        ("Popular Mobilization Forces", None, PMF, 3),
        ("Hashd al-Shaabi", "IQ", PMF, 3),
        ("civilians", "SO", "Civilians (Somalia)", 7),
        ("Peshmerga", None, KRG, 1),
        ("Coalition Forces", None, "Coalition Forces", 8),
    ],
)
def test_normalise_actor(name: str, cc: str | None, expected: str, inter: int) -> None:
    actor = normalise_actor(name, country_code=cc)
    assert actor is not None
    assert (actor.name, actor.inter) == (expected, inter)
    assert name[actor.start:actor.end] == actor.text


@pytest.mark.parametrize("name", ["", "   ", "the Iraqi government", "Mosul", "armoured vehicles"])
def test_normalise_actor_none(name: str) -> None:
    assert normalise_actor(name, country_code="IQ") is None


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [(1, 2, 12), (2, 1, 12), (2, None, 20), (None, 7, 70), (1, 1, 11), (3, 8, 38),
     (None, None, None), (8, 1, 18)],
)
def test_interaction(a: int | None, b: int | None, expected: int | None) -> None:
    assert interaction(a, b) == expected


def test_interaction_rejects_bad_codes() -> None:
    with pytest.raises(ValueError):
        interaction(9, 1)


@pytest.mark.parametrize(
    ("iso2", "expected"),
    [("IQ", "Iraq"), ("cd", "Democratic Republic of Congo"), ("BF", "Burkina Faso"),
     ("US", "United States"), ("XX", ""), (None, "")],
)
def test_country_name(iso2: str | None, expected: str) -> None:
    assert country_name(iso2) == expected


def test_is_state_and_is_civilian() -> None:
    assert is_state(Actor("Military Forces of Iraq", 1))
    assert is_state(Actor("Military Forces of Russia", 8))
    assert not is_state(Actor("Wagner Group", 8))
    assert not is_state(Actor("Taliban", 2))
    assert is_civilian(Actor("Civilians (Iraq)", 7))
    assert not is_civilian(Actor("Protesters (Iraq)", 6))


# -- real reports: groups the table names, words the finder must read right ------------------
# Sentences from the development texts in ../shared/eval (WikiEvents, TR-News, LGL, MUC-4)
# and the seed report.

@pytest.mark.parametrize(
    ("sentence", "cc", "expected"),
    [
        # a possessive after the name: the IRA's brigade, Daesh's stronghold
        ("By the end of the day, the IRA's Belfast brigade had detonated at least 20 bombs "
         "across the city.", "GB", [("IRA", "PIRA: Provisional Irish Republican Army", 2)]),
        ("over 100 kilometres from Mosul, Iraq’s second city and Daesh’s last major urban "
         "stronghold in the country.", "IQ", [("Daesh", "Islamic State (Iraq)", 2)]),
        ("Though no claim of responsibility was made, the attack is widely believed to have "
         "been carried out by the armed Basque separatist group ETA.", "ES",
         [("Basque separatist group ETA", "ETA: Basque Homeland and Freedom", 2)]),
        ("wanton terrorist acts of the Liberation Tigers of Tamil Ealam (LTTE) will not "
         "diminish.", "LK", [("Liberation Tigers of Tamil Ealam (LTTE)",
                              "LTTE: Liberation Tigers of Tamil Eelam", 2)]),
        # guerrillas, a rebel column, an army patrol: the words of Latin American and
        # Levantine wire copy
        ("Leftist guerrillas early Tuesday attacked a residential neighborhood in northern "
         "San Salvador", "SV", [("guerrillas", "Unidentified Armed Group (El Salvador)", 3)]),
        ("A military patrol clashed with a rebel column and inflicted three casualties", "GT",
         [("military patrol", "Military Forces of Guatemala", 1),
          ("rebel column", "Unidentified Armed Group (Guatemala)", 3)]),
        ("armed groups opened fire on an army patrol in the Bekaa Valley", "LB",
         [("armed groups", "Unidentified Armed Group (Lebanon)", 3),
          ("army patrol", "Military Forces of Lebanon", 1)]),
        ("He also reported that guerrillas killed a peasant in the city of Flores", "GT",
         [("guerrillas", "Unidentified Armed Group (Guatemala)", 3),
          ("peasant", "Civilians (Guatemala)", 7)]),
        # ACLED's name for the Syrian opposition the news calls "the rebels"
        ("The rebels retaliated, at one point shelling the pro-government villages of Foua "
         "and Kfraya in Idlib", "SY", [("rebels", "Opposition Rebels (Syria)", 2)]),
        # a rank after a unit's name is a person's title; a country of several words
        # before "Air Force" makes it that country's military
        ("GNB Brigade General Hector Armando Hernández Da Costa was also detained by "
         "intelligence forces Monday night", "VE", []),
        ("Technical Sergeant Joseph G. Lemm, U.S. Air Force Security Forces, US", "AF",
         [("U.S. Air Force", "Military Forces of the United States", 8),
          ("Security Forces", "Military Forces of Afghanistan", 1)]),
    ],
)
def test_real_report_actors(sentence: str, cc: str, expected: list) -> None:
    assert names(sentence, cc) == expected


def test_a_possessive_grows_over_the_fighters_it_names() -> None:
    assert names("the Taliban's fighters overran the checkpoint", "AF") == [
        ("Taliban's fighters", "Taliban", 2)]
    # but never into another word: "Da'esh" is one name, "Houthi-controlled" none
    assert names("Da'esh attacked", "IQ") == [("Da'esh", "Islamic State (Iraq)", 2)]
    assert names("in Houthi-controlled Sanaa", "YE") == []


# -- unidentified armed men as the group the report names ---------------------------------

ROAD_IED_12 = (  # WikiEvents road_ied_12
    "7 militants killed in blasts in Afghanistan KANDAHAR, Afghanistan, Oct. 3 (Xinhua) -- "
    "Seven Taliban militants were killed in two accidental explosions in Afghanistan's "
    "southern Kandahar province Friday night, provincial police office confirmed on "
    "Saturday. Four militants were killed in neighboring Shah Wali Kot district when a "
    "vehicle they were traveling touched off an IED.")


def test_militants_are_the_one_group_the_article_names() -> None:
    groups = named_groups(ROAD_IED_12, country_code="AF")
    assert [g.name for g in groups] == ["Taliban"]
    start = ROAD_IED_12.index("Four militants")
    militants = find_actors(ROAD_IED_12, start=start, country_code="AF")[0]
    assert militants.name == "Unidentified Armed Group (Afghanistan)"
    named = resolve_generic(militants, [], [], groups, "AF")
    assert (named.name, named.inter, named.text) == ("Taliban", 2, "militants")
    assert (named.start, named.end) == (militants.start, militants.end)
    # on the other side of the event, the group is not who the militants are
    taliban = groups[0]
    assert resolve_generic(militants, [], [taliban], groups, "AF") == militants
    # the Taliban belong to no one country; ETA is Spain's and not an Afghan event's
    assert resolve_generic(militants, [], [], groups, "PK").name == "Taliban"
    eta = named_groups("the armed Basque separatist group ETA", country_code="ES")
    assert resolve_generic(militants, [], [], eta, "AF") == militants


def test_two_named_groups_leave_the_militants_unidentified() -> None:
    # the seed report names Daesh and the Shia militias: "the militants" could be either
    text = SEED.read_text(encoding="utf-8")
    groups = named_groups(text, country_code="IQ")
    assert [g.name for g in groups] == ["Islamic State (Iraq)", PMF]
    militants = next(a for a in find_actors(text, country_code="IQ") if a.text == "militants")
    assert resolve_generic(militants, [], [], groups, "IQ") == militants
    # unless the event itself puts one of them on the militants' side
    daesh = groups[0]
    assert resolve_generic(militants, [daesh], [], groups, "IQ").name == "Islamic State (Iraq)"


def test_generic_mentions_take_the_country_of_their_event() -> None:
    # LGL 40980020: Palestinian fighters of rival families in a camp near Saida, Lebanon
    text = ("Two Palestinians were killed and three were wounded early Saturday morning as "
            "Palestinian fighters from rival families battled in the Mieh Mieh refugee camp "
            "outside of the southern coastal city of Saida.")
    fighters = only(text, "PS")
    assert fighters.name == "Unidentified Armed Group (Palestine)"
    assert in_country(fighters, "LB").name == "Unidentified Armed Group (Lebanon)"
    police = only("The police said the blast was caused by a bomb.", "SY")
    assert in_country(police, "FR").name == "Police Forces of France"
    # a demonym keeps its country; armies fight abroad; a name never changes kind
    assert in_country(only("Syrian refugees were attacked.", "LB"), "TR").name == \
        "Civilians (Syria)"
    assert in_country(only("troops shelled the town", "IQ"), "SY").name == \
        "Military Forces of Iraq"
    assert in_country(only("The rebels retaliated", "SY"), "TR").name == \
        "Opposition Rebels (Syria)"


@pytest.mark.parametrize("text", [
    "The Army of National Liberation attacked a pipeline; the Zapatista Army of National "
    "Liberation did not.",
    "Federal Police and federal police units entered the town, said the Iraqi army.",
    "Maoists ambushed a patrol of the CRPF in Chhattisgarh; the maoists fled.",
    "ISIS fighters and the PKK clashed near the SDF's positions.",
])
@pytest.mark.parametrize("cc", [None, "CO", "IQ", "IN", "MX", "US", "SY"])
def test_the_expression_of_all_aliases_finds_what_the_countrys_own_finds(
        text: str, cc: str | None) -> None:
    # one expression of every alias serves each article country (compiled once, not once
    # per country); where it finds an alias the country does not have, the country's own
    # expression is asked: the matches are the same either way
    from rearguard.actors.resolve import _alias_matches, _country_alias_patterns, _matcher

    m = _matcher(cc)
    for cs in (False, True):
        shared = [(x.start(), x.end()) for x in _alias_matches(text, 0, len(text), m, cs)]
        own = [(x.start(), x.end())
               for x in _country_alias_patterns(cc)[cs].finditer(text, 0, len(text))]
        assert shared == own


def test_an_alias_limited_to_another_country_is_no_actor_here() -> None:
    # the expression of all aliases finds "Maoists" in a US article too; it is India's
    text = "Maoists ambushed a patrol."
    assert [a.name for a in find_actors(text, country_code="IN")] == [
        "CPI (Maoist): Communist Party of India (Maoist)"]
    assert find_actors(text, country_code="US") == []
