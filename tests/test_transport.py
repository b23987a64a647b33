"""What reaches the mail server, byte for byte: no value adds a header, and
List-Unsubscribe arrives in the form mail clients act on."""

from email.message import EmailMessage

import pytest

from petition.blasts.unsubscribes import list_headers
from petition.extensions import db
from petition.mail import outbox, transport
from tests.conftest import deliver_mail, sign_and_confirm
from tests.letters_support import ANA, save_campaign, send

# Encoded-words that decode to line breaks (the header folding bug of CVE-2024-6923).
ENCODED_BREAKS = "=?utf-8?q?=0ABcc:_victim@evil.example=0AX-Injected:_yes?="
RAW_BREAKS = "Ana\r\nBcc: victim@evil.example\nX-Injected: yes\u2028Cc: x@evil.example"
LONG_URL = "https://petitions.example.org/unsubscribe/" + "Ab1-Cd2_Ef3." * 12


def header_lines(raw):
    """The header section's fields as received, each unfolded onto one line."""
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r" not in head.replace(b"\r\n", b""), "a bare CR in the header section"
    assert b"\n" not in head.replace(b"\r\n", b""), "a bare LF in the header section"
    fields = []
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            fields[-1] += line
        else:
            fields.append(line)
    return fields


def header_names(raw):
    return [line.split(b":", 1)[0].lower() for line in header_lines(raw)]


def test_a_signers_name_cannot_add_headers_to_the_letter_a_ward_office_gets(ecps,
                                                                            smtp_server):
    save_campaign(ecps, editable=False, subject="Letter from {{ full_name }}")
    client = ecps.test_client()
    sign_and_confirm(ecps, client, smtp_server=smtp_server,
                     **dict(ANA, first_name=ENCODED_BREAKS))
    assert send(client).status_code == 303
    smtp_server.messages.clear()
    assert deliver_mail(ecps).sent == 1
    [received] = smtp_server.messages
    assert received["to"] == ["Ward01@cityofchicago.org"]
    names = header_names(received["raw"])
    assert b"bcc" not in names and b"x-injected" not in names
    assert names.count(b"subject") == 1
    subject = received["message"]["Subject"]
    assert subject.startswith("Letter from ") and subject.endswith(" Díaz")
    assert "\n" not in subject and "\r" not in subject


@pytest.mark.parametrize("hostile", [ENCODED_BREAKS, RAW_BREAKS], ids=["encoded", "raw"])
def test_no_header_value_can_add_a_header(make_app, smtp_server, hostile):
    """Display names (From, Reply-To), the subject and extra headers, long enough to fold."""
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5,
                   MAIL_DEFAULT_SENDER=f"{ENCODED_BREAKS} <petitions@example.org>")
    with app.app_context():
        outbox.enqueue(kind="test", to_address="ward@example.org",
                       subject=f"A letter about the ordinance from {hostile} Díaz, ward 1",
                       reply_to=f"{hostile} Díaz <ana@example.org>", body_text="Hello",
                       headers={"List-Unsubscribe": f"<{LONG_URL}> {hostile}"})
        db.session.commit()
    assert deliver_mail(app).sent == 1
    [received] = smtp_server.messages
    assert received["to"] == ["ward@example.org"]
    names = header_names(received["raw"])
    for name in (b"bcc", b"cc", b"x-injected"):
        assert name not in names
    for name in (b"from", b"to", b"reply-to", b"subject", b"list-unsubscribe"):
        assert names.count(name) == 1, name
    message = received["message"]
    assert message["From"].addresses[0].addr_spec == "petitions@example.org"
    assert message["Reply-To"].addresses[0].addr_spec == "ana@example.org"
    assert message["Subject"].endswith(" Díaz, ward 1")


def test_an_address_that_is_not_one_is_refused_not_sent(smtp_app, smtp_server):
    with smtp_app.app_context():
        outbox.enqueue(kind="test", to_address="ana@example.org\r\nBcc: x@evil.example",
                       subject="Hi", body_text="x")
        outbox.enqueue(kind="test", to_address=f"{ENCODED_BREAKS}@example.org",
                       subject="Hi", body_text="x")
        db.session.commit()
    report = deliver_mail(smtp_app)
    assert report.failed == 2 and smtp_server.messages == []


def test_what_the_generator_writes_is_checked_whatever_pythons_version():
    """The last line of defence: a header the sanitising missed is refused, not sent."""
    message = EmailMessage(policy=transport.SMTP_POLICY)
    message["To"] = "ward@example.org"
    message["Subject"] = "A letter to the alder of ward 1 about the ordinance " + ENCODED_BREAKS
    message.set_content("Hello")
    with pytest.raises(transport.PermanentFailure):
        transport.message_bytes(message)


def test_list_unsubscribe_reaches_the_server_as_a_url_in_angle_brackets(smtp_app,
                                                                        smtp_server):
    """RFC 2369: clients ignore the field unless it starts with "<", so never an
    encoded-word (RFC 8058's one-click POST needs both fields)."""
    with smtp_app.app_context():
        outbox.enqueue(kind="test", to_address="ana@example.org", subject="Hi",
                       body_text="Hello", headers=list_headers(LONG_URL))
        db.session.commit()
    assert deliver_mail(smtp_app).sent == 1
    [raw] = smtp_server.sink.raw_to("ana@example.org")
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"=?" not in head
    assert b"\r\nList-Unsubscribe: <https://petitions.example.org/unsubscribe/" in head
    fields = header_lines(raw)
    assert f"List-Unsubscribe: <{LONG_URL}>".encode() in fields
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in fields
