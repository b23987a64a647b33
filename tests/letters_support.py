"""Helpers and fixtures shared by the letter tests (supporters' and organizers' sides)."""

import html as htmlmod
import re

from sqlalchemy import select

from petition.extensions import db
from petition.letters import campaigns
from petition.letters.campaigns import CampaignFields
from petition.models import (
    LetterDelivery,
    Petition,
)
from tests.conftest import (
    csrf_token_from,
)
from tests.factories import make_organizer

SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}
BODY = ("Dear Alder {{ alder_name }},\n\nI am {{ full_name }} ({{ first_name }}), I live at "
        "{{ address }} in ward {{ ward }}, and I signed “{{ petition_title }}”: "
        "{{ petition_url }}\n\nThank you.")
SUBJECT = "Ward {{ ward }} constituent: {{ petition_title }}"
ANA = {"first_name": "Ana", "last_name": "Díaz", "email": "ana@example.org",
       "address": "1958 N Milwaukee Ave Apt 2", "zip": "60647"}  # ward 1, Daniel La Spata
BEN = {"first_name": "Ben", "last_name": "Okafor", "email": "ben@example.org",
       "address": "5800 N Broadway", "zip": "60660"}  # ward 48, Leni Manaa-Hoppenworth


def save_campaign(app, *, editable=True, delivery=LetterDelivery.EACH, is_open=True,
                  body=BODY, subject=SUBJECT):
    with app.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        actor = make_organizer()
        campaigns.save_campaign(petition, CampaignFields(subject, body, editable, delivery,
                                                       is_open), actor=actor)
        db.session.commit()


def letter_form(page):
    return csrf_token_from(page.get_data(as_text=True))


def session_token(client):
    """The session's CSRF token, from a page that always has a form."""
    return csrf_token_from(client.get("/petitions/ecps").get_data(as_text=True))


def send(client, body=None):
    data = {"csrf_token": session_token(client)}
    if body is not None:
        data["body"] = body
    return client.post("/petitions/ecps/letter", data=data)


def textarea(page):
    # A browser drops the line break right after <textarea>.
    match = re.search(r"<textarea[^>]*>(?:\r?\n)?(.*?)</textarea>",
                      page.get_data(as_text=True), re.S)
    return htmlmod.unescape(match.group(1)) if match else None
