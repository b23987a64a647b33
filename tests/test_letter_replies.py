"""'Did your alder reply?': asked once, some days after a letter; the answers give each
alder's reply rate on the dashboard, and on the scoreboard when organizers say so."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from petition.extensions import db
from petition.letters import replies
from petition.models import Letter, LetterCampaign, LetterReply, Petition, Signature
from petition.models.base import utcnow
from tests.conftest import csrf_token_from, deliver_mail, login, sign_and_confirm, text_of
from tests.factories import make_organizer
from tests.letters_support import ANA, send, textarea

ANSWER_LINK = re.compile(r"https://petitions\.example\.org(/letters/reply/[A-Za-z0-9_.\-]+)")


@pytest.fixture
def sent(campaign, smtp_server):
    """Ana confirmed and sent her letter; the client is her browser."""
    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    assert send(client, textarea(client.get("/petitions/ecps/letter"))).status_code == 303
    deliver_mail(campaign)
    smtp_server.messages.clear()
    return client


def _ask(app, days):
    with app.app_context():
        asked = replies.ask_for_replies(now=utcnow() + timedelta(days=days))
        db.session.commit()
        return asked


def test_the_sender_is_asked_once_after_the_campaigns_days_and_answers(campaign,
                                                                       smtp_server, sent):
    assert _ask(campaign, 13) == 0
    assert _ask(campaign, 15) == 1
    assert _ask(campaign, 16) == 0  # asked once
    deliver_mail(campaign)
    [question] = smtp_server.sink.to("ana@example.org")
    assert question["Subject"] == "Did Daniel La Spata reply to your letter?"
    path = ANSWER_LINK.search(text_of(question)).group(1)
    page = sent.get(path).get_data(as_text=True)  # a scanner opening it records nothing
    with campaign.app_context():
        assert db.session.scalar(select(Letter.reply)) is None
    other_browser = campaign.test_client()
    page = other_browser.get(path).get_data(as_text=True)
    response = other_browser.post(path, data={"csrf_token": csrf_token_from(page),
                                              "answer": "not_yet"})
    assert response.status_code == 303
    page = other_browser.get(path).get_data(as_text=True)
    other_browser.post(path, data={"csrf_token": csrf_token_from(page), "answer": "yes"})
    with campaign.app_context():
        assert db.session.scalar(select(Letter.reply)) is LetterReply.YES
        make_organizer("org@example.org", petitions=[db.session.scalar(select(Petition))])
    organizer = campaign.test_client()
    login(organizer, "org@example.org")
    dashboard = organizer.get("/organizer/petitions/ecps").get_data(as_text=True)
    assert "1 of 1" in dashboard


def test_reply_rates_are_public_only_when_organizers_say_so(campaign, sent):
    with campaign.app_context():
        db.session.execute(update(Petition).values(scoreboard_public=True))
        letter = db.session.scalar(select(Letter))
        replies.record_reply(letter, "no")
        db.session.commit()
    assert "Letters answered" not in sent.get("/petitions/ecps/alders").get_data(as_text=True)
    with campaign.app_context():
        db.session.execute(update(LetterCampaign).values(reply_rates_public=True))
        db.session.commit()
    html = sent.get("/petitions/ecps/alders").get_data(as_text=True)
    assert "Letters answered" in html and "0 of 1" in html
    wards = {w["ward"]: w for w in sent.get("/api/v1/petitions/ecps/alders").get_json()[
        "wards"]}
    assert wards[1]["letters_answered"] == 1 and wards[1]["letters_replied"] == 0


def test_bad_answers_and_links_change_nothing(campaign, smtp_server, sent):
    _ask(campaign, 15)
    deliver_mail(campaign)
    path = ANSWER_LINK.search(text_of(smtp_server.sink.to("ana@example.org")[0])).group(1)
    page = sent.get(path).get_data(as_text=True)
    for answer in ("maybe", "", "YES"):
        response = sent.post(path, data={"csrf_token": csrf_token_from(page),
                                         "answer": answer})
        assert response.status_code == 400
    assert sent.post(path, data={"answer": "yes"}).status_code == 400  # no CSRF token
    assert sent.get("/letters/reply/not-a-token").status_code == 404
    assert sent.get(path[:-3] + "abc").status_code == 404
    with campaign.app_context():
        assert db.session.scalar(select(Letter.reply)) is None


def test_a_removed_or_set_aside_signature_is_never_asked(campaign, sent):
    with campaign.app_context():

        db.session.execute(update(Signature).values(invalidated_at=utcnow()))
        db.session.commit()
    assert _ask(campaign, 30) == 0
