"""The transactional outbox: queue mail with the data change, deliver it later.

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

import logging
import random
import time
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from petition.database import read_only
from petition.extensions import db
from petition.mail import renderers
from petition.mail.transport import ConnectionFailure, PermanentFailure, Skip, TemporaryFailure
from petition.models import OutboxMessage, OutboxStatus
from petition.models.base import utcnow

log = logging.getLogger(__name__)

# Recorded on mail whose signer removed their signature or was anonymised.
SIGNER_DATA_REMOVED = "the signer's data was removed"
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
# A database connection that fails under a short transaction (killed, server restarted)
# is replaced and the transaction run again, this many times in all, pausing a little
# longer each time.
RECONNECT_TRIES = 10
RECONNECT_PAUSE_SECONDS = 0.1
# One outbox row; its values are the execution's parameters (see `_columns`).
INSERT_MESSAGE = insert(OutboxMessage.__table__).returning(OutboxMessage.id)


def _columns(*, kind, to_address, subject=None, body_text=None, body_html=None,
             template=None, context=None, locale="en", reply_to=None, headers=None,
             signature_id=None, blast_id=None, now=None, not_before=None):
    """The outbox row's columns for one message (see `enqueue`)."""
    if template is None and (subject is None or body_text is None):
        raise ValueError("an outbox message needs a template or a subject and a text body")
    now = now or utcnow()
    return {
        "kind": kind, "to_address": to_address, "reply_to": reply_to,
        "subject": subject, "body_text": body_text, "body_html": body_html,
        "template": template, "context": context, "locale": locale, "headers": headers or {},
        "signature_id": signature_id, "blast_id": blast_id,
        "status": OutboxStatus.PENDING, "attempts": 0, "created_at": now,
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
    not_before (not sent before this time).
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


def backoff(attempts):
    """Seconds to wait before attempt number `attempts + 1`, with jitter."""
    delay = min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)
    return delay * random.uniform(0.9, 1.1)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list = field(default_factory=list)

    def add(self, other):
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.skipped += other.skipped
        self.errors.extend(other.errors)

    @property
    def done(self):
        """Messages this run finished with, one way or another (not retrying)."""
        return self.sent + self.failed + self.skipped


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


def _on_a_live_connection(transaction):
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
    return _on_a_live_connection(lambda: _claim(batch_size, lease_seconds, now))


def _claim(batch_size, lease_seconds, now):
    candidates = (
        select(OutboxMessage.id)
        .where(*_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
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
            select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
        ).all()
        envelopes = [
            Envelope(r.id, r.to_address, r.reply_to, r.subject, r.body_text, r.body_html,
                     dict(r.headers or {}), r.created_at, r.attempts, r.template,
                     dict(r.context or {}), r.locale or "en")
            for r in rows
        ]
    db.session.commit()
    return envelopes


def _record(envelope_id, **values):
    """Write one outcome in its own short transaction and release the claim."""
    statement = (update(OutboxMessage).where(OutboxMessage.id == envelope_id)
                 .values(claimed_until=None, **values))

    def write():
        db.session.execute(statement)
        db.session.commit()

    _on_a_live_connection(write)


def _record_failure(envelope, failure, max_attempts, now, report):
    """Count a failed attempt; returns when the message is due again (None if given up)."""
    attempts = envelope.attempts + 1
    report.errors.append((envelope.id, str(failure)))
    if isinstance(failure, PermanentFailure) or attempts >= max_attempts:
        _record(envelope.id, attempts=attempts, last_error=str(failure)[:2000],
                status=OutboxStatus.FAILED)
        report.failed += 1
        return None
    retry_at = now + timedelta(seconds=backoff(attempts))
    _record(envelope.id, attempts=attempts, last_error=str(failure)[:2000],
            next_attempt_at=retry_at)
    report.retrying += 1
    return retry_at


def _render_reading(envelope):
    """Render in a read transaction that ends before the SMTP conversation."""
    with read_only():
        try:
            return renderers.render(envelope.template, envelope.context, envelope.locale)
        finally:
            db.session.rollback()


def render(envelope):
    """Fill in the content of a templated message; plain messages pass through."""
    if envelope.template is None:
        return envelope
    try:
        rendered = _on_a_live_connection(lambda: _render_reading(envelope))
    except (TemporaryFailure, PermanentFailure):
        raise
    except DBAPIError as exc:
        raise TemporaryFailure(f"database error while rendering: {exc}") from exc
    except Exception as exc:
        # A broken template will not mend itself: record it instead of retrying.
        log.exception("cannot render outbox message %s", envelope.id)
        raise PermanentFailure(f"cannot render {envelope.template}: {exc!r}") from exc
    return replace(envelope, subject=rendered.subject, body_text=rendered.text,
                   body_html=rendered.html, headers={**envelope.headers, **rendered.headers})


def deliver_batch(transport, *, batch_size, lease_seconds, max_attempts, now=None):
    """Claim and deliver one batch; returns a DeliveryReport."""
    now = now or utcnow()
    report = DeliveryReport()
    pending = claim_batch(batch_size, lease_seconds, now)
    if not pending:
        return report
    try:
        with transport:
            while pending:
                envelope = pending[0]
                try:
                    transport.send(render(envelope))
                except ConnectionFailure:
                    raise
                except Skip as skip:
                    _record(envelope.id, status=OutboxStatus.SKIPPED,
                            last_error=str(skip)[:2000])
                    report.skipped += 1
                except (TemporaryFailure, PermanentFailure) as failure:
                    _record_failure(envelope, failure, max_attempts, now, report)
                else:
                    _record(envelope.id, status=OutboxStatus.SENT, sent_at=utcnow(),
                            last_error=None)
                    report.sent += 1
                pending.pop(0)
    except ConnectionFailure as failure:
        # The server is unreachable: the message being tried counts an attempt, and the
        # rest wait as long as it does rather than each failing in turn.
        log.warning("mail server unreachable: %s", failure)
        retry_at = _record_failure(pending[0], failure, max_attempts, now, report) or now
        for envelope in pending[1:]:
            _record(envelope.id, next_attempt_at=retry_at)
            report.retrying += 1
    return report


def deliver_due(transport, *, batch_size, lease_seconds, max_attempts, now=None):
    """Deliver every message due now, batch after batch, and return the totals."""
    total = DeliveryReport()
    while True:
        report = deliver_batch(transport, batch_size=batch_size, lease_seconds=lease_seconds,
                               max_attempts=max_attempts, now=now)
        total.add(report)
        if report.done + report.retrying == 0:
            return total
        if report.done == 0:
            return total  # everything in the batch was deferred; the rest would be too


def run_forever(transport, *, batch_size, lease_seconds, max_attempts, poll_seconds,
                should_stop=lambda: False):
    """Keep delivering until `should_stop()` is true, sleeping when nothing is due."""
    while not should_stop():
        try:
            report = deliver_due(transport, batch_size=batch_size, lease_seconds=lease_seconds,
                                 max_attempts=max_attempts)
        except Exception:
            # A database outage must not kill the worker; roll back and try again later.
            log.exception("outbox delivery failed")
            db.session().invalidate()  # a killed connection cannot even roll back
            report = DeliveryReport()
        if report.done == 0:
            time.sleep(poll_seconds)
