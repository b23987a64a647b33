"""The public scoreboard: where each alder stands, sortable and filterable without
JavaScript, with its JSON and its widget; shown only when organizers make it public."""

import re

import pytest

from petition.extensions import db
from petition.models import Stance
from petition.stances import service
from petition.stances.service import StanceEvidence
from tests.conftest import sign
from tests.factories import make_confirmed, make_organizer, make_petition

BOARD = "/petitions/ecps/alders"


@pytest.fixture
def board(rosters):
    with rosters.app_context():
        petition = make_petition(slug="ecps", scoreboard_public=True)
        make_petition(slug="private")
        organizer = make_organizer(petitions=[petition])
        for ward, stance in ((1, Stance.CO_SPONSOR), (2, Stance.SUPPORTS),
                             (3, Stance.SUPPORTS), (4, Stance.OPPOSES), (5, Stance.UNDECIDED)):
            service.record_stance(petition, ward, stance, StanceEvidence(
                url="https://example.org/vote" if ward == 1 else None,
                note="Voted yes" if ward == 1 else None), actor=organizer)
        for ward in (1, 4, 4):
            make_confirmed(petition, ward=ward)
        db.session.commit()
    return rosters.test_client()


def test_the_board_counts_support_toward_26(board):
    html = board.get(BOARD).get_data(as_text=True)
    assert "3 of 50 support" in html and "26 needed" in html
    assert ('href="https://example.org/vote" rel="noopener noreferrer external nofollow">'
            'Voted yes') in html
    assert "Daniel La Spata" in html and 'aria-labelledby="scoreboard-map-title"' in html
    assert board.get("/petitions/ecps").get_data(as_text=True).count(BOARD) == 1


def test_sort_and_filter_without_javascript(board):
    html = board.get(BOARD + "?sort=signers&dir=desc").get_data(as_text=True)
    assert html.index('id="ward-4"') < html.index('id="ward-1"') < html.index('id="ward-2"')
    html = board.get(BOARD + "?stance=supports").get_data(as_text=True)
    assert 'id="ward-2"' in html and 'id="ward-3"' in html and 'id="ward-1"' not in html
    assert board.get(BOARD + "?stance=maybe").status_code == 400
    assert board.get(BOARD + "?sort=secret").status_code == 400


def test_the_api_answers_the_same(board):
    body = board.get("/api/v1/petitions/ecps/alders?stance=co_sponsor").get_json()
    assert body["supporting"] == 3 and body["needed"] == 26 and body["of"] == 50
    [ward] = body["wards"]
    assert ward["ward"] == 1 and ward["stance"] == "co_sponsor"
    assert ward["source_url"] == "https://example.org/vote" and ward["confirmed_signers"] == 1
    bad = board.get("/api/v1/petitions/ecps/alders?stance=maybe")
    assert bad.status_code == 400 and "error" in bad.get_json()


def test_the_widget_can_be_embedded(board):
    response = board.get(BOARD + "/widget")
    assert response.status_code == 200 and "3 of 50 support" in response.get_data(as_text=True)
    assert "frame-ancestors" not in response.headers.get("Content-Security-Policy", "") or \
        "frame-ancestors *" in response.headers.get("Content-Security-Policy", "")
    assert response.headers["Vary"] == "Accept-Language, Cookie"


def test_a_private_scoreboard_is_not_found(board):
    assert board.get("/petitions/private/alders").status_code == 404
    assert board.get("/petitions/private/alders/widget").status_code == 404
    assert board.get("/api/v1/petitions/private/alders").status_code == 404
    assert "alders" not in board.get("/petitions/private").get_data(as_text=True).split(
        "</header>")[1].split("Find my alder")[0]


def test_spanish_board(board):
    board.get("/language/es")
    html = board.get(BOARD).get_data(as_text=True)
    assert "3 de 50 apoyan" in html


def test_each_cell_carries_its_heading_for_a_phone(board):
    """A phone shows each row as labelled values: each cell's data-label is its heading, in
    the reader's language; the sorted column says so on its heading."""
    html = board.get(BOARD + "?sort=signers").get_data(as_text=True)
    row = re.search(r'<tr id="ward-1">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'data-label="([^"]*)"', row) == [
        "Ward", "Alder", "Stance", "Source", "Constituents who signed", "Letters this month",
        "Calls this month"]
    assert re.search(r'<th scope="col" class="num" aria-sort="ascending"><a [^>]*>'
                     r'Constituents who signed</a></th>', html)
    board.get("/language/es")
    spanish = board.get(BOARD).get_data(as_text=True)
    row = re.search(r'<tr id="ward-1">(.*?)</tr>', spanish, re.S).group(1)
    assert re.findall(r'data-label="([^"]*)"', row)[:3] == ["Distrito", "Concejal", "Postura"]
    assert '<tr data-label="Ordenar por">' in spanish


@pytest.mark.parametrize(("stance", "ask"), [
    (Stance.SUPPORTS, "Daniel La Spata supports this petition. Thank them"),
    (Stance.OPPOSES, "Daniel La Spata opposes this petition. Constituents change minds"),
    (None, "Daniel La Spata has not said where they stand. Ask them to support it"),
])
def test_the_signer_is_told_where_their_alder_stands_with_the_matching_ask(rosters, stance,
                                                                         ask):
    with rosters.app_context():
        petition = make_petition(slug="ecps", scoreboard_public=True)
        if stance is not None:
            service.record_stance(petition, 1, stance, actor=make_organizer())
        db.session.commit()
    client = rosters.test_client()
    assert sign(client).status_code == 303  # 1958 N Milwaukee Ave: ward 1
    assert ask in client.get("/petitions/ecps/signed").get_data(as_text=True)
    html = client.get("/lookup?address=1958+N+Milwaukee+Ave").get_data(as_text=True)
    assert "Where Daniel La Spata stands" in html


def test_a_private_scoreboard_tells_the_signer_nothing(rosters):
    with rosters.app_context():
        petition = make_petition(slug="ecps")
        service.record_stance(petition, 1, Stance.OPPOSES, actor=make_organizer())
        db.session.commit()
    client = rosters.test_client()
    sign(client)
    assert "opposes" not in client.get("/petitions/ecps/signed").get_data(as_text=True)
    assert "Where Daniel La Spata stands" not in client.get(
        "/lookup?address=1958+N+Milwaukee+Ave").get_data(as_text=True)
