"""Loading what public views act on: the petition, and the visitor's own signature."""

from flask import abort

from petition.extensions import db
from petition.models import Signature
from petition.petitions import queries as petitions


def petition_or_404(slug):
    """The public petition with this slug, or a 404."""
    petition = petitions.public_petition(slug)
    if petition is None:
        abort(404)
    return petition


def signature_on(petition, signature_id):
    """The signature with this id (from the visitor's session) if it is on `petition`."""
    if not isinstance(signature_id, int) or isinstance(signature_id, bool):
        return None
    signature = db.session.get(Signature, signature_id)
    return signature if signature is not None and signature.petition_id == petition.id else None
