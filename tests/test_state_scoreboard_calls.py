"""A petition to state members: the scoreboard lists those members (a vacant seat says
so) and the call card offers each member's district office; both in Spanish too."""

import re

import pytest
from sqlalchemy import select, update

from petition.extensions import db
from petition.models import Legislator, Petition, PetitionTarget, WardStatus
from petition.models.base import utcnow
from tests.conftest import csrf_token_from, form_token, sign_and_confirm
from tests.factories import make_petition, make_signature, make_stance

SCRIPT = "I'm {{ first_name }}. {{ alder_name }}, please fund the Commission."
SPANISH = {"Accept-Language": "es"}


@pytest.fixture
def state(rosters):
    with rosters.app_context():
        petition = make_petition(slug="ecps", call_script=SCRIPT, scoreboard_public=True,
                                 target=PetitionTarget.STATE_BOTH)
        for _ in range(2):
            make_signature(petition, ward=1, ward_status=WardStatus.GEOCODED, state_house=3,
                           state_senate=2, confirmed_at=utcnow())
        db.session.execute(update(Legislator).where(
            Legislator.chamber == "house", Legislator.district == 5).values(
            vacant=True, name="", email="", phone=""))
        db.session.commit()
    return rosters


def test_the_scoreboard_lists_the_state_members(state):
    client = state.test_client()
    response = client.get("/petitions/ecps/alders")
    assert response.status_code == 302 and response.location.endswith("/petitions/ecps/members")
    html = client.get("/petitions/ecps/members").get_data(as_text=True)
    assert "State Representatives" in html and "State Senators" in html
    row = re.search(r'<tr id="house-3">(.*?)</tr>', html, re.S).group(1)
    assert "Eva-Dina Delgado" in row and re.search(r'<td class="num"[^>]*>2</td>', row)
    assert re.findall(r'data-label="([^"]*)"', row) == [  # each value's label on a phone
        "District", "State Representative", "Constituents who signed", "Letters this month",
        "Calls this month"]
    assert "Omar Aquino" in re.search(r'<tr id="senate-2">(.*?)</tr>', html, re.S).group(1)
    assert "Vacant seat" in re.search(r'<tr id="house-5">(.*?)</tr>', html, re.S).group(1)
    body = client.get("/api/v1/petitions/ecps/alders").get_json()
    [rep] = [m for m in body["members"] if (m["chamber"], m["district"]) == ("house", 3)]
    assert rep["name"] == "Eva-Dina Delgado" and rep["confirmed_signers"] == 2
    [vacant] = [m for m in body["members"] if (m["chamber"], m["district"]) == ("house", 5)]
    assert vacant["vacant"] and vacant["name"] is None
    assert client.get("/petitions/ecps/alders/widget").status_code == 404
    spanish = client.get("/petitions/ecps/members", headers=SPANISH).get_data(as_text=True)
    assert "Senadores estatales" in spanish and "Escaño vacante" in spanish


def test_the_call_card_offers_each_state_member(state):
    client = state.test_client()
    sign_and_confirm(state, client)  # Ana, 1958 N Milwaukee Ave: House 3, Senate 2
    html = client.get("/petitions/ecps/call").get_data(as_text=True)
    assert "Call your members of the Illinois General Assembly" in html
    assert "Your State Representative (House district 3)" in html
    assert "Your State Senator (Senate district 2)" in html
    assert re.search(r'href="tel:\+1\d{10}"[^>]*>Call Eva-Dina Delgado', html)
    assert "Eva-Dina Delgado and Omar Aquino, please fund the Commission." in html
    token = form_token(client, "/petitions/ecps/call")
    response = client.post("/petitions/ecps/call", data={
        "member": "senate-2", "outcome": "spoke_to_staff", "csrf_token": token})
    assert response.status_code == 303
    spanish = client.get("/petitions/ecps/call", headers=SPANISH).get_data(as_text=True)
    assert "Llame a sus miembros de la Asamblea General de Illinois" in spanish


def test_a_vacant_seat_on_the_call_card_says_so(state):
    with state.app_context():
        db.session.execute(update(Legislator).where(
            Legislator.chamber == "house", Legislator.district == 3).values(
            vacant=True, name="", email="", phone=""))
        db.session.execute(update(Petition).values(target=PetitionTarget.STATE_HOUSE))
        db.session.commit()
    client = state.test_client()
    sign_and_confirm(state, client)
    html = client.get("/petitions/ecps/call").get_data(as_text=True)
    assert "This seat is vacant: there is no member to call right now." in html
    page = client.get("/petitions/ecps/confirmed").get_data(as_text=True)
    assert csrf_token_from(page) is not None
    assert "This seat is vacant: there is no member to call right now." in page
    with state.app_context():
        assert db.session.scalar(select(Petition)).target is PetitionTarget.STATE_HOUSE


def test_a_state_petition_does_not_ask_about_the_alders_stance(state):
    """Stances are the alders': after signing a petition to state members, the page says
    nothing of where the signer's alder stands on it."""
    with state.app_context():
        make_stance(db.session.scalar(select(Petition)), 1)  # ward 1's alder "supports"
        db.session.commit()
    client = state.test_client()
    sign_and_confirm(state, client)  # 1958 N Milwaukee Ave: ward 1
    for page in ("/petitions/ecps/signed", "/petitions/ecps/confirmed"):
        html = client.get(page).get_data(as_text=True)
        assert "supports this petition" not in html and "stance-ask" not in html
