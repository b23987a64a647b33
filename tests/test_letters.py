"""Letters from supporters to their own alder: the letter page and delivery."""

import html as htmlmod
import re
import threading
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.letters import service as letters
from petition.models import (
    Alder,
    Letter,
    OutboxMessage,
    Petition,
    Signature,
    WardStatus,
)
from petition.models.base import utcnow
from tests.conftest import (
    assert_no_inline_script_or_style,
    clone_session,
    csrf_token_from,
    deliver_mail,
    sign_and_confirm,
    text_of,
)
from tests.letters_support import (
    ANA,
    BEN,
    SPANISH,
    letter_form,
    save_campaign,
    send,
    session_token,
    textarea,
)

# -- the supporter's side ----------------------------------------------------------------

def test_each_supporter_writes_to_their_own_alder_from_the_platform(campaign, smtp_server):
    ana, ben = campaign.test_client(), campaign.test_client()
    sign_and_confirm(campaign, ana, smtp_server=smtp_server, **ANA)
    sign_and_confirm(campaign, ben, smtp_server=smtp_server, **BEN)

    page = ana.get("/petitions/ecps/letter")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Daniel La Spata" in html and "Ward01@cityofchicago.org" in html
    draft = textarea(page)
    assert draft.startswith("Dear Alder Daniel La Spata,")
    assert "I am Ana Díaz (Ana), I live at 1958 N Milwaukee Ave Apt 2 in ward 1" in draft
    assert "https://petitions.example.org/petitions/ecps" in draft
    assert "Dear Alder Leni Manaa-Hoppenworth," in textarea(ben.get("/petitions/ecps/letter"))

    assert send(ana, draft).status_code == 303
    assert send(ben, textarea(ben.get("/petitions/ecps/letter"))).status_code == 303
    smtp_server.messages.clear()
    assert deliver_mail(campaign).sent == 2

    [to_ana_alder] = smtp_server.sink.to("Ward01@cityofchicago.org")
    [to_ben_alder] = smtp_server.sink.to("Ward48@cityofchicago.org")
    # From the platform (it passes the receiving side's checks); replies go to the supporter.
    assert to_ana_alder["From"] == "petitions@example.org"
    assert to_ana_alder["Reply-To"].addresses[0].addr_spec == "ana@example.org"
    assert to_ana_alder["Reply-To"].addresses[0].display_name == "Ana Díaz"
    assert to_ana_alder["Subject"] == "Ward 1 constituent: Community control now"
    body = text_of(to_ana_alder)
    assert body.startswith("Dear Alder Daniel La Spata,") and "Ana Díaz (Ana)" in body
    assert "Reply to this email" in body
    assert to_ben_alder["Reply-To"].addresses[0].addr_spec == "ben@example.org"
    assert to_ben_alder["Subject"] == "Ward 48 constituent: Community control now"
    assert "Ben Okafor (Ben), I live at 5800 N Broadway in ward 48" in text_of(to_ben_alder)
    assert "List-Unsubscribe" not in to_ana_alder  # a letter is not a mailing

    page = ana.get("/petitions/ecps/letter").get_data(as_text=True)
    assert "Your letter is on its way" in page and "Daniel La Spata" in page


def test_edits_are_sent_within_limits(campaign, smtp_server):
    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    for bad, message in [("Hi\x00there", "control characters"), ("\x1b[31mred", "control"),
                         ("x" * (letters.MAX_LETTER_CHARS + 1), "at most"),
                         ("   ", "Write your letter")]:
        response = send(client, bad)
        assert response.status_code == 400, bad
        assert message in response.get_data(as_text=True)
    with campaign.app_context():
        assert db.session.scalar(select(func.count()).select_from(Letter)) == 0
    assert send(client, "My own words,\r\n\twith a tab.\r\nAna").status_code == 303
    smtp_server.messages.clear()
    deliver_mail(campaign)
    [message] = smtp_server.sink.to("Ward01@cityofchicago.org")
    assert text_of(message).replace("\r\n", "\n").startswith("My own words,\n\twith a tab.\nAna")
    with campaign.app_context():
        letter = db.session.scalar(select(Letter))
        assert letter.edited and letter.body == "My own words,\n\twith a tab.\nAna"


def test_a_letter_that_cannot_be_edited_is_sent_as_written(ecps, smtp_server):
    save_campaign(ecps, editable=False)
    client = ecps.test_client()
    sign_and_confirm(ecps, client, smtp_server=smtp_server, **ANA)
    page = client.get("/petitions/ecps/letter")
    assert textarea(page) is None and "Dear Alder Daniel La Spata" in page.get_data(as_text=True)
    assert send(client, "Something else entirely").status_code == 303
    smtp_server.messages.clear()
    deliver_mail(ecps)
    [message] = smtp_server.sink.to("Ward01@cityofchicago.org")
    assert text_of(message).startswith("Dear Alder Daniel La Spata,")
    assert "Something else" not in text_of(message)


def test_one_letter_per_supporter_even_under_a_double_submit(campaign, smtp_server):
    first = campaign.test_client()
    sign_and_confirm(campaign, first, smtp_server=smtp_server, **ANA)
    second = clone_session(campaign, first)  # the same browser, a second request
    token = letter_form(first.get("/petitions/ecps/letter"))
    barrier = threading.Barrier(2)
    responses = []

    def submit(client):
        barrier.wait()
        responses.append(client.post("/petitions/ecps/letter",
                                     data={"csrf_token": token, "body": "Twice?"}))

    threads = [threading.Thread(target=submit, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in responses] == [303, 303]
    assert {r.headers["Location"] for r in responses} == {"/petitions/ecps/letter"}
    assert send(first, "A third time").status_code == 303  # later: still nothing more
    with campaign.app_context():
        assert db.session.scalar(select(func.count()).select_from(Letter)) == 1
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.kind == "letter")) == 1
    smtp_server.messages.clear()
    deliver_mail(campaign)
    assert len(smtp_server.sink.to("Ward01@cityofchicago.org")) == 1
    for client in (first, second):
        assert "Your letter is on its way" in client.get("/petitions/ecps/letter").get_data(
            as_text=True)


def test_the_unique_index_settles_a_race_the_check_missed(campaign, smtp_server, monkeypatch):
    """Two requests that both saw "no letter yet": the database lets one insert."""
    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    monkeypatch.setattr(letters, "letter_of", lambda *args: None)  # the check sees nothing
    with campaign.app_context():
        petition = db.session.scalar(select(Petition))
        signature = db.session.scalar(select(Signature))
        first = letters.send_letter(signature, petition, "one")
        second = letters.send_letter(signature, petition, "two")
        db.session.commit()
        assert first.created and not second.created and second.status == "sent"
        assert db.session.scalar(select(func.count()).select_from(Letter)) == 1
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.kind == "letter")) == 1


def test_the_mailto_link_carries_the_same_subject_and_body(campaign, smtp_server):
    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server,
                     **dict(ANA, first_name="Ana & Co?", last_name="#1 100%"))
    page = client.get("/petitions/ecps/letter")
    href = htmlmod.unescape(re.search(r'href="(mailto:[^"]+)"',
                                      page.get_data(as_text=True)).group(1))
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and unquote(parts.path) == "Ward01@cityofchicago.org"
    assert " " not in href and "\n" not in href and "+" not in parts.query.replace("%2B", "")
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert set(query) == {"subject", "body"}
    assert query["subject"] == ["Ward 1 constituent: Community control now"]
    body = query["body"][0]
    assert "\r\n" in body  # RFC 6068 line breaks
    assert body.replace("\r\n", "\n") == textarea(page)
    assert "I am Ana & Co? #1 100% (Ana & Co?)" in body


def test_only_the_browser_that_confirmed_may_write(campaign, smtp_server):
    owner = campaign.test_client()
    sign_and_confirm(campaign, owner, smtp_server=smtp_server, **ANA)
    stranger = campaign.test_client()
    assert stranger.get("/petitions/ecps/letter").status_code == 403
    token = csrf_token_from(stranger.get("/petitions/ecps").get_data(as_text=True))
    response = stranger.post("/petitions/ecps/letter", data={"csrf_token": token, "body": "x"})
    assert response.status_code == 403
    # A browser that only signed (did not confirm) cannot either.
    from tests.conftest import sign

    signer = campaign.test_client()
    assert sign(signer, **BEN).status_code == 303
    assert signer.get("/petitions/ecps/letter").status_code == 403
    with campaign.app_context():
        assert db.session.scalar(select(func.count()).select_from(Letter)) == 0


def test_a_csrf_failure_sends_nothing(campaign, smtp_server):
    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    response = client.post("/petitions/ecps/letter", data={"body": "no token"})
    assert response.status_code in (400, 403)
    with campaign.app_context():
        assert db.session.scalar(select(func.count()).select_from(Letter)) == 0


def _set(app, email, **values):
    with app.app_context():
        signature = db.session.scalar(select(Signature).where(Signature.email == email))
        for key, value in values.items():
            setattr(signature, key, value)
        db.session.commit()


@pytest.mark.parametrize("change, message", [
    ({"invalidated_at": utcnow()}, "This signature cannot send a letter."),
    ({"ward": None, "ward_status": WardStatus.OUTSIDE_CHICAGO}, "outside Chicago"),
    ({"ward": None, "ward_status": WardStatus.UNKNOWN}, "We do not know your ward yet."),
    ({"ward_status": WardStatus.NEAR_BOUNDARY, "candidate_wards": "1,32"},
     "close to a ward line"),
])
def test_who_cannot_send_is_told_why(campaign, smtp_server, change, message):
    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    _set(campaign, "ana@example.org", **change)
    page = client.get("/petitions/ecps/letter")
    assert page.status_code == 409 and message in page.get_data(as_text=True)
    token = session_token(client)
    assert client.post("/petitions/ecps/letter",
                       data={"csrf_token": token, "body": "x"}).status_code == 409
    with campaign.app_context():
        assert db.session.scalar(select(func.count()).select_from(Letter)) == 0


def test_a_closed_campaign_or_a_missing_alder_sends_nothing(ecps, smtp_server):
    save_campaign(ecps, is_open=False)
    client = ecps.test_client()
    sign_and_confirm(ecps, client, smtp_server=smtp_server, **ANA)
    assert "Write to" not in client.get("/petitions/ecps/confirmed").get_data(as_text=True)
    page = client.get("/petitions/ecps/letter")
    assert page.status_code == 409 and "no letter to send" in page.get_data(as_text=True)
    save_campaign(ecps, is_open=True)
    with ecps.app_context():
        db.session.scalar(select(Alder).where(Alder.ward == 1)).email = ""
        db.session.commit()
    page = client.get("/petitions/ecps/letter")
    assert page.status_code == 409 and "email address for your alder" in page.get_data(
        as_text=True)


def test_the_confirmed_page_offers_the_letter(campaign, smtp_server):
    client = campaign.test_client()
    response = sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Write to Daniel La Spata" in html and 'href="/petitions/ecps/letter"' in html
    send(client, "Hello")
    html = client.get("/petitions/ecps/confirmed").get_data(as_text=True)
    assert "You sent your letter to Daniel La Spata." in html


def test_letter_pages_have_no_inline_script_or_style(campaign, smtp_server):
    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    for html in (client.get("/petitions/ecps/letter").get_data(as_text=True),
                 client.get("/petitions/ecps/confirmed").get_data(as_text=True)):
        assert_no_inline_script_or_style(html)
        assert re.search(r'<label for="body">', html) or "textarea" not in html


def test_spanish_letter_page(campaign, smtp_server):
    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    html = client.get("/petitions/ecps/letter", headers=SPANISH).get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "Escriba a su concejal" in html and "Enviar mi carta" in html
    assert "Write to your alder" not in html and "Send my letter" not in html
    send(client, "Hola")
    html = client.get("/petitions/ecps/letter", headers=SPANISH).get_data(as_text=True)
    assert "Su carta va en camino" in html


def test_a_removed_signature_withdraws_its_queued_letter(campaign, smtp_server):
    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    send(client, "Hello")
    with campaign.app_context():
        db.session.delete(db.session.scalar(select(Signature)))
        db.session.commit()
    smtp_server.messages.clear()
    report = deliver_mail(campaign)
    assert report.skipped == 1 and report.failed == 0 and smtp_server.messages == []
