"""Petitions aimed at state members: the demo TIRC petition, letters to State
Representatives and Senators, and members without an email."""

import re

import pytest
from sqlalchemy import select, update

from petition import demo
from petition.extensions import db
from petition.models import Legislator, Letter, Petition, PetitionTarget
from tests.conftest import csrf_token_from, deliver_mail, login, sign_and_confirm, text_of
from tests.factories import make_organizer
from tests.letters_support import ANA, SPANISH, textarea

SLUG = demo.TIRC_SLUG


@pytest.fixture
def tirc(mail_rosters):
    with mail_rosters.app_context():
        _, created = demo.ensure_tirc_petition()
        _, again = demo.ensure_tirc_petition()
        db.session.commit()
    assert created and not again
    return mail_rosters


def set_target(app, target):
    with app.app_context():
        db.session.execute(update(Petition).where(Petition.slug == SLUG).values(target=target))
        db.session.commit()


def send(client, body=None):
    token = csrf_token_from(client.get(f"/petitions/{SLUG}").get_data(as_text=True))
    data = {"csrf_token": token}
    if body is not None:
        data["body"] = body
    return client.post(f"/petitions/{SLUG}/letter", data=data)


def test_the_demo_petition_quotes_the_coalition_in_both_languages(tirc):
    client = tirc.test_client()
    html = client.get(f"/petitions/{SLUG}").get_data(as_text=True)
    assert "Torture Inquiry and Relief Commission" in html
    assert "backlog of 540 cases because of a lack of resources" in html
    assert "Chicago Alliance Against Racist and Political Repression" in html
    html = client.get(f"/petitions/{SLUG}", headers=SPANISH).get_data(as_text=True)
    assert "Comisión de Investigación y Reparación de la Tortura" in html
    assert "540 casos pendientes" in html
    with tirc.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == SLUG))
        assert petition.target is PetitionTarget.STATE_HOUSE


def test_the_letter_goes_to_the_state_representative_with_reply_to_the_supporter(
        tirc, smtp_server):
    ana = tirc.test_client()
    confirmed = sign_and_confirm(tirc, ana, slug=SLUG, smtp_server=smtp_server, **ANA)
    html = ana.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert "Your representatives" in html and "Your State Representative" in html
    assert "Write to Eva-Dina Delgado" in html and "Write to your alder" not in html
    page = ana.get(f"/petitions/{SLUG}/letter")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    assert "Write to your State Representative" in html
    assert "Eva-Dina Delgado &lt;staterepdelgado@gmail.com&gt;" in html
    draft = textarea(page)
    assert draft.startswith("Dear Representative Eva-Dina Delgado,")
    assert send(ana, draft).status_code == 303
    smtp_server.messages.clear()
    assert deliver_mail(tirc).sent == 1
    [message] = smtp_server.sink.to("staterepdelgado@gmail.com")
    assert message["Reply-To"].addresses[0].addr_spec == "ana@example.org"
    assert message["Subject"] == demo.TIRC_LETTER_SUBJECT
    body = text_of(message)
    assert body.startswith("Dear Representative Eva-Dina Delgado,")
    assert "a constituent in Illinois House district 3 and Senate district 2" in body
    with tirc.app_context():
        letter = db.session.scalar(select(Letter))
        assert (letter.recipient_chamber, letter.recipient_district) == ("house", 3)
    html = ana.get(f"/petitions/{SLUG}/letter").get_data(as_text=True)
    assert "You sent this letter to Eva-Dina Delgado" in html


def test_both_state_members_each_get_the_letter(tirc, smtp_server):
    set_target(tirc, PetitionTarget.STATE_BOTH)
    ana = tirc.test_client()
    sign_and_confirm(tirc, ana, slug=SLUG, smtp_server=smtp_server, **ANA)
    page = ana.get(f"/petitions/{SLUG}/letter")
    html = page.get_data(as_text=True)
    assert "Write to your State Representative and State Senator" in html
    assert "Omar Aquino &lt;aquino.senate2il@gmail.com&gt;" in html
    assert send(ana, textarea(page)).status_code == 303
    smtp_server.messages.clear()
    assert deliver_mail(tirc).sent == 2
    assert smtp_server.sink.to("staterepdelgado@gmail.com")
    assert smtp_server.sink.to("aquino.senate2il@gmail.com")


def test_a_member_without_email_gets_the_phone_and_office_instead(tirc, smtp_server):
    set_target(tirc, PetitionTarget.STATE_SENATE)
    with tirc.app_context():
        db.session.execute(update(Legislator).where(
            Legislator.chamber == "senate", Legislator.district == 2).values(email=""))
        db.session.commit()
    ana = tirc.test_client()
    sign_and_confirm(tirc, ana, slug=SLUG, smtp_server=smtp_server, **ANA)
    page = ana.get(f"/petitions/{SLUG}/letter")
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert "Omar Aquino has no email address we can send your letter to" in html
    assert 'href="tel:+17732920202"' in html
    assert "4053 W. Armitage Ave., Chicago, IL 60639" in html
    assert send(ana).status_code == 409  # nothing is sent
    with tirc.app_context():
        assert db.session.scalar(select(Letter)) is None


def test_a_vacant_seat_says_so(tirc, smtp_server):
    with tirc.app_context():
        db.session.execute(update(Legislator).where(
            Legislator.chamber == "house", Legislator.district == 3).values(
            vacant=True, name="", email=""))
        db.session.commit()
    ana = tirc.test_client()
    sign_and_confirm(tirc, ana, slug=SLUG, smtp_server=smtp_server, **ANA)
    html = ana.get(f"/petitions/{SLUG}/letter").get_data(as_text=True)
    assert "This seat is vacant right now" in html


def test_the_dashboard_counts_signers_and_letters_per_house_district(tirc, smtp_server):
    ana = tirc.test_client()
    sign_and_confirm(tirc, ana, slug=SLUG, smtp_server=smtp_server, **ANA)
    assert send(ana, textarea(ana.get(f"/petitions/{SLUG}/letter"))).status_code == 303
    with tirc.app_context():
        make_organizer("org@example.org", petitions=[
            db.session.scalar(select(Petition).where(Petition.slug == SLUG))])
    org = tirc.test_client()
    login(org, "org@example.org")
    html = org.get(f"/organizer/petitions/{SLUG}").get_data(as_text=True)
    assert "Illinois House districts" in html and "Illinois Senate districts" not in html
    row = html[html.index('id="house-districts"'):]
    row = row[row.index("<tbody>"):row.index("</tbody>")]
    assert "Eva-Dina Delgado" in row
    cells = [c.strip() for c in re.findall(r'<td class="num">([^<]*)</td>', row)]
    assert cells == ["1", "0", "1", "0"]  # confirmed, pending, letters, calls
    assert f"/organizer/petitions/{SLUG}/export.csv?district=3" in row


def test_a_printable_packet_per_house_district(tirc, smtp_server):
    ana = tirc.test_client()
    sign_and_confirm(tirc, ana, slug=SLUG, smtp_server=smtp_server, **ANA)
    with tirc.app_context():
        make_organizer("org@example.org", is_admin=True)
    org = tirc.test_client()
    login(org, "org@example.org")
    page = org.get(f"/organizer/petitions/{SLUG}/districts/3/packet")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert ("Petition to the State Representative of Illinois House district 3: "
            "Eva-Dina Delgado") in html
    assert "1 constituent in House district 3 signed this petition" in html
    assert "Ana Díaz" in html and "1958 N Milwaukee Ave Apt 2" in html
    empty = org.get(f"/organizer/petitions/{SLUG}/districts/6/packet").get_data(as_text=True)
    assert "No confirmed signers in this district yet." in empty
    assert org.get(f"/organizer/petitions/{SLUG}/districts/119/packet").status_code == 404
    with tirc.app_context():
        demo.ensure_ecps_petition()
        db.session.commit()
    assert org.get("/organizer/petitions/ecps/districts/3/packet").status_code == 404
