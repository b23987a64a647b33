"""Petition platform: the application factory."""

import os

from flask import Flask

from petition import cli
from petition import config as config_module
from petition.about import views as about_views
from petition.blasts import organizer_views as blast_admin_views
from petition.blasts import unsubscribe_views
from petition.database import init_request_sessions, init_sqlite
from petition.extensions import babel, csrf, db, limiter, mail, migrate
from petition.imports import views as import_views
from petition.letters import organizer_views as letter_admin_views
from petition.letters import reply_views as letter_reply_views
from petition.letters import views as letter_views
from petition.lookup import api as lookup_api
from petition.lookup import views as lookup_views
from petition.mail import devmail
from petition.maps import ward_maps
from petition.organizer import admin_views, auth_views, export_views, invalidation_views
from petition.paper import views as paper_views
from petition.petitions import api as petitions_api
from petition.petitions import organizer_views as petition_admin_views
from petition.petitions import views as petition_views
from petition.signing import flagged_views, ward_views
from petition.signing import views as signing_views
from petition.stances import call_views
from petition.stances import organizer_views as stance_admin_views
from petition.stances import views as scoreboard_views
from petition.web import converters, errors, i18n, security, sessions, templating, uploads

# Every page and API route, by feature.
BLUEPRINTS = (
    petition_views.bp, petitions_api.bp, petition_admin_views.bp,
    signing_views.bp, ward_views.bp, flagged_views.bp,
    lookup_views.bp, lookup_api.bp,
    letter_views.bp, letter_admin_views.bp, letter_reply_views.bp,
    unsubscribe_views.bp, blast_admin_views.bp,
    auth_views.bp, admin_views.bp, export_views.bp, invalidation_views.bp, paper_views.bp,
    import_views.bp,
    stance_admin_views.bp, scoreboard_views.bp, call_views.bp, about_views.bp, i18n.bp,
)


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
    uploads.init_app(app)  # before CSRF protection, which reads the request's body
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=i18n.locale_for_babel)
    limiter.init_app(app)
    auth_views.init_login(app)
    init_sqlite(app)
    converters.init_app(app)

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    if app.config["APP_ENV"] == "development":
        app.register_blueprint(devmail.bp, url_prefix="/dev")
    errors.init_app(app)
    security.init_app(app)
    sessions.init_app(app)
    templating.init_app(app)
    ward_maps.init_app(app)
    cli.init_app(app)
    # Last, so that its after_request runs first and the others add headers to its 503.
    init_request_sessions(app)
    return app

