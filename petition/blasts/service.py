"""Organizer emails to a petition's signers, by ward.

The audience is the confirmed signers of the petition who opted in, in every ward or the
chosen ones (and, if asked, those outside Chicago or whose ward is not known), never
set-aside or anonymized signatures, never an unsubscribed address. Sending queues one
small templated outbox row per recipient ({"blast_id", "signature_id"}), rendered at
delivery in the signer's language with their own placeholders and unsubscribe link; the
unsubscribe list is checked again then, and a skip is recorded as such, not as a failure.

Rate: rows are spread at queue time, `next_attempt_at` 60/BLAST_RATE_PER_MINUTE seconds
apart, continuing after the last row of any email still queued, so two emails sent at
once share the rate. Nothing in the worker keeps state, so any number of outbox workers
respect it; mail due now (confirmations) is never held up behind a future email row.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import and_, false, func, or_, select, update

from petition.blasts import unsubscribes
from petition.extensions import db
from petition.letters.service import petition_url
from petition.mail import outbox
from petition.mail import sandbox as mail_templates
from petition.mail.sandbox import TemplateProblem
from petition.mail.transport import PermanentFailure, Skip
from petition.models import (
    Blast,
    BlastFormat,
    BlastStatus,
    OutboxMessage,
    OutboxStatus,
    Signature,
    WardStatus,
)
from petition.models.base import utcnow
from petition.organizer import audit
from petition.web.templating import localized, render_markdown

BLAST_TEMPLATE = "blast"
SUBJECT_CHARS = 300
UNSUBSCRIBED = "unsubscribed"  # the skip reason recorded on the outbox row
WARD_NUMBERS = range(1, 51)


class BlastError(ValueError):
    """The email cannot be saved or sent; `field` names the form field concerned."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class BlastFields:
    subject: str
    body: str
    format: BlastFormat
    all_wards: bool
    wards: tuple  # ward numbers, when not all_wards
    include_outside: bool
    include_unknown: bool


def blasts_for(petition_id):
    return db.session.scalars(
        select(Blast).where(Blast.petition_id == petition_id).order_by(Blast.id.desc())
    ).all()


def blast_of(petition, blast_id):
    """The petition's email with this id, or None."""
    blast = db.session.get(Blast, blast_id)
    return blast if blast is not None and blast.petition_id == petition.id else None


def _check(petition, fields):
    wards = [w for w in fields.wards if w in WARD_NUMBERS]
    if not (fields.all_wards or wards or fields.include_outside or fields.include_unknown):
        raise BlastError(_("Choose at least one ward, or signers outside Chicago."),
                         field="wards")
    for field, source, one_line in (("subject", fields.subject, True),
                                    ("body", fields.body, False)):
        try:
            mail_templates.check(source, petition_title=petition.title,
                                 petition_url=petition_url(petition), one_line=one_line)
        except TemplateProblem as exc:
            raise BlastError(str(exc), field=field) from exc
    return ",".join(str(w) for w in sorted(set(wards))) if not fields.all_wards else ""


def _apply(blast, fields, wards, now):
    blast.subject, blast.body, blast.format = fields.subject, fields.body, fields.format
    blast.all_wards, blast.wards = fields.all_wards, wards
    blast.include_outside, blast.include_unknown = fields.include_outside, fields.include_unknown
    blast.updated_at = now


def create_blast(petition, fields, *, actor, now=None):
    """A new draft; the templates are checked first (BlastError names the field)."""
    now = now or utcnow()
    wards = _check(petition, fields)
    blast = Blast(petition_id=petition.id, created_by_id=actor.id,
                  created_by_email=actor.email, status=BlastStatus.DRAFT, created_at=now)
    _apply(blast, fields, wards, now)
    db.session.add(blast)
    db.session.flush()
    audit.record(actor, "email_create", petition=petition, details={"email": blast.id},
                 now=now)
    return blast


def update_blast(blast, petition, fields, *, actor, now=None):
    """Change a draft; an email already sent cannot change."""
    now = now or utcnow()
    if not blast.is_draft:
        raise BlastError(_("This email was sent; it can no longer change."))
    wards = _check(petition, fields)
    _apply(blast, fields, wards, now)
    audit.record(actor, "email_edit", petition=petition, details={"email": blast.id},
                 now=now)
    db.session.flush()
    return blast


# -- the audience ------------------------------------------------------------------------

def audience_conditions(blast):
    """WHERE conditions for the signers the email is for (unsubscribed ones included)."""
    in_city = Signature.ward_status != WardStatus.OUTSIDE_CHICAGO
    parts = []
    if blast.all_wards:
        parts.append(and_(Signature.ward.is_not(None), in_city))
    elif blast.ward_numbers:
        parts.append(and_(Signature.ward.in_(blast.ward_numbers), in_city))
    if blast.include_outside:
        parts.append(Signature.ward_status == WardStatus.OUTSIDE_CHICAGO)
    if blast.include_unknown:
        parts.append(and_(Signature.ward.is_(None), in_city))
    return [
        Signature.petition_id == blast.petition_id,
        Signature.confirmed_at.is_not(None),
        Signature.opt_in.is_(True),
        Signature.invalidated_at.is_(None),
        Signature.anonymized_at.is_(None),
        or_(*parts) if parts else false(),
    ]


@dataclass(frozen=True)
class AudienceCount:
    recipients: int
    unsubscribed: int  # in the audience but unsubscribed: left out


def audience_count(blast):
    subscribed = unsubscribes.not_unsubscribed(Signature.email_normalized)
    recipients, total = db.session.execute(
        select(func.count().filter(subscribed), func.count())
        .where(*audience_conditions(blast))
    ).one()
    return AudienceCount(recipients=recipients, unsubscribed=total - recipients)


def preview_signer(blast, after_id=None):
    """A real recipient to preview with: the first after `after_id` (wrapping around)."""
    query = (select(Signature)
             .where(*audience_conditions(blast),
                    unsubscribes.not_unsubscribed(Signature.email_normalized))
             .order_by(Signature.id).limit(1))
    if after_id:
        found = db.session.scalar(query.where(Signature.id > after_id))
        if found is not None:
            return found
    return db.session.scalar(query)


def audience_signer(blast, signature_id):
    """The signature if it is in the audience (and has not unsubscribed), else None."""
    return db.session.scalar(
        select(Signature).where(Signature.id == signature_id, *audience_conditions(blast),
                                unsubscribes.not_unsubscribed(Signature.email_normalized))
    )


# -- rendering ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    headers: dict
    body_html: object = None  # the message part of the HTML, for the preview page


def render_for(blast, signature, *, unsubscribe_url, test=False):
    """The email as `signature`'s signer gets it (in the current locale: the petition's
    title in the signer's language when it has one)."""
    from petition.lookup.service import alders_by_ward
    from petition.models import Petition

    petition = db.session.get(Petition, blast.petition_id)
    alder = alders_by_ward([signature.ward]).get(signature.ward) if signature.ward else None
    in_city = signature.ward_status is not WardStatus.OUTSIDE_CHICAGO
    values = mail_templates.signer_values(
        signature, alder_name=alder.name if alder and in_city else "",
        petition_title=localized(petition, "title"), petition_url=petition_url(petition))
    if not in_city:
        values["ward"] = ""
    subject = mail_templates.one_line(mail_templates.render(blast.subject, values),
                                      SUBJECT_CHARS)
    text = mail_templates.render(blast.body, values).strip()
    if blast.format is BlastFormat.MARKDOWN:
        # Values are escaped for Markdown, so a signer's name cannot become a link.
        escaped = {k: mail_templates.escape_markdown(v) for k, v in values.items()}
        body_html = render_markdown(mail_templates.render(blast.body, escaped))
    else:
        body_html = Markup("").join(
            Markup("<p>{}</p>").format(escape(p.strip()).replace("\n", Markup("<br>")))
            for p in text.split("\n\n") if p.strip())
    if test:
        subject = _("[Test] %(subject)s", subject=subject)
    context = {"text": text, "body_html": body_html, "petition": petition,
               "unsubscribe_url": unsubscribe_url, "test": test,
               "petition_url": petition_url(petition)}
    return RenderedEmail(
        subject=subject[:SUBJECT_CHARS],
        text=render_template("email/blast.txt", **context),
        html=render_template("email/blast.html", **context),
        headers=unsubscribes.list_headers(unsubscribe_url),
        body_html=body_html,
    )


def render_blast_email(context):
    """Outbox renderer: one signer's copy, checked against the unsubscribe list now."""
    blast = db.session.get(Blast, context.get("blast_id"))
    if blast is None:
        raise PermanentFailure("the email no longer exists")
    signature = db.session.get(Signature, context.get("signature_id"))
    if signature is None or signature.anonymized_at is not None:
        raise Skip("the signature was removed")
    secret = current_app.config["SECRET_KEY"]
    if context.get("test"):
        url = unsubscribes.test_unsubscribe_url(secret, context.get("organizer_email") or "")
        rendered = render_for(blast, signature, unsubscribe_url=url, test=True)
    else:
        if unsubscribes.is_unsubscribed(signature.email_normalized):
            raise Skip(UNSUBSCRIBED)
        if signature.is_invalidated:
            raise Skip("the signature was set aside")
        if not signature.opt_in:
            raise Skip("no longer opted in")
        url = unsubscribes.unsubscribe_url(secret, signature.id, signature.email_normalized)
        rendered = render_for(blast, signature, unsubscribe_url=url)
    return rendered.subject, rendered.text, rendered.html, rendered.headers


# -- test and send -----------------------------------------------------------------------

def queue_test(blast, petition, signature, *, actor, now=None):
    """Send the email, as `signature`'s signer would get it, to the organizer only."""
    now = now or utcnow()
    outbox.enqueue(kind="blast_test", to_address=actor.email, template=BLAST_TEMPLATE,
                   context={"blast_id": blast.id, "signature_id": signature.id, "test": True,
                            "organizer_email": actor.email},
                   locale=signature.locale or "en", now=now)
    audit.record(actor, "email_test", petition=petition,
                 details={"email": blast.id, "to": actor.email}, now=now)
    db.session.flush()


def _first_free_slot(now, interval):
    """When the next email row may go: after the last one still waiting, or now."""
    last = db.session.scalar(
        select(func.max(OutboxMessage.next_attempt_at))
        .where(OutboxMessage.blast_id.is_not(None),
               OutboxMessage.status == OutboxStatus.PENDING)
    )
    if last is None or last < now:
        return now
    return last + interval


def queue_blast(blast, petition, *, actor, rate_per_minute, now=None):
    """Queue one outbox row per recipient, spread at `rate_per_minute`. Only the request
    that moves the draft to queued does it, so a double click sends once."""
    now = now or utcnow()
    won = db.session.execute(
        update(Blast).where(Blast.id == blast.id, Blast.status == BlastStatus.DRAFT)
        .values(status=BlastStatus.QUEUED, queued_at=now, queued_by_email=actor.email)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not won:
        db.session.refresh(blast)
        raise BlastError(_("This email was already sent."))
    db.session.refresh(blast)
    count = audience_count(blast)
    recipients = db.session.execute(
        select(Signature.id, Signature.email, Signature.locale)
        .where(*audience_conditions(blast),
               unsubscribes.not_unsubscribed(Signature.email_normalized))
        .order_by(Signature.id)
    ).all()
    interval = timedelta(seconds=60.0 / max(1, rate_per_minute))
    start = _first_free_slot(now, interval)
    outbox.enqueue_many(
        {"kind": "blast", "to_address": email, "template": BLAST_TEMPLATE,
         "context": {"blast_id": blast.id, "signature_id": signature_id},
         "locale": locale or "en", "signature_id": signature_id, "blast_id": blast.id,
         "now": now, "not_before": start + i * interval}
        for i, (signature_id, email, locale) in enumerate(recipients)
    )
    blast.recipients = len(recipients)
    blast.skipped_unsubscribed = count.unsubscribed
    audit.record(actor, "email_send", petition=petition, rows=len(recipients),
                 wards=None if blast.all_wards else blast.ward_numbers,
                 details={"email": blast.id, "outside": blast.include_outside,
                          "unknown": blast.include_unknown,
                          "unsubscribed_left_out": count.unsubscribed}, now=now)
    db.session.flush()
    return len(recipients)


# -- progress ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Progress:
    queued: int
    sent: int
    failed: int
    unsubscribed: int  # left out when queued, or skipped at delivery
    skipped: int  # skipped at delivery for another reason (removed, set aside)
    finishing_at: object  # when the last queued row is due (naive UTC), or None

    @property
    def done(self):
        return self.queued == 0


def progress(blast):
    # Grouped by the label: PostgreSQL does not see two bound copies of the comparison as
    # the same expression.
    unsubscribed = (OutboxMessage.last_error == UNSUBSCRIBED).label("unsubscribed")
    rows = db.session.execute(
        select(OutboxMessage.status, unsubscribed, func.count(),
               func.max(OutboxMessage.next_attempt_at))
        .where(OutboxMessage.blast_id == blast.id)
        .group_by(OutboxMessage.status, unsubscribed)
    ).all()
    counts = {"queued": 0, "sent": 0, "failed": 0, "unsubscribed": blast.skipped_unsubscribed,
              "skipped": 0}
    finishing_at = None
    for status, unsubscribed, n, last_due in rows:
        if status is OutboxStatus.PENDING:
            counts["queued"] += n
            finishing_at = last_due
        elif status is OutboxStatus.SKIPPED:
            counts["unsubscribed" if unsubscribed else "skipped"] += n
        else:
            counts[status.value] += n
    return Progress(finishing_at=finishing_at, **counts)


def failures(blast, limit=200):
    """Recipients whose mail server refused the email for good: (address, error)."""
    return db.session.execute(
        select(OutboxMessage.to_address, OutboxMessage.last_error)
        .where(OutboxMessage.blast_id == blast.id, OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.id).limit(limit)
    ).all()
