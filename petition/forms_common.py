"""Validators and filters shared by every form."""

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError


def strip(value):
    """Trim surrounding white space from text input."""
    return value.strip() if isinstance(value, str) else value


class NoControlCharacters:
    """Refuse control characters (NUL, tabs, line breaks, escapes) in one-line fields;
    `allow` lets some through (multi-line text keeps its line breaks and tabs)."""

    def __init__(self, message=None, allow=""):
        self.message = message
        self.allow = set(allow)

    def __call__(self, form, field):
        value = field.data or ""
        if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in self.allow
               for ch in value):
            raise ValidationError(
                self.message or _l("Remove the invisible control characters from this field.")
            )


# For <textarea> fields: line breaks and tabs are text there.
MULTILINE = "\n\r\t"


def plain_newlines(value):
    """Text from a textarea with every line break as \\n (browsers send \\r\\n)."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n")
