"""The events stage: a parsed, geocoded article -> its incidents -> its events.

Two steps, composed by :mod:`rearguard.pipeline` around the control stage (see
docs/events.md and docs/decisions.md):

1. :func:`find_incidents` turns each parsed sentence into mentions
   (:mod:`rearguard.events.mentions`): which triggers are reported facts, where (the
   locator, over the places the geo stage resolved), when (dates resolved against the
   publication date, attached to the trigger's clause), who (actors in their roles), how
   many (counts), who claims it; then groups the mentions of one incident
   (:func:`rearguard.events.merge.cluster_mentions`). It returns :class:`Incidents`.
2. :func:`rearguard.events.merge.build_events` codes one event per incident, given the
   control stage's records for each incident (they decide territorial sub-event types).

The sentence split the cascade screens lives in :mod:`rearguard.nlp.sentences`;
``split_sentences``, ``MAX_CHUNK`` and ``Chunk`` stay importable from here.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from spacy.tokens import Span

from ..actors import find_actors, is_generic
from ..nlp.counts import find_counts
from ..nlp.dates import find_dates
from ..nlp.sentences import MAX_CHUNK, split_sentences
from ..nlp.syntax import attached_to, clause_verb, earlier_clause, under
from ..types import (
    Actor,
    Article,
    Chunk,
    Count,
    DateMention,
    Focus,
    Incidents,
    Located,
    Parsed,
    Place,
)
from .classify import scores as classify_scores
from .locate import PlaceScore, event_places, score_places
from .mentions import (
    RESPONDER,
    ActorRole,
    Mention,
    actor_role,
    among_victims,
    attributed,
    find_claim,
    is_generic_plural,
    is_opinion,
    is_reported,
    not_a_side,
    possessive_only,
    since_anchor,
    token_at,
    year_only,
)
from .merge import cluster_mentions, cluster_place, main_place, placeable
from .objects import find_weapons, phrase_span, target_phrase, victim_span
from .triggers import Trigger, find_triggers

__all__ = ["MAX_CHUNK", "Chunk", "find_incidents", "sentence_mentions", "split_sentences",
           "trigger_token"]


# A dateline read with this confidence is where a report without a place of its own is.
DATELINE_CONFIDENCE = 0.5
FOCUS_SHARE = 0.25


class _Context:
    """What the sentences of one article share: the article, its places and dates."""

    def __init__(self, article: Article, places: Mapping[tuple[int, int], Place],
                 dates: list[DateMention], vague: dict[str, int] | None,
                 focus: Sequence[Focus] = (), dateline: Place | None = None):
        self.article = article
        self.text = article.text
        self.places = places
        # The countries the article is about, from evidence other than the small places
        # being judged: the countries it names, the countries the geo stage weighs at a
        # quarter of its focus or more (always its first), and where the report was filed.
        # A province or a nationality named in passing is not enough: "Chiapas canton" (a
        # Salvadoran canton) made Mexican namesakes of Salvadoran hamlets placeable, and
        # "a Canadian tourist" is not an event in Canada.
        self.focus = frozenset(
            [p.country_code for p in places.values()
             if p.resolved and p.country_code and (p.feature_code or "").startswith("PCL")]
            + [f.country_code for f in focus if f.weight >= FOCUS_SHARE or f is focus[0]]
            + ([dateline.country_code] if dateline is not None and dateline.resolved
               and dateline.country_code and dateline.confidence >= DATELINE_CONFIDENCE
               else []))
        self.dates = dates
        self.vague = vague
        countries = Counter(
            p.country_code for p in places.values() if p.resolved and p.country_code
        )
        self.country = countries.most_common(1)[0][0] if countries else None

    def usable(self, place: Place | None) -> bool:
        """Whether an event may be placed at ``place`` (:func:`placeable`)."""
        return placeable(place, self.focus)

    def anchor_before(self, offset: int) -> tuple[DateMention, bool] | None:
        """The last date mentioned before ``offset`` and whether it opens a period."""
        before = [d for d in self.dates if d.end <= offset]
        if not before:
            return None
        date = before[-1]
        sent_start = max(self.text.rfind(".", 0, date.start),
                         self.text.rfind("\n", 0, date.start)) + 1
        return date, since_anchor(self.text, date, sent_start)


def find_incidents(parsed: Parsed, located: Located, *,
                   vague: dict[str, int] | None = None) -> Incidents:
    """The mentions of a parsed article's sentences, grouped into incidents. ``located``
    is the geo stage's answer for ``parsed``; ``vague`` the table of vague number words
    (``rearguard.nlp.numbers.load_vague_table``)."""
    article = parsed.article
    dates = find_dates(article.text, article.published)
    ctx = _Context(article, located.places, dates, vague, located.focus, located.dateline)
    mentions: list[Mention] = []
    for chunk, doc, ents in zip(parsed.chunks, parsed.docs, located.toponyms, strict=True):
        for sent in doc.sents:
            mentions += sentence_mentions(sent, chunk.start, ents, ctx)
    clusters = cluster_mentions(mentions)
    filed = located.dateline
    if filed is not None and not (filed.resolved and filed.feature_class == "P"
                                  and filed.confidence >= DATELINE_CONFIDENCE):
        filed = None
    fallback = main_place(mentions) or filed
    return Incidents(
        article=article,
        clusters=tuple(tuple(cluster) for cluster in clusters),
        places=tuple(cluster_place(cluster) or fallback for cluster in clusters),
        fallback=fallback,
        actors=tuple(ar.actor for m in mentions for ar in m.actors),
        country=ctx.country,
        focus=ctx.focus,
    )


def sentence_mentions(sent, base: int, ents: Sequence, ctx: _Context) -> list[Mention]:
    """The mentions of one parsed sentence (``base``: its doc's offset in the article)."""
    text = ctx.text
    start, end = base + sent.start_char, base + sent.end_char
    sentence = text[start:end]
    if is_opinion(sentence):
        return []
    triggers = find_triggers(text, start, end)
    if not triggers:
        return []
    found = find_actors(text, start=start, end=end, country_code=ctx.country)
    triggers = [t for t in triggers if not _in_name(t, found)]
    if not triggers:
        return []
    reported, background, all_tokens = _reported(triggers, sent, base, ctx)
    actors = [a for a in found if not _inside(a.start, background)]
    counts = [c for c in find_counts(text, start=start, end=end, vague=ctx.vague)
              if not _inside(c.start, background)]
    strong = [pair for pair in reported if not pair[0].weak]
    if not strong and not (reported and (counts or _armed(actors))):
        return []
    sent_ents = [e for e in ents if e.start >= sent.start and e.end <= sent.end]
    placed = _trigger_places(reported, sent, base, sent_ents, ctx)
    mentions, owners = _group_by_place(reported, strong or reported, placed, start, end,
                                       classify_scores(sentence))
    here = [ctx.places.get((base + e.start_char, base + e.end_char)) for e in sent_ents]
    for mention in mentions:
        mention.sentence_places = [p for p in here if ctx.usable(p)]
        mention.sentence_text = sentence
    _assign_fields(mentions, owners, sent, base, actors, counts, ctx, all_tokens)
    mentions = _split_listed_places(mentions, base, sent_ents, ctx)
    # "Ten years ago, a gunman killed seven people": background ACLED cannot date
    return [m for m in mentions
            if not (year_only(sentence) and (m.date is None or m.date_inherited))]


def _listable(place: Place | None) -> bool:
    """A place a list may name one event at each of: a town, a province or a district
    ("bombardment targets Hama and Raqqa"), not a feature or a country (ACLED's events are
    in one)."""
    return place is not None and place.feature_class in ("P", "A") \
        and not (place.feature_code or "").startswith("PCL")


def _split_listed_places(mentions: list[Mention], base: int, sent_ents: Sequence,
                         ctx: _Context) -> list[Mention]:
    """ACLED codes one event per location: "fighting continues in Mejicanos, Ayutuxtepeque
    and Soyapango", "clashes in Ilobasco and Usulutan" are an event in each town (or
    province: "aerial bombardment targets Hama and Raqqa"). A
    mention placed at one of a list of towns gets a twin at each other town of the list
    (the same triggers and sides; the counts stay with the first, as the report does not
    say which town they belong to)."""
    out: list[Mention] = []
    taken = {m.place.geonameid for m in mentions if m.place is not None}
    for mention in mentions:
        out.append(mention)
        place = mention.place
        if place is None or not _listable(place):
            continue
        ent = next((e for e in sent_ents if base + e.start_char == place.start), None)
        if ent is None:
            continue
        for conj in ent.root.conjuncts:
            other = next((e for e in sent_ents if e.start <= conj.i < e.end), None)
            if other is None or other.start == ent.start:
                continue
            found = ctx.places.get((base + other.start_char, base + other.end_char))
            if (not ctx.usable(found) or found is None or not _listable(found)
                    or found.geonameid in taken):
                continue
            taken.add(found.geonameid)
            out.append(dataclasses.replace(
                mention, place=found, triggers=list(mention.triggers),
                actors=list(mention.actors), counts=[], tokens=dict(mention.tokens),
                victims=[], weapons=list(mention.weapons), targets=list(mention.targets)))
    return out


def _in_name(trigger: Trigger, actors: Sequence[Actor]) -> bool:
    """True when ``trigger`` is a word of a named actor's name before its last word: the
    "Liberation" of "Farabundo Marti National Liberation Front", "Liberation Tigers of
    Tamil Eelam" or "People's Liberation Army" names a group, not an incident. The name's
    last word stays a trigger ("U.S. drones", "a suicide bomber"), and so does a word of a
    category ("the suicide bomber": an unidentified attacker, not a name)."""
    return any(a.start <= trigger.start and trigger.end < a.end and not is_generic(a)
               for a in actors)


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in spans)


def _reported(triggers: Sequence[Trigger], sent, base: int, ctx: _Context):
    """The triggers reported as facts of this sentence's event, with their head tokens,
    the spans of clauses about an earlier incident ("a week after a truck bomb killed 79
    people": its counts and actors are not this event's), and the head token of every
    trigger."""
    start, end = base + sent.start_char, base + sent.end_char
    sent_dates = [d for d in ctx.dates if start <= d.start and d.end <= end]
    reported: list[tuple[Trigger, object]] = []
    background: list[tuple[int, int]] = []
    tokens = []  # the head token of every trigger, reported or not
    for trig in triggers:
        token = trigger_token(sent, trig, base)
        if token is not None:
            tokens.append(token)
        if token is None or not is_reported(token):
            continue
        if _earlier_clause(token, sent, base, sent_dates):
            clause = _clause_head(token)
            background.append((base + clause.left_edge.idx,
                               base + clause.right_edge.idx + len(clause.right_edge.text)))
            continue
        reported.append((trig, token))
    if len(reported) >= 2:
        # "arrested two suspects in this attack against U.S. soldiers": a demonstrative
        # refers back to an incident told before; its sides are not this sentence's event's
        reported = [(t, tok) for t, tok in reported if not _refers_back(tok)] or reported
    return reported, background, tokens


def _refers_back(token) -> bool:
    """A trigger noun under "this", "that", "these" or "those" ("this attack")."""
    return token.pos_ == "NOUN" and any(
        c.dep_ == "det" and c.lower_ in ("this", "that", "these", "those")
        for c in token.children)


def _trigger_places(reported, sent, base: int, sent_ents, ctx: _Context) -> dict:
    """trigger start -> its place (or None). The learned locator's choice; where the triggers
    hold different places of their own, each its own (the ranker learned one event a
    sentence); a trigger with no place attached shares the place of the trigger it hangs
    from ("... attacked Rutba, and held it ... until ISF forces managed to take it back",
    "took control of Tiyeglow ... hours after Ethiopian troops pulled out")."""
    scored = {trig.start: score_places(sent, token, sent_ents) for trig, token in reported}
    direct = {start: _direct_place(scores) for start, scores in scored.items()}
    several = len({(d.start, d.end) for d in direct.values() if d is not None}) >= 2
    placed = {trig.start: _place_for(sent, token, sent_ents, base, ctx, scored[trig.start],
                                     direct[trig.start] if several else None)
              for trig, token in reported}
    start_of = {token.i: trig.start for trig, token in reported}
    for trig, token in reported:
        if direct[trig.start] is not None:
            continue
        node = token
        for _ in range(6):
            if node.head.i == node.i:
                break
            node = node.head
            if node.i in start_of and placed[start_of[node.i]] is not None:
                placed[trig.start] = placed[start_of[node.i]]
                break
    return placed


def _group_by_place(reported, strong, placed: dict, start: int, end: int,
                    scores: dict[str, float]):
    """One mention per distinct place the triggers point at, in sentence order; a trigger
    with no place joins the sentence's first mention. Returns (mentions, owners), owners
    being (trigger, token, mention) for every trigger kept."""
    by_place: dict[object, Mention] = {}
    owners: list[tuple[Trigger, object, Mention]] = []
    for trig, token in reported:
        place = placed[trig.start]
        vague_place = place is None or (place.geo_precision or 3) == 3
        if is_generic_plural(token, trig.text) and vague_place:
            continue  # "launch devastating attacks across the country": no one incident
        key = place.geonameid if place is not None and place.geonameid else (
            (place.start, place.end) if place is not None else None)
        if key is None and by_place:
            mention = next(iter(by_place.values()))
            mention.triggers.append(trig)
        elif key in by_place:
            mention = by_place[key]
            mention.triggers.append(trig)
        else:
            if (trig, token) not in strong and key is not None and by_place:
                continue  # a weak word ("dead") does not open an event elsewhere
            mention = Mention(start, end, trig, [trig], scores, place=place)
            by_place[key] = mention
        owners.append((trig, token, mention))
        mention.tokens[trig.start] = token
    # A mention whose first trigger was weak takes the first strong trigger as its head.
    for mention in by_place.values():
        firm = [t for t in mention.triggers if not t.weak]
        if firm:
            mention.trigger = firm[0]
    return list(by_place.values()), owners


def _clause_head(token):
    """The verb of the clause a trigger sits in (the trigger itself when it is a verb)."""
    return clause_verb(token) or token


def _earlier_clause(token, sent, base: int, dates) -> bool:
    """A trigger in a time clause that sets it before the sentence's event ("a year after
    the insurgents seized it", "a week after a truck bomb killed 79 people") and carries no
    date of its own ("When Shirqat was recaptured by ISF in September" does)."""
    clause = _clause_head(token)
    if not (earlier_clause(clause) or earlier_clause(token)):
        return False
    for date in dates:
        date_token = token_at(sent, date.start, base)
        if date_token is not None and (attached_to(date_token, token)
                                       or attached_to(date_token, clause)):
            return False
    return True


def trigger_token(sent, trig: Trigger, base: int):
    """The syntactic head of a trigger phrase: "strikes" in "air strikes", "took" in "took
    control"."""
    first = token_at(sent, trig.start, base)
    last = token_at(sent, trig.end - 1, base)
    if first is None or last is None or first.i == last.i:
        return first or last
    inside = range(first.i, last.i + 1)
    for token in (last, first):
        if token.head.i not in inside or token.head.i == token.i:
            return token
    return first


def _armed(actors: Sequence[Actor]) -> bool:
    return any(a.inter in (1, 2, 3, 4, 8) for a in actors)


# "the Mosul frontlines" names a front, not where this happened
_FRONT_NAME = re.compile(r"(?:['’]s)?\s*front[- ]?lines?\b|\s+front\b", re.I)


def _far_modifier(score) -> bool:
    """A place the rules read as a modifier far from the trigger ("supply trucks destined
    for Shia militias near the Mosul frontlines")."""
    return score is not None and score.score == 0 and score.cue == "modifier" \
        and score.distance >= 4


def _direct_place(scored: Sequence[PlaceScore]) -> Span | None:
    """The toponym the rules see attached right to this trigger ("the assault on Kirkuk",
    "attacked Rutba"), if any (``scored``: the rules' scores for the trigger)."""
    direct = [p for p in scored
              if p.score > 0 and p.cue in ("prep", "arg", "poss") and 0 <= p.distance <= 1]
    return max(direct, key=lambda p: p.score).span if direct else None


def _place_for(sent, token, ents, base: int, ctx: _Context, scored,
               direct=None) -> Place | None:
    """The trigger's place: the learned ranker's choice, less far modifiers and named
    front lines; but in a sentence whose triggers each hold their own place ("Following
    the assault on Kirkuk, Daesh attacked Rutba"), the place attached to this trigger (the
    ranker was trained on one event a sentence)."""
    if direct is not None:
        chosen = [direct]
    else:
        rules = {(p.span.start, p.span.end): p for p in scored}
        chosen = [e for e in event_places(sent, token, ents)
                  if not _far_modifier(rules.get((e.start, e.end)))
                  and not _FRONT_NAME.match(ctx.text, base + e.end_char)]
    found = [p for p in (ctx.places.get((base + ent.start_char, base + ent.end_char))
                         for ent in chosen) if p is not None and p.resolved]
    if not found and chosen:
        found = _resolved_container(chosen[0], ents, base, ctx)
    # of the places the ranker attaches, one in the countries the article is about first:
    # "in Chiapas canton and Tepeyac hamlet, Chalatenango department" in a Salvadoran
    # report is Chalatenango's, not Mexico's Chiapas
    home = [p for p in found if not ctx.focus or p.country_code in ctx.focus]
    ranked = home or found
    return ranked[0] if ranked else None


# Words that may stand between a place and the larger place a text locates it in: "Ipi
# village in Mir Ali tehsil of North Waziristan tribal district", "Tepeyac hamlet,
# Chalatenango department".
_CHAIN_WORDS = frozenset("in of , the village town hamlet canton tehsil district county "
                         "province region department state governorate municipality "
                         "area sub-district subdistrict".split())


def _resolved_container(place: Span, ents, base: int, ctx: _Context) -> list[Place]:
    """For an event place the gazetteer does not know (a village of the built-in index),
    the next toponym of the sentence that the text locates it in, when that one is known:
    the event is placed at the larger place (its own precision says how large)."""
    for ent in ents:
        if ent.start < place.end:
            continue
        between = place.doc[place.end:ent.start]
        words = {t.lower_ for t in between}
        if len(between) > 8 or not {"in", "of", ","} & words or any(
                t.lower_ not in _CHAIN_WORDS and not t.is_title for t in between):
            return []
        found = ctx.places.get((base + ent.start_char, base + ent.end_char))
        if found is not None and found.resolved:
            return [found]
    return []


def _owner(offset: int, owners: list[tuple[Trigger, object, Mention]]) -> Mention:
    """The mention whose trigger is nearest to ``offset``."""
    return min(owners, key=lambda o: abs(o[0].start - offset))[2]


def _assign_fields(mentions: list[Mention], owners, sent, base: int, actors: Sequence[Actor],
                   counts, ctx: _Context, all_tokens: Sequence = ()) -> None:
    if not mentions:
        return
    for count in counts:
        _owner(count.start, owners).counts.append(count)
    placed: list[tuple[Actor, str, Mention, bool, int]] = []
    trigger_ids = frozenset(t.i for t in all_tokens) | frozenset(o[1].i for o in owners)
    unreported = frozenset(t.i for t in all_tokens) - frozenset(o[1].i for o in owners)
    responders: list[ActorRole] = []
    mention_of: dict[int, Mention] = {}
    by_root: dict[int, int] = {}  # the root token of each placed actor's phrase -> its index
    for actor in actors:
        actor_token = token_at(sent, actor.start, base) or token_at(sent, actor.end - 1, base)
        if actor_token is not None and _speaker(actor_token) and not _speaks_for_itself(
                actor, actor_token):
            continue  # "police said": the source of the report, not a side in it
        root = _phrase_root(sent, actor, base)
        if root is not None and possessive_only(root, trigger_ids):
            continue  # "Daesh's grip": an owner, not a side
        first = _conjunct_of(root, by_root)
        if first is not None and actor.inter != 7:
            # "Taliban gunmen and suicide bombers attacked": conjuncts share a side
            _, role, mention, head, start = placed[first]
            placed.append((actor, role, mention, head, start))
            continue
        owner = _actor_owner(actor, actor_token, owners, unreported, base)
        if owner is None:
            continue  # a side of an incident this sentence only mentions
        trig, token, mention = owner
        if root is not None and not_a_side(root, token, trigger_ids):
            # "police were searching for the man behind the blast": no side
            responders.append(ActorRole(actor, RESPONDER, head=False, trigger_start=trig.start))
            mention_of[id(responders[-1])] = mention
            continue
        role = "agent"
        if actor_token is not None:
            role = actor_role(actor_token, token, actor.start, trig.start, trig.family)
        if root is not None and actor.inter != 7 and attributed(root):
            role = "agent"  # "believed to have been carried out by ETA"
        elif root is not None and among_victims(root):
            role = "patient"  # "casualties among both soldiers and civilians"
        if actor.inter == 7:
            role = "patient"  # civilians are acted upon
        if root is not None:
            by_root[root.i] = len(placed)
        placed.append((actor, role, mention, trig is mention.trigger, trig.start))
    # "Daesh ... the militants": generic armed words on the side of a named group are it
    named_roles = {(id(m), role) for a, role, m, _, _ in placed
                   if not _generic_armed(a) and a.inter in (2, 3, 4)}
    for actor, role, mention, head, start in placed:
        if _generic_armed(actor) and (id(mention), role) in named_roles:
            continue
        mention.actors.append(ActorRole(actor, role, head=head, trigger_start=start))
    for responder in responders:
        mention_of[id(responder)].actors.append(responder)
    for count in counts:
        _people_counted(count, _owner(count.start, owners), actors, ctx)
    _country_agents(owners, base, actors, ctx)
    for mention in mentions:
        if mention.families & STATE_ACTIONS and not any(
                ar.role == "agent" and ar.actor.inter == 1 for ar in mention.actors):
            state = _government(ctx.text, base + sent.start_char, base + sent.end_char,
                                police=mention.families <= {"arrest"})
            if state is not None:
                mention.actors.insert(0, ActorRole(state, "agent"))
    for span in find_weapons(ctx.text, base + sent.start_char, base + sent.end_char):
        _owner(span[0], owners).weapons.append(span)
    for trig, token, mention in owners:
        noun = target_phrase(token)
        if noun is not None:
            start, end = phrase_span(noun, sent)
            mention.targets.append((base + start, base + end))
        if trig.group == "violence":
            person = victim_span(token)
            if person is not None:
                _add_victim(mention, trig, base + person[0], base + person[1], ctx)
    claim = find_claim(ctx.text, base + sent.start_char, base + sent.end_char, actors)
    if claim is not None:
        for mention in mentions:
            mention.claimed_by, mention.claim_start, mention.claim_end = claim
            mention.claim_text = ctx.text[claim[1] : claim[2]]
    sent_dates = [d for d in ctx.dates if d.start >= base + sent.start_char
                  and d.end <= base + sent.end_char]
    for mention in mentions:
        mention.date = _own_date(mention, sent_dates, owners, sent, base, all_tokens,
                                 single=len(mentions) == 1)
        if mention.date is None:
            anchor = ctx.anchor_before(mention.sent_start)
            if anchor is not None:
                date, opens = anchor
                if opens and date.precision == 1:
                    date = DateMention(date.start, date.end, date.text, date.date, 2)
                mention.date, mention.date_inherited = date, True


def _own_date(mention: Mention, dates: Sequence[DateMention], owners, sent, base: int,
              others: Sequence, single: bool):
    """The date of the mention's clause; in a one-event sentence, also a date that hangs
    from no other trigger and from no verb of saying ("Police fired on protesters on
    Sunday", but not "the army said on Tuesday" nor "liberated in September")."""
    mine = [o[1] for o in owners if o[2] is mention]
    tokens = {(d, token_at(sent, d.start, base)) for d in dates}
    for date, date_token in sorted(tokens, key=lambda x: x[0].start):
        if date_token is not None and any(attached_to(date_token, t) for t in mine):
            return date
    if not single:
        return None
    mine_ids = {t.i for t in mine}
    for date, date_token in sorted(tokens, key=lambda x: x[0].start):
        if date_token is None or _said(date_token):
            continue
        if any(attached_to(date_token, t) for t in others if t.i not in mine_ids):
            continue
        verb = clause_verb(date_token)
        # The date's clause must hold the trigger: "a town that was supposed to have been
        # liberated in September" dates the town's liberation, not the attack.
        if verb is not None and not any(under(t, verb) for t in mine):
            continue
        return date
    return None


def _said(token) -> bool:
    verb = clause_verb(token)
    return verb is not None and verb.lower_ in SAY_VERBS


def _country_agents(owners, base: int, actors: Sequence[Actor], ctx: _Context) -> None:
    """A country that is the subject of an event verb acted through its forces: "Turkey
    fired on Qamishli", "Israel bombed Gaza" (its police for an arrest); also the agent of
    a passive ("shelled by Turkey")."""
    from ..actors import normalise_actor

    taken = [(a.start, a.end) for a in actors]
    for trig, token, mention in owners:
        if token.pos_ not in ("VERB", "AUX"):
            continue
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        subjects += [g for c in token.children if c.dep_ == "agent"
                     for g in c.children if g.dep_ == "pobj"]
        for subject in subjects:
            if subject.ent_type_ != "GPE":
                continue
            words = [t for t in subject.subtree if t.ent_type_ == "GPE" and t.dep_ != "det"]
            if not words:
                continue
            start = base + words[0].idx
            end = base + words[-1].idx + len(words[-1].text)
            if any(a < end and start < b for a, b in taken):
                continue
            name = ctx.text[start:end]
            force = "police" if mention.families <= {"arrest"} else "army"
            state = normalise_actor(f"{name} {force}", country_code=ctx.country)
            if state is None or state.inter not in (1, 8) or not state.country_code:
                continue
            mention.actors.insert(0, ActorRole(
                Actor(state.name, state.inter, name, start, end, state.country_code), "agent",
                head=trig is mention.trigger, trigger_start=trig.start))


# Things only a state does: an offensive, an air strike, arrests, regaining a town.
STATE_ACTIONS = frozenset({"offensive", "air", "regain", "arrest"})
_GOVERNMENT = re.compile(r"\b([A-Z][a-z]+) (?:government|authorities|military|regime)\b")


def _government(text: str, start: int, end: int, police: bool = False) -> Actor | None:
    """"the Iraqi government launched its offensive": the state's forces act for it (its
    police when the act is an arrest: "Georgian authorities arrested"). Only a country
    names a state: "The authorities reported" names none."""
    from ..actors import normalise_actor

    for match in _GOVERNMENT.finditer(text, start, end):
        actor = normalise_actor(f"{match.group(1)} {'police' if police else 'army'}")
        if actor is not None and actor.inter == 1 and actor.country_code:
            return Actor(actor.name, actor.inter, text[match.start():match.end()],
                         match.start(), match.end(), actor.country_code)
    return None


def _phrase_root(sent, actor: Actor, base: int):
    """The token of an actor's phrase whose head lies outside it ("bombers" in "suicide
    bombers"); None when the phrase covers no token."""
    tokens = [t for t in sent if actor.start <= base + t.idx < actor.end]
    for token in tokens:
        if not (actor.start <= base + token.head.idx < actor.end) or token.head.i == token.i:
            return token
    return tokens[-1] if tokens else None


def _conjunct_of(root, by_root: dict[int, int]) -> int | None:
    """The index of the actor ``root`` is coordinated with ("X and Y": Y's head is X)."""
    node = root
    while node is not None and node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
        if node.i in by_root:
            return by_root[node.i]
    return None


def _actor_owner(actor: Actor, actor_token, owners, unreported: frozenset[int] = frozenset(),
                 base: int = 0):
    """The trigger an actor belongs to: the first trigger among its syntactic ancestors,
    else the nearest one in the text; never a trigger word inside the actor's own words
    ("suicide bombers") while a trigger outside them governs them. None when the first
    trigger among its ancestors is one that names no incident of this sentence
    (``unreported``: "a militant group responsible for a string of attacks targeting
    Egyptian security forces condemned the bombing")."""
    inside = [o for o in owners if actor.start <= o[0].start < actor.end]
    outside = [o for o in owners if not actor.start <= o[0].start < actor.end]
    owners = outside or owners
    if actor_token is not None:
        # "ISF forces managed to take it back": the subject of "managed" takes it back
        root = actor_token
        span_end = actor_token.idx + len(actor.text)
        while root.head.i != root.i and actor_token.idx <= root.head.idx < span_end:
            root = root.head
        for child in root.head.children:
            if child.dep_ == "xcomp":
                for owner in owners:
                    if owner[1].i == child.i:
                        return owner
        node = actor_token
        for _ in range(8):
            for owner in owners:
                if owner[1].i == node.i:
                    return owner
            if node.i in unreported and not actor.start <= base + node.idx < actor.end:
                return None
            if node.head.i == node.i:
                break
            node = node.head
        if inside and outside:
            # "Russian airstrikes target Aleppo, clashes continue in Hama": no trigger
            # outside the actor's words governs it, so its own word is its incident
            return inside[0]
    return min(owners, key=lambda o: abs(o[0].start - actor.start))


# The words of a count that name people and nobody's forces: "killing at least 13 people".
PEOPLE_NOUNS = frozenset(
    "people persons civilians bystanders passers-by passersby pedestrians".split()
)
# Words of fighting, whose dead may be fighters as well as civilians ("clashes killed 20
# people").
_FIGHTING = re.compile(r"clash|fight|fought|battl|skirmish|firefight|gunfight|shoot-?out|"
                       r"combat|exchange", re.I)


def _people_counted(count: Count, mention: Mention, actors: Sequence[Actor],
                    ctx: _Context) -> None:
    """People killed or wounded by a bomb, a shooting or an air strike, with no other word
    for them ("a car bomb exploded near a crowded market ..., killing as many as 20
    people"), are the civilians it was aimed at, as ACLED codes them."""
    if count.kind not in ("killed", "injured") or any(
            _FIGHTING.match(t.text) for t in mention.triggers):
        return
    words = count.text.lower().split()
    if not words or words[-1] not in PEOPLE_NOUNS:
        return
    if any(a.start < count.end and count.start < a.end for a in actors):
        return  # "13 civilians" is an actor of its own
    if any(ar.role == "patient" and ar.actor.inter in (1, 2, 3, 4, 7, 8)
           for ar in mention.actors):
        return  # the dead are named, or may be the fighters acted on
    from ..actors import normalise_actor

    country = (mention.place.country_code if mention.place else None) or ctx.country
    civilians = normalise_actor("civilians", country_code=country)
    if civilians is not None:
        mention.actors.append(ActorRole(
            Actor(civilians.name, civilians.inter, count.text, count.start, count.end,
                  country), "patient", head=False))


KILL_WORDS = frozenset(
    "killed killing kill kills murdered murder assassinated assassination executed beheaded "
    "slain".split()
) | {"shot dead", "gunned down"}


def _add_victim(mention: Mention, trig: Trigger, start: int, end: int, ctx: _Context) -> None:
    """A named person attacked: victim evidence; killed, they count one fatality, and with
    no other side named they are civilians, as ACLED codes named individuals."""
    from ..actors import normalise_actor

    text = ctx.text[start:end]
    mention.victims.append((start, end))
    if trig.text.lower() in KILL_WORDS and not any(c.kind == "killed" for c in mention.counts):
        mention.counts.append(Count("killed", 1, start, end, text))
    if not any(ar.role == "patient" for ar in mention.actors):
        country = (mention.place.country_code if mention.place else None) or ctx.country
        civilians = normalise_actor("civilians", country_code=country)
        if civilians is not None:
            mention.actors.append(ActorRole(
                Actor(civilians.name, civilians.inter, text, start, end, country), "patient"))


SAY_VERBS = frozenset(
    "say said says tell told report reported reports announce announced confirm confirmed "
    "add added state stated claim claimed deny denied accuse accused quote quoted "
    "investigate investigates investigated investigating probe probed probes probing "
    "search searched find found learn learned learnt seek sought believe believed suspect "
    "suspected wrote write identify identified inspect inspected".split()
)


def _speaks_for_itself(actor: Actor, token) -> bool:
    """"The Houthi movement said it launched drone attacks": an armed group reporting its
    own act is its author."""
    if actor.inter not in (1, 2, 3, 4, 8):
        return False
    node = token
    while node.dep_ != "nsubj" and node.head.i != node.i:
        node = node.head
    verb = node.head
    return any(child.dep_ == "ccomp" and any(
        grand.dep_ == "nsubj" and grand.lower_ in ("it", "they", "we")
        for grand in child.children) for child in verb.children)


def _speaker(token) -> bool:
    """True for the subject of a verb of saying ("police said", "the army said") and the
    source a report cites ("shot a man near Grand Avenue, according to police")."""
    node = token
    for _ in range(3):
        if node.dep_ == "pobj" and node.head.lower_ == "to" \
                and node.head.head.lower_ == "according":
            return True
        if node.dep_ == "nsubj" and node.head.lower_ in SAY_VERBS and node.head.lower_ not in (
                "claim", "claimed"):
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _generic_armed(actor: Actor) -> bool:
    return actor.name.startswith("Unidentified Armed Group")
