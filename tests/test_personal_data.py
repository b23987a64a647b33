"""A signer who leaves (removes their signature, or the campaign is anonymised) leaves no
address behind: the whole database is searched for it afterwards."""

import json
import re
from urllib.parse import urlsplit

from sqlalchemy import select

from petition.blasts import service as blasts
from petition.blasts.service import BlastFields
from petition.extensions import db
from petition.models import BlastFormat, OutboxMessage, OutboxStatus, Petition, Signature
from tests.conftest import csrf_token_from, deliver_mail, sign_and_confirm, text_of
from tests.factories import make_organizer, make_petition
from tests.letters_support import BEN, send

# A Gmail address with dots and capitals: stored as typed and in its normal form.
LEAVER = {"first_name": "Rosa", "last_name": "Quintero", "email": "Rosa.Quintero@Gmail.com",
          "address": "1958 N Milwaukee Ave Apt 2", "zip": "60647"}
LEAVER_SPELLINGS = ("rosa.quintero@gmail.com", "rosaquintero@gmail.com")
STAYER_ADDRESS = "ben@example.org"
REMOVE_LINK = re.compile(r"https://petitions\.example\.org(/remove/[A-Za-z0-9_.\-]+)")
UNSUBSCRIBE_LINK = re.compile(r"https://petitions\.example\.org(/unsubscribe/[A-Za-z0-9_.\-]+)")


def rows_mentioning(app, spellings):
    """Every (table, column) whose stored value contains one of `spellings`."""
    found = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).mappings():
                for column, value in row.items():
                    text = value if isinstance(value, str) else json.dumps(value, default=str)
                    if any(s in text.lower() for s in spellings):
                        found.append((table.name, column))
    return found


def unsubscribe_in_one_click(app, smtp_server, address):
    """What a mail client's Unsubscribe button does with the organizer email's link."""
    [news] = [m for m in smtp_server.sink.to(address) if "News" in m["Subject"]]
    path = urlsplit(UNSUBSCRIBE_LINK.search(text_of(news)).group(0)).path
    response = app.test_client(use_cookies=False).post(
        path, data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200


def leave_every_trace(app, smtp_server):
    """The leaver signs, confirms, writes to their alder, gets an organizer email (and a
    test of it shows their name), then unsubscribes from it; Ben does the same and stays."""
    leaver, stayer = app.test_client(), app.test_client()
    sign_and_confirm(app, leaver, smtp_server=smtp_server, **LEAVER)
    sign_and_confirm(app, stayer, smtp_server=smtp_server, **BEN)
    assert send(leaver, "Please vote yes.").status_code == 303
    assert send(stayer, "Please vote yes too.").status_code == 303
    with app.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        actor = make_organizer(is_admin=True)
        blast = blasts.create_blast(petition, BlastFields(
            "News for {{ first_name }}", "Hello {{ full_name }}", BlastFormat.TEXT, True, (),
            True, True), actor=actor)
        signer = db.session.scalar(select(Signature).where(Signature.first_name == "Rosa"))
        blasts.queue_test(blast, petition, signer, actor=actor)
        blasts.queue_blast(blast, petition, actor=actor, rate_per_minute=10_000)
        db.session.commit()
    deliver_mail(app)
    unsubscribe_in_one_click(app, smtp_server, LEAVER["email"])
    unsubscribe_in_one_click(app, smtp_server, BEN["email"])
    with app.app_context():
        # The mail server refused one of them, quoting the address.
        db.session.execute(OutboxMessage.__table__.update()
                           .where(OutboxMessage.kind == "blast",
                                  OutboxMessage.to_address == LEAVER["email"])
                           .values(status=OutboxStatus.FAILED,
                                   last_error=f"550 no such user {LEAVER['email']}"))
        db.session.commit()
    assert rows_mentioning(app, LEAVER_SPELLINGS), "the scenario stored the address nowhere"


def test_removing_a_signature_leaves_the_address_nowhere(campaign, smtp_server):
    leave_every_trace(campaign, smtp_server)
    [confirmation] = [m for m in smtp_server.sink.to(LEAVER["email"])
                      if REMOVE_LINK.search(text_of(m))]
    path = REMOVE_LINK.search(text_of(confirmation)).group(1)
    client = campaign.test_client()
    page = client.get(path).get_data(as_text=True)
    assert client.post(path, data={"csrf_token": csrf_token_from(page)}).status_code in (200, 303)

    assert rows_mentioning(campaign, LEAVER_SPELLINGS) == []
    # Ben stays, with his letter, his mail and his unsubscribe.
    assert {"signatures", "letters", "outbox_messages", "unsubscribes"} <= {
        table for table, _column in rows_mentioning(campaign, (STAYER_ADDRESS,))}
    # Nothing is left to deliver to the leaver, and delivery still works for the rest.
    assert deliver_mail(campaign).failed == 0


def test_an_unsubscribe_stays_while_another_signature_holds_the_address(campaign,
                                                                          smtp_server):
    leave_every_trace(campaign, smtp_server)
    with campaign.app_context():
        other = make_petition(slug="other")
        db.session.add(Signature(petition_id=other.id, first_name="Rosa", last_name="Q",
                                 email=LEAVER["email"], email_normalized=LEAVER_SPELLINGS[1],
                                 address="x", zip="60647", confirmed_at=None))
        db.session.commit()
    result = campaign.test_cli_runner().invoke(
        args=["signatures", "anonymize", "--petition", "ecps", "--yes", "--force"])
    assert result.exit_code == 0, result.output
    # Only the other petition's signature (and the unsubscribe that protects it) remain.
    assert sorted(set(rows_mentioning(campaign, LEAVER_SPELLINGS))) == [
        ("signatures", "email"), ("signatures", "email_normalized"),
        ("unsubscribes", "email_normalized")]


def test_anonymising_a_campaign_leaves_no_signer_address(campaign, smtp_server):
    leave_every_trace(campaign, smtp_server)
    result = campaign.test_cli_runner().invoke(
        args=["signatures", "anonymize", "--petition", "ecps", "--yes", "--force"])
    assert result.exit_code == 0, result.output
    assert rows_mentioning(campaign, LEAVER_SPELLINGS + (STAYER_ADDRESS,)) == []
    with campaign.app_context():
        assert not db.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.signature_id.is_not(None)))
