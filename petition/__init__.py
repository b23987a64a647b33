"""Petition platform: the application factory."""

import os

from flask import Flask

from petition import config as config_module
from petition.extensions import babel, csrf, db, limiter, mail, migrate


def create_app(config=None):
    """Create the app; `config` is a dict of overrides (tests use it)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    settings = config_module.from_environ(os.environ, app.instance_path)
    settings.update(config or {})
    app.config.update(config_module.finalize(settings))
    os.makedirs(app.instance_path, exist_ok=True)
    app.json.sort_keys = False  # keep wards in order 1..50

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    limiter.init_app(app)
    _configure_database(app)

    from petition import api, cli, errors, i18n, organizer, public, security, sessions, templating

    app.register_blueprint(public.bp)
    app.register_blueprint(i18n.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    organizer.init_login(app)
    app.register_blueprint(organizer.bp, url_prefix="/organizer")
    if app.config["APP_ENV"] == "development":
        from petition import devmail

        app.register_blueprint(devmail.bp, url_prefix="/dev")
    errors.init_app(app)
    security.init_app(app)
    sessions.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    return app


def _select_locale():
    from flask import has_request_context

    from petition import i18n

    if not has_request_context():  # CLI commands and workers (e.g. `flask organizer create`)
        return i18n.locale_object(i18n.DEFAULT)
    return i18n.locale_object(i18n.select_locale())


def _configure_database(app):
    from petition import sqlite

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        for engine in db.engines.values():
            sqlite.configure_engine(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @app.before_request
    def _mark_read_only():
        from flask import g, request

        view = app.view_functions.get(request.endpoint)
        if request.method in ("GET", "HEAD", "OPTIONS") and not getattr(
            view, "sqlite_writes_on_get", False
        ):
            g.sqlite_write_token = sqlite.write_intent.set(False)

    @app.teardown_request
    def _reset_write_intent(_exc):
        from flask import g

        token = g.pop("sqlite_write_token", None)
        if token is not None:
            sqlite.write_intent.reset(token)
