"""The JSON API, version 1."""

from flask import Blueprint

bp = Blueprint("api", __name__)

# Routes attach to bp.
from petition.api import lookup, views  # noqa: E402,F401
