"""Configuration from the environment."""

import pytest
from sqlalchemy import text

from petition import create_app
from petition.config import ConfigError, database_uri, finalize, from_environ
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
    for needle in ("APP_ENV must be production", "MAIL_SERVER", "too short"):
        assert needle in result.output
    assert ("PostgreSQL" in result.output) == (backend == "sqlite")


def test_check_config_accepts_a_production_setup(tmp_path):
    from petition.config import production_problems

    assert production_problems({
        "APP_ENV": "production",
        "SECRET_KEY": "k" * 48,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://app@db/petitions",
        "MAIL_SERVER": "smtp.example.org",
        "MAIL_DEFAULT_SENDER": "petitions@example.org",
        "PUBLIC_URL": "https://sign.example.org",
    }) == []
    short = production_problems({"APP_ENV": "production", "SECRET_KEY": "short"})
    assert any("too short" in p for p in short)
