"""The transactional outbox: queue mail with the data change; claim and record it for the
workers (petition.mail.worker) that deliver it.

Delivery is at-least-once. A worker claims due rows for a lease (using row locks with
SKIP LOCKED on PostgreSQL, so parallel workers take different rows), commits the claim,
sends, and marks each row sent in its own commit. A database connection that fails under
one of these short transactions (killed, server restarted) is replaced and the
transaction repeated (RECONNECT_TRIES), so a killed connection sends nothing twice.
The bound: a message goes twice only when the worker dies, or cannot reach the database
through all those tries, between the SMTP hand-over and that commit; then its claim
lapses and it is sent again. That is the one message in flight per worker and event,
never a loss. Each message carries a stable Message-ID for receivers.
"""

import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import InterfaceError, OperationalError

from petition.database import read_only
from petition.extensions import db
from petition.models import OutboxMessage, OutboxPriority, OutboxStatus
from petition.models.base import utcnow

# Recorded on mail whose signer removed their signature or was anonymised.
SIGNER_DATA_REMOVED = "the signer's data was removed"
# A database connection that fails under a short transaction (killed, server restarted)
# is replaced and the transaction run again, this many times in all, pausing a little
# longer each time.
RECONNECT_TRIES = 10
RECONNECT_PAUSE_SECONDS = 0.1
# One outbox row; its values are the execution's parameters (see `_columns`).
INSERT_MESSAGE = insert(OutboxMessage.__table__).returning(OutboxMessage.id)


def _columns(*, kind, to_address, subject=None, body_text=None, body_html=None,
             template=None, context=None, locale="en", reply_to=None, headers=None,
             signature_id=None, blast_id=None, now=None, not_before=None,
             priority=OutboxPriority.NORMAL):
    """The outbox row's columns for one message (see `enqueue`)."""
    if template is None and (subject is None or body_text is None):
        raise ValueError("an outbox message needs a template or a subject and a text body")
    now = now or utcnow()
    return {
        "kind": kind, "to_address": to_address, "reply_to": reply_to,
        "subject": subject, "body_text": body_text, "body_html": body_html,
        "template": template, "context": context, "locale": locale, "headers": headers or {},
        "signature_id": signature_id, "blast_id": blast_id,
        "status": OutboxStatus.PENDING, "priority": int(priority), "attempts": 0,
        "created_at": now,
        "next_attempt_at": max(not_before, now) if not_before else now,
    }


def forget_recipients(signature_ids):
    """Blank the addresses and texts of the mail to these signatures (a list or a SELECT
    of ids); what was not sent yet is skipped. Returns how many rows."""
    rows = OutboxMessage.signature_id.in_(signature_ids)
    db.session.execute(
        update(OutboxMessage).where(rows, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SKIPPED, claimed_until=None, last_error=SIGNER_DATA_REMOVED)
        .execution_options(synchronize_session=False))
    # A mail server's refusal often quotes the address it refused.
    db.session.execute(
        update(OutboxMessage).where(rows, OutboxMessage.status == OutboxStatus.FAILED)
        .values(last_error=SIGNER_DATA_REMOVED)
        .execution_options(synchronize_session=False))
    return db.session.execute(
        update(OutboxMessage).where(rows)
        .values(to_address="", reply_to=None, subject=None, body_text=None, body_html=None)
        .execution_options(synchronize_session=False)).rowcount


def enqueue(**message):
    """Add a message to the outbox in the caller's transaction; returns the row's id.

    Give either the content (subject, body_text, body_html) or a `template` name whose
    renderer (petition.mail.renderers) renders it from `context` when it is sent. Other
    keywords: kind, to_address, locale, reply_to, headers, signature_id, blast_id, now,
    not_before (not sent before this time), priority (an OutboxPriority; NORMAL if not
    given: URGENT for mail someone is waiting for, BULK for mail to many).
    """
    return db.session.execute(INSERT_MESSAGE, _columns(**message)).scalar_one()


def enqueue_many(messages, chunk_size=1000):
    """Add many messages (dicts of `enqueue`'s keywords) in the caller's transaction."""
    chunk = []
    for message in messages:
        chunk.append(_columns(**message))
        if len(chunk) >= chunk_size:
            db.session.execute(INSERT_MESSAGE, chunk)
            chunk = []
    if chunk:
        db.session.execute(INSERT_MESSAGE, chunk)


def _due(now):
    return (
        OutboxMessage.status == OutboxStatus.PENDING,
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )


@dataclass(frozen=True)
class Envelope:
    """A claimed message, detached from the session so sending holds no transaction."""

    id: int
    to_address: str
    reply_to: str | None
    subject: str
    body_text: str
    body_html: str | None
    headers: dict
    created_at: object
    attempts: int
    template: str | None = None
    context: dict | None = None
    locale: str = "en"
    priority: int = OutboxPriority.NORMAL


def on_a_live_connection(transaction):
    """Run `transaction()` (short, and harmless to repeat), again on a new database
    connection if the one under it failed: for a "sent" record, giving up would mean
    sending the message again."""
    for attempt in range(1, RECONNECT_TRIES + 1):
        try:
            return transaction()
        except (OperationalError, InterfaceError):
            # A killed connection cannot even roll back: drop it, the pool opens another.
            db.session().invalidate()
            if attempt == RECONNECT_TRIES:
                raise
            time.sleep(RECONNECT_PAUSE_SECONDS * attempt)


def claim_batch(batch_size, lease_seconds, now=None):
    """Claim up to `batch_size` due messages for this worker and commit the claim."""
    now = now or utcnow()
    return on_a_live_connection(lambda: _claim(batch_size, lease_seconds, now))


def _claim(batch_size, lease_seconds, now):
    candidates = (
        select(OutboxMessage.id)
        .where(*_due(now))
        .order_by(OutboxMessage.priority, OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    )
    ids = list(db.session.scalars(candidates))
    claimed = []
    if ids:
        # The WHERE repeats the due test so that, where no row locks exist (SQLite), a
        # row another worker claimed first is not claimed again.
        claimed = db.session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), *_due(now))
            .values(claimed_until=now + timedelta(seconds=lease_seconds))
            .returning(OutboxMessage.id)
        ).all()
    envelopes = []
    if claimed:
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id.in_(claimed))
            .order_by(OutboxMessage.priority, OutboxMessage.next_attempt_at, OutboxMessage.id)
        ).all()
        envelopes = [
            Envelope(r.id, r.to_address, r.reply_to, r.subject, r.body_text, r.body_html,
                     dict(r.headers or {}), r.created_at, r.attempts, r.template,
                     dict(r.context or {}), r.locale or "en", r.priority)
            for r in rows
        ]
    db.session.commit()
    return envelopes


def record(envelope_id, **values):
    """Write one outcome in its own short transaction and release the claim."""
    statement = (update(OutboxMessage).where(OutboxMessage.id == envelope_id)
                 .values(claimed_until=None, **values))

    def write():
        db.session.execute(statement)
        db.session.commit()

    on_a_live_connection(write)


def more_urgent_waiting(priority):
    """Whether mail more urgent than `priority` is due now (and not claimed)."""
    if priority <= OutboxPriority.URGENT:
        return False
    urgent = select(OutboxMessage.id).where(*_due(utcnow()),
                                             OutboxMessage.priority < priority).limit(1)

    def look():
        with read_only():
            try:
                return db.session.scalar(urgent) is not None
            finally:
                db.session.rollback()

    return on_a_live_connection(look)


def release(envelopes):
    """Give claimed messages back unsent, for any worker to take again at once."""
    ids = [envelope.id for envelope in envelopes]
    statement = (update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                 .values(claimed_until=None))

    def write():
        db.session.execute(statement)
        db.session.commit()

    on_a_live_connection(write)
