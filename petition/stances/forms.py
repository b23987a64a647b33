"""The organizer's form for one ward's stance and its evidence."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from petition.models import WARD_NUMBERS
from petition.petitions.forms import STANCE_CHOICES
from petition.stances.goals import MAX_WARD_GOAL
from petition.web.forms import TOO_LONG, NoControlCharacters, strip

SOURCE_URL_MAX = 500
SOURCE_NOTE_MAX = 300
MAX_WARD_GOAL_TEXT = f"{MAX_WARD_GOAL:,}"


def _web_address(_form, field):
    parts = urlsplit(field.data or "")
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
        raise ValidationError(_l("Enter a web address starting with https://, or leave it "
                                 "empty."))


class StanceForm(FlaskForm):
    stance = SelectField(_l("Stance"), choices=STANCE_CHOICES)
    source_url = StringField(
        _l("Source link (optional)"), filters=[strip],
        description=_l("A vote record, a statement, a news story."),
        validators=[Optional(), Length(max=SOURCE_URL_MAX, message=TOO_LONG),
                    NoControlCharacters(), _web_address])
    source_note = StringField(
        _l("Source note (optional)"), filters=[strip],
        description=_l("E.g. “Said so at the ward meeting on March 3.”"),
        validators=[Optional(), Length(max=SOURCE_NOTE_MAX, message=TOO_LONG),
                    NoControlCharacters()])


class WardGoalsForm(FlaskForm):
    """A signature goal for each ward (goal_1 ... goal_50); empty means none."""

    def goals(self):
        """{ward: goal or None} as entered."""
        return {n: self[f"goal_{n}"].data for n in WARD_NUMBERS}


for _n in WARD_NUMBERS:
    setattr(WardGoalsForm, f"goal_{_n}", IntegerField(
        _l("Ward %(n)d", n=_n), validators=[Optional(), NumberRange(
            min=0, max=MAX_WARD_GOAL,
            message=_l("Enter a whole number from 0 to %(max)s.",
                       max=MAX_WARD_GOAL_TEXT))]))
