"""The Find my alder form."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from petition.lookup.service import MAX_ADDRESS_CHARS
from petition.web.forms import TOO_LONG, Form, NoControlCharacters, strip


class LookupForm(Form):
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
                   message=TOO_LONG),
            NoControlCharacters(),
        ],
    )
