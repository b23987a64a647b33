"""The organizer's side of letters: the campaign, its templates, the letters page."""


import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.letters import campaigns, reports
from petition.letters import service as letters
from petition.models import (
    Alder,
    AuditEntry,
    Letter,
    LetterCampaign,
    LetterDelivery,
    OutboxMessage,
    OutboxStatus,
    Petition,
    WardStatus,
)
from petition.petitions import dashboard
from tests.conftest import (
    assert_no_inline_script_or_style,
    deliver_mail,
    form_token,
    html_of,
    login,
    sign_and_confirm,
    text_of,
)
from tests.factories import make_organizer
from tests.letters_support import (
    ANA,
    BEN,
    BODY,
    SUBJECT,
    send,
    session_token,
)

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
    ("body", "{{ first_name" + "|upper" * 3000 + " }}"),  # once a RecursionError: 500
    ("body", "{% if ward %}" * 120 + "x" + "{% endif %}" * 120),
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
    # It cannot be sent either: no button, and a POST queues nothing.
    assert "cannot be filled in" in html and "Send my letter" not in html
    response = send(client)
    assert response.status_code == 409
    assert "cannot be filled in" in response.get_data(as_text=True)
    with campaign.app_context():
        assert db.session.scalar(select(func.count()).select_from(Letter)) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == "letter")) == 0


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
        assert reports.letters_sent_by_ward(petition.id) == {1: 1, 48: 1}
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
    from petition.organizer import privacy

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
        assert reports.letters_sent_by_ward(petition.id) == {1: 1}


def test_seed_demo_gives_the_demo_petition_its_letter_once(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        # One each for the ECPS petition and the TIRC one (to State Representatives).
        ecps, tirc = db.session.scalars(select(LetterCampaign).join(Petition).order_by(
            Petition.slug)).all()
        assert ecps.is_open and ecps.body == campaigns.DEFAULT_BODY
        assert tirc.is_open and tirc.body.startswith("{{ greeting }},")
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
