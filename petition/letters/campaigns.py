"""A petition's letter campaign: the templates organizers write, how letters go."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from petition.extensions import db
from petition.mail import sandbox
from petition.mail.template_fields import check_templates
from petition.models import LetterCampaign, LetterDelivery
from petition.models.base import utcnow
from petition.organizer import audit
from petition.web.links import petition_url

SUBJECT_CHARS = 300


@dataclass(frozen=True)
class CampaignFields:
    subject: str
    body: str
    supporters_may_edit: bool
    delivery: LetterDelivery
    is_open: bool


def campaign_for(petition_id):
    return db.session.scalar(
        select(LetterCampaign).where(LetterCampaign.petition_id == petition_id)
    )


def save_campaign(petition, fields, *, actor, now=None):
    """Create or change the petition's letter campaign; the templates are checked first.
    `actor` is the organizer (None for the system, e.g. the demo data)."""
    now = now or utcnow()
    check_templates(petition, fields.subject, fields.body)
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


def sample(campaign, petition):
    """(subject, body) filled in for a sample signer, for the organizer's preview."""
    url = petition_url(petition)
    values = dict(sandbox.SAMPLE_VALUES[0], petition_title=petition.title,
                  petition_url=url)
    return (sandbox.one_line(sandbox.render(campaign.subject, values),
                                    SUBJECT_CHARS),
            sandbox.render(campaign.body, values))


DEFAULT_SUBJECT = "From a constituent in ward {{ ward }}: {{ petition_title }}"
DEFAULT_BODY = """\
Dear Alder {{ alder_name }},

I live in your ward, at {{ address }}, and I signed the petition \
"{{ petition_title }}": {{ petition_url }}

Please support it, and tell me where you stand.

Sincerely,
{{ full_name }}
"""
