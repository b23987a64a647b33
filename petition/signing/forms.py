"""The public sign form."""

import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, StringField, TelField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from petition.mail.addresses import InvalidEmail, check_email, is_blocked_domain
from petition.models.ward import parse_ward
from petition.signing.service import SignerDetails
from petition.signing.sources import clean_source
from petition.web.forms import TOO_LONG, Form, NoControlCharacters, TokenWhenShownCSRF, strip

ZIP_PATTERN = re.compile(r"^(\d{5})(?:[-\s]?(\d{4}))?$")
PHONE_ALLOWED = re.compile(r"^[0-9+().\-\s]*$")


def valid_email(_form, field):
    if not field.data:
        return
    try:
        check_email(field.data)
    except InvalidEmail as exc:
        raise ValidationError(_l("Enter a valid email address, like name@example.com.")) from exc
    if is_blocked_domain(field.data, current_app.config["BLOCKED_EMAIL_DOMAINS"]):
        raise ValidationError(_l("Addresses from this email provider are not accepted. "
                                 "Use the address you read every day."))


def valid_zip(_form, field):
    match = ZIP_PATTERN.match(field.data or "")
    if not match:
        raise ValidationError(_l("Enter a 5-digit ZIP code, like 60647."))
    field.data = match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")


def valid_phone(_form, field):
    if not field.data:
        return
    digits = re.sub(r"\D", "", field.data)
    if not PHONE_ALLOWED.match(field.data) or not 7 <= len(digits) <= 15:
        raise ValidationError(_l("Enter a phone number with digits only, like (312) 555-0123."))


def _required(message):
    return DataRequired(message=message)


class SignForm(Form):
    class Meta:
        csrf_class = TokenWhenShownCSRF

    first_name = StringField(
        _l("First name"),
        filters=[strip],
        validators=[_required(_l("Enter your first name.")), Length(max=100, message=TOO_LONG),
                    NoControlCharacters()],
    )
    last_name = StringField(
        _l("Last name"),
        filters=[strip],
        validators=[_required(_l("Enter your last name.")), Length(max=100, message=TOO_LONG),
                    NoControlCharacters()],
    )
    email = EmailField(
        _l("Email"),
        filters=[strip],
        validators=[_required(_l("Enter your email address.")), Length(max=254, message=TOO_LONG),
                    NoControlCharacters(), valid_email],
    )
    address = StringField(
        _l("Street address"),
        description=_l("Include your apartment or unit number."),
        filters=[strip],
        validators=[_required(_l("Enter your street address.")), Length(max=200, message=TOO_LONG),
                    NoControlCharacters()],
    )
    zip = StringField(
        _l("ZIP code"),
        filters=[strip],
        validators=[_required(_l("Enter your ZIP code.")), Length(max=10, message=TOO_LONG),
                    NoControlCharacters(), valid_zip],
    )
    phone = TelField(
        _l("Phone (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=32, message=TOO_LONG), NoControlCharacters(),
                    valid_phone],
    )
    opt_in = BooleanField(_l("Keep me updated about this campaign"))
    volunteer = BooleanField(_l("I can volunteer"))
    # "Did you mean": the address the signer chose instead of an unmatched one, or their
    # wish to sign with what they typed (their ward is then chosen on the map).
    suggested_address = StringField(filters=[strip], validators=[
        Optional(), Length(max=200, message=TOO_LONG), NoControlCharacters()])
    keep_address = BooleanField()
    # Where the link came from (?source=): anything but a short safe token is dropped.
    source = HiddenField(filters=[clean_source])
    # A honeypot: hidden from people (CSS, aria-hidden, no tab stop); bots fill it in.
    website = StringField(_l("Leave this field empty"))

    def signer_details(self):
        """The validated values the signing service takes."""
        return SignerDetails(
            first_name=self.first_name.data, last_name=self.last_name.data,
            email=self.email.data, address=self.address.data, zip=self.zip.data,
            phone=self.phone.data or None, opt_in=self.opt_in.data,
            volunteer=self.volunteer.data, source=self.source.data,
        )


def _valid_ward(_form, field):
    number = parse_ward(field.data)
    if number is None:
        raise ValidationError(_l("Choose a ward from 1 to 50."))
    field.data = str(number)


class WardChoiceForm(Form):
    """POST /petitions/<slug>/my-ward: the signer's ward (CSRF on)."""

    ward = StringField(
        _l("Your ward"),
        filters=[strip],
        validators=[DataRequired(message=_l("Choose a ward from 1 to 50.")), _valid_ward],
    )
