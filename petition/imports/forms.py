"""The import page's forms: the file to upload, then which of its columns is which."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from petition.imports.columns import FIELDS
from petition.web.forms import TOO_LONG, Form, NoControlCharacters, strip
from petition.web.numbers import parse_id


class UploadForm(Form):
    """POST /organizer/petitions/<slug>/import (CSRF on)."""

    file = FileField(_l("File (CSV or Excel .xlsx)"), validators=[
        FileRequired(message=_l("Choose a file to import."))])


class MappingForm(Form):
    """Which of the file's columns each of ours is read from, and the source to record.
    GET (the preview, CSRF off) and POST (the import, CSRF on) take the same fields."""

    source = StringField(_l("Source (optional)"), filters=[strip], description=_l(
        "One word saying where the list came from, like actionnetwork or googleforms. "
        "Stored on every signature; \"import\" when left empty."),
        validators=[Optional(), Length(max=40, message=TOO_LONG), NoControlCharacters()])

    @classmethod
    def for_header(cls, header, guessed, **kwargs):
        """The form with a choice of the file's columns for each of ours, the guesses
        chosen unless the request chose otherwise."""

        class Bound(cls):
            pass

        choices = [SelectChoice("", _l("(not in the file)"))] + [
            SelectChoice(str(i + 1), name or _l("column %(n)d", n=i + 1))
            for i, name in enumerate(header)]
        for field, label in FIELDS.items():
            setattr(Bound, field, SelectField(label, choices=choices, validate_choice=True,
                                              default=str(guessed[field] + 1)
                                              if field in guessed else ""))
        return Bound(**kwargs)

    def mapping(self):
        """{our field: the file's column index} for the columns chosen."""
        found = {}
        for field in FIELDS:
            number = parse_id(getattr(self, field).data or "")
            if number is not None:
                found[field] = number - 1
        return found
