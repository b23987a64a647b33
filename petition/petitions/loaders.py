"""Finding petitions for the public, and what public views act on."""

from flask import abort
from sqlalchemy import bindparam, select

from petition.extensions import db
from petition.models import Petition, PetitionState, Signature
from petition.models.petition import is_valid_slug

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


def signature_on(petition, signature_id):
    """The signature with this id (from the visitor's session) if it is on `petition`."""
    if not isinstance(signature_id, int) or isinstance(signature_id, bool):
        return None
    signature = db.session.get(Signature, signature_id)
    return signature if signature is not None and signature.petition_id == petition.id else None
