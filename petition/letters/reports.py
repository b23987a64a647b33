"""What organizers see of a petition's letters: per ward or state member, delivery states,
refusals."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from petition.extensions import db
from petition.letters.mail import SKIP_REASONS
from petition.letters.service import campaign_for
from petition.lookup.members import members_of
from petition.models import Letter, LetterDigest, OutboxMessage, OutboxStatus, Signature
from petition.models.legislator import SENATE
from petition.models.letter import recipient_names


def letters_sent_by_ward(petition_id, since=None):
    """Letters supporters sent (since a naive UTC time, if given), per ward: {ward: n}
    (set-aside signatures not counted)."""
    return _letters_per(Letter.ward, petition_id, since)


def _letters_per(place_column, petition_id, since, *conditions):
    """{place: letters} grouped by `place_column`, set-aside signatures not counted."""
    query = (select(place_column, func.count())
             .join(Signature, Signature.id == Letter.signature_id)
             .where(Letter.petition_id == petition_id, Signature.invalidated_at.is_(None),
                    *conditions)
             .group_by(place_column))
    if since is not None:
        query = query.where(Letter.created_at >= since)
    return dict(db.session.execute(query).all())


def letters_to_members(petition_id, chamber, since=None):
    """Letters supporters sent to one chamber's members (since a naive UTC time, if
    given), per district: {district: n} (set-aside signatures not counted). A letter to
    both members counts for the Senator through its senate_district."""
    counted = _letters_per(Letter.recipient_district, petition_id, since,
                           Letter.recipient_chamber == chamber)
    if chamber == SENATE:
        for district, n in _letters_per(Letter.senate_district, petition_id, since,
                                        Letter.senate_district.is_not(None)).items():
            counted[district] = counted.get(district, 0) + n
    return counted


def letters_per_member(petition):
    """[(chamber, [(district, member's name or None, letters)])] of a petition to state
    members, each chamber it aims at, the districts whose member got letters; [] for one
    to alders."""
    out = []
    for chamber in petition.target.chambers:
        counted = letters_to_members(petition.id, chamber)
        members = members_of(chamber, sorted(counted))
        out.append((chamber, [(district, members[district].name if members.get(district)
                               else None, n) for district, n in sorted(counted.items())]))
    return out


@dataclass(frozen=True)
class LetterRow:
    id: int
    ward: int
    alder_name: str
    signer_name: str
    created_at: object
    for_digest: bool
    status: str  # queued, sent, failed, skipped, waiting (for a digest), in_digest
    digest_day: object = None
    error: str | None = None

    @property
    def recipient_names(self):
        return recipient_names(self.alder_name)


def _letter_status(for_digest, message_status, digest_status, digest_id):
    if for_digest:
        if digest_id is None:
            return "waiting"
        status = digest_status
    else:
        status = message_status
    if status is None:
        return "queued" if not for_digest else "in_digest"
    return {OutboxStatus.PENDING: "queued"}.get(status, status.value)


def recent_letters(petition_id, *, limit=200, before_id=None):
    """The latest letters with how each was delivered, newest first."""
    digest_message = aliased(OutboxMessage)
    query = (
        select(Letter.id, Letter.ward, Letter.alder_name, Letter.signer_name,
               Letter.created_at, Letter.for_digest, Letter.digest_id,
               OutboxMessage.status, OutboxMessage.last_error, LetterDigest.day,
               digest_message.status, digest_message.last_error)
        .outerjoin(OutboxMessage, OutboxMessage.id == Letter.outbox_message_id)
        .outerjoin(LetterDigest, LetterDigest.id == Letter.digest_id)
        .outerjoin(digest_message, digest_message.id == LetterDigest.outbox_message_id)
        .where(Letter.petition_id == petition_id)
        .order_by(Letter.id.desc())
        .limit(limit)
    )
    if before_id:
        query = query.where(Letter.id < before_id)
    rows = []
    for (letter_id, ward, alder_name, signer_name, created_at, for_digest, digest_id,
         status, error, day, digest_status, digest_error) in db.session.execute(query):
        state = _letter_status(for_digest, status, digest_status, digest_id)
        error = (digest_error if for_digest else error) if state in ("failed", "skipped") else None
        rows.append(LetterRow(letter_id, ward, alder_name, signer_name, created_at,
                              for_digest, state, day, SKIP_REASONS.get(error, error)))
    return rows


@dataclass(frozen=True)
class DeliveryTotals:
    total: int
    queued: int
    sent: int
    failed: int
    skipped: int
    waiting: int  # for a digest


def delivery_totals(petition_id):
    """Letters by delivery state, for the letters page."""
    digest_message = aliased(OutboxMessage)
    rows = db.session.execute(
        select(Letter.for_digest, Letter.digest_id.is_(None), OutboxMessage.status,
               digest_message.status, func.count())
        .outerjoin(OutboxMessage, OutboxMessage.id == Letter.outbox_message_id)
        .outerjoin(LetterDigest, LetterDigest.id == Letter.digest_id)
        .outerjoin(digest_message, digest_message.id == LetterDigest.outbox_message_id)
        .where(Letter.petition_id == petition_id)
        .group_by(Letter.for_digest, Letter.digest_id.is_(None), OutboxMessage.status,
                  digest_message.status)
    ).all()
    counts = {"queued": 0, "sent": 0, "failed": 0, "skipped": 0, "waiting": 0}
    total = 0
    for for_digest, no_digest, status, digest_status, n in rows:
        total += n
        state = _letter_status(for_digest, status, digest_status, None if no_digest else 1)
        counts["queued" if state == "in_digest" else state] += n
    return DeliveryTotals(total=total, **counts)


def failed_digests(petition_id, limit=100):
    """Digests the alder's mail server refused for good: (digest, error)."""
    campaign = campaign_for(petition_id)
    if campaign is None:
        return []
    return db.session.execute(
        select(LetterDigest, OutboxMessage.last_error)
        .join(OutboxMessage, OutboxMessage.id == LetterDigest.outbox_message_id)
        .where(LetterDigest.campaign_id == campaign.id,
               OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(LetterDigest.id.desc()).limit(limit)
    ).all()


def recent_digests(petition_id, limit=50):
    """The latest digests with their delivery status: (digest, status or None)."""
    campaign = campaign_for(petition_id)
    if campaign is None:
        return []
    return db.session.execute(
        select(LetterDigest, OutboxMessage.status)
        .outerjoin(OutboxMessage, OutboxMessage.id == LetterDigest.outbox_message_id)
        .where(LetterDigest.campaign_id == campaign.id)
        .order_by(LetterDigest.id.desc()).limit(limit)
    ).all()


def failed_letters(petition_id, limit=200):
    """Letters the ward office's mail server refused for good: (letter, error)."""
    return db.session.execute(
        select(Letter, OutboxMessage.last_error)
        .join(OutboxMessage, OutboxMessage.id == Letter.outbox_message_id)
        .where(Letter.petition_id == petition_id, OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(Letter.id.desc()).limit(limit)
    ).all()
