"""Numbers of people killed, injured and captured, read from raw text.

:func:`find_counts` returns one :class:`~rearguard.types.Count` per stated count in
``text[start:end]``; ``Count.text`` is the counted phrase ("five police officers",
"dozens of Kurdish security forces") copied verbatim, its offsets index the full text.

The values follow ACLED's conservative rule:

* a stated number ("12", "twelve", "1,200"); "at least 12", "more than 30", "over 100" ->
  that number (exact); the low end of a range ("15 to 20", "15-20", "between 10 and 12",
  "two or three");
* approximations ("nearly 30", "about 30", "some 30") -> that number, not exact;
* **"up to 30" and "as many as 30" -> 30, not exact**: the report gives no lower figure,
  so the stated one is kept and marked inexact for the caller to weigh against other
  reports (ACLED keeps the lowest figure across reports); "fewer than 10" -> 9, not exact;
* vague words through the vague table ("several" 10, "dozens" 12, "hundreds" 100, "a few"
  3; see ``data/vague_numbers.tsv``), not exact;
* a person in the singular with an article ("an officer was killed", "killing a
  policeman") -> 1; a bare plural ("killing other ISF troops", "soldiers were wounded")
  -> 2, the least a plural allows, not exact;
* "casualties", "losses", "killed and wounded 12", "12 killed or injured" state no number
  of dead or wounded and give nothing; "no one was killed" gives nothing;
* "death toll rose to 40", "left 5 dead", "5 bodies were found", "12 deaths" -> killed;
* the dead are flagged ``attackers=True`` when they are the attackers: gunmen, militants,
  (suicide) bombers, attackers, insurgents, assailants, jihadists, or whoever "blew
  themselves up".

A list of counts before one verb is read item by item ("24 civilians, 24 Kurdish fighters,
and 25 militiamen have been killed" -> 24, 24 and 25); "the death of a civilian", "the
murder of two members" -> killed; "left one officer dead", "leaves students injured" ->
by the adjective. A count in a clause that adds up a period or a campaign is no incident's
("clashes since 2011 that killed dozens", "hundreds had been killed in the offensive",
"so far this year"), nor is one that is denied ("they deny that many civilians were
killed").

Numbers that are not people are not counted: distances, ages ("a 25-year-old man" is one
man), years, times, weapons ("fired 10 rockets"), vehicles ("destroyed five tanks") and
places ("captured the town", "seized five villages"). A count inside "including ..." or
"among them ..." is part of another count and is skipped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from ..types import Count
from .numbers import NUMBER_PATTERN, load_vague_table, parse_number

__all__ = ["ATTACKER_NOUNS", "CAPTURED", "INJURED", "KILLED", "find_counts", "load_vague_table"]

KILLED, INJURED, CAPTURED = "killed", "injured", "captured"

ATTACKER_NOUNS = frozenset({
    "gunman", "gunmen", "militant", "militants", "bomber", "bombers", "attacker",
    "attackers", "insurgent", "insurgents", "assailant", "assailants", "jihadist",
    "jihadists", "terrorist", "terrorists", "guerrilla", "guerrillas", "subversive",
    "subversives",
})
_PERSON_PLURAL = (
    "people", "persons", "civilians", "soldiers", "troops", "troopers", "policemen",
    "policewomen", "police", "officers", "officials", "militants", "fighters", "gunmen",
    "insurgents", "rebels", "jihadists", "attackers", "assailants", "bombers", "terrorists",
    "children", "kids", "women", "men", "boys", "girls", "students", "schoolchildren",
    "worshippers", "worshipers", "members", "guards", "bodyguards", "personnel", "forces",
    "servicemen", "servicemembers", "marines", "sailors", "airmen", "pilots", "villagers",
    "residents", "protesters", "protestors", "demonstrators", "pilgrims", "bystanders",
    "passengers", "workers", "farmers", "herders", "fishermen", "miners", "journalists",
    "reporters", "commanders", "leaders", "teachers", "doctors", "nurses", "medics",
    "paramedics", "relatives", "family members", "others", "hostages", "prisoners",
    "captives", "detainees", "inmates", "recruits", "cadets", "conscripts", "paramilitaries",
    "militiamen", "militia members", "tribesmen", "migrants", "refugees", "peacekeepers",
    "contractors", "employees", "staff", "volunteers", "aid workers", "truck drivers",
    "drivers", "shepherds", "teenagers", "babies", "infants", "victims", "adults",
    "elders", "clerics", "judges", "lawmakers", "soldier", "Shiites", "Sunnis", "Christians",
    "Muslims", "Yazidis", "Kurds", "Turks", "Arabs", "Druze", "Alawites", "Copts",
    "Taliban", "jawans", "Peshmerga", "peshmerga", "schoolgirls", "schoolboys",
    "interpreters", "translators", "guardsmen", "gendarmes", "agents", "monks", "nuns",
    "priests", "imams", "worshippers", "mourners", "voters", "customers", "shoppers",
    "tourists", "foreigners", "nationals", "citizens", "settlers", "IDPs", "patients",
    "humanitarians", "firefighters", "rescuers", "engineers", "deminers", "peasants",
    "campesinos", "jesuits", "guerrillas", "subversives", "cops", "service members",
    "extremists", "lieutenants",
)
_PERSON_SINGULAR = (
    "person", "civilian", "soldier", "trooper", "policeman", "policewoman", "officer",
    "official", "militant", "fighter", "gunman", "insurgent", "rebel", "jihadist",
    "attacker", "assailant", "bomber", "terrorist", "child", "kid", "woman", "man", "boy",
    "girl", "student", "worshipper", "member", "guard", "bodyguard", "serviceman", "marine",
    "sailor", "airman", "pilot", "villager", "resident", "protester", "protestor",
    "demonstrator", "pilgrim", "bystander", "passenger", "worker", "farmer", "herder",
    "fisherman", "miner", "journalist", "reporter", "photographer", "cameraman",
    "commander", "leader", "chief", "teacher", "doctor", "nurse", "medic", "paramedic",
    "relative", "hostage", "prisoner", "detainee", "recruit", "cadet", "conscript",
    "militiaman", "tribesman", "migrant", "refugee", "peacekeeper", "contractor",
    "employee", "volunteer", "driver", "shepherd", "teenager", "baby", "infant", "victim",
    "cleric", "imam", "priest", "judge", "lawmaker", "mayor", "governor", "colonel",
    "general", "lieutenant", "captain", "sergeant", "major", "commando", "sniper",
    "spokesman", "activist", "elder", "interpreter", "translator", "schoolgirl",
    "schoolboy", "guardsman", "gendarme", "agent", "monk", "nun", "tourist", "foreigner",
    "national", "citizen", "settler", "patient", "firefighter", "engineer", "peasant",
    "campesino", "jesuit", "guerrilla", "subversive", "cop", "service member",
    "extremist",
)


def _alt(words: tuple[str, ...]) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


# A capitalised plural ending like a demonym ("Iraqis", "Afghans", "Syrians").
_DEMONYM_PLURAL = (
    r"(?!(?i:dozens|hundreds|thousands|millions|tens|scores|dozen|hundred|thousand)\b)"
    r"[A-Z][a-z]+(?:ians|ans|is|ns|ks|ds|ese)"
)
_HEAD_PL = rf"(?P<head>(?i:{_alt(_PERSON_PLURAL)})|{_DEMONYM_PLURAL})(?![\w-])"
_HEAD_SG = rf"(?P<head>(?i:{_alt(_PERSON_SINGULAR)}))(?![\w-])"
_KNOWN_ADJ = (
    "other", "more", "additional", "further", "fellow", "local", "civilian", "security",
    "police", "army", "military", "government", "pro-government", "rebel", "suicide",
    "armed", "unarmed", "innocent", "young", "elderly", "old", "foreign", "off-duty",
    "tribal", "militia", "border", "special", "federal", "national", "paramilitary",
    "allied", "enemy", "opposition", "regime", "state", "private", "aid", "relief",
    "peacekeeping", "senior", "junior", "female", "male", "teenage", "school", "university",
    "traffic", "prison", "coalition", "insurgent", "militant", "terrorist", "jihadist",
    "rival", "unidentified", "unknown", "masked", "heavily", "suspected", "alleged",
    "would-be", "defence", "defense", "intelligence", "navy", "air", "naval", "ground",
    "elite", "mostly", "all", "both", "mainly", "including", "family", "hospital", "de",
    "al", "el", "family", "baby", "village", "camp", "market", "bus", "car", "truck",
    "health", "medical", "media", "news", "party", "election", "polling", "religious",
    "Islamic", "off", "duty", "regular", "auxiliary", "reserve", "volunteer", "treasury",
    "service", "civil", "municipal", "guerrilla", "peasant", "customs", "riot", "traffic",
)
# ... and a lower-case word shaped like an adjective of office or kind ("presidential",
# "municipal", "provincial", "ministerial")
_ADJ_SHAPE = r"[a-z]{4,}(?:ial|ional|ical|ary)(?![\w-])"
_MOD = (
    rf"(?:[A-Z][\w'’.&]*(?:-[\w'’]+)*|\([A-Z][A-Za-z]{{1,9}}\)|[a-z\d]+(?:-[a-z\d]+)+"
    rf"|(?i:{_alt(_KNOWN_ADJ)})(?![\w-])|{_ADJ_SHAPE})"
)
_MODS = rf"(?:{_MOD}\s+){{0,5}}"

_QUALIFIER = (
    r"at\s+least|more\s+than|over|upwards\s+of|in\s+excess\s+of|no\s+fewer\s+than|"
    r"no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of|nearly|almost|about|around|"
    r"approximately|roughly|some|an\s+estimated|estimated|up\s+to|as\s+many\s+as|"
    r"fewer\s+than|less\s+than|under|another|a\s+further|an\s+additional|a\s+total\s+of|"
    r"all|a\s+reported|at\s+most|close\s+to"
)
_INEXACT = frozenset({
    "nearly", "almost", "about", "around", "approximately", "roughly", "some",
    "an estimated", "estimated", "up to", "as many as", "fewer than", "less than", "under",
    "at most", "close to",
})
_NUM = rf"(?:{NUMBER_PATTERN})"
# A number that is not part of an age, a time, a measure or a sum of money.
_NUM_OK = (
    r"(?<![$£€#/:])(?<!No\.\s)(?!"
    r"\s*(?:%|-|–)\s*(?i:year|yr|month|week|day|hour|km|kilomet|mile|met|foot|feet|inch|ton|"
    r"pound|kg|storey|story)"
    r"|-(?i:year|month|week|day|hour|km|mile|strong|member|man|person|vehicle|car|truck)"
    r"|\s*(?:%|(?i:per\s*cent|percent|a\.m|p\.m|am\b|pm\b|GMT\b|hrs\b|km\b|kilomet|mile|"
    r"met(?:er|re)s?\b|yards?\b|feet\b|kg\b|tons?\b|tonnes?\b|dollars?\b|euros?\b|pounds?\b))"
    r"|:\d)"
)

_AUX_WORDS = (
    r"were|was|are|is|have\s+been|has\s+been|had\s+been|had|have|has|got|been|being|be|"
    r"reportedly|also|later|all|both|allegedly|apparently|initially|subsequently|now|"
    r"confirmed|feared|believed\s+to\s+(?:be|have\s+been)|said\s+to\s+(?:be|have\s+been)|"
    r"reported|thought\s+to\s+have\s+been|seriously|critically|severely|slightly|lightly|"
    r"badly|gravely|fatally|mortally|instantly|immediately|each|either|found|left|lay|"
    r"were\s+reported|may\s+have\s+been|might\s+have\s+been|would\s+be|will\s+be|"
    r"eventually|themselves|too"
)
_AUX = rf"(?:\s+(?i:{_AUX_WORDS})){{0,5}}"
_AUX_REQUIRED = rf"(?:\s+(?i:{_AUX_WORDS})){{1,5}}"
# "five police officers in the town were killed"
# "four army members, including two officers, were killed"
# "seven presidential guards travelling aboard a military bus were killed", "two police
# officers assigned to the dijin directorate were shot to death"
_INTERJECTION = (
    r"(?:,?\s+(?i:in|at|on|from|near|inside|aboard|outside|of)\s+(?:(?i:the|a|an)\s+)?"
    r"(?:[\w'’-]+\s+){0,2}?[\w'’-]+(?=,?\s+(?i:were|was|had|have|has|are|is)\b)"
    r"|,?\s+(?i:[a-z]+(?:ing|ed))\s+(?i:in|at|on|to|from|near|inside|aboard|outside|with|"
    r"for|along)\s+(?:[\w'’-]+\s+){0,5}?[\w'’-]+(?=,?\s+(?i:were|was|had|have|has)\b)"
    r"|,\s+(?i:including|among\s+them|among\s+whom)\s+[^,;.()]{1,60},|,)?"
)

_PASSIVE = {
    KILLED: (
        r"killed|slain|murdered|massacred|executed|beheaded|shot\s+dead|shot\s+and\s+killed|"
        r"shot\s+to\s+death|tortured\s+to\s+death|strangled|"
        r"gunned\s+down|burned\s+to\s+death|burnt\s+to\s+death|stabbed\s+to\s+death|"
        r"beaten\s+to\s+death|hacked\s+to\s+death|lynched|assassinated|dead|died|perished|"
        r"lost\s+their\s+lives|lost\s+his\s+life|lost\s+her\s+life|"
        r"fatally\s+(?:wounded|injured|shot)|"
        r"mortally\s+wounded"
    ),
    INJURED: r"wounded|injured|hurt|maimed|shot\s+and\s+wounded",
    CAPTURED: (
        r"abducted|kidnapped|kidnaped|captured|taken\s+(?:hostage|prisoner|captive)|"
        r"held\s+(?:hostage|captive)|seized|snatched"
    ),
}
# Passive forms that are also active verbs: "five militants killed two soldiers".
_TRANSITIVE = (
    r"killed|slain|murdered|massacred|executed|beheaded|shot|gunned|wounded|injured|hurt|"
    r"maimed|abducted|kidnapped|kidnaped|captured|seized|snatched|lynched|assassinated"
)
_ACTIVE = {
    KILLED: (
        r"kill(?:ed|ing|s)?|slew|slaying|slaughter(?:ed|ing|s)?|massacr(?:ed|ing|es)|"
        r"execut(?:ed|ing|es)|behead(?:ed|ing|s)?|murder(?:ed|ing|s)?|shot\s+dead|"
        r"shooting\s+dead|gunn(?:ed|ing)\s+down|claim(?:ed|ing|s)?\s+the\s+lives?\s+of"
    ),
    INJURED: r"wound(?:ed|ing|s)?|injur(?:ed|ing|es|e)|hurt(?:ing|s)?|maim(?:ed|ing|s)?",
    CAPTURED: (
        r"captur(?:ed|ing|es|e)|abduct(?:ed|ing|s)?|kidnapp?(?:ed|ing|s)?|seiz(?:ed|ing|es|e)|"
        r"took|taking|take|takes|hold(?:ing|s)?|held|snatch(?:ed|ing|es)?"
    ),
}
_INTRANSITIVE = re.compile(r"(?i:dead|died|perished|lost)\b")
_TRANSITIVE_RE = re.compile(rf"(?i:{_TRANSITIVE})\b")
# What follows a verb used actively: "five militants killed two soldiers".
_ACTIVE_OBJECT = re.compile(
    rf"\s+(?:{NUMBER_PATTERN}|(?i:an?|the|his|her|their|its|our|dozens|several|many|scores|"
    rf"hundreds|at\s+least|more\s+than|up\s+to|some|other|civilians|soldiers|people|police|"
    rf"troops|policemen|officers|members)\b|[A-Z])"
)
# "the wounded soldiers", "a kidnapped journalist": the participle is an adjective.
_NOT_ADJECTIVAL = "".join(
    rf"(?<!{w} )(?<!{w.capitalize()} )" for w in ("the", "of", "an", "a", "some", "two")
)
_HELD = frozenset({"hostages", "prisoners", "captives"})
_HOSTAGE_TAIL = r"\s+(?i:as\s+)?(?i:hostages?|prisoners?|captives?)\b"
_OBJECT_FOLLOW = (
    r"(?=\s*(?:[,.;:)!?\"”’]|$)|\s+(?i:and|in|on|at|near|when|while|as|during|after|before|"
    r"including|inside|outside|across|outright|instantly|immediately|more|of|with|since|"
    r"last|this|earlier|today|yesterday|overnight|on|from|according|police|officials|"
    r"said|says|among|but|whereas|or|late|early)\b)"
)


# What every match of a rule holds: one of these words (lower-case: the expressions read
# them case-insensitively), the first word of each of the rule's verbs. A sentence
# without any is not scanned with the rule (most count rules find nothing in most
# sentences, and each scan tries a long noun phrase at every position).
_PASSIVE_NEEDS = {
    KILLED: ("killed", "slain", "murdered", "massacred", "executed", "beheaded", "shot",
             "tortured", "strangled", "gunned", "burned", "burnt", "stabbed", "beaten",
             "hacked", "lynched", "assassinated", "dead", "died", "perished", "lost",
             "fatally", "mortally"),
    INJURED: ("wounded", "injured", "hurt", "maimed", "shot"),
    CAPTURED: ("abducted", "kidnapped", "kidnaped", "captured", "taken", "held", "seized",
               "snatched"),
}
_ACTIVE_NEEDS = {
    KILLED: ("kill", "slew", "slaying", "slaughter", "massacr", "execut", "behead", "murder",
             "shot", "shooting", "gunn", "claim"),
    INJURED: ("wound", "injur", "hurt", "maim"),
    CAPTURED: ("captur", "abduct", "kidnap", "seiz", "took", "tak", "hold", "held", "snatch"),
}
# Characters that a case-insensitive expression takes for an ASCII letter but that do
# not lower-case to it (the long s, the dotless and the dotted i, the Kelvin sign): a
# sentence holding one is scanned with every rule.
_UNFOLDED = re.compile("[\u0130\u0131\u017f\u212a]")

Rule = tuple[re.Pattern[str], str, str, tuple[str, ...]]


@functools.lru_cache(maxsize=8)
def _compile(
    vague_words: tuple[str, ...],
) -> tuple[list[Rule], re.Pattern[str], re.Pattern[str]]:
    """The rules for one vague vocabulary, (pattern, rule, count kind), the pattern that
    reads a count phrase's value and the one that finds an earlier item of a list."""
    vague = _alt(vague_words) if vague_words else r"(?!x)x"
    quant = (
        rf"(?:(?i:{_QUALIFIER})\s+)?"
        rf"(?:(?i:between)\s+{_NUM}{_NUM_OK}\s+(?i:and)\s+{_NUM}"
        rf"|{_NUM}{_NUM_OK}(?:\s*(?:-|–|(?i:to|or))\s*{_NUM}{_NUM_OK})?"
        rf"|(?i:{vague})(?!\w))"
    )
    num_np = (
        rf"(?P<np>{quant}(?:\s+(?i:of\s+(?:the|them|those|their)\s+)?{_MODS}{_HEAD_PL}"
        rf"|\s+(?i:of\s+them))?)"
    )
    num_np_head = rf"(?P<np>{quant}\s+(?:(?i:of\s+(?:the|those|their)\s+))?{_MODS}{_HEAD_PL})"
    sg_np = rf"(?P<np>(?i:an?|the|another|one|a\s+single)\s+{_MODS}{_HEAD_SG})"
    bare_np = rf"(?P<np>(?:(?i:other|some|fellow|the)\s+)?{_MODS}{_HEAD_PL})"
    rules: list[Rule] = []

    def add(pattern: str, rule: str, kind: str, needs: tuple[str, ...]) -> None:
        rules.append((re.compile(pattern), rule, kind, needs))

    for kind, verbs in _PASSIVE.items():
        tail = rf"{_INTERJECTION}(?P<aux>{_AUX_REQUIRED})?\s+(?P<verb>(?i:{verbs}))\b"
        # "three people were killed", "seven others wounded", "5 dead", "a policeman died"
        needs = _PASSIVE_NEEDS[kind]
        add(rf"(?<![\w-]){num_np}{tail}", "number", kind, needs)
        add(rf"(?<![\w-]){sg_np}{tail}", "singular", kind, needs)
        add(rf"(?<![\w-]){bare_np}{tail}", "bare", kind, needs)
    for kind, verbs in _ACTIVE.items():
        verb = rf"\b(?P<verb>(?i:{verbs}))"
        needs = _ACTIVE_NEEDS[kind]
        if kind == CAPTURED:
            # "capturing five police officers", "took 20 people hostage", "seized 20 hostages"
            add(rf"{verb}\s+{num_np_head}(?P<tail>{_HOSTAGE_TAIL})?", "number", kind, needs)
            add(rf"{verb}\s+{sg_np}(?P<tail>{_HOSTAGE_TAIL})?", "singular", kind, needs)
            add(rf"{_NOT_ADJECTIVAL}{verb}\s+{bare_np}(?P<tail>{_HOSTAGE_TAIL})?", "bare", kind,
                needs)
            continue
        dead = r"\s+(?P<tail>(?i:dead|wounded|injured|hurt))\b"
        if kind == KILLED:
            # "left 5 dead and 12 wounded", "left one officer dead", "leaves students
            # injured": the adjective decides the kind
            for np, rule in ((num_np, "left"), (sg_np, "left-singular"), (bare_np, "left-bare")):
                add(rf"\b(?i:left|leaving|leave|leaves)\s+{np}{dead}", rule, kind,
                    ("left", "leav"))
        add(rf"{verb}\s+{num_np}(?(head)|{_OBJECT_FOLLOW})", "number", kind, needs)
        add(rf"{verb}\s+{sg_np}", "singular", kind, needs)
        add(rf"{_NOT_ADJECTIVAL}{verb}\s+(?!(?i:at|on|in|by|and|or)\b){bare_np}", "bare", kind,
            needs)
    # The dead that are only counted, not said to have died in a verb.
    add(
        r"(?i:death\s+toll|toll\s+of\s+dead|"
        r"number\s+of\s+(?:dead|deaths|fatalities|people\s+killed))\b[^.;!?\n]{0,100}?"
        r"\b(?i:to|at|of|reached|hit|is|was|stands|stood|now|passed|topped|exceeded)\s+"
        rf"{num_np}(?!\s+(?i:wounded|injured|hurt)\b)",
        "number", KILLED, ("toll", "number"),
    )
    add(
        rf"(?<![\w-])(?P<np>{quant}\s+{_MODS}(?i:bodies|corpses|deaths|fatalities))\b",
        "number", KILLED, ("bodies", "corpses", "deaths", "fatalities"),
    )
    add(rf"(?i:bodies|corpses|remains)\s+of\s+{num_np}", "number", KILLED,
        ("bodies", "corpses", "remains"))
    # "the murder of two members", "the death of a civilian"
    of = r"\b(?i:deaths?|killings?|murders?|assassinations?|massacre|execution|slaying)\s+of\s+"
    of_needs = ("death", "killing", "murder", "assassination", "massacre", "execution",
                "slaying")
    add(rf"{of}{num_np_head}", "number", KILLED, of_needs)
    add(rf"{of}{sg_np}", "singular", KILLED, of_needs)
    # Attackers who died by their own hand.
    suicide = (
        r"\s+(?:(?i:then|later|also|reportedly|both|all|had|have)\s+)?"
        r"(?i:blew|blowing|blown)\s+(?i:themselves|himself|herself)\s+up"
        r"|\s+(?:(?i:then|later|also|reportedly|both|all)\s+)?(?i:detonat(?:ed|ing))\s+"
        r"(?i:his|her|their)\s+(?:(?i:explosive|suicide)\s+)?(?i:vests?|belts?|explosives)"
    )
    for np, rule in ((num_np, "number"), (sg_np, "singular"), (bare_np, "bare")):
        add(rf"(?<![\w-]){np}(?:{suicide})", rule + "-suicide", KILLED,
            ("blew", "blowing", "blown", "detonat"))
    # Counts that do not say who died and who was hurt: consumed, never returned.
    mixed = (
        r"(?i:killed|dead|deaths|killing)\s+(?:and|or|&)\s+"
        r"(?i:wounded|injured|hurt|wounding|injuring)"
    )
    mixed_needs = ("killed", "dead", "deaths", "killing")
    add(rf"(?<![\w-]){num_np}{_AUX}\s+{mixed}\b", "block", "", mixed_needs)
    add(rf"\b{mixed}\s+{num_np}", "block", "", mixed_needs)
    add(
        rf"(?<![\w-]){num_np}\s+(?:{_MODS})?"
        r"(?i:casualties|losses|dead\s+and\s+wounded|dead\s+or\s+wounded)\b",
        "block", "", ("casualties", "losses", "dead"),
    )
    add(
        r"\b(?i:no\s+one|nobody|none|no)\s+(?:\w+\s+){0,3}?(?i:was|were|has|had)\s+(?:\w+\s+)?"
        r"(?i:killed|hurt|injured|wounded|harmed|abducted|kidnapped)\b",
        "block", "", ("killed", "hurt", "injured", "wounded", "harmed", "abducted", "kidnapped"),
    )
    value_re = re.compile(
        rf"(?:(?P<q>(?i:{_QUALIFIER}))\s+)?(?:(?i:between)\s+(?P<lo>{_NUM})\s+(?i:and)\s+{_NUM}"
        rf"|(?P<n>{_NUM})(?:\s*(?:-|–|(?i:to|or))\s*{_NUM})?|(?P<v>(?i:{vague})))"
    )
    # An earlier item of a list whose last item a count read: "24 civilians, 24 Kurdish
    # fighters, and 25 militiamen have been killed".
    item_re = re.compile(
        rf"(?<![\w-])(?:(?P<np>{quant}\s+{_MODS}{_HEAD_PL})"
        rf"|(?P<sg>(?i:an?|one)\s+{_MODS}{_HEAD_SG.replace('<head>', '<head1>')}))"
        r"(?:\s*,\s*(?:(?i:and)\s+)?|\s+(?i:and)\s+)$"
    )
    return rules, value_re, item_re


_PRIORITY = {"block": 9, "number": 5, "left": 6, "singular": 3, "bare": 1}
_SUBSET = re.compile(
    r"(?i:including|includes|among\s+them|among\s+whom|of\s+whom|of\s+them|"
    r"among\s+the\s+(?:dead|victims|wounded|injured)(?:\s+(?:were|are|was))?|such\s+as)\s*,?\s*$"
)
_NEGATION = re.compile(
    r"(?i:\bno|\bnot|\bnever|\bwithout|\bnor|\b(?:deny|denies|denied|denying)(?:\s+that)?)\s+$")
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# A clause that adds up the dead of a period or a campaign, not of one incident:
# "sectarian clashes since 2011 that killed dozens of Copts", "hundreds of rebels had been
# killed in the offensive", "the toll since January rose to 40".
_AGGREGATE = re.compile(
    r"(?i:\bsince\s+(?:(?:early|late|mid-?)\s*)?(?:(?:19|20)\d\d|"
    rf"(?:{_MONTHS})\b|the\s+(?:start|beginning|outbreak|onset)|last\s+(?:year|month))"
    r"|\bso\s+far\s+this\s+(?:year|month)|\b(?:earlier\s+)?this\s+year|\blast\s+year"
    r"|\bin\s+recent\s+(?:years|months|weeks)|\bto\s+date\b"
    r"|\b(?:over|in|during)\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years?|months|decades?)"
    r"|\b(?:have|has|had)\s+(?:been\s+)?(?:killed|died|perished)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:in|during|throughout|since)\s+(?:the|this|its|their)\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:offensive|campaign|war|conflict|insurgency|uprising|crackdown)\b)"
)
_CLAUSE_START = re.compile(r"[,.;:!?\n(][^,.;:!?\n(]*$")
_CLAUSE_END = re.compile(r"[,.;:!?\n)]")
_YEARISH = re.compile(r"(?:1[89]|20)\d\d")


# Every rule needs one of these stems; text without them is skipped at once. The stems are
# looked for in the lower-cased text (``in``: much cheaper than the case-insensitive
# expression, which is kept for a text holding a character of _UNFOLDED).
_TRIGGER_STEMS = (
    "kill", "slain", "slew", "slay", "slaughter", "massacr", "murder", "execut", "behead",
    "shot", "gunn", "burn", "stabb", "beat", "hack", "lynch", "assassin", "dead", "died",
    "death", "perish", "lost", "wound", "injur", "hurt", "maim", "abduct", "kidnap", "captur",
    "seiz", "snatch", "took", "tak", "hold", "held", "hostage", "prisoner", "captive", "left",
    "leav", "bod", "corps", "remains", "fatalit", "toll", "blew", "blow", "detonat", "casualt",
    "loss", "lives",
)
_TRIGGER = re.compile("(?i:" + "|".join(_TRIGGER_STEMS) + ")")


def _value(np: str, value_re: re.Pattern[str], table: Mapping[str, int]) -> tuple[int, bool] | None:
    m = value_re.match(np)
    if m is None:
        return None
    qualifier = " ".join((m.group("q") or "").lower().split())
    exact = qualifier not in _INEXACT
    if m.group("v"):
        value = table.get(" ".join(m.group("v").lower().split()))
        return None if value is None else (value, False)
    raw = m.group("lo") or m.group("n")
    value = parse_number(raw) if raw else None
    if value is None:
        return None
    if qualifier in ("fewer than", "less than", "under"):
        value = max(value - 1, 1)
    return value, exact


@functools.lru_cache(maxsize=8)
def _tables(
    items: tuple[tuple[str, int], ...],
) -> tuple[dict[str, int], tuple[list[Rule], re.Pattern[str], re.Pattern[str]]]:
    """The vague table ``items`` with its words normalised (lower case, single spaces),
    and the rules compiled for it: once per table, not on every call. Do not change the
    dict returned (it is shared)."""
    table = {" ".join(k.lower().split()): v for k, v in items}
    return table, _compile(tuple(sorted(table)))


def find_counts(
    text: str,
    *,
    start: int = 0,
    end: int | None = None,
    vague: Mapping[str, int] | None = None,
) -> list[Count]:
    """Counts of people killed, injured and captured stated in ``text[start:end]``, in
    text order. ``vague`` maps lower-case vague words to values (default: the packaged
    table, see :func:`rearguard.nlp.numbers.load_vague_table`)."""
    begin = max(0, start)
    stop = len(text) if end is None else min(end, len(text))
    scanned = text[begin:stop]
    lower = scanned.lower()
    every = _UNFOLDED.search(scanned) is not None
    if every:
        if not _TRIGGER.search(text, begin, stop):
            return []
    elif not any(stem in lower for stem in _TRIGGER_STEMS):
        return []
    source = vague if vague is not None else load_vague_table()
    table, (rules, value_re, item_re) = _tables(tuple(source.items()))
    found: list[tuple[int, int, int, str, str, re.Match[str]]] = []
    for pattern, rule, kind, needs in rules:
        if not (every or any(word in lower for word in needs)):
            continue  # no match is possible (_PASSIVE_NEEDS)
        for m in pattern.finditer(text, begin, stop):
            base = rule.split("-")[0]
            found.append((_PRIORITY[base], m.start(), m.end(), rule, kind, m))
    found.sort(key=lambda f: (-f[0], -(f[2] - f[1]), f[1]))
    taken: list[tuple[int, int]] = []
    counts: list[Count] = []
    for _, s, e, rule, kind, m in found:
        if any(s < te and ts < e for ts, te in taken):
            continue
        count = None if rule == "block" else _count(text, m, rule, kind, value_re, table)
        if rule != "block" and count is None:
            continue
        taken.append((s, e))
        if count is not None:
            counts.append(count)
            if "aux" in m.re.groupindex:  # the list's subject precedes the verb
                for item in _earlier_items(text, begin, count, item_re, value_re, table):
                    if not any(item.start < te and ts < item.end for ts, te in taken):
                        taken.append((item.start, item.end))
                        counts.append(item)
    counts.sort(key=lambda c: (c.start, c.kind))
    return counts


_LAST_WORDS = re.compile(r"(\S+(?:\s+of)?)\s+$")


def _quantified(before: str, value_re: re.Pattern[str]) -> bool:
    """True when the words right before a bare plural are a quantity ("many", "two",
    "dozens of"): a count phrase another rule read or refused, not a bare plural."""
    last = _LAST_WORDS.search(before)
    return bool(last and value_re.fullmatch(last.group(1)))


def _clause(text: str, start: int, end: int) -> str:
    """The clause around ``text[start:end]``: back to the last comma or sentence mark
    before it, on to the first after it (at most 150 characters either way)."""
    head = text[max(0, start - 150):start]
    cut = _CLAUSE_START.search(head)
    tail = text[end:end + 150]
    stop = _CLAUSE_END.search(tail)
    return (head[cut.start() + 1:] if cut else head) + text[start:end] + (
        tail[:stop.start()] if stop else tail)


def _earlier_items(
    text: str, begin: int, count: Count, item_re: re.Pattern[str],
    value_re: re.Pattern[str], table: Mapping[str, int],
) -> list[Count]:
    """The counts of the items listed before ``count`` ("24 civilians, 24 Kurdish fighters,
    and 25 militiamen were killed", "six guerrillas and one soldier were killed"), nearest
    first."""
    items: list[Count] = []
    end = count.start
    for _ in range(6):
        m = item_re.search(text, max(begin, end - 160), end)
        if m is None:
            break
        if m.group("np"):
            got = _value(m.group("np"), value_re, table)
            if got is None:
                break
            (value, exact), head = got, (m.group("head") or "").lower()
        else:
            (value, exact), head = (1, True), (m.group("head1") or "").lower()
        a = m.start("np") if m.group("np") else m.start("sg")
        b = m.end("np") if m.group("np") else m.end("sg")
        if _SUBSET.search(text[max(0, a - 40):a]) or _NEGATION.search(text[max(0, a - 40):a]):
            break
        attackers = count.kind == KILLED and head in ATTACKER_NOUNS
        items.append(Count(count.kind, value, a, b, text[a:b], exact, attackers))
        end = a
    return items


def _count(
    text: str, m: re.Match[str], rule: str, kind: str, value_re: re.Pattern[str],
    table: Mapping[str, int],
) -> Count | None:
    np_start, np_end = m.span("np")
    before = text[max(0, np_start - 40):np_start]
    if _SUBSET.search(before) or _NEGATION.search(before):
        return None
    if _AGGREGATE.search(_clause(text, min(np_start, m.start()), m.end())):
        return None
    if rule.endswith("bare") and _quantified(before, value_re):
        return None  # "deny that many civilians were killed": the quantity was refused
    verb_start = m.start("verb") if "verb" in m.re.groupindex and m.group("verb") else np_start
    if verb_start < np_start and _SUBSET.search(text[max(0, verb_start - 40):verb_start]):
        return None
    head = (m.group("head") or "").lower() if "head" in m.re.groupindex else ""
    if "aux" in m.re.groupindex and m.group("aux") is None:
        verb = m.group("verb")
        if not _INTRANSITIVE.match(verb) and rule.split("-")[0] in ("singular", "bare"):
            return None
        if _TRANSITIVE_RE.match(verb) and _ACTIVE_OBJECT.match(text, m.end()):
            return None
    np = m.group("np")
    base = rule.split("-")[0]
    if base == "left":
        tail = m.group("tail").lower()
        kind = KILLED if tail == "dead" else INJURED
        base = rule.split("-")[1] if "-" in rule else "number"
    if kind == CAPTURED and "tail" in m.re.groupindex and m.group("tail") is None:
        # "took five soldiers" is not a capture; "took five soldiers hostage" is.
        verb = (m.group("verb") or "").lower()
        if verb.startswith(("took", "tak", "hold", "held")) and head not in _HELD:
            return None
    if base == "number":
        got = _value(np, value_re, table)
        if got is None:
            return None
        value, exact = got
        if not head and _YEARISH.fullmatch(np.strip()):
            return None
        if value == 0:
            return None
    elif base == "singular":
        value, exact = 1, True
    else:
        value, exact = 2, False
    attackers = kind == KILLED and (head in ATTACKER_NOUNS or rule.endswith("suicide"))
    return Count(kind, value, np_start, np_end, text[np_start:np_end], exact, attackers)
