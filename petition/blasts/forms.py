"""Forms for letters to alders and emails to signers."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from petition.mail.sandbox import MAX_TEMPLATE_CHARS
from petition.web.forms import MULTILINE, NoControlCharacters, plain_newlines, strip

TOO_LONG = _l("Use at most %(max)d characters.")
PLACEHOLDER_HINT = _l("Placeholders are filled in for each signer, e.g. {{ first_name }} or "
                      "{{ alder_name }}; the list is below.")


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes, one per choice, each with its own label."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _subject(label):
    return StringField(label, filters=[strip], description=PLACEHOLDER_HINT,
                       validators=[DataRequired(message=_l("Enter a subject.")),
                                   Length(max=200, message=TOO_LONG), NoControlCharacters()])


def _body(label, message):
    return TextAreaField(label, filters=[plain_newlines, strip],
                         validators=[DataRequired(message=message),
                                     Length(max=MAX_TEMPLATE_CHARS, message=TOO_LONG),
                                     NoControlCharacters(allow=MULTILINE)])


class LetterCampaignForm(FlaskForm):
    subject = _subject(_l("Subject"))
    body = _body(_l("Letter"), _l("Write the letter."))
    supporters_may_edit = BooleanField(_l("Supporters may change the letter before sending it"))
    delivery = RadioField(
        _l("Delivery to the ward office"),
        choices=[SelectChoice("each", _l("Each letter on its own, as soon as it is sent")),
                 SelectChoice("digest",
                              _l("One email per alder and day, with that day's letters"))],
        default="each", validators=[DataRequired(message=_l("Choose how letters are delivered."))])
    is_open = BooleanField(_l("Supporters can send letters now"), default=True)


WARD_CHOICES = [SelectChoice(n, str(n)) for n in range(1, 51)]


class BlastForm(FlaskForm):
    subject = _subject(_l("Subject"))
    body = _body(_l("Message"), _l("Write the message."))
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


class BlastTestForm(FlaskForm):
    """Send a test to yourself, rendered for this signer (CSRF and the signer's id)."""

    signer = HiddenField()
