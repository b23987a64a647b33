"""The supporter's letter to their alder."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from petition.letters.service import MAX_LETTER_CHARS
from petition.web.forms import MULTILINE, NoControlCharacters, plain_newlines, strip


class LetterForm(FlaskForm):
    """The letter, when the campaign lets supporters edit it."""

    body = TextAreaField(
        _l("Your letter"),
        description=_l("Change it as you like, up to %(max)d characters.", max=MAX_LETTER_CHARS),
        filters=[plain_newlines, strip],
        validators=[DataRequired(message=_l("Write your letter before sending it.")),
                    Length(max=MAX_LETTER_CHARS,
                           message=_l("Use at most %(max)d characters.")),
                    NoControlCharacters(allow=MULTILINE)],
    )


class SendLetterForm(FlaskForm):
    """The send button, when the letter cannot be edited (CSRF only)."""
