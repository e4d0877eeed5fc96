"""The geo stage: find the toponyms of a text and resolve them to places.

``geocode_text`` finds toponyms itself (spaCy with rearguard's rulers); ``geocode_spans``
resolves exactly the spans it is given (for scoring against gold mentions), returning one
place per span, with null coordinates where it cannot resolve one.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import InputError
from ..settings import Settings, load_settings
from ..types import Geocoded, Place
from .build import build_gazetteer, open_gazetteer
from .gazetteer import Gazetteer
from .resolve import Resolver, geo_precision

__all__ = [
    "Gazetteer",
    "build_gazetteer",
    "find_toponyms",
    "geo_precision",
    "geocode_article",
    "geocode_spans",
    "geocode_text",
    "open_gazetteer",
    "toponym_ents",
]

TOPONYM_LABELS = ("GPE", "LOC")


def _resolver(settings: Settings) -> Resolver:
    return Resolver(
        open_gazetteer(settings),
        fuzzy=settings.fuzzy_names,
        max_candidates=settings.max_candidates,
    )


def _check_spans(text: str, spans: Sequence[tuple[int, int]], where: str) -> None:
    for start, end in spans:
        if not (0 <= start < end <= len(text)):
            raise InputError("E107", where=where, start=start, end=end, length=len(text))


def _finish(places: list[Place], settings: Settings) -> list[Place]:
    if settings.min_confidence <= 0:
        return places
    return [
        p if p.confidence >= settings.min_confidence
        else Place(start=p.start, end=p.end, text=p.text)
        for p in places
    ]


def geocode_spans(
    text: str,
    spans: Sequence[tuple[int, int]],
    *,
    settings: Settings | None = None,
    where: str = "input",
    source: str | None = None,
) -> list[Place]:
    """Resolve exactly these spans of ``text``: one :class:`Place` per span, in order.

    ``source`` is the publisher (a name such as "SOHR" or a URL), a hint to the article's
    focus."""
    return list(geocode_article(text, spans, settings=settings, source=source,
                                where=where).places)


def find_toponyms(text: str, *, settings: Settings | None = None) -> list[tuple[int, int]]:
    """Character spans of the toponyms (and, if enabled, demonyms) that the NLP finds."""
    from ..nlp.pipeline import load_pipeline

    settings = settings or load_settings()
    gazetteer = open_gazetteer(settings)
    nlp = load_pipeline(settings.spacy_model, str(gazetteer.path))
    return [(ent.start_char, ent.end_char)
            for ent in toponym_ents(nlp(text), gazetteer, demonyms=settings.demonyms)]


def toponym_ents(doc, gazetteer: Gazetteer | None, *, demonyms: bool = True) -> list:
    """The spans of a parsed spaCy ``doc`` that are toponyms: every candidate (the NER's
    GPE, LOC and FAC entities, the gazetteer ruler's runs, demonyms and person or
    organisation names the gazetteer knows, place names inside longer names) that the
    toponym model finds enough evidence for (``rearguard.nlp.toponyms``). Without a
    gazetteer: the GPE and LOC entities."""
    if gazetteer is None:
        return [ent for ent in doc.ents if ent.label_ in TOPONYM_LABELS]
    from ..nlp.toponyms import select

    return select(doc, gazetteer, demonyms=demonyms)


def geocode_article(
    text: str,
    spans: Sequence[tuple[int, int]] | None = None,
    *,
    settings: Settings | None = None,
    source: str | None = None,
    where: str = "input",
) -> Geocoded:
    """The places of a text (its own toponyms, or exactly ``spans``) and its focus: the
    countries it is about, with weights (dateline, publisher's home, the countries and
    provinces it names, the places it resolves)."""
    settings = settings or load_settings()
    if spans is None:
        spans = find_toponyms(text, settings=settings)
    _check_spans(text, spans, where)
    found = _resolver(settings).resolve_article(text, spans, source=source)
    return Geocoded(places=tuple(_finish(list(found.places), settings)), focus=found.focus,
                    relative=tuple(_finish(list(found.relative), settings)))


def geocode_text(
    text: str, *, settings: Settings | None = None, source: str | None = None
) -> list[Place]:
    """Find and resolve the toponyms of a text (``source``: see :func:`geocode_spans`)."""
    return list(geocode_article(text, settings=settings, source=source).places)
