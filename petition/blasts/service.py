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

from flask_babel import gettext as _
from sqlalchemy import and_, false, func, or_, select, update

from petition.blasts import unsubscribes
from petition.blasts.mail import BLAST_TEMPLATE, UNSUBSCRIBED
from petition.extensions import db
from petition.mail import outbox
from petition.mail.template_fields import check_templates
from petition.models import (
    WARD_NUMBERS,
    Blast,
    BlastFormat,
    BlastStatus,
    OutboxMessage,
    OutboxPriority,
    OutboxStatus,
    Signature,
    WardStatus,
)
from petition.models.base import utcnow
from petition.organizer import audit
from petition.web.forms import FieldError


@dataclass(frozen=True)
class BlastFields:
    subject: str
    body: str
    format: BlastFormat
    all_wards: bool
    wards: tuple  # ward numbers, when not all_wards
    include_outside: bool
    include_unknown: bool
    subject_es: str | None = None
    body_es: str | None = None
    house: tuple = ()  # Illinois House districts, instead of wards
    senate: tuple = ()  # Illinois Senate districts, instead of wards


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
    districts = fields.house or fields.senate
    if not (fields.all_wards or wards or districts or fields.include_outside
            or fields.include_unknown):
        raise FieldError(_("Choose at least one ward or district, or signers outside "
                           "Chicago."), field="wards")
    check_blast_templates(petition, fields.subject, fields.body, fields.subject_es,
                          fields.body_es)
    return ",".join(str(w) for w in sorted(set(wards))) if not fields.all_wards else ""


def check_blast_templates(petition, subject, body, subject_es=None, body_es=None):
    """Check the English templates, and the Spanish pair when there is one (both or
    neither); FieldError names the field."""
    if bool(subject_es) != bool(body_es):
        raise FieldError(_("Write both the Spanish subject and the Spanish message, or "
                           "neither."), field="body_es" if subject_es else "subject_es")
    check_templates(petition, subject, body)
    if subject_es:
        check_templates(petition, subject_es, body_es, field_names=("subject_es", "body_es"))


def template_problem(blast, petition):
    """Why the email cannot be filled in, for the organizer; None if it can. The form
    checks on saving, but a template may have been stored some other way, or before a
    rule existed."""
    try:
        check_blast_templates(petition, blast.subject, blast.body, blast.subject_es,
                              blast.body_es)
    except FieldError as exc:
        return str(exc)
    return None


def _refuse_unless_it_renders(blast, petition):
    problem = template_problem(blast, petition)
    if problem is not None:
        raise FieldError(_("This email cannot be filled in: %(problem)s Edit it before "
                           "sending.", problem=problem))


def _apply(blast, fields, wards, now):
    blast.subject, blast.body, blast.format = fields.subject, fields.body, fields.format
    blast.subject_es, blast.body_es = fields.subject_es or None, fields.body_es or None
    blast.all_wards, blast.wards = fields.all_wards, wards
    blast.house_districts = ",".join(str(d) for d in sorted(set(fields.house)))
    blast.senate_districts = ",".join(str(d) for d in sorted(set(fields.senate)))
    blast.include_outside, blast.include_unknown = fields.include_outside, fields.include_unknown
    blast.updated_at = now


def create_blast(petition, fields, *, actor, now=None):
    """A new draft; the templates are checked first (FieldError names the field)."""
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
        raise FieldError(_("This email was sent; it can no longer change."))
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
    elif blast.house_numbers:
        parts.append(and_(Signature.state_house.in_(blast.house_numbers), in_city))
    elif blast.senate_numbers:
        parts.append(and_(Signature.state_senate.in_(blast.senate_numbers), in_city))
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


# -- test and send -----------------------------------------------------------------------

def queue_test(blast, petition, signature, *, actor, now=None):
    """Send the email, as `signature`'s signer would get it, to the organizer only: one
    copy per language it is written in, so the organizer reads each version."""
    now = now or utcnow()
    _refuse_unless_it_renders(blast, petition)
    for language in blast.languages:
        outbox.enqueue(kind="blast_test", to_address=actor.email, template=BLAST_TEMPLATE,
                       context={"blast_id": blast.id, "signature_id": signature.id,
                                "test": True, "organizer_email": actor.email},
                       locale=language, now=now, priority=OutboxPriority.URGENT)
    audit.record(actor, "email_test", petition=petition,
                 details={"email": blast.id, "to": actor.email,
                          "languages": list(blast.languages)}, now=now)
    db.session.flush()
    return len(blast.languages)


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
    that moves the draft to queued does it, so a double click sends once; an email that
    cannot be filled in is refused (FieldError) and nothing is queued."""
    now = now or utcnow()
    _refuse_unless_it_renders(blast, petition)
    won = db.session.execute(
        update(Blast).where(Blast.id == blast.id, Blast.status == BlastStatus.DRAFT)
        .values(status=BlastStatus.QUEUED, queued_at=now, queued_by_email=actor.email)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not won:
        db.session.refresh(blast)
        raise FieldError(_("This email was already sent."))
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
         "now": now, "not_before": start + i * interval, "priority": OutboxPriority.BULK}
        for i, (signature_id, email, locale) in enumerate(recipients)
    )
    blast.recipients = len(recipients)
    blast.skipped_unsubscribed = count.unsubscribed
    audit.record(actor, "email_send", petition=petition, rows=len(recipients),
                 wards=None if blast.all_wards else blast.ward_numbers,
                 details={"email": blast.id, "outside": blast.include_outside,
                          "house_districts": blast.house_numbers,
                          "senate_districts": blast.senate_numbers,
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
