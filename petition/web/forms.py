"""What every form shares: filters, validators, field-level errors from operations, and
committing an organizer's change or showing why it was refused."""

import functools
import re
from dataclasses import dataclass

from babel.support import Translations
from flask import flash
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF
from wtforms import DateTimeLocalField, SelectMultipleField
from wtforms.i18n import messages_path
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from petition.extensions import db

TOO_LONG = _l("Use at most %(max)d characters.")


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


@functools.cache
def wtforms_messages(locale):
    """WTForms' own messages ("Not a valid choice.") in `locale`, read from disk once."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


class Form(FlaskForm):
    """The base of every form: WTForms' own messages in the visitor's language."""

    class Meta:
        def get_translations(self, form):
            # Flask-WTF's default reads and parses the catalogue file on every request.
            return wtforms_messages(str(get_locale() or "en"))


class TokenWhenShownCSRF(_FlaskFormCSRF):
    """Flask-WTF's CSRF protection, making the page's new token only if a page shows it.

    A valid submission redirects and never shows the form again, so signing a fresh
    token for it (every signature on the sign form) would be work thrown away. The check
    of the submitted token is Flask-WTF's own, unchanged.
    """

    def generate_csrf_token(self, csrf_token_field):
        return LazyString(super().generate_csrf_token, csrf_token_field)


# Chicago times people type (deadlines, time windows) lie in these years: anything else is
# a typo, and the calendar's far ends (year 9999) cannot even be converted to UTC.
FIRST_YEAR, LAST_YEAR = 2000, 2999
CITY_TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def _plausible_year(_form, field):
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Enter a date between the years %(first)d and %(last)d.",
                                 first=FIRST_YEAR, last=LAST_YEAR))


def city_time_field(label):
    """An optional Chicago wall-clock time (<input type="datetime-local">)."""
    return DateTimeLocalField(label, format=CITY_TIME_FORMATS,
                              validators=[Optional(), _plausible_year])


# For <textarea> fields: line breaks and tabs are text there.
MULTILINE = "\n\r\t"


def plain_newlines(value):
    """Text from a textarea with every line break as \\n (browsers send \\r\\n)."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n")


class SimpleForm(Form):
    """A button that posts (CSRF only)."""


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes, one per choice, each with its own label."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class FieldError(ValueError):
    """An operation refuses what was asked; `field` names the form field to show the
    message next to (None: the message is about the whole form)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def show_error(form, error):
    """Show a FieldError next to its field on `form`, else among the form's own errors;
    with no form, above the next page as a flash message."""
    if form is None:
        flash(str(error), "error")
        return
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(error)]
    else:
        form.form_errors.append(str(error))


@dataclass(frozen=True)
class Saved:
    """What `commit_or_rollback` did: `done` and the operation's return value, or not."""

    done: bool
    value: object = None


def commit_or_rollback(form, operation, *args, **kwargs):
    """Run `operation(*args, **kwargs)` and commit the request's work; if it raises a
    FieldError, roll back instead and show the error on `form` (or flash it)."""
    try:
        value = operation(*args, **kwargs)
    except FieldError as error:
        db.session.rollback()
        show_error(form, error)
        return Saved(False)
    db.session.commit()
    return Saved(True, value)
