"""Mentions of one incident become one event, with all their evidence.

Within one article, a mention joins an earlier event when their kinds are compatible (both
violence, both demonstrations, both strategic), their dates can be the same day, and either
they name the same place, or the mention names no town of its own ("The attack was
eventually repulsed", "today's attack", "in the small town"). A lead sentence with only a
country ("an attack against Iraq's rear areas") joins the first event in that country that
follows it. Different towns, or different stated dates, stay different events.

Events are coded from the incidents and, as data, the control stage's records of each
incident (``build_events``): the composer, :mod:`rearguard.pipeline`, runs the control
stage between grouping the mentions and coding the events.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from urllib.parse import urlsplit

from ..actors import (
    in_country,
    interaction,
    is_civilian,
    is_generic,
    is_state,
    named_groups,
    normalise_actor,
    resolve_generic,
)
from ..actors.resolve import UNIDENTIFIED
from ..geo.distance import haversine_km, in_admin_area
from ..types import (
    Actor,
    Article,
    ControlChange,
    ControlRecords,
    DateMention,
    Event,
    Evidence,
    Incidents,
    Place,
)
from .acled_type import FIGHTING, decide_type
from .gates import codable
from .mentions import RESPONDER, Mention
from .regions import acled_region, iso_numeric, source_scale
from .taxonomy import disorder_type_of, event_type_of

SAME_PLACE_KM = 10.0


def _dates_compatible(a: Mention, b: Mention) -> bool:
    if a.date is None or b.date is None:
        return True
    if a.date_inherited or b.date_inherited:
        return _within(a.date, b.date, days=7)
    if a.date.precision == 1 and b.date.precision == 1:
        return a.date.date == b.date.date
    return _within(a.date, b.date, days=16)


def _within(a: DateMention, b: DateMention, *, days: int) -> bool:
    da, db = dt.date.fromisoformat(a.date), dt.date.fromisoformat(b.date)
    return abs((da - db).days) <= days


def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return False
    if a.geonameid and a.geonameid == b.geonameid:
        return True
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return False
    if (a.geo_precision or 3) == 3 or (b.geo_precision or 3) == 3:
        return a.name == b.name and a.country_code == b.country_code
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= SAME_PLACE_KM


def _contains(outer: Place | None, inner: Place | None) -> bool:
    """True when ``outer`` is a country or province that holds ``inner``."""
    if outer is None or inner is None or (outer.geo_precision or 3) < 3:
        return False
    if outer.country_code != inner.country_code:
        return False
    if outer.feature_code and outer.feature_code.startswith("PCL"):
        return True
    return bool(outer.admin1) and outer.admin1 == inner.admin1


class _Cluster:
    def __init__(self, mention: Mention):
        self.mentions = [mention]

    @property
    def place(self) -> Place | None:
        own = [m.place for m in self.mentions if m.place is not None]
        return min(own, key=lambda p: (p.geo_precision or 3, -p.confidence)) if own else None

    @property
    def specific(self) -> bool:
        return any(m.specific for m in self.mentions)

    def accepts(self, mention: Mention) -> bool:
        if mention.group != self.mentions[0].group:
            return False
        if not all(_dates_compatible(mention, m) for m in self.mentions):
            return False
        if mention.place is not None and mention.place.feature_class == "P" and any(
                m.sent_start == mention.sent_start and m.place is not None
                and m.place.feature_class == "P" and m.place.geonameid != mention.place.geonameid
                for m in self.mentions):
            # one sentence, two towns, however near: "fighting in Mejicanos and Soyapango"
            return False
        place = self.place
        if (_listed_town(mention) and mention.place is not None and place is not None
                and place.feature_class == "P" and place.geonameid != mention.place.geonameid):
            # a town of a list ("fighting continues in Mejicanos, Ayutuxtepeque and
            # Soyapango") is its own incident even beside another town (6 km from San
            # Salvador): ACLED codes one event per location
            return False
        if mention.specific:
            return (_same_place(mention.place, place) or place is None
                    or _contains(place, mention.place))
        if mention.place is None:
            return True
        return place is None or _same_place(mention.place, place) or _contains(mention.place, place)


def _listed_town(mention: Mention) -> bool:
    """Whether the mention's place is one of two or more towns its sentence names."""
    if mention.place is None or mention.place.feature_class != "P":
        return False
    towns = {p.geonameid for p in mention.sentence_places
             if p.feature_class == "P" and p.geonameid}
    return len(towns) >= 2 and mention.place.geonameid in towns


def cluster_mentions(mentions: Sequence[Mention]) -> list[list[Mention]]:
    """Group the article's mentions into incidents.

    A mention that names a town joins the latest event at the same place whose dates and
    kind fit, else the latest event with no town yet (a lead sentence, "The attack began
    before dawn"), else starts its own. A mention with no town joins the latest event whose
    dates and kind fit, else starts one."""
    clusters: list[_Cluster] = []
    for mention in mentions:
        fitting = [c for c in clusters if c.accepts(mention)]
        if mention.specific:
            same = [c for c in fitting if c.specific and _same_place(mention.place, c.place)]
            coarse = [c for c in fitting if not c.specific]
            fitting = same or coarse
        target = fitting[-1] if fitting else None
        if target is None:
            clusters.append(_Cluster(mention))
        else:
            target.mentions.append(mention)
    return [c.mentions for c in clusters]


def cluster_place(mentions: Sequence[Mention]) -> Place | None:
    """The most specific place the mentions of one incident name."""
    cluster = _Cluster(mentions[0])
    cluster.mentions = list(mentions)
    return cluster.place


def build_events(incidents: Incidents, control: ControlRecords) -> list[Event]:
    """The events stage's second step: one event per codable incident, in order.

    ``control`` is the control stage's answer for these incidents, taken as data: a
    cluster's records decide its territorial sub-event type (:func:`territory_rule`: a
    non-state group overtakes territory only if it held the place over a day), and a
    place taken and then retaken in one cluster ("attacked Rutba and held it for three
    days until ISF forces managed to take it back") gives two events."""
    events = []
    by_incident = control.by_incident
    unidentified = any(ar.actor.name.startswith(UNIDENTIFIED) or ar.actor.inter in (2, 3, 4)
                       for cluster in incidents.clusters for m in cluster for ar in m.actors
                       ) or any("battle" in m.families and not any(
                           ar.role == "agent" for ar in m.actors)
                           for cluster in incidents.clusters for m in cluster)
    groups = named_groups(incidents.article.text, country_code=incidents.country) \
        if unidentified else []
    clusters = _lend_sides(incidents.clusters)
    for number, mentions in enumerate(clusters):
        records = by_incident[number] if number < len(by_incident) else ()
        events += build_event(mentions, incidents.article, number=number,
                              country=incidents.country, fallback=incidents.fallback,
                              control=records, groups=groups, focus=incidents.focus)
    return events


def _lend_sides(clusters: Sequence[Sequence[Mention]]) -> list[Sequence[Mention]]:
    """A town of a listed fight ("fighting continues in Mejicanos, Ayutuxtepeque and
    Soyapango") is its own incident, with no sides of its own when the sentence names
    none: it takes the sides of the incident its sentence's first town joined."""
    out: list[Sequence[Mention]] = list(clusters)
    for i, cluster in enumerate(clusters):
        if any(m.actors for m in cluster):
            continue
        heads = {(m.sent_start, m.trigger.start) for m in cluster}
        donor = next((c for j, c in enumerate(clusters) if j != i
                      and any((m.sent_start, m.trigger.start) in heads for m in c)
                      and any(m.actors for m in c)), None)
        if donor is None and _listed_town(cluster[0]):
            # no town of the list joined an incident with sides: the latest earlier one
            # of the same kind, at a town nearby ("clashed ... in San Salvador. Fighting
            # continues in Mejicanos, Ayutuxtepeque and Soyapango")
            place = cluster_place(cluster)
            donor = next((c for c in reversed(clusters[:i])
                          if c[0].group == cluster[0].group and any(m.actors for m in c)
                          and _same_place(cluster_place(c), place)), None)
        if donor is None:
            continue
        roles = [ar for m in donor for ar in m.actors if ar.role in ("agent", "patient")]
        out[i] = [dataclasses.replace(cluster[0], actors=roles), *cluster[1:]]
    return out


def _date_of(mentions: Sequence[Mention]) -> tuple[DateMention | None, bool]:
    own = [m.date for m in mentions if m.date is not None and not m.date_inherited]
    if own:
        return min(own, key=lambda d: d.precision), False
    inherited = [m.date for m in mentions if m.date is not None]
    return (inherited[0], True) if inherited else (None, False)


def _pick_actors(mentions: Sequence[Mention]) -> tuple[list[Actor], list[Actor]]:
    """(side 1, side 2), most named first; one actor never sits on both sides.

    Roles count double at each mention's head trigger, and double again in the mentions
    whose trigger is of the lead mention's family. An actor that acts in a second
    clause against the first side ("Daesh attacked Rutba ... until ISF forces took it
    back") is on side 2. External forces (inter 8) beside a state actor on their side are
    that side's associates, not its main actor."""
    agents: Counter[str] = Counter()
    patients: Counter[str] = Counter()
    first: dict[str, Actor] = {}
    lead = next((m for m in mentions if m.specific), mentions[0])
    for mention in mentions:
        head_agents = {ar.actor.name for ar in mention.actors if ar.head and ar.role == "agent"}
        # the sentences that tell the incident the way its lead does ("kidnapped") say who
        # did it more surely than a later one about something else ("the police raids
        # began shortly after the kidnapping")
        same = 2 if mention.trigger.family == lead.trigger.family else 1
        for ar in mention.actors:
            if ar.role not in ("agent", "patient"):
                continue  # responders and investigators are no side
            first.setdefault(ar.actor.name, ar.actor)
            weight = (2 if ar.head else 1) * same
            role = ar.role
            if not ar.head and role == "agent" and head_agents and ar.actor.name not in head_agents:
                role = "patient"
            (agents if role == "agent" else patients)[ar.actor.name] += weight
    side1 = [n for n, _ in agents.most_common() if agents[n] >= patients[n]]
    side2 = [n for n, _ in patients.most_common() if n not in side1]
    return _external_last([first[n] for n in side1]), _external_last([first[n] for n in side2])


def _resolve_sides(agents: list[Actor], patients: list[Actor], groups: Sequence[Actor],
                   country: str | None, claimers: Sequence[Actor] = ()
                   ) -> tuple[list[Actor], list[Actor]]:
    """Unidentified armed mentions as the group the report names for them
    (:func:`rearguard.actors.resolve_generic`); a group that claimed the incident is on the
    acting side (and acted, when the report names no one else who did: ACLED codes a
    claimed attack to the claimer). A side names each actor once, and an actor resolved
    into one the other side already has stays unidentified."""
    def resolve(side: list[Actor], other: list[Actor], also: Sequence[Actor] = ()
                ) -> list[Actor]:
        out: list[Actor] = []
        others = {a.name for a in other}
        for actor in side:
            named = resolve_generic(actor, [*side, *also], other, groups, country)
            if named.name in others:
                named = actor
            if all(a.name != named.name for a in out):
                out.append(named)
        return out

    claimers = [c for c in claimers if c.name not in {a.name for a in patients}]
    resolved = resolve(agents, patients, claimers[:1])
    if claimers:
        claimer = claimers[0]
        mine = [a for a in resolved if a.name == claimer.name]
        if mine:  # "the extraditables claimed responsibility": the claimer acted first
            resolved = mine[:1] + [a for a in resolved if a.name != claimer.name]
        elif all(a.name.startswith(UNIDENTIFIED) for a in resolved):
            resolved = [claimer]  # "the Taliban claimed they were responsible"
    names = {a.name for a in resolved}
    return resolved, [a for a in resolve(patients, resolved) if a.name not in names]


def _the_articles_group(sub: str, groups: Sequence[Actor], other: Actor | None,
                        country: str | None) -> Actor | None:
    """The side that fought, when the sentence names none and the article names one
    non-state armed group and no other: "fighting continues in Mejicanos" in a report of
    the FMLN's offensive is the FMLN's (ACLED codes the group the report is about, not an
    unidentified one). Only for fighting, where an armed group must be a side."""
    if sub != "Armed clash":
        return None
    armed = {g.name: g for g in groups if g.inter in (2, 3) and not is_generic(g)}
    if len(armed) != 1:
        return None
    group = in_country(next(iter(armed.values())), country)
    return None if other is not None and other.name == group.name else group


def _external_last(actors: list[Actor]) -> list[Actor]:
    if any(a.inter != 8 for a in actors):
        return [a for a in actors if a.inter != 8] + [a for a in actors if a.inter == 8]
    return actors


def _counts(mentions: Sequence[Mention]) -> dict[str, tuple[int, list]]:
    """Per kind: the largest per-sentence total (a later sentence usually restates the
    same dead, so sentences are not added up), and the counts behind it."""
    best: dict[str, tuple[int, list]] = {}
    for mention in mentions:
        per_kind: dict[str, list] = {}
        for count in mention.counts:
            per_kind.setdefault(count.kind, []).append(count)
        for kind, counts in per_kind.items():
            # "7 militants killed in blasts ... Seven Taliban militants were killed": a
            # headline run into its lead restates the same dead; a list ("24 civilians,
            # 24 fighters") names different ones
            seen: set[tuple[int, str]] = set()
            distinct = []
            for c in counts:
                key = (c.value, c.text.split()[-1].lower() if c.text.split() else "")
                if key not in seen:
                    seen.add(key)
                    distinct.append(c)
            counts = distinct
            total = sum(c.value for c in counts)
            if total > best.get(kind, (-1, []))[0]:
                best[kind] = (total, counts)
    return best


def main_place(mentions: Sequence[Mention]) -> Place | None:
    """The article's most named town among its event sentences' places, for events whose
    own sentences name none (wire reports often give the place once, in the dateline or
    the lead)."""
    towns: Counter[object] = Counter()  # geonameid, or (latitude, longitude)
    first: dict[object, Place] = {}
    for mention in mentions:
        for place in mention.sentence_places:
            if place.resolved and (place.geo_precision or 3) == 1:
                key = place.geonameid or (place.latitude, place.longitude)
                towns[key] += 1
                first.setdefault(key, place)
    return first[towns.most_common(1)[0][0]] if towns else None


def build_event(mentions: Sequence[Mention], article: Article, *, number: int,
                country: str | None, fallback: Place | None = None,
                control: Sequence[ControlChange] = (),
                groups: Sequence[Actor] = (),
                focus: AbstractSet[str] = frozenset()) -> list[Event]:
    """The event (or, for a place taken and retaken, the two events) of one cluster of
    mentions; none when ACLED would not code it (:func:`codable`) or it has no place.
    ``groups``: the named armed groups of the whole article
    (:func:`rearguard.actors.named_groups`), which unidentified armed mentions may be."""
    place, approximate = _event_place(mentions, fallback, focus)
    if place is None:
        return []  # ACLED needs a location; a mention with no place at all is not coded
    date, inherited = _date_of(mentions)
    agents, patients = _pick_actors(mentions)
    claimers = [m.claimed_by for m in mentions if m.claimed_by is not None
                and m.claimed_by.inter in (2, 3, 4) and not is_generic(m.claimed_by)]
    here = place.country_code or country
    agents = [in_country(a, here) for a in agents]
    patients = [in_country(a, here) for a in patients]
    agents, patients = _resolve_sides(agents, patients, groups, here, claimers)
    counts = _counts(mentions)
    responders = [ar.actor for m in mentions for ar in m.actors if ar.role == RESPONDER]
    if not codable(mentions, agents + patients + responders, counts):
        return []
    sub = decide_type(mentions, agents, patients)
    taken, retaken = _takeover(control, agents)
    territorial = sub in ("Government regains territory", "Non-state actor overtakes territory")
    sub = territory_rule(sub, taken)
    if territorial and _unopposed(mentions):
        sub = "Non-violent transfer of territory"
    elif not any(r.kind in TERRITORIAL_KINDS for r in control):
        # ACLED: territory regained is a place that changed hands; with no place taken,
        # held or retaken ("the terrorists have been repelled", "strafing and bombing
        # the rebels"), the fight is an armed clash, and the captives of a capture of
        # no place were arrested or abducted
        if sub == "Government regains territory" and not _territory_taken(mentions, article.text):
            sub = "Armed clash"
        if territorial:
            sub = _people_captured(sub, mentions, agents, patients)
    actor1, actor2, agents, patients = _sides(sub, mentions, agents, patients,
                                              place.country_code or country)
    if actor1 is None:
        actor1 = _the_articles_group(sub, groups, actor2, place.country_code or country)
    if actor1 is None:
        actor1 = unnamed_actor(sub, place.country_code or country)
        if actor1 is not None and actor2 is not None and actor2.name == actor1.name:
            # the unnamed attacker is the one the text named on the other side
            actor1, actor2, patients = actor2, (patients[1] if len(patients) > 1 else None), \
                patients[1:]
    if actor2 is None:
        actor2 = unnamed_target(sub, actor1, place.country_code or country)
    assoc1 = [a for a in agents[1:] if actor1 is None or a.inter == actor1.inter]
    assoc2 = list(patients[1:])
    claims = [m for m in mentions if m.claimed_by is not None]
    evidence = _evidence(mentions, article.text, place, approximate, date,
                         {"actor1": [actor1] if actor1 else [],
                          "actor2": [actor2] if actor2 else [],
                          "assoc_actor_1": assoc1, "assoc_actor_2": assoc2},
                         counts, claims[:1])
    inter1 = actor1.inter if actor1 else None
    inter2 = actor2.inter if actor2 else 0  # ACLED: 0, not blank, when no one was acted on
    event_date = date.date if date else article.published
    source = publisher(article)
    confidence = _confidence(mentions, place, actor1, date, inherited)
    event = Event(
        event_id_cnty=_event_id(place.iso3 or "", article.id, number),
        event_date=event_date,
        year=int(event_date[:4]) if event_date else None,
        time_precision=date.precision if date else (2 if article.published else None),
        disorder_type=disorder_type_of(sub), event_type=event_type_of(sub),
        sub_event_type=sub,
        actor1=actor1.name if actor1 else "", assoc_actor_1="; ".join(a.name for a in assoc1),
        inter1=inter1,
        actor2=actor2.name if actor2 else "", assoc_actor_2="; ".join(a.name for a in assoc2),
        inter2=inter2, interaction=interaction(inter1, inter2),
        civilian_targeting="Civilian targeting" if inter2 == 7 else "",
        iso=iso_numeric(place.country_code), region=acled_region(place.country_code),
        country=place.country or "", admin1=place.admin1 or "", admin2=place.admin2 or "",
        location=place.name or place.text, latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=max(place.geo_precision or 3, 2) if approximate else place.geo_precision,
        source=source, source_scale=source_scale(source),
        fatalities=counts.get("killed", (0, []))[0],
        injured=counts.get("injured", (0, []))[0],
        captured=counts.get("captured", (0, []))[0],
        claimed_by=claims[0].claimed_by.name if claims else "",  # type: ignore[union-attr]
        confidence=round(confidence * 0.7, 3) if approximate else confidence,
        article_ids=(article.id,), evidence=tuple(evidence),
    )
    from .notes import write_notes

    event = dataclasses.replace(event, notes=write_notes(event))
    if taken is not None and retaken is not None:
        return [event, _retaking(event, taken, retaken, agents, patients, article.text)]
    return [event]


# Who ACLED names when a report names no one: the generic actor of the event type. For
# aircraft nobody named, armed groups rarely fly and ACLED's codebook keeps "Unidentified
# Military Forces" (inter 1, or 8 where the context says foreign) for the rare case, as in
# unattributed air and drone strikes ("casualties in raids by warplanes on Khan Shaykhun").
# rearguard codes inter 1: the country's own forces are the default owner of an air force
# over it; a report that names a foreign one names its actor (docs/decisions.md).
_UNNAMED = {"Protests": "protesters", "Riots": "rioters"}
_UNNAMED_SUB = {"Arrests": "police", "Air/drone strike": "unidentified military forces"}


def unnamed_actor(sub: str, country: str | None) -> Actor | None:
    """ACLED always names actor1: an unnamed attacker is an Unidentified Armed Group of
    the country, unnamed aircraft Unidentified Military Forces, unnamed demonstrators its
    Protesters or Rioters, unnamed arrests its police. The actor has no words in the text
    (no evidence span)."""
    word = _UNNAMED_SUB.get(sub) or _UNNAMED.get(event_type_of(sub), "gunmen")
    found = normalise_actor(word, country_code=country)
    if found is None:
        return None
    return Actor(found.name, found.inter, country_code=found.country_code)


# Who ACLED codes as acted on when a report names no one: the people an attack on civilians
# or an arrest was aimed at are civilians; the weapons state forces seized or defused
# belonged to an armed group nobody named.
_UNNAMED_TARGET = {"Attack": "civilians", "Arrests": "civilians"}


def unnamed_target(sub: str, actor1: Actor | None, country: str | None) -> Actor | None:
    """ACLED's second actor when the report names none but the sub-event type implies one:
    "Attack" is violence against civilians by definition, those arrested without a name
    are civilians ("have only arrested two suspects"), an armed clash that names one side
    had another (rebels fought the state's forces, state forces an armed group), and a
    disrupted
    weapon of no named owner is an Unidentified Armed Group's ("the police discovered a
    car with 100 kg of gelignite"). No evidence span: no words named them."""
    word = _UNNAMED_TARGET.get(sub)
    if word is None and sub == "Disrupted weapons use" and actor1 is not None \
            and is_state(actor1):
        word = "gunmen"
    if word is None and sub == "Armed clash" and actor1 is not None:
        # a clash has two armed sides: rebels fight the state's forces ("the rebels
        # attacked the towns of Jocoro and Guadalupe"), state forces an armed group
        word = "soldiers" if actor1.inter in (2, 3) else "gunmen" if is_state(actor1) else None
    if word is None:
        return None
    found = normalise_actor(word, country_code=country)
    if found is None or (actor1 is not None and found.name == actor1.name):
        return None
    return Actor(found.name, found.inter, country_code=found.country_code)


def publisher(article: Article) -> str:
    """The ``source`` column: the publisher the input names, else its URL's host (ACLED
    names the publisher; "www.reuters.com" -> "reuters.com")."""
    if article.source and article.source.strip():
        return article.source.strip()
    if article.url and "://" in article.url:
        host = (urlsplit(article.url).hostname or "").lower()
        return host[4:] if host.startswith("www.") else host
    return ""


# A place outside the countries an article is about holds an event only when resolved with
# this confidence, or when it is a country, a province or a capital, which a report names
# on purpose wherever they are.
ABROAD_CONFIDENCE = 0.85
MAJOR_CODES = frozenset({"ADM1", "PPLC", "PPLA", "PPLG"})


def placeable(place: Place | None, focus: AbstractSet[str]) -> bool:
    """Whether an event may be placed at ``place``: a resolved place in a country the
    article is about (``focus``: country codes; empty when nothing says), a major place,
    or one read with confidence. A village abroad that only shares its name with what the
    report says ("Lempa" in Cyprus for the Lempa river in a Salvadoran report, "San
    Patricio" in Mexico for a quarter of San Salvador) is a wrong point on somebody's map."""
    if place is None or not place.resolved:
        return False
    if not focus or not place.country_code or place.country_code in focus:
        return True
    code = place.feature_code or ""
    return (code.startswith("PCL") or code in MAJOR_CODES
            or place.confidence >= ABROAD_CONFIDENCE)


def _event_place(mentions: Sequence[Mention], fallback: Place | None,
                 focus: AbstractSet[str] = frozenset()) -> tuple[Place | None, bool]:
    """The cluster's most specific place, else the article's main town (approximate);
    the main town too when the cluster's place is not :func:`placeable` (and if there is
    no main town, the place as it is: the incident is not lost)."""
    place = cluster_place(mentions)
    if place is not None and place.resolved:
        if not placeable(place, focus) and fallback is not None and fallback.resolved:
            return fallback, True
        return place, False
    region = _sentence_region(mentions, focus)
    if region is not None and not (fallback is not None and fallback.resolved and (
            fallback.country_code != region.country_code or in_admin_area(region, fallback))):
        return region, True
    if fallback is not None and fallback.resolved:
        return fallback, True
    return None, False


# Families of a capture that involve no violence: taking, holding and the other side's
# withdrawal.
_PEACEFUL_FAMILIES = frozenset({"capture", "regain", "hold", "transfer"})


def _unopposed(mentions: Sequence[Mention]) -> bool:
    """Whether a capture came with the other side's withdrawal and no fighting: ACLED's
    non-violent transfer of territory ("Al Shabaab fighters regained Marka after Govt
    forces and AU forces withdrew", "seized the area following the withdrawal of
    Puntland forces"), not a takeover by force."""
    families = set().union(*(m.families for m in mentions))
    return ("transfer" in families and families <= _PEACEFUL_FAMILIES
            and not any(FIGHTING.search(t.text) for m in mentions for t in m.triggers)
            and not _violent(mentions))


def _violent(mentions: Sequence[Mention]) -> bool:
    """Whether the mentions' sentences tell of violence (words under "without" aside)."""
    return any(_VIOLENT_WORDS.search(_WITHOUT.sub(" ", m.sentence_text)) for m in mentions)


# Words of violence anywhere in a capture's sentences: "the first explosions began at 2330
# ... and the guerrillas withdrew to the slopes of the volcano, where they are now being
# pursued" is no peaceful handover.
_WITHOUT = re.compile(r"\bwithout [^,.;]*", re.IGNORECASE)  # "without ... firing a gunshot"
_VIOLENT_WORDS = re.compile(
    r"\b(?:explo\w*|clash\w*|fighting|fought|battles?|battled|shell(?:s|ed|ing)|bomb\w*|"
    r"attack\w*|kill\w*|wound\w*|pursu\w*|fired|firing|gunfire|offensive|assault\w*|"
    r"storm(?:ed|ing))\b", re.IGNORECASE)


_REGION_CODES = frozenset({"ADM1", "ADM2", "ADM3", "ADMD"})


def _sentence_region(mentions: Sequence[Mention], focus: AbstractSet[str]) -> Place | None:
    """The first province or district the incident's own sentences name, where the
    locator attached no place to its trigger: ACLED codes an event the report places
    only in a region at that region, with geo_precision 3 ("al-Shabab militants seized a
    village" in a report from "Lower Jubba Region"; "... in Raqqa province"). Only a
    region of a country the article is about: a province that shares a name abroad
    ("Gaza", Mozambique; "Central", Uganda) is not the report's."""
    for mention in mentions:
        for place in mention.sentence_places:
            if (place.resolved and place.feature_class == "A"
                    and (place.feature_code or "") in _REGION_CODES
                    and (not focus or place.country_code in focus)):
                return place
    return None


# Sub-event types whose side acted on never acted: the unnamed actor of the type is actor1.
ONE_SIDED = frozenset({"Arrests", "Abduction/forced disappearance"})
VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence",
                           "Violence against civilians"})


def _sides(sub: str, mentions: Sequence[Mention], agents: list[Actor], patients: list[Actor],
           country: str | None):
    """(actor1, actor2, side 1, side 2) as ACLED codes them for this type."""
    if event_type_of(sub) in ("Protests", "Riots"):
        return _demonstrators_first(sub, mentions, agents, patients, country)
    kind = event_type_of(sub)
    fought = any(FIGHTING.search(t.text) for m in mentions for t in m.triggers)
    if not agents and patients and not _victims(patients[0]) and sub not in ONE_SIDED and (
            kind not in VIOLENT_TYPES or (len(patients) >= 2 and fought)
            or (kind == "Battles" and not is_state(patients[0]))):
        # "clashes between guerrillas and soldiers": two sides acted on, the first acted
        # (not "soldiers were injured in the attack, as were some pedestrians": victims);
        # in a battle, a non-state armed group named alone ("a clash with our units")
        # fought. State forces alone that were acted on ("soldiers were wounded when a
        # bomb exploded") are the victims of an attacker the report does not name, and
        # those arrested or abducted never made the arrest.
        agents, patients = patients[:1], patients[1:]
    if sub == "Armed clash" and not patients and len({a.name for a in agents}) >= 2:
        # "clashes between the army and Boko Haram": the sides a clash names together,
        # none acted on, fought each other (allies that attack together take a target)
        other = next(a for a in agents if a.name != agents[0].name)
        agents, patients = [a for a in agents if a is not other], [other]
    if kind == "Battles" and len(patients) > 1 and is_civilian(patients[0]):
        # a battle is fought between armed, organised sides (ACLED): civilians caught in
        # it are its victims, not the side that fought the first
        armed = [a for a in patients if not is_civilian(a)]
        if armed:
            patients = armed + [a for a in patients if is_civilian(a)]
    return (agents[0] if agents else None), (patients[0] if patients else None), \
        agents, patients


COUNT_FIELDS = {"killed": "fatalities", "injured": "injured", "captured": "captured"}


def _evidence(mentions: Sequence[Mention], text: str, place: Place, approximate: bool,
              date: DateMention | None, actors: dict[str, list[Actor]], counts: dict,
              claims: Sequence[Mention]) -> list[Evidence]:
    """The verbatim spans behind every field of the event."""
    evidence: list[Evidence] = []
    for start, end in dict.fromkeys((m.sent_start, m.sent_end) for m in mentions):
        evidence.append(_ev("event", text, start, end))
    for m in mentions:
        if m.place is not None and _same_place(m.place, place):
            evidence.append(_ev("location", text, m.place.start, m.place.end))
    if approximate:
        evidence.append(_ev("location", text, place.start, place.end))
    if date is not None:
        evidence.append(_ev("date", text, date.start, date.end))
    for field, named in actors.items():
        evidence += [_ev(field, text, a.start, a.end) for a in named if a.start >= 0]
    for kind, field in COUNT_FIELDS.items():
        evidence += [_ev(field, text, c.start, c.end) for c in counts.get(kind, (0, []))[1]]
    for field in ("weapons", "targets", "victims"):
        spans = sorted({span for m in mentions for span in getattr(m, field)})
        evidence += [_ev(field[:-1], text, start, end) for start, end in spans]
    for claim in claims:
        evidence.append(_ev("claimed_by", text, claim.claim_start, claim.claim_end))
    return evidence


def _takeover(control: Sequence[ControlChange], agents: Sequence[Actor]
              ) -> tuple[ControlChange | None, ControlChange | None]:
    """A confirmed capture by a non-state group that held the place for more than a day,
    and a retaking after it, among one cluster's control records."""
    non_state = {a.name for a in agents if a.inter in (2, 3, 4)}
    taken = next((r for r in control if r.kind == "captured" and r.holder in non_state
                  and ((r.held_days or 0) > 1 or any(
                      h.kind == "held" and h.holder == r.holder for h in control))), None)
    if taken is None:
        return None, None
    retaken = next((r for r in control if r.kind in ("retaken", "liberated")
                    and r.holder and r.holder != taken.holder
                    and (r.date or "") >= (taken.date or "")), None)
    return taken, retaken


#: Control records that say a place changed hands (or is held), as territorial events need.
TERRITORIAL_KINDS = frozenset({"captured", "retaken", "liberated", "held", "claimed"})


def _people_captured(sub: str, mentions: Sequence[Mention], agents: Sequence[Actor],
                     patients: Sequence[Actor]) -> str:
    """A capture with no place changing hands whose captives are civilians, not fighters:
    "were captured at the Ahuachapan bus station by army troops", "who was captured on 27
    January" are arrests by state forces, or abductions by anyone else (ACLED)."""
    capture = any(t.family == "capture" for m in mentions for t in m.triggers)
    if not capture or any(t.family in ("regain", "hold") for m in mentions for t in m.triggers):
        return sub
    if not any(a.inter == 7 for a in patients) or any(a.inter in (1, 2, 3, 4, 8)
                                                      for a in patients):
        return sub
    state = bool(agents) and agents[0].inter == 1
    return "Arrests" if state else "Abduction/forced disappearance"


# What a capture's object names when it is territory the text does not name: "recaptured
# two villages", "took control of several areas", "regained key oilfields".
_TERRITORY_OBJECT = re.compile(
    r"\s+(?:(?:full |complete |back )?control (?:of|over) )?(?:back )?(?:[\w'’-]+,? ){0,3}?"
    r"(?:villages?|towns?|cit(?:y|ies)|areas?|territor(?:y|ies)|districts?|neighbou?rhoods?|"
    r"hills?|hilltops?|oil ?fields?|regions?|settlements?|strongholds?)\b",
    re.IGNORECASE)


def _territory_taken(mentions: Sequence[Mention], text: str) -> bool:
    """Whether a capture's object is territory, though no named place changed hands:
    ACLED codes "Syrian government forces captured two villages in the country's
    northwest" as territory regained, at the region the text gives."""
    return any(t.family in ("capture", "regain") and _TERRITORY_OBJECT.match(text, t.end)
               for m in mentions for t in m.triggers)


def territory_rule(sub: str, taken: ControlChange | None) -> str:
    """ACLED: a non-state group overtakes territory only when it holds it for more than a
    day; a capture it did not keep (or only claims) is an armed clash."""
    if taken is not None and sub in (
        "Armed clash", "Attack", "Non-state actor overtakes territory"
    ):
        return "Non-state actor overtakes territory"
    if taken is None and sub == "Non-state actor overtakes territory":
        return "Armed clash"
    return sub


def _retaking(event: Event, taken: ControlChange, retaken: ControlChange,
              agents: Sequence[Actor], patients: Sequence[Actor], text: str) -> Event:
    """The second event of a place taken and retaken: the government regains it (or, for
    a non-state retaking, the group overtakes it again)."""
    from .notes import write_notes

    by_name = {a.name: a for a in list(agents) + list(patients)}
    winner = by_name.get(retaken.holder)
    inter1 = winner.inter if winner is not None else None
    sub = "Government regains territory" if inter1 in (1, 8) else \
        "Non-state actor overtakes territory"
    evidence = [e for e in event.evidence if e.field in ("event", "location")]
    evidence += [e for e in retaken.evidence if e.field in ("holder",)]
    evidence = [dataclasses.replace(e, field="actor1") if e.field == "holder" else e
                for e in evidence]
    actor2 = by_name.get(taken.holder)
    if actor2 is not None and actor2.start >= 0:
        evidence.append(_ev("actor2", text, actor2.start, actor2.end))
    date_ev = next((e for e in event.evidence if e.field == "date"), None)
    if date_ev is not None:
        evidence.append(date_ev)
    second = dataclasses.replace(
        event, event_id_cnty=event.event_id_cnty[:3] + str(
            (int(event.event_id_cnty[3:]) + 1) % 10**7),
        event_date=retaken.date, year=int(retaken.date[:4]) if retaken.date else None,
        time_precision=retaken.date_precision, sub_event_type=sub,
        event_type=event_type_of(sub), disorder_type=disorder_type_of(sub),
        actor1=retaken.holder, inter1=inter1, assoc_actor_1="",
        actor2=taken.holder, inter2=actor2.inter if actor2 else None, assoc_actor_2="",
        interaction=interaction(inter1, actor2.inter if actor2 else None),
        civilian_targeting="", fatalities=0, injured=0, captured=0, claimed_by="",
        evidence=tuple(evidence), confidence=round(event.confidence * 0.9, 3),
    )
    return dataclasses.replace(second, notes=write_notes(second))


def _demonstrators_first(sub: str, mentions: Sequence[Mention], agents: list[Actor],
                         patients: list[Actor], country: str | None):
    """ACLED codes demonstrations with the demonstrators as actor1 and whoever intervened
    as actor2. With no demonstrators named ("Thousands marched"), they are the country's
    protesters (rioters for riots), and the protest word is the evidence."""
    from ..actors import normalise_actor

    inter = 5 if event_type_of(sub) == "Riots" else 6
    everyone = agents + patients
    crowd = next((a for a in everyone if a.inter in (inter, 5, 6)), None)
    if crowd is None:
        named = normalise_actor("rioters" if inter == 5 else "protesters", country_code=country)
        trigger = next((t for m in mentions for t in m.triggers
                        if t.group == "demonstration"), mentions[0].trigger)
        if named is None:
            return (agents[0] if agents else None), (patients[0] if patients else None), \
                agents, patients
        crowd = Actor(named.name, named.inter, trigger.text, trigger.start, trigger.end, country)
    former = crowd.name
    if crowd.inter != inter and crowd.name.startswith(("Protesters (", "Rioters (")):
        # the same crowd, named as the event's type names it: protesters who built
        # roadblocks are rioters in a violent demonstration (ACLED), and the reverse
        renamed = normalise_actor("rioters" if inter == 5 else "protesters",
                                  country_code=crowd.country_code or country)
        if renamed is not None:
            crowd = dataclasses.replace(crowd, name=renamed.name, inter=renamed.inter)
    others = [a for a in everyone if a.name not in (crowd.name, former)]
    side2 = [a for a in others if a.inter in (1, 2, 3, 4, 8)]
    if not side2 and inter == 5:
        side2 = others  # rioters who attacked civilians ("a mob beat two traders")
    # In a protest, residents or students named beside the crowd are the crowd
    # ("about 55 Gainesville residents marched"): no one else intervened.
    return crowd, (side2[0] if side2 else None), [crowd], side2


def _victims(actor: Actor) -> bool:
    return actor.inter == 7


def _ev(field: str, text: str, start: int, end: int) -> Evidence:
    return Evidence(field=field, text=text[start:end], start=start, end=end)


def _event_id(iso3: str, article_id: str, number: int) -> str:
    """ISO3 and a number stable for the same article and event order."""
    digest = hashlib.sha1(f"{article_id}|{number}".encode()).hexdigest()
    return f"{iso3 or 'XXX'}{int(digest[:8], 16) % 10**7}"


def _confidence(mentions: Sequence[Mention], place: Place, actor1: Actor | None,
                date: DateMention | None, inherited: bool) -> float:
    type_conf = max(max(m.scores.values()) if m.scores else 0.0 for m in mentions)
    parts = [
        0.35 + 0.65 * type_conf,
        place.confidence if (place.geo_precision or 3) <= 2 else 0.5 * place.confidence,
        1.0 if actor1 is not None else 0.5,
        0.6 if date is None or inherited else 1.0,
        min(1.0, 0.7 + 0.15 * len(mentions)),
    ]
    product = 1.0
    for part in parts:
        product *= max(0.05, min(1.0, part))
    return round(product ** (1 / len(parts)), 3)
