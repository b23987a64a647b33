"""Calls on a petition to state members: "I called" counts for the member the supporter
called (House or Senate, their district), on the members' scoreboard (page and JSON), the
organizers' dashboard and the district's packet; a member the petition does not aim at,
or a district that is not the caller's, is a form error and nothing is stored."""

import re

import pytest
from sqlalchemy import select, update

from petition.extensions import db
from petition.models import Call, CallOutcome, Legislator, Petition, PetitionTarget
from tests.conftest import form_token, login, sign_and_confirm
from tests.factories import make_organizer, make_petition

SCRIPT = "I'm {{ first_name }}. {{ alder_name }}, please fund the Commission."
CALL = "/petitions/tirc/call"
SPANISH = {"Accept-Language": "es"}


@pytest.fixture
def caller(rosters):
    with rosters.app_context():
        petition = make_petition(slug="tirc", call_script=SCRIPT, scoreboard_public=True,
                                 target=PetitionTarget.STATE_BOTH)
        make_organizer("org@example.org", petitions=[petition])
    client = rosters.test_client()
    sign_and_confirm(rosters, client, slug="tirc")  # Ana: House 3, Senate 2
    return client


def set_target(app, target):
    with app.app_context():
        db.session.execute(update(Petition).values(target=target))
        db.session.commit()


def report(client, **data):
    return client.post(CALL, data=dict(data, csrf_token=form_token(client, CALL)))


def stored_calls(app):
    with app.app_context():
        return [(c.ward, c.chamber, c.district, c.outcome)
                for c in db.session.scalars(select(Call).order_by(Call.id))]


def board_calls(client, chamber, district):
    """(calls this month on the members' page, the same in its JSON)."""
    html = client.get("/petitions/tirc/members").get_data(as_text=True)
    row = re.search(rf'<tr id="{chamber}-{district}">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', row)
    members = client.get("/api/v1/petitions/tirc/alders").get_json()["members"]
    [member] = [m for m in members if (m["chamber"], m["district"]) == (chamber, district)]
    return int(cells[2]), member["calls_this_month"]


def organizer(app):
    client = app.test_client()
    login(client, "org@example.org")
    return client


def dashboard_calls(app, chamber):
    """{district: calls} of one chamber's table on the organizers' dashboard."""
    html = organizer(app).get("/organizer/petitions/tirc").get_data(as_text=True)
    table = html[html.index(f'id="{chamber}-districts"'):]
    table = table[table.index("<tbody>"):table.index("</tbody>")]
    return {int(n): int(re.findall(r'<td class="num">([^<]*)</td>', row)[3])
            for n, row in re.findall(r'<th scope="row">(\d+)</th>(.*?)</tr>', table, re.S)}


def test_the_caller_says_which_member_and_the_call_counts_for_them(rosters, caller):
    html = caller.get(CALL).get_data(as_text=True)
    assert "Whom did you call?" in html
    assert "Eva-Dina Delgado, your State Representative (House district 3)" in html
    assert "Omar Aquino, your State Senator (Senate district 2)" in html
    assert "I spoke to the member" in html and "I spoke to the alder" not in html
    assert "The member's position, as you heard it" in html
    assert report(caller, member="senate-2", outcome="spoke_to_alder").status_code == 303
    assert stored_calls(rosters) == [(1, "senate", 2, CallOutcome.SPOKE_TO_ALDER)]
    assert board_calls(caller, "senate", 2) == (1, 1)
    assert board_calls(caller, "house", 3) == (0, 0)
    assert dashboard_calls(rosters, "senate")[2] == 1
    assert dashboard_calls(rosters, "house")[3] == 0
    assert report(caller, member="house-3", outcome="voicemail").status_code == 303
    assert board_calls(caller, "house", 3) == (1, 1)
    packet = organizer(rosters).get("/organizer/petitions/tirc/districts/3/packet")
    assert "1 constituent called the member's office about it." in packet.get_data(
        as_text=True)


def test_the_question_in_spanish(caller):
    html = caller.get(CALL, headers=SPANISH).get_data(as_text=True)
    assert "¿A quién llamó?" in html
    assert "Omar Aquino, su senador o senadora estatal (distrito 2 del Senado)" in html
    response = caller.post(CALL, headers=SPANISH, data={
        "outcome": "voicemail", "csrf_token": form_token(caller, CALL)})
    assert response.status_code == 400
    assert "Elija al legislador al que llamó." in response.get_data(as_text=True)


@pytest.mark.parametrize("member", [
    "",  # both members: the caller must say whom
    "house-4",  # a district that is not the caller's
    "senate-999",  # no such district
    "alder-1", "house", "house-3x", "house-03", "senate-2,house-3",
])
def test_bad_members_are_form_errors_and_nothing_is_stored(rosters, caller, member):
    response = report(caller, member=member, outcome="voicemail")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Choose the member you called." in html or (
        "Choose one of your own members of the Illinois General Assembly" in html)
    assert stored_calls(rosters) == []


def test_a_petition_to_one_chamber_needs_no_choice_and_refuses_the_other(rosters, caller):
    set_target(rosters, PetitionTarget.STATE_HOUSE)
    html = caller.get(CALL).get_data(as_text=True)
    assert "Whom did you call?" not in html
    response = report(caller, member="senate-2", outcome="voicemail")
    assert response.status_code == 400  # the petition is not aimed at Senators
    assert stored_calls(rosters) == []
    assert report(caller, outcome="voicemail").status_code == 303
    assert report(caller, member="house-3", outcome="no_answer").status_code == 303
    assert [(c[1], c[2]) for c in stored_calls(rosters)] == [("house", 3), ("house", 3)]
    assert board_calls(caller, "house", 3) == (2, 2)
    assert dashboard_calls(rosters, "house")[3] == 2


def test_no_call_can_be_reported_to_a_vacant_seat(rosters, caller):
    """A petition to State Representatives whose seat is vacant: the card says so, offers
    no "I called", and a report sent anyway is refused with nothing stored."""
    set_target(rosters, PetitionTarget.STATE_HOUSE)
    with rosters.app_context():
        db.session.execute(update(Legislator).where(
            Legislator.chamber == "house", Legislator.district == 3).values(
            vacant=True, name="", email="", phone=""))
        db.session.commit()
    html = caller.get(CALL).get_data(as_text=True)
    assert "This seat is vacant: there is no member to call right now." in html
    assert "Report my call" not in html
    token = form_token(caller, "/petitions/tirc")  # the call page has no form to take it from
    for data in ({}, {"member": "house-3"}):
        response = caller.post(CALL, data=dict(data, outcome="voicemail", csrf_token=token))
        assert response.status_code == 400
    assert stored_calls(rosters) == []
