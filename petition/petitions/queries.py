"""Finding petitions for the public."""

from sqlalchemy import bindparam, select

from petition.extensions import db
from petition.models import Petition, PetitionState
from petition.models.petition import SigningTerms, is_valid_slug


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
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None or not petition.can_be_viewed():
        return None
    return petition


_SIGNING_TERMS = select(
    Petition.id,
    Petition.slug,
    Petition.state,
    Petition.signing_paused,
    Petition.deadline,
    Petition.requires_confirmation,
    Petition.accepts_outside_chicago,
).where(Petition.slug == bindparam("slug"))


def signing_terms(slug):
    """The sign form's view of a public petition (one light query), or None."""
    if not is_valid_slug(slug):
        return None
    row = db.session.execute(_SIGNING_TERMS, {"slug": slug}).first()
    if row is None:
        return None
    terms = SigningTerms(*row)
    return terms if terms.can_be_viewed() else None
