"""Places as SOHR and other Syria reporting name them: regions of its own ("Wadi Barada",
"east of the Euphrates"), "the capital" of the country reported on, and regions elsewhere
("North Africa")."""

import pytest

from rearguard.geo import geocode_article, geocode_spans
from rearguard.geo.resolve import haversine_km
from rearguard.nlp.pipeline import load_pipeline
from rearguard.nlp.toponyms import capital_spans


def _by_text(text, settings, source="SOHR"):
    return {p.text: p for p in geocode_article(text, settings=settings, source=source).places}


@pytest.mark.parametrize("text,surface,region", [
    ("Clashes continue in Wadi Barada and clashes and casualties in the Eastern Qalamoun",
     "Wadi Barada", "Wadi Barada"),
    ("Clashes continue in Wadi Barada and clashes and casualties in the Eastern Qalamoun",
     "Eastern Qalamoun", "Eastern Qalamoun"),
    ("Warplanes bomb Jabal al-Zawiyah and shells target Kafriya", "Jabal al-Zawiyah",
     "Jabal al-Zawiya"),
    ("Shelling target the Western Ghouta", "Western Ghouta", "Western Ghouta"),
    ("Eighteen ISIS operatives killed in an attack east of the Euphrates River",
     "Euphrates River", "East of the Euphrates"),
    ("The regime forces kill a citizen at the western banks of the Euphrates River",
     "Euphrates River", "West of the Euphrates"),
])
def test_sohr_regions(settings, text, surface, region):
    place = _by_text(text, settings)[surface]
    assert place.name == region
    assert place.country_code == "SY"
    assert place.geo_precision == 3


def test_a_river_without_a_side_is_the_river(settings):
    text = "Boats crossed the Euphrates River near Raqqa"
    place = _by_text(text, settings)["Euphrates River"]
    assert place.name == "Euphrates"


def test_north_africa_is_the_region(settings):
    text = "Tunisia is a partner of France in North Africa, Macron said."
    (place,) = geocode_spans(text, [(text.index("North Africa"),
                                     text.index("North Africa") + len("North Africa"))],
                             settings=settings)
    assert place.name == "North Africa"
    assert haversine_km(place.latitude, place.longitude, 32.95, 9.98) < 1


@pytest.fixture(scope="module")
def nlp(settings, gazetteer):
    return load_pipeline(settings.spacy_model, str(gazetteer.path))


@pytest.mark.parametrize("text,found", [
    ("Shells target the capital and cause human losses", True),
    ("The Islamic State advances in the south of the capital.", True),
    ("Clashes on the outskirts of the capital's eastern suburbs", True),
    ("Regime forces target outskirts of the capital Damascus", False),
    ("Protesters gathered in the capital of Iraq on Friday", False),
    ("Foreign investors left the capital markets", False),
    ("He faces capital punishment", False),
])
def test_capital_spans(nlp, text, found):
    assert bool(capital_spans(nlp(text))) is found


def test_the_capital_is_the_capital_of_the_country_reported_on(settings):
    places = _by_text("The Islamic State continues its offensive in the south of the "
                      "capital and is again advancing on its outskirts", settings)
    assert places["capital"].name == "Damascus"
    assert places["capital"].country_code == "SY"


def test_the_capital_of_an_article_about_no_country_is_no_place(settings):
    places = _by_text("Residents said the capital was quiet", settings, source=None)
    assert "capital" not in places or not places["capital"].resolved


def test_a_compass_word_shares_the_name_after_the_next(settings):
    places = _by_text("Barrel bombs and warplanes target Eastern and Western Ghouta", settings)
    assert places["Eastern"].name == "Eastern Ghouta"
    assert places["Western Ghouta"].name == "Western Ghouta"


def test_a_lone_compass_word_is_no_province_abroad(settings):
    places = _by_text("Clashes in the Western region of the country left 3 dead", settings)
    assert "Western" not in places or places["Western"].country_code in (None, "SY")
