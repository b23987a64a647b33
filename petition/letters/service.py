"""Letters from supporters to their own alder: the campaign, the letter, its delivery.

A letter's text is fixed when the supporter sends it (they may have edited it, and what
they saw is what goes): the `letters` row keeps the subject and body as sent, and a later
change to the campaign's template never changes a letter already sent. Delivered on its
own, the outbox row only names the letter ({"letter_id": n}) and the email is assembled
from the stored text when it is delivered; in a digest, `letter_digests` does the same
for the day's letters to one alder.
"""

import logging
import re
from dataclasses import dataclass
from urllib.parse import quote

from flask import current_app, render_template
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from petition.extensions import db
from petition.mail import outbox
from petition.mail import sandbox as mail_templates
from petition.mail.sandbox import TemplateProblem
from petition.mail.transport import Skip
from petition.models import (
    Letter,
    LetterCampaign,
    LetterDelivery,
    Signature,
    WardStatus,
)
from petition.models.base import utcnow
from petition.organizer import audit
from petition.signing import inserts
from petition.web.links import external_url

log = logging.getLogger(__name__)

LETTER_TEMPLATE = "letter"
MAX_LETTER_CHARS = 5000
SUBJECT_CHARS = 300
# Wards whose signers may write: the ward is known, not a guess near a ward line.
SURE_WARD_STATUSES = (WardStatus.GEOCODED, WardStatus.CONFIRMED)


class LetterError(ValueError):
    """The campaign cannot be saved; `field` names the form field concerned."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


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


def petition_url(petition):
    return external_url("petitions.petition", slug=petition.slug)


def check_templates(petition, subject, body):
    """Check both templates as an organizer saves them; LetterError names the field."""
    for field, source, one_line in (("subject", subject, True), ("body", body, False)):
        try:
            mail_templates.check(source, petition_title=petition.title,
                                 petition_url=petition_url(petition), one_line=one_line)
        except TemplateProblem as exc:
            raise LetterError(str(exc), field=field) from exc


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
    values = dict(mail_templates.SAMPLE_VALUES[0], petition_title=petition.title,
                  petition_url=url)
    return (mail_templates.one_line(mail_templates.render(campaign.subject, values),
                                    SUBJECT_CHARS),
            mail_templates.render(campaign.body, values))


# -- the supporter's letter --------------------------------------------------------------

@dataclass
class LetterDraft:
    """What the letter page shows a supporter.

    ``status``: ``ready`` (may send), ``sent`` (``letter`` is theirs), ``closed`` (no open
    campaign), ``not_confirmed``, ``set_aside`` (invalidated or anonymized),
    ``outside_chicago``, ``no_ward``, ``near_boundary`` (confirm the ward first),
    ``no_alder`` (no office email on the roster) or ``broken`` (the template fails).
    """

    status: str
    campaign: LetterCampaign | None = None
    alder: object = None  # lookup.AlderInfo
    subject: str = ""
    body: str = ""
    letter: Letter | None = None

    @property
    def editable(self):
        return self.campaign is not None and self.campaign.supporters_may_edit

    @property
    def mailto(self):
        if self.alder is None or not self.body:
            return None
        return mailto_url(self.alder.email, self.subject, self.body)


def letter_of(campaign_id, signature_id):
    return db.session.scalar(select(Letter).where(Letter.campaign_id == campaign_id,
                                                  Letter.signature_id == signature_id))


def draft_for(signature, petition):
    """The supporter's letter as the page should show it (see LetterDraft)."""
    from petition.lookup.service import alders_by_ward

    campaign = campaign_for(petition.id)
    if campaign is None:
        return LetterDraft("closed")
    letter = letter_of(campaign.id, signature.id)
    if letter is not None:
        return LetterDraft("sent", campaign, subject=letter.subject, body=letter.body,
                           letter=letter)
    if not campaign.is_open:
        return LetterDraft("closed", campaign)
    if not signature.is_confirmed:
        return LetterDraft("not_confirmed", campaign)
    if signature.is_invalidated or signature.anonymized_at is not None:
        return LetterDraft("set_aside", campaign)
    if signature.ward_status is WardStatus.OUTSIDE_CHICAGO:
        return LetterDraft("outside_chicago", campaign)
    if signature.ward is None:
        return LetterDraft("no_ward", campaign)
    if signature.ward_status not in SURE_WARD_STATUSES:
        return LetterDraft("near_boundary", campaign)
    alder = alders_by_ward([signature.ward]).get(signature.ward)
    if alder is None or not alder.email:
        return LetterDraft("no_alder", campaign)
    values = mail_templates.signer_values(signature, alder_name=alder.name,
                                          petition_title=petition.title,
                                          petition_url=petition_url(petition))
    try:
        subject = mail_templates.one_line(mail_templates.render(campaign.subject, values),
                                          SUBJECT_CHARS)
        body = mail_templates.render(campaign.body, values)
    except TemplateProblem:
        log.exception("letter template of petition %s does not render", petition.id)
        return LetterDraft("broken", campaign, alder=alder)
    return LetterDraft("ready", campaign, alder=alder, subject=subject,
                       body=_plain_newlines(body).strip())


def _plain_newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def mailto_url(address, subject, body):
    """A mailto: link (RFC 6068): every reserved character percent-encoded, line breaks
    as %0D%0A."""
    body = _plain_newlines(body).replace("\n", "\r\n")
    return (f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}"
            f"&body={quote(body, safe='')}")


# What a display name in Reply-To keeps: letters (any script), digits, spaces, hyphens and
# apostrophes. Quotes, angle brackets, commas, @ and the like are dropped: the mail library
# re-folds the header without quoting the name, so they could add reply addresses.
_UNSAFE_IN_NAME = re.compile(r"[^\w \-'’]|_")


def reply_to_for(signature):
    """'Ana Díaz <ana@example.org>' (a safe display name), or the bare address."""
    raw = f"{signature.first_name} {signature.last_name}"
    name = " ".join(_UNSAFE_IN_NAME.sub(" ", raw).split())
    value = f"{name} <{signature.email}>" if name else signature.email
    return value if len(value) <= 254 else signature.email


@dataclass(frozen=True)
class SendResult:
    status: str  # "sent" (now or before) or a LetterDraft status that stopped it
    letter_id: int | None = None
    created: bool = False


def send_letter(signature, petition, body=None, *, now=None):
    """Send the supporter's letter once: the unique index on (campaign, signature) settles
    a double submit, even two at the same moment; the loser sends nothing.

    `body` is the supporter's edited text, used only if the campaign allows editing (the
    caller has checked its length and characters)."""
    now = now or utcnow()
    draft = draft_for(signature, petition)
    if draft.status == "sent":
        return SendResult("sent", draft.letter.id, created=False)
    if draft.status != "ready":
        return SendResult(draft.status)
    campaign, alder = draft.campaign, draft.alder
    text = draft.body
    if campaign.supporters_may_edit and body is not None:
        text = _plain_newlines(body).strip()[:MAX_LETTER_CHARS]
    for_digest = campaign.delivery is LetterDelivery.DIGEST
    letter_id = inserts.insert_unless_present(
        Letter.__table__, ("campaign_id", "signature_id"), "id",
        {
            "campaign_id": campaign.id,
            "petition_id": petition.id,
            "signature_id": signature.id,
            "ward": signature.ward,
            "alder_name": alder.name[:120],
            "alder_email": alder.email,
            "signer_name": f"{signature.first_name} {signature.last_name}".strip()[:201],
            "reply_to": reply_to_for(signature),
            "subject": draft.subject,
            "body": text,
            "edited": text != draft.body,
            "for_digest": for_digest,
            "created_at": now,
            "outbox_message_id": None,
            "digest_id": None,
        },
    )
    if letter_id is None:
        existing = letter_of(campaign.id, signature.id)
        return SendResult("sent", existing.id if existing else None, created=False)
    if not for_digest:
        message_id = outbox.enqueue(
            kind="letter", to_address=alder.email, reply_to=reply_to_for(signature),
            template=LETTER_TEMPLATE, context={"letter_id": letter_id}, locale="en",
            signature_id=signature.id, now=now, return_id=True)
        db.session.execute(update(Letter).where(Letter.id == letter_id)
                           .values(outbox_message_id=message_id)
                           .execution_options(synchronize_session=False))
    db.session.flush()
    return SendResult("sent", letter_id, created=True)


def render_letter_email(context):
    """The email of one letter to the alder's office, from the text as it was sent."""
    letter = db.session.get(Letter, context.get("letter_id"))
    if letter is None:
        raise Skip("the letter was withdrawn (its signature was removed)")
    signature = db.session.get(Signature, letter.signature_id)
    if signature is None or signature.is_invalidated or signature.anonymized_at is not None:
        raise Skip("the signature was set aside")
    petition = signature.petition
    values = {"letter": letter, "petition": petition, "petition_url": petition_url(petition),
              "site_url": current_app.config["PUBLIC_URL"]}
    return (letter.subject,
            render_template("email/letter.txt", **values),
            render_template("email/letter.html", **values))


def anonymize_letters(petition_id):
    """Blank the signers' words and addresses in a petition's letters (after a campaign);
    wards and dates stay, so the counts do. Returns how many letters."""
    return db.session.execute(
        update(Letter).where(Letter.petition_id == petition_id)
        .values(signer_name="", reply_to="", subject="", body="")
        .execution_options(synchronize_session=False)
    ).rowcount


DEFAULT_SUBJECT = "From a constituent in ward {{ ward }}: {{ petition_title }}"
DEFAULT_BODY = """\
Dear Alder {{ alder_name }},

I live in your ward, at {{ address }}, and I signed the petition \
"{{ petition_title }}": {{ petition_url }}

Please support it, and tell me where you stand.

Sincerely,
{{ full_name }}
"""
