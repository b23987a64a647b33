"""A petition's letter campaign: the templates organizers write, how letters go."""

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from petition.extensions import db
from petition.lookup.greetings import greeting
from petition.mail import sandbox
from petition.mail.template_fields import check_templates
from petition.models import LetterCampaign, LetterDelivery
from petition.models.base import utcnow
from petition.models.legislator import HOUSE, SENATE
from petition.models.letter_campaign import DEFAULT_REPLY_CHECK_DAYS
from petition.organizer import audit
from petition.web.forms import FieldError
from petition.web.links import petition_url
from petition.web.templating import and_list

SUBJECT_CHARS = 300


@dataclass(frozen=True)
class CampaignFields:
    subject: str
    body: str
    supporters_may_edit: bool
    delivery: LetterDelivery
    is_open: bool
    subject_es: str | None = None
    body_es: str | None = None
    reply_check_days: int = DEFAULT_REPLY_CHECK_DAYS
    reply_rates_public: bool = False


def campaign_for(petition_id):
    return db.session.scalar(
        select(LetterCampaign).where(LetterCampaign.petition_id == petition_id)
    )


def check_letter_templates(petition, fields):
    """Check the English templates, and the Spanish pair when there is one (both or
    neither); FieldError names the field."""
    if bool(fields.subject_es) != bool(fields.body_es):
        raise FieldError(_("Write both the Spanish subject and the Spanish letter, or neither."),
                         field="body_es" if fields.subject_es else "subject_es")
    check_templates(petition, fields.subject, fields.body)
    if fields.subject_es:
        check_templates(petition, fields.subject_es, fields.body_es,
                        field_names=("subject_es", "body_es"))


def save_campaign(petition, fields, *, actor, now=None):
    """Create or change the petition's letter campaign; the templates are checked first.
    `actor` is the organizer (None for the system, e.g. the demo data)."""
    now = now or utcnow()
    check_letter_templates(petition, fields)
    campaign = campaign_for(petition.id)
    created = campaign is None
    if created:
        campaign = LetterCampaign(petition_id=petition.id, created_at=now)
    for name, value in vars(fields).items():
        setattr(campaign, name, value)
    actor_id = actor.id if actor is not None else None
    campaign.updated_at, campaign.updated_by_id = now, actor_id
    try:
        with db.session.begin_nested():
            db.session.add(campaign)
            db.session.flush()
    except IntegrityError:
        # Another organizer created it a moment ago: change theirs instead.
        campaign = campaign_for(petition.id)
        for name, value in vars(fields).items():
            setattr(campaign, name, value)
        campaign.updated_at, campaign.updated_by_id = now, actor_id
    audit.record(actor, "letter_campaign_create" if created else "letter_campaign_edit",
                 petition=petition, now=now,
                 details={"delivery": fields.delivery.value, "open": fields.is_open,
                          "editable": fields.supporters_may_edit})
    db.session.flush()
    return campaign


def letter_languages(campaign):
    """The languages the campaign's letter is written in: ("en",) or ("en", "es")."""
    return ("en", "es") if campaign.subject_es and campaign.body_es else ("en",)


def templates_in(campaign, petition, language):
    """(subject template, body template, petition title) in `language` if written in it."""
    if language == "es" and "es" in letter_languages(campaign):
        return campaign.subject_es, campaign.body_es, petition.title_es or petition.title
    return campaign.subject, campaign.body, petition.title


# The state members of the sample signer's address (sandbox.SAMPLE_VALUES[0]), for the
# preview of a letter to state members.
SAMPLE_MEMBERS = {HOUSE: "Eva-Dina Delgado", SENATE: "Omar Aquino"}


def sample(campaign, petition, language="en"):
    """(subject, body) filled in for a sample signer, for the organizer's preview, in
    `language` and addressed as the petition's target would address it."""
    subject, body, title = templates_in(campaign, petition, language)
    values = dict(sandbox.SAMPLE_VALUES[0], petition_title=title,
                  petition_url=petition_url(petition))
    people = [(chamber, SAMPLE_MEMBERS[chamber]) for chamber in petition.target.chambers] or [
        ("alder", values["alder_name"])]
    with force_locale(language):
        values.update(alder_name=and_list(name for _role, name in people),
                      greeting=greeting(people))
    return (sandbox.one_line(sandbox.render(subject, values), SUBJECT_CHARS),
            sandbox.render(body, values))


DEFAULT_SUBJECT = "From a constituent in ward {{ ward }}: {{ petition_title }}"
DEFAULT_BODY = """\
Dear Alder {{ alder_name }},

I live in your ward, at {{ address }}, and I signed the petition \
"{{ petition_title }}": {{ petition_url }}

Please support it, and tell me where you stand.

Sincerely,
{{ full_name }}
"""

DEFAULT_SUBJECT_ES = "De un vecino del distrito {{ ward }}: {{ petition_title }}"
DEFAULT_BODY_ES = """\
Estimado/a concejal {{ alder_name }}:

Vivo en su distrito, en {{ address }}, y firmé la petición \
“{{ petition_title }}”: {{ petition_url }}

Le pido que la apoye y que me diga cuál es su postura.

Atentamente,
{{ full_name }}
"""
