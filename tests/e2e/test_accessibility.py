"""WCAG 2.1 AA checks with axe-core (from the npm registry) in Chromium, on every public
page (the scoreboards too), in English on a desktop and in Spanish on a phone: no serious or
critical violation."""

import re
from pathlib import Path

import pytest

from petition import demo
from petition.extensions import db
from petition.geo import Geocoder
from tests.conftest import text_of
from tests.e2e.conftest import DESKTOP, PHONE

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LINKS = re.compile(r"(http://127\.0\.0\.1:\d+/(?:confirm|remove)/[A-Za-z0-9_.\-]+)")

RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""


@pytest.fixture
def site(live_server):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (package.json) first")
    with live_server.app.app_context():
        petition, _ = demo.ensure_ecps_petition()
        demo.ensure_rosters(Geocoder.default())
        demo.ensure_ecps_letter_campaign(petition)
        tirc, _ = demo.ensure_tirc_petition()
        petition.scoreboard_public = tirc.scoreboard_public = True  # the scoreboards' pages
        db.session.commit()
    return live_server


def check(page, url, name, problems):
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    for violation in page.evaluate(RUN_AXE):
        if violation["impact"] in ("serious", "critical"):
            problems.append(f"{name}: {violation['id']} ({violation['impact']}) "
                            f"{violation['help']} at {violation['nodes']}")


@pytest.mark.parametrize(("locale", "viewport"), [("en-US", DESKTOP), ("es-MX", PHONE)])
def test_public_pages_have_no_serious_accessibility_violations(site, browser, locale,
                                                               viewport):
    # bypass_csp lets the test inject axe; the pages themselves are served unchanged.
    context = browser.new_context(viewport=viewport, locale=locale, bypass_csp=True)
    page = context.new_page()
    base = site.url
    problems = []
    for path in ("/", "/petitions/ecps", "/petitions/ecps/wards", "/petitions/ecps/widget",
                 "/lookup", "/lookup?address=1958+N+Milwaukee+Ave",
                 "/lookup?address=12+Nowhere+Street", "/lookup?address=100+Chicago+Ave",
                 "/lookup?address=1600+Chicago+Ave,+Evanston+IL", "/lookup/wards",
                 "/lookup?ward=32", "/confirm/not-a-token", "/no-such-page", "/organizer/login",
                 "/petitions/ecps/alders", "/petitions/ecps/alders?sort=signers&dir=desc",
                 "/petitions/tirc/members"):
        check(page, base + path, path, problems)

    # The sign form with its errors, then the pages a signer goes through.
    page.goto(base + "/petitions/ecps")
    page.locator("form.sign-form button[type=submit]").click()
    page.add_script_tag(path=str(AXE))
    problems += [f"sign errors: {v['id']} {v['nodes']}" for v in page.evaluate(RUN_AXE)
                 if v["impact"] in ("serious", "critical")]
    page.locator("#first_name").fill("Ana")
    page.locator("#last_name").fill("Díaz")
    page.locator("#email").fill(f"a11y-{locale}@example.org")
    page.locator("#address").fill("2511 W Division St")
    page.locator("#zip").fill("60622")
    page.locator("form.sign-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/signed"))
    check(page, page.url, "signed", problems)
    check(page, base + "/petitions/ecps/my-ward", "my-ward", problems)
    site.deliver_mail()
    links = LINKS.findall(text_of(site.mail_to(f"a11y-{locale}@example.org")[0]))
    confirm, remove = links[0], links[1]
    check(page, confirm, "confirm", problems)
    check(page, remove, "remove", problems)
    page.goto(confirm)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/confirmed"))
    check(page, page.url, "confirmed", problems)
    check(page, base + "/petitions/ecps/letter", "letter", problems)
    page.goto(base + "/petitions/ecps/letter")
    page.get_by_role("button").filter(has_text=re.compile("Send my letter|Enviar")).click()
    page.add_script_tag(path=str(AXE))
    problems += [f"letter sent: {v['id']} {v['nodes']}" for v in page.evaluate(RUN_AXE)
                 if v["impact"] in ("serious", "critical")]
    check(page, base + "/unsubscribe/" + unsubscribe_token(site, f"a11y-{locale}@example.org"),
          "unsubscribe", problems)
    context.close()
    assert problems == []


def test_the_sign_page_is_light_on_a_cold_load(site, browser):
    """Under 100 KB transferred for the petition page and everything it loads."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sizes = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())))
    page.goto(site.url + "/petitions/ecps", wait_until="networkidle")
    context.close()
    total = sum(sizes.values())
    assert total < 100_000, sizes
    assert all(url.startswith(site.url) for url in sizes)  # nothing from anywhere else


def unsubscribe_token(site, email):
    """The token an organizer email's unsubscribe link would carry for this signer."""
    from sqlalchemy import select

    from petition.blasts import unsubscribes
    from petition.models import Signature

    with site.app.app_context():
        signature = db.session.scalar(select(Signature).where(Signature.email == email))
        return unsubscribes.make_token(site.app.config["SECRET_KEY"], signature.id,
                                       signature.email_normalized)
