"""Parsing and street resolution: variants from the issue, aliases, typos."""

import pytest

from petition.geo import Geocoder, parse

MILWAUKEE = "1958 N MILWAUKEE AVE"


@pytest.fixture(scope="module")
def geo():
    return Geocoder.default()


@pytest.mark.parametrize("text", [
    "1958 N Milwaukee Ave",
    "1958 north milwaukee avenue apt 2, chicago il 60647",
    "1958 Milwaukee Ave",  # missing direction, unambiguous
    "1958 N. Milwaukee Av.",
    "1958 N MILWAUKEE AV",
    "  1958   n   milwaukee   ave  ",
    "1958 N Milwaukee Ave Chicago IL 60647",  # no commas
    "1958 N Milwaukee Ave, Chicago, IL 60647-4404",  # ZIP+4
    "1958 N Milwaukee Ave #2",
    "1958 N Milwaukee Ave Unit 3R",
    "1958 N Milwaukee Ave Fl 2",
    "1958 N Milwaukee Ave Ste 200",
    "1958 N Milwaukee Ave Apt. 2F, Chicago",
    "1958 N Milwaukee Ave Logan Square",
    "1958 N Milwaukie Ave",  # typo, fixed by fuzzy matching
])
def test_milwaukee_variants(geo, text):
    r = geo.lookup_address(text)
    assert r.error is None, r
    assert r.normalized_address == MILWAUKEE
    assert r.ward == 1
    assert r.in_chicago


def test_unit_is_kept_apart(geo):
    r = geo.lookup_address("1958 north milwaukee avenue apt 2, chicago il 60647")
    assert r.unit == "APT 2"
    assert parse("1958 N Milwaukee Ave #3").unit in ("#3", "# 3")


@pytest.mark.parametrize("text,expected", [
    ("2511 W. Division St., 60622", "2511 W DIVISION ST"),
    ("2511 west division street", "2511 W DIVISION ST"),
    ("1200 N State Parkway", "1200 N STATE PKWY"),
    ("4351 S Drexel Boulevard", "4351 S DREXEL BLVD"),
    ("712 West Diversey Parkway", "712 W DIVERSEY PKWY"),
    ("3500 North Broadway", "3500 N BROADWAY"),
    ("5917 N Broadway Ave", "5917 N BROADWAY"),  # Broadway has no type
    ("10400 S Avenue O", "10400 S AVENUE O"),  # no type either
    ("10400 S Ave O", "10400 S AVENUE O"),
    ("8700 S Stony Island", "8700 S STONY ISLAND AVE"),  # type missing
    ("2100 N Lincoln Park West", "2100 N LINCOLN PARK WEST"),
    ("2100 N Lincoln Park W", "2100 N LINCOLN PARK WEST"),
    ("1445 W 87th St", "1445 W 87TH ST"),
    ("123 w 63rd", "123 W 63RD ST"),
    ("633 N St Clair St", "633 N ST CLAIR ST"),
    ("3400 W Saint Paul Ave", "3400 W ST PAUL AVE"),
    ("6700 S Shore Dr", "6700 S SOUTH SHORE DR"),  # the number decides: S SHORE DR is short
    ("301 E N Water St", "301 E NORTH WATER ST"),
    ("3600 W 5th Ave", "3600 W FIFTH AVE"),
    ("One South Wacker Drive", "1 S WACKER DR"),
    ("6244-56 S. King Drive", "6244-6256 S DR MARTIN LUTHER KING JR DR"),
    ("4812 4846 N CLARK ST", "4812-4846 N CLARK ST"),
])
def test_normalisation(geo, text, expected):
    r = geo.lookup_address(text)
    assert r.normalized_address == expected, r
    assert r.ward is not None


@pytest.mark.parametrize("a,b", [
    ("1000 N Lake Shore Dr", "1000 N DuSable Lake Shore Drive"),
    ("1000 N Lake Shore Dr", "1000 N Lakeshore Dr"),
    ("1000 N Lake Shore Dr", "1000 N Jean Baptiste Pointe DuSable Lake Shore Dr"),
    ("121 N LaSalle St", "121 N La Salle St"),
    ("6400 S Dr. Martin Luther King Jr Dr", "6400 S King Dr"),
    ("6400 S Dr. Martin Luther King Jr Dr", "6400 S MLK Dr"),
    ("6400 S Dr. Martin Luther King Jr Dr", "6400 S Martin Luther King Drive"),
    ("333 S Des Plaines St", "333 S Desplaines St"),
])
def test_aliases_resolve_to_same_place(geo, a, b):
    ra, rb = geo.lookup_address(a), geo.lookup_address(b)
    assert ra.error is None and rb.error is None
    assert ra.normalized_address == rb.normalized_address
    assert ra.location == rb.location
    assert ra.ward == rb.ward


def test_ida_b_wells_and_congress_share_points(geo):
    # Congress Pkwy was renamed Ida B. Wells Dr downtown; both names place the same number.
    ra = geo.lookup_address("500 W Ida B. Wells Dr")
    rb = geo.lookup_address("500 W Congress Pkwy")
    assert ra.normalized_address == "500 W IDA B WELLS DR"
    assert rb.normalized_address == "500 W CONGRESS PKWY"
    assert ra.location == rb.location and ra.ward == rb.ward


@pytest.mark.parametrize("text,expected", [
    ("333 W Wacker Dr", "333 W WACKER DR"),
    ("333 W Wacker", "333 W WACKER DR"),
    ("200 S Columbus Dr", "200 S COLUMBUS DR"),
    ("2400 W Columbus Ave", "2400 W COLUMBUS AVE"),  # a different Columbus
])
def test_downtown_streets(geo, text, expected):
    assert geo.lookup_address(text).normalized_address == expected


def test_missing_direction_decided_by_number(geo):
    # E Division runs 1-99 only, so 100 Division St must be W Division St.
    r = geo.lookup_address("100 Division St")
    assert r.normalized_address == "100 W DIVISION ST"
    assert r.error is None


def test_missing_direction_ambiguous_wards_differ(geo):
    # 100 E and 100 W Chicago Ave are in different wards: ask, do not guess.
    r = geo.lookup_address("100 Chicago Ave")
    assert r.error == "ambiguous_street"
    assert r.ward is None
    assert set(r.suggestions) == {"100 E CHICAGO AVE", "100 W CHICAGO AVE"}
    assert len(r.candidate_wards) >= 2


def test_missing_direction_ambiguous_same_ward(geo):
    # 10 E and 10 W Chicago Ave are both in ward 42: the ward is certain, the point is not.
    r = geo.lookup_address("10 Chicago Ave")
    assert r.ward == 42
    assert r.error is None
    assert r.suggestions and r.match == "street"


@pytest.mark.parametrize("text,expected", [
    ("4645 N Sherdian Rd", "4645 N SHERIDAN RD"),
    ("4623 W Galdys Ave", "4623 W GLADYS AVE"),
    ("309 W Washngton St", "309 W WASHINGTON ST"),
    ("2000 W Divison St", "2000 W DIVISION ST"),
])
def test_typos_fixed(geo, text, expected):
    r = geo.lookup_address(text)
    assert r.normalized_address == expected
    assert r.fuzzy is True
    assert r.ward is not None


def test_unknown_street_gives_suggestions(geo):
    r = geo.lookup_address("1958 N Milwaakeeee Blvd")
    assert r.error in ("unknown_street", None)
    r = geo.lookup_address("1234 Fake St")
    assert r.error == "unknown_street"
    assert r.ward is None and r.suggestions
    r = geo.lookup_address("2000 W Shakespeer Ave")
    assert "W SHAKESPEARE AVE" in r.suggestions


def test_missing_house_number(geo):
    r = geo.lookup_address("N Milwaukee Ave")
    assert r.error == "missing_house_number"
    assert r.ward is None


def test_parse_components():
    p = parse("1958 north milwaukee avenue apt 2, chicago il 60647-1234")
    assert p.number == 1958
    assert p.zip == "60647"
    assert p.state == "IL"
    assert p.place == "CHICAGO"
    p = parse("6244-56 S. King Drive")
    assert (p.number, p.number_hi) == (6244, 6256)
    p = parse("1617 - 1754 E 95th St")  # not one building: keep the first number
    assert (p.number, p.number_hi) == (1617, None)
    p = parse("201 W Grand Ave/516 N. Wells")
    assert p.number == 201 and "WELLS" not in p.street_tokens


@pytest.mark.parametrize("text", [
    "1958 1/2 N Milwaukee Ave",
    "Apt 2, 1958 N Milwaukee Ave",
    "#3 1958 N Milwaukee Ave",
    "1958 N Milwaukee Ave, Chicago, IL, USA",
    "1958 N. Milwaukee Avenue, Apt. 2R, Chicago, Illinois 60647",
    "1958A N Milwaukee Ave",
    "1958 N Milwaukee Ave 2nd floor",
])
def test_more_real_world_forms(geo, text):
    r = geo.lookup_address(text)
    assert r.normalized_address == MILWAUKEE and r.ward == 1, r


def test_lists_of_addresses_take_the_first(geo):
    for text in ("2000 N. Lincoln Park West; 2052 N. Lincoln Park West",
                 "913-921 W. Van Buren St. & 411 S. Sangamon",
                 "425 South Financial Place (440 South LaSalle)",
                 "4211,4215,4217 N Paulina st."):
        r = geo.lookup_address(text)
        assert r.error is None and r.ward is not None, text


def test_threads_share_one_geocoder():
    from concurrent.futures import ThreadPoolExecutor

    geo = Geocoder.default()
    texts = [
        "1958 N Milwaukee Ave", "121 N LaSalle St", "6400 S King Dr", "2511 W Division St"
    ] * 50
    expected = [geo.lookup_address(t).to_dict() for t in texts]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda t: geo.lookup_address(t).to_dict(), texts))
    assert got == expected


@pytest.mark.parametrize("text,expected", [
    ("87th and Stony Island", "E 87TH ST & S STONY ISLAND AVE"),
    ("Damen and Division", "N DAMEN AVE & W DIVISION ST"),
    ("State & Madison", "S STATE ST & W MADISON ST"),
    ("Milwaukee & Damen", "N MILWAUKEE AVE & N DAMEN AVE"),  # a three-way corner
])
def test_intersections(geo, text, expected):
    r = geo.lookup_address(text)
    assert r.normalized_address == expected
    assert r.ward is not None and r.match == "street" and r.method == "intersection"


def test_intersection_errors(geo):
    assert geo.lookup_address("Foo & Bar").error == "unknown_street"
    assert geo.lookup_address("Milwaukee & Damen, Evanston IL").error == "outside_chicago"
    r = geo.lookup_address("3500 N Clark & Addison")  # number + cross street: the address wins
    assert r.normalized_address == "3500 N CLARK ST"
