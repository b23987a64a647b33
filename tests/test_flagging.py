"""Per-IP limits: over them a signature is kept but not counted until organizers approve it;
the look-up answers 429; limits are shared through Redis across processes and servers."""

import os
import re

import pytest
from sqlalchemy import func, select

from petition.config import ConfigError
from petition.extensions import db
from petition.models import Signature
from tests.conftest import (
    VALID_SIGNER,
    csrf_token_from,
    deliver_mail,
    delivered_files,
    form_token,
    login,
    text_of,
)
from tests.factories import make_organizer, make_petition

LIMITS = "2 per minute;3 per hour"
CONFIRM = re.compile(r"https://petitions\.example\.org(/confirm/[A-Za-z0-9_.\-]+)")


def sign_from(client, ip, n):
    page = client.get("/petitions/ecps", environ_base={"REMOTE_ADDR": ip})
    data = dict(VALID_SIGNER, email=f"s{n}-{ip}@example.org",
                csrf_token=csrf_token_from(page.get_data(as_text=True)))
    response = client.post("/petitions/ecps/sign", data=data, environ_base={"REMOTE_ADDR": ip})
    assert response.status_code == 303
    return data["email"]


def set_aside(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Signature).where(
            Signature.invalidated_at.is_not(None)))


@pytest.fixture
def limited(make_app):
    app = make_app(SIGN_RATE_LIMIT=LIMITS)
    with app.app_context():
        petition = make_petition(slug="ecps")
        make_organizer("org@example.org", petitions=[petition])
        make_organizer("other@example.org")
    return app


def test_signatures_over_the_burst_are_kept_but_set_aside(limited):
    client = limited.test_client()
    emails = [sign_from(client, "198.51.100.7", n) for n in range(4)]
    with limited.app_context():
        assert db.session.scalar(select(func.count()).select_from(Signature)) == 4
    assert set_aside(limited) == 2
    # Another address is not affected.
    sign_from(client, "203.0.113.50", 9)
    assert set_aside(limited) == 2
    # A flagged signer gets the same pages and email, and can confirm...
    deliver_mail(limited)
    message = [m for m in delivered_files(limited) if m["To"] == emails[3]][0]
    path = CONFIRM.search(text_of(message)).group(1)
    page = client.get(path)
    client.post(path, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})
    # ...but the confirmation does not count until an organizer approves it.
    assert client.get("/api/v1/petitions/ecps/counts").get_json()["total"] == 0


def test_organizers_review_and_approve_flagged_signatures(limited):
    client = limited.test_client()
    emails = [sign_from(client, "198.51.100.7", n) for n in range(4)]
    deliver_mail(limited)
    for email in emails:  # everyone confirms
        message = [m for m in delivered_files(limited) if m["To"] == email][0]
        path = CONFIRM.search(text_of(message)).group(1)
        page = client.get(path)
        client.post(path, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert client.get("/api/v1/petitions/ecps/counts").get_json()["total"] == 2

    organizer = limited.test_client()
    login(organizer, "org@example.org")
    html = organizer.get("/organizer/petitions/ecps/flagged").get_data(as_text=True)
    assert "198.51.100.7" in html and emails[2] in html and emails[3] in html
    assert emails[0] not in html
    with limited.app_context():
        flagged_id = db.session.scalar(select(Signature.id).where(Signature.email == emails[2]))
    response = organizer.post("/organizer/petitions/ecps/flagged", data={
        "csrf_token": form_token(organizer, "/organizer/petitions/ecps/flagged"),
        "signature_id": [str(flagged_id)]})
    assert response.status_code == 302
    assert client.get("/api/v1/petitions/ecps/counts").get_json()["total"] == 3
    assert set_aside(limited) == 1
    # Approving again changes nothing.
    organizer.post("/organizer/petitions/ecps/flagged", data={
        "csrf_token": form_token(organizer, "/organizer/petitions/ecps/flagged"),
        "signature_id": [str(flagged_id)]})
    assert client.get("/api/v1/petitions/ecps/counts").get_json()["total"] == 3


def test_review_is_for_the_petitions_organizers_only(limited):
    stranger = limited.test_client()
    assert stranger.get("/organizer/petitions/ecps/flagged").status_code == 302  # log in
    login(stranger, "other@example.org")
    assert stranger.get("/organizer/petitions/ecps/flagged").status_code == 404
    assert stranger.post("/organizer/petitions/ecps/flagged",
                         data={"signature_id": ["1"]}).status_code in (400, 404)


def test_lookup_over_its_limit_is_a_clear_429(make_app):
    app = make_app(LOOKUP_RATE_LIMIT="2 per minute")
    client = app.test_client()
    for _ in range(2):
        assert client.get("/api/v1/lookup?address=121 N LaSalle St").status_code == 200
    api = client.get("/api/v1/lookup?address=121 N LaSalle St")
    assert api.status_code == 429 and "error" in api.get_json()
    assert "Retry-After" in api.headers
    page = client.get("/lookup?address=121 N LaSalle St")  # the page shares the budget
    assert page.status_code == 429
    assert "Too many requests" in page.get_data(as_text=True)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_limits_are_shared_between_processes_through_redis(make_app):
    import redis

    url = os.environ["REDIS_URL"]
    redis.Redis.from_url(url).flushdb()
    first = make_app(SIGN_RATE_LIMIT=LIMITS, RATELIMIT_STORAGE_URI=url)
    second = make_app(SIGN_RATE_LIMIT=LIMITS, RATELIMIT_STORAGE_URI=url)
    with first.app_context():
        make_petition(slug="ecps")
    sign_from(first.test_client(), "198.51.100.7", 1)
    sign_from(first.test_client(), "198.51.100.7", 2)
    sign_from(second.test_client(), "198.51.100.7", 3)  # another "server", same budget
    assert set_aside(second) == 1


def test_limits_switched_off_sign_without_flagging_or_errors(make_app, caplog):
    app = make_app(SIGN_RATE_LIMIT=LIMITS, RATELIMIT_ENABLED=False)
    with app.app_context():
        make_petition(slug="ecps")
    client = app.test_client()
    with caplog.at_level("WARNING"):
        for n in range(4):
            sign_from(client, "198.51.100.8", n)
    assert set_aside(app) == 0
    assert not [r for r in caplog.records if "rate limit" in r.getMessage()]


def test_a_malformed_signing_limit_is_refused_at_start(make_app):
    with pytest.raises(ConfigError, match="SIGN_RATE_LIMIT"):
        make_app(SIGN_RATE_LIMIT="five a minute")
