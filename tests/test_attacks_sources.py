"""Attacks on ?source= / utm_source: a link (or a tampered hidden field) cannot pass online
signatures off as paper ones typed in by organizers."""

import re

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import Signature
from petition.signing.sources import PAPER, clean_source
from tests.conftest import VALID_SIGNER, csrf_token_from, login
from tests.factories import make_organizer, make_petition
from tests.test_sources import sign_from


@pytest.fixture
def petition(app, client):
    with app.app_context():
        petition = make_petition(slug="ecps", title="ECPS", requires_confirmation=False)
        make_organizer("ana@example.org", petitions=[petition])
    return "ecps"


@pytest.mark.parametrize("raw", ["paper", "PAPER", " Paper ", "paper\n"])
def test_the_paper_source_is_reserved(raw):
    assert clean_source(raw) is None


@pytest.mark.parametrize("link", ["/petitions/ecps?source=paper",
                                  "/petitions/ecps?utm_source=PAPER",
                                  "/petitions/ecps?source=Paper&utm_source=paper"])
def test_a_link_cannot_make_an_online_signature_a_paper_one(app, client, petition, link):
    with app.app_context():
        assert sign_from(client, link, "a@example.org").source is None


def test_a_tampered_hidden_field_cannot_either(app, client, petition):
    page = client.get("/petitions/ecps").get_data(as_text=True)
    data = dict(VALID_SIGNER, source="paper", csrf_token=csrf_token_from(page))
    assert client.post("/petitions/ecps/sign", data=data).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Signature.source)) is None
    # The organizers' paper page lists no online signer among its last saved rows, and the
    # dashboard counts no paper signature.
    login(client, "ana@example.org")
    paper = client.get("/organizer/petitions/ecps/paper").get_data(as_text=True)
    assert VALID_SIGNER["last_name"] not in paper.split("Last saved rows")[-1]
    dashboard = client.get("/organizer/petitions/ecps").get_data(as_text=True)
    assert not re.search(rf"<td>{PAPER}</td>", dashboard)
