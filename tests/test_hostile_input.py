"""Hostile input through every public form and API: never a 500, never unescaped markup,
and what is stored reads back unchanged."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from petition.extensions import db
from petition.models import Signature
from tests.conftest import VALID_SIGNER, csrf_token_from
from tests.factories import make_petition
from tests.hostile import BROKEN_UTF8, HOSTILE_TEXT

FIELDS = ["first_name", "last_name", "email", "address", "zip", "phone"]
_emails = itertools.count()


@pytest.fixture
def petition(app):
    with app.app_context():
        return make_petition(slug="ecps").slug


def post_sign(client, **fields):
    page = client.get("/petitions/ecps")
    data = dict(VALID_SIGNER, csrf_token=csrf_token_from(page.get_data(as_text=True)))
    data.update(fields)
    return client.post("/petitions/ecps/sign", data=data)


def assert_safe(response):
    assert response.status_code < 500, response.status_code
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror" not in html


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_hostile_strings_in_each_sign_field(client, petition, field, value):
    response = post_sign(client, **{field: value, "email": f"h{next(_emails)}@example.org"}
                         if field != "email" else {field: value})
    assert_safe(response)
    assert response.status_code in (200, 303, 413)


@pytest.mark.parametrize("raw", BROKEN_UTF8)
def test_broken_utf8_in_the_sign_form(client, petition, raw):
    page = client.get("/petitions/ecps")
    token = csrf_token_from(page.get_data(as_text=True)).encode()
    body = (b"csrf_token=" + token + b"&first_name=" + raw + b"&last_name=B&email=b"
            + str(next(_emails)).encode() + b"@example.org&address=1958+N+Milwaukee+Ave"
            b"&zip=60647")
    response = client.post("/petitions/ecps/sign", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert_safe(response)


@pytest.mark.parametrize("value", HOSTILE_TEXT[:20])
def test_hostile_paths_and_tokens(client, petition, value):
    from urllib.parse import quote

    quoted = quote(value, safe="")[:2000]
    for path in (f"/petitions/{quoted}", f"/confirm/{quoted}", f"/remove/{quoted}",
                 f"/api/v1/petitions/{quoted}/counts", f"/petitions/{quoted}/signed"):
        response = client.get(path)
        assert_safe(response)
        if path.startswith("/api/"):
            assert response.is_json and "error" in response.get_json()


names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=100
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=names, last=names, address=names)
def test_sign_form_property(app, client, petition, first, last, address):
    """Any text: a clear answer; if accepted, stored exactly as typed (trimmed)."""
    email = f"p{next(_emails)}@example.org"
    response = post_sign(client, first_name=first, last_name=last, address=address, email=email)
    assert_safe(response)
    with app.app_context():
        stored = db.session.scalar(select(Signature).where(Signature.email == email))
    if response.status_code == 303:
        assert stored is not None
        assert (stored.first_name, stored.last_name, stored.address) == (
            first.strip(), last.strip(), address.strip())
        # What is shown back is the escaped value.
        page = app.test_client().get("/petitions/ecps")
        assert page.status_code == 200
    else:
        assert response.status_code == 200 and stored is None
        html = response.get_data(as_text=True)
        assert 'class="error"' in html


def test_slug_shapes():
    from petition.models.petition import is_valid_slug

    for good in ("ecps", "a", "police-accountability-2027", "x" * 80):
        assert is_valid_slug(good), good
    for bad in ("", "-x", "x-", "ECPS", "a b", "a\x00", "x" * 81, "é", None, 5):
        assert not is_valid_slug(bad), bad


any_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                   max_size=300)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(address=any_text)
def test_lookup_api_property(client, address):
    """Any address text: JSON with a clear status, never a 500."""
    response = client.get("/api/v1/lookup", query_string={"address": address})
    assert response.status_code in (200, 400, 404), response.status_code
    body = response.get_json()
    assert isinstance(body, dict)
    assert ("error" in body) == (response.status_code != 200)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(lon=st.one_of(st.floats(allow_nan=True, allow_infinity=True), any_text),
       lat=st.one_of(st.floats(allow_nan=True, allow_infinity=True), any_text))
def test_lookup_api_point_property(client, lon, lat):
    response = client.get("/api/v1/lookup", query_string={"lon": str(lon), "lat": str(lat)})
    assert response.status_code in (200, 400, 404)
    assert response.is_json


@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_hostile_strings_through_the_lookup_page_and_api(client, value):
    for path in ("/lookup", "/api/v1/lookup"):
        response = client.get(path, query_string={"address": value})
        assert_safe(response)
    assert_safe(client.get("/lookup", query_string={"ward": value}))
    assert_safe(client.get("/lookup", query_string={"lon": value, "lat": value}))


@pytest.fixture
def organizer(app, client):
    from tests.conftest import login
    from tests.factories import make_organizer

    with app.app_context():
        make_organizer("ana@example.org", is_admin=True)
    login(client, "ana@example.org")
    return client


_slugs = itertools.count()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(title=names, summary=any_text, body=any_text)
def test_organizer_petition_form_property(app, organizer, title, summary, body):
    """Any text in the petition form: a clear answer; if saved, read back unchanged, and
    shown escaped."""
    from petition.models import Petition
    from tests.conftest import form_token

    slug = f"prop-{next(_slugs)}"
    data = {"title": title, "slug": slug, "summary": summary, "body": body or "x",
            "goal": "100", "csrf_token": form_token(organizer, "/organizer/petitions/new")}
    response = organizer.post("/organizer/petitions/new", data=data)
    assert response.status_code in (200, 303, 400), response.status_code
    with app.app_context():
        stored = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if response.status_code == 303:
        assert stored is not None
        assert (stored.title, stored.summary, stored.body) == (
            title.strip(), summary.strip(), (body or "x").strip())
        assert_safe(organizer.get(f"/organizer/petitions/{slug}"))
    else:
        assert stored is None


@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_hostile_strings_through_the_organizer_forms(app, organizer, value):
    from tests.conftest import form_token

    token = form_token(organizer, "/organizer/petitions/new")
    for data in ({"title": value, "slug": value, "summary": value, "body": value,
                  "goal": value, "deadline": value, "csrf_token": token},):
        assert_safe(organizer.post("/organizer/petitions/new", data=data))
    anonymous = app.test_client()
    assert_safe(anonymous.post("/organizer/login", data={
        "email": value, "password": value,
        "csrf_token": form_token(anonymous, "/organizer/login")}))
    assert_safe(organizer.get("/organizer/petitions/new", query_string={"sort": value}))
