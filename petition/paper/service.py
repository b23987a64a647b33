"""Storing a paper signature: counted as confirmed at once (nobody is emailed), with the
source "paper", its sheet, the day it was signed and who collected it."""

import re
import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from petition.database import dialect_name
from petition.extensions import db
from petition.mail.addresses import normalize_email
from petition.models import Signature, WardStatus, ward_key_for
from petition.models.base import utcnow
from petition.organizer import audit
from petition.petitions import counts
from petition.signing.service import INSERT_SIGNATURE
from petition.signing.sources import PAPER
from petition.web.forms import FieldError

# A paper signature without an email still needs a unique email_normalized: this prefix
# and a random part, never an address (no "@"), so it can never match a real signer.
NO_EMAIL_PREFIX = "paper-"
RECENT_ROWS = 10
MAX_DUPLICATES_SHOWN = 5


@dataclass(frozen=True)
class PaperEntry:
    """One row of a paper sheet, already validated."""

    first_name: str
    last_name: str
    address: str
    zip: str
    signed_on: date
    email: str | None = None
    phone: str | None = None
    sheet_number: str | None = None
    collected_by: str | None = None


def _plain(text):
    """Text compared for duplicates: lower case, letters and digits, single spaces."""
    return " ".join(re.sub(r"[^\w]+", " ", (text or "").lower()).split())


def duplicates(petition, entry, placement):
    """Signatures the row may repeat: the same normalised email, or the same name and
    address (looked for in the row's ward, over the petition-and-ward index)."""
    found = []
    if entry.email:
        found += db.session.scalars(select(Signature).where(
            Signature.petition_id == petition.id,
            Signature.email_normalized == normalize_email(entry.email))).all()
    in_ward = (Signature.ward == placement.ward if placement.ward is not None
               else Signature.ward.is_(None))
    named = db.session.scalars(select(Signature).where(
        Signature.petition_id == petition.id, in_ward,
        func.lower(Signature.last_name) == entry.last_name.lower(),
        func.lower(Signature.first_name) == entry.first_name.lower(),
    ).order_by(Signature.id).limit(50))
    found += [s for s in named if _plain(s.address) == _plain(entry.address)
              and s not in found]
    return found[:MAX_DUPLICATES_SHOWN]


def _email_taken(petition_id, email_normalized):
    return db.session.scalar(select(Signature.id).where(
        Signature.petition_id == petition_id,
        Signature.email_normalized == email_normalized)) is not None


def add_paper_signature(petition, entry, placement, *, actor, now=None):
    """Store and count one paper signature, audited; flushes, the view commits. An email
    another signature of the petition already has (the organizer chose to add the row
    anyway) stays with that signature: this one is stored without it."""
    now = now or utcnow()
    email_normalized = normalize_email(entry.email) if entry.email else None
    if email_normalized and _email_taken(petition.id, email_normalized):
        email_normalized = None
    signature_id = db.session.scalar(
        INSERT_SIGNATURE[dialect_name()],
        {
            "petition_id": petition.id,
            "first_name": entry.first_name, "last_name": entry.last_name,
            "email": entry.email if email_normalized else "",
            "email_normalized": email_normalized or NO_EMAIL_PREFIX + uuid.uuid4().hex,
            "address": entry.address, "zip": entry.zip, "phone": entry.phone or None,
            "opt_in": False, "volunteer": False,
            **placement.signature_columns(), "created_at": now,
            "confirmed_at": now, "confirmation_sends": 0, "source": PAPER,
            "sheet_number": entry.sheet_number, "signed_on": entry.signed_on,
            "collected_by": entry.collected_by,
        },
    )
    if signature_id is None:  # the same email signed online a moment ago
        raise FieldError(_("Someone with this email signed a moment ago. Save the row "
                           "again to see it."), field="email")
    counts.tally(petition.id, ward_key_for(placement.status, placement.ward),
                 counts.city_day(now), districts=counts.districts_of(placement),
                 confirmed=1, now=now)
    audit.record(actor, "paper_signature", petition=petition,
                 wards=[placement.ward] if placement.ward else None, rows=1, now=now,
                 details={"signature_id": signature_id, "sheet_number": entry.sheet_number,
                          "collected_by": entry.collected_by})
    return signature_id


def recent_paper(petition, limit=RECENT_ROWS):
    """The petition's last saved paper signatures, newest first."""
    return db.session.scalars(
        select(Signature).where(Signature.petition_id == petition.id, Signature.source == PAPER)
        .order_by(Signature.id.desc()).limit(limit)).all()


def needs_ward_choice(placement):
    """Whether the organizer chooses the ward: near a line, or between candidate wards."""
    return placement.status is WardStatus.NEAR_BOUNDARY or (
        placement.status is WardStatus.UNKNOWN and len(placement.candidate_wards) > 1)
