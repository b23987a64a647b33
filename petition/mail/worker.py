"""The outbox worker: claims due mail, renders it, hands it to the mail server and
records each outcome; several run side by side (threads, processes or machines)."""

import logging
import random
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlalchemy.exc import DBAPIError

from petition.database import read_only
from petition.extensions import db
from petition.mail import outbox, renderers
from petition.mail.transport import (
    ConnectionFailure,
    PermanentFailure,
    Skip,
    TemporaryFailure,
    transport_for,
)
from petition.models import OutboxStatus
from petition.models.base import utcnow

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
# A worker stops taking messages from its batch once this share of the claim's lease has
# passed and gives the rest back: the remaining time covers the one send in flight, so a
# slow mail server never lets the claim lapse while this worker still holds unsent rows
# (another worker would claim and send them too).
SENDING_SHARE_OF_LEASE = 0.5


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
    yielded: int = 0  # claimed, then given back unsent: urgent mail waits, or the lease runs out
    errors: list = field(default_factory=list)

    def add(self, other):
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.skipped += other.skipped
        self.yielded += other.yielded
        self.errors.extend(other.errors)

    @property
    def done(self):
        """Messages this run finished with, one way or another (not retrying)."""
        return self.sent + self.failed + self.skipped


def _record_failure(envelope, failure, max_attempts, now, report):
    """Count a failed attempt; returns when the message is due again (None if given up)."""
    attempts = envelope.attempts + 1
    report.errors.append((envelope.id, str(failure)))
    if isinstance(failure, PermanentFailure) or attempts >= max_attempts:
        outbox.record(envelope.id, attempts=attempts, last_error=str(failure)[:2000],
                status=OutboxStatus.FAILED)
        report.failed += 1
        return None
    retry_at = now + timedelta(seconds=backoff(attempts))
    outbox.record(envelope.id, attempts=attempts, last_error=str(failure)[:2000],
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
        rendered = outbox.on_a_live_connection(lambda: _render_reading(envelope))
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
    pending = outbox.claim_batch(batch_size, lease_seconds, now)
    give_back_at = time.monotonic() + lease_seconds * SENDING_SHARE_OF_LEASE
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
                    outbox.record(envelope.id, status=OutboxStatus.SKIPPED,
                            last_error=str(skip)[:2000])
                    report.skipped += 1
                except (TemporaryFailure, PermanentFailure) as failure:
                    _record_failure(envelope, failure, max_attempts, now, report)
                else:
                    outbox.record(envelope.id, status=OutboxStatus.SENT, sent_at=utcnow(),
                            last_error=None)
                    report.sent += 1
                pending.pop(0)
                if pending and (time.monotonic() >= give_back_at
                                or outbox.more_urgent_waiting(pending[0].priority)):
                    # The claim is running out, or a confirmation arrived during a batch
                    # of bulk mail (it goes first): the rest go back to the queue.
                    outbox.release(pending)
                    report.yielded += len(pending)
                    pending = []
    except ConnectionFailure as failure:
        # The server is unreachable: the message being tried counts an attempt, and the
        # rest wait as long as it does rather than each failing in turn.
        log.warning("mail server unreachable: %s", failure)
        retry_at = _record_failure(pending[0], failure, max_attempts, now, report) or now
        for envelope in pending[1:]:
            outbox.record(envelope.id, next_attempt_at=retry_at)
            report.retrying += 1
    return report


def deliver_due(transport, *, batch_size, lease_seconds, max_attempts, now=None):
    """Deliver every message due now, batch after batch, and return the totals."""
    total = DeliveryReport()
    while True:
        report = deliver_batch(transport, batch_size=batch_size, lease_seconds=lease_seconds,
                               max_attempts=max_attempts, now=now)
        total.add(report)
        if report.done + report.retrying + report.yielded == 0:
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


def run_threads(app, concurrency, settings, *, loop, poll_seconds, should_stop):
    """Deliver with `concurrency` workers in threads, each with its own database session
    and mail server connection (sending is mostly waiting for the server); returns the
    summed DeliveryReport (loop=False: everything due now, then stop)."""
    total, lock = DeliveryReport(), threading.Lock()

    def work():
        with app.app_context():
            transport = transport_for(app)
            if loop:
                run_forever(transport, poll_seconds=poll_seconds, should_stop=should_stop,
                            **settings)
                return
            report = deliver_due(transport, **settings)
            with lock:
                total.add(report)

    threads = [threading.Thread(target=work, name=f"outbox-worker-{number}")
               for number in range(1, concurrency + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return total
