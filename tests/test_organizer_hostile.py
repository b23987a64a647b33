"""Hostile input through every organizer page: each query parameter and form field that a
workspace view reads (found in its source, tests/view_inputs.py), and each part of its
path, gets every hostile value; never a 500, and the data the walk must not touch stays
as it was.

New routes, fields and parameters are walked without being listed here: the routes come
from the app's url_map, the fields from the form classes a view names and its
request.args / request.form look-ups, the starting values from the forms on the pages.
"""

import io
import itertools
import re
from urllib.parse import quote

import pytest
from sqlalchemy import String, Text, select

from petition import demo
from petition.blasts import organizer_views as blast_views
from petition.extensions import db
from petition.geo import Geocoder
from petition.imports import uploads
from petition.models import (
    Alder,
    Blast,
    Organizer,
    Petition,
    Signature,
    WardCount,
    WardStatus,
)
from petition.models.base import utcnow
from petition.organizer import invalidation
from petition.organizer.export_views import export_csv, export_xlsx
from petition.organizer.invalidation_views import invalidate_page
from petition.petitions import counts
from petition.petitions.organizer_views import save_stances
from petition.signing import flagging
from petition.signing.flagged_views import approve_flagged
from petition.web.workspace import WORKSPACE_PREFIX
from tests.conftest import ORGANIZER_PASSWORD, form_token, login
from tests.factories import make_confirmed, make_organizer, make_petition, make_signature
from tests.hostile import BROKEN_ESCAPES, HOSTILE_INPUT
from tests.view_inputs import page_forms, view_inputs

_n = itertools.count()

# Valid values for fields a page shows empty (a new petition, account or email), so that
# the one hostile field, not a missing neighbour, decides what the view does.
FILLERS = {
    "title": lambda: "Walk",
    "slug": lambda: f"walk-{next(_n)}",
    "body": lambda: "Text.",
    "goal": lambda: "100",
    "subject": lambda: "Hello {{ first_name }}",
    "email": lambda: f"walk{next(_n)}@example.org",
    "password": lambda: ORGANIZER_PASSWORD,
    "email_domain": lambda: "nomatch.example",
}

# What the walk never sends with a valid CSRF token: it would end the walk's own session.
ENDS_THE_SESSION = {"auth.logout"}

PUBLIC_PAGES = ("/petitions/ecps", "/petitions/ecps/widget", "/petitions/ecps/wards",
                "/api/v1/petitions/ecps/counts")

# Personal data and state the walk never changes: no hostile value may reach them.
SIGNATURE_COLUMNS = ("id", "petition_id", "first_name", "last_name", "email",
                     "email_normalized", "address", "zip", "phone", "ward", "ward_status",
                     "confirmed_at", "invalidated_at", "invalidation_id", "opt_in")


@pytest.fixture
def walk(make_app):
    # The walk posts the log-in form too; the organizer signs in again at the end.
    app = make_app(LOGIN_RATE_LIMIT="100000 per minute")
    with app.app_context():
        demo.ensure_rosters(Geocoder.default())
        petition = make_petition(slug="ecps", title="ECPS")
        other = make_petition(slug="other", title="Other")
        admin = make_organizer("ana@example.org", is_admin=True)
        ben = make_organizer("ben@example.org", petitions=[petition])
        make_confirmed(petition, ward=3, ward_status=WardStatus.GEOCODED, opt_in=True,
                       ip_address="203.0.113.7")
        make_confirmed(petition, ward_status=WardStatus.OUTSIDE_CHICAGO, opt_in=True)
        make_signature(petition, ward=5, ward_status=WardStatus.GEOCODED)
        make_confirmed(other, ward=3, ward_status=WardStatus.GEOCODED, first_name="Keep")
        make_confirmed(petition, ward=7, ward_status=WardStatus.GEOCODED,
                       email="bot@spam.example")
        batch = invalidation.invalidate(
            petition, invalidation.make_criteria(email_domain="spam.example"), actor=admin)
        make_signature(petition, ward=3, ward_status=WardStatus.GEOCODED,
                       confirmed_at=utcnow(), invalidated_at=utcnow(),
                       invalidation_id=flagging.rate_limit_batch_id(petition.id))
        db.session.commit()
        # A file to import whose last row lacks its first name: whatever the walk sends,
        # the import stores nothing (all or nothing).
        upload = uploads.save(app.config["IMPORT_FOLDER"], io.BytesIO(
            b"First Name,Last Name,Address\nRosa,Parks,1958 N Milwaukee Ave\n,No,1 Main\n"),
            file_name="list.csv", petition_id=petition.id, organizer_id=admin.id,
            limit=1 << 20)
        args = {"slug": "ecps", "ward": 3, "district": 3, "organizer_id": ben.id,
                "batch_id": batch.id, "token": upload.token}
    client = app.test_client()
    login(client, "ana@example.org")
    new_email = f"{WORKSPACE_PREFIX}/petitions/ecps/emails/new"
    assert client.post(new_email, data={
        "subject": "Hi", "body": "Hello", "format": "text", "audience": "all",
        "csrf_token": form_token(client, new_email)}).status_code == 303
    with app.app_context():
        args["blast_id"] = db.session.scalar(select(Blast.id))
    return app, client, args


_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def path_for(rule, args, **hostile):
    """The rule's path with `args` (and `hostile` values) filled in, percent-encoded."""
    values = dict(args, **hostile)
    return _ARGUMENT.sub(lambda m: _escaped(str(values[m.group(1)])), rule.rule)


def _escaped(value):
    """`value` percent-encoded; BROKEN_ESCAPES go as they are (invalid UTF-8)."""
    return value if value in BROKEN_ESCAPES else quote(value, safe="")


def workspace_rules(app):
    """(rule, its methods) for every organizer route."""
    return [(rule, sorted(rule.methods - {"HEAD", "OPTIONS"}))
            for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
            if rule.rule.startswith(WORKSPACE_PREFIX)]


def encode(pairs):
    """A form body or query string."""
    return "&".join(f"{_escaped(name)}={_escaped(value)}" for name, value in pairs)


HOSTILE = HOSTILE_INPUT + BROKEN_ESCAPES


class Walk:
    """Sends requests and keeps what went wrong, so one run reports every problem."""

    def __init__(self, client):
        self.client, self.problems, self.sent = client, [], 0

    def check(self, what, response):
        self.sent += 1
        body = response.get_data()  # all of it: an export fails mid-stream, if at all
        response.close()
        if response.status_code >= 500 or b"<script>alert(1)</script>" in body:
            self.problems.append(f"{what}: {response.status_code}")

    def get(self, url, query=()):
        self.check(f"GET {url[:120]} {query!r:.120}",
                   self.client.get(url, query_string=encode(query)))

    def post(self, url, pairs, query=(), hostile=None):
        """POST `pairs` (the form); `hostile` names what is being tried, for the report."""
        self.check(f"POST {url[:120]} {hostile or query!r:.120}", self.client.post(
            url, query_string=encode(query), data=encode(pairs).encode("ascii"),
            content_type="application/x-www-form-urlencoded"))


def page_defaults(client, rules, args):
    """{(action path, method): {field: [values]}} from the forms on every organizer page."""
    found = {}
    for rule, methods in rules:
        if "GET" not in methods or rule.endpoint in ("exports.export_csv",
                                                     "exports.export_zip",
                                                     "exports.export_xlsx"):
            continue
        url = path_for(rule, args)
        for form in page_forms(client.get(url).get_data(as_text=True)):
            action = form["action"].split("?", 1)[0] or url
            found.setdefault((action, form["method"]), form["fields"])
    return found


def base_pairs(defaults, names, token):
    """The form as the page shows it, CSRF token and FILLERS for what is empty."""
    fields = {name: list(values) for name, values in defaults.items()}
    for name in names:
        if not any(v.strip() for v in fields.get(name, [])) and name in FILLERS:
            fields[name] = [FILLERS[name]()]
    fields["csrf_token"] = [token]
    return fields


def pairs_with(fields, name, value):
    """The form's (name, value) pairs with `name` set to `value` alone."""
    return [(k, v) for k, values in fields.items() if k != name for v in values] + [
        (name, value)]


def walk_fields(walk, rules, args, token):
    """Every hostile value in every query parameter and form field each view reads, the
    rest of its form as the page shows it."""
    defaults = page_defaults(walk.client, rules, args)
    for rule, methods in rules:
        inputs = view_inputs(walk.client.application.view_functions[rule.endpoint])
        url = path_for(rule, args)
        for value in HOSTILE:
            for name in sorted(inputs.query):
                for method in methods:
                    if method == "GET":
                        walk.get(url, [(name, value)])
                    else:
                        walk.post(url, [("csrf_token", token)], [(name, value)])
            if "POST" not in methods:
                continue
            names = {"csrf_token"} if rule.endpoint in ENDS_THE_SESSION else inputs.form
            fields = base_pairs(defaults.get((url, "POST"), {}), inputs.form, token)
            for name in sorted(names):
                walk.post(url, pairs_with(fields, name, value), hostile=(name, value))


def walk_paths(walk, rules, args, token):
    """Every hostile value in every part of every organizer path (slug, ids, ward)."""
    for rule, methods in rules:
        for name in sorted(rule.arguments):
            for value in HOSTILE:
                url = path_for(rule, args, **{name: value})
                if "GET" in methods:
                    walk.get(url)
                if "POST" in methods and rule.endpoint not in ENDS_THE_SESSION:
                    walk.post(url, [("csrf_token", token)])


def snapshot(app):
    """What the walk must leave as it was: signatures, the other petition, the existing
    accounts, the alders."""
    with app.app_context():
        signatures = db.session.execute(
            select(*[getattr(Signature, c) for c in SIGNATURE_COLUMNS]).order_by(Signature.id)
        ).all()
        other = db.session.scalar(select(Petition).where(Petition.slug == "other"))
        organizers = db.session.execute(
            select(Organizer.email, Organizer.password_hash, Organizer.is_admin)
            .where(Organizer.email.in_(["ana@example.org", "ben@example.org"]))).all()
        alders = db.session.execute(select(Alder.ward, Alder.name, Alder.email)).all()
        return (signatures, {c.key: getattr(other, c.key) for c in Petition.__table__.c},
                sorted(organizers), sorted(alders))


def stored_text_problems(app):
    """Text no database should hold: NUL bytes, lone surrogates."""
    problems = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.c if isinstance(c.type, (String, Text))]
            for column in columns:
                for value in db.session.scalars(select(column)):
                    if not isinstance(value, str):  # None, or an Enum's member
                        continue
                    if "\x00" in value or not _utf8(value):
                        problems.append(f"{table.name}.{column.name}: {value[:60]!r}")
    return problems


def _utf8(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def counter_problems(app):
    """Petitions whose ward counters disagree with their confirmed, valid signatures."""
    problems = []
    with app.app_context():
        for petition_id in db.session.scalars(select(Petition.id)):
            stored = {key: n for key, n in db.session.execute(
                select(WardCount.ward_key, WardCount.confirmed)
                .where(WardCount.petition_id == petition_id)) if n}
            actual = counts.count_by_ward_key(Signature.petition_id == petition_id,
                                              Signature.confirmed_at.is_not(None),
                                              Signature.invalidated_at.is_(None))
            if stored != actual:
                problems.append(f"petition {petition_id}: {stored} != {actual}")
    return problems


def test_every_organizer_field_and_parameter_survives_hostile_input(walk):
    app, client, args = walk
    rules = workspace_rules(app)
    assert {"blasts.edit_blast", "admin.audit_log", "flagged.approve_flagged"} <= {
        rule.endpoint for rule, _m in rules}  # the walk sees the workspace
    before = snapshot(app)
    token = form_token(client, f"{WORKSPACE_PREFIX}/")
    hostile = Walk(client)
    walk_fields(hostile, rules, args, token)
    walk_paths(hostile, rules, args, token)
    assert not hostile.problems, "\n".join(hostile.problems)
    assert hostile.sent > 2000
    assert snapshot(app) == before
    assert stored_text_problems(app) == []
    assert counter_problems(app) == []
    # Whatever was stored, every page still shows: to an organizer signing in afresh, and
    # the petition's public pages.
    fresh = app.test_client()
    assert login(fresh, "ana@example.org").status_code == 303
    after = Walk(fresh)
    for rule, methods in rules:
        if "GET" in methods:
            after.get(path_for(rule, args))
    for url in PUBLIC_PAGES:
        after.get(url)
    assert not after.problems, "\n".join(after.problems)


def test_the_walk_finds_what_views_read():
    assert view_inputs(blast_views.blast).query == {"after"}
    assert view_inputs(blast_views.test_blast).form == {"csrf_token", "signer"}
    assert view_inputs(export_csv).query == {"ward", "status", "invalidated", "district"}
    assert view_inputs(export_xlsx).query == {"ward", "status", "invalidated", "district",
                                              "sheets"}
    assert view_inputs(invalidate_page).query == {"email_domain", "ip_address", "since",
                                                  "until"}
    assert {"ward_1", "ward_50", "csrf_token"} <= view_inputs(save_stances).form
    assert view_inputs(save_stances).query == {"sort", "dir"}
    assert "signature_id" in view_inputs(approve_flagged).form
