"""Signatures over the per-IP signing limits: kept, not counted, reviewed by organizers.

A flagged signature is set aside like an invalidated one (the same columns, so counts,
exports and the dashboard all leave it out), in a petition's open "rate_limit" batch.
Organizers of the petition see them by IP address and count the real ones (a meeting on
one Wi-Fi network, a family on one connection).
"""

import logging

from limits import parse_many
from limits.errors import StorageError
from redis.exceptions import RedisError
from sqlalchemy import func, select, update

from petition.extensions import db, limiter
from petition.models import Invalidation, Signature, ward_key_for
from petition.models.base import utcnow
from petition.organizer import audit
from petition.petitions import counts

log = logging.getLogger(__name__)

RATE_LIMIT = "rate_limit"


def over_signing_limit(slug, ip_address, limits_text):
    """Count this signing against the IP's limits; True when a limit is exceeded.

    Each limit (a burst and a sustained rate, e.g. "5 per minute;30 per hour", checked
    when the app starts) is a moving window in the rate-limit storage: memory, or Redis so
    that every process and server shares it. If the storage is down, signing goes on
    unflagged: a lost signature is worse than a missed flag.
    """
    if not ip_address or not limits_text or not limiter.enabled:
        return False
    try:
        # Hit every window, so the sustained one sees the bursts as well.
        results = [limiter.limiter.hit(item, "sign", slug, ip_address)
                   for item in parse_many(limits_text)]
    except (RedisError, StorageError) as exc:
        log.warning("signing rate limit unavailable, not flagging: %s", exc)
        return False
    return not all(results)


def rate_limit_batch_id(petition_id, now=None):
    """The petition's open batch of flagged signatures, created on first use."""
    batch_id = db.session.scalar(
        select(Invalidation.id).where(Invalidation.petition_id == petition_id,
                                      Invalidation.reason == RATE_LIMIT,
                                      Invalidation.restored_at.is_(None))
        .order_by(Invalidation.id).limit(1)
    )
    if batch_id is not None:
        return batch_id
    batch = Invalidation(petition_id=petition_id, organizer_id=None,
                         organizer_email="(signing rate limit)", reason=RATE_LIMIT,
                         criteria={"reason": RATE_LIMIT}, created_at=now or utcnow())
    db.session.add(batch)
    db.session.flush()
    return batch.id


def _flagged(petition):
    return (
        Signature.petition_id == petition.id,
        Signature.invalidated_at.is_not(None),
        Signature.invalidation_id.in_(
            select(Invalidation.id).where(Invalidation.petition_id == petition.id,
                                          Invalidation.reason == RATE_LIMIT)
        ),
    )


def flagged_signatures(petition, limit=2000):
    """Flagged signatures awaiting review, grouped by IP address, oldest first."""
    return db.session.scalars(
        select(Signature).where(*_flagged(petition))
        .order_by(Signature.ip_address, Signature.created_at, Signature.id).limit(limit)
    ).all()


def flagged_count(petition):
    """How many signatures are flagged on this petition."""
    return db.session.scalar(select(func.count()).where(*_flagged(petition)))


def approve(petition, signature_ids, *, actor, now=None):
    """Count the chosen flagged signatures; returns how many were approved."""
    now = now or utcnow()
    ids = [i for i in signature_ids if isinstance(i, int)]
    if not ids:
        return 0
    # RETURNING tells exactly which rows this request took out of the flagged set.
    approved = db.session.execute(
        update(Signature)
        .where(*_flagged(petition), Signature.id.in_(ids))
        .values(invalidated_at=None, invalidation_id=None)
        .returning(Signature.confirmed_at, Signature.ward_status, Signature.ward,
                   Signature.created_at, Signature.state_house, Signature.state_senate)
        .execution_options(synchronize_session=False)
    ).all()
    for confirmed_at, status, ward, created_at, house, senate in approved:
        is_confirmed = confirmed_at is not None
        counts.tally(petition.id, ward_key_for(status, ward), counts.city_day(created_at),
                     districts=(house, senate),
                     confirmed=int(is_confirmed), pending=int(not is_confirmed), now=now)
    audit.record(actor, "approve_flagged", petition=petition, rows=len(approved),
                 details={"signature_ids": ids[:500]}, now=now)
    db.session.flush()
    return len(approved)
