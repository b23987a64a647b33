"""Security headers, the client IP behind proxies, request size, honeypot and blocklist."""

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import Signature
from tests.conftest import VALID_SIGNER, csrf_token_from, sign
from tests.factories import make_petition


@pytest.fixture
def petition(app):
    with app.app_context():
        return make_petition(slug="ecps").slug


def test_every_page_carries_security_headers(client, petition):
    for path in ("/", "/petitions/ecps", "/nope", "/api/v1/petitions/ecps/counts"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers  # plain HTTP here


def test_pages_with_personal_data_are_not_stored(client, petition):
    assert sign(client).status_code == 303
    for path in ("/petitions/ecps/signed", "/petitions/ecps"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"


def test_hsts_over_https(client, petition):
    response = client.get("/petitions/ecps", base_url="https://localhost")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_no_inline_script_or_style_in_pages(client, petition):
    import re

    for path in ("/", "/petitions/ecps"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert " style=" not in html


def test_forged_forwarded_for_is_ignored_without_proxies(app, client, petition):
    page = client.get("/petitions/ecps")
    assert page.status_code == 200
    from tests.conftest import VALID_SIGNER, csrf_token_from

    data = dict(VALID_SIGNER, csrf_token=csrf_token_from(page.get_data(as_text=True)))
    client.post("/petitions/ecps/sign", data=data, headers={"X-Forwarded-For": "6.6.6.6"})
    with app.app_context():
        assert db.session.scalar(select(Signature.ip_address)) == "127.0.0.1"


def test_forwarded_for_is_believed_behind_a_configured_proxy(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    with app.app_context():
        make_petition(slug="ecps")
    client = app.test_client()
    page = client.get("/petitions/ecps")
    data = dict(VALID_SIGNER, csrf_token=csrf_token_from(page.get_data(as_text=True)))
    client.post("/petitions/ecps/sign", data=data,
                headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9"})
    with app.app_context():
        # One trusted proxy: the address it saw connecting, not what the client claimed.
        assert db.session.scalar(select(Signature.ip_address)) == "203.0.113.9"


def test_oversized_request_gets_a_clear_413(client, petition):
    response = client.post("/petitions/ecps/sign", data={"address": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    api = client.post("/api/v1/petitions/ecps/counts", data="x" * (2 * 1024 * 1024),
                      content_type="application/json")
    assert api.status_code in (405, 413)


def test_honeypot_stores_nothing_but_looks_like_success(app, client, petition):
    response = sign(client, website="http://spam.example")
    assert response.status_code == 303
    assert "Check your email" in client.get("/petitions/ecps/signed").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_honeypot_is_hidden_from_people(client, petition):
    html = client.get("/petitions/ecps").get_data(as_text=True)
    assert 'class="hp-field" aria-hidden="true"' in html
    assert 'name="website" tabindex="-1"' in html or 'tabindex="-1"' in html


@pytest.mark.parametrize("address", ["x@mailinator.com", "x@eu.mailinator.com",
                                     "x@YOPMAIL.com", "x@blocked.example"])
def test_blocked_email_domains_are_refused_with_a_clear_message(make_app, address):
    app = make_app(BLOCKED_EMAIL_DOMAINS=["blocked.example"])
    with app.app_context():
        make_petition(slug="ecps")
    response = sign(app.test_client(), email=address)
    assert response.status_code == 200
    assert "not accepted" in response.get_data(as_text=True)


def test_ordinary_domains_pass_the_blocklist(client, petition):
    assert sign(client, email="x@notmailinator.com").status_code == 303


def test_a_nul_byte_anywhere_is_a_clear_400_not_a_database_error(client, petition):
    assert client.get("/petitions/ecps?x=a%00b").status_code == 400
    assert client.get("/lookup?address=1%00").status_code == 400
    from tests.conftest import form_token

    response = client.post("/organizer/login", data={
        "email": "a\x00@b.c", "password": "x",
        "csrf_token": form_token(client, "/organizer/login")})
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True)
    # The sign form answers with its own message next to the field instead.
    from tests.conftest import sign

    assert "control characters" in sign(client, first_name="A\x00").get_data(as_text=True)


BAD_HOSTS = [".", "0..0", "a" * 70, "a" * 70 + ".example.org", "a..b:80"]


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_a_host_header_no_url_can_be_built_for_is_a_plain_400(client, petition, host):
    for method, path in (("GET", "/"), ("GET", "/petitions/ecps"), ("POST", "/petitions/ecps/sign"),
                         ("GET", "/api/v1/lookup?address=1"), ("GET", "/nope")):
        response = client.open(path, method=method, headers={"Host": host})
        assert response.status_code == 400, (method, path)
        assert response.mimetype == "text/plain"
        assert "could not be understood" in response.get_data(as_text=True)
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_forwarded_host_no_url_can_be_built_for_is_a_plain_400(make_app):
    client = make_app(TRUSTED_PROXIES=1).test_client()
    for host in BAD_HOSTS:
        response = client.get("/", headers={"X-Forwarded-Host": host})
        assert response.status_code == 400 and response.mimetype == "text/plain"


def sign_through_proxy(make_app, forwarded_for):
    """Sign behind one trusted proxy that reports `forwarded_for`; the stored IP address."""
    app = make_app(TRUSTED_PROXIES=1)
    with app.app_context():
        make_petition(slug="ecps")
    client = app.test_client()
    page = client.get("/petitions/ecps")
    data = dict(VALID_SIGNER, csrf_token=csrf_token_from(page.get_data(as_text=True)))
    response = client.post("/petitions/ecps/sign", data=data,
                           headers={"X-Forwarded-For": forwarded_for})
    assert response.status_code == 303
    with app.app_context():
        return db.session.scalars(select(Signature.ip_address)).one()


@pytest.mark.parametrize("forwarded_for", [
    "x" * 60, "203.0.113.9" + "0" * 40, "2001:db8::1%" + "e" * 50, "6.6.6.6, not an address",
    "<script>", "999.1.1.1",
])
def test_a_forwarded_for_that_is_no_address_signs_without_one(make_app, forwarded_for):
    assert sign_through_proxy(make_app, forwarded_for) is None


def test_a_forwarded_ipv6_address_is_stored_in_its_short_form(make_app):
    assert sign_through_proxy(make_app, "6.6.6.6, 2001:DB8:0:0::1") == "2001:db8::1"
