"""Attacks on organizer emails in Spanish: header injection through the subject and the
signer's name, template escapes in the Spanish body; the bytes on the wire are checked."""

from email import message_from_bytes, policy

import pytest
from sqlalchemy import update

from petition.extensions import db
from petition.models import Signature
from tests import test_blasts
from tests.test_blasts import blast_id, compose, deliver, send

blast_app = test_blasts.blast_app
org = test_blasts.org

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ config }}", "{{ self }}",
    "{% include 'base.html' %}", "{{ request }}", "{{ first_name.__class__ }}",
    "{{ cycler.__init__.__globals__ }}", "{{ lipsum }}", "{{ range(10**9)|list }}",
    "{% set x = 'a' * 100000000 %}{{ x }}", "{{ first_name|attr('__class__') }}",
    "{% macro m() %}{% endmacro %}", "{{ 9**9**9 }}", "{{ first_name * 1000000 }}",
    "{% if first_name %}sin cerrar", "{{", "{% import 'base.html' as b %}",
]
HOSTILE_NAMES = {
    "Ben": "Ben\r\nBcc: evil@example.org\u2028X-Evil: 1 =?utf-8?q?=0d=0aBcc:_x@y?=",
    "Ana": "Ana\u2029Subject: hi\x85Reply-To: evil@example.org",
}
HEADERS = ["Subject", "From", "To", "Date", "Message-ID", "List-Unsubscribe",
           "List-Unsubscribe-Post", "MIME-Version", "Content-Type"]


@pytest.mark.parametrize("escape", ESCAPES)
def test_template_escapes_in_the_spanish_body_are_refused_at_their_field(blast_app, org,
                                                                          escape):
    org.get("/language/es")
    for field in ("body_es", "subject_es"):
        fields = {"subject_es": "Hola", "body_es": "Hola", field: "x " + escape}
        response = compose(org, **fields)
        assert response.status_code == 400, (field, escape)
        assert f'href="#{field}"' in response.get_data(as_text=True)


@pytest.mark.parametrize("subject", ["Hola\r\nBcc: x@example.org", "Hola\nBcc: x@example.org",
                                     "Hola\rBcc: x@example.org", "Hola\x85Bcc: x@ex.org"])
def test_line_breaks_in_either_subject_are_form_errors(blast_app, org, subject):
    assert compose(org, subject=subject).status_code == 400
    assert compose(org, subject_es=subject, body_es="Hola").status_code == 400


def test_hostile_names_in_both_subjects_inject_no_header_on_the_wire(blast_app, org,
                                                                     smtp_server):
    with blast_app.app_context():
        for name, hostile in HOSTILE_NAMES.items():
            db.session.execute(update(Signature).where(Signature.first_name == name)
                               .values(first_name=hostile))
        db.session.commit()
    bid = blast_id(compose(org, subject="Hi {{ first_name }} {{ full_name }}",
                           # A line separator is no control character: the form keeps
                           # it, the wire must not break the line there.
                           subject_es="Hola\u2028Cc: x@example.org {{ first_name }} "
                                      "{{ full_name }}",
                           body_es="Hola {{ first_name }}"))
    send(org, bid)
    assert deliver(blast_app).sent == 3
    for sent in smtp_server.messages:
        assert all("evil" not in to and "x@y" not in to for to in sent["to"])
        head = sent["raw"].split(b"\r\n\r\n", 1)[0]
        message = message_from_bytes(head + b"\r\n\r\n", policy=policy.SMTP)
        assert list(message.keys()) == HEADERS, message.keys()
        assert message["List-Unsubscribe"].startswith("<https://petitions.example.org/")
        assert all(h not in message for h in ("Bcc", "Cc", "Reply-To", "X-Evil"))
        # A folded subject goes on with white space: no line of it starts a field.
        for line in head.split(b"\r\n"):
            assert line[:1] in (b" ", b"\t") or line.split(b":")[0].decode() in HEADERS
