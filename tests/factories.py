"""Row factories for tests."""

import itertools

from petition.extensions import db
from petition.models import Petition, PetitionState, Signature
from petition.services.emails import normalize_email

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
    values.update(fields)
    petition = Petition(**values)
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
    signature = Signature(**values)
    db.session.add(signature)
    db.session.commit()
    return signature
