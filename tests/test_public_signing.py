"""The sign form: validation, duplicates, races and nothing half-written."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import OutboxMessage, PetitionState, Signature, WardStatus
from petition.models.base import utcnow
from tests.conftest import (
    VALID_SIGNER,
    csrf_token_from,
    deliver_mail,
    delivered_files,
    html_of,
    sign,
    text_of,
)
from tests.factories import make_petition


@pytest.fixture
def petition(app):
    # No app context stays pushed during requests: a request would reuse it and its
    # session, hiding the per-request rollback these tests are about.
    with app.app_context():
        return make_petition(slug="ecps", title="Community control now").slug


@pytest.fixture
def count(app):
    def count(model):
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(model))

    return count


@pytest.fixture
def first(app):
    def first(column):
        with app.app_context():
            return db.session.scalar(select(column).limit(1))

    return first


def test_index_lists_open_petitions_only(client, app):
    with app.app_context():
        make_petition(slug="open-one", title="Open one")
        make_petition(slug="draft-one", title="Draft one", state=PetitionState.DRAFT)
    html = client.get("/").get_data(as_text=True)
    assert "Open one" in html
    assert "Draft one" not in html


def test_petition_page_shows_text_goal_progress_and_form(client, petition):
    html = client.get("/petitions/ecps").get_data(as_text=True)
    assert "Community control now" in html
    assert "<em>full</em>" in html  # Markdown rendered
    assert 'max="100"' in html and "<progress" in html
    for name in ("first_name", "last_name", "email", "address", "zip", "phone", "opt_in",
                 "volunteer", "csrf_token"):
        assert f'name="{name}"' in html


def test_markdown_cannot_inject_markup(client, app):
    with app.app_context():
        make_petition(slug="xss", body='<script>alert(1)</script> [x](javascript:alert(1))')
    html = client.get("/petitions/xss").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert 'href="javascript:' not in html


def test_unknown_and_draft_petitions_are_404(client, app):
    with app.app_context():
        make_petition(slug="secret", state=PetitionState.DRAFT)
    assert client.get("/petitions/nope").status_code == 404
    assert client.get("/petitions/secret").status_code == 404
    assert client.post("/petitions/secret/sign", data={}).status_code == 404


def test_valid_signature_is_stored_with_its_email_in_one_transaction(client, app, petition):
    response = sign(client)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/petitions/ecps/signed")
    page = client.get("/petitions/ecps/signed").get_data(as_text=True)
    assert "Check your email" in page and "a***@example.org" in page
    with app.app_context():
        signature = db.session.scalar(select(Signature))
        message = db.session.scalar(select(OutboxMessage))
    assert signature.first_name == "Ana" and signature.last_name == "Díaz"
    assert signature.zip == "60647" and signature.phone == "(312) 555-0123"
    assert signature.opt_in is True and signature.volunteer is False
    assert signature.confirmed_at is None
    # The ward is set at sign time from the address, offline.
    assert signature.ward == 1 and signature.ward_status is WardStatus.GEOCODED
    assert signature.geocode_match in ("exact", "interpolated")
    assert 41.9 < signature.lat < 41.93 and -87.70 < signature.lon < -87.68
    assert message.to_address == "ana@example.org" and message.signature_id == signature.id
    assert message.template == "confirm_signature" and message.locale == "en"
    assert deliver_mail(app).sent == 1
    [email] = delivered_files(app)
    assert email["To"] == "ana@example.org"
    assert "Community control now" in email["Subject"]
    assert "Hello Ana," in text_of(email)
    assert "https://petitions.example.org/confirm/" in text_of(email)
    assert "https://petitions.example.org/confirm/" in html_of(email)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Enter your first name."),
        ("last_name", "   ", "Enter your last name."),
        ("email", "", "Enter your email address."),
        ("email", "not-an-email", "Enter a valid email address"),
        ("email", "ana@exa mple.org", "Enter a valid email address"),
        ("address", "", "Enter your street address."),
        ("zip", "", "Enter your ZIP code."),
        ("zip", "6064", "Enter a 5-digit ZIP code"),
        ("zip", "60647-12", "Enter a 5-digit ZIP code"),
        ("zip", "ABCDE", "Enter a 5-digit ZIP code"),
        ("phone", "call me maybe", "Enter a phone number"),
        ("phone", "12", "Enter a phone number"),
        ("first_name", "A" * 101, "Use at most 100 characters."),
        ("address", "1" * 201, "Use at most 200 characters."),
        ("email", "a" * 250 + "@x.org", "Use at most 254 characters."),
        ("first_name", "Ana\x00", "control characters"),
        ("last_name", "Díaz\nBcc: x@y.z", "control characters"),
        ("address", "1958 N Milwaukee\x1b[31m", "control characters"),
    ],
)
def test_each_validation_error_is_shown_next_to_its_field(client, petition, count, field,
                                                          value, message):
    response = sign(client, **{field: value})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error-1"' in html
    assert 'aria-invalid="true"' in html
    # Other typed values are kept.
    if field != "last_name":
        assert "Díaz" in html
    if field != "address":
        assert "1958 N Milwaukee Ave Apt 2" in html
    assert count(Signature) == 0 and count(OutboxMessage) == 0


def test_zip_plus_four_is_accepted_and_normalised(client, petition, first):
    assert sign(client, zip="60647 1234").status_code == 303
    assert first(Signature.zip) == "60647-1234"


def test_missing_csrf_token_keeps_the_typed_values(client, petition, count):
    data = dict(VALID_SIGNER)
    response = client.post("/petitions/ecps/sign", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your session expired" in html
    assert "1958 N Milwaukee Ave Apt 2" in html
    assert count(Signature) == 0


@pytest.mark.parametrize(
    "variant",
    ["ANA@example.org", "  ana@example.org ", "ana+petition@example.org", "Ana@Example.ORG"],
)
def test_same_address_again_creates_no_second_signature(client, petition, count, first,
                                                          variant):
    assert sign(client).status_code == 303
    response = sign(client, email=variant, first_name="Other")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/petitions/ecps/signed")
    assert count(Signature) == 1
    assert first(Signature.first_name) == "Ana"


def test_gmail_dots_and_tags_are_one_signer(client, petition, count):
    sign(client, email="ana.diaz@gmail.com")
    sign(client, email="AnaDiaz+ecps@googlemail.com")
    sign(client, email="a.n.a.d.i.a.z@gmail.com")
    assert count(Signature) == 1


def test_confirmation_is_resent_at_most_three_times_in_all(client, petition, count, first):
    for _ in range(5):
        assert sign(client).status_code == 303
    assert count(Signature) == 1
    assert count(OutboxMessage) == 3
    assert first(Signature.confirmation_sends) == 3


def test_closed_petition_refuses_signatures(client, app, count):
    with app.app_context():
        make_petition(slug="closed", state=PetitionState.CLOSED)
    html = client.get("/petitions/closed").get_data(as_text=True)
    assert "not accepting signatures" in html
    response = client.post("/petitions/closed/sign", data=VALID_SIGNER)
    assert response.status_code == 409
    assert count(Signature) == 0


@pytest.mark.parametrize(
    "settings",
    [{"state": PetitionState.CLOSED}, {"signing_paused": True},
     {"deadline": utcnow() - timedelta(minutes=1)}],
    ids=["closed", "paused", "past-deadline"],
)
def test_a_valid_signing_is_refused_when_the_petition_cannot_be_signed(client, app, petition,
                                                                       count, settings):
    with app.app_context():
        make_petition(slug="shut", **settings)
    # A token from an open petition's page: the form itself is valid in every way.
    token = csrf_token_from(client.get("/petitions/ecps").get_data(as_text=True))
    response = client.post("/petitions/shut/sign", data={**VALID_SIGNER, "csrf_token": token})
    assert response.status_code == 409
    assert "not accepting signatures" in response.get_data(as_text=True)
    assert count(Signature) == 0 and count(OutboxMessage) == 0


def test_a_petition_whose_deadline_is_ahead_takes_signatures(client, app, count):
    with app.app_context():
        make_petition(slug="soon", deadline=utcnow() + timedelta(days=1))
    assert sign(client, slug="soon").status_code == 303
    assert count(Signature) == 1 and count(OutboxMessage) == 1


def test_without_confirmation_a_signature_counts_at_once_and_sends_nothing(client, app, count,
                                                                         first):
    with app.app_context():
        make_petition(slug="quick", requires_confirmation=False)
    assert sign(client, slug="quick").status_code == 303
    assert count(OutboxMessage) == 0
    assert first(Signature.confirmed_at) is not None
    assert client.get("/api/v1/petitions/quick/counts").get_json()["total"] == 1


def test_a_filled_honeypot_looks_signed_and_stores_nothing(client, petition, count):
    response = sign(client, website="http://spam.example")
    assert response.status_code == 303
    assert count(Signature) == 0 and count(OutboxMessage) == 0


def test_racing_duplicates_store_one_signature(app, petition, count):
    """Several requests with one address at the same moment: one row, no error."""
    barrier = threading.Barrier(4)
    statuses = []

    def worker():
        client = app.test_client()
        page = client.get("/petitions/ecps")
        data = dict(VALID_SIGNER, csrf_token=csrf_token_from(page.get_data(as_text=True)))
        barrier.wait()
        statuses.append(client.post("/petitions/ecps/sign", data=data).status_code)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [303] * 4
    assert count(Signature) == 1
    assert 1 <= count(OutboxMessage) <= 3


def test_an_exception_after_the_inserts_leaves_nothing_half_written(client, petition, count,
                                                                    monkeypatch):
    from petition.signing import service as signing

    real_sign = signing.sign
    written = []

    def sign_then_fail(*args, **kwargs):
        assert real_sign(*args, **kwargs).result.created
        written.append((db.session.scalar(select(func.count()).select_from(Signature)),
                        db.session.scalar(select(func.count()).select_from(OutboxMessage))))
        raise RuntimeError("disk full")

    monkeypatch.setattr(signing, "sign", sign_then_fail)
    response = sign(client)
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert written == [(1, 1)]  # the signature and its email, seen by the request
    # Both were in the request's transaction, rolled back together: never one alone.
    assert (count(Signature), count(OutboxMessage)) == (0, 0)


def test_a_failed_resend_leaves_the_first_signing_as_it_was(client, petition, count, first,
                                                             monkeypatch):
    from petition.mail import outbox

    assert sign(client).status_code == 303

    def broken_enqueue(**_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(outbox, "enqueue", broken_enqueue)
    response = sign(client)  # the same email: claims a re-send, then fails to queue it
    assert response.status_code == 500
    assert count(Signature) == 1 and count(OutboxMessage) == 1
    assert first(Signature.confirmation_sends) == 1


@pytest.mark.parametrize(
    ("address", "zip_code", "status", "ward", "house", "senate"),
    [
        ("1600 Chicago Ave", "60201", WardStatus.OUTSIDE_CHICAGO, None, None, None),  # Evanston
        ("12 Nowhere Street", "60647", WardStatus.UNKNOWN, None, None, None),
        ("121 N LaSalle St", "60602", WardStatus.GEOCODED, 42, 6, 3),
    ],
)
def test_each_signature_gets_its_ward_at_sign_time(client, app, petition, address, zip_code,
                                                   status, ward, house, senate):
    # keep_address: a street that did not match is kept as typed ("did you mean" declined).
    assert sign(client, address=address, zip=zip_code, keep_address="y").status_code == 303
    with app.app_context():
        signature = db.session.scalar(select(Signature))
        assert (signature.ward_status, signature.ward) == (status, ward)
        # The Illinois House and Senate districts are recorded with the ward.
        assert (signature.state_house, signature.state_senate) == (house, senate)


def test_outside_chicago_is_refused_where_the_petition_is_for_residents(client, app, count):
    with app.app_context():
        make_petition(slug="residents", accepts_outside_chicago=False)
    response = sign(client, slug="residents", address="1600 Chicago Ave", zip="60201")
    assert response.status_code == 200
    assert "outside the city" in response.get_data(as_text=True)
    assert count(Signature) == 0
    assert sign(client, slug="residents").status_code == 303


@pytest.mark.parametrize(
    ("address", "zip_code", "expected"),
    [
        ("1958 N Milwaukee Ave Apt 2", "60647", ["Your alder", "Daniel La Spata", "Ward 1",
                                                 "Police district", "Your State Representative",
                                                 "Eva-Dina Delgado", "Your State Senator",
                                                 "Omar Aquino"]),
        ("1600 Chicago Ave", "60201", ["outside Chicago", "Choose your ward"]),
        ("12 Nowhere Street", "60647", ["could not find your ward", "Choose your ward"]),
    ],
)
def test_the_page_after_signing_shows_the_signers_alder(rosters, address, zip_code, expected):
    with rosters.app_context():
        make_petition(slug="ecps")
    client = rosters.test_client()
    assert sign(client, address=address, zip=zip_code, keep_address="y").status_code == 303
    html = client.get("/petitions/ecps/signed").get_data(as_text=True)
    for text in expected:
        assert text in html, text
    assert "<svg" in html  # a ward map, or the city map to choose from


def test_a_connection_lost_before_the_signing_statement_is_a_503_and_the_next_signing_works(
        backend, make_app, tmp_path, request, count):
    # The PostgreSQL one-statement signing talks to the pooled driver connection directly:
    # a connection the server dropped must still be answered "try again" and replaced.
    if backend != "postgresql":
        pytest.skip("the one-statement signing runs outside the session on PostgreSQL only")
    from sqlalchemy import create_engine, text

    from tests.conftest import _database_config, pg_url

    options = _database_config(backend, tmp_path, request)["SQLALCHEMY_ENGINE_OPTIONS"]
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS={**options, "pool_pre_ping": False,
                                              "pool_size": 2, "max_overflow": 0})
    with app.app_context():
        make_petition(slug="ecps")
        db.session.remove()
    client = app.test_client()
    page = client.get("/petitions/ecps")
    data = dict(VALID_SIGNER, csrf_token=csrf_token_from(page.get_data(as_text=True)))
    with app.app_context(), db.engine.connect() as one, db.engine.connect() as two:
        # Both go back to the pool: as after a database restart, every pooled one is dead.
        pids = [c.scalar(text("SELECT pg_backend_pid()")) for c in (one, two)]
    admin = create_engine(pg_url())
    with admin.begin() as conn:
        for pid in pids:
            assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()

    response = client.post("/petitions/ecps/sign", data=data)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert count(Signature) == 0

    assert client.post("/petitions/ecps/sign", data=data).status_code == 303
    assert (count(Signature), count(OutboxMessage)) == (1, 1)
