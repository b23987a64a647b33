"""Where signatures came from: ?source= / utm_source on the petition link, through the sign
form, onto the signature; the dashboard's table by source; the export's source column; share
links that carry their network."""

import csv
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import Petition, Signature
from petition.petitions import dashboard
from petition.petitions.sharing import share_links, with_source
from petition.signing.sources import clean_source, source_from_args
from tests.conftest import VALID_SIGNER, csrf_token_from, login
from tests.factories import make_confirmed, make_organizer, make_petition, make_signature


@pytest.fixture
def petition(app):
    with app.app_context():
        petition = make_petition(slug="ecps", title="ECPS", requires_confirmation=False)
        make_organizer("ana@example.org", petitions=[petition])
    return "ecps"


def sign_from(client, link, email, **fields):
    """Open the petition at `link`, then post its sign form as a browser would (hidden
    fields included)."""
    page = client.get(link).get_data(as_text=True)
    found = re.search(r'name="source" type="hidden" value="([^"]*)"', page)
    hidden = {"source": html.unescape(found[1])} if found else {}
    data = dict(VALID_SIGNER, email=email, csrf_token=csrf_token_from(page), **hidden)
    data.update(fields)
    response = client.post("/petitions/ecps/sign", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return db.session.scalar(select(Signature).where(Signature.email == email))


@pytest.mark.parametrize("raw, expected", [
    ("whatsapp", "whatsapp"), (" Facebook ", "facebook"), ("union-hall_12", "union-hall_12"),
    ("x" * 40, "x" * 40), ("x" * 41, None), ("", None), (None, None), ("-formula", None),
    ("=HYPERLINK(1)", None), ("a b", None), ("a/b", None), ("naïve", None), ("a\x00b", None),
    ("<script>", None), ("a\r\nb", None), (["list"], None), ("_under", None),
])
def test_clean_source_keeps_only_short_safe_tokens(raw, expected):
    assert clean_source(raw) == expected


def test_source_prefers_source_over_utm_source():
    assert source_from_args({"source": "flyer", "utm_source": "newsletter"}) == "flyer"
    assert source_from_args({"source": "bad token!", "utm_source": "newsletter"}) == "newsletter"
    assert source_from_args({}) is None


def test_source_on_the_link_is_stored_on_the_signature(app, client, petition):
    with app.app_context():
        assert sign_from(client, "/petitions/ecps?source=WhatsApp", "a@example.org").source \
            == "whatsapp"
        assert sign_from(client, "/petitions/ecps?utm_source=newsletter&utm_medium=email",
                         "b@example.org").source == "newsletter"
        assert sign_from(client, "/petitions/ecps", "c@example.org").source is None


@pytest.mark.parametrize("hostile", [
    "'; DROP TABLE signatures; --", "<img src=x onerror=alert(1)>", "=cmd|' /C calc'!A0",
    "a" * 5000, "a\x00b", "line\r\nSet-Cookie: x=1", "%00", "ward 5", "../../etc/passwd",
])
def test_a_hostile_source_is_dropped_never_an_error(app, client, petition, hostile):
    with app.app_context():
        page = client.get("/petitions/ecps", query_string={"source": hostile})
        if "\x00" in hostile:
            assert page.status_code == 400  # a NUL anywhere in a URL is refused outright
        else:
            assert page.status_code == 200
            assert 'name="source"' not in page.get_data(as_text=True)
        # Posted straight to the form, too: the signature is stored, without a source.
        signature = sign_from(client, "/petitions/ecps", "h@example.org", source=hostile)
        assert signature is not None and signature.source is None


def test_the_source_survives_a_form_error(app, client, petition):
    page = client.get("/petitions/ecps?source=flyer").get_data(as_text=True)
    data = dict(VALID_SIGNER, email="not an email", source="flyer",
                csrf_token=csrf_token_from(page))
    again = client.post("/petitions/ecps/sign", data=data).get_data(as_text=True)
    assert 'name="source" type="hidden" value="flyer"' in again


def test_share_links_carry_their_network_as_the_source():
    url = "https://petitions.example.org/petitions/ecps"
    links = dict(share_links("Title", url, "Sign"))
    assert parse_qs(urlsplit(links["facebook"]).query)["u"] == [url + "?source=facebook"]
    assert parse_qs(urlsplit(links["x"]).query)["url"] == [url + "?source=x"]
    assert parse_qs(urlsplit(links["whatsapp"]).query)["text"] == [
        f"Sign {url}?source=whatsapp"]
    assert "source%3Demail" in links["email"]
    assert with_source(url + "?lang=es", "email") == url + "?lang=es&source=email"


def test_a_shared_link_brings_its_source_to_the_signature(app, client, petition):
    page = client.get("/petitions/ecps").get_data(as_text=True)
    href = html.unescape(re.search(r'class="share-facebook" href="([^"]+)"', page)[1])
    shared = parse_qs(urlsplit(href).query)["u"][0]
    with app.app_context():
        signature = sign_from(client, urlsplit(shared).path + "?" + urlsplit(shared).query,
                              "friend@example.org")
        assert signature.source == "facebook"


def test_dashboard_shows_signatures_by_source(app, client, petition):
    with app.app_context():
        ecps = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        for _ in range(3):
            make_confirmed(ecps, ward=5, source="whatsapp")
        make_signature(ecps, ward=5, source="whatsapp")
        make_signature(ecps, ward=6, source="flyer")
        make_confirmed(ecps, ward=7)
        make_confirmed(ecps, ward=7, source="spam", invalidated_at=ecps.created_at)
        rows = dashboard.signatures_by_source(ecps)
        assert [(r.source, r.confirmed, r.pending) for r in rows] == [
            ("whatsapp", 3, 1), (None, 1, 0), ("flyer", 0, 1)]
    login(client, "ana@example.org")
    dashboard_page = client.get("/organizer/petitions/ecps").get_data(as_text=True)
    assert 'href="/organizer/petitions/ecps/sources"' in dashboard_page
    page = client.get("/organizer/petitions/ecps/sources").get_data(as_text=True)
    table = page.split('id="sources-heading"')[1].split("</table>")[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", table)
    assert cells == ["whatsapp", "3", "1", "(none)", "1", "0", "flyer", "0", "1"]


def test_the_export_has_a_source_column(app, client, petition):
    with app.app_context():
        ecps = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        make_confirmed(ecps, ward=5, first_name="Ana", source="whatsapp")
        make_confirmed(ecps, ward=5, first_name="Bo")
    login(client, "ana@example.org")
    body = client.get("/organizer/petitions/ecps/export.csv").get_data().decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(body)))
    column = rows[0].index("source")  # then the paper sheet's number and day signed
    assert rows[0][column:] == ["source", "sheet number", "signed on"]
    by_name = {r[0]: r[column] for r in rows[1:]}
    assert by_name == {"Ana": "whatsapp", "Bo": ""}
