"""Organizers' petition forms: the petition itself, its state, alders' stances."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from petition.models import WARD_NUMBERS, PetitionState, PetitionTarget, Stance
from petition.web.forms import (
    MULTILINE,
    TOO_LONG,
    Form,
    NoControlCharacters,
    city_time_field,
    strip,
)

TARGET_CHOICES = [
    SelectChoice(PetitionTarget.ALDER.value, _l("Each signer's alder (City Council)")),
    SelectChoice(PetitionTarget.STATE_HOUSE.value,
                 _l("Each signer's State Representative (Illinois House)")),
    SelectChoice(PetitionTarget.STATE_SENATE.value,
                 _l("Each signer's State Senator (Illinois Senate)")),
    SelectChoice(PetitionTarget.STATE_BOTH.value,
                 _l("Both of each signer's state members (Representative and Senator)")),
]
RETENTION_MAX_LENGTH = 1000


def _target_value(value):
    """A target from the form ("state_house") or the petition (PetitionTarget) as text."""
    return value.value if isinstance(value, PetitionTarget) else str(value)
CALL_SCRIPT_MAX_LENGTH = 2000


class PetitionForm(Form):
    title = StringField(_l("Title"), filters=[strip],
                        validators=[DataRequired(message=_l("Enter a title.")),
                                    Length(max=200, message=TOO_LONG), NoControlCharacters()])
    slug = StringField(_l("Address (slug)"), filters=[strip, lambda v: v.lower() if v else v],
                       description=_l("The petition's web address: /petitions/<slug>. "
                                      "Lower-case letters, digits and hyphens. It cannot "
                                      "change once the petition has opened."),
                       validators=[DataRequired(message=_l("Enter an address.")),
                                   Length(max=80, message=TOO_LONG)])
    summary = TextAreaField(_l("Summary"), filters=[strip],
                            description=_l("One or two sentences shown in lists and shares."),
                            validators=[Length(max=1000, message=TOO_LONG),
                                        NoControlCharacters(allow=MULTILINE)])
    body = TextAreaField(_l("Full text (Markdown)"), filters=[strip],
                         description=_l("Markdown: **bold**, *italic*, lists with -, "
                                        "links as [text](https://...). HTML is not allowed."),
                         validators=[DataRequired(message=_l("Enter the petition text.")),
                                     Length(max=100_000, message=TOO_LONG),
                                     NoControlCharacters(allow=MULTILINE)])
    title_es = StringField(_l("Title in Spanish"), filters=[strip],
                           validators=[Optional(), Length(max=200, message=TOO_LONG),
                                       NoControlCharacters()])
    summary_es = TextAreaField(_l("Summary in Spanish"), filters=[strip],
                               validators=[Optional(), Length(max=1000, message=TOO_LONG),
                                           NoControlCharacters(allow=MULTILINE)])
    body_es = TextAreaField(_l("Full text in Spanish (Markdown)"), filters=[strip],
                            description=_l("Shown to people who read the site in Spanish. "
                                           "Leave empty to show them the English text."),
                            validators=[Optional(), Length(max=100_000, message=TOO_LONG),
                                        NoControlCharacters(allow=MULTILINE)])
    retention = TextAreaField(
        _l("How long signers' details are kept"), filters=[strip],
        description=_l("Shown on the privacy page, e.g. “We delete signers' details six months "
                       "after we deliver the petition.” Leave empty for the standard sentence."),
        validators=[Optional(), Length(max=RETENTION_MAX_LENGTH, message=TOO_LONG),
                    NoControlCharacters(allow=MULTILINE)])
    retention_es = TextAreaField(
        _l("How long signers' details are kept, in Spanish"), filters=[strip],
        validators=[Optional(), Length(max=RETENTION_MAX_LENGTH, message=TOO_LONG),
                    NoControlCharacters(allow=MULTILINE)])
    call_script = TextAreaField(
        _l("What to say when calling one's alder"), filters=[strip],
        description=_l("Offered after signing with the alder's phone number. {{ alder_name }} "
                       "and {{ ward }} are filled in, e.g. “Hello, I live in ward {{ ward }}. I "
                       "ask Alder {{ alder_name }} to fund the District Councils.”"),
        validators=[Optional(), Length(max=CALL_SCRIPT_MAX_LENGTH, message=TOO_LONG),
                    NoControlCharacters(allow=MULTILINE)])
    call_script_es = TextAreaField(
        _l("What to say when calling, in Spanish"), filters=[strip],
        validators=[Optional(), Length(max=CALL_SCRIPT_MAX_LENGTH, message=TOO_LONG),
                    NoControlCharacters(allow=MULTILINE)])
    goal = IntegerField(_l("Signature goal"),
                        validators=[InputRequired(message=_l("Enter a goal, like 5000.")),
                                    NumberRange(min=1, max=10_000_000,
                                                message=_l("Enter a goal from 1 to 10,000,000."))])
    deadline = city_time_field(_l("Deadline (Chicago time, optional)"))
    target = SelectField(_l("Whom the petition asks"), choices=TARGET_CHOICES,
                         default=PetitionTarget.ALDER.value, coerce=_target_value)
    requires_confirmation = BooleanField(_l("Signers confirm by email before they count"),
                                         default=True)
    accepts_outside_chicago = BooleanField(_l("Accept signers who live outside Chicago"),
                                           default=True)
    scoreboard_public = BooleanField(_l("Show everyone where each alder stands (a public "
                                        "scoreboard with each stance and its source)"))
    paper_without_email_counts = BooleanField(
        _l("Paper signatures without an email count in the public total"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline.render_kw = {"step": 60}


STATE_CHOICES = [SelectChoice(s.value) for s in PetitionState]


class StateForm(Form):
    state = SelectField(_l("New state"), choices=STATE_CHOICES)


class PauseForm(Form):
    paused = HiddenField(validators=[DataRequired()])


STANCE_LABELS = {
    Stance.CO_SPONSOR: _l("co-sponsor"),
    Stance.SUPPORTS: _l("supports"),
    Stance.OPPOSES: _l("opposes"),
    Stance.UNDECIDED: _l("undecided"),
    Stance.UNKNOWN: _l("unknown"),
}
STANCE_CHOICES = [SelectChoice(s.value, label) for s, label in STANCE_LABELS.items()]


class StancesForm(Form):
    """One select per ward (ward_1 ... ward_50)."""

    def stance_fields(self):
        """(ward number, its select) for every ward."""
        return [(n, self[f"ward_{n}"]) for n in WARD_NUMBERS]


for _n in WARD_NUMBERS:
    setattr(StancesForm, f"ward_{_n}",
            SelectField(_l("Stance of the ward %(n)d alder", n=_n), choices=STANCE_CHOICES,
                        default=Stance.UNKNOWN.value))
