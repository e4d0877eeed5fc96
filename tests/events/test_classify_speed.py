"""The cue matcher's shortcut (``Featurizer.cue_names`` tries an expression only where a
word starts with one of the strings every match of it starts with): the same cues as a
search of each expression over the whole text, and the strings read off the expressions
right. The sentences are made up for these tests."""

from __future__ import annotations

import re

import pytest

from rearguard.events import classify as c


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\b(chlorine|sarin|vx\b)", {"chl", "sar", "vx"}),
    (r"\b(chemical (weapons?|attacks?)|nerve (gas|agents?))", {"che", "ner"}),
    (r"\b(ab|a)c", {"abc", "ac"}),  # a short alternative is continued by what follows
    (r"\bland ?mines?", {"lan"}),
    (r"\b(?:re|un)captur\w*", {"rec", "unc"}),
    (r"\b(?<!not )killed", {"kil"}),  # a look-behind holds no character
])
def test_word_start_prefixes_are_read_off_the_expression(pattern, expected):
    assert c.word_start_prefixes(pattern) == frozenset(expected)


@pytest.mark.parametrize("pattern", [
    r"chlorine",  # no \b: a match may start inside a word
    r"\b(\w+ ){0,3}killed",  # a repeat first: any word
    r"\b(killed|)",  # an empty alternative
    r"\b(-?rocket)",  # an optional first character
    r"\b(?:re)?captured",  # an optional first group
    r"(?i)\bsarin",  # case-insensitive: the lower-cased text is not what it reads
    r"(?a)\bsarin",  # ASCII \b: a boundary after "é", where no Unicode word starts
    r"\b[ab]ttack",  # a class first
    r"\b-armed",  # not a word character after \b
])
def test_word_start_prefixes_give_none_where_they_cannot_be_read(pattern):
    assert c.word_start_prefixes(pattern) is None


SENTENCES = [
    "Government warplanes struck the market, and a suicide bomber blew himself up.",
    "Police fired tear gas at protesters who had set tyres ablaze; 12 were arrested.",
    "The rebels recaptured the town after an improvised explosive device killed two.",
    "A chlorine attack left dozens suffocating, the OPCW said.",
    "Troops seized weapons and ammunition in a raid on the rebels' depot.",
    "Rebels ambushed the convoy; nerve agents were not used.",
    "Vx and sarin: no chemical weapons were found.",
    "",
]


@pytest.fixture(scope="module")
def featurizer():
    return c.Featurizer(c.load_cues())


def _searched(featurizer, norm, only=None):
    regexes = featurizer._regexes
    return [name for name, patterns in featurizer._compiled
            if (only is None or name in only)
            and all(regexes[i].search(norm) is not None for i in patterns)]


def test_nearly_every_shipped_cue_expression_is_anchored(featurizer):
    # the shortcut covers (nearly) the whole lexicon; a new cue that cannot use it still
    # works, searched at every position (slower)
    assert len(featurizer._anchored) >= 0.9 * len(featurizer._regexes)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_cue_names_are_those_of_a_search_over_the_whole_text(featurizer, sentence):
    norm = c.normalise(sentence)
    expected = _searched(featurizer, norm)
    assert featurizer.cue_names(norm) == expected
    some = set(expected[::2])
    assert featurizer.cue_names(norm, some) == _searched(featurizer, norm, some)


def test_cue_names_fire_on_real_words():
    # the shortcut must still find a match in mid-sentence and one at the text's start
    cues = c.parse_cues("chem\tChemical weapon\t\\b(chlorine|sarin)\n"
                        "both\t-\t\\bchlorine && \\bsuffocat\\w*\n")
    featurizer = c.Featurizer(cues)
    assert featurizer.cue_names("a chlorine attack") == ["c:chem"]
    assert featurizer.cue_names("sarin was used") == ["c:chem"]
    assert featurizer.cue_names("chlorine and people suffocating") == ["c:chem", "c:both"]
    assert featurizer.cue_names("dichlorine") == []  # no word starts there
    assert featurizer.cue_names("the chlorines") == ["c:chem"]  # no \\b after: as the search
    assert featurizer.cue_names("the chlorinated water") == []


def test_an_ascii_cue_still_fires_after_a_non_ascii_letter():
    cues = c.parse_cues("a\t-\t(?a)\\bsarin\n")
    featurizer = c.Featurizer(cues)
    assert re.search(r"(?a)\bsarin", "ésarin")
    assert featurizer.cue_names("ésarin") == ["c:a"]


def test_an_unanchored_cue_is_still_searched():
    cues = c.parse_cues("mid\t-\tlorine\n")
    featurizer = c.Featurizer(cues)
    assert not featurizer._anchored
    assert featurizer.cue_names("a chlorine attack") == ["c:mid"]
    assert re.search("lorine", "a chlorine attack")


def test_only_limits_the_cues_and_a_cue_needs_all_its_expressions():
    cues = c.parse_cues("a\t-\t\\bchlorine\n"
                        "b\t-\t\\bsarin && \\bnerve\n"
                        "a2\t-\t\\bsarin\n")
    featurizer = c.Featurizer(cues)
    norm = "sarin and chlorine"
    assert featurizer.cue_names(norm) == ["c:a", "c:a2"]
    assert featurizer.cue_names(norm, {"c:a2"}) == ["c:a2"]
    assert featurizer.cue_names(norm, {"c:b"}) == []
    assert featurizer.cue_names("sarin, a nerve agent", {"c:b", "c:a"}) == ["c:b"]
