"""Phone and desktop screenshots of every page, and the pages wider than the screen.

    .venv/bin/python scripts/screenshots.py OUT/            # every width, both languages
    .venv/bin/python scripts/screenshots.py OUT/ --widths 360 --languages es

Builds a scratch SQLite site with the demo petition and realistic data (signatures in all
50 wards, stances with their source, letters' reply rates made public, a near-boundary
signer, one whose street did not match, an organizer email), walks
every public and organizer page in Debian's Chromium the way people reach them (signing
through the form, confirming from the link, sending the organizer email's test), then the
HTML of the emails that tour sent (`email-<n>-<language>.png`), writes
`OUT/<language>-<width>/<page>.png` and prints each page wider than its screen, and each page
whose table of counts is cut off (one that must fit a phone whole: the wards, the House and
Senate districts, the organizers' petition list and sources), and each page whose scoreboard
(the alders', the state members') has a row that scrolls sideways or whose text is cut off.
The browser tests run the same tour.
"""

import argparse
import csv
import logging
import sys
import tempfile
import threading
from datetime import datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from petition import create_app, demo  # noqa: E402
from petition.blasts import service as blasts  # noqa: E402
from petition.blasts import unsubscribes  # noqa: E402
from petition.extensions import db  # noqa: E402
from petition.geo import Geocoder  # noqa: E402
from petition.letters import campaigns  # noqa: E402
from petition.mail import worker  # noqa: E402
from petition.mail.addresses import normalize_email  # noqa: E402
from petition.mail.transport import transport_for  # noqa: E402
from petition.models import (  # noqa: E402
    AlderStance,
    BlastFormat,
    PetitionTarget,
    Signature,
    Stance,
    WardStatus,
)
from petition.models.base import utcnow  # noqa: E402
from petition.organizer import accounts  # noqa: E402
from petition.petitions import counts  # noqa: E402
from petition.signing import tokens  # noqa: E402
from scripts.screenshot_pages import SLUG, organizer_pages, public_pages  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PHONE_HEIGHT = 740
VIEWPORTS = {"320": 320, "360": 360, "390": 390, "desktop": 1280}
LOCALES = {"en": "en-US", "es": "es-MX"}
ORGANIZER_EMAIL = "organizer@example.org"
ORGANIZER_PASSWORD = "review pages at every width"
CLEAN_ADDRESS = ("2511 W Division St", "60622")
NEAR_BOUNDARY_ADDRESS = ("1600 N Milwaukee Ave", "60647")  # the ward line follows North Ave
MISSPELLED_ADDRESS = ("5801 S Elys Ave", "60637")  # too far from Ellis to be corrected
DAYS_OF_SIGNING = 30
STANCES = (Stance.SUPPORTS, Stance.UNDECIDED, Stance.OPPOSES)
# A stance's source as organizers type it: a long note (the scoreboard's widest cell).
STANCE_SOURCE = ("https://chicago.councilmatic.org/legislation/o2026-0001234",
                 "Said so at the Committee on Public Safety hearing on the ordinance")
# Tables of counts a phone shows whole: their count column must never scroll out of sight
# (wider tables, such as the organizers' ward table, scroll inside their box instead).
COUNT_TABLES = ("table.ward-counts, table.district-counts, table.sources, "
                "table.petition-totals")
# The widths of the scroll boxes of those tables whose columns do not all fit.
CUT_OFF_TABLES = """(selector) => [...document.querySelectorAll(selector)]
    .map(table => table.closest('.table-scroll') || table)
    .filter(box => box.scrollWidth > box.clientWidth).map(box => box.scrollWidth)"""
# Tables a phone shows row by row (the public scoreboards): no row may scroll sideways and no
# cell's text may be cut off, in English or Spanish.
ROW_TABLES = "table.scoreboard"
# How wide the rows of those tables need to be, for each one wider than its box: its box's
# scrolling width, or the far edge of a cell's text (a cell whose text is wider than the cell
# is cut off even when the box does not scroll).
CUT_OFF_ROWS = """(selector) => [...document.querySelectorAll(selector)].map(table => {
    const box = table.closest('.table-scroll') || table;
    const left = box.getBoundingClientRect().left;
    const ends = [...table.querySelectorAll('tbody th, tbody td')].map(cell =>
        cell.getBoundingClientRect().left - left + Math.max(cell.scrollWidth, cell.offsetWidth));
    const needed = Math.max(box.scrollWidth, ...ends);
    return needed > box.clientWidth + 1 ? Math.ceil(needed) : 0;  // 1 px: rounding
  }).filter(width => width > 0)"""


class ReviewSite:
    """The app with demo data on a scratch SQLite database, served on a free port."""

    def __init__(self, workdir, **overrides):
        workdir = Path(workdir)
        config = {
            "APP_ENV": "testing", "SECRET_KEY": "review-" + "x" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'review.db'}",
            "MAIL_FILE_DIR": str(workdir / "mail"), "RATELIMIT_ENABLED": False,
            "IMPORT_FOLDER": str(workdir / "imports"),
            "SESSION_COOKIE_SECURE": False, "WTF_CSRF_ENABLED": True,
        }
        config.update(overrides)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
        self.server = make_server("127.0.0.1", 0, None, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        config.setdefault("PUBLIC_URL", self.url)
        self.app = create_app(config)
        self.server.app = self.app
        with self.app.app_context():
            db.create_all()
            self.blast_id = add_review_data()
            db.session.commit()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def token(self, purpose, email):
        """A confirm, remove or unsubscribe token for the signer with this email."""
        with self.app.app_context():
            signature = db.session.query(Signature).filter_by(email=email).one()
            secret = self.app.config["SECRET_KEY"]
            if purpose == "unsubscribe":
                return unsubscribes.make_token(secret, signature.id, signature.email_normalized)
            return tokens.make_token(purpose, secret, signature.id, signature.email_normalized)

    def deliver_mail(self):
        """Deliver the mail queued so far to .eml files; the messages written, in order."""
        directory = Path(self.app.config["MAIL_FILE_DIR"])
        before = set(directory.glob("*.eml"))
        with self.app.app_context():
            worker.deliver_due(transport_for(self.app), batch_size=100, lease_seconds=60,
                               max_attempts=1)
        written = sorted(set(directory.glob("*.eml")) - before)
        messages = []
        for path in written:
            with path.open("rb") as fh:
                messages.append(BytesParser(policy=policy.default).parse(fh))
        return messages

    def stop(self):
        self.server.shutdown()


def add_review_data():
    """The demo petition with signatures in every ward, stances and an organizer email."""
    petition, _ = demo.ensure_ecps_petition()
    demo.ensure_rosters(Geocoder.default())
    demo.ensure_ecps_letter_campaign(petition)
    petition.scoreboard_public = True
    organizer = accounts.create_organizer(ORGANIZER_EMAIL, ORGANIZER_PASSWORD, is_admin=True)
    accounts.assign(petition, organizer, actor=organizer)
    now = utcnow()
    for ward in range(1, 51):
        for n in range(ward * 37 % 23 + 1):
            signed = now - timedelta(days=(ward + n) % DAYS_OF_SIGNING, hours=n)
            email = f"ward{ward}-{n}@example.org"
            db.session.add(Signature(
                petition_id=petition.id, first_name="Review", last_name=f"Signer {ward}-{n}",
                email=email, email_normalized=normalize_email(email),
                address=f"{100 + n} W Example St", zip="60601", ward=ward,
                ward_status=WardStatus.GEOCODED, opt_in=True, created_at=signed,
                confirmed_at=signed + timedelta(minutes=5)))
            counts.tally(petition.id, str(ward), counts.city_day(signed),
                         districts=(None, None), confirmed=1)
        if ward % 3 == 0:
            db.session.add(AlderStance(petition_id=petition.id, ward=ward,
                                       stance=STANCES[ward % len(STANCES)],
                                       source_url=STANCE_SOURCE[0],
                                       source_note=STANCE_SOURCE[1]))
    campaigns.campaign_for(petition.id).reply_rates_public = True  # the scoreboard's column
    add_state_review_data(organizer, now)
    blast = blasts.create_blast(petition, blasts.BlastFields(
        subject="A hearing on the Commission", body="Dear {{ first_name }}, come to the hearing.",
        format=BlastFormat.TEXT, all_wards=True, wards=(), include_outside=False,
        include_unknown=False, subject_es="Una audiencia sobre la Comisión",
        body_es="Hola, {{ first_name }}: venga a la audiencia."), actor=organizer)
    return blast.id


def add_state_review_data(organizer, now):
    """The TIRC petition, aimed here at both state members (House and Senate pages), with
    the demo's signers (real addresses over Chicago's House districts) and a public
    scoreboard."""
    petition, _ = demo.ensure_tirc_petition()
    petition.target = PetitionTarget.STATE_BOTH
    petition.scoreboard_public = True
    accounts.assign(petition, organizer, actor=organizer)
    demo.ensure_tirc_signatures(petition, Geocoder.default(), now=now)


class Tour:
    """One browser context walking the site; `visit` records each page's width."""

    def __init__(self, browser, site, language, width, out=None, only_too_wide=False):
        """Screenshots go to out (if given): of every page, or only_too_wide of those wider
        than the screen (a second tour could not sign up the same signers again)."""
        height = PHONE_HEIGHT if width < VIEWPORTS["desktop"] else 900
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           locale=LOCALES[language])
        self.page = self.context.new_page()
        self.site, self.language, self.width, self.out = site, language, width, out
        self.only_too_wide = only_too_wide
        self.too_wide = {}  # page name (or "<page> table", "<page> rows") -> width in px

    def visit(self, name, path=None):
        """Open path (or stay on the current page), measure it and save a screenshot."""
        if path is not None:
            self.page.goto(self.site.url + path)
        self.page.wait_for_load_state()
        problems_before = len(self.too_wide)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > self.width:
            self.too_wide[name] = width
        cut_off = self.page.evaluate(CUT_OFF_TABLES, COUNT_TABLES)
        if cut_off:
            self.too_wide[f"{name} table"] = max(cut_off)
        cut_off_rows = self.page.evaluate(CUT_OFF_ROWS, ROW_TABLES)
        if cut_off_rows:
            self.too_wide[f"{name} rows"] = max(cut_off_rows)
        too_wide = len(self.too_wide) > problems_before
        if self.out is not None and (too_wide or not self.only_too_wide):
            self.out.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(self.out / f"{name}.png"), full_page=True)

    def submit(self, button):
        """Press a form's button and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.locator(button).click()

    def sign(self, email, address, slug=SLUG):
        """Sign a petition through its form."""
        page = self.page
        page.goto(f"{self.site.url}/petitions/{slug}")
        page.locator("#first_name").fill("Ana")
        page.locator("#last_name").fill("Díaz Review")
        page.locator("#email").fill(email)
        page.locator("#address").fill(address[0])
        page.locator("#zip").fill(address[1])
        self.submit("form.sign-form button[type=submit]")

    def run(self):
        """Every page, in the order people meet them; returns {page: width} too wide."""
        for name, path in public_pages():
            self.visit(name, path)
        self.page.goto(f"{self.site.url}/petitions/{SLUG}")
        self.submit("form.sign-form button[type=submit]")
        self.visit("sign-errors")
        tag = f"{self.language}-{self.width}"
        for kind, address in (("near-line", NEAR_BOUNDARY_ADDRESS),
                              ("misspelled", MISSPELLED_ADDRESS), ("clean", CLEAN_ADDRESS)):
            email = f"{kind}-{tag}@example.org"
            self.sign(email, address)
            if kind == "misspelled":  # "did you mean", then sign with the street as typed
                self.visit("sign-did-you-mean")
                self.submit("button[name=keep_address]")
            self.visit(f"signed-{kind}")
            self.visit(f"my-ward-{kind}", f"/petitions/{SLUG}/my-ward")
        confirm = "/confirm/" + self.site.token("confirm", email)
        self.visit("confirm", confirm)
        self.submit("main form button[type=submit]")
        self.visit("confirmed")
        self.visit("letter", f"/petitions/{SLUG}/letter")
        self.visit("call", f"/petitions/{SLUG}/call")
        self.state_member_call(tag)
        self.visit("unsubscribe", "/unsubscribe/" + self.site.token("unsubscribe", email))
        self.visit("remove", "/remove/" + self.site.token("remove", email))
        self.log_in()
        for name, path in organizer_pages(self.site.blast_id):
            self.visit(name, path)
        self.paper()
        self.imports()
        self.page.goto(f"{self.site.url}/organizer/petitions/{SLUG}/emails/{self.site.blast_id}")
        self.submit("main form[action$=\"/test\"] button")  # a test, one per language
        self.emails()
        self.context.close()
        return self.too_wide

    def state_member_call(self, tag):
        """Sign the TIRC petition (to both state members), confirm, send the letter, open
        the call card (a button per member), report a call without saying whom (the form
        error), then for the Senator, who was heard opposing it: the dashboard and scoreboard
        count both."""
        email = f"tirc-{tag}@example.org"
        self.sign(email, CLEAN_ADDRESS, slug=demo.TIRC_SLUG)
        self.visit("tirc-signed")
        self.page.goto(self.site.url + "/confirm/" + self.site.token("confirm", email))
        self.submit("main form button[type=submit]")
        self.visit("tirc-confirmed")
        self.visit("tirc-call", f"/petitions/{demo.TIRC_SLUG}/call")
        self.page.locator("input[name=outcome]").first.check()
        self.submit("form[action$=\"/call\"] button[type=submit]")
        self.visit("tirc-call-error")
        self.page.locator("input[name=member]").last.check()
        self.page.locator("select[name=heard_stance]").select_option("opposes")
        self.submit("form[action$=\"/call\"] button[type=submit]")
        self.visit("tirc-called")
        self.visit("tirc-letter", f"/petitions/{demo.TIRC_SLUG}/letter")
        self.submit("form[action$=\"/letter\"] button[type=submit]")
        self.visit("tirc-letter-sent")
        self.visit("tirc-members-after", f"/petitions/{demo.TIRC_SLUG}/members")

    def paper(self):
        """Type in a paper row near a ward line: the ward choice, then the saved row."""
        page = self.page
        page.goto(f"{self.site.url}/organizer/petitions/{SLUG}/paper")
        for selector, value in (("#sheet_number", "7"), ("#collected_by", "María Review"),
                                ("#first_name", "Rosa"),
                                ("#last_name", f"Paper {self.language}-{self.width}"),
                                ("#address", NEAR_BOUNDARY_ADDRESS[0]),
                                ("#zip", NEAR_BOUNDARY_ADDRESS[1])):
            page.locator(selector).fill(value)
        # Today in Chicago: the server refuses a day in the future.
        page.locator("#signed_on").fill(datetime.now(ZoneInfo("America/Chicago")).date()
                                        .isoformat())
        self.submit("form.paper-form button.primary")
        self.visit("org-paper-ward")
        self.submit("form.paper-form button.primary")
        self.visit("org-paper-saved")

    def imports(self):
        """Import a file: its columns and first rows (one row with a problem), the refusal
        that names the line, then the file fixed and imported."""
        tag = f"{self.language}-{self.width}"
        rows = [("Rosa", f"Import {tag}", CLEAN_ADDRESS[0], CLEAN_ADDRESS[1],
                 f"rosa-{tag}@example.org", "yes"),
                ("Luis", f"Import {tag}", NEAR_BOUNDARY_ADDRESS[0], NEAR_BOUNDARY_ADDRESS[1],
                 "", "no"),
                ("Eva", f"Import {tag}", MISSPELLED_ADDRESS[0], MISSPELLED_ADDRESS[1],
                 f"eva-{tag}@example", "yes")]
        page = self.page
        with tempfile.TemporaryDirectory(prefix="screenshots-import-") as folder:
            for name, content in (("list.csv", rows), ("fixed.csv", rows[:2])):
                path = Path(folder) / name
                with open(path, "w", newline="", encoding="utf-8") as fh:
                    writer = csv.writer(fh)
                    writer.writerow(["First Name", "Last Name", "Address", "ZIP", "Email",
                                     "Can we email you updates?"])
                    writer.writerows(content)
                page.goto(f"{self.site.url}/organizer/petitions/{SLUG}/import")
                page.locator("#file").set_input_files(str(path))
                self.submit("form.import-form button.primary")
                if name == "list.csv":
                    self.visit("org-import-preview")
                    self.submit("form.import-run button.primary")
                    self.visit("org-import-refused")
            self.submit("form.import-run button.primary")
            self.visit("org-import-done")

    def emails(self):
        """The HTML of each email the tour sent, as a phone's mail program shows it (a long
        link must wrap, not widen the message)."""
        for n, message in enumerate(self.site.deliver_mail(), start=1):
            html_part = message.get_body(preferencelist=("html",))
            if html_part is None:
                continue
            html = html_part.get_content()
            language = "es" if '<html lang="es">' in html else "en"
            self.page.goto("about:blank")  # off the site: its CSP would drop the inline styles
            self.page.set_content(html)
            self.visit(f"email-{n:02d}-{language}")

    def log_in(self):
        self.page.goto(self.site.url + "/organizer/login")
        self.page.locator("#email").fill(ORGANIZER_EMAIL)
        self.page.locator("#password").fill(ORGANIZER_PASSWORD)
        self.submit("main form button[type=submit]")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                      headless=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--widths", nargs="*", default=list(VIEWPORTS), choices=VIEWPORTS)
    parser.add_argument("--languages", nargs="*", default=list(LOCALES), choices=LOCALES)
    args = parser.parse_args(argv)
    problems = 0
    with tempfile.TemporaryDirectory() as workdir, sync_playwright() as playwright:
        site = ReviewSite(workdir)
        browser = launch(playwright)
        for language in args.languages:
            for width_name in args.widths:
                width = VIEWPORTS[width_name]
                too_wide = Tour(browser, site, language, width,
                                args.out / f"{language}-{width_name}").run()
                for name, actual in sorted(too_wide.items()):
                    print(f"{language} {width_name}: {name} is {actual} px wide")
                problems += len(too_wide)
        browser.close()
        site.stop()
    print(f"Screenshots in {args.out}; {problems} page(s) wider than the screen.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
