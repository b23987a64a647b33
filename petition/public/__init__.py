"""Public pages: petitions, signing and confirmation, Find my alder, letters to alders,
unsubscribing."""

from flask import Blueprint

bp = Blueprint("public", __name__)

# Routes attach to bp.
from petition.public import (  # noqa: E402,F401
    letter_views,
    lookup_views,
    unsubscribe_views,
    views,
    ward_views,
)
