"""ACLED's event taxonomy as data: 25 sub-event types, 6 event types, 3 disorder types.

Spellings follow ACLED's codebook exactly ("Air/drone strike", "Remote
explosive/landmine/IED" ...). The CASE 2021 Shared Task 2 labels (``ARMED_CLASH`` ...) map
onto the same sub-event types; its five non-ACLED labels map to nothing.
"""

from __future__ import annotations

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC_DEVELOPMENTS = "Strategic developments"

POLITICAL_VIOLENCE = "Political violence"
DEMONSTRATIONS = "Demonstrations"
STRATEGIC = "Strategic developments"
# ACLED codes the events that are at once a demonstration and violence against people as
# both disorder types: protesters met with lethal or severe force by state forces
# ("Excessive force against protesters") and a mob attacking people ("Mob violence"). The
# demonstrators make them demonstration events; the violence against people makes them
# political violence, so ACLED's political-violence counts include them. Violent
# demonstrations (vandalism, clashes with police) stay "Demonstrations" only.
POLITICAL_VIOLENCE_DEMONSTRATIONS = "Political violence; Demonstrations"

# (sub-event type, event type, disorder type, CASE 2021 label), in ACLED's codebook order.
_TABLE: tuple[tuple[str, str, str, str], ...] = (
    ("Armed clash", BATTLES, POLITICAL_VIOLENCE, "ARMED_CLASH"),
    ("Government regains territory", BATTLES, POLITICAL_VIOLENCE, "GOV_REGAINS_TERIT"),
    ("Non-state actor overtakes territory", BATTLES, POLITICAL_VIOLENCE,
     "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("Chemical weapon", EXPLOSIONS, POLITICAL_VIOLENCE, "CHEM_WEAP"),
    ("Air/drone strike", EXPLOSIONS, POLITICAL_VIOLENCE, "AIR_STRIKE"),
    ("Suicide bomb", EXPLOSIONS, POLITICAL_VIOLENCE, "SUIC_BOMB"),
    ("Shelling/artillery/missile attack", EXPLOSIONS, POLITICAL_VIOLENCE, "ART_MISS_ATTACK"),
    ("Remote explosive/landmine/IED", EXPLOSIONS, POLITICAL_VIOLENCE, "REM_EXPLOS"),
    ("Grenade", EXPLOSIONS, POLITICAL_VIOLENCE, "GRENADE"),
    ("Sexual violence", VIOLENCE_AGAINST_CIVILIANS, POLITICAL_VIOLENCE, "SEX_VIOL"),
    ("Attack", VIOLENCE_AGAINST_CIVILIANS, POLITICAL_VIOLENCE, "ATTACK"),
    ("Abduction/forced disappearance", VIOLENCE_AGAINST_CIVILIANS, POLITICAL_VIOLENCE,
     "ABDUCT_DISSAP"),
    ("Peaceful protest", PROTESTS, DEMONSTRATIONS, "PEACE_PROTEST"),
    ("Protest with intervention", PROTESTS, DEMONSTRATIONS, "PROTEST_WITH_INTER"),
    ("Excessive force against protesters", PROTESTS, POLITICAL_VIOLENCE_DEMONSTRATIONS,
     "FORCE_AGAINST_PROTEST"),
    ("Violent demonstration", RIOTS, DEMONSTRATIONS, "VIOL_DEMONSTR"),
    ("Mob violence", RIOTS, POLITICAL_VIOLENCE_DEMONSTRATIONS, "MOB_VIOL"),
    ("Agreement", STRATEGIC_DEVELOPMENTS, STRATEGIC, "AGREEMENT"),
    ("Arrests", STRATEGIC_DEVELOPMENTS, STRATEGIC, "ARREST"),
    ("Change to group/activity", STRATEGIC_DEVELOPMENTS, STRATEGIC, "CHANGE_TO_GROUP_ACT"),
    ("Disrupted weapons use", STRATEGIC_DEVELOPMENTS, STRATEGIC, "DISR_WEAP"),
    ("Headquarters or base established", STRATEGIC_DEVELOPMENTS, STRATEGIC, "HQ_ESTABLISHED"),
    ("Looting/property destruction", STRATEGIC_DEVELOPMENTS, STRATEGIC, "PROPERTY_DISTRUCT"),
    ("Non-violent transfer of territory", STRATEGIC_DEVELOPMENTS, STRATEGIC,
     "NON_VIOL_TERRIT_TRANSFER"),
    ("Other", STRATEGIC_DEVELOPMENTS, STRATEGIC, "OTHER"),
)

SUB_EVENT_TYPES: tuple[str, ...] = tuple(row[0] for row in _TABLE)
EVENT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(row[1] for row in _TABLE))
DISORDER_TYPES: tuple[str, ...] = (
    POLITICAL_VIOLENCE, DEMONSTRATIONS, STRATEGIC, POLITICAL_VIOLENCE_DEMONSTRATIONS,
)
EVENT_TYPE: dict[str, str] = {row[0]: row[1] for row in _TABLE}
DISORDER_TYPE: dict[str, str] = {row[0]: row[2] for row in _TABLE}
CASE_LABELS: dict[str, str] = {row[3]: row[0] for row in _TABLE}
# The CASE 2021 labels outside ACLED's taxonomy (subtasks 2 and 3).
CASE_UNSEEN_LABELS: tuple[str, ...] = (
    "ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB",
)


def _known(sub: str) -> str:
    if sub not in EVENT_TYPE:
        raise KeyError(f"not an ACLED sub-event type: {sub!r}")
    return sub


def event_type_of(sub: str) -> str:
    """The ACLED event type of sub-event type ``sub`` (KeyError for an unknown name)."""
    return EVENT_TYPE[_known(sub)]


def disorder_type_of(sub: str) -> str:
    """The ACLED disorder type of sub-event type ``sub`` (KeyError for an unknown name)."""
    return DISORDER_TYPE[_known(sub)]


def from_case_label(label: str) -> str | None:
    """The sub-event type of a CASE 2021 label; None for its non-ACLED labels."""
    label = label.strip()
    if label in CASE_LABELS:
        return CASE_LABELS[label]
    if label in CASE_UNSEEN_LABELS:
        return None
    raise KeyError(f"not a CASE 2021 Task 2 label: {label!r}")
