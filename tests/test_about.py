"""Who runs the site and a privacy page that tells the truth, linked wherever data is asked."""

import pytest

from petition.models import PetitionState
from tests.conftest import deliver_mail, delivered_files, form_token, login, sign, text_of
from tests.factories import make_confirmed, make_organizer, make_petition

UNTRUE = "never sent to anyone else"
ORG = {"ORG_NAME": "ECPS Coalition", "ORG_CONTACT_EMAIL": "privacy@ecps.example.org",
       "ORG_ABOUT": "We are *neighbors* organizing for ECPS.",
       "ORG_ABOUT_ES": "Somos *vecinos* que se organizan por ECPS.",
       "ORG_WEBSITE": "https://ecps.example.org", "ORG_LOGO": "img/logo.svg"}


@pytest.fixture
def org_app(make_app):
    return make_app(**ORG)


def test_every_page_promises_only_what_holds_and_links_the_privacy_page(app, client):
    with app.app_context():
        make_petition(slug="ecps")
    for path in ("/", "/petitions/ecps", "/lookup", "/about", "/privacy", "/organizer/login"):
        html = client.get(path).get_data(as_text=True)
        assert UNTRUE not in html, path
        assert 'href="/privacy"' in html, path
    sign_page = client.get("/petitions/ecps").get_data(as_text=True)
    assert 'href="/privacy#petition-ecps"' in sign_page


def test_privacy_page_says_who_receives_what_and_the_organizers_retention(app, client):
    with app.app_context():
        kept = make_petition(slug="kept", title="Kept petition")
        make_petition(slug="drafted", title="Draft petition", state=PetitionState.DRAFT)
        make_organizer("ana@example.org", petitions=[kept])
    html = client.get("/privacy").get_data(as_text=True)
    assert "State Senator's) receives your name and street address" in html
    assert "until the campaign ends" in html  # the standard sentence
    assert "Draft petition" not in html
    login(client, "ana@example.org")
    edit = "/organizer/petitions/kept/edit"
    form = {"title": "Kept petition", "slug": "kept", "summary": "S", "body": "B",
            "goal": "100", "requires_confirmation": "y",
            "retention": "We delete every signer's details on June 30, 2027.",
            "retention_es": "Borramos los datos el 30 de junio de 2027.",
            "csrf_token": form_token(client, edit)}
    assert client.post(edit, data=form).status_code == 303
    html = client.get("/privacy").get_data(as_text=True)
    assert 'id="petition-kept"' in html and "on June 30, 2027." in html
    client.get("/language/es")
    assert "Borramos los datos el 30 de junio de 2027." in client.get("/privacy").get_data(
        as_text=True)


def test_the_organization_shows_in_header_footer_about_emails_and_packet(org_app):
    client = org_app.test_client()
    with org_app.app_context():
        petition = make_petition(slug="ecps")
        make_organizer("ana@example.org", petitions=[petition])
        make_confirmed(petition, ward=32)
    home = client.get("/").get_data(as_text=True)
    assert '<img class="brand-logo" src="/static/img/logo.svg" alt="">ECPS Coalition' in home
    assert 'mailto:privacy@ecps.example.org' in home
    about = client.get("/about").get_data(as_text=True)
    assert "<em>neighbors</em>" in about and "https://ecps.example.org" in about
    client.get("/language/es")
    assert "<em>vecinos</em>" in client.get("/about").get_data(as_text=True)
    client.get("/language/en")
    assert sign(client, email="sam@example.org").status_code == 303
    deliver_mail(org_app)
    assert "ECPS Coalition" in text_of(delivered_files(org_app)[-1])
    login(client, "ana@example.org")
    packet = client.get("/organizer/petitions/ecps/wards/32/packet").get_data(as_text=True)
    assert "Delivered by ECPS Coalition" in packet
