"""Fixtures: the app on SQLite (always) and PostgreSQL (when TEST_DATABASE_URL is set),
a real in-process SMTP server, and helpers that drive the real forms."""

import os
import re
import socket
import threading
import uuid

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from petition import create_app
from petition.extensions import db
from petition.mail import worker
from petition.mail.transport import transport_for

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not TEST_DATABASE_URL,
            reason="TEST_DATABASE_URL is not set, so the PostgreSQL run is skipped",
        ),
    ),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_url():
    from petition.config import database_uri

    return database_uri(TEST_DATABASE_URL, "")


@pytest.fixture(scope="session")
def pg_schema():
    """A private schema for this test session, dropped at the end."""
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    schema = f"test_{uuid.uuid4().hex[:10]}"
    engine = create_engine(pg_url())
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def base_config(tmp_path):
    return {
        "APP_ENV": "testing",
        "TESTING": True,
        "PROPAGATE_EXCEPTIONS": False,
        "SECRET_KEY": "test-secret",
        "PUBLIC_URL": "https://petitions.example.org",
        "MAIL_SERVER": None,
        "MAIL_FILE_DIR": str(tmp_path / "mail"),
        "IMPORT_FOLDER": str(tmp_path / "imports"),
        "MAIL_DEFAULT_SENDER": "petitions@example.org",
        "SERVER_NAME": None,
        # Tests sign many times from 127.0.0.1; the limits have tests of their own.
        "SIGN_RATE_LIMIT": "10000 per minute",
        "LOOKUP_RATE_LIMIT": "10000 per minute",
        # Cheap Argon2 in tests (still Argon2id); production uses the config defaults.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        "RATELIMIT_STORAGE_URI": "memory://",
    }


def _database_config(backend, tmp_path, request):
    if backend == "sqlite":
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}"}
    schema = request.getfixturevalue("pg_schema")
    return {
        "SQLALCHEMY_DATABASE_URI": pg_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={schema}"},
        },
    }


def _reset_tables():
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.commit()


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def make_app(backend, tmp_path, request):
    """Build apps on the current backend; extra overrides per call."""
    apps = []

    def build(**overrides):
        config = base_config(tmp_path)
        config.update(_database_config(backend, tmp_path, request))
        config.update(overrides)
        app = create_app(config)
        with app.app_context():
            db.create_all()
            _reset_tables()
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


class SmtpSink:
    """Collects what a real SMTP server received; can refuse chosen recipients."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 No such user"
        if address.startswith("defer"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append({"to": list(envelope.rcpt_tos), "message": message,
                                  "raw": envelope.original_content})
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m["message"] for m in self.messages if address in m["to"]]

    def raw_to(self, address):
        """The bytes the server received for `address`, as they came over the wire."""
        return [m["raw"] for m in self.messages if address in m["to"]]


class SmtpServer:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.sink = SmtpSink()
        self.controller = None

    def start(self):
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.sink.messages


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_app(make_app, smtp_server):
    """An app whose mail goes over SMTP to the in-process server."""
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5)


CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html):
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


VALID_SIGNER = {
    "first_name": "Ana",
    "last_name": "Díaz",
    "email": "ana@example.org",
    "address": "1958 N Milwaukee Ave Apt 2",
    "zip": "60647",
    "phone": "(312) 555-0123",
    "opt_in": "y",
}


def sign(client, slug="ecps", **fields):
    """Post the real sign form, CSRF token included, as a browser would."""
    page = client.get(f"/petitions/{slug}")
    data = dict(VALID_SIGNER)
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    data["csrf_token"] = csrf_token_from(page.get_data(as_text=True))
    return client.post(f"/petitions/{slug}/sign", data=data)


ORGANIZER_PASSWORD = "correct horse battery staple"


def login(client, email, password=ORGANIZER_PASSWORD, next_url=None):
    """Post the real log-in form, CSRF token included."""
    page = client.get("/organizer/login")
    data = {"email": email, "password": password,
            "csrf_token": csrf_token_from(page.get_data(as_text=True))}
    url = "/organizer/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data=data)


def form_token(client, url):
    """The CSRF token from a page (for posting forms that the page shows)."""
    return csrf_token_from(client.get(url).get_data(as_text=True))


def pytest_report_header(config):
    if TEST_DATABASE_URL:
        return "PostgreSQL: tests also run on TEST_DATABASE_URL"
    return "PostgreSQL: skipped, TEST_DATABASE_URL is not set (SQLite runs always)"


def deliver_mail(app):
    """Deliver everything due through the app's own transport; return the report."""

    with app.app_context():
        return worker.deliver_due(transport_for(app), batch_size=50, lease_seconds=60,
                                  max_attempts=3)


def delivered_files(app):
    """Messages written as .eml files (the transport when MAIL_SERVER is unset), oldest first."""
    import pathlib
    from email import message_from_bytes, policy

    folder = pathlib.Path(app.config["MAIL_FILE_DIR"])
    return [message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in sorted(folder.glob("*.eml"))]


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def rosters(app):
    """`app` with the shipped wards, alders and District Council members loaded."""
    from petition import demo
    from petition.geo import Geocoder

    with app.app_context():
        demo.ensure_rosters(Geocoder.default())
        db.session.commit()
    return app


CONFIRM_LINK = re.compile(r"https://petitions\.example\.org(/confirm/[A-Za-z0-9_.\-]+)")


def sign_and_confirm(app, client, slug="ecps", smtp_server=None, **fields):
    """The real flow: the sign form, the emailed link, the Confirm button (so this client's
    session holds the confirmed signature). Mail goes over `smtp_server` if given."""
    assert sign(client, slug, **fields).status_code == 303
    deliver_mail(app)
    email = fields.get("email", VALID_SIGNER["email"])
    if smtp_server is not None:
        messages = smtp_server.sink.to(email)
    else:
        messages = [m for m in delivered_files(app) if m["To"] == email]
    path = CONFIRM_LINK.search(text_of(messages[-1])).group(1)
    page = client.get(path).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 303, response.status_code
    return response


def clone_session(app, client):
    """A second client with the same session cookie: the same browser, another tab."""
    twin = app.test_client()
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    twin.set_cookie(cookie.key, cookie.value)
    return twin


@pytest.fixture
def mail_rosters(smtp_app):
    """`smtp_app` (real SMTP) with the shipped wards, alders and District Councils loaded."""
    from petition import demo
    from petition.geo import Geocoder

    with smtp_app.app_context():
        demo.ensure_rosters(Geocoder.default())
        db.session.commit()
    return smtp_app


@pytest.fixture
def tirc_to_both(mail_rosters):
    """`mail_rosters` with the demo TIRC petition addressed to both state members (a
    signer's State Representative and State Senator), org@example.org its organizer."""
    from petition import demo
    from petition.models import PetitionTarget
    from tests.factories import make_organizer

    with mail_rosters.app_context():
        petition, _ = demo.ensure_tirc_petition()
        petition.target = PetitionTarget.STATE_BOTH
        make_organizer("org@example.org", petitions=[petition])
        db.session.commit()
    return mail_rosters


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")
INLINE_STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^<>]*\sstyle=")


def assert_no_inline_script_or_style(html):
    """What the Content-Security-Policy would block: inline scripts and style attributes
    (scripts from our own files are fine)."""
    assert not INLINE_SCRIPT.search(html), "inline <script>"
    assert not INLINE_STYLE_ATTRIBUTE.search(html), "style attribute"



@pytest.fixture
def ecps(mail_rosters):
    """The ECPS petition on an app with real SMTP and the rosters loaded (letter tests)."""
    from tests.factories import make_petition

    with mail_rosters.app_context():
        make_petition(slug="ecps", title="Community control now")
    return mail_rosters


@pytest.fixture
def campaign(ecps):
    """`ecps` with a letter campaign to alders."""
    from tests.letters_support import save_campaign

    save_campaign(ecps)
    return ecps
