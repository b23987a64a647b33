"""The organizer's form for one ward's stance and its evidence."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from petition.models import WARD_NUMBERS, CallOutcome, Stance
from petition.petitions.forms import STANCE_CHOICES
from petition.stances.goals import MAX_WARD_GOAL
from petition.web.forms import MULTILINE, TOO_LONG, Form, NoControlCharacters, strip

SOURCE_URL_MAX = 500
SOURCE_NOTE_MAX = 300
MAX_WARD_GOAL_TEXT = f"{MAX_WARD_GOAL:,}"


def _web_address(_form, field):
    parts = urlsplit(field.data or "")
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
        raise ValidationError(_l("Enter a web address starting with https://, or leave it "
                                 "empty."))


class StanceForm(Form):
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


class WardGoalsForm(Form):
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


OUTCOME_LABELS = {
    CallOutcome.SPOKE_TO_ALDER: _l("I spoke to the alder"),
    CallOutcome.SPOKE_TO_STAFF: _l("I spoke to staff"),
    CallOutcome.VOICEMAIL: _l("I left a voicemail"),
    CallOutcome.NO_ANSWER: _l("Nobody answered"),
}
HEARD_CHOICES = [SelectChoice("", _l("I did not hear a position")),
                 SelectChoice(Stance.SUPPORTS.value, _l("supports it")),
                 SelectChoice(Stance.UNDECIDED.value, _l("undecided")),
                 SelectChoice(Stance.OPPOSES.value, _l("opposes it"))]
CALL_NOTE_MAX = 500


class CallForm(Form):
    """"I called": what happened, what the office said, and an optional note."""

    outcome = RadioField(_l("What happened?"),
                         choices=[SelectChoice(o.value, label)
                                  for o, label in OUTCOME_LABELS.items()],
                         validators=[DataRequired(message=_l("Choose what happened."))])
    heard_stance = SelectField(_l("The alder's position, as you heard it"),
                               choices=HEARD_CHOICES, validators=[Optional()])
    note = TextAreaField(_l("Anything the organizers should know (optional)"),
                         filters=[strip], validators=[
                             Optional(), Length(max=CALL_NOTE_MAX, message=TOO_LONG),
                             NoControlCharacters(allow=MULTILINE)])
