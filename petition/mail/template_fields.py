"""Form fields for the mail templates organizers write (letters, emails to signers),
and the check that they can be filled in."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from petition.mail import sandbox
from petition.mail.sandbox import MAX_TEMPLATE_CHARS, TemplateProblem
from petition.web.forms import (
    MULTILINE,
    TOO_LONG,
    FieldError,
    NoControlCharacters,
    plain_newlines,
    strip,
)
from petition.web.links import petition_url

PLACEHOLDER_HINT = _l("Placeholders are filled in for each signer, e.g. {{ first_name }} or "
                      "{{ alder_name }}; the list is below.")
MAX_SUBJECT_CHARS = 200
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def readable_placeholders(template_text):
    """A template's text for a title or a list: "Hi {{ first_name }}" -> "Hi [first name]"."""
    return PLACEHOLDER.sub(lambda m: "[" + m.group(1).replace("_", " ") + "]",
                           template_text or "")


def subject_field(label, required=True):
    """A one-line template: the email's subject."""
    presence = DataRequired(message=_l("Enter a subject.")) if required else Optional()
    return StringField(label, filters=[strip], description=PLACEHOLDER_HINT,
                       validators=[presence, Length(max=MAX_SUBJECT_CHARS, message=TOO_LONG),
                                   NoControlCharacters()])


def body_field(label, message, required=True):
    """A multi-line template: the email's text; `message` asks for it when empty."""
    presence = DataRequired(message=message) if required else Optional()
    return TextAreaField(label, filters=[plain_newlines, strip],
                         validators=[presence, Length(max=MAX_TEMPLATE_CHARS, message=TOO_LONG),
                                     NoControlCharacters(allow=MULTILINE)])


def check_templates(petition, subject, body, field_names=("subject", "body")):
    """Check a subject and a body template (the rules, then sample signers): on saving,
    and again before anything is sent. FieldError names the field (of `field_names`)."""
    subject_field_name, body_field_name = field_names
    for field, source, one_line in ((subject_field_name, subject, True),
                                    (body_field_name, body, False)):
        try:
            sandbox.check(source, petition_title=petition.title,
                          petition_url=petition_url(petition), one_line=one_line)
        except TemplateProblem as exc:
            raise FieldError(str(exc), field=field) from exc
