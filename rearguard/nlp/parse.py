"""The nlp stage: an article -> the pieces worth parsing and their spaCy docs.

With a screen (the cascade, see docs/events.md), the article is split into sentences
cheaply (:mod:`rearguard.nlp.sentences`) and only the sentences the screen keeps are
parsed; most sentences of most articles hold no event. Without one, the whole text is
parsed as one piece. The screen is given by the composer (``rearguard.pipeline`` passes
the events stage's trigger test), so this stage knows nothing of events.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language

from ..types import Article, Chunk, Parsed
from .sentences import split_sentences


def chunks_of(text: str, keep: Callable[[str], bool] | None) -> list[Chunk]:
    """The pieces of ``text`` to parse: the sentences ``keep`` accepts, or (``keep`` None)
    the whole text."""
    if keep is None:
        return [Chunk(0, len(text))]
    return [c for c in split_sentences(text) if keep(text[c.start : c.end])]


def parse_article(nlp: Language, article: Article, *,
                  keep: Callable[[str], bool] | None = None) -> Parsed:
    """Parse the pieces of ``article`` that ``keep`` accepts (all of it when None) in one
    ``nlp.pipe`` batch."""
    chunks = chunks_of(article.text, keep)
    docs = tuple(nlp.pipe(article.text[c.start : c.end] for c in chunks))
    return Parsed(article=article, chunks=tuple(chunks), docs=docs)
