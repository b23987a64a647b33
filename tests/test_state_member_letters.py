"""A petition to both state members: a supporter's letter goes to the State Representative
and the State Senator, and each of them has it counted, on the organizers' dashboard and
letters page and on the public members' scoreboard (page and JSON)."""

import re

import pytest
from sqlalchemy import select, update

from petition import demo
from petition.extensions import db
from petition.models import Legislator, Letter, Petition, PetitionTarget
from tests.conftest import login, sign_and_confirm
from tests.letters_support import ANA, textarea
from tests.test_state_letters import send

SLUG = demo.TIRC_SLUG  # Ana lives in House district 3 and Senate district 2


@pytest.fixture
def both(tirc_to_both):
    """`tirc_to_both` with the members' scoreboard public."""
    with tirc_to_both.app_context():
        db.session.execute(update(Petition).where(Petition.slug == SLUG)
                           .values(scoreboard_public=True))
        db.session.commit()
    return tirc_to_both


def write_letter(app, smtp_server):
    ana = app.test_client()
    sign_and_confirm(app, ana, slug=SLUG, smtp_server=smtp_server, **ANA)
    assert send(ana, textarea(ana.get(f"/petitions/{SLUG}/letter"))).status_code == 303


def dashboard_cells(app, chamber):
    """{district: [confirmed, pending, letters]} of one chamber's dashboard table."""
    org = app.test_client()
    login(org, "org@example.org")
    html = org.get(f"/organizer/petitions/{SLUG}").get_data(as_text=True)
    table = html[html.index(f'id="{chamber}-districts"'):]
    table = table[table.index("<tbody>"):table.index("</tbody>")]
    return {int(n): [c.strip() for c in re.findall(r'<td class="num">([^<]*)</td>', row)][:3]
            for n, row in re.findall(r'<th scope="row">(\d+)</th>(.*?)</tr>', table, re.S)}


def board_letters(app, chamber, district):
    """(letters this month on the members' page, the same in its JSON)."""
    client = app.test_client()
    html = client.get(f"/petitions/{SLUG}/members").get_data(as_text=True)
    row = re.search(rf'<tr id="{chamber}-{district}">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', row)
    body = client.get(f"/api/v1/petitions/{SLUG}/alders").get_json()
    [member] = [m for m in body["members"] if (m["chamber"], m["district"]) == (
        chamber, district)]
    return int(cells[1]), member["letters_this_month"]


def test_the_representative_and_the_senator_each_count_the_letter(both, smtp_server):
    write_letter(both, smtp_server)
    with both.app_context():
        letter = db.session.scalar(select(Letter))
        assert (letter.recipient_chamber, letter.recipient_district,
                letter.senate_district) == ("house", 3, 2)
    assert dashboard_cells(both, "house")[3] == ["1", "0", "1"]
    assert dashboard_cells(both, "senate")[2] == ["1", "0", "1"]
    assert board_letters(both, "house", 3) == (1, 1)
    assert board_letters(both, "senate", 2) == (1, 1)
    assert board_letters(both, "senate", 1) == (0, 0)
    assert letters_page_rows(both) == {
        "house": [("3", "Eva-Dina Delgado", "1")], "senate": [("2", "Omar Aquino", "1")]}


def letters_page_rows(app, headers=None):
    """{chamber: [(district, member, letters)]} of the organizers' letters page."""
    org = app.test_client()
    login(org, "org@example.org")
    html = org.get(f"/organizer/petitions/{SLUG}/letters", headers=headers).get_data(
        as_text=True)
    assert "Letters per ward" not in html
    return {chamber: re.findall(r'<th scope="row">(\d+)</th><td>([^<]*)</td>'
                                r'<td class="num">(\d+)</td>', table)
            for chamber, table in re.findall(r'<table class="table" id="(\w+)-letters">'
                                             r'(.*?)</table>', html, re.S)}


def test_the_letters_page_in_spanish(both, smtp_server):
    write_letter(both, smtp_server)
    org = both.test_client()
    login(org, "org@example.org")
    html = org.get(f"/organizer/petitions/{SLUG}/letters",
                   headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Cartas por legislador" in html
    assert "Cada carta llega por separado a las oficinas de los legisladores estatales." in html


def test_a_vacant_senate_seat_gets_no_letter(both, smtp_server):
    """The letter goes to the Representative alone: the Senate seat counts none and no
    digest waits for it."""
    with both.app_context():
        db.session.execute(update(Legislator).where(
            Legislator.chamber == "senate", Legislator.district == 2).values(
            vacant=True, name="", email=""))
        db.session.commit()
    write_letter(both, smtp_server)
    with both.app_context():
        assert db.session.scalar(select(Letter.senate_district)) is None
    assert board_letters(both, "house", 3) == (1, 1)
    assert board_letters(both, "senate", 2) == (0, 0)


def test_a_letter_to_the_senator_alone_counts_once(both, smtp_server):
    with both.app_context():
        db.session.execute(update(Petition).values(target=PetitionTarget.STATE_SENATE))
        db.session.commit()
    write_letter(both, smtp_server)
    assert board_letters(both, "senate", 2) == (1, 1)
    assert dashboard_cells(both, "senate")[2] == ["1", "0", "1"]
