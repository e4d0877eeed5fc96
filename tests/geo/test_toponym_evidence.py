"""The toponym model's evidence on real sentences (rearguard/nlp/toponyms.py)."""

from __future__ import annotations

from rearguard.geo import find_toponyms


def _found(text: str, settings) -> list[str]:
    return [text[s:e] for s, e in find_toponyms(text, settings=settings)]


def test_the_before_a_minor_place_name_is_an_organisation(settings) -> None:
    """'the Red Cross' (a village's name in the gazetteer) is the organisation; the city in
    the same sentence stays a place. The context features are weighed apart by the size of
    the name's best reading (``feature|minor``), and 'the' says little before a country."""
    text = ("Displaced residents of the building in Richmond are staying with relatives, "
            "and the Red Cross is assisting them.")
    assert _found(text, settings) == ["Richmond"]
    assert "United States" in _found("Aid arrived in the United States on Monday.", settings)


def test_context_features_are_split_by_the_size_of_the_best_reading() -> None:
    from rearguard.nlp.toponyms import _context_by_size

    f = {"gaz_best=village": 1.0, "prev=det": 1.0, "next=noun": 1.0, "ntok=1": 1.0}
    _context_by_size(f)
    assert f["prev=det|minor"] == 1.0 and f["next=noun|minor"] == 1.0
    assert "ntok=1|minor" not in f
    g = {"gaz_best=country": 1.0, "prev=det": 1.0}
    _context_by_size(g)
    assert g["prev=det|major"] == 1.0
    h = {"gaz_unknown": 1.0, "prev=det": 1.0}
    _context_by_size(h)
    assert h == {"gaz_unknown": 1.0, "prev=det": 1.0}
