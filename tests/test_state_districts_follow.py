"""A signature's House and Senate districts follow its ward wherever the ward changes: the
signer's choice, an organizer's choice on a paper row, `flask lookup fill-districts`; and
the district counters move with them."""

from sqlalchemy import select

from petition.extensions import db
from petition.geo import Geocoder
from petition.models import DistrictCount, Signature, WardStatus
from petition.petitions import counts
from petition.signing.districts import districts_for_ward
from tests.conftest import login, sign
from tests.factories import make_organizer, make_petition, make_signature
from tests.test_legislators import run
from tests.test_paper import paper_rows
from tests.test_paper import post as post_paper
from tests.test_ward_choice import choose, remember_signed

# Near the line between wards 14 and 12, which is also a House and Senate line here: the
# point is geocoded in ward 14 (House 1, Senate 1); in ward 12 the districts are 23 and 12.
NEAR_LINE = {"address": "4700 S Kedzie Ave", "zip": "60632"}


def district_counters(app, petition_id):
    with app.app_context():
        return {(r.chamber, r.district): (r.confirmed, r.pending) for r in db.session.scalars(
            select(DistrictCount).where(DistrictCount.petition_id == petition_id))
            if (r.confirmed, r.pending) != (0, 0)}


def stored(app, **where):
    with app.app_context():
        s = db.session.scalar(select(Signature).filter_by(**where))
        return s.petition_id, s.ward, s.state_house, s.state_senate


def test_the_signers_ward_choice_moves_the_districts_and_their_counts(rosters):
    with rosters.app_context():
        make_petition(slug="ecps")
    client = rosters.test_client()
    assert sign(client, email="ana@example.org", **NEAR_LINE).status_code == 303
    remember_signed(rosters, client, "ana@example.org")
    petition_id, ward, house, senate = stored(rosters, email="ana@example.org")
    assert (ward, house, senate) == (14, 1, 1)
    assert district_counters(rosters, petition_id) == {("house", 1): (0, 1),
                                                       ("senate", 1): (0, 1)}
    assert choose(client, 12).status_code == 303
    assert stored(rosters, email="ana@example.org")[1:] == (12, 23, 12)
    assert district_counters(rosters, petition_id) == {("house", 23): (0, 1),
                                                       ("senate", 12): (0, 1)}
    # Choosing the first ward again brings them back.
    assert choose(client, 14).status_code == 303
    assert stored(rosters, email="ana@example.org")[1:] == (14, 1, 1)
    with rosters.app_context():
        assert counts.drift(petition_id) == []


def test_the_organizers_ward_choice_on_a_paper_row_sets_the_districts(rosters):
    with rosters.app_context():
        petition = make_petition(slug="ecps")
        make_organizer("ana@example.org", petitions=[petition])
    client = rosters.test_client()
    login(client, "ana@example.org")
    assert post_paper(client, **NEAR_LINE).status_code == 200  # asks for the ward first
    assert post_paper(client, **NEAR_LINE, ward="12").status_code == 303
    [row] = paper_rows(rosters)
    assert (row.ward, row.ward_status, row.state_house, row.state_senate) == (
        12, WardStatus.CONFIRMED, 23, 12)
    assert district_counters(rosters, row.petition_id) == {("house", 23): (1, 0),
                                                           ("senate", 12): (1, 0)}


def test_fill_districts_places_the_point_in_the_signers_ward_and_moves_the_counts(rosters):
    with rosters.app_context():
        petition = make_petition(slug="ecps")
        geocoder = Geocoder.default()
        at_point = geocoder.lookup_address("4700 S Kedzie Ave", "60632").location
        # Stored before districts were recorded; the signer chose ward 12.
        chosen = make_signature(petition, ward=12, ward_status=WardStatus.CONFIRMED,
                                lon=at_point[0], lat=at_point[1], email="a@example.org",
                                confirmed_at=petition.created_at)
        # No point, ward 13 (wholly in Senate district 11, across two House districts).
        make_signature(petition, ward=13, ward_status=WardStatus.CONFIRMED,
                       email="b@example.org")
        petition_id, chosen_id = petition.id, chosen.id
        assert districts_for_ward(geocoder, 13) == (None, 11)
    assert district_counters(rosters, petition_id) == {("house", 0): (1, 1),
                                                       ("senate", 0): (1, 1)}
    result = run(rosters, "lookup", "fill-districts")
    assert "recorded for 2 signature(s)" in result.output, result.output
    assert stored(rosters, id=chosen_id)[1:] == (12, 23, 12)
    assert stored(rosters, email="b@example.org")[1:] == (13, None, 11)
    assert district_counters(rosters, petition_id) == {
        ("house", 23): (1, 0), ("senate", 12): (1, 0), ("house", 0): (0, 1),
        ("senate", 11): (0, 1)}
    assert "recorded for 0 signature(s)" in run(rosters, "lookup", "fill-districts").output
    with rosters.app_context():
        assert counts.drift(petition_id) == []
