"""Faults, for real: PostgreSQL restarted under load, a request's connection killed, Redis
killed, an outbox worker killed with -9, and eight processes signing at once on each
database."""

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from petition.config import database_uri
from petition.extensions import db, limiter
from tests.conftest import BACKENDS, SmtpServer, SmtpSink, login, pg_url, sign
from tests.factories import make_organizer, make_petition
from tests.servers import (
    ROOT,
    Browser,
    Gunicorn,
    PrivatePostgres,
    PrivateRedis,
    app_env,
    migrate,
    open_petition,
    scratch_database,
)


def query(url, sql):
    engine = create_engine(database_uri(url, ""))
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def test_postgresql_restart_under_load_fails_cleanly_and_recovers():
    pg = PrivatePostgres()
    server = None
    try:
        env = app_env(DATABASE_URL=pg.url)
        migrate(env)
        open_petition(env)
        server = Gunicorn(env, workers=2, worker_class="gthread", threads=4)
        results, stop = [], threading.Event()

        def load(n):
            browser = Browser(server.url)
            token, i = None, 0
            while not stop.is_set():
                token = token or browser.csrf_token()
                if token is None:
                    results.append((time.time(), 0, "no page"))
                    time.sleep(0.05)
                    continue
                status, body = browser.sign(token, f"load{n}-{i}@example.org")
                i += 1
                results.append((time.time(), status, body[:3000]))

        threads = [threading.Thread(target=load, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        before_stop = time.time()
        pg.stop()
        down_at = time.time()  # the server is gone from here...
        time.sleep(2)
        restart_at = time.time()  # ...to here
        pg.start()
        up_at = time.time()
        time.sleep(3)
        stop.set()
        for t in threads:
            t.join()
    finally:
        if server:
            log = server.stop()
        pg.destroy()

    # Never a server error, never a dropped connection: the app itself never went down.
    unexpected = [(s, b[:500]) for _, s, b in results if s not in (303, 503)]
    assert not unexpected, (unexpected[:3], log[-3000:])
    assert [s for when, s, _ in results if when < before_stop].count(303) > 5
    during = [(s, b) for when, s, b in results if down_at + 0.2 < when < restart_at]
    assert during and all(s == 503 for s, _ in during)
    assert all("busy or being restarted" in b for s, b in during if s == 503)
    # Recovered without restarting the app: signatures succeed again at the end.
    assert [s for when, s, _ in results if when > up_at + 1.5].count(303) > 5


class SlowSink(SmtpSink):
    """An SMTP server that takes its time, so a worker can be killed mid-batch."""

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize("backend_kind", BACKENDS)
def test_kill_9_of_an_outbox_worker_mid_batch_loses_nothing(backend_kind, tmp_path):
    url, drop = scratch_database(backend_kind, tmp_path)
    smtp = SmtpServer()
    smtp.sink = SlowSink()
    smtp.start()
    try:
        env = app_env(DATABASE_URL=url, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                      OUTBOX_LEASE_SECONDS=2, OUTBOX_BATCH_SIZE=10, OUTBOX_POLL_SECONDS=1)
        migrate(env)
        queue = (
            "from petition import create_app\n"
            "from petition.extensions import db\n"
            "from petition.mail import outbox\n"
            "app = create_app()\n"
            "with app.app_context():\n"
            "    for i in range(40):\n"
            "        outbox.enqueue(kind='test', to_address=f'r{i}@example.org',\n"
            "                       subject=f'Message {i}', body_text='Hello')\n"
            "    db.session.commit()\n"
        )
        subprocess.run([sys.executable, "-c", queue], cwd=ROOT, env=env, check=True)
        worker = [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "send", "--loop"]
        first = subprocess.Popen(worker, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while len(smtp.messages) < 5 and time.time() < deadline:
            time.sleep(0.02)
        os.kill(first.pid, signal.SIGKILL)  # mid-batch: claimed rows, one maybe half-sent
        first.wait()
        killed_after = len(smtp.messages)
        assert 5 <= killed_after < 40
        second = subprocess.Popen(worker, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                if query(url, "SELECT count(*) FROM outbox_messages WHERE status = 'sent'") == 40:
                    break
                time.sleep(0.2)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(30)
        delivered = {m["message"]["Subject"] for m in smtp.messages}
        assert delivered == {f"Message {i}" for i in range(40)}
        # At-least-once: at most the batch in flight may have gone twice.
        assert len(smtp.messages) - 40 <= 10
    finally:
        smtp.stop()
        drop()


def _signer(args):
    base_url, n, count = args
    browser = Browser(base_url)
    token = browser.csrf_token()
    statuses = []
    for i in range(count):
        status, _ = browser.sign(token, f"p{n}-{i}@example.org",
                                 address=("1958 N Milwaukee Ave", "2511 W Division St",
                                          "4544 N Lincoln Ave", "3335 W 63rd St")[i % 4])
        statuses.append(status)
    return statuses


@pytest.mark.parametrize("backend_kind", BACKENDS)
def test_eight_processes_signing_500_each_end_exact(backend_kind, tmp_path):
    url, drop = scratch_database(backend_kind, tmp_path)
    server = None
    try:
        env = app_env(DATABASE_URL=url)
        migrate(env)
        open_petition(env, requires_confirmation=False)  # every signature counts at once
        server = Gunicorn(env, workers=4)
        with multiprocessing.get_context("spawn").Pool(8) as pool:
            statuses = [s for batch in pool.map(_signer, [(server.url, n, 500)
                                                          for n in range(8)]) for s in batch]
        log = server.stop()
        server = None
        assert len(statuses) == 4000
        assert [s for s in statuses if s != 303] == [], log[-3000:]
        assert query(url, "SELECT count(*) FROM signatures") == 4000
        assert query(url, "SELECT count(DISTINCT email_normalized) FROM signatures") == 4000
        assert query(url, "SELECT sum(confirmed) FROM ward_counts") == 4000
        # The counters agree with a recount from the rows, ward by ward.
        mismatches = query(url, """
            SELECT count(*) FROM (
              SELECT CASE WHEN ward_status = 'outside_chicago' THEN 'outside'
                          WHEN ward IS NULL THEN 'unknown'
                          ELSE CAST(ward AS VARCHAR(10)) END AS k, count(*) AS n
              FROM signatures WHERE confirmed_at IS NOT NULL GROUP BY 1
            ) AS rows FULL OUTER JOIN ward_counts w ON w.ward_key = rows.k
            WHERE coalesce(rows.n, 0) <> coalesce(w.confirmed, 0)
        """) if backend_kind == "postgresql" else 0
        assert mismatches == 0
    finally:
        if server:
            server.stop()
        drop()


LOOKUP = "/api/v1/lookup?address=121 N LaSalle St"


def test_redis_killed_log_in_and_look_ups_carry_on_with_limits_in_memory(make_app, caplog):
    redis_server = PrivateRedis()
    try:
        app = make_app(RATELIMIT_STORAGE_URI=redis_server.url, LOGIN_RATE_LIMIT="3 per minute")
        with app.app_context():
            make_petition(slug="ecps")
            make_organizer("ana@example.org")
        client = app.test_client()
        assert login(client, "nobody@example.org", "wrong password!").status_code == 401
        assert client.get(LOOKUP).status_code == 200
        redis_server.kill()
        with caplog.at_level("WARNING"):
            codes = [login(client, f"guess{i}@example.org", "wrong password!").status_code
                     for i in range(4)]
            assert client.get(LOOKUP).status_code == 200
            assert client.get("/lookup?address=121 N LaSalle St").status_code == 200
            assert sign(client).status_code == 303
        # Each process keeps counting in memory: guessing passwords stays limited.
        assert codes == [401, 401, 401, 429]
        assert "unreachable" in caplog.text
    finally:
        redis_server.kill()
        # One limiter per process: the next test's app starts with healthy storage.
        limiter._storage_dead = False


def _terminate_backend(admin, pid):
    """Kill one PostgreSQL connection from outside, and wait until it is gone."""
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        deadline = time.time() + 10
        while conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                           {"pid": pid}).scalar() and time.time() < deadline:
            time.sleep(0.02)


# SQLite has no connection to lose.
@pytest.mark.parametrize("backend", [BACKENDS[1]])
def test_database_lost_after_the_view_gets_the_friendly_503_then_recovers(make_app):
    app = make_app()
    with app.app_context():
        make_petition(slug="ecps")
    admin = create_engine(pg_url())
    lost = []

    @app.after_request
    def lose_the_database(response):
        # The view has run and its transaction is open: as in a restart, the connection
        # dies before the request's session is rolled back.
        if not lost:
            lost.append(db.session.scalar(text("SELECT pg_backend_pid()")))
            _terminate_backend(admin, lost[0])
        return response

    try:
        response = app.test_client().get("/petitions/ecps")
        assert response.status_code == 503
        assert "busy or being restarted" in response.get_data(as_text=True)
        assert response.headers["Retry-After"] == "5"
        assert response.headers["Content-Security-Policy"]
        assert app.test_client().get("/petitions/ecps").status_code == 200
    finally:
        admin.dispose()
