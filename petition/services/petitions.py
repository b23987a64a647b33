"""Finding petitions for the public."""

from sqlalchemy import select

from petition.extensions import db
from petition.models import Petition, PetitionState


def open_petitions():
    """Petitions the public list shows, newest first."""
    return db.session.scalars(
        select(Petition).where(Petition.state == PetitionState.OPEN).order_by(
            Petition.created_at.desc(), Petition.id.desc()
        )
    ).all()


def public_petition(slug):
    """The petition with this slug if the public may see it, else None."""
    if not isinstance(slug, str) or len(slug) > 80:
        return None
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None or not petition.can_be_viewed():
        return None
    return petition
