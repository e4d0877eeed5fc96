"""Toponyms resolved from sentence context, checked against GeoNames coordinates."""

import pytest

from rearguard.geo import find_toponyms, geocode_spans, geocode_text
from rearguard.geo.resolve import Mention, Resolver, haversine_km, inner_names
from rearguard.types import Candidate


def _place(text, surface, settings, occurrence=0):
    """The place for ``surface`` when it is resolved with the sentence's other toponyms."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    target = (start, start + len(surface))
    spans = sorted(set(find_toponyms(text, settings=settings)) | {target})
    places = geocode_spans(text, spans, settings=settings)
    return places[spans.index(target)]


# (sentence, toponym, GeoNames latitude, longitude, ISO country)
CASES = [
    ("In the early hours of this morning, Daesh assaulted Shirqat in Salahuddin province, "
     "over 100 kilometres from Mosul.", "Shirqat", 35.517, 43.228, "IQ"),
    ("Daesh successfully attacked Rutba, almost 600 kilometres south of Mosul, and held it "
     "for three days.", "Rutba", 33.037, 40.286, "IQ"),
    ("Militants attacked a checkpoint in Dibis, north-west of Kirkuk.", "Dibis", 35.675,
     44.071, "IQ"),
    ("Iraqi troops retook the airbase at Qayyarah, south of Mosul, in July.", "Qayyarah",
     35.799, 43.294, "IQ"),
    ("Thousands fled Hawija, an Islamic State enclave west of Kirkuk.", "Hawija", 35.326,
     43.773, "IQ"),
    ("The refinery town of Baiji, north of Tikrit, changed hands several times.", "Baiji",
     34.929, 43.489, "IQ"),
    ("Iraqi forces launched an offensive to retake Tal Afar, west of Mosul.", "Tal Afar",
     36.379, 42.448, "IQ"),
    ("Syrian government forces recaptured the ancient city of Palmyra from Islamic State.",
     "Palmyra", 34.562, 38.284, "SY"),
    ("Fighting continued around Tadmur in Homs province.", "Tadmur", 34.562, 38.284, "SY"),
    ("Taliban fighters overran Kunduz, a provincial capital in northern Afghanistan.",
     "Kunduz", 36.729, 68.857, "AF"),
    ("Philippine troops battled Maute gunmen in Marawi on the southern island of Mindanao.",
     "Marawi", 8.003, 124.284, "PH"),
    ("Islamic State fighters stormed government buildings in Kirkuk, the oil city claimed "
     "by Baghdad and the Kurds.", "Kirkuk", 35.468, 44.392, "IQ"),
    ("Militias loyal to the Government of National Accord clashed in Tripoli, the Libyan "
     "capital, as rival forces advanced from Misrata.", "Tripoli", 32.887, 13.187, "LY"),
]


@pytest.mark.parametrize("sentence,surface,lat,lon,cc", CASES, ids=[c[1] for c in CASES])
def test_resolves_within_10_km(settings, sentence, surface, lat, lon, cc):
    place = _place(sentence, surface, settings)
    assert place.country_code == cc
    assert haversine_km(place.latitude, place.longitude, lat, lon) < 10
    assert place.geo_precision in (1, 2)


@pytest.mark.parametrize("sentence,surface,lat,lon,cc", CASES[:4], ids=[c[1] for c in CASES[:4]])
def test_ruler_finds_conflict_towns(settings, sentence, surface, lat, lon, cc):
    found = {sentence[s:e] for s, e in find_toponyms(sentence, settings=settings)}
    assert surface in found


def test_tripoli_in_lebanon_story(settings):
    text = "Clashes broke out in Tripoli in northern Lebanon between Sunni and Alawite gunmen."
    place = _place(text, "Tripoli", settings)
    assert place.country_code == "LB"


def test_groups_are_never_places(settings):
    text = ("Daesh, also known as ISIS or ISIL, and Boko Haram claimed attacks; the Taliban "
            "and al-Shabaab denied involvement in Kunduz.")
    found = {text[s:e] for s, e in find_toponyms(text, settings=settings)}
    assert found.isdisjoint({"Daesh", "ISIS", "ISIL", "Boko Haram", "Taliban", "al-Shabaab"})
    assert "Kunduz" in found


def test_countries_provinces_and_demonyms(settings):
    text = ("Turkish jets struck Kurdish positions in northern Iraq, in Nineveh province, "
            "officials in Syria said.")
    places = {p.text: p for p in geocode_text(text, settings=settings)}
    assert places["Turkish"].country_code == "TR" and places["Turkish"].kind == "demonym"
    assert places["Iraq"].feature_code == "PCLI" and places["Iraq"].geo_precision == 3
    assert places["Syria"].country_code == "SY"
    assert places["Nineveh"].feature_code == "ADM1"
    assert places["Kurdish"].country_code == "IQ"


def test_unknown_span_has_null_coordinates(settings):
    text = "Nothing happened yesterday."
    (place,) = geocode_spans(text, [(17, 26)], settings=settings)
    assert place.latitude is None and place.longitude is None
    assert (place.start, place.end, place.text) == (17, 26, "yesterday")


@pytest.mark.parametrize(
    "text,lat,lon",
    [
        # Two Syrian towns are called Suran: a large one in Hama, a small one near Aleppo.
        ("Rebels captured Suran, about 40 kilometres north of Aleppo, on Monday.", 36.57, 37.21),
        ("Rebels captured Suran, about 20 km north of Hama, on Monday.", 35.29, 36.75),
    ],
)
def test_stated_distance_picks_the_right_reading(settings, text, lat, lon):
    place = _place(text, "Suran", settings)
    assert haversine_km(place.latitude, place.longitude, lat, lon) < 10


def test_every_place_carries_the_fields_analysts_need(settings):
    text = "Daesh assaulted Shirqat in Salahuddin province."
    (place, province) = geocode_text(text, settings=settings)
    assert place.geonameid == 91057
    assert place.country == "Iraq" and place.iso3 == "IRQ"
    assert place.admin1 == "Salah ad Din"
    assert place.feature_code.startswith("PPL") and place.geo_precision == 1
    assert 0 < place.confidence <= 1
    assert province.feature_code == "ADM1" and province.geo_precision == 3


def test_stated_direction_separates_readings_at_equal_distance():
    # Two readings 50 km from the anchor, one north and one south of it: only the stated
    # direction can tell them apart.
    def cand(cid, lat):
        return Candidate(id=cid, name="X", latitude=lat, longitude=40.0, feature_class="P",
                         feature_code="PPL", country_code="IQ", admin1="", admin2="",
                         population=1000)

    anchor = Mention(start=40, end=46, text="Anchor", name="Anchor",
                     candidates=(cand(1, 35.0),), best=0)
    subject = Mention(start=0, end=1, text="X", name="X",
                      candidates=(cand(2, 35.45), cand(3, 34.55)))
    north = {id(subject): (50.0, anchor, "north")}
    south = {id(subject): (50.0, anchor, "south")}
    near_n, near_s = subject.candidates
    assert Resolver._distance_bonus(subject, near_n, north) > Resolver._distance_bonus(
        subject, near_s, north)
    assert Resolver._distance_bonus(subject, near_s, south) > Resolver._distance_bonus(
        subject, near_n, south)


def test_confidence_calibration_is_monotone() -> None:
    """Confidence is the resolver's probability mapped through monotone knots fitted on
    the development corpora: flat below the first knot, linear between knots."""
    from rearguard.geo.resolve import calibrated, load_calibration

    knots = ((0.3, 0.5), (0.7, 0.8), (1.0, 1.0))
    assert calibrated(0.1, knots) == 0.5
    assert abs(calibrated(0.5, knots) - 0.65) < 1e-9
    assert calibrated(1.0, knots) == 1.0
    shipped = load_calibration()
    values = [calibrated(p / 100, shipped) for p in range(101)]
    assert values == sorted(values) and 0.0 <= values[0] and values[-1] <= 1.0


@pytest.mark.parametrize("text, surface, cc", [
    # a stated country holds the name: Egypt's bigger Mansoura contradicts the text
    ("Clashes were reported in Mansoura, Syria, on Monday.", "Mansoura", "SY"),
    ("Clashes were reported in Mansoura, Egypt, on Monday.", "Mansoura", "EG"),
    # a US state is no country, whatever else bears its name
    ("Police arrested him in Atlanta, Georgia.", "Atlanta", "US"),
    # a list is no containment
    ("Ministers from France, Germany and Italy met in Rome.", "France", "FR"),
])
def test_a_stated_country_holds_the_name(settings, text, surface, cc):
    assert _place(text, surface, settings).country_code == cc


def test_a_name_with_no_namesake_in_its_stated_country_is_no_place(settings):
    # only abroad namesakes (Saint Joseph, DR Congo): unresolved, not a village in Africa
    place = _place("Josef, Syria was shelled on Tuesday.", "Josef", settings)
    assert place.latitude is None and place.country_code is None


def test_institutions_are_placed_by_the_place_their_name_carries(settings):
    alberta = geocode_spans("She studied at the University of Alberta.", [(19, 40)],
                            settings=settings)[0]
    assert alberta.country_code == "CA" and alberta.admin1 and "Alberta" in alberta.name
    assert alberta.geo_precision >= 2  # near the place, not the place itself
    assert inner_names("Latin American Senate") == ["Latin American"]
    assert inner_names("South Kilburn Estate") == ["South Kilburn", "Kilburn"]
    assert inner_names("Pearl Harbor") == []  # the whole name, or nothing


def test_one_name_one_reading_whatever_its_case(settings):
    # the dateline's capitals and the later mention share one reading
    text = "ISLAMABAD, Pakistan - Lawyers marched on Islamabad on Monday."
    first, later = geocode_spans(text, [(0, 9), (41, 50)], settings=settings)
    assert later.country_code == first.country_code == "PK"
    assert (later.latitude, later.longitude) == (first.latitude, first.longitude)


def test_only_the_seat_of_government_is_the_capital(settings):
    """The country table names the capital, not its place: of the US towns called
    Washington only the District of Columbia's is PPLC (Utah's and Illinois' are not)."""
    from rearguard.geo import open_gazetteer

    towns = [c for c in open_gazetteer(settings).lookup("Washington", limit=40)
             if c.country_code == "US" and c.feature_class == "P" and c.match == "name"]
    assert len(towns) > 3
    assert [c.admin1 for c in towns if c.feature_code == "PPLC"] == ["District of Columbia"]


@pytest.mark.parametrize("text, surface, lat, lon", [
    # the capital, not the state that outnumbers it, when news names the government
    ("Washington said the talks would resume next week.", "Washington", 38.9, -77.0),
    # an ocean named without "Ocean" is still the ocean, not Atlantic County
    ("The storm moved across the Atlantic toward Bermuda.", "Atlantic", 10.0, -25.0),
])
def test_news_readings_of_capitals_and_oceans(settings, text, surface, lat, lon):
    place = _place(text, surface, settings)
    assert haversine_km(place.latitude, place.longitude, lat, lon) < 161


def test_a_stated_country_holds_a_name_that_is_also_a_region_or_demonym(settings):
    """"Al Sahel, Syria" is not Burkina Faso's Sahel province, nor "Al Qatari, Syria"
    Qatar: the stated country holds names whose readings include regions and demonyms."""
    for name in ("Al Sahel", "Al Qatari"):
        text = f"{name}, Syria"
        place = geocode_spans(text, [(0, len(name)), (len(name) + 2, len(text))],
                              settings=settings)[0]
        assert place.country_code in ("SY", None), (name, place.country_code)


def test_a_demonym_is_not_read_as_a_near_spelling_of_a_village(village_settings):
    """"Kurdish" is spelled as the language spells it: with SY.zip loaded, the village
    Kurdis (a spelling variant away) is no reading of it, though Kurdis itself is found."""
    from rearguard.geo import open_gazetteer

    gazetteer = open_gazetteer(village_settings)
    readings = gazetteer.lookup("Kurdish")
    assert readings and all(c.match == "demonym" for c in readings)
    assert any(c.name == "Kurdis" and c.country_code == "SY"
               for c in gazetteer.lookup("Kurdis"))


def test_confidence_ranks_readings_by_what_they_rest_on(settings) -> None:
    """The shipped confidence model: a lone, much-shared town name is less sure than the
    same name with its state, and than a lone capital whose other readings (its own
    governorate) lie at the same point; the map has more than two levels."""
    from rearguard.geo.resolve import load_confidence

    def confidence(text: str, surface: str) -> float:
        return _place(text, surface, settings).confidence

    lone = confidence("He moved to Springfield last year.", "Springfield")
    stated = confidence("He moved to Springfield, Illinois, last year.", "Springfield")
    capital = confidence("Fighting was reported in Baghdad.", "Baghdad")
    assert lone < 0.7 < stated and lone < 0.7 < capital
    model = load_confidence()
    assert model is not None and len({y for _, y in model.calibration}) >= 6


def test_confidence_features_count_near_readings_as_one_answer(gazetteer) -> None:
    """Baghdad the city and Baghdad the governorate put one point on the map: the
    probability of the readings near the chosen one is at least the chosen one's."""
    from rearguard.geo.resolve import CONFIDENCE_FEATURES, confidence_features

    resolver = Resolver(gazetteer)
    (mention,) = resolver.score_mentions("Fighting was reported in Baghdad.", [(25, 32)])
    values = dict(zip(CONFIDENCE_FEATURES, confidence_features(mention), strict=True))
    assert len(mention.candidates) > 1 and values["single_reading"] == 0.0
    assert values["logit_p_near"] > values["logit_p"] + 1
    assert values["no_others"] == 1.0


@pytest.mark.parametrize("text, surface, lat, lon", [
    # the whole name is known only by loose spellings (Dallesport, Washington; Salineville,
    # Ohio); the place it carries is spelled closely
    ("Flooding was reported across North Dallas on Monday.", "North Dallas", 32.78, -96.81),
    ("Growers in the Salinas Valley lost their crops.", "Salinas Valley", 36.68, -121.66),
])
def test_a_name_known_only_loosely_reads_as_the_place_it_carries(settings, text, surface,
                                                                 lat, lon) -> None:
    start = text.index(surface)
    (place,) = geocode_spans(text, [(start, start + len(surface))], settings=settings)
    assert haversine_km(place.latitude, place.longitude, lat, lon) < 30
    assert place.geo_precision == 2  # near the town, not the town itself


def test_a_close_variant_keeps_its_qualifier(village_settings) -> None:
    """"Mulayhah al Sharqiyah" is Mulayhah ash Sharqiyah (the article assimilated), not the
    other Mulayhah 80 km away that the name without its qualifier would give."""
    text = "Mulayhah al Sharqiyah, Syria"
    place = geocode_spans(text, [(0, 21), (23, 28)], settings=village_settings)[0]
    assert place.name == "Mulayhah ash Sharqiyah"


def test_admin_containment_reads_the_admin_names_of_places_and_candidates_alike() -> None:
    from rearguard.geo.distance import in_admin_area
    from rearguard.types import Place

    karak = Place(0, 5, "Karak", name="Al Karak", latitude=31.2, longitude=35.8,
                  country_code="JO", admin1="Al Karak", feature_class="A", feature_code="ADM1")
    town = Place(0, 5, "Mutah", name="Mu'tah", latitude=31.1, longitude=35.7,
                 country_code="JO", admin1="Al Karak", feature_class="P", feature_code="PPL")
    other = Place(0, 5, "Irbid", name="Irbid", latitude=32.6, longitude=35.9,
                  country_code="JO", admin1="Irbid", feature_class="P", feature_code="PPL")
    assert in_admin_area(karak, town)
    assert not in_admin_area(karak, other)
    assert not in_admin_area(town, karak)  # a town contains nothing
    nameless = Place(0, 5, "X", latitude=31.0, longitude=35.0, country_code="JO",
                     feature_code="PPL")
    assert not in_admin_area(karak, nameless)  # no admin name, no containment
