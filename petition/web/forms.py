"""Validators and filters shared by every form."""

import re

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.csrf import _FlaskFormCSRF
from wtforms.validators import ValidationError


def strip(value):
    """Trim surrounding white space from text input."""
    return value.strip() if isinstance(value, str) else value


class NoControlCharacters:
    """Refuse control characters (NUL, tabs, line breaks, escapes) in one-line fields;
    `allow` lets some through (multi-line text keeps its line breaks and tabs)."""

    # Unicode's control characters (category Cc: C0, DEL, C1) and lone surrogates (Cs).
    CONTROL = "\x00-\x1f\x7f-\x9f\ud800-\udfff"

    def __init__(self, message=None, allow=""):
        self.message = message
        allowed = "".join(f"\\x{ord(ch):02x}" for ch in allow)
        # One regular expression: this runs on every field of every form.
        pattern = f"[{self.CONTROL}]" if not allowed else f"(?![{allowed}])[{self.CONTROL}]"
        self.refused = re.compile(pattern)

    def __call__(self, form, field):
        if field.data and self.refused.search(field.data):
            raise ValidationError(
                self.message or _l("Remove the invisible control characters from this field.")
            )


class TokenWhenShownCSRF(_FlaskFormCSRF):
    """Flask-WTF's CSRF protection, making the page's new token only if a page shows it.

    A valid submission redirects and never shows the form again, so signing a fresh
    token for it (every signature on the sign form) would be work thrown away. The check
    of the submitted token is Flask-WTF's own, unchanged.
    """

    def generate_csrf_token(self, csrf_token_field):
        return LazyString(super().generate_csrf_token, csrf_token_field)


# For <textarea> fields: line breaks and tabs are text there.
MULTILINE = "\n\r\t"


def plain_newlines(value):
    """Text from a textarea with every line break as \\n (browsers send \\r\\n)."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n")
