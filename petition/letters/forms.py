"""The letter campaign organizers set up, and the supporter's letter to their alder."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from petition.letters.service import MAX_LETTER_CHARS
from petition.mail.template_fields import body_field, subject_field
from petition.models.letter_campaign import DEFAULT_REPLY_CHECK_DAYS
from petition.web.forms import MULTILINE, TOO_LONG, Form, NoControlCharacters, plain_newlines, strip

MAX_REPLY_CHECK_DAYS = 90


class LetterCampaignForm(Form):
    subject = subject_field(_l("Subject"))
    body = body_field(_l("Letter"), _l("Write the letter."))
    subject_es = subject_field(_l("Subject in Spanish"), required=False)
    body_es = body_field(_l("Letter in Spanish"), None, required=False)
    supporters_may_edit = BooleanField(_l("Supporters may change the letter before sending it"))
    delivery = RadioField(
        _l("Delivery to the ward office"),
        choices=[SelectChoice("each", _l("Each letter on its own, as soon as it is sent")),
                 SelectChoice("digest",
                              _l("One email per alder and day, with that day's letters"))],
        default="each", validators=[DataRequired(message=_l("Choose how letters are delivered."))])
    is_open = BooleanField(_l("Supporters can send letters now"), default=True)
    reply_check_days = IntegerField(
        _l("Days after a letter to ask its sender whether the alder replied"),
        default=DEFAULT_REPLY_CHECK_DAYS, description=_l("Empty: 14 days."),
        validators=[Optional(), NumberRange(min=1, max=MAX_REPLY_CHECK_DAYS,
                                message=_l("Enter a number of days from 1 to 90."))])
    reply_rates_public = BooleanField(_l("Show each alder's reply rate on the public "
                                         "scoreboard"))

    def address_state_members(self):
        """Word the form for a petition to state members: their offices, not the ward's."""
        self.delivery.label.text = _l("Delivery to the state members' offices")
        self.delivery.choices = [
            self.delivery.choices[0],
            SelectChoice("digest",
                         _l("One email per state member and day, with that day's letters"))]
        self.reply_check_days.label.text = _l(
            "Days after a letter to ask its sender whether they got a reply")


class LetterForm(Form):
    """The letter, when the campaign lets supporters edit it."""

    language = HiddenField()  # the language of the letter shown, kept when sending
    body = TextAreaField(
        _l("Your letter"),
        description=_l("Change it as you like, up to %(max)d characters.", max=MAX_LETTER_CHARS),
        filters=[plain_newlines, strip],
        validators=[DataRequired(message=_l("Write your letter before sending it.")),
                    Length(max=MAX_LETTER_CHARS, message=TOO_LONG),
                    NoControlCharacters(allow=MULTILINE)],
    )


class SendLetterForm(Form):
    """The send button, when the letter cannot be edited (CSRF and the letter's language)."""

    language = HiddenField()
