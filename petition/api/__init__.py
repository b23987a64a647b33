"""The JSON API, version 1."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from petition.api import views  # noqa: E402,F401  (routes attach to bp)
