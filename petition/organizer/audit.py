"""The audit log: who exported, printed or changed signers' data, and when."""

from sqlalchemy import select

from petition.extensions import db
from petition.models import AuditEntry
from petition.models.base import utcnow


def ward_list(wards):
    """Wards as stored in the log: "1,32,outside"; empty for all wards."""
    return ",".join(str(w) for w in (wards or []))


def record(organizer, action, *, petition=None, wards=None, rows=None, details=None, now=None):
    """Add an entry in the caller's transaction."""
    entry = AuditEntry(
        organizer_id=organizer.id if organizer is not None else None,
        organizer_email=organizer.email if organizer is not None else "(system)",
        action=action,
        petition_id=petition.id if petition is not None else None,
        wards=ward_list(wards),
        rows=rows,
        details=details or {},
        created_at=now or utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def recent(*, before_id=None, limit=100, petition_id=None):
    """Newest entries first; `before_id` pages back."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    if petition_id:
        query = query.where(AuditEntry.petition_id == petition_id)
    return db.session.scalars(query).all()
