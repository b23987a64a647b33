"""Organizer accounts: log-in, log-out, throttling, password hashing, who may see what."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import LoginThrottle, Organizer
from petition.models.base import utcnow
from petition.organizer import accounts, passwords
from petition.web.forms import FieldError
from tests.conftest import ORGANIZER_PASSWORD, csrf_token_from, login
from tests.factories import make_organizer, make_petition

ROUTE_ARGS = {"slug": "ecps", "ward": 1, "organizer_id": 1, "batch_id": 1, "blast_id": 1,
              "district": 1, "token": "a" * 32}


def _concrete(rule):
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:\w+:)?{name}>", str(ROUTE_ARGS[name]), url)
    return url


def test_every_organizer_route_refuses_anonymous_users(app, client):
    with app.app_context():
        make_petition(slug="ecps")
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/organizer/")]
    assert len(rules) > 15
    checked = 0
    for rule in rules:
        if rule.endpoint == "auth.login":
            continue
        url = _concrete(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            checked += 1
            if url.endswith(".json"):
                assert response.status_code == 401, url
                assert response.get_json()["error"]
            elif method == "POST":
                # CSRF refuses a bare POST first; with or without it, nothing is done.
                assert response.status_code in (302, 400), (method, url)
            else:
                assert response.status_code == 302, url
                assert "/organizer/login" in response.headers["Location"], url
    assert checked > 15


def test_posts_with_a_valid_csrf_token_still_need_a_login(app, client):
    with app.app_context():
        make_petition(slug="ecps")
    token = csrf_token_from(client.get("/organizer/login").get_data(as_text=True))
    for url in ["/organizer/petitions/new", "/organizer/petitions/ecps/state",
                "/organizer/petitions/ecps/invalidate", "/organizer/admin/organizers"]:
        response = client.post(url, data={"csrf_token": token, "state": "closed"})
        assert response.status_code == 302 and "/organizer/login" in response.headers["Location"]


def test_login_and_logout(app, client):
    with app.app_context():
        make_organizer("Ana@Example.org")
    response = login(client, " ANA@example.org ", next_url="/organizer/admin/audit")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/organizer/admin/audit")
    page = client.get("/organizer/")
    assert page.status_code == 200 and "ana@example.org" in page.get_data(as_text=True)
    assert "no-store" in page.headers["Cache-Control"]
    token = csrf_token_from(page.get_data(as_text=True))
    assert client.get("/organizer/logout").status_code == 405  # logging out is a POST
    response = client.post("/organizer/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/organizer/").status_code == 302


def test_login_refuses_wrong_password_and_unknown_email_alike(app, client):
    with app.app_context():
        make_organizer("ana@example.org")
    wrong = login(client, "ana@example.org", "not the password at all")
    unknown = login(client, "nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert "do not match" in wrong.get_data(as_text=True)
    assert "do not match" in unknown.get_data(as_text=True)
    assert client.get("/organizer/").status_code == 302


def test_login_form_errors_are_not_500(client):
    token = csrf_token_from(client.get("/organizer/login").get_data(as_text=True))
    response = client.post("/organizer/login", data={"csrf_token": token, "email": ""})
    assert response.status_code == 400
    assert "Enter your email address" in response.get_data(as_text=True)
    assert client.post("/organizer/login", data={"email": "a@b.c"}).status_code == 400


def test_open_redirects_are_refused(app, client):
    with app.app_context():
        make_organizer("ana@example.org")
    response = login(client, "ana@example.org", next_url="//evil.example/organizer")
    assert response.headers["Location"].endswith("/organizer/")


@pytest.mark.parametrize("target", [
    "/organizer\n//evil.example", "/organizer\r\n//evil.example", "/organizer\t//evil.example",
    "/organizer/\x7f", "/organizer/\x85x", "/organizer/\u2028//evil.example",
    "/organizer/\u200b", "/organizer\\evil.example", "/organizer/\\\\evil.example",
    " /organizer/", "https://evil.example/organizer/", "//evil.example/organizer/",
    "/organizer@evil.example", "organizer/", "/petitions/ecps", "",
])
def test_a_next_that_is_not_a_plain_organizer_path_goes_to_the_default_page(app, client,
                                                                             target):
    with app.app_context():
        make_organizer("ana@example.org")
    page = client.get("/organizer/login")
    response = client.post("/organizer/login", query_string={"next": target}, data={
        "email": "ana@example.org", "password": ORGANIZER_PASSWORD,
        "csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert response.status_code == 303
    assert response.headers["Location"] == "/organizer/"
    assert client.get("/organizer/").status_code == 200  # signed in all the same


def test_a_plain_next_with_a_query_is_kept(app, client):
    with app.app_context():
        make_organizer("ana@example.org")
    response = login(client, "ana@example.org", next_url="/organizer/admin/audit%3Fbefore%3D5")
    assert response.headers["Location"] == "/organizer/admin/audit?before=5"


def test_session_cookie_flags_and_no_remember_cookie(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    with app.app_context():
        make_organizer("ana@example.org")
    client = app.test_client()
    response = login(client, "ana@example.org")
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = [c for c in cookies if c.startswith("session=")][0]
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "Secure" in session_cookie
    assert not [c for c in cookies if c.startswith("remember_token")]
    assert app.config["REMEMBER_COOKIE_HTTPONLY"]
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_deactivated_organizer_is_signed_out(app, client):
    with app.app_context():
        organizer = make_organizer("ana@example.org")
        organizer_id = organizer.id
    login(client, "ana@example.org")
    assert client.get("/organizer/").status_code == 200
    with app.app_context():
        db.session.get(Organizer, organizer_id).active = False
        db.session.commit()
    assert client.get("/organizer/").status_code == 302
    assert login(client, "ana@example.org").status_code == 401


def test_passwords_are_hashed_with_argon2id(ctx):
    organizer = make_organizer("ana@example.org", password="a long enough password")
    assert organizer.password_hash.startswith("$argon2id$")
    assert "a long enough password" not in organizer.password_hash
    assert passwords.verify_password(organizer.password_hash, "a long enough password")
    assert not passwords.verify_password(organizer.password_hash, "a long enough passwore")
    assert not passwords.verify_password("not a hash", "x")


def test_login_upgrades_hashes_made_with_older_costs(make_app):
    app = make_app()
    with app.app_context():
        organizer = make_organizer("ana@example.org")
        old = organizer.password_hash
        app.config["ARGON2_TIME_COST"] = 2
        result = accounts.authenticate("ana@example.org", ORGANIZER_PASSWORD)
        db.session.commit()
        assert result.organizer is not None
        assert result.organizer.password_hash != old and "t=2" in result.organizer.password_hash


def test_weak_or_duplicate_accounts_are_refused(ctx):
    with pytest.raises(FieldError, match="at least 12"):
        accounts.create_organizer("ana@example.org", "short")
    with pytest.raises(FieldError, match="valid email"):
        accounts.create_organizer("not an email", "a long enough password")
    accounts.create_organizer("ana@example.org", "a long enough password")
    db.session.commit()
    with pytest.raises(FieldError, match="already an account"):
        accounts.create_organizer("ANA@example.org", "a long enough password")


def test_failures_per_account_bring_short_growing_delays_not_a_lockout(ctx):
    make_organizer("ana@example.org")
    start = utcnow()

    def attempt(password, seconds):
        return accounts.authenticate("ana@example.org", password, free_failures=3,
                                     max_delay=60, now=start + timedelta(seconds=seconds))

    for i in range(3):  # free failures
        result = attempt("wrong password!", i)
        assert result.organizer is None and result.wait_seconds == 0
    # The third failure (at t=2) asks for 1 s: right away even the right password waits...
    assert attempt(ORGANIZER_PASSWORD, 2.5).wait_seconds == 1
    # ... and a refused attempt does not count as a failure.
    assert db.session.get(LoginThrottle, accounts.throttle_key("ana@example.org")).failures == 3
    assert attempt("wrong password!", 3).wait_seconds == 0  # 4th failure: now 2 s
    assert attempt(ORGANIZER_PASSWORD, 4).wait_seconds == 1
    for seconds in (5, 9, 17, 33, 65, 129):  # failures 5..10 at the end of each delay
        assert attempt("wrong password!", seconds).wait_seconds == 0
    # The delay is capped at 60 s: the real organizer waits at most a minute.
    assert attempt(ORGANIZER_PASSWORD, 130).wait_seconds == 59
    result = attempt(ORGANIZER_PASSWORD, 190)
    assert result.organizer is not None
    assert db.session.get(LoginThrottle, accounts.throttle_key("ana@example.org")) is None


def test_unknown_addresses_are_throttled_the_same_way(ctx):
    start = utcnow()
    for _ in range(3):
        accounts.authenticate("ghost@example.org", "wrong password!", now=start)
    result = accounts.authenticate("ghost@example.org", "x", now=start)
    assert result.organizer is None and result.wait_seconds == 1
    stored = db.session.scalars(select(LoginThrottle.key)).all()
    assert "ghost" not in "".join(stored)  # only a hash of the address is kept


def test_throttled_login_page_says_how_long_to_wait(make_app):
    app = make_app(LOGIN_FREE_FAILURES=1, LOGIN_RATE_LIMIT="1000 per minute")
    with app.app_context():
        make_organizer("ana@example.org")
    client = app.test_client()
    assert login(client, "ana@example.org", "wrong password!").status_code == 401
    response = login(client, "ana@example.org")  # right password, but within the delay
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert "Wait" in response.get_data(as_text=True)


def test_login_posts_are_rate_limited_per_ip(make_app):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [login(client, f"user{i}@example.org", "wrong password!").status_code
             for i in range(5)]
    assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429]
    # Reading the form is not limited.
    assert client.get("/organizer/login").status_code == 200


def test_rate_limits_can_live_in_redis(make_app):
    import os

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    app = make_app(RATELIMIT_STORAGE_URI=url, LOGIN_RATE_LIMIT="2 per minute")
    from petition.extensions import limiter

    limiter.reset()
    assert type(limiter.storage).__name__.lower().startswith("redis")
    client = app.test_client()
    codes = [login(client, "a@example.org", "wrong password!").status_code for _ in range(3)]
    assert codes == [401, 401, 429]
    limiter.reset()


def test_organizer_sees_only_assigned_petitions(app, client):
    with app.app_context():
        mine = make_petition(slug="mine", title="Mine")
        make_petition(slug="theirs", title="Theirs")
        make_organizer("ana@example.org", petitions=[mine])
    login(client, "ana@example.org")
    page = client.get("/organizer/").get_data(as_text=True)
    assert "Mine" in page and "Theirs" not in page
    assert client.get("/organizer/petitions/mine").status_code == 200
    for url in ["/organizer/petitions/theirs", "/organizer/petitions/theirs/export.csv",
                "/organizer/petitions/theirs/export.zip", "/organizer/petitions/theirs/edit",
                "/organizer/petitions/theirs/wards/3/packet",
                "/organizer/petitions/theirs/wards.json"]:
        assert client.get(url).status_code == 404, url
    # Admin pages are for admins.
    assert client.get("/organizer/admin/audit").status_code == 403
    assert client.get("/organizer/admin/organizers").status_code == 403
    assert client.get("/organizer/petitions/mine/invalidate").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organizer)) == 1


def test_hostile_slugs_in_organizer_urls_are_404_not_500(app, client):
    with app.app_context():
        make_organizer("boss@example.org", is_admin=True)
    login(client, "boss@example.org")
    for slug in ["a%00b", "%00", "x" * 200, "UPPER", "..%2F..", "%C0%AF"]:
        for suffix in ("", "/export.csv", "/wards/1/packet", "/wards.json", "/edit"):
            response = client.get(f"/organizer/petitions/{slug}{suffix}")
            assert response.status_code == 404, (slug, suffix)
