"""The paper entry form: one row of a sheet per submit, and the organizer's decisions
(a suggested address, the ward near a line, a possible duplicate)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, EmailField, StringField, TelField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from petition.paper.service import PaperEntry
from petition.signing.forms import valid_email, valid_phone, valid_zip
from petition.web.forms import TOO_LONG, Form, NoControlCharacters, strip

DUPLICATE_DECISIONS = ("skip", "add")


def _text(label, required_message=None, max_length=100):
    validators = [DataRequired(message=required_message)] if required_message else [Optional()]
    return StringField(label, filters=[strip], validators=validators + [
        Length(max=max_length, message=TOO_LONG), NoControlCharacters()])


def _known_decision(_form, field):
    if field.data and field.data not in DUPLICATE_DECISIONS:
        raise ValidationError(_l("Choose to skip the row or to add it anyway."))


class PaperForm(Form):
    """POST /organizer/petitions/<slug>/paper (CSRF on)."""

    first_name = _text(_l("First name"), _l("Enter the first name."))
    last_name = _text(_l("Last name"), _l("Enter the last name."))
    address = _text(_l("Street address"), _l("Enter the street address."), max_length=200)
    zip = StringField(_l("ZIP code"), filters=[strip], validators=[
        DataRequired(message=_l("Enter the ZIP code.")), Length(max=10, message=TOO_LONG),
        NoControlCharacters(), valid_zip])
    email = EmailField(_l("Email (optional)"), filters=[strip], validators=[
        Optional(), Length(max=254, message=TOO_LONG), NoControlCharacters(), valid_email])
    phone = TelField(_l("Phone (optional)"), filters=[strip], validators=[
        Optional(), Length(max=32, message=TOO_LONG), NoControlCharacters(), valid_phone])
    signed_on = DateField(_l("Date signed"), validators=[
        InputRequired(message=_l("Enter the date written on the sheet."))])
    sheet_number = _text(_l("Sheet number"), max_length=20)
    collected_by = _text(_l("Collected by"))
    # Decisions, shown only when the row needs one.
    suggested_address = _text(None, max_length=200)
    keep_address = BooleanField()
    ward = StringField(filters=[strip], validators=[Optional(), Length(max=5),
                                                    NoControlCharacters()])
    duplicate = StringField(filters=[strip], validators=[Optional(), _known_decision])

    def check_signed_on(self, first_day, today):
        """A day on or after `first_day` (the petition's) and not after `today`."""
        day = self.signed_on.data
        if day is not None and day > today:
            self.signed_on.errors.append(_l("The date signed cannot be in the future."))
        elif day is not None and day < first_day:
            self.signed_on.errors.append(_l(
                "The date signed cannot be before the petition existed (%(day)s).",
                day=first_day.isoformat()))
        return not self.signed_on.errors

    def entry(self):
        """The validated row."""
        return PaperEntry(
            first_name=self.first_name.data, last_name=self.last_name.data,
            address=self.address.data, zip=self.zip.data, signed_on=self.signed_on.data,
            email=self.email.data or None, phone=self.phone.data or None,
            sheet_number=self.sheet_number.data or None,
            collected_by=self.collected_by.data or None)
