"""Several outbox workers at once, and mail someone is waiting for ahead of bulk mail."""

import time

from sqlalchemy import func, select

from petition.extensions import db
from petition.mail import outbox, worker
from petition.mail.transport import transport_for
from petition.models import OutboxMessage, OutboxPriority, OutboxStatus
from tests.conftest import sign
from tests.factories import make_petition

BATCH = {"batch_size": 10, "lease_seconds": 60, "max_attempts": 3}


def queue(app, n, priority, to="ana@example.org"):
    with app.app_context():
        ids = [outbox.enqueue(kind="test", to_address=to, subject=f"{priority.name} {i}",
                              body_text="Body", priority=priority) for i in range(n)]
        db.session.commit()
    return ids


def subjects(smtp_server):
    return [m["message"]["Subject"] for m in smtp_server.messages]


def test_urgent_mail_is_claimed_before_older_bulk_mail(smtp_app, smtp_server):
    queue(smtp_app, 3, OutboxPriority.BULK)
    queue(smtp_app, 1, OutboxPriority.NORMAL)
    [urgent_id] = queue(smtp_app, 1, OutboxPriority.URGENT)
    with smtp_app.app_context():
        claimed = outbox.claim_batch(batch_size=2, lease_seconds=60)
        db.session.commit()
    assert [e.id for e in claimed][0] == urgent_id
    assert [e.priority for e in claimed] == [OutboxPriority.URGENT, OutboxPriority.NORMAL]


class ConfirmationArrivesDuringSend:
    """The app's real SMTP transport; while it sends the first bulk message, a signer's
    confirmation email is queued (as a signing request in another process would)."""

    def __init__(self, app):
        self.app, self.inner, self.sends = app, transport_for(app), 0

    def __enter__(self):
        self.inner.__enter__()
        return self

    def __exit__(self, *exc_info):
        return self.inner.__exit__(*exc_info)

    def send(self, envelope):
        self.sends += 1
        if self.sends == 1:
            queue(self.app, 1, OutboxPriority.URGENT, to="signer@example.org")
        return self.inner.send(envelope)


def test_a_bulk_batch_gives_way_to_a_confirmation_queued_meanwhile(smtp_app, smtp_server):
    queue(smtp_app, 5, OutboxPriority.BULK)
    with smtp_app.app_context():
        report = worker.deliver_batch(ConfirmationArrivesDuringSend(smtp_app), **BATCH)
    assert (report.sent, report.yielded) == (1, 4)
    with smtp_app.app_context():
        report = worker.deliver_due(transport_for(smtp_app), **BATCH)
    assert report.sent == 5
    sent = subjects(smtp_server)
    assert sent[0] == "BULK 0" and sent[1] == "URGENT 0"
    assert sorted(sent[2:]) == ["BULK 1", "BULK 2", "BULK 3", "BULK 4"]


class SlowMailServer:
    """The app's real SMTP transport, behind a server that takes `delay` s per message."""

    def __init__(self, app, delay):
        self.inner, self.delay = transport_for(app), delay

    def __enter__(self):
        self.inner.__enter__()
        return self

    def __exit__(self, *exc_info):
        return self.inner.__exit__(*exc_info)

    def send(self, envelope):
        time.sleep(self.delay)
        return self.inner.send(envelope)


def test_a_slow_mail_server_never_outlasts_the_claim(smtp_app, smtp_server):
    """Four messages at 0.3 s each take longer than a 1 s lease: once half of it has passed,
    the worker gives the unsent rest back instead of sending rows whose claim may have
    lapsed (another worker would send them too); nothing is sent twice or left claimed."""
    queue(smtp_app, 4, OutboxPriority.NORMAL)
    with smtp_app.app_context():
        report = worker.deliver_batch(SlowMailServer(smtp_app, 0.3),
                                      **dict(BATCH, lease_seconds=1))
        claimed = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                    .where(OutboxMessage.claimed_until.is_not(None)))
    assert 1 <= report.sent < 4 and report.sent + report.yielded == 4
    assert claimed == 0
    with smtp_app.app_context():
        assert worker.deliver_due(transport_for(smtp_app), **BATCH).sent == 4 - report.sent
    ids = [m["message"]["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == 4 and len(set(ids)) == 4


def test_cli_with_several_workers_sends_each_message_once(smtp_app, smtp_server):
    queue(smtp_app, 90, OutboxPriority.BULK)
    queue(smtp_app, 30, OutboxPriority.URGENT)
    result = smtp_app.test_cli_runner().invoke(
        args=["outbox", "send", "--concurrency", "6", "--batch-size", "5"])
    assert result.exception is None, result.output
    assert "sent 120" in result.output
    ids = [m["message"]["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == 120 and len(set(ids)) == 120
    with smtp_app.app_context():
        statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert set(statuses) == {OutboxStatus.SENT}


def test_concurrency_out_of_range_is_a_clear_error(smtp_app):
    for value in ("0", "65", "many"):
        result = smtp_app.test_cli_runner().invoke(args=["outbox", "send", "--concurrency", value])
        assert result.exit_code == 2 and "concurrency" in result.output


def test_a_signers_confirmation_is_urgent(app):
    with app.app_context():
        make_petition(slug="ecps")
    assert sign(app.test_client()).status_code == 303
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert (message.kind, message.priority) == ("confirmation", OutboxPriority.URGENT)
