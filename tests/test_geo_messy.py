"""Addresses typed the way people type them, and confidence on extrapolation.

The addresses here are made up for the tests (none is in the City-geocoded set the
benchmark scores): each messy form must give the same street, number and ward as the
plain form.
"""

import pytest
import shapely

from petition.geo import Geocoder
from petition.geo.index import PositionEstimate
from petition.geo.parse import parse
from petition.geo.result import LookupResult
from petition.geo.tidy import numeric_ordinals, peel_tail
from petition.signing.placement import place_address


@pytest.fixture(scope="module")
def geo():
    return Geocoder.default()


PLAIN = "2145 W Division St"
MESSY_FORMS = {
    "lower case": "2145 w division st",
    "no commas": "2145 W Division St Chicago IL 60622",
    "state without city": "2145 W Division St IL",
    "state spelled out": "2145 W Division St Illinois",
    "ZIP alone": "2145 W Division St 60622",
    "ZIP+4 and country": "2145 W Division St, Chicago, IL 60622-1234, USA",
    "trailing direction word": "2145 Division St West",
    "trailing direction letter": "2145 Division St W",
    "spelled out": "2145 West Division Street",
    "dotted": "2145 W. Division St.",
    "no type": "2145 W Division",
    "apt": "2145 W Division St Apt 2",
    "hash unit": "2145 W Division St #3F",
    "hash unit with space": "2145 W Division St # 3",
    "unit word": "2145 W Division St Unit 1R",
    "floor": "2145 W Division St 2nd floor",
    "rear": "2145 W Division St Rear",
    "comma basement": "2145 W Division St, Basement",
    "dotted apt": "2145 W Division St, Apt. 4B, Chicago",
    "unit then zip": "2145 W Division St Apt 2 60622",
}


@pytest.mark.parametrize("kind", sorted(MESSY_FORMS))
def test_a_messy_form_finds_the_same_address_as_the_plain_one(geo, kind):
    plain = geo.lookup_address(PLAIN)
    messy = geo.lookup_address(MESSY_FORMS[kind])
    assert plain.error is None and plain.ward is not None
    assert messy.error is None, (kind, messy.error)
    assert (messy.ward, messy.normalized_address) == (plain.ward, plain.normalized_address)
    assert messy.match == plain.match


@pytest.mark.parametrize("text, unit", [
    ("2145 W Division St Apt 2", "APT 2"), ("2145 W Division St #3F", "#3F"),
    ("2145 W Division St Unit 1R", "UNIT 1R"), ("2145 W Division St 2nd floor", "2ND FLOOR"),
    ("2145 W Division St Rear", "REAR"), ("2145 W Division St, Apt. 4B, Chicago", "APT 4B"),
])
def test_the_unit_is_kept_apart_from_the_street(text, unit):
    parsed = parse(text)
    assert parsed.unit == unit
    assert parsed.street_tokens == ["W", "DIVISION", "ST"]


def test_the_tail_is_peeled_in_any_order():
    body, tail = peel_tail("5230 S KEDZIE AVE APT 2, CHICAGO, ILLINOIS 60632 USA")
    assert body == "5230 S KEDZIE AVE"
    assert (tail.unit, tail.place, tail.state, tail.zip) == ("APT 2", "CHICAGO", "IL", "60632")


@pytest.mark.parametrize("text", ["123 W ILLINOIS", "220 E CHICAGO", "4410 N KIMBALL AVE"])
def test_a_street_name_that_looks_like_a_state_or_city_is_left_alone(text):
    assert peel_tail(text) == (text, peel_tail("1 N X")[1])


def test_a_city_street_named_like_the_state_or_the_city_is_found(geo):
    assert geo.lookup_address("123 W Illinois").normalized_address == "123 W ILLINOIS ST"
    assert geo.lookup_address("220 E Chicago IL").normalized_address == "220 E CHICAGO AVE"


def test_a_suburb_is_still_outside_chicago(geo):
    assert geo.lookup_address("1000 Davis St, Evanston IL").error == "outside_chicago"
    assert geo.lookup_address("1000 Davis St Evanston IL 60201").error == "outside_chicago"
    assert geo.lookup_address("2145 W Division St, Springfield IL").error == "outside_chicago"


@pytest.mark.parametrize("written, numbered", [
    ("1000 E Fifty-Fifth St", "1000 E 55th St"),
    ("800 E Forty Seventh Street", "800 E 47th St"),
    ("300 W One Hundred Third St", "300 W 103rd St"),
    ("1340 W Thirteenth St", "1340 W 13th St"),
])
def test_ordinals_written_out(geo, written, numbered):
    assert geo.lookup_address(written).normalized_address == \
        geo.lookup_address(numbered).normalized_address


def test_numeric_ordinals_leave_other_words_alone():
    assert numeric_ordinals("100 W FIFTH AVE SECOND FLOOR") == "100 W FIFTH AVE SECOND FLOOR"
    assert numeric_ordinals("NINETY-FIRST ST") == "91ST ST"


@pytest.mark.parametrize("typo, plain", [
    ("2145 W Dviision St", "2145 W Division St"),  # two neighbours swapped
    ("1340 W Tyalor St", "1340 W Taylor St"),  # swapped
    ("5230 S Kedze Ave", "5230 S Kedzie Ave"),  # a letter missing
    ("3417 N Southpord Ave", "3417 N Southport Ave"),  # a letter wrong
    ("4410 N Kimbal Ave", "4410 N Kimball Ave"),  # a doubled letter typed once
    ("1340 W Taylorr St", "1340 W Taylor St"),  # a letter doubled
    ("7601 S Cottage Grvoe Ave", "7601 S Cottage Grove Ave"),
])
def test_a_typo_in_a_street_name_is_corrected(geo, typo, plain):
    expected = geo.lookup_address(plain)
    corrected = geo.lookup_address(typo)
    assert corrected.match == "corrected" and corrected.fuzzy
    assert (corrected.ward, corrected.normalized_address) == \
        (expected.ward, expected.normalized_address)


def test_a_typo_two_streets_fit_equally_is_not_guessed(geo):
    # One letter from both ADDISON and MADISON, and 1901 W is on both.
    result = geo.lookup_address("1901 W Dadison St")
    assert result.error == "unknown_street" and result.ward is None
    assert {"W ADDISON ST", "W MADISON ST"} <= set(result.suggestions)


def test_a_typo_whose_number_is_off_the_street_is_not_corrected(geo):
    result = geo.lookup_address("99999 W Dviision St")
    assert result.ward is None and result.match != "corrected"


def test_a_zip_typed_apart_is_a_hint_like_one_typed_in(geo):
    together = geo.lookup_address("2145 W Division St, 60622")
    apart = geo.lookup_address("2145 W Division St", "60622")
    assert (apart.ward, apart.normalized_address) == (together.ward, together.normalized_address)
    assert geo.lookup_address("2145 W Division St", "60201").error == "outside_chicago"
    assert geo.lookup_address("2145 W Division St", "not a zip").ward == together.ward


def _two_ward_interiors(geo):
    """A point well inside ward A and one well inside a neighbouring ward B (metres)."""
    for ward in geo.ward_numbers():
        inside = geo.wards.geoms[geo.wards.numbers.index(ward)]
        for other in geo.ward_numbers():
            if other <= ward:
                continue
            neighbour = geo.wards.geoms[geo.wards.numbers.index(other)]
            shared = shapely.intersection(inside.boundary, neighbour.boundary)
            if shared.length < 400:
                continue
            mid = shapely.line_interpolate_point(shapely.line_merge(shared), 0.5,
                                                 normalized=True)
            a = shapely.intersection(inside, mid.buffer(150)).centroid
            b = shapely.intersection(neighbour, mid.buffer(150)).centroid
            if (inside.contains(a) and neighbour.contains(b)
                    and inside.boundary.distance(a) > 30 and neighbour.boundary.distance(b) > 30):
                return (ward, (a.x, a.y)), (other, (b.x, b.y))
    raise AssertionError("no two neighbouring wards")


def test_extrapolation_across_a_ward_line_is_never_high(geo):
    (ward_a, anchor), (ward_b, point) = _two_ward_interiors(geo)
    dx, dy = point[0] - anchor[0], point[1] - anchor[1]
    norm = (dx * dx + dy * dy) ** 0.5
    estimate = PositionEstimate(point[0], point[1], "street", "extrapolated", dx / norm,
                                dy / norm, 5.0, 5.0)
    alone = LookupResult()
    geo._assign(alone, estimate, snap=True)
    assert (alone.ward, alone.confidence) == (ward_b, "high")  # the point alone is clear
    estimate.anchor = anchor  # ... but it was carried on from a point in another ward
    result = LookupResult()
    geo._assign(result, estimate, snap=True)
    assert result.ward == ward_b
    assert result.confidence == "near_boundary"
    assert {ward_a, ward_b} <= set(result.candidate_wards)


def test_an_extrapolated_estimate_reaches_back_to_its_last_known_point(geo):
    sid = next(s for s in range(len(geo.streets.name))
               if geo.streets.label(s) == "W DIVISION ST")
    _, end = geo.points._slice(sid, 1)
    last = int(geo.points.num[end - 1])
    estimate = geo.points.locate(sid, last + 20)  # just beyond the last odd number
    assert estimate.method == "extrapolated"
    assert estimate.anchor == (float(geo.points.x[end - 1]), float(geo.points.y[end - 1]))
    assert estimate.reach() >= abs(estimate.x - estimate.anchor[0])


def test_the_sign_form_follows_the_same_rules(geo):
    typed = place_address("5801 S Elis Ave Apt 2", "60637", geocoder=geo)
    plain = geo.lookup_address("5801 S Ellis Ave")
    assert (typed.ward, typed.match) == (plain.ward, "corrected")
    state_only = place_address("2145 W Division St IL", "", geocoder=geo)
    assert state_only.ward == geo.lookup_address(PLAIN).ward


def test_a_typo_in_an_intersection_is_corrected_where_the_streets_cross(geo):
    corrected = geo.lookup_address("Milwakee & Damen")
    assert corrected.match == "corrected"
    plain = geo.lookup_address("Milwaukee & Damen")
    assert corrected.normalized_address == plain.normalized_address
