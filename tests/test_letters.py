"""Letters from supporters to their own alder: the campaign, the letter page, delivery."""

import html as htmlmod
import re
import threading
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import (
    Alder,
    AuditEntry,
    Letter,
    LetterCampaign,
    LetterDelivery,
    OutboxMessage,
    OutboxStatus,
    Petition,
    Signature,
    WardStatus,
)
from petition.models.base import utcnow
from petition.services import dashboard, letters
from petition.services.letters import CampaignFields
from tests.conftest import (
    assert_no_inline_script_or_style,
    clone_session,
    csrf_token_from,
    deliver_mail,
    form_token,
    html_of,
    login,
    sign_and_confirm,
    text_of,
)
from tests.factories import make_organizer, make_petition

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
        letters.save_campaign(petition, CampaignFields(subject, body, editable, delivery,
                                                       is_open), actor=actor)
        db.session.commit()


@pytest.fixture
def ecps(mail_rosters):
    with mail_rosters.app_context():
        make_petition(slug="ecps", title="Community control now")
    return mail_rosters


@pytest.fixture
def campaign(ecps):
    save_campaign(ecps)
    return ecps


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


# -- the organizer's side ----------------------------------------------------------------

@pytest.fixture
def organizer(ecps):
    with ecps.app_context():
        petition = db.session.scalar(select(Petition))
        make_organizer("org@example.org", petitions=[petition])
        make_organizer("other@example.org")
    client = ecps.test_client()
    login(client, "org@example.org")
    return client


CAMPAIGN_URL = "/organizer/petitions/ecps/letters/campaign"


def post_campaign(client, **fields):
    data = {"subject": SUBJECT, "body": BODY, "supporters_may_edit": "y",
            "delivery": "each", "is_open": "y"}
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    data["csrf_token"] = form_token(client, CAMPAIGN_URL)
    return client.post(CAMPAIGN_URL, data=data)


def test_organizer_sets_up_the_letter_and_it_is_audited(ecps, organizer):
    page = organizer.get(CAMPAIGN_URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "{{ alder_name }}" in html  # the starter letter and the placeholder list
    assert_no_inline_script_or_style(html)
    response = post_campaign(organizer, delivery="digest", supporters_may_edit=None)
    assert response.status_code == 303
    with ecps.app_context():
        campaign = db.session.scalar(select(LetterCampaign))
        assert campaign.delivery is LetterDelivery.DIGEST and not campaign.supporters_may_edit
        assert campaign.is_open and campaign.body == BODY
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "letter_campaign_create"))
        assert entry.organizer_email == "org@example.org" and entry.details["delivery"] == "digest"
    html = organizer.get(CAMPAIGN_URL).get_data(as_text=True)
    assert "Dear Alder Daniel La Spata," in html  # the sample preview
    assert post_campaign(organizer, is_open=None).status_code == 303
    with ecps.app_context():
        assert not db.session.scalar(select(LetterCampaign)).is_open
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "letter_campaign_edit")) == 1


@pytest.mark.parametrize("field, source", [
    ("body", "{{ config }}"),
    ("body", "{{ ''.__class__.__mro__ }}"),
    ("body", "{{ self }}"),
    ("body", "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}"),
    ("body", "{{ signer.email }}"),
    ("body", "{{ request }}"),
    ("body", "Dear {{ alder_name }"),
    ("subject", "{{ config.SECRET_KEY }}"),
])
def test_templates_that_do_not_render_are_refused_when_saved(ecps, organizer, field, source):
    response = post_campaign(organizer, **{field: source})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error"' in html and "test-secret" not in html and "Config" not in html
    with ecps.app_context():
        assert db.session.scalar(select(func.count()).select_from(LetterCampaign)) == 0


def test_a_template_stored_behind_the_forms_back_still_cannot_leak(campaign, smtp_server):
    with campaign.app_context():
        db.session.scalar(select(LetterCampaign)).body = "{{ config }}"
        db.session.commit()
    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    page = client.get("/petitions/ecps/letter")
    html = page.get_data(as_text=True)
    assert page.status_code == 409 and "test-secret" not in html and "SECRET" not in html


def test_campaign_pages_are_for_its_organizers_only(ecps, organizer):
    other = ecps.test_client()
    login(other, "other@example.org")
    assert other.get(CAMPAIGN_URL).status_code == 404
    assert other.get("/organizer/petitions/ecps/letters").status_code == 404
    token = form_token(other, "/organizer/")
    response = other.post(CAMPAIGN_URL, data={"csrf_token": token, "subject": "x",
                                              "body": "x", "delivery": "each"})
    assert response.status_code == 404
    assert organizer.post(CAMPAIGN_URL, data={"subject": "x", "body": "x",
                                              "delivery": "each"}).status_code == 400  # CSRF


def test_letters_per_ward_on_the_dashboard_and_failures_on_the_letters_page(
        campaign, organizer, smtp_server):
    with campaign.app_context():
        db.session.scalar(select(Alder).where(Alder.ward == 48)).email = "reject-48@example.org"
        db.session.commit()
    for person in (ANA, BEN):
        client = campaign.test_client()
        sign_and_confirm(campaign, client, smtp_server=smtp_server, **person)
        send(client, "Hello")
    report = deliver_mail(campaign)
    assert report.failed == 1
    with campaign.app_context():
        petition = db.session.scalar(select(Petition))
        assert dashboard.letters_sent_by_ward(petition.id) == {1: 1, 48: 1}
        rows = {r.ward: r for r in dashboard.ward_table(petition).rows}
        assert rows[1].letters == 1 and rows[48].letters == 1 and rows[2].letters == 0
    data = organizer.get("/organizer/petitions/ecps/wards.json").get_json()
    assert data["totals"]["letters"] == 2
    html = organizer.get("/organizer/petitions/ecps/letters").get_data(as_text=True)
    assert "reject-48@example.org" in html and "550" in html
    assert "Ana Díaz" in html and "Ben Okafor" in html
    assert_no_inline_script_or_style(html)
    with campaign.app_context():
        message = db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.to_address == "reject-48@example.org"))
        assert message.status is OutboxStatus.FAILED


def test_anonymizing_blanks_letters_and_keeps_counts(campaign, smtp_server):
    from petition.models import PetitionState
    from petition.services import privacy

    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    send(client, "Private words")
    with campaign.app_context():
        petition = db.session.scalar(select(Petition))
        petition.state = PetitionState.CLOSED
        report = privacy.anonymize_petition(petition)
        db.session.commit()
        assert report.letters == 1
        letter = db.session.scalar(select(Letter))
        assert (letter.body, letter.signer_name, letter.reply_to) == ("", "", "")
        assert dashboard.letters_sent_by_ward(petition.id) == {1: 1}


def test_seed_demo_gives_the_demo_petition_its_letter_once(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        [campaign] = db.session.scalars(select(LetterCampaign)).all()
        assert campaign.is_open and campaign.body == letters.DEFAULT_BODY
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "letter_campaign_create"))
        assert entry.organizer_email == "(system)"


@pytest.mark.parametrize("slug", ["a%00b", "%00", "x" * 200, "UPPER", "..%2F..", "%C0%AF"])
def test_hostile_slugs_on_letter_and_email_routes_are_404(app, slug):
    from tests.conftest import login as log_in

    with app.app_context():
        make_organizer("boss@example.org", is_admin=True)
    client = app.test_client()
    assert client.get(f"/petitions/{slug}/letter").status_code == 404
    log_in(client, "boss@example.org")
    for suffix in ("/letters", "/letters/campaign", "/emails", "/emails/new", "/emails/1",
                   "/emails/1/edit"):
        assert client.get(f"/organizer/petitions/{slug}{suffix}").status_code == 404, suffix


def test_a_hostile_name_cannot_redirect_replies(campaign, smtp_server):
    """Quotes, angle brackets and commas in a name stay in the display name: replies still
    go to the supporter's own address, and only to it."""
    from tests.factories import make_confirmed

    with campaign.app_context():
        petition = db.session.scalar(select(Petition))
        signature = make_confirmed(petition, ward=1, ward_status=WardStatus.GEOCODED,
                                   first_name='Ana "x" <evil@example.com>,',
                                   last_name="bob@example.net", email="ana@example.org")
        assert letters.send_letter(signature, petition).created
        db.session.commit()
    deliver_mail(campaign)
    [message] = smtp_server.sink.to("Ward01@cityofchicago.org")
    [address] = message["Reply-To"].addresses
    assert address.addr_spec == "ana@example.org"
    assert address.display_name == "Ana x evil example com bob example net"
    assert smtp_server.sink.to("evil@example.com") == []


def test_markup_in_a_letter_stays_text_on_the_page_and_in_the_email(campaign, smtp_server):
    client = campaign.test_client()
    sign_and_confirm(campaign, client, smtp_server=smtp_server, **ANA)
    body = "<script>alert(1)</script> <img src=x onerror=alert(1)> {{ config }}"
    assert send(client, body).status_code == 303
    html = client.get("/petitions/ecps/letter").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "{{ config }}" in html  # shown, never evaluated
    deliver_mail(campaign)
    [message] = smtp_server.sink.to("Ward01@cityofchicago.org")
    assert "<script>" not in html_of(message) and "&lt;script&gt;" in html_of(message)
    assert text_of(message).startswith(body)


def test_hostile_letter_bodies_get_a_clear_answer(campaign):
    """Any text as a letter: sent as typed (trimmed), or a form error; never a 500."""
    from tests.factories import make_confirmed
    from tests.hostile import HOSTILE_TEXT

    with campaign.app_context():
        petition = db.session.scalar(select(Petition))
        ids = [make_confirmed(petition, ward=1, ward_status=WardStatus.GEOCODED,
                              email=f"h{i}@example.org").id for i in range(len(HOSTILE_TEXT))]
    for signature_id, body in zip(ids, HOSTILE_TEXT, strict=True):
        client = campaign.test_client()
        with client.session_transaction() as session:
            session["confirmed_signature"] = signature_id
        response = client.post("/petitions/ecps/letter",
                               data={"csrf_token": session_token(client), "body": body})
        assert response.status_code in (303, 400, 413), (body[:40], response.status_code)
        page = response.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "<img src=x onerror" not in page
        with campaign.app_context():
            stored = db.session.scalar(select(Letter.body).where(
                Letter.signature_id == signature_id))
        if response.status_code == 303:
            assert stored == body.replace("\r\n", "\n").replace("\r", "\n").strip()
        else:
            assert stored is None
