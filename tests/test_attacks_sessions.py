"""Attacks on what the session cookie lets a visitor do: signing with someone else's email,
forged and tampered cookies, ?next= on log-in."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from petition.extensions import db
from petition.models import Signature, WardStatus
from tests.conftest import (
    csrf_token_from,
    deliver_mail,
    delivered_files,
    login,
    sign,
    sign_and_confirm,
    text_of,
)
from tests.factories import make_organizer, make_petition
from tests.test_public_remove import REMOVE

VICTIM = {"first_name": "Vic", "email": "vic@example.org", "address": "1600 N Milwaukee Ave",
          "zip": "60647"}  # near the line between wards 1 and 32: the ward is the signer's choice
WARD_CARD = re.compile(r"Ward (1|32)\b")


@pytest.fixture
def victim(app, client, rosters):
    with app.app_context():
        make_petition(slug="ecps", requires_confirmation=True)
        make_organizer("ana@example.org")
    sign_and_confirm(app, client, **VICTIM)
    return client


def _victims_ward(app):
    with app.app_context():
        return db.session.execute(select(Signature.ward, Signature.ward_status).where(
            Signature.email == VICTIM["email"])).one()


def test_signing_with_someone_elses_email_shows_nothing_of_their_signature(app, victim):
    # It stored the victim's signature id in the attacker's session: the page after signing
    # showed their ward and alder, said they had confirmed, and /my-ward moved their
    # signature to another ward.
    attacker = app.test_client()
    assert sign(attacker, first_name="Mal", email="VIC@example.org", address="5801 S Ellis Ave",
                zip="60637").status_code == 303
    page = attacker.get("/petitions/ecps/signed").get_data(as_text=True)
    assert "Open the link in it to confirm" in page  # as for a new signature
    assert not WARD_CARD.search(page) and "is counted" not in page
    assert attacker.get("/petitions/ecps/my-ward").status_code == 403
    token = csrf_token_from(attacker.get("/petitions/ecps").get_data(as_text=True))
    assert attacker.post("/petitions/ecps/my-ward",
                         data={"csrf_token": token, "ward": "32"}).status_code == 403
    assert _victims_ward(app) == (1, WardStatus.NEAR_BOUNDARY)


def test_the_browser_that_signed_still_sees_its_own_signature_when_it_signs_again(app, victim):
    for _ in range(2):  # a double submit, or the form sent again later
        assert sign(victim, **VICTIM).status_code == 303
        page = victim.get("/petitions/ecps/signed").get_data(as_text=True)
        assert "is counted" in page and WARD_CARD.search(page)
    assert victim.get("/petitions/ecps/my-ward").status_code == 200


def _cookie_signed_with(secret, data):
    forger = Flask("forger")
    forger.secret_key = secret
    return SecureCookieSessionInterface().get_signing_serializer(forger).dumps(data)


@pytest.mark.parametrize("secret", ["", "secret", "dev", "changeme", "test-secret-"])
def test_a_session_signed_without_the_secret_key_is_ignored(app, victim, secret):
    with app.app_context():
        victim_id = db.session.scalar(select(Signature.id))
    attacker = app.test_client()
    forged = {"confirmed_signature": victim_id,
              "signed": {"slug": "ecps", "signature_id": victim_id, "confirmed": True},
              "_user_id": "1", "_fresh": True}
    attacker.set_cookie("session", _cookie_signed_with(secret or "x", forged))
    assert attacker.get("/petitions/ecps/my-ward").status_code == 403
    assert attacker.get("/petitions/ecps/confirmed").status_code == 302
    assert attacker.get("/organizer/").status_code == 302  # to the log-in page


def test_a_tampered_session_cookie_is_ignored(app, victim):
    cookie = victim.get_cookie("session").value
    payload, _, signature = cookie.rpartition(".")
    for tampered in (payload[:-1] + ("A" if payload[-1] != "A" else "B") + "." + signature,
                     cookie[:-2], cookie + "x", ".".join(cookie.split(".")[:2]), ""):
        attacker = app.test_client()
        attacker.set_cookie("session", tampered)
        assert attacker.get("/petitions/ecps/my-ward").status_code == 403
        assert attacker.get("/petitions/ecps/confirmed").status_code == 302


@pytest.mark.parametrize("target", [
    "/organizer/..//evil.example", "/organizer/%2e%2e//evil.example",
    "/organizer/../\\evil.example", "/organizer/%5C%5Cevil.example",
    "/organizer/\u3002evil.example", "/organizer//evil.example", "/organizer/\ufeff//evil",
])
def test_next_never_leaves_the_site(app, victim, target):
    client = app.test_client()
    response = login(client, "ana@example.org", next_url=target.replace("%", "%25")
                     if "%" in target else target)
    assert response.status_code == 303
    landed = urlsplit(urljoin("https://petitions.example.org/organizer/login",
                              response.headers["Location"]))
    assert landed.netloc in ("", "petitions.example.org")
    assert not response.headers["Location"].startswith(("//", "\\", "http"))


def test_a_removed_signatures_id_given_to_the_next_signer_is_not_this_browsers(app, victim):
    # SQLite gives the deleted row's id (the highest) to the next signature: the remover's
    # browser, whose session still holds that id, saw the next signer's ward and could
    # choose it (and write their letter).
    with app.app_context():
        removed_id = db.session.scalar(select(Signature.id))
    [mail] = [m for m in delivered_files(app) if m["To"] == VICTIM["email"]][-1:]
    remove = REMOVE.search(text_of(mail)).group(1)
    page = victim.get(remove).get_data(as_text=True)
    assert victim.post(remove, data={"csrf_token": csrf_token_from(page)}).status_code == 200
    bea = app.test_client()
    assert sign(bea, first_name="Bea", email="bea@example.org", address="1600 N Milwaukee Ave",
                zip="60647").status_code == 303
    deliver_mail(app)
    with app.app_context():
        bea_id = db.session.scalar(select(Signature.id).where(
            Signature.email == "bea@example.org"))
    if bea_id != removed_id:
        pytest.skip("this database does not reuse ids")
    assert victim.get("/petitions/ecps/my-ward").status_code == 403
    assert victim.get("/petitions/ecps/confirmed").status_code == 302
    assert not WARD_CARD.search(victim.get("/petitions/ecps/signed").get_data(as_text=True))
    assert bea.get("/petitions/ecps/my-ward").status_code == 200  # still hers
