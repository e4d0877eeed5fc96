"""One plain sentence per event, in the style of ACLED's notes column:
"On 6 November 2016, Islamic State attacked Military Forces of Iraq in Ash Sharqat (Salah ad
Din). 5 captured; 2 fatalities."."""

from __future__ import annotations

import datetime as dt

from ..types import TIME_MONTH, TIME_WEEK, Event

VERBS = {
    "Armed clash": "clashed with",
    "Government regains territory": "regained territory from",
    "Non-state actor overtakes territory": "took territory from",
    "Chemical weapon": "used chemical weapons against",
    "Air/drone strike": "carried out an air or drone strike against",
    "Suicide bomb": "carried out a suicide bombing against",
    "Shelling/artillery/missile attack": "shelled",
    "Remote explosive/landmine/IED": "detonated an explosive device against",
    "Grenade": "threw a grenade at",
    "Sexual violence": "committed sexual violence against",
    "Attack": "attacked",
    "Abduction/forced disappearance": "abducted",
    "Peaceful protest": "held a peaceful protest",
    "Protest with intervention": "protested and were met with intervention by",
    "Excessive force against protesters": "protested and were met with excessive force by",
    "Violent demonstration": "held a violent demonstration against",
    "Mob violence": "attacked",
    "Agreement": "reached an agreement with",
    "Arrests": "arrested",
    "Change to group/activity": "changed activity regarding",
    "Disrupted weapons use": "disrupted weapons use by",
    "Headquarters or base established": "established a base",
    "Looting/property destruction": "looted or destroyed property of",
    "Non-violent transfer of territory": "handed over territory to",
    "Other": "was involved in an event with",
}
ALONE = {
    "Air/drone strike": "carried out an air or drone strike",
    "Suicide bomb": "carried out a suicide bombing",
    "Remote explosive/landmine/IED": "detonated an explosive device",
    "Shelling/artillery/missile attack": "carried out shelling",
    "Armed clash": "fought",
    "Attack": "carried out an attack",
    "Non-state actor overtakes territory": "took control of territory",
    "Government regains territory": "regained territory",
    "Looting/property destruction": "looted or destroyed property",
    "Non-violent transfer of territory": "took over territory",
    "Arrests": "made arrests",
    "Protest with intervention": "protested and were met with intervention",
    "Excessive force against protesters": "protested and were met with excessive force",
    "Violent demonstration": "held a violent demonstration",
    "Mob violence": "engaged in mob violence",
    "Abduction/forced disappearance": "abducted people",
    "Chemical weapon": "used chemical weapons",
    "Grenade": "threw a grenade",
    "Sexual violence": "committed sexual violence",
    "Agreement": "reached an agreement",
    "Change to group/activity": "changed activity",
    "Disrupted weapons use": "disrupted weapons use",
    "Other": "were involved in an event",
}


def _when(event: Event) -> str:
    if not event.event_date:
        return "On an unknown date"
    day = dt.date.fromisoformat(event.event_date)
    if event.time_precision == TIME_MONTH:
        return f"In {day:%B %Y}"
    if event.time_precision == TIME_WEEK:
        return f"In the week of {day.day} {day:%B %Y}"
    return f"On {day.day} {day:%B %Y}"


def write_notes(event: Event) -> str:
    """A one-sentence description of the event, then its counts and claim."""
    who = event.actor1 or "Unidentified actors"
    sub = event.sub_event_type
    if event.actor2:
        what = f"{VERBS.get(sub, 'acted against')} {event.actor2}"
        if sub in ("Peaceful protest", "Headquarters or base established"):
            what = VERBS[sub]
    else:
        what = ALONE.get(sub, "acted")
    where = event.location
    if event.admin1 and event.admin1 != event.location:
        where += f" ({event.admin1})"
    sentence = f"{_when(event)}, {who} {what} in {where}."
    extras = []
    if event.claimed_by:
        extras.append(f"{event.claimed_by} claimed it")
    if event.captured:
        extras.append(f"{event.captured} captured")
    if event.injured:
        extras.append(f"{event.injured} injured")
    extras.append(f"{event.fatalities} fatalities" if event.fatalities != 1 else "1 fatality")
    return sentence + " " + "; ".join(extras) + "."
