"""The gazetteer's per-process caches of its index queries."""

from __future__ import annotations


def test_the_gazetteer_asks_its_index_once_per_name(gazetteer) -> None:
    # the exact and variant queries are kept per name, across article foci; a caller's
    # list is its own
    from rearguard.geo.normalize import name_key, variant_key

    first = gazetteer._exact("Mosul", name_key("Mosul"))
    first.clear()
    again = gazetteer._exact("Mosul", name_key("Mosul"))
    assert again and again == gazetteer._exact_query("Mosul", name_key("Mosul"), "")
    inside = gazetteer._exact("Mosul", name_key("Mosul"), "IQ")
    assert inside == gazetteer._exact_query("Mosul", name_key("Mosul"), "IQ")
    iq = frozenset({"IQ"})
    variants = gazetteer._variants("Mousul", variant_key("Mousul"), iq)
    assert variants == gazetteer._variants_query("Mousul", variant_key("Mousul"), iq)
    assert ("Mousul", iq) in gazetteer._variant_cache
    assert gazetteer.lookup_within("Mosul", "IQ") == tuple(inside)
