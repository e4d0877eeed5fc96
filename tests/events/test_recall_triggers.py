"""Issue 10, "Incidents not found": the trigger words and frames on real sentences.

The sentences are quoted from real reports in ../shared/eval: MUC-4 train (re-cased as
`rearguard eval events` re-cases them), CASE 2021 task 2 snippets, and GeoWebNews, TR-News
and LGL articles. Each names an incident the cascade used to drop, or must keep dropping.
"""

from __future__ import annotations

import pytest

from rearguard.events.triggers import find_triggers, has_trigger


@pytest.mark.parametrize(("text", "word", "family"), [
    # demonstrations
    ("Li and a small group of supporters set off Wednesday on a march from Beijing to the",
     "march", "protest"),
    ("Thousands of people turned out to support Zuma as he arrived at the high court for his "
     "first hearing.", "turned out", "protest"),
    ("Hundreds of demonstrators gathered outside the cathedral Sunday to voice their anger at "
     "police.", "gathered", "protest"),
    ("Hours after medical workers', strike began on Monday, 61 patients from the country's "
     "largest mental", "strike", "protest"),
    ("Kati Mather made an improbable appearance at a vigil to reflect on fentanyl deaths in "
     "Vancouver.", "vigil", "protest"),
    ("The demonstrators began their march but were immediately controlled by the police with "
     "the use of tear gas and water.", "march", "protest"),
    ("Sharif joined the convoy after ignoring a house arrest order in his hometown of Lahore "
     "in Punjab, where his supporters fought running battles with police.",
     "fought running battles with police", "riot"),
    # abductions, in the one-p spelling of the US press (TST1-MUC3-0062)
    ("luis mesa puerta, a police inspector of El Tigre, who was kidnaped last Friday for this "
     "purpose", "kidnaped", "abduct"),
    # aircraft (TST2-MUC4-0088): strafing is done from the air
    ("At least four planes, three \"push and pulls\" and an \"a-37\" have been strafing and "
     "bombing the rebel positions", "strafing", "air"),
    # fighting
    ("The army command said military operations were continuing in the outskirts of the city "
     "of Douma, controlled by the Jaish al-Islam rebel group.", "operations", "offensive"),
    ("The FMLN document adds that minutes later, at the 21-km marker, the supreme court of "
     "Justice President's Bodyguards Tried to surprise our fighters and another clash "
     "occurred.", "clash occurred", "battle"),
    ("The fighting occurred in Cano de Padilla, Serrania de Perija, Cesar department.",
     "fighting occurred", "battle"),
    ("The army said that the initial shooting incidents did not involve the security forces, "
     "but that after midnight their posts in Anderstown and the Old Park Road came under "
     "intense gunfire.", "came under intense gunfire", "battle"),
    ("It is just a harassment by the rebels who are trying to scare people.", "harassment",
     "battle"),
    ("Nureddine Mehmud says Turkey fired on Qamishli and other towns along the "
     "Syrian-Turkish border on Tuesday.", "fired on", "kill"),
    ("He also reported that guerrillas killed a peasant in the city of Flores.", "killed",
     "kill"),
    ("Five other priests, and two Salvadoran women were murdered at dawn today by men "
     "wearing military uniforms.", "murdered", "kill"),
    ("The guerrillas also burned three vehicles on the Pan-American highway.", "burned",
     "destruction"),
    # remote violence
    ("The group was traveling between Cucuta and Campanario when their vehicle was blown up "
     "by four explosive charges that detonated on the highway.", "detonated", "explosion"),
    ("The Egyptian forces fired 6 missiles at a governmental center in Dhahran, Southern "
     "Saudi Arabia, Arab media outlets reported.", "fired 6 missiles", "shelling"),
    ("Army helicopters fired rockets this morning on San Ramon neighborhood in San Salvador.",
     "fired rockets", "shelling"),
    # strategic developments
    ("The initial evacuation deal was mediated late Tuesday by Turkey and Russia.",
     "deal was mediated", "agreement"),
    ("Two other persons are being held by the police and are undergoing intense "
     "questioning.", "held", "arrest"),
    ("At Carvajal district, the police discovered a car with 100 kg of gelignite at a "
     "residence.", "discovered a car with 100 kg of gelignite", "weapons"),
    ("Turkish forces established a new military base near the Syrian town of Ain Issa in "
     "the northern Raqqa countryside", "established a new military base", "base"),
    ("Turkish army has set up its 11th observation point in Syria's northwestern Idlib "
     "province", "set up its 11th observation point", "base"),
    # the ACLED codebook's agreements: surrenders, releases in exchange (CASE 2021 snippets)
    ("Afghan officials say more than 150 Islamic State fighters have surrendered to "
     "government forces", "surrendered to", "agreement"),
    ("Mali official says that the government has released 30 separatist rebels in exchange "
     "for the release of 16 soldiers", "in exchange for the release of 16", "agreement"),
    ("Yemeni military officials say forces loyal to the government have wrested control of "
     "a military camp from a separatist militia", "wrested control", "capture"),
    ("Tribal women from three villages in Chhattisgarh's insurgency-hit Bijapur district "
     "have accused security forces of molestation", "molestation", "sexual"),
    ("Protesters have turned violent in Hamburg, Germany, as the G-20 summit gets underway.",
     "Protesters have turned violent", "riot"),
    ("Activists from the human chain said Rangpur police attacked the peaceful human chain "
     "without any reason.", "human chain", "protest"),
    ("The ISIL fired 150 mortar rounds containing poisonous gases on Pishmarga forces.",
     "poisonous gases", "chemical"),
    ("The army units drove the ISIL terrorists out of key areas and their surrounding areas "
     "in Homs province.", "drove the ISIL terrorists out of", "regain"),
    ("The Al-Nusra Front terrorists were pushed back from their strongholds in Southwestern "
     "parts of Aleppo province.", "were pushed back from", "regain"),
])
def test_found(text: str, word: str, family: str) -> None:
    assert has_trigger(text)
    found = find_triggers(text)
    assert any(t.text == word and t.family == family and not t.weak for t in found), found


@pytest.mark.parametrize("text", [
    "The minister was fired on Monday after the scandal.",
    "The talks began in March.",
    "The MPSC is part of the leftist democratic convergence coalition, which took part in the "
    "19 March presidential elections.",
    "Pope Francis is celebrating the solemn Easter Vigil service in St. Peter's Basilica.",
    "He once told Terry Wogan, protesting that he couldn't be doing with it.",
    "Team Panther would save their best for last as they rallied from an early ten point "
    "deficit.",
    "Severe lead poisoning causes vomiting, diarrhea, convulsions and anemia.",
    "Ocean Infinity struck a deal with the Malaysian government to restart the hunt.",
    # LGL 40062880: negotiations that failed are no agreement
    "Some officials have welcomed the failure of the prisoner exchange negotiations between "
    "Israel and Hamas.",
    "He drove his car out of the garage at dawn.",
])
def test_not_found(text: str) -> None:
    assert not [t for t in find_triggers(text) if not t.ambiguous and not t.weak], \
        find_triggers(text)


def test_an_armed_frame_says_so() -> None:
    """The gates count a frame whose name says "armed" as an armed side."""
    (trigger,) = find_triggers("Two Salvadoran women were murdered at dawn today by men "
                               "wearing military uniforms.")
    assert "armed" in trigger.frame
    (trigger,) = find_triggers("Hundreds of demonstrators gathered outside the cathedral.")[1:]
    assert trigger.framed and "armed" not in trigger.frame
