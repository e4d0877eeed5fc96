"""The nlp stage: an article -> the pieces worth parsing and their spaCy docs.

With a screen (the cascade, see docs/events.md), the article is split into sentences
cheaply (:mod:`rearguard.nlp.sentences`) and only the sentences the screen keeps are
parsed; most sentences of most articles hold no event. Without one, the whole text is
parsed as one piece. The screen is given by the composer (``rearguard.pipeline`` passes
the events stage's trigger test), so this stage knows nothing of events.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
    return parse_articles(nlp, [article], keep=keep)[0]


def parse_articles(nlp: Language, articles: Sequence[Article], *,
                   keep: Callable[[str], bool] | None = None) -> list[Parsed]:
    """:func:`parse_article` of each of ``articles``, their pieces parsed together in one
    ``nlp.pipe`` call.

    A few sentences per article is a small batch for the model: over a batch of 8
    articles' sentences spaCy spends about a sixth less time per sentence (its network
    multiplies larger matrices, its components are called once per batch), and over 32
    articles (:data:`rearguard.parallel.BATCH`) about a fifth less than over 8 (the parser
    steps through all the batch's sentences at once; the model's own batch,
    ``nlp.batch_size``, is 256 sentences, more than 32 articles keep). A piece's doc
    does not depend on the other pieces of its batch (each doc is annotated on its own;
    the network's rows do not mix), so the docs are those of one article at a time."""
    chunks = [chunks_of(article.text, keep) for article in articles]
    docs = iter(nlp.pipe(article.text[c.start : c.end]
                         for article, pieces in zip(articles, chunks, strict=True)
                         for c in pieces))
    return [Parsed(article=article, chunks=tuple(pieces),
                   docs=tuple(next(docs) for _ in pieces))
            for article, pieces in zip(articles, chunks, strict=True)]
