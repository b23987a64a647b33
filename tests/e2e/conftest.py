"""A live server and Debian's Chromium driven by Playwright (never a downloaded browser)."""

import os
import pathlib
import threading

import pytest
from werkzeug.serving import make_server

from petition import create_app
from petition.extensions import db
from tests.conftest import SmtpServer, base_config, deliver_mail, free_port

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -r requirements.txt)")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not at {CHROMIUM} (apt-get install chromium)")
    return sync_playwright


@pytest.fixture(scope="session")
def browser():
    sync_playwright = _playwright()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                     headless=True)
        yield browser
        browser.close()


class LiveServer:
    """The app served over HTTP on a free port, mail going to an in-process SMTP server."""

    def __init__(self, tmp_path, **overrides):
        self.smtp = SmtpServer()
        self.smtp.start()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = base_config(tmp_path)
        config.update(
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'e2e.db'}",
            PUBLIC_URL=self.url,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=self.smtp.port,
            SESSION_COOKIE_SECURE=False,
        )
        config.update(overrides)
        self.app = create_app(config)
        with self.app.app_context():
            db.create_all()
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def deliver_mail(self):
        return deliver_mail(self.app)

    def mail_to(self, address):
        return self.smtp.sink.to(address)

    def stop(self):
        self.server.shutdown()
        self.smtp.stop()


@pytest.fixture
def live_server(tmp_path):
    server = LiveServer(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def page_factory(browser, request):
    """New browser pages at a given viewport; screenshots go to test-artifacts/."""
    contexts = []

    def new_page(viewport=DESKTOP, locale="en-US", java_script_enabled=True):
        context = browser.new_context(viewport=viewport, locale=locale,
                                      java_script_enabled=java_script_enabled)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def screenshot(page, name):
    """Save a full-page screenshot as a test artifact."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
