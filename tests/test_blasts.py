"""Organizer emails to signers: audience, preview, test, send, rate, unsubscribe, failures."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.mail import worker
from petition.mail.transport import transport_for
from petition.models import (
    AuditEntry,
    Blast,
    OutboxMessage,
    OutboxPriority,
    OutboxStatus,
    Petition,
    Signature,
    Unsubscribe,
    WardStatus,
)
from petition.models.base import utcnow
from tests.conftest import (
    assert_no_inline_script_or_style,
    form_token,
    html_of,
    login,
    text_of,
)
from tests.factories import make_confirmed, make_organizer, make_petition, make_signature

SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}
SUBJECT = "Hi {{ first_name }} in ward {{ ward }}"
BODY = "Dear {{ full_name }},\n\nCall {{ alder_name }} today.\n\n{{ petition_url }}"
UNSUBSCRIBE = re.compile(r"https://petitions\.example\.org(/unsubscribe/[A-Za-z0-9_.\-]+)")


@pytest.fixture
def blast_app(make_app, smtp_server):
    from petition import demo
    from petition.geo import Geocoder

    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5,
                   BLAST_RATE_PER_MINUTE=6_000_000)
    with app.app_context():
        demo.ensure_rosters(Geocoder.default())
        petition = make_petition(slug="ecps", title="Community control now")
        make_organizer("org@example.org", petitions=[petition])
        make_organizer("other@example.org")
        people = {
            "ana": dict(ward=1, email="Ana.Diaz@gmail.com", last_name="Díaz"),
            "ben": dict(ward=48, locale="es", last_name="Okafor"),
            "cy": dict(ward=42),
            "dee": dict(ward=None, ward_status=WardStatus.OUTSIDE_CHICAGO),
            "eve": dict(ward=None),
        }
        for name, fields in people.items():
            fields.setdefault("email", f"{name}@example.org")
            if fields["ward"]:
                fields.setdefault("ward_status", WardStatus.GEOCODED)
            make_confirmed(petition, first_name=name.title(), opt_in=True, **fields)
        # Never in any audience:
        make_confirmed(petition, ward=1, ward_status=WardStatus.GEOCODED, first_name="Fay",
                       email="fay@example.org", opt_in=False)
        make_signature(petition, ward=1, ward_status=WardStatus.GEOCODED, first_name="Gus",
                       email="gus@example.org", opt_in=True)  # not confirmed
        make_confirmed(petition, ward=1, ward_status=WardStatus.GEOCODED, first_name="Hal",
                       email="hal@example.org", opt_in=True, invalidated_at=utcnow())
        make_confirmed(petition, ward=1, ward_status=WardStatus.GEOCODED, first_name="",
                       email="", email_normalized="anonymized-x", opt_in=True,
                       anonymized_at=utcnow())
    return app


@pytest.fixture
def org(blast_app):
    client = blast_app.test_client()
    login(client, "org@example.org")
    return client


def deliver(app, minutes=0):
    with app.app_context():
        return worker.deliver_due(transport_for(app), batch_size=50, lease_seconds=60,
                                  max_attempts=3, now=utcnow() + timedelta(minutes=minutes))


def compose(client, **fields):
    data = {"subject": SUBJECT, "body": BODY, "format": "text", "audience": "all"}
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    data["csrf_token"] = form_token(client, "/organizer/petitions/ecps/emails/new")
    return client.post("/organizer/petitions/ecps/emails/new", data=data)


def post(client, url, page, **data):
    data["csrf_token"] = form_token(client, page)
    return client.post(url, data=data)


def blast_id(response):
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def send(client, bid):
    page = f"/organizer/petitions/ecps/emails/{bid}"
    return post(client, f"{page}/send", page)


def rows(app, **where):
    with app.app_context():
        query = select(OutboxMessage).where(OutboxMessage.kind == "blast")
        for key, value in where.items():
            query = query.where(getattr(OutboxMessage, key) == value)
        return db.session.scalars(query.order_by(OutboxMessage.id)).all()


def test_compose_preview_test_and_send_to_chosen_wards(blast_app, org, smtp_server):
    response = compose(org, audience="chosen", wards=["1", "48"], include_outside="y")
    assert response.status_code == 303
    bid = blast_id(response)
    page = org.get(f"/organizer/petitions/ecps/emails/{bid}")
    html = page.get_data(as_text=True)
    assert "3 signers will get this email." in html  # Ana (1), Ben (48), Dee (outside)
    # The page's title and heading show placeholders as words, never raw template syntax.
    assert "<h1>Hi [first name] in ward [ward]</h1>" in html
    assert "{{" not in html.split("</title>")[0]
    assert "Hi Ana in ward 1" in html and "Call Daniel La Spata today." in html
    assert_no_inline_script_or_style(html)
    with blast_app.app_context():
        ana = db.session.scalar(select(Signature).where(Signature.first_name == "Ana"))
        ana_id = ana.id
    html = org.get(f"/organizer/petitions/ecps/emails/{bid}?after={ana_id}").get_data(
        as_text=True)
    assert "Hi Ben in ward 48" in html and "Leni Manaa-Hoppenworth" in html

    # A test to myself, rendered for Ana, changes nothing for anyone else.
    page = f"/organizer/petitions/ecps/emails/{bid}"
    assert post(org, f"{page}/test", page, signer=str(ana_id)).status_code == 303
    assert deliver(blast_app).sent == 1
    [test] = smtp_server.sink.to("org@example.org")
    assert test["Subject"] == "[Test] Hi Ana in ward 1"
    assert "TEST: only you got this." in text_of(test) and "Dear Ana Díaz," in text_of(test)
    assert smtp_server.sink.to("Ana.Diaz@gmail.com") == []

    assert send(org, bid).status_code == 303
    assert send(org, bid).status_code == 303  # a double click queues nothing more
    assert len(rows(blast_app)) == 3
    assert {row.priority for row in rows(blast_app)} == {OutboxPriority.BULK}
    with blast_app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "email_send"))
        assert entry.rows == 3 and entry.wards == "1,48" and entry.details["outside"]
    report = deliver(blast_app)
    assert report.sent == 3 and report.failed == 0

    [to_ana] = smtp_server.sink.to("Ana.Diaz@gmail.com")
    [to_ben] = smtp_server.sink.to("ben@example.org")
    [to_dee] = smtp_server.sink.to("dee@example.org")
    assert to_ana["From"] == "petitions@example.org"
    assert to_ana["Subject"] == "Hi Ana in ward 1"
    assert "Dear Ana Díaz," in text_of(to_ana) and "Call Daniel La Spata today." in text_of(to_ana)
    assert to_ben["Subject"] == "Hi Ben in ward 48"
    assert "Call Leni Manaa-Hoppenworth today." in text_of(to_ben)
    assert to_dee["Subject"] == "Hi Dee in ward"
    for name in ("cy", "eve", "fay", "gus", "hal"):
        assert smtp_server.sink.to(f"{name}@example.org") == []
    assert len(smtp_server.messages) == 4  # the test and three signers

    html = org.get(page).get_data(as_text=True)
    assert "Done." in html and 'http-equiv="refresh"' not in html


def test_every_ward_and_the_other_groups(blast_app, org):
    bid = blast_id(compose(org))
    html = org.get(f"/organizer/petitions/ecps/emails/{bid}").get_data(as_text=True)
    assert "3 signers will get this email." in html  # Ana, Ben, Cy: wards only
    bid = blast_id(compose(org, include_outside="y", include_unknown="y"))
    html = org.get(f"/organizer/petitions/ecps/emails/{bid}").get_data(as_text=True)
    assert "5 signers will get this email." in html
    response = compose(org, audience="chosen")  # no ward chosen
    assert response.status_code == 400 and "Choose at least one ward" in response.get_data(
        as_text=True)


def test_unsubscribe_headers_link_and_one_click_post_without_cookies(blast_app, org,
                                                                    smtp_server):
    bid = blast_id(compose(org, audience="chosen", wards=["1", "48"]))
    send(org, bid)
    deliver(blast_app)
    [to_ana] = smtp_server.sink.to("Ana.Diaz@gmail.com")
    header = to_ana["List-Unsubscribe"]
    assert to_ana["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(https://[^>]+)>", header.strip()).group(1)
    assert url in text_of(to_ana) and url in html_of(to_ana)
    path = urlsplit(url).path

    # GET only shows a button, without logging in, and changes nothing.
    visitor = blast_app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and "<button" in page.get_data(as_text=True)
    with blast_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Unsubscribe)) == 0

    # RFC 8058: the mail client POSTs this body, with no cookie and no CSRF token.
    mail_client = blast_app.test_client(use_cookies=False)
    response = mail_client.post(path, data="List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    with blast_app.app_context():
        stored = db.session.scalar(select(Unsubscribe))
        assert stored.email_normalized == "anadiaz@gmail.com" and stored.source == "one_click"
        assert not db.session.scalar(select(Signature.opt_in).where(
            Signature.first_name == "Ana"))
    assert mail_client.post(path, data="List-Unsubscribe=One-Click").status_code == 200
    assert "already unsubscribed" in visitor.get(path).get_data(as_text=True)

    # Later emails: never again, from this petition or another, whatever the spelling.
    bid = blast_id(compose(org, audience="chosen", wards=["1", "48"]))
    send(org, bid)
    assert [r.to_address for r in rows(blast_app, blast_id=bid)] == ["ben@example.org"]
    with blast_app.app_context():
        other = make_petition(slug="other", title="Other")
        make_organizer("org2@example.org", petitions=[other])
        make_confirmed(other, ward=1, ward_status=WardStatus.GEOCODED, first_name="Ana",
                       email="anadiaz+news@gmail.com", opt_in=True)  # signed again, opted in
    org2 = blast_app.test_client()
    login(org2, "org2@example.org")
    data = {"subject": "x", "body": "y", "format": "text", "audience": "all",
            "csrf_token": form_token(org2, "/organizer/petitions/other/emails/new")}
    response = org2.post("/organizer/petitions/other/emails/new", data=data)
    other_id = blast_id(response)
    html = org2.get(f"/organizer/petitions/other/emails/{other_id}").get_data(as_text=True)
    assert "0 signers will get this email." in html
    assert "1 more person unsubscribed and will not get it." in html
    assert "Send to" not in html  # nobody to send to
    smtp_server.messages.clear()
    deliver(blast_app)
    assert smtp_server.sink.to("anadiaz+news@gmail.com") == []
    assert smtp_server.sink.to("Ana.Diaz@gmail.com") == []


def test_unsubscribing_between_queueing_and_delivery_is_a_skip_not_a_failure(blast_app, org,
                                                                             smtp_server):
    from petition.blasts import unsubscribes

    bid = blast_id(compose(org))
    send(org, bid)
    with blast_app.app_context():
        unsubscribes.unsubscribe("ben@example.org")
        db.session.commit()
    report = deliver(blast_app)
    assert (report.sent, report.skipped, report.failed) == (2, 1, 0)
    assert smtp_server.sink.to("ben@example.org") == []
    [ben_row] = rows(blast_app, to_address="ben@example.org")
    assert ben_row.status is OutboxStatus.SKIPPED and ben_row.last_error == "unsubscribed"
    html = org.get(f"/organizer/petitions/ecps/emails/{bid}").get_data(as_text=True)
    assert re.search(r"Unsubscribed, not sent</dt><dd>1<", html)
    assert re.search(r"Failed</dt><dd>0<", html) and re.search(r"Delivered</dt><dd>2<", html)


def test_the_unsubscribe_link_in_a_test_email_unsubscribes_nobody(blast_app, org, smtp_server):
    bid = blast_id(compose(org))
    page = f"/organizer/petitions/ecps/emails/{bid}"
    post(org, f"{page}/test", page, signer="")
    deliver(blast_app)
    [test] = smtp_server.sink.to("org@example.org")
    path = UNSUBSCRIBE.search(text_of(test)).group(1)
    response = blast_app.test_client(use_cookies=False).post(
        path, data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "unsubscribes nobody" in response.get_data(
        as_text=True)
    with blast_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Unsubscribe)) == 0


def test_bad_unsubscribe_links_are_refused(blast_app):
    client = blast_app.test_client()
    for token in ("nope", "x" * 300, "%00"):
        assert client.get(f"/unsubscribe/{token}").status_code == 404
        assert client.post(f"/unsubscribe/{token}",
                           data="List-Unsubscribe=One-Click").status_code == 404
    from petition.signing import tokens

    forged = tokens.make_token("unsubscribe", "another-secret", 1, "ana@example.org")
    assert client.post(f"/unsubscribe/{forged}").status_code == 404
    confirm = tokens.make_token("confirm", "test-secret", 1, "anadiaz@gmail.com")
    assert client.post(f"/unsubscribe/{confirm}").status_code == 404  # another purpose
    with blast_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Unsubscribe)) == 0


def test_spanish_unsubscribe_page_and_footer(blast_app, org, smtp_server):
    bid = blast_id(compose(org, audience="chosen", wards=["48"]))
    send(org, bid)
    deliver(blast_app)
    [to_ben] = smtp_server.sink.to("ben@example.org")  # Ben signed in Spanish
    assert "Cancelar la suscripción" in text_of(to_ben)
    path = UNSUBSCRIBE.search(text_of(to_ben)).group(1)
    client = blast_app.test_client()
    html = client.get(path, headers=SPANISH).get_data(as_text=True)
    assert '<html lang="es">' in html and "Cancelar la suscripción" in html
    assert "Unsubscribe" not in html
    html = client.post(path, headers=SPANISH).get_data(as_text=True)
    assert "Canceló la suscripción" in html


def test_permanent_failures_are_shown_per_send(blast_app, org, smtp_server):
    with blast_app.app_context():
        petition = db.session.scalar(select(Petition))
        make_confirmed(petition, ward=1, ward_status=WardStatus.GEOCODED, first_name="Kim",
                       email="reject-kim@example.org", opt_in=True)
    bid = blast_id(compose(org, audience="chosen", wards=["1"]))
    send(org, bid)
    report = deliver(blast_app)
    assert (report.sent, report.failed) == (1, 1)
    html = org.get(f"/organizer/petitions/ecps/emails/{bid}").get_data(as_text=True)
    assert "reject-kim@example.org" in html and "550" in html
    assert re.search(r"Failed</dt><dd>1<", html)
    html = org.get("/organizer/petitions/ecps/emails").get_data(as_text=True)
    assert "Hi [first name] in ward [ward]" in html


def test_delivery_is_spread_at_the_configured_rate(blast_app, org, smtp_server):
    blast_app.config["BLAST_RATE_PER_MINUTE"] = 2
    first = blast_id(compose(org))  # Ana, Ben, Cy
    send(org, first)
    second = blast_id(compose(org, audience="chosen", wards=["1"]))
    send(org, second)
    due = [r.next_attempt_at for r in rows(blast_app)]
    gaps = [(b - a).total_seconds() for a, b in zip(due, due[1:], strict=False)]
    assert gaps == pytest.approx([30, 30, 30], abs=0.01)  # the second waits its turn
    html = org.get(f"/organizer/petitions/ecps/emails/{first}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in html and "Reload now" in html
    assert deliver(blast_app).sent == 1  # only what is due now
    assert deliver(blast_app, minutes=2).sent == 3


def test_markdown_with_names_that_look_like_markup(blast_app, org, smtp_server):
    with blast_app.app_context():
        petition = db.session.scalar(select(Petition))
        make_confirmed(petition, ward=1, ward_status=WardStatus.GEOCODED,
                       first_name="[win](https://evil.example)", last_name="<b>x</b>",
                       email="mal@example.org", opt_in=True)
    body = "Hi **{{ first_name }}** {{ last_name }}, [read more]({{ petition_url }})\n\n- one"
    bid = blast_id(compose(org, body=body, format="markdown", audience="chosen", wards=["1"]))
    send(org, bid)
    deliver(blast_app)
    [message] = smtp_server.sink.to("mal@example.org")
    html = html_of(message)
    assert "<strong>[win](https://evil.example)</strong>" in html
    assert 'href="https://evil.example"' not in html and "<b>x</b>" not in html
    assert '<a href="https://petitions.example.org/petitions/ecps">read more</a>' in html
    assert "<li>one</li>" in html
    assert "[win](https://evil.example)" in text_of(message)


@pytest.mark.parametrize("field, source", [
    ("body", "{{ config }}"), ("body", "{{ ''.__class__.__mro__ }}"), ("body", "{{ self }}"),
    ("body", "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}"),
    ("body", "{{ signature.email }}"), ("body", "{{ request.headers }}"),
    ("subject", "{{ config['SECRET_KEY'] }}"), ("subject", "{{ first_name"),
    ("body", "{{ x" + "|upper" * 3000 + " }}"),  # once a RecursionError: 500
    ("body", "{{ first_name" + "|upper" * 300 + " }}"),
])
def test_templates_that_do_not_render_are_refused_when_saved(blast_app, org, field, source):
    response = compose(org, **{field: source})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error"' in html and "test-secret" not in html
    with blast_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Blast)) == 0


def test_a_template_stored_behind_the_forms_back_never_leaks(blast_app, org, smtp_server):
    bid = blast_id(compose(org, audience="chosen", wards=["1"]))
    with blast_app.app_context():
        db.session.get(Blast, bid).body = "{{ config }}"
        db.session.commit()
    page = org.get(f"/organizer/petitions/ecps/emails/{bid}")
    assert page.status_code == 200 and "test-secret" not in page.get_data(as_text=True)
    send(org, bid)
    assert rows(blast_app) == [] and deliver(blast_app).sent == 0
    assert all("test-secret" not in m["message"].as_string() for m in smtp_server.messages)


@pytest.mark.parametrize("field, source", [("body", "{{ ward > 10 }}"),
                                           ("subject", "Hi {{ first_name + 1 }}"),
                                           ("body", "{{ signature.email }}")])
def test_an_email_that_cannot_be_filled_in_cannot_be_sent(blast_app, org, smtp_server,
                                                          field, source):
    """Stored by some other way than the form (or before a rule existed): the page says
    why and offers no Send or test button, and a POST queues nothing."""
    bid = blast_id(compose(org, audience="chosen", wards=["1"]))
    with blast_app.app_context():
        setattr(db.session.get(Blast, bid), field, source)
        db.session.commit()
    page_url = f"/organizer/petitions/ecps/emails/{bid}"
    html = org.get(page_url).get_data(as_text=True)
    assert "This email cannot be filled in" in html
    assert f"{page_url}/send" not in html and f"{page_url}/test" not in html
    for action in ("send", "test"):
        response = post(org, f"{page_url}/{action}", page_url)
        assert response.status_code == 303
        html = org.get(response.headers["Location"]).get_data(as_text=True)
        assert "This email cannot be filled in" in html, action
    assert rows(blast_app) == []
    with blast_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert db.session.get(Blast, bid).is_draft
    assert deliver(blast_app).sent == 0 and smtp_server.messages == []


def test_emails_are_for_the_petitions_organizers_only(blast_app, org):
    bid = blast_id(compose(org))
    other = blast_app.test_client()
    login(other, "other@example.org")
    for url in ("/organizer/petitions/ecps/emails", "/organizer/petitions/ecps/emails/new",
                f"/organizer/petitions/ecps/emails/{bid}",
                f"/organizer/petitions/ecps/emails/{bid}/edit"):
        assert other.get(url).status_code == 404, url
    token = form_token(other, "/organizer/")
    for action in ("send", "test"):
        response = other.post(f"/organizer/petitions/ecps/emails/{bid}/{action}",
                              data={"csrf_token": token})
        assert response.status_code == 404
    assert org.get("/organizer/petitions/ecps/emails/999").status_code == 404
    assert rows(blast_app) == []


def test_a_sent_email_cannot_be_edited(blast_app, org):
    bid = blast_id(compose(org))
    page = f"/organizer/petitions/ecps/emails/{bid}/edit"
    assert org.get(page).status_code == 200
    response = post(org, page, page, subject="Changed", body="Changed", format="text",
                    audience="all")
    assert response.status_code == 303
    send(org, bid)
    response = org.get(page)
    assert response.status_code == 303
    with blast_app.app_context():
        assert db.session.get(Blast, bid).subject == "Changed"
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action.in_(["email_create", "email_edit", "email_send"]))) == 3


@pytest.mark.parametrize("audience, districts, names", [
    ("house", ["3"], {"ana@example.org"}),
    ("senate", ["2", "7"], {"ana@example.org", "ben@example.org"}),
])
def test_signers_chosen_by_illinois_house_or_senate_district(blast_app, org, smtp_server,
                                                             audience, districts, names):
    with blast_app.app_context():
        for email, house, senate in (("Ana.Diaz@gmail.com", 3, 2), ("ben@example.org", 14, 7),
                                     ("cy@example.org", 5, 3)):
            db.session.query(Signature).filter_by(email=email).update(
                {"state_house": house, "state_senate": senate})
        db.session.commit()
    names = {"Ana.Diaz@gmail.com" if n == "ana@example.org" else n for n in names}
    response = compose(org, audience=audience, **{audience: districts})
    assert response.status_code == 303
    bid = blast_id(response)
    html = org.get(f"/organizer/petitions/ecps/emails/{bid}").get_data(as_text=True)
    assert f"{len(names)} signer" in html
    kind = "House" if audience == "house" else "Senate"
    assert f"Illinois {kind} district" in html
    edit = org.get(f"/organizer/petitions/ecps/emails/{bid}/edit").get_data(as_text=True)
    assert re.search(rf'value="{audience}"[^>]*checked|checked[^>]*value="{audience}"', edit)
    assert send(org, bid).status_code == 303
    assert {row.to_address for row in rows(blast_app)} == names


def test_a_district_that_does_not_reach_chicago_is_refused(blast_app, org):
    response = compose(org, audience="house", house=["100"])
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "&#39;100&#39; is not a valid choice for this field." in html
    assert rows(blast_app) == []
