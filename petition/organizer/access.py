"""Who may do what in the workspace."""

from functools import wraps

from flask import abort, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from petition.organizer import accounts
from petition.web.errors import wants_json


def admin_required(view):
    """Admins only: 403 for other organizers."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            if wants_json():
                return jsonify({"error": _("Only administrators can do this.")}), 403
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def managed_petition_or_404(slug):
    """The petition if the signed-in organizer runs it; 404 otherwise (a petition they do not
    run is not shown to exist)."""
    petition = accounts.managed_petition(current_user, slug)
    if petition is None:
        abort(404)
    return petition
