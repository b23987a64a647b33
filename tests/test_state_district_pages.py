"""Public counts of a petition to state members: per House and/or Senate district (the
page, its map and the counts JSON), read from the district counters."""

import re

import pytest
from sqlalchemy import select, update

from petition import demo
from petition.extensions import db
from petition.models import DistrictCount, Legislator, Petition, PetitionTarget, WardStatus
from petition.models.base import utcnow
from petition.petitions import counts
from tests.conftest import assert_no_inline_script_or_style
from tests.factories import make_petition, make_signature

SLUG = demo.TIRC_SLUG
SPANISH = {"Accept-Language": "es"}


@pytest.fixture
def tirc(rosters):
    with rosters.app_context():
        petition, _ = demo.ensure_tirc_petition()
        db.session.commit()
        now = utcnow()
        # City Hall: House 6, Senate 3; two in House 26 (Senate 13); one outside Chicago.
        for house, senate in ((6, 3), (26, 13), (26, 13)):
            make_signature(petition, ward=42, ward_status=WardStatus.GEOCODED,
                           state_house=house, state_senate=senate, confirmed_at=now)
        make_signature(petition, ward=42, ward_status=WardStatus.GEOCODED, state_house=6,
                       state_senate=3)  # pending: not in the public counts
        make_signature(petition, ward=None, ward_status=WardStatus.OUTSIDE_CHICAGO,
                       confirmed_at=now)
    return rosters


def set_target(app, target):
    with app.app_context():
        db.session.execute(update(Petition).where(Petition.slug == SLUG).values(target=target))
        db.session.commit()


def test_the_counts_json_is_per_house_district(tirc):
    body = tirc.test_client().get(f"/api/v1/petitions/{SLUG}/counts").get_json()
    assert body["target"] == "state_house" and body["total"] == 4
    assert "wards" not in body and "senate_districts" not in body
    assert body["house_districts"]["6"] == 1 and body["house_districts"]["26"] == 2
    assert body["house_districts"]["1"] == 0 and "118" not in body["house_districts"]
    assert body["no_house_district"] == 1 and body["outside_chicago"] == 1


def test_a_petition_to_both_members_counts_both_chambers(tirc):
    set_target(tirc, PetitionTarget.STATE_BOTH)
    client = tirc.test_client()
    body = client.get(f"/api/v1/petitions/{SLUG}/counts").get_json()
    assert body["house_districts"]["26"] == 2 and body["senate_districts"]["13"] == 2
    assert body["senate_districts"]["3"] == 1 and body["no_senate_district"] == 1
    html = client.get(f"/petitions/{SLUG}/districts").get_data(as_text=True)
    assert "Illinois House districts" in html and "Illinois Senate districts" in html
    assert 'id="house-map-title"' in html and 'id="senate-map-title"' in html


def test_the_page_has_a_map_and_a_table_per_district(tirc):
    client = tirc.test_client()
    response = client.get(f"/petitions/{SLUG}/districts")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert_no_inline_script_or_style(html)
    assert "Illinois Senate districts" not in html
    row = re.search(r'<tr id="house-26">(.*?)</tr>', html).group(1)
    assert re.search(r'<td class="num">2</td>', row)
    # The map's districts link to their rows and say their count.
    assert 'href="#house-26"' in html
    assert "House district 26: 2 confirmed signatures" in html
    assert "House district 6: 1 confirmed signature<" in html
    # The ward page of a petition to state members is its district page.
    wards = client.get(f"/petitions/{SLUG}/wards")
    assert wards.status_code == 302 and wards.location.endswith(f"/petitions/{SLUG}/districts")
    assert f'href="/petitions/{SLUG}/districts"' in client.get(
        f"/petitions/{SLUG}").get_data(as_text=True)


def test_a_vacant_seat_says_so_on_the_page(tirc):
    with tirc.app_context():
        db.session.execute(update(Legislator).where(
            Legislator.chamber == "house", Legislator.district == 26).values(
            vacant=True, name="", email=""))
        db.session.commit()
    html = tirc.test_client().get(f"/petitions/{SLUG}/districts").get_data(as_text=True)
    assert "Vacant seat" in re.search(r'<tr id="house-26">(.*?)</tr>', html).group(1)


def test_the_page_in_spanish(tirc):
    html = tirc.test_client().get(f"/petitions/{SLUG}/districts",
                                  headers=SPANISH).get_data(as_text=True)
    assert "Firmas por distrito legislativo" in html
    assert "Distritos de la Cámara de Representantes de Illinois" in html
    assert "Distrito de la Cámara 26: 2 firmas confirmadas" in html


def test_a_petition_to_alders_has_no_district_page(rosters):
    with rosters.app_context():
        make_petition(slug="ecps")
    client = rosters.test_client()
    assert client.get("/petitions/ecps/districts").status_code == 404
    body = client.get("/api/v1/petitions/ecps/counts").get_json()
    assert body["target"] == "alder" and "wards" in body
    assert "house_districts" not in body


def test_counts_come_from_the_counters_and_match_a_recount(tirc):
    with tirc.app_context():
        petition_id = db.session.scalar(select(Petition.id).where(Petition.slug == SLUG))
        assert counts.drift(petition_id) == []
        # A counter out of step with the signatures is what the page shows (no scan) ...
        db.session.execute(update(DistrictCount).where(
            DistrictCount.petition_id == petition_id, DistrictCount.chamber == "house",
            DistrictCount.district == 26).values(confirmed=7))
        db.session.commit()
    client = tirc.test_client()
    assert client.get(f"/api/v1/petitions/{SLUG}/counts").get_json()[
        "house_districts"]["26"] == 7
    with tirc.app_context():
        # ... and `flask counts verify` finds and repairs it.
        assert counts.drift(petition_id) == [("house district 26", (7, 0), (2, 0))]
        counts.recount(petition_id)
        db.session.commit()
    assert client.get(f"/api/v1/petitions/{SLUG}/counts").get_json()[
        "house_districts"]["26"] == 2
