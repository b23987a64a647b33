"""A supporter signs and confirms in a real browser, at phone and desktop widths."""

import re

import pytest

from tests.conftest import text_of
from tests.e2e.conftest import DESKTOP, PHONE, screenshot
from tests.factories import make_petition

CONFIRM = re.compile(r"(http://127\.0\.0\.1:\d+/confirm/[A-Za-z0-9_.\-]+)")


@pytest.fixture
def petition(live_server):
    with live_server.app.app_context():
        return make_petition(slug="ecps", title="Community control now", goal=10).slug


@pytest.mark.parametrize(("viewport", "label", "javascript"),
                         [(PHONE, "phone", True), (DESKTOP, "desktop", True),
                          (PHONE, "phone-nojs", False)])
def test_sign_and_confirm(live_server, petition, page_factory, viewport, label, javascript):
    page = page_factory(viewport=viewport, java_script_enabled=javascript)
    page.goto(f"{live_server.url}/petitions/ecps")
    screenshot(page, f"petition-{label}")
    # Sending the empty form shows errors next to the fields, without losing anything.
    page.get_by_role("button", name="Sign the petition").click()
    assert page.get_by_text("Enter your first name.").first.is_visible()
    screenshot(page, f"petition-errors-{label}")

    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Díaz")
    page.get_by_label("Email").fill(f"ana-{label}@example.org")
    page.get_by_label("Street address").fill("1958 N Milwaukee Ave Apt 2")
    page.get_by_label("ZIP code").fill("60647")
    page.get_by_label("Keep me updated about this campaign").check()
    page.get_by_role("button", name="Sign the petition").click()
    page.wait_for_url(re.compile(r".*/petitions/ecps/signed(#.*)?$"))
    assert page.get_by_role("heading", name="Check your email").is_visible()
    screenshot(page, f"check-email-{label}")

    assert live_server.deliver_mail().sent == 1
    [message] = live_server.mail_to(f"ana-{label}@example.org")
    link = CONFIRM.search(text_of(message)).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm my signature").click()
    page.wait_for_url(re.compile(r".*/petitions/ecps/confirmed$"))
    assert page.get_by_text("your signature is confirmed").is_visible()
    assert page.locator(".progress-count").first.inner_text() == "1"
    screenshot(page, f"confirmed-{label}")


def test_keyboard_alone_can_sign(live_server, petition, page_factory):
    page = page_factory(viewport=DESKTOP)
    page.goto(f"{live_server.url}/petitions/ecps")
    page.get_by_label("First name").focus()
    for value in ("Kim", "Lee", "kim@example.org", "2511 W Division St", "60622", ""):
        if value:
            page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.keyboard.press("Space")  # opt in
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past "volunteer"; the honeypot takes no focus
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/petitions/ecps/signed(#.*)?$"))
