"""Sharing: meta tags, share links, a copyable link and the embeddable widget."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import login
from tests.factories import make_organizer, make_petition


@pytest.fixture
def petition(app):
    with app.app_context():
        make_petition(slug="ecps", title="Fund the councils & more", summary="Short <summary>",
                      title_es="Financien los consejos", goal=50)
        make_organizer("ana@example.org", is_admin=True)
    return "ecps"


def test_petition_page_has_open_graph_and_twitter_tags(client, petition):
    html = client.get("/petitions/ecps").get_data(as_text=True)
    assert '<meta property="og:title" content="Fund the councils &amp; more">' in html
    assert '<meta property="og:description" content="Short &lt;summary&gt;">' in html
    assert '<meta property="og:url" content="https://petitions.example.org/petitions/ecps">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    spanish = client.get("/petitions/ecps", headers={"Accept-Language": "es"}).get_data(
        as_text=True)
    assert '<meta property="og:title" content="Financien los consejos">' in spanish
    assert '<meta property="og:locale" content="es_US">' in spanish


def test_share_links_point_at_the_petition(client, petition):
    html = client.get("/petitions/ecps").get_data(as_text=True)
    import re

    hrefs = dict(re.findall(r'class="share-(\w+)" href="([^"]+)"', html))
    assert set(hrefs) == {"whatsapp", "facebook", "x", "email"}
    url = "https://petitions.example.org/petitions/ecps"
    unescape = __import__("html").unescape
    # Each link carries its network as the source (tests/test_sources.py).
    assert f"{url}?source=whatsapp" in parse_qs(
        urlsplit(unescape(hrefs["whatsapp"])).query)["text"][0]
    assert parse_qs(urlsplit(unescape(hrefs["facebook"])).query)["u"] == [
        f"{url}?source=facebook"]
    assert parse_qs(urlsplit(unescape(hrefs["x"])).query)["url"] == [f"{url}?source=x"]
    assert unescape(hrefs["email"]).startswith("mailto:?subject=Fund%20the%20councils")
    assert f'id="share-url" type="text" value="{url}" readonly' in html
    # No script or frame from any of these networks on our page.
    assert "facebook.com/" not in html.split("share-links")[0]
    assert "<iframe" not in html


def test_widget_can_be_framed_and_shows_the_count(client, petition):
    response = client.get("/petitions/ecps/widget")
    assert response.status_code == 200
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers
    # Public for a minute, and in the language of Accept-Language or the language cookie.
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert set(response.vary) == {"Accept-Language", "Cookie"}
    html = response.get_data(as_text=True)
    assert "Fund the councils &amp; more" in html and 'max="50"' in html
    assert 'href="https://petitions.example.org/petitions/ecps#sign" target="_blank"' in html
    # Every other page still refuses to be framed.
    assert "frame-ancestors 'none'" in client.get("/petitions/ecps").headers[
        "Content-Security-Policy"]


def test_organizers_get_the_embed_code(client, petition):
    login(client, "ana@example.org")
    html = client.get("/organizer/petitions/ecps").get_data(as_text=True)
    assert ('&lt;iframe src=&#34;https://petitions.example.org/petitions/ecps/widget&#34;'
            in html or '&lt;iframe src=&quot;https://petitions.example.org/petitions/ecps/widget'
            in html)
