"""Configuration from the environment."""

import re
import secrets
from pathlib import Path

import pytest
from sqlalchemy import text

from petition import create_app
from petition.config import (
    KNOWN_SAMPLE_KEYS,
    ConfigError,
    database_uri,
    finalize,
    from_environ,
    production_problems,
)
from petition.extensions import db


def test_production_refuses_to_start_without_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"APP_ENV": "production", "SECRET_KEY": None,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_is_the_default(monkeypatch):
    settings = from_environ({}, "/tmp/instance")
    assert settings["APP_ENV"] == "production"
    assert settings["SESSION_COOKIE_SECURE"] is True
    with pytest.raises(ConfigError):
        finalize(settings)


def test_development_gets_a_throwaway_key():
    settings = finalize(from_environ({"APP_ENV": "development"}, "/tmp/instance"))
    assert settings["SECRET_KEY"]
    assert settings["SESSION_COOKIE_SECURE"] is False


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError, match="APP_ENV"):
        finalize(from_environ({"APP_ENV": "staging", "SECRET_KEY": "x"}, "/tmp"))


def test_bad_numbers_are_refused_clearly():
    with pytest.raises(ConfigError, match="MAIL_PORT"):
        from_environ({"MAIL_PORT": "twenty-five"}, "/tmp")


def test_environment_values_are_read():
    settings = from_environ(
        {"PUBLIC_URL": "https://sign.example.org/", "MAIL_SERVER": "smtp.example.org",
         "MAIL_PORT": "587", "MAIL_DEFAULT_SENDER": "x@example.org"},
        "/tmp",
    )
    assert settings["PUBLIC_URL"] == "https://sign.example.org"
    assert settings["MAIL_SERVER"] == "smtp.example.org" and settings["MAIL_PORT"] == 587
    assert settings["MAIL_DEFAULT_SENDER"] == "x@example.org"


@pytest.mark.parametrize(
    ("url", "uri"),
    [
        (None, "sqlite:////srv/instance/petition.db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_url(url, uri):
    assert database_uri(url, "/srv/instance") == uri


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path):
    app = create_app({"APP_ENV": "testing", "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
                      "SQLITE_BUSY_TIMEOUT_MS": 12345})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 12345
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_get_requests_read_without_the_write_lock_unless_marked(tmp_path):
    """A GET must not queue behind writers on SQLite; a marked GET that writes must."""
    from petition import database

    app = create_app({"APP_ENV": "testing", "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    seen = {}

    @app.get("/probe-read")
    def probe_read():
        seen["read"] = database.write_intent.get()
        return "ok"

    @app.get("/probe-write")
    @database.writes_on_get
    def probe_write():
        seen["write"] = database.write_intent.get()
        return "ok"

    @app.post("/probe-post")
    def probe_post():
        seen["post"] = database.write_intent.get()
        return "ok"

    client = app.test_client()
    client.get("/probe-read")
    client.get("/probe-write")
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/probe-post")
    assert seen == {"read": False, "write": True, "post": True}


def test_check_config_refuses_development_defaults(app, backend):
    result = app.test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 1
    for needle in ("APP_ENV must be production", "MAIL_SERVER", "SECRET_KEY is a sample"):
        assert needle in result.output
    assert ("PostgreSQL" in result.output) == (backend == "sqlite")


def test_check_config_accepts_a_production_setup(tmp_path):
    assert production_problems({
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://app@db/petitions",
        "MAIL_SERVER": "smtp.example.org",
        "MAIL_DEFAULT_SENDER": "petitions@example.org",
        "PUBLIC_URL": "https://sign.example.org",
    }) == []
    short = production_problems({"APP_ENV": "production", "SECRET_KEY": "short"})
    assert any("too short" in p for p in short)


EXAMPLE_ENV = Path(__file__).resolve().parent.parent / "deploy" / "petition.env.example"
WEAK_KEYS = [
    "short",
    "dev-only-not-secret",
    "change-me-to-64-random-characters-from-python-secrets-token-urlsafe",
    "x" * 64,
    "abcdefghijklmnopqrstuvwxyz0123456789",
    "0123456789abcdef" * 4,
    "ab" * 32,
    "my-super-secret-key-for-the-ecps-petition-site",
    "test-secret-" + "x" * 32,
]


@pytest.mark.parametrize("key", WEAK_KEYS)
def test_production_refuses_to_start_with_a_weak_or_sample_key(tmp_path, key):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"APP_ENV": "production", "SECRET_KEY": key,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert any("SECRET_KEY" in p for p in production_problems(
        {"APP_ENV": "production", "SECRET_KEY": key}))


def test_a_weak_fallback_key_is_refused_too(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"APP_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
                    "SECRET_KEY_FALLBACKS": ["dev-only-not-secret"],
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


@pytest.mark.parametrize("make_key", [lambda: secrets.token_urlsafe(48),
                                      lambda: secrets.token_hex(32),
                                      lambda: secrets.token_hex(16)])
def test_production_starts_with_a_random_key(tmp_path, make_key):
    for _ in range(50):
        key = make_key()
        app = create_app({"APP_ENV": "production", "SECRET_KEY": key,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
        assert app.secret_key == key
        assert not any("SECRET_KEY" in p for p in production_problems(app.config))


def test_the_sample_env_file_holds_no_usable_key(tmp_path):
    values = dict(re.findall(r"^([A-Z_]+)=(.*)$", EXAMPLE_ENV.read_text(), re.M))
    assert "SECRET_KEY" in values
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        finalize(from_environ(values, str(tmp_path)))
    assert not any(key in EXAMPLE_ENV.read_text() for key in KNOWN_SAMPLE_KEYS)


def test_check_config_refuses_the_sample_key(make_app):
    app = make_app(SECRET_KEY="change-me-to-64-random-characters-from-python-secrets-token-urlsafe")
    result = app.test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 1
    assert "SECRET_KEY is a sample or placeholder" in result.output
