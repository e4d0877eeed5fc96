"""HTML pages: the main text without boilerplate, and title, date, url and site name from
the page's metadata (trafilatura)."""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..io import clean_text, normalise_text, parse_date
from ..types import Article

# A page's main text must hold at least one line this long in words; trafilatura falls
# back to whatever text a page has, which on a page without an article is its menus.
MIN_WORDS = 8


def _one_line(text: str) -> str:
    return " ".join(normalise_text(str(text)).split())


def article_from_html(
    data: bytes, name: str, *, published: str | None = None, url: str | None = None
) -> Article:
    """The article on an HTML page (``data`` as read). ``name`` is the file or URL for
    errors; ``published`` and ``url`` are used when the page's metadata has none."""
    import trafilatura

    from ..pipeline import content_id

    if b"\x00" in data[:8192]:
        raise InputError("E121", path=name, detail="binary data, not text")
    if b"<" not in data:
        raise InputError("E121", path=name, detail="no HTML tags")
    tree = trafilatura.load_html(data)
    if tree is None:
        raise InputError("E121", path=name, detail="the markup cannot be parsed")
    try:
        doc: Any = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False,
            include_tables=True, include_images=False, include_links=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # trafilatura has no error type of its own
        raise InputError("E121", path=name, detail=_one_line(str(e)) or type(e).__name__) from e
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not any(len(line.split()) >= MIN_WORDS for line in lines):
        raise InputError("E122", path=name)
    text, cut = clean_text("\n".join(lines), name)
    date = None
    if doc.date:
        try:
            date = parse_date(str(doc.date), name)
        except InputError:
            date = None
    return Article(
        id=content_id(text), text=text, published=date or published,
        title=_one_line(doc.title) if doc.title else None,
        url=normalise_text(doc.url or url or "") or None,
        source=_one_line(doc.sitename) if doc.sitename else None,
        flags="truncated" if cut else None,
    )
