"""Blueprints of the organizer workspace (under /organizer): signed-in organizers only."""

from flask import Blueprint, current_app, request
from flask_login import current_user

from petition.extensions import login_manager

WORKSPACE_PREFIX = "/organizer"


def workspace_blueprint(name, import_name):
    """A blueprint under /organizer whose every route needs a signed-in organizer, unless
    its view is marked `open_to_everyone` (the log-in page)."""
    blueprint = Blueprint(name, import_name, url_prefix=WORKSPACE_PREFIX)
    blueprint.before_request(_require_login)
    blueprint.after_request(_no_store)
    return blueprint


def open_to_everyone(view):
    """Mark a workspace view that needs no signed-in organizer."""
    view.open_to_everyone = True
    return view


def _require_login():
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "open_to_everyone", False) or current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


def _no_store(response):
    # Organizer pages show signers' personal data: never keep them in a shared cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response
