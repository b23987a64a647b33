"""Confirming a signature from the emailed link."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import OutboxMessage, Signature, WardCount
from petition.models.base import utcnow
from petition.signing import tokens
from tests.conftest import csrf_token_from, deliver_mail, delivered_files, sign, text_of
from tests.factories import make_petition, make_signature

LINK = re.compile(r"https://petitions\.example\.org(/confirm/[A-Za-z0-9_.\-]+)")


@pytest.fixture
def signed(app, client):
    """Sign the petition through the form and return the confirmation link's path."""
    with app.app_context():
        make_petition(slug="ecps", goal=10)
    assert sign(client).status_code == 303
    deliver_mail(app)
    return LINK.search(text_of(delivered_files(app)[-1])).group(1)


def confirmed_count(app):
    with app.app_context():
        return db.session.scalar(select(Signature.confirmed_at).limit(1)), db.session.scalar(
            select(func.sum(WardCount.confirmed))
        )


def post_confirm(client, path):
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})


def test_get_shows_a_button_and_changes_nothing(app, client, signed):
    for _ in range(3):
        response = client.get(signed)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Confirm my signature" in html and 'method="post"' in html
    assert confirmed_count(app) == (None, None)


def test_post_confirms_and_the_count_goes_up(app, client, signed):
    before = client.get("/api/v1/petitions/ecps/counts").get_json()["total"]
    response = post_confirm(client, signed)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "your signature is confirmed" in page
    confirmed_at, n = confirmed_count(app)
    assert confirmed_at is not None and n == 1
    counts = client.get("/api/v1/petitions/ecps/counts").get_json()
    assert counts["total"] == before + 1
    assert counts["wards"]["1"] == 1  # 1958 N Milwaukee Ave is in the 1st ward
    assert 'value="1"' in client.get("/petitions/ecps").get_data(as_text=True)


def test_a_used_link_says_so_and_counts_once(app, client, signed):
    post_confirm(client, signed)
    again = client.get(signed)
    assert again.status_code == 200
    assert "already confirmed" in again.get_data(as_text=True)
    token = csrf_token_from(client.get("/petitions/ecps").get_data(as_text=True))
    response = client.post(signed, data={"csrf_token": token})
    assert response.status_code == 303
    assert confirmed_count(app)[1] == 1


def test_post_without_csrf_token_confirms_nothing(app, client, signed):
    response = client.post(signed, data={})
    assert response.status_code == 400
    assert confirmed_count(app) == (None, None)


def test_forged_token_gets_a_clear_page(app, client, signed):
    forged = signed[:-3] + ("AAA" if not signed.endswith("AAA") else "BBB")
    for path in (forged, "/confirm/nonsense", "/confirm/" + "x" * 3000):
        response = client.get(path)
        assert response.status_code == 404
        assert "not valid" in response.get_data(as_text=True)
        assert client.post(path, data={}).status_code in (400, 404)
    assert confirmed_count(app) == (None, None)


def test_token_signed_with_another_key_is_refused(app, client, signed):
    with app.app_context():
        signature_id = db.session.scalar(select(Signature.id))
    token = tokens.make_confirm_token("another-secret", signature_id, "ana@example.org")
    assert client.get(f"/confirm/{token}").status_code == 404


def test_token_for_another_address_is_refused(app, client, signed):
    with app.app_context():
        signature_id = db.session.scalar(select(Signature.id))
    token = tokens.make_confirm_token("test-secret", signature_id, "mallory@example.org")
    assert client.get(f"/confirm/{token}").status_code == 404


def test_expired_token_gets_a_clear_page(make_app):
    app = make_app(CONFIRM_TOKEN_MAX_AGE=-1)
    client = app.test_client()
    with app.app_context():
        petition = make_petition(slug="ecps")
        signature = make_signature(petition)
        token = tokens.make_confirm_token("test-secret", signature.id,
                                          signature.email_normalized)
    response = client.get(f"/confirm/{token}")
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    assert client.post(f"/confirm/{token}", data={}).status_code in (400, 410)


def test_petition_without_confirmation_counts_at_once(app, client):
    with app.app_context():
        make_petition(slug="quick", requires_confirmation=False)
    assert sign(client, slug="quick").status_code == 303
    assert client.get("/api/v1/petitions/quick/counts").get_json()["total"] == 1
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.id)) is None


def test_confirmed_signer_signing_again_gets_no_more_mail(app, client, signed):
    post_confirm(client, signed)
    sign(client)
    with app.app_context():
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 1


def test_confirmation_window_is_configurable(app):
    with app.app_context():
        petition = make_petition(slug="ecps")
        signature = make_signature(petition, created_at=utcnow() - timedelta(days=30))
        token = tokens.make_confirm_token("test-secret", signature.id,
                                          signature.email_normalized)
    check = tokens.read_confirm_token("test-secret", token, max_age=60)
    assert check.status == "ok" and check.signature_id == signature.id
