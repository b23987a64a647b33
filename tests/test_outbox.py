"""The outbox delivers over real SMTP, retries temporary failures and never loses mail."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text

from petition.extensions import db
from petition.mail import outbox, worker
from petition.mail.transport import transport_for
from petition.models import OutboxMessage, OutboxStatus
from petition.models.base import utcnow
from tests.conftest import SmtpServer, free_port, pg_url, sign
from tests.factories import make_petition


def deliver(app, now=None):
    with app.app_context():
        return worker.deliver_due(transport_for(app), batch_size=10, lease_seconds=60,
                                  max_attempts=5, now=now)


def rows(app):
    with app.app_context():
        return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def queue(app, to="ana@example.org", n=1):
    with app.app_context():
        for i in range(n):
            outbox.enqueue(kind="test", to_address=to, subject=f"Hello {i}",
                           body_text=f"Body {i}", body_html=f"<p>Body {i}</p>")
        db.session.commit()


def test_signing_email_arrives_over_smtp_with_text_and_html(smtp_app, smtp_server):
    with smtp_app.app_context():
        make_petition(slug="ecps", title="Community control now")
    assert sign(smtp_app.test_client()).status_code == 303
    report = deliver(smtp_app)
    assert report.sent == 1
    [message] = smtp_server.sink.to("ana@example.org")
    assert "Community control now" in message["Subject"]
    assert message["From"] == "petitions@example.org"
    assert message["Message-ID"].startswith("<outbox-1-")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "https://petitions.example.org/confirm/" in text
    assert "https://petitions.example.org/confirm/" in html
    assert rows(smtp_app)[0].status is OutboxStatus.SENT


def test_smtp_down_then_up_keeps_then_delivers(make_app):
    port = free_port()
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=2)
    queue(app, n=3)
    report = deliver(app)
    assert report.sent == 0 and report.retrying == 3
    stored = rows(app)
    assert [r.status for r in stored] == [OutboxStatus.PENDING] * 3
    assert stored[0].attempts == 1 and "Connection" in stored[0].last_error
    # Not due again until the backoff has passed.
    assert deliver(app).sent == 0
    server = SmtpServer(port)
    server.start()
    try:
        report = deliver(app, now=utcnow() + timedelta(hours=2))
    finally:
        server.stop()
    assert report.sent == 3
    assert len(server.messages) == 3
    assert all(r.status is OutboxStatus.SENT for r in rows(app))


def test_permanent_failure_is_recorded_and_not_retried(smtp_app, smtp_server):
    queue(smtp_app, to="reject@example.org")
    queue(smtp_app, to="ok@example.org")
    report = deliver(smtp_app)
    assert report.failed == 1 and report.sent == 1
    failed, sent = rows(smtp_app)
    assert failed.status is OutboxStatus.FAILED and "550" in failed.last_error
    assert sent.status is OutboxStatus.SENT
    assert deliver(smtp_app, now=utcnow() + timedelta(days=1)).sent == 0


def test_temporary_refusal_is_retried_until_attempts_run_out(smtp_app, smtp_server):
    queue(smtp_app, to="defer@example.org")
    later = utcnow()
    for attempt in range(1, 6):
        later += timedelta(hours=2)
        deliver(smtp_app, now=later)
        [row] = rows(smtp_app)
        assert row.attempts == attempt and "451" in row.last_error
    assert row.status is OutboxStatus.FAILED
    assert smtp_server.messages == []


def test_claimed_messages_are_not_taken_by_another_worker(smtp_app, smtp_server):
    queue(smtp_app, n=4)
    with smtp_app.app_context():
        first = outbox.claim_batch(batch_size=2, lease_seconds=60)
        second = outbox.claim_batch(batch_size=10, lease_seconds=60)
        assert {r.id for r in first}.isdisjoint({r.id for r in second})
        assert len(first) + len(second) == 4
        assert outbox.claim_batch(batch_size=10, lease_seconds=60) == []


def test_a_dead_workers_claim_lapses_and_the_message_is_sent(smtp_app, smtp_server):
    queue(smtp_app)
    with smtp_app.app_context():
        assert len(outbox.claim_batch(batch_size=10, lease_seconds=60)) == 1
    # The worker "dies" here without sending.
    assert deliver(smtp_app).sent == 0
    assert deliver(smtp_app, now=utcnow() + timedelta(minutes=2)).sent == 1
    assert len(smtp_server.messages) == 1


def test_cli_send_delivers_everything_due(smtp_app, smtp_server):
    queue(smtp_app, n=60)
    result = smtp_app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exception is None, result.output
    assert "sent 60" in result.output
    assert len(smtp_server.messages) == 60
    status = smtp_app.test_cli_runner().invoke(args=["outbox", "status"])
    assert "sent     60" in status.output


def test_without_mail_server_messages_become_eml_files(app, tmp_path):
    queue(app, to="dev@example.org")
    assert deliver(app).sent == 1
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    assert b"dev@example.org" in files[0].read_bytes()


def test_header_injection_in_a_row_adds_no_header(smtp_app, smtp_server):
    """The line break becomes a space (tests/test_transport.py has the hostile cases)."""
    with smtp_app.app_context():
        outbox.enqueue(kind="test", to_address="ok@example.org", subject="Hi\r\nBcc: x@y.z",
                       body_text="x")
        db.session.commit()
    assert deliver(smtp_app).sent == 1
    [received] = smtp_server.messages
    assert received["to"] == ["ok@example.org"]
    raw = b"\r\n" + received["raw"]
    assert b"\r\nSubject: Hi Bcc: x@y.z\r\n" in raw and b"\r\nBcc:" not in raw


class LockProbeTransport:
    """Writes files like development, but first checks another writer can get in."""

    def __init__(self, app, db_path):
        from petition.mail.transport import FileTransport

        self.inner = FileTransport(app)
        self.db_path = db_path
        self.lock_free = []

    def __enter__(self):
        self.inner.__enter__()
        return self

    def __exit__(self, *exc):
        return self.inner.__exit__(*exc)

    def send(self, envelope):
        import sqlite3

        probe = sqlite3.connect(self.db_path, timeout=0.2, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            self.lock_free.append(True)
        except sqlite3.OperationalError:
            self.lock_free.append(False)
        finally:
            probe.close()
        self.inner.send(envelope)


def test_sqlite_write_lock_is_free_while_mail_is_being_sent(app, backend, tmp_path):
    """Sending can take seconds; signers must not wait for it on SQLite."""
    if backend != "sqlite":
        return
    queue(app, n=3)
    transport = LockProbeTransport(app, str(tmp_path / "test.db"))
    with app.app_context():
        report = worker.deliver_due(transport, batch_size=10, lease_seconds=60, max_attempts=3)
    assert report.sent == 3
    assert transport.lock_free == [True, True, True]


def test_sqlite_write_lock_is_free_after_seed_demo(app, backend, tmp_path):
    if backend != "sqlite":
        return
    import sqlite3

    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0
        probe = sqlite3.connect(str(tmp_path / "test.db"), timeout=0.2, isolation_level=None)
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        probe.close()


def test_templated_message_for_a_deleted_signature_fails_for_good(app):
    from petition.models import Signature
    from tests.factories import make_signature

    with app.app_context():
        petition = make_petition(slug="ecps")
        signature = make_signature(petition)
        outbox.enqueue(kind="confirmation", to_address=signature.email,
                       template="confirm_signature", context={"signature_id": signature.id})
        outbox.enqueue(kind="test", to_address="x@example.org", template="no-such-template")
        db.session.delete(db.session.get(Signature, signature.id))
        db.session.commit()
    report = deliver(app)
    assert report.failed == 2 and report.sent == 0
    errors = sorted(r.last_error for r in rows(app))
    assert "no longer exists" in errors[1] or "no longer exists" in errors[0]
    assert any("no renderer" in e for e in errors)


def test_templated_message_is_rendered_in_the_signers_language(app):
    from tests.factories import make_signature

    with app.app_context():
        petition = make_petition(slug="ecps", title="Control comunitario")
        signature = make_signature(petition, locale="es")
        outbox.enqueue(kind="confirmation", to_address=signature.email,
                       template="confirm_signature", context={"signature_id": signature.id},
                       locale="es")
        db.session.commit()
    assert deliver(app).sent == 1
    from tests.conftest import delivered_files

    [message] = delivered_files(app)
    assert "Control comunitario" in message["Subject"]
    assert message["Content-Language"] in (None, "es")


def test_parallel_workers_send_each_message_once(smtp_app, smtp_server):
    """Four workers at once (row locks with SKIP LOCKED on PostgreSQL): no duplicates."""
    import threading

    queue(smtp_app, n=120)
    barrier = threading.Barrier(4)
    reports = []

    def deliver():
        with smtp_app.app_context():
            barrier.wait()
            reports.append(worker.deliver_due(transport_for(smtp_app), batch_size=7,
                                              lease_seconds=60, max_attempts=3))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.sent for r in reports) == 120
    ids = [m["message"]["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == 120 and len(set(ids)) == 120
    assert all(r.status is OutboxStatus.SENT for r in rows(smtp_app))


def test_send_loop_runs_as_a_process_and_stops_on_sigterm(smtp_app, smtp_server, tmp_path):
    """`flask outbox send --loop` delivers mail queued while it runs, then exits cleanly."""
    import os
    import signal
    import subprocess
    import sys
    import time

    env = dict(os.environ, APP_ENV="testing", SECRET_KEY="test-secret",
               DATABASE_URL=smtp_app.config["SQLALCHEMY_DATABASE_URI"],
               MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp_server.port),
               MAIL_DEFAULT_SENDER="petitions@example.org", OUTBOX_POLL_SECONDS="1")
    options = smtp_app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})
    if "options" in options:  # the PostgreSQL test schema
        env["PGOPTIONS"] = options["options"]
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "send",
                             "--loop"], env=env, cwd=os.path.dirname(os.path.dirname(__file__)),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        queue(smtp_app, n=3)
        deadline = time.time() + 20
        while len(smtp_server.messages) < 3 and time.time() < deadline:
            time.sleep(0.2)
        assert len(smtp_server.messages) == 3
    finally:
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=20)[0]
    assert proc.returncode == 0, output


KILLED_APPLICATION = "outbox-under-kills"
KILL_INTERVAL_SECONDS = 0.1
KILL_MESSAGES = 1000


def _kill_connections_until(stop, kills):
    """Terminate the sender's database connections every few milliseconds until `stop`."""
    engine = create_engine(pg_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        while not stop.wait(KILL_INTERVAL_SECONDS):
            kills.append(conn.scalar(text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND application_name = :name"), {"name": KILLED_APPLICATION}))
    engine.dispose()


def test_killed_database_connections_lose_nothing_and_duplicate_almost_nothing(
        make_app, backend, smtp_server):
    """pg_terminate_backend on the worker's connections, again and again, while it sends:
    every message arrives, and fewer than 0.1% arrive twice (README: the outbox)."""
    if backend != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    connect_args = make_app().config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]
    # No pre-ping, as in production: a killed idle connection is only found out when used.
    sender = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5,
                      SQLALCHEMY_ENGINE_OPTIONS={"connect_args": dict(
                          connect_args, application_name=KILLED_APPLICATION)})
    queue(sender, n=KILL_MESSAGES)
    stop, kills = threading.Event(), []
    killer = threading.Thread(target=_kill_connections_until, args=(stop, kills))
    killer.start()
    try:
        with sender.app_context():
            worker.run_forever(transport_for(sender), batch_size=20, lease_seconds=2,
                               max_attempts=50, poll_seconds=0.1,
                               should_stop=lambda: len(smtp_server.messages) >= KILL_MESSAGES)
    finally:
        stop.set()
        killer.join()
    # The kills are over: what waits for a lapsed claim or a retry goes now.
    deliver(sender, now=utcnow() + timedelta(hours=2))
    ids = [m["message"]["Message-ID"] for m in smtp_server.messages]
    duplicates = len(ids) - len(set(ids))
    print(f"{sum(kills)} connections killed, {duplicates} duplicates of {len(set(ids))}")
    assert sum(kills) >= 20, "the killer should have hit the worker's connections"
    assert len(set(ids)) == KILL_MESSAGES
    assert all(r.status is OutboxStatus.SENT for r in rows(sender))
    assert duplicates * 1000 < KILL_MESSAGES
