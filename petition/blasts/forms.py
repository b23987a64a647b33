"""The organizer's email to signers: compose it, and send a test."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from petition.geo import Geocoder
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
                 SelectChoice("chosen", _l("Signers in these wards:")),
                 SelectChoice("house", _l("Signers in these Illinois House districts:")),
                 SelectChoice("senate", _l("Signers in these Illinois Senate districts:"))],
        default="all", validators=[DataRequired(message=_l("Choose the wards."))])
    wards = MultiCheckboxField(_l("Wards to write to"), choices=WARD_CHOICES, coerce=int)
    house = MultiCheckboxField(_l("Illinois House districts to write to"), coerce=int)
    senate = MultiCheckboxField(_l("Illinois Senate districts to write to"), coerce=int)
    include_outside = BooleanField(_l("Also signers outside Chicago"))
    include_unknown = BooleanField(_l("Also signers whose ward is not known"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The districts that reach Chicago (the shipped 2021 plan).
        state = Geocoder.default().state
        self.house.choices = [SelectChoice(n, str(n)) for n in sorted(state.house.numbers)]
        self.senate.choices = [SelectChoice(n, str(n)) for n in sorted(state.senate.numbers)]


class BlastTestForm(Form):
    """Send a test to yourself, rendered for this signer (CSRF and the signer's id)."""

    signer = HiddenField()
