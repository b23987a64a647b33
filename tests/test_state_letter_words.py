"""A letter or call to both state members, in English and Spanish: the letter greets both
(on the page and on the wire), their names are listed with the language's word ("and" /
"y"), not "&", and a sent time that ends a sentence ends it with one period."""

import re
from datetime import datetime

from flask_babel import gettext

from petition import demo
from petition.extensions import db
from petition.models import PetitionTarget
from petition.web.templating import chicago_time, one_final_period
from tests.conftest import deliver_mail, form_token, sign_and_confirm, text_of
from tests.letters_support import ANA, SPANISH, textarea
from tests.test_state_letters import send

SLUG = demo.TIRC_SLUG  # Ana lives in House district 3 (Eva-Dina Delgado), Senate 2 (Omar Aquino)
LETTER = f"/petitions/{SLUG}/letter"
GREETING = "Dear Representative Eva-Dina Delgado and Senator Omar Aquino,"
SALUDO = "Estimado/a representante Eva-Dina Delgado y estimado/a senador/a Omar Aquino:"


def signed(app, smtp_server):
    ana = app.test_client()
    sign_and_confirm(app, ana, slug=SLUG, smtp_server=smtp_server, **ANA)
    return ana


def delivered_bodies(app, smtp_server):
    smtp_server.messages.clear()
    assert deliver_mail(app).sent == 2
    return [text_of(m) for address in ("staterepdelgado@gmail.com", "aquino.senate2il@gmail.com")
            for m in smtp_server.sink.to(address)]


def test_a_letter_to_both_members_greets_both_and_lists_them_in_english(tirc_to_both, smtp_server):
    ana = signed(tirc_to_both, smtp_server)
    page = ana.get(LETTER)
    draft = textarea(page)
    assert draft.startswith(GREETING)
    assert "so their offices can answer you. You can send one letter." in page.get_data(
        as_text=True)
    assert "Dear Representative Eva-Dina Delgado &" not in draft
    assert send(ana, draft).status_code == 303
    bodies = delivered_bodies(tirc_to_both, smtp_server)
    assert len(bodies) == 2 and all(body.startswith(GREETING) for body in bodies)
    html = ana.get(LETTER).get_data(as_text=True)
    assert "You sent this letter to Eva-Dina Delgado and Omar Aquino on" in html
    assert "&amp;" not in re.search(r'role="status">(.*?)</p>', html).group(1)
    assert "so their offices can answer you directly" in html


def test_a_letter_to_both_members_in_spanish(tirc_to_both, smtp_server):
    ana = signed(tirc_to_both, smtp_server)
    page = ana.get(f"{LETTER}?language=es", headers=SPANISH)
    draft = textarea(page)
    assert draft.startswith(SALUDO)
    response = ana.post(LETTER, headers=SPANISH, data={
        "csrf_token": form_token(ana, f"/petitions/{SLUG}"), "body": draft, "language": "es"})
    assert response.status_code == 303
    bodies = delivered_bodies(tirc_to_both, smtp_server)
    assert all(body.startswith(SALUDO) for body in bodies)
    html = ana.get(LETTER, headers=SPANISH).get_data(as_text=True)
    status = re.search(r'role="status">(.*?)</p>', html).group(1)
    assert status.startswith("Usted envió esta carta a Eva-Dina Delgado y Omar Aquino el ")
    assert re.search(r"[ap]\.\s?m\.$", status) and ".." not in status
    assert "así sus oficinas pueden contestarle directamente" in html


def test_one_state_member_is_greeted_by_their_title(tirc_to_both, smtp_server):
    with tirc_to_both.app_context():
        demo.ensure_tirc_petition()[0].target = PetitionTarget.STATE_SENATE
        db.session.commit()
    ana = signed(tirc_to_both, smtp_server)
    assert textarea(ana.get(LETTER)).startswith("Dear Senator Omar Aquino,")
    assert textarea(ana.get(f"{LETTER}?language=es", headers=SPANISH)).startswith(
        "Estimado/a senador/a Omar Aquino:")


def test_a_time_that_ends_a_spanish_sentence_keeps_one_period(app):
    moment = datetime(2026, 11, 24, 16, 30)  # naive UTC: 10:30 a.m. in Chicago
    with app.test_request_context("/", headers=SPANISH):
        sentence = gettext("You sent this letter to %(name)s on %(when)s.", name="Ana",
                           when=chicago_time(moment))
        assert sentence.endswith("a.m..")  # what the catalogue alone gives
        assert one_final_period(sentence).replace("\u202f", " ").endswith(
            "24 de noviembre de 2026, 10:30 a.m.")
        assert one_final_period("Son las 10:30 a.m., más o menos.") == \
            "Son las 10:30 a.m., más o menos."
    with app.test_request_context("/"):
        english = gettext("You sent this letter to %(name)s on %(when)s.", name="Ana",
                          when=chicago_time(moment))
        assert one_final_period(english) == english  # "10:30 AM." is already right


def test_the_call_script_lists_both_members_in_its_own_language(tirc_to_both, smtp_server):
    ana = signed(tirc_to_both, smtp_server)
    call = f"/petitions/{SLUG}/call"
    html = ana.get(call).get_data(as_text=True)
    assert "to ask Eva-Dina Delgado and Omar Aquino to fund" in html
    spanish = ana.get(call, headers=SPANISH).get_data(as_text=True)
    assert "Llamo para pedir a Eva-Dina Delgado y Omar Aquino que se financie" in spanish
    with tirc_to_both.app_context():
        demo.ensure_tirc_petition()[0].call_script_es = None  # English only
        db.session.commit()
    spanish = ana.get(call, headers=SPANISH).get_data(as_text=True)
    assert "to ask Eva-Dina Delgado and Omar Aquino to fund" in spanish  # not "y" in English
