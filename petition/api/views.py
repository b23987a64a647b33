"""JSON endpoints."""

from flask import jsonify

from petition.api import bp
from petition.services import counts, petitions


def error(message, status):
    """A JSON error response."""
    return jsonify({"error": message}), status


@bp.get("/petitions/<slug>/counts")
def petition_counts(slug):
    petition = petitions.public_petition(slug)
    if petition is None:
        return error(f"No petition with the slug {slug[:80]!r}.", 404)
    return jsonify(counts.petition_counts(petition))
