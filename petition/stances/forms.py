"""The organizer's forms for a ward's stance and goals, and the supporter's "I called"."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from petition.models import WARD_NUMBERS, CallOutcome, Stance
from petition.models.legislator import HOUSE
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
# A call to state members: the first outcome is speaking to the member themselves.
SPOKE_TO_MEMBER = _l("I spoke to the member")
HEARD_CHOICES = [SelectChoice("", _l("I did not hear a position")),
                 SelectChoice(Stance.SUPPORTS.value, _l("supports it")),
                 SelectChoice(Stance.UNDECIDED.value, _l("undecided")),
                 SelectChoice(Stance.OPPOSES.value, _l("opposes it"))]
CALL_NOTE_MAX = 500


def member_value(member):
    """How the form names a state member: "house-3", "senate-2"."""
    return f"{member.chamber}-{member.district}"


def member_label(member):
    if member.chamber == HOUSE:
        return _l("%(name)s, your State Representative (House district %(number)d)",
                  name=member.name, number=member.district)
    return _l("%(name)s, your State Senator (Senate district %(number)d)",
              name=member.name, number=member.district)


class CallForm(Form):
    """"I called": whom (on a petition to both state members), what happened, what the
    office said, and an optional note. `sheet` is the caller's stances.calls.CallSheet."""

    member = RadioField(_l("Whom did you call?"), choices=[], validate_choice=False)
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

    def __init__(self, *args, sheet=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = sheet.members if sheet is not None else ()
        self.to_members = bool(members)
        self.callable = [m for m in members if not m.vacant]
        self.member.choices = [(member_value(m), member_label(m)) for m in self.callable]
        if members:
            self.outcome.choices = [(CallOutcome.SPOKE_TO_ALDER.value, SPOKE_TO_MEMBER),
                                    *self.outcome.choices[1:]]
            self.heard_stance.label.text = _l("The member's position, as you heard it")

    @property
    def asks_member(self):
        """Whether the caller must say whom they called (more than one member to call)."""
        return len(self.callable) > 1

    @property
    def can_report(self):
        """False when every seat to call is vacant: there was no one to call."""
        return bool(self.callable) or not self.to_members

    def validate_member(self, field):
        if not self.can_report:
            raise ValidationError(_l("This seat is vacant: there is no member to call right "
                                     "now."))
        if not field.data:
            if self.asks_member:
                raise ValidationError(_l("Choose the member you called."))
            return
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose one of your own members of the Illinois "
                                     "General Assembly that this petition is aimed at."))

    def called_member(self):
        """The state member the call was to (None: the alder)."""
        return next((m for m in self.callable
                     if not self.member.data or member_value(m) == self.member.data), None)
