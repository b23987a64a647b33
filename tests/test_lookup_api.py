"""GET /api/v1/lookup: every status code and body shape."""

import pytest
from sqlalchemy import update

from petition.extensions import db
from petition.geo import Geocoder
from petition.models import Legislator

API = "/api/v1/lookup"


def get(client, query):
    response = client.get(API, query_string=query) if isinstance(query, dict) \
        else client.get(f"{API}?{query}")
    assert response.is_json, response.get_data(as_text=True)[:200]
    return response, response.get_json()


def test_found_by_address(rosters):
    response, body = get(rosters.test_client(), {"address": "1958 N Milwaukee Ave"})
    assert response.status_code == 200
    assert body == {
        "ward": 1,
        "alder": {
            "name": "Daniel La Spata",
            "email": "Ward01@cityofchicago.org",
            "phone": "(872) 206-2685",
            "office_address": "1958 North Milwaukee Avenue, Chicago, IL 60647",
            "website": "https://www.the1stward.com/",
        },
        "police_district": 14,
        "district_council": ["Christopher M. Laurent", "Ashley Vargas", "David Orlikoff"],
        "location": {"lon": pytest.approx(-87.68783, abs=1e-4),
                     "lat": pytest.approx(41.91694, abs=1e-4)},
        "match": "interpolated",
        "confidence": "high",
        "normalized_address": "1958 N MILWAUKEE AVE",
        "state_house": {"district": 3, "vacant": False, "member": {
            "name": "Eva-Dina Delgado", "party": "Democratic",
            "email": "staterepdelgado@gmail.com", "phone": "773-237-4558",
            "office_address": "6309 W. Belmont Ave., Chicago, IL 60634",
            "website": "https://www.ilga.gov/House/Members/Details/3373"}},
        "state_senate": {"district": 2, "vacant": False, "member": {
            "name": "Omar Aquino", "party": "Democratic",
            "email": "aquino.senate2il@gmail.com", "phone": "773-292-0202",
            "office_address": "4053 W. Armitage Ave., Chicago, IL 60639",
            "website": "https://www.ilga.gov/Senate/Members/Details/3316"}},
    }


def test_a_vacant_seat_a_member_without_email_and_no_roster(rosters):
    client = rosters.test_client()
    with rosters.app_context():
        db.session.execute(update(Legislator).where(
            Legislator.chamber == "house", Legislator.district == 3).values(
            vacant=True, name="", email="", party="", phone="", office_address="",
            website=""))
        db.session.execute(update(Legislator).where(
            Legislator.chamber == "senate", Legislator.district == 2).values(email=""))
        db.session.commit()
    _, body = get(client, {"address": "1958 N Milwaukee Ave"})
    assert body["state_house"] == {"district": 3, "member": None, "vacant": True}
    assert body["state_senate"]["member"]["email"] is None
    assert body["state_senate"]["member"]["phone"] == "773-292-0202"
    with rosters.app_context():
        db.session.query(Legislator).delete()
        db.session.commit()
    _, body = get(client, {"address": "1958 N Milwaukee Ave"})
    assert body["state_house"] == {"district": 3, "member": None, "vacant": False}


def test_near_a_house_line_the_api_lists_the_districts(rosters):
    house = Geocoder.default().state.house
    line = house.by_number[5].boundary.intersection(house.by_number[6].boundary)
    lon, lat = line.interpolate(0.5, normalized=True).coords[0]
    _, body = get(rosters.test_client(), {"lon": f"{lon:.7f}", "lat": f"{lat:.7f}"})
    assert body["state_house"]["candidate_districts"] == [5, 6]
    assert body["state_house"]["district"] in (5, 6)


def test_outside_chicago_has_no_state_districts(rosters):
    response, body = get(rosters.test_client(), {"lon": "-88.2", "lat": "41.5"})
    assert response.status_code == 404 and "state_house" not in body


def test_found_by_point(rosters):
    response, body = get(rosters.test_client(), {"lon": "-87.6878", "lat": "41.9169"})
    assert response.status_code == 200
    assert body["ward"] == 1 and body["match"] == "point"
    assert body["location"] == {"lon": -87.6878, "lat": 41.9169}
    assert body["normalized_address"] is None
    assert "candidate_wards" not in body


def test_near_boundary_lists_candidate_wards(rosters):
    response, body = get(rosters.test_client(), {"address": "1250 S Indiana Ave"})
    assert response.status_code == 200
    assert body["confidence"] == "near_boundary"
    assert body["ward"] == 34 and body["candidate_wards"] == [3, 34]
    assert body["alder"]["name"] == "William Conway"
    assert body["alder"]["website"] is None  # empty in the roster: null, not ""


def test_without_rosters_the_alder_is_null(client):
    response, body = get(client, {"address": "1958 N Milwaukee Ave"})
    assert response.status_code == 200
    assert body["ward"] == 1 and body["alder"] is None and body["district_council"] == []


def test_unknown_street_is_404_with_suggestions(rosters):
    response, body = get(rosters.test_client(), {"address": "1958 N Millwakie Ave"})
    assert response.status_code == 404
    assert body["code"] == "unknown_street"
    assert body["error"]
    assert "1958 N MILWAUKEE AVE" in body["suggestions"]


def test_ambiguous_street_is_404_with_one_suggestion_per_direction(rosters):
    response, body = get(rosters.test_client(), {"address": "100 Chicago Ave"})
    assert response.status_code == 404
    assert body["code"] == "ambiguous_street"
    assert set(body["suggestions"]) == {"100 W CHICAGO AVE", "100 E CHICAGO AVE"}
    assert body["candidate_wards"] == [2, 42]


@pytest.mark.parametrize("query", [
    {"address": "1600 Chicago Ave, Evanston, IL 60201"},
    {"lon": "-87.68", "lat": "42.05"},  # Evanston
    {"lon": "2.35", "lat": "48.85"},  # Paris
])
def test_outside_chicago_is_404_and_says_so(client, query):
    response, body = get(client, query)
    assert response.status_code == 404
    assert body["code"] == "outside_chicago"
    assert "outside the City of Chicago" in body["error"]
    assert body["suggestions"] == []


@pytest.mark.parametrize("query", [
    "",
    "address=",
    "address=%20%20",
    "address=1958+N+Milwaukee&lon=-87.6&lat=41.9",
    "lon=-87.6",
    "lat=41.9",
    "lon=&lat=",
    "lon=abc&lat=41.9",
    "lon=-87.6&lat=north",
    "lon=nan&lat=41.9",
    "lon=inf&lat=41.9",
    "lon=1e400&lat=41.9",
    "lon=-181&lat=41.9",
    "lon=-87.6&lat=91",
    "address=" + "9" * 201,
    "address=" + "x" * 10_000,
    "address=1958%20N%20Milwaukee%00",
    "address=1958%0AN%20Milwaukee",
])
def test_bad_input_is_400_with_an_error(client, query):
    response, body = get(client, query)
    assert response.status_code == 400
    assert set(body) == {"error"} and body["error"]


@pytest.mark.parametrize("query", [
    "address=%ED%A0%80",
    "address=%FF%FE%FD",
    "address=%3Cscript%3Ealert(1)%3C/script%3E",
    "address=' OR 1=1 --",
    "address=1/2",
    "address=%F0%9F%98%80%F0%9F%98%80",
    "address=0 0 0",
    "address=&&&&",
    "address[]=1",
    "lon=-87.6878&lat=41.9169&lon=0",
])
def test_odd_input_never_500s(client, query):
    response = client.get(f"{API}?{query}")
    assert response.status_code in (200, 400, 404)
    assert response.is_json and "error" in response.get_json() or response.status_code == 200


def test_a_one_letter_typo_is_answered_and_marked_corrected(rosters):
    response, body = get(rosters.test_client(), {"address": "1958 N Milwakee Ave Apt 2"})
    assert response.status_code == 200
    assert (body["ward"], body["match"]) == (1, "corrected")
    assert body["normalized_address"] == "1958 N MILWAUKEE AVE"
