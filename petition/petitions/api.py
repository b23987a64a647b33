"""JSON endpoints."""

import hashlib

from flask import Blueprint, current_app, jsonify, request

from petition.petitions import counts, district_counts
from petition.petitions.loaders import public_petition

bp = Blueprint("petitions_api", __name__, url_prefix="/api/v1")


def error(message, status):
    """A JSON error response."""
    return jsonify({"error": message}), status


@bp.get("/petitions/<slug>/counts")
def petition_counts(slug):
    petition = public_petition(slug)
    if petition is None:
        return error(f"No petition with the slug {slug[:80]!r}.", 404)
    data = district_counts.public_counts(petition)
    response = jsonify(data)
    # Short public caching: CDNs and browsers may reuse the answer for a few seconds, and
    # revalidate cheaply (304) with the ETag or Last-Modified from the counters' updated_at.
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["COUNTS_MAX_AGE"]
    response.set_etag(hashlib.sha1(response.get_data()).hexdigest()[:20])
    response.last_modified = counts.parse_updated_at(data["updated_at"])
    return response.make_conditional(request)
