"""Forms for Find my alder and the signer's ward choice."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from petition.lookup.service import MAX_ADDRESS_CHARS
from petition.web.forms import NoControlCharacters, strip


class LookupForm(FlaskForm):
    """The GET form on /lookup (bookmarkable, so no CSRF token)."""

    class Meta:
        csrf = False

    address = StringField(
        _l("Your street address in Chicago"),
        description=_l("For example: 1958 N Milwaukee Ave. No need for your apartment number."),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter your street address, like 1958 N Milwaukee Ave.")),
            Length(max=MAX_ADDRESS_CHARS,
                   message=_l("Use at most %(max)d characters.")),
            NoControlCharacters(),
        ],
    )


def _ward_number(_form, field):
    value = (field.data or "").strip()
    if not (value.isdigit() and len(value) <= 2 and 1 <= int(value) <= 50):
        raise ValidationError(_l("Choose a ward from 1 to 50."))
    field.data = str(int(value))


class WardChoiceForm(FlaskForm):
    """POST /petitions/<slug>/my-ward: the signer's ward (CSRF on)."""

    ward = StringField(
        _l("Your ward"),
        filters=[strip],
        validators=[DataRequired(message=_l("Choose a ward from 1 to 50.")), _ward_number],
    )
