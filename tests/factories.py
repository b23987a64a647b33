"""Row factories for tests."""

import itertools

from petition.extensions import db
from petition.mail.addresses import normalize_email
from petition.models import (
    AlderStance,
    Organizer,
    Petition,
    PetitionState,
    Signature,
    Stance,
    WardStatus,
)
from petition.models.base import utcnow
from petition.petitions import counts

_seq = itertools.count(1)


def make_petition(**fields):
    n = next(_seq)
    values = {
        "slug": f"petition-{n}",
        "title": f"Petition {n}",
        "summary": "A summary.",
        "body": "The *full* text.",
        "goal": 100,
        "state": PetitionState.OPEN,
    }
    organizers = fields.pop("organizers", ())
    values.update(fields)
    petition = Petition(**values)
    petition.organizers.extend(organizers)
    db.session.add(petition)
    db.session.commit()
    return petition


def make_signature(petition, **fields):
    n = next(_seq)
    values = {
        "petition_id": petition.id,
        "first_name": "Sam",
        "last_name": f"Signer{n}",
        "email": f"signer{n}@example.org",
        "address": f"{1000 + n} N Milwaukee Ave",
        "zip": "60647",
    }
    values.update(fields)
    values.setdefault("email_normalized", normalize_email(values["email"]))
    values.setdefault("created_at", utcnow())
    signature = Signature(**values)
    db.session.add(signature)
    db.session.flush()
    if signature.invalidated_at is None:
        # Counted as the app counts it when signing and confirming.
        confirmed = signature.confirmed_at is not None
        counts.tally(petition.id, signature.ward_key, counts.city_day(signature.created_at),
                     districts=counts.districts_of(signature),
                     confirmed=int(confirmed), pending=int(not confirmed))
    db.session.commit()
    return signature


def make_organizer(email=None, *, password="correct horse battery staple", is_admin=False,
                   petitions=(), active=True):
    from petition.organizer.passwords import hash_password

    n = next(_seq)
    organizer = Organizer(email=(email or f"organizer{n}@example.org").lower(),
                          password_hash=hash_password(password), is_admin=is_admin,
                          active=active)
    organizer.petitions.extend(petitions)
    db.session.add(organizer)
    db.session.commit()
    return organizer


def make_stance(petition, ward, stance=Stance.SUPPORTS):
    row = AlderStance(petition_id=petition.id, ward=ward, stance=stance)
    db.session.add(row)
    db.session.commit()
    return row


def make_confirmed(petition, ward=None, **fields):
    """A confirmed signature, counted as a confirmation would count it."""
    fields.setdefault("ward_status", WardStatus.GEOCODED if ward else WardStatus.UNKNOWN)
    return make_signature(petition, ward=ward, confirmed_at=utcnow(), **fields)
