"""The organizer workspace, under /organizer: accounts, petitions, dashboards, exports."""

from flask import Blueprint, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from petition.extensions import db, login_manager

bp = Blueprint("organizer", __name__)

# Endpoints anyone may open; every other /organizer route needs a signed-in organizer.
PUBLIC_ENDPOINTS = {"organizer.login"}


def wants_json():
    return request.path.endswith(".json") or request.accept_mimetypes.best == "application/json"


def init_login(app):
    """Flask-Login: load organizers by id, refuse anonymous users (401 JSON or log-in page)."""
    login_manager.init_app(app)
    login_manager.login_view = "organizer.login"
    # No "remember me": the session cookie (HttpOnly, SameSite=Lax, Secure in production)
    # is the only credential; "strong" drops the session if its IP or browser changes.
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_organizer(organizer_id):
        from petition.models import Organizer

        if not str(organizer_id).isdigit():
            return None
        organizer = db.session.get(Organizer, int(organizer_id))
        if organizer is None or not organizer.active:
            return None
        return organizer

    @login_manager.unauthorized_handler
    def unauthorized():
        if wants_json():
            return jsonify({"error": _("Sign in first.")}), 401
        target = request.full_path if request.query_string else request.path
        return redirect(url_for("organizer.login", next=target))


@bp.before_request
def _require_login():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


@bp.after_request
def _no_store(response):
    # Organizer pages show signers' personal data: never keep them in a shared cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


from petition.organizer import (  # noqa: E402,F401  (routes attach to bp)
    admin_views,
    auth_views,
    blast_views,
    export_views,
    flagged_views,
    letter_views,
    petition_views,
)
