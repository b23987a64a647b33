"""The organizer's email to signers: compose it, and send a test."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from petition.mail.template_fields import body_field, subject_field
from petition.models import WARD_NUMBERS
from petition.web.forms import Form, MultiCheckboxField

WARD_CHOICES = [SelectChoice(n, str(n)) for n in WARD_NUMBERS]


class BlastForm(Form):
    subject = subject_field(_l("Subject"))
    body = body_field(_l("Message"), _l("Write the message."))
    subject_es = subject_field(_l("Subject in Spanish"), required=False)
    body_es = body_field(_l("Message in Spanish"), None, required=False)
    format = RadioField(
        _l("Format"),
        choices=[SelectChoice("text", _l("Plain text")),
                 SelectChoice("markdown",
                              _l("Markdown (**bold**, *italic*, [links](https://...), lists)"))],
        default="text", validators=[DataRequired(message=_l("Choose a format."))])
    audience = RadioField(
        _l("Wards"),
        choices=[SelectChoice("all", _l("Signers in every ward")),
                 SelectChoice("chosen", _l("Signers in these wards:"))],
        default="all", validators=[DataRequired(message=_l("Choose the wards."))])
    wards = MultiCheckboxField(_l("Wards to write to"), choices=WARD_CHOICES, coerce=int)
    include_outside = BooleanField(_l("Also signers outside Chicago"))
    include_unknown = BooleanField(_l("Also signers whose ward is not known"))


class BlastTestForm(Form):
    """Send a test to yourself, rendered for this signer (CSRF and the signer's id)."""

    signer = HiddenField()
