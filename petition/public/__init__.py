"""Public pages: petitions, signing and confirmation, Find my alder."""

from flask import Blueprint

bp = Blueprint("public", __name__)

# Routes attach to bp.
from petition.public import lookup_views, views, ward_views  # noqa: E402,F401
