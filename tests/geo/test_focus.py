"""The article's focus: datelines, publishers' homes, and what they decide between
namesakes; facility names and spelling variants at home."""

from __future__ import annotations

import pytest

from rearguard.geo import geocode_article, geocode_spans
from rearguard.geo.focus import find_dateline, source_country
from rearguard.geo.resolve import strip_descriptors


@pytest.mark.parametrize(
    "text,place",
    [
        ("BAGHDAD (Reuters) - Iraqi forces pushed into eastern Mosul.", "BAGHDAD"),
        ("KABUL, Afghanistan (AP) — A suicide bomber struck.", "KABUL"),
        ("Somalia: al-Shabaab attack\nMOGADISHU, Somalia, Jan. 5 (Xinhua) -- Gunmen", "MOGADISHU"),
        ("DAMASCUS, Oct 3 (Reuters) - Government warplanes", "DAMASCUS"),
        ("Maiduguri (AFP) - Boko Haram fighters", "Maiduguri"),
        ("NEW YORK — The Security Council met.", "NEW YORK"),
        # FBIS, as MUC-4's raw reports open
        ("SAN SALVADOR, 14 NOV 89 (RADIO VENCEREMOS) -- FMLN units attacked", "SAN SALVADOR"),
        ("LIMA, 3 JUN 89 -- A bomb exploded", "LIMA"),
        # a title-case place with a date, no agency: EFE and FBIS reports as re-cased
        ("Lima, 3 February 1989 -- In Huancayo, it has been confirmed", "Lima"),
        ("Santo Domingo, March 5 -- Police said", "Santo Domingo"),
        ("Managua (Nicaragua), 11 December 1989 (Radio Sandino) -- How about", "Managua"),
        # a date and an agency, and no dash (CASE 2021 snippets of Saba and UNI wires)
        ("SANA'A, Feb. 5 (Saba) At least three civilians were killed", "SANA'A"),
        ("Khartoum, Jun 15 (UNI) A feared unit of Sudan's security forces", "Khartoum"),
    ],
)
def test_dateline_place(text: str, place: str) -> None:
    span = find_dateline(text)
    assert span is not None and text[span[0]:span[1]] == place


@pytest.mark.parametrize(
    "text",
    [
        "UPDATE: the death toll has risen to 12.",
        "Police said - without giving details - that two men were held.",
        "The army said on Monday that it had retaken the town.",
        "Monday, 5 June 1989 -- The army said",
        "Clandestine, 26 May 1989 (Radio Venceremos) -- Please pay close attention.",
        "The war, 5 June -- a diary",
        "Police said, Jan 5 (a Monday) that the road was closed.",
        "Reuters (London) A report said",
        "x" * 500 + "\nBAGHDAD (Reuters) - too far down to be a dateline",
    ],
)
def test_no_dateline(text: str) -> None:
    assert find_dateline(text) is None


@pytest.mark.parametrize(
    "source,country",
    [
        ("SOHR", "SY"),
        ("Syrian Observatory for Human Rights", "SY"),
        ("https://www.sana.sy/en/?p=1234", "SY"),
        ("www.dawn.com", "PK"),
        ("Premium Times", "NG"),
        ("https://www.premiumtimesng.com/news/1.html", None),  # .com, and no name match
        ("Reuters", None),
        ("Xinhua", None),
        ("http://bit.ly/3xyz", None),  # a generic country-code domain says nothing
        ("", None),
        (None, None),
    ],
)
def test_source_country(source: str | None, country: str | None) -> None:
    assert source_country(source) == country


@pytest.mark.parametrize(
    "name,base",
    [
        ("Tishrin Dam", "Tishrin"),
        ("Kweires airbase", "Kweires"),
        ("Kafr Batna suburb", "Kafr Batna"),
        ("Hamra al-Kabir", "Hamra"),
        ("Durayhim Military Base", "Durayhim"),
        ("Idlib Central Prison", "Idlib"),
        ("Al Hail gas field", "Al Hail"),
        ("Rif al-Muhandisin 1", "Rif al-Muhandisin"),
        ("Western Ghariyah", "Ghariyah"),
        ("Tall Abyad", "Tall Abyad"),  # nothing to strip
        ("Kabir", "Kabir"),  # nothing would be left
    ],
)
def test_strip_descriptors(name: str, base: str) -> None:
    assert strip_descriptors(name) == base


def test_dateline_gives_the_focus(settings) -> None:
    found = geocode_article(
        "KABUL, Afghanistan (AP) — A suicide bomber killed 12 people near the Interior "
        "Ministry, officials said.", settings=settings)
    assert found.focus[0].country_code == "AF"
    assert abs(sum(f.weight for f in found.focus) - 1.0) < 0.01
    assert found.places[0].text == "KABUL" and found.places[0].country_code == "AF"


def test_a_name_is_no_evidence_for_itself(settings) -> None:
    """Named three times, "Georgia" does not vote for the country Georgia; the US towns
    around it decide, and the focus follows the reading."""
    text = ("Georgia lawmakers met in Atlanta on Tuesday. The Georgia House passed the bill, "
            "and officials in Savannah and Macon welcomed it.")
    found = geocode_article(text, settings=settings)
    georgia = [p for p in found.places if p.text == "Georgia"]
    assert georgia and all(p.country_code == "US" and p.feature_code == "ADM1" for p in georgia)
    assert found.focus[0].country_code == "US"


def test_publisher_home_decides_between_namesakes(settings) -> None:
    text = "Clashes erupted near Sinjar overnight, and regime aircraft struck the town."
    spans = [(text.index("Sinjar"), text.index("Sinjar") + len("Sinjar"))]
    alone = geocode_article(text, spans, settings=settings).places[0]
    from_sohr = geocode_article(text, spans, settings=settings, source="SOHR").places[0]
    assert alone.country_code == "IQ"  # the well-known Sinjar, with nothing else to go on
    assert from_sohr.country_code == "SY"


def test_explicit_qualifier_beats_the_focus(settings) -> None:
    """A Syrian publisher writing about Paris, Texas still means Texas."""
    text = "Officials in Paris, Texas said the storm damaged 40 homes."
    spans = [(13, 18), (20, 25)]
    assert [text[a:b] for a, b in spans] == ["Paris", "Texas"]
    place = geocode_article(text, spans, settings=settings, source="SOHR").places[0]
    assert place.country_code == "US" and place.admin1 == "Texas"


def test_geocode_json_carries_the_focus(settings, tmp_path) -> None:
    from rearguard.pipeline import geocode_file

    path = tmp_path / "report.txt"
    path.write_text("BAGHDAD (Reuters) - Islamic State fighters attacked Kirkuk, "
                    "police said.", encoding="utf-8")
    found = geocode_file(path, settings=settings).to_dict()
    assert set(found) == {"places", "focus", "relative"}
    assert found["focus"][0]["country_code"] == "IQ"
    assert {"country_code", "country", "weight"} <= set(found["focus"][0])


def test_a_stated_distance_alone_moves_the_point(settings) -> None:
    """"10 km north of Aleppo" with no other place named: a point 10 km north of the
    city, at precision 2; with a named place ("Azaz, 30 km north of Aleppo") the distance
    only helps resolve Azaz, and no point is moved."""
    from rearguard.geo.distance import haversine_km, initial_bearing

    found = geocode_article("Islamic State fighters attacked an army post 10 km north of "
                            "Aleppo on Sunday.", settings=settings)
    (aleppo,) = found.places
    (moved,) = found.relative
    assert moved.text == "10 km north of Aleppo" and moved.kind == "relative"
    assert moved.geo_precision == 2 and moved.country_code == "SY"
    assert abs(haversine_km(aleppo.latitude, aleppo.longitude,
                            moved.latitude, moved.longitude) - 10) < 0.1
    assert abs(initial_bearing(aleppo.latitude, aleppo.longitude,
                               moved.latitude, moved.longitude)) < 1
    named = geocode_article("Rebels shelled Azaz, 30 km north of Aleppo.", settings=settings)
    assert named.relative == ()
    miles = geocode_article("A car bomb exploded 25 miles south-west of Mosul.",
                            settings=settings)
    assert [p.name for p in miles.relative] == ["40 km southwest of Mosul"]


def test_extractor_passes_the_publisher_to_the_resolver(settings) -> None:
    """The same report from the Syrian Observatory places its Sinjar in Syria; with no
    publisher the well-known Iraqi town is the reading."""
    from rearguard.pipeline import extract_article
    from rearguard.types import Article

    text = "Airstrikes killed five civilians in Sinjar on Monday."
    plain = extract_article(Article(id="a", text=text, published="2017-03-06"),
                            settings=settings)
    sohr = extract_article(Article(id="b", text=text, published="2017-03-06", source="SOHR"),
                           settings=settings)
    assert [e.country for e in plain.events] == ["Iraq"]
    assert [e.country for e in sohr.events] == ["Syria"]


def test_a_dateline_is_a_city(settings) -> None:
    """Reports are filed from cities: the dateline "WASHINGTON" is the capital, not the
    state, while the same name later in the text is read on its own evidence."""
    text = ("WASHINGTON (Reuters) - The Pentagon said on Monday that U.S. forces struck "
            "Islamic State targets in Syria.")
    found = geocode_article(text, settings=settings)
    assert (found.places[0].text, found.places[0].feature_class) == ("WASHINGTON", "P")
    assert found.places[0].country_code == "US"
    new_york = geocode_article("NEW YORK (AP) — The Security Council met on Syria.",
                               settings=settings).places[0]
    assert new_york.name == "New York City"


def test_an_fbis_dateline_makes_a_small_town_at_home_beat_a_capital_abroad(settings) -> None:
    text = "SAN SALVADOR, 14 NOV 89 -- A national police post in Berlin was raided."
    start = text.index("Berlin")
    berlin = geocode_spans(text, [(0, 12), (start, start + 6)], settings=settings)[1]
    assert berlin.country_code == "SV"
