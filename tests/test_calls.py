"""Calls: a confirmed supporter calls their own alder with the organizers' script, then
reports how it went; counts per ward reach the dashboard, the scoreboard and the packet."""

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import Call, CallOutcome, Stance
from petition.stances.calls import first_number
from tests.conftest import csrf_token_from, form_token, login, sign, sign_and_confirm
from tests.factories import make_organizer, make_petition

SCRIPT = "I'm {{ first_name }} from ward {{ ward }}. Alder {{ alder_name }}, please fund ECPS."
CALL = "/petitions/ecps/call"


@pytest.fixture
def caller(rosters):
    with rosters.app_context():
        petition = make_petition(slug="ecps", call_script=SCRIPT, scoreboard_public=True)
        make_organizer("org@example.org", petitions=[petition])
    client = rosters.test_client()
    sign_and_confirm(rosters, client)  # Ana, 1958 N Milwaukee Ave: ward 1
    return client


def _report(client, **data):
    return client.post(CALL, data=dict(data, csrf_token=form_token(client, CALL)))


def test_the_call_page_has_both_numbers_and_the_filled_script(caller):
    html = caller.get(CALL).get_data(as_text=True)
    assert 'href="tel:+18722062685"' in html and 'href="tel:+13127443063"' in html
    assert "I&#39;m Ana from ward 1. Alder Daniel La Spata, please fund ECPS." in html


def test_a_reported_call_counts_for_the_signers_own_ward(rosters, caller):
    response = _report(caller, outcome="spoke_to_staff", heard_stance="undecided",
                       note="They will read it.")
    assert response.status_code == 303
    assert "counted for ward 1" in caller.get(CALL).get_data(as_text=True)
    with rosters.app_context():
        [call] = db.session.scalars(select(Call)).all()
        assert (call.ward, call.outcome, call.heard_stance, call.note) == (
            1, CallOutcome.SPOKE_TO_STAFF, Stance.UNDECIDED, "They will read it.")
    wards = {w["ward"]: w for w in caller.get("/api/v1/petitions/ecps/alders").get_json()[
        "wards"]}
    assert wards[1]["calls_this_month"] == 1
    organizer = rosters.test_client()
    login(organizer, "org@example.org")
    packet = organizer.get("/organizer/petitions/ecps/wards/1/packet").get_data(as_text=True)
    assert "1 constituent called the ward office" in packet
    dashboard = organizer.get("/organizer/petitions/ecps").get_data(as_text=True)
    assert 'data-calls="1"' in dashboard
    ward_page = organizer.get("/organizer/petitions/ecps/wards/1/stance").get_data(as_text=True)
    assert "I spoke to staff: 1" in ward_page


@pytest.mark.parametrize("data", [
    {"outcome": "shouted"}, {"outcome": ""}, {"outcome": "voicemail", "heard_stance": "maybe"},
    {"outcome": "voicemail", "note": "x" * 501}, {"outcome": "voicemail", "note": "a\x00b"},
    {"outcome": "voicemail", "member": "house-3"},  # a petition to alders has no members
])
def test_bad_reports_are_refused_and_change_nothing(rosters, caller, data):
    assert _report(caller, **data).status_code == 400
    with rosters.app_context():
        assert db.session.scalars(select(Call)).all() == []


def test_only_a_confirmed_supporters_browser_may_call_or_report(rosters, caller):
    stranger = rosters.test_client()
    assert stranger.get(CALL).status_code == 403
    page = stranger.get("/petitions/ecps").get_data(as_text=True)
    response = stranger.post(CALL, data={"outcome": "voicemail",
                                         "csrf_token": csrf_token_from(page)})
    assert response.status_code == 403
    unconfirmed = rosters.test_client()
    sign(unconfirmed, email="ben@example.org")
    assert unconfirmed.get(CALL).status_code == 403
    with rosters.app_context():
        assert db.session.scalars(select(Call)).all() == []


def test_a_broken_call_script_cannot_be_saved(rosters, caller):
    organizer = rosters.test_client()
    login(organizer, "org@example.org")
    edit = "/organizer/petitions/ecps/edit"
    data = {"title": "T", "slug": "ecps", "summary": "S", "body": "B", "goal": "100",
            "call_script": "Hi {{ alder_name", "csrf_token": form_token(organizer, edit)}
    assert organizer.post(edit, data=data).status_code == 400


def test_first_number():
    assert first_number("(312) 744-3063 / 3074/6813") == "(312) 744-3063"
    assert first_number("(872) 206-2685") == "(872) 206-2685" and first_number(None) == ""
