"""Reading news from where it lives: text files, folders, HTML pages, JSON Lines, RSS and
Atom feeds (files or http(s) URLs), as :class:`~rearguard.types.Article` records.

    from rearguard.ingest import read_sources
    for item in read_sources(["a.txt", "folder/", "feed.xml"]):
        ...  # an Article, or an InputError for a bad source or line

See docs/ingest.md for what each source yields and the errors.
"""

from .sources import Source, read_sources

__all__ = ["Source", "read_sources"]
