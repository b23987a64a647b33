"""Setting aside bad signatures (spam, bots) by filter, with a preview and a restore.

Invalidated signatures stop counting at once: the ward counters of the confirmed ones are
decremented in the same transaction as the update that marks them. On PostgreSQL the UPDATE
locks the rows it marks, so a confirmation racing with it either commits first (and is then
seen as confirmed here and decremented) or waits and finds the row invalidated (and does not
count it; see signing.service.mark_confirmed).
"""

import ipaddress
import re
from dataclasses import asdict, dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from petition.extensions import db
from petition.models import Invalidation, Signature
from petition.models.base import utcnow
from petition.organizer import audit
from petition.petitions import counts
from petition.web.forms import FieldError

DOMAIN_PATTERN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class Criteria:
    """Which signatures to set aside; every given part must match."""

    email_domain: str | None = None
    ip_address: str | None = None
    since: datetime | None = None  # naive UTC, inclusive
    until: datetime | None = None  # naive UTC, exclusive

    def is_empty(self):
        return not (self.email_domain or self.ip_address or self.since or self.until)

    def to_json(self):
        data = asdict(self)
        for name in ("since", "until"):
            if data[name] is not None:
                data[name] = data[name].isoformat()
        return {k: v for k, v in data.items() if v is not None}


def make_criteria(email_domain=None, ip_address=None, since=None, until=None):
    """Validated criteria; FieldError says which part is wrong."""
    domain = (email_domain or "").strip().lower().lstrip("@") or None
    if domain is not None and not DOMAIN_PATTERN.match(domain):
        raise FieldError(_("Enter an email domain like example.com."))
    ip = (ip_address or "").strip() or None
    if ip is not None:
        try:
            ip = str(ipaddress.ip_address(ip))
        except ValueError as exc:
            raise FieldError(_("Enter an IP address like 203.0.113.7.")) from exc
    if since and until and since >= until:
        raise FieldError(_("The start of the time window must be before its end."))
    criteria = Criteria(domain, ip, since, until)
    if criteria.is_empty():
        raise FieldError(_("Give at least one filter: an email domain, an IP address "
                                  "or a time window."))
    return criteria


def _where(petition_id, criteria):
    where = [Signature.petition_id == petition_id]
    if criteria.email_domain:
        where.append(Signature.email_normalized.endswith("@" + criteria.email_domain,
                                                         autoescape=True))
    if criteria.ip_address:
        where.append(Signature.ip_address == criteria.ip_address)
    if criteria.since:
        where.append(Signature.created_at >= criteria.since)
    if criteria.until:
        where.append(Signature.created_at < criteria.until)
    return where


@dataclass(frozen=True)
class Preview:
    matched: int  # valid signatures the filter would set aside
    confirmed: int  # of which are counted now
    already_invalidated: int


def preview(petition, criteria):
    """How many signatures the criteria match, changing nothing."""
    row = db.session.execute(
        select(
            func.count().filter(Signature.invalidated_at.is_(None)),
            func.count().filter(Signature.invalidated_at.is_(None),
                                Signature.confirmed_at.is_not(None)),
            func.count().filter(Signature.invalidated_at.is_not(None)),
        ).where(*_where(petition.id, criteria))
    ).one()
    return Preview(*(n or 0 for n in row))


def invalidate(petition, criteria, *, actor, now=None):
    """Set aside every valid signature matching `criteria`; returns the Invalidation."""
    now = now or utcnow()
    batch = Invalidation(petition_id=petition.id, organizer_id=actor.id,
                         organizer_email=actor.email, criteria=criteria.to_json(),
                         created_at=now)
    db.session.add(batch)
    db.session.flush()
    matched = db.session.execute(
        update(Signature)
        .where(*_where(petition.id, criteria), Signature.invalidated_at.is_(None))
        .values(invalidated_at=now, invalidation_id=batch.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    # The rows are ours now (locked on PostgreSQL, write lock on SQLite): count them exactly.
    by_ward = counts.tally_matching(petition.id, Signature.invalidation_id == batch.id,
                                    Signature.invalidated_at.is_not(None), direction=-1,
                                    now=now)
    batch.matched = matched
    batch.confirmed = sum(by_ward.values())
    audit.record(actor, "invalidate", petition=petition, rows=matched,
                 details={"criteria": batch.criteria, "confirmed": batch.confirmed,
                          "invalidation_id": batch.id}, now=now)
    db.session.flush()
    return batch


def restore(petition, batch, *, actor, now=None):
    """Count a batch's signatures again (those not set aside again by a later batch)."""
    if batch.is_restored:
        raise FieldError(_("These signatures were already restored."))
    now = now or utcnow()
    restored = db.session.execute(
        update(Signature)
        .where(Signature.invalidation_id == batch.id, Signature.invalidated_at.is_not(None))
        .values(invalidated_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    by_ward = counts.tally_matching(petition.id, Signature.invalidation_id == batch.id,
                                    Signature.invalidated_at.is_(None), direction=1, now=now)
    batch.restored_at = now
    batch.restored_by_email = actor.email
    audit.record(actor, "restore", petition=petition, rows=restored,
                 details={"invalidation_id": batch.id, "confirmed": sum(by_ward.values())},
                 now=now)
    db.session.flush()
    return restored


def batches(petition):
    """The petition's invalidations, newest first."""
    return db.session.scalars(
        select(Invalidation).where(Invalidation.petition_id == petition.id)
        .order_by(Invalidation.id.desc())
    ).all()


def find_batch(petition, batch_id):
    batch = db.session.get(Invalidation, batch_id)
    if batch is None or batch.petition_id != petition.id:
        return None
    return batch
