"""Finding petitions for the public, and what public views act on."""

import hashlib

from flask import abort, session
from sqlalchemy import bindparam, select

from petition.extensions import db
from petition.models import Petition, PetitionState, Signature
from petition.models.petition import is_valid_slug

# The session's proof that a signature id still names the signature this browser made:
# SQLite gives a deleted row's id (the highest) to the next row, so after a signer removes
# their signature the next signer's could otherwise answer to their session.
SESSION_STAMPS = "signature_stamps"
MAX_STAMPS = 5

PETITION_BY_SLUG = select(Petition).where(Petition.slug == bindparam("slug"))


def open_petitions():
    """Petitions the public list shows, newest first."""
    return db.session.scalars(
        select(Petition).where(Petition.state == PetitionState.OPEN).order_by(
            Petition.created_at.desc(), Petition.id.desc()
        )
    ).all()


def public_petition(slug):
    """The petition with this slug if the public may see it, else None."""
    if not is_valid_slug(slug):
        return None
    petition = db.session.scalar(PETITION_BY_SLUG, {"slug": slug})
    if petition is None or not petition.can_be_viewed():
        return None
    return petition


def petition_or_404(slug):
    """The public petition with this slug, or a 404."""
    petition = public_petition(slug)
    if petition is None:
        abort(404)
    return petition


def _stamp(email_normalized):
    return hashlib.sha256(email_normalized.encode()).hexdigest()[:16]


def remember_signature(signature_id, email_normalized):
    """Note in the session which signature `signature_id` is (see SESSION_STAMPS)."""
    stamps = session.get(SESSION_STAMPS)
    stamps = dict(stamps) if isinstance(stamps, dict) else {}
    stamps.pop(str(signature_id), None)
    stamps[str(signature_id)] = _stamp(email_normalized)
    session[SESSION_STAMPS] = dict(list(stamps.items())[-MAX_STAMPS:])


def signature_on(petition, signature_id):
    """The signature with this id (from the visitor's session) if it is on `petition` and
    is still the one the session noted (sessions from before the notes are believed)."""
    if not isinstance(signature_id, int) or isinstance(signature_id, bool):
        return None
    signature = db.session.get(Signature, signature_id)
    if signature is None or signature.petition_id != petition.id:
        return None
    stamps = session.get(SESSION_STAMPS)
    noted = stamps.get(str(signature_id)) if isinstance(stamps, dict) else None
    return signature if noted in (None, _stamp(signature.email_normalized)) else None
