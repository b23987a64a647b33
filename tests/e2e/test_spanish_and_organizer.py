"""In a real browser: a supporter signs in Spanish; an organizer downloads a ward's CSV."""

import csv
import io
import re

from petition import demo
from petition.extensions import db
from petition.geo import Geocoder
from tests.conftest import text_of
from tests.e2e.conftest import DESKTOP, PHONE, screenshot
from tests.factories import make_organizer

CONFIRM = re.compile(r"(http://127\.0\.0\.1:\d+/confirm/[A-Za-z0-9_.\-]+)")


def setup_demo(live_server):
    with live_server.app.app_context():
        demo.ensure_ecps_petition()
        demo.ensure_rosters(Geocoder.default())
        make_organizer("organizer@example.org", password="correct horse battery staple",
                       is_admin=True)
        db.session.commit()


def sign(page, base, email, address, zip_code, spanish=False):
    page.goto(f"{base}/petitions/ecps")
    page.get_by_label("Nombre" if spanish else "First name", exact=True).fill("Lucía")
    page.get_by_label("Apellido" if spanish else "Last name").fill("Hernández")
    page.get_by_label("Correo electrónico" if spanish else "Email").fill(email)
    page.get_by_label("Dirección" if spanish else "Street address", exact=True).fill(address)
    page.get_by_label("Código postal" if spanish else "ZIP code").fill(zip_code)
    page.get_by_role("button", name="Firmar la petición" if spanish else "Sign the petition")\
        .click()
    page.wait_for_url(re.compile(r".*/signed(#.*)?$"))


def test_sign_in_spanish_and_confirm(live_server, page_factory):
    setup_demo(live_server)
    page = page_factory(viewport=PHONE, locale="es-MX")
    page.goto(f"{live_server.url}/petitions/ecps")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text().startswith(
        "Que el control comunitario")
    screenshot(page, "petition-es-phone")
    sign(page, live_server.url, "lucia@example.org", "2511 W Division St", "60622",
         spanish=True)
    assert page.get_by_role("heading", name="Revise su correo").is_visible()
    assert page.get_by_text("Su concejal").first.is_visible()
    screenshot(page, "check-email-es-phone")
    live_server.deliver_mail()
    [message] = live_server.mail_to("lucia@example.org")
    assert message["Subject"].startswith("Confirme su firma: Que el control comunitario")
    page.goto(CONFIRM.search(text_of(message)).group(1))
    page.get_by_role("button", name="Confirmar mi firma").click()
    page.wait_for_url(re.compile(r".*/confirmed$"))
    assert page.get_by_text("Gracias, su firma está confirmada").is_visible()
    screenshot(page, "confirmed-es-phone")


def test_switching_language_sticks(live_server, page_factory):
    setup_demo(live_server)
    page = page_factory(viewport=DESKTOP)
    page.goto(f"{live_server.url}/petitions/ecps")
    page.get_by_role("link", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto(f"{live_server.url}/lookup")
    assert page.get_by_role("heading", level=1).inner_text() != "Find my alder"
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"


def test_organizer_logs_in_and_downloads_a_ward_csv(live_server, page_factory):
    setup_demo(live_server)
    supporter = page_factory(viewport=PHONE)
    sign(supporter, live_server.url, "ana@example.org", "2511 W Division St", "60622")
    live_server.deliver_mail()
    supporter.goto(CONFIRM.search(text_of(live_server.mail_to("ana@example.org")[0])).group(1))
    supporter.get_by_role("button", name="Confirm my signature").click()
    supporter.wait_for_url(re.compile(r".*/confirmed$"))

    page = page_factory(viewport=DESKTOP)
    page.goto(f"{live_server.url}/organizer/login")
    page.get_by_label("Email").fill("organizer@example.org")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    page.goto(f"{live_server.url}/organizer/petitions/ecps")
    screenshot(page, "organizer-dashboard-desktop")
    page.goto(f"{live_server.url}/organizer/petitions/ecps/exports")
    page.locator("input[name=ward][value='26']").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    content = info.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == 2, rows
    assert rows[1][:5] == ["Lucía", "Hernández", "2511 W Division St", "60622", "ana@example.org"]
    assert "26" in rows[1]


def test_supporter_sends_the_letter_to_their_alder(live_server, page_factory):
    setup_demo(live_server)
    with live_server.app.app_context():
        from petition.models import Petition

        petition = db.session.scalar(db.select(Petition).where(Petition.slug == "ecps"))
        demo.ensure_ecps_letter_campaign(petition)
        db.session.commit()
    page = page_factory(viewport=PHONE)
    sign(page, live_server.url, "writer@example.org", "2511 W Division St", "60622")
    live_server.deliver_mail()
    page.goto(CONFIRM.search(text_of(live_server.mail_to("writer@example.org")[0])).group(1))
    page.get_by_role("button", name="Confirm my signature").click()
    page.wait_for_url(re.compile(r".*/confirmed$"))
    page.get_by_role("link", name=re.compile("Write to ")).click()
    page.wait_for_url(re.compile(r".*/letter$"))
    screenshot(page, "letter-phone")
    body = page.locator("textarea").first
    assert "Lucía" in body.input_value()  # filled in with the signer's name
    body.fill(body.input_value() + "\n\nI live on Division Street and I care about this.")
    page.get_by_role("button", name="Send my letter").click()
    assert page.get_by_role("heading", name="Your letter is on its way").is_visible()
    screenshot(page, "letter-sent-phone")
    live_server.deliver_mail()
    [letter] = live_server.mail_to("Ward26@cityofchicago.org") or live_server.mail_to(
        "ward26@cityofchicago.org")
    assert letter["Reply-To"].endswith("writer@example.org>") or letter["Reply-To"] == (
        "writer@example.org")
    assert letter["From"] == "petitions@example.org"
    assert "I live on Division Street" in text_of(letter)
    # A second try sends nothing more.
    page.goto(f"{live_server.url}/petitions/ecps/letter")
    assert page.get_by_role("heading", name="Your letter is on its way").is_visible()
