"""Forms of the organizer workspace: log-in, accounts, invalidation."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional

from petition.web.forms import TOO_LONG, Form, NoControlCharacters, city_time_field, strip


class LoginForm(Form):
    email = EmailField(_l("Email"), filters=[strip],
                       validators=[DataRequired(message=_l("Enter your email address.")),
                                   Length(max=254, message=TOO_LONG), NoControlCharacters()])
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(message=_l("Enter your password.")),
                                         Length(max=1024, message=TOO_LONG)])


class LogoutForm(Form):
    pass


class InvalidationForm(Form):
    email_domain = StringField(_l("Email domain"), filters=[strip],
                               description=_l("Every address at this domain, e.g. "
                                              "mailinator.com."),
                               validators=[Optional(), Length(max=253, message=TOO_LONG),
                                           NoControlCharacters()])
    ip_address = StringField(_l("IP address"), filters=[strip],
                             validators=[Optional(), Length(max=45, message=TOO_LONG),
                                         NoControlCharacters()])
    since = city_time_field(_l("Signed from (Chicago time)"))
    until = city_time_field(_l("Signed before (Chicago time)"))


class OrganizerForm(Form):
    email = EmailField(_l("Email"), filters=[strip],
                       validators=[DataRequired(message=_l("Enter an email address.")),
                                   Length(max=254, message=TOO_LONG)])
    password = PasswordField(_l("Password"),
                             description=_l("At least 12 characters. Give it to them in "
                                            "person or by phone."),
                             validators=[DataRequired(message=_l("Enter a password.")),
                                         Length(max=1024, message=TOO_LONG)])
    is_admin = BooleanField(_l("Administrator (manages organizers, sees the audit log)"))


class ActiveForm(Form):
    active = HiddenField(validators=[DataRequired()])


class AssignForm(Form):
    organizer_id = SelectField(_l("Organizer"), coerce=int, choices=[])
