"""Two app servers against one PostgreSQL and one Redis: shared limits, exact counts."""

import os

import pytest
import redis

from tests.servers import Browser, Gunicorn, app_env, migrate, open_petition, scratch_database
from tests.test_faults import query


@pytest.fixture
def two_servers(tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set, so the shared-limits run is skipped")
    url, drop = scratch_database("postgresql", tmp_path)
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    env = app_env(DATABASE_URL=url, RATELIMIT_STORAGE_URI=os.environ["REDIS_URL"],
                  SIGN_RATE_LIMIT="3 per minute;10 per hour", TRUSTED_PROXIES=1)
    migrate(env)
    open_petition(env, requires_confirmation=False)
    servers = []
    try:
        servers = [Gunicorn(env, workers=2), Gunicorn(env, workers=2)]
        yield url, servers
    finally:
        for server in servers:
            server.stop()
        drop()


def test_two_servers_share_rate_limits_and_counts(two_servers):
    url, (first, second) = two_servers
    # One client IP (as the proxy in front reports it) alternating between the servers.
    same_ip = {"X-Forwarded-For": "198.51.100.23"}
    browsers = [Browser(first.url, same_ip), Browser(second.url, same_ip)]
    tokens = [b.csrf_token() for b in browsers]
    for i in range(6):
        status, _ = browsers[i % 2].sign(tokens[i % 2], f"same-ip-{i}@example.org")
        assert status == 303
    # The limit is 3 a minute for this IP, counted across both servers: 3 are set aside.
    assert query(url, "SELECT count(*) FROM signatures WHERE invalidated_at IS NOT NULL") == 3

    # Many different people through both servers: every one counted exactly once.
    for n in range(60):
        browser = Browser((first, second)[n % 2].url, {"X-Forwarded-For": f"203.0.113.{n}"})
        assert browser.sign(browser.csrf_token(), f"person-{n}@example.org")[0] == 303
    assert query(url, "SELECT count(*) FROM signatures") == 66
    total = Browser(first.url).request("/api/v1/petitions/ecps/counts")[1]
    import json

    assert json.loads(total)["total"] == 63  # 66 stored, 3 waiting for review
    assert json.loads(Browser(second.url).request("/api/v1/petitions/ecps/counts")[1])[
        "total"] == 63
