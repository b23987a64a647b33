"""Signature goals per ward: spread the petition goal in one step, adjust, see progress."""

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import WardGoal
from petition.stances.goals import even_split
from tests.conftest import form_token, login
from tests.factories import make_confirmed, make_organizer, make_petition

PAGE = "/organizer/petitions/ecps/ward-goals"


@pytest.fixture
def organizer(rosters):
    with rosters.app_context():
        petition = make_petition(slug="ecps", goal=5003, scoreboard_public=True)
        make_organizer("ana@example.org", petitions=[petition])
        for _ in range(3):
            make_confirmed(petition, ward=32)
    client = rosters.test_client()
    login(client, "ana@example.org")
    return client


def test_even_split_keeps_the_total():
    split = even_split(5003)
    assert sum(split.values()) == 5003 and split[1] == 101 and split[50] == 100
    assert set(even_split(0).values()) == {0}


def test_spread_then_adjust_and_see_progress_everywhere(organizer):
    token = form_token(organizer, PAGE)
    assert organizer.post(PAGE, data={"csrf_token": token, "spread": "y"}).status_code == 303
    page = organizer.get(PAGE).get_data(as_text=True)
    assert 'name="goal_1" type="text" value="101"' in page or 'value="101"' in page
    data = {f"goal_{n}": "100" for n in range(1, 51)}
    data.update(goal_32="40", goal_7="", csrf_token=token)
    assert organizer.post(PAGE, data=data).status_code == 303
    public = organizer.get("/petitions/ecps/wards").get_data(as_text=True)
    assert "3 of 40" in public
    assert "3 of 40" in organizer.get("/petitions/ecps/alders").get_data(as_text=True)
    wards = {w["ward"]: w for w in organizer.get("/api/v1/petitions/ecps/alders").get_json()[
        "wards"]}
    assert wards[32]["ward_goal"] == 40 and wards[7]["ward_goal"] is None
    dashboard = organizer.get("/organizer/petitions/ecps").get_data(as_text=True)
    assert '<td class="num">40</td>' in dashboard


@pytest.mark.parametrize("value", ["-1", "abc", "⁰⁴⁵", "9" * 40, "2000000"])
def test_a_bad_goal_is_a_form_error_and_changes_nothing(rosters, organizer, value):
    token = form_token(organizer, PAGE)
    response = organizer.post(PAGE, data={"goal_5": value, "csrf_token": token})
    assert response.status_code == 400
    assert "Enter a whole number" in response.get_data(as_text=True) or \
        "Not a valid integer" in response.get_data(as_text=True)
    with rosters.app_context():
        assert db.session.scalars(select(WardGoal)).all() == []
