"""Letters in English and Spanish: the organizer writes both, the supporter's language picks
one, and the supporter may switch before sending."""

import pytest
from sqlalchemy import select, update

from petition.extensions import db
from petition.letters import campaigns
from petition.letters.campaigns import CampaignFields
from petition.models import LetterDelivery, Petition, Signature
from petition.models.base import utcnow
from petition.web.forms import FieldError
from tests.conftest import deliver_mail, login, sign_and_confirm, text_of
from tests.factories import make_organizer
from tests.letters_support import ANA, BODY, SUBJECT, send, session_token, textarea

SUBJECT_ES = "Vecina del distrito {{ ward }}: {{ petition_title }}"
BODY_ES = ("Estimado concejal {{ alder_name }}:\n\nSoy {{ full_name }}, vivo en {{ address }} "
           "y firmé “{{ petition_title }}”.\n\nGracias.")


@pytest.fixture
def bilingual(ecps):
    with ecps.app_context():
        db.session.execute(update(Petition).values(title_es="Control comunitario ya"))
        petition = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        campaigns.save_campaign(petition, CampaignFields(
            SUBJECT, BODY, True, LetterDelivery.EACH, True, subject_es=SUBJECT_ES,
            body_es=BODY_ES), actor=make_organizer())
        db.session.commit()
    return ecps



def test_a_spanish_signer_writes_in_spanish_and_may_switch(bilingual, smtp_server):
    client = bilingual.test_client()
    client.get("/language/es")
    sign_and_confirm(bilingual, client, smtp_server=smtp_server, **ANA)
    page = client.get("/petitions/ecps/letter")
    html = page.get_data(as_text=True)
    assert "Vecina del distrito 1: Control comunitario ya" in html
    assert textarea(page).startswith("Estimado concejal Daniel La Spata:")
    assert "firmé “Control comunitario ya”" in textarea(page)
    assert 'href="/petitions/ecps/letter?language=en"' in html
    english = client.get("/petitions/ecps/letter?language=en")
    assert "Ward 1 constituent: Community control now" in english.get_data(as_text=True)
    assert textarea(english).startswith("Dear Alder Daniel La Spata,")
    data = {"csrf_token": session_token(client), "language": "es", "body": textarea(page)}
    assert client.post("/petitions/ecps/letter", data=data).status_code == 303
    smtp_server.messages.clear()
    assert deliver_mail(bilingual).sent == 1
    [letter] = smtp_server.sink.to("Ward01@cityofchicago.org")
    assert letter["Subject"] == "Vecina del distrito 1: Control comunitario ya"
    assert text_of(letter).startswith("Estimado concejal Daniel La Spata:")


def test_an_english_signer_may_send_the_spanish_letter(bilingual, smtp_server):
    client = bilingual.test_client()
    sign_and_confirm(bilingual, client, smtp_server=smtp_server, **ANA)
    html = client.get("/petitions/ecps/letter").get_data(as_text=True)
    assert "Ward 1 constituent" in html and "?language=es" in html
    spanish = client.get("/petitions/ecps/letter?language=es")
    data = {"csrf_token": session_token(client), "language": "es", "body": textarea(spanish)}
    assert client.post("/petitions/ecps/letter", data=data).status_code == 303
    smtp_server.messages.clear()
    deliver_mail(bilingual)
    [letter] = smtp_server.sink.to("Ward01@cityofchicago.org")
    assert letter["Subject"].startswith("Vecina del distrito 1")


def test_an_english_only_letter_offers_no_switch_and_ignores_a_made_up_language(campaign,
                                                                                smtp_server):
    client = campaign.test_client()
    client.get("/language/es")
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    html = client.get("/petitions/ecps/letter?language=xx").get_data(as_text=True)
    assert "?language=" not in html and "Ward 1 constituent" in html
    # The page says why the letter is in English.
    assert "Los organizadores escribieron esta carta solo en inglés." in html
    assert send(client, "Hola").status_code == 303


def test_a_letter_in_the_readers_language_needs_no_word_about_english(bilingual,
                                                                       smtp_server):
    client = bilingual.test_client()
    client.get("/language/es")
    sign_and_confirm(bilingual, client, smtp_server=smtp_server, **ANA)
    html = client.get("/petitions/ecps/letter").get_data(as_text=True)
    assert "solo en inglés" not in html


def test_the_organizers_letter_page_in_spanish(campaign, smtp_server):
    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    assert send(client, "Hello").status_code == 303
    with campaign.app_context():  # set aside before the letter goes: not sent, and why
        db.session.execute(update(Signature).values(invalidated_at=utcnow()))
        petition = db.session.scalar(select(Petition))
        make_organizer("org@example.org", petitions=[petition])
        db.session.commit()
    assert deliver_mail(campaign).skipped == 1
    organizer = campaign.test_client()
    organizer.get("/language/es")
    login(organizer, "org@example.org")
    html = organizer.get("/organizer/petitions/ecps/letters").get_data(as_text=True)
    # Letters are feminine ("cartas"): the labels agree, unlike the emails' ones.
    for label in ("<dt>Entregadas</dt>", "<dt>Fallidas</dt>", "<dt>No enviadas</dt>"):
        assert label in html
    assert "la firma se apartó" in html and "set aside" not in html


def test_the_spanish_letter_needs_both_subject_and_text(ecps):
    with ecps.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        with pytest.raises(FieldError) as error:
            campaigns.save_campaign(petition, CampaignFields(
                SUBJECT, BODY, True, LetterDelivery.EACH, True, subject_es=SUBJECT_ES),
                actor=None)
        assert error.value.field == "body_es"
        with pytest.raises(FieldError) as error:
            campaigns.save_campaign(petition, CampaignFields(
                SUBJECT, BODY, True, LetterDelivery.EACH, True, subject_es="{{ nope",
                body_es=BODY_ES), actor=None)
        assert error.value.field == "subject_es"
