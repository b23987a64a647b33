"""Dropping personal data after a campaign while keeping its counts."""

from dataclasses import dataclass

from sqlalchemy import String, cast, literal, update

from petition.extensions import db
from petition.letters.service import anonymize_letters
from petition.models import PetitionState, Signature
from petition.models.base import utcnow
from petition.signing.erasure import forget_mail_and_unsubscribes


class AnonymizeRefused(Exception):
    """The petition is still collecting signatures."""


@dataclass(frozen=True)
class AnonymizeReport:
    signatures: int
    messages: int
    letters: int = 0


def anonymize_petition(petition, *, force=False, now=None):
    """Blank every signer's personal data on `petition`; wards, dates and counts stay."""
    if petition.state is PetitionState.OPEN and not force:
        raise AnonymizeRefused("the petition is still open; close it first or use --force")
    now = now or utcnow()
    # Mail to these signers and their unsubscribes hold their addresses too.
    messages = forget_mail_and_unsubscribes(Signature.petition_id == petition.id)
    signatures = db.session.execute(
        update(Signature)
        .where(Signature.petition_id == petition.id, Signature.anonymized_at.is_(None))
        .values(
            first_name="",
            last_name="",
            email="",
            # Still unique per petition, as the index requires, and meaningless.
            email_normalized=literal("anonymized-") + cast(Signature.id, String),
            address="",
            zip="",
            phone=None,
            ip_address=None,
            lon=None,
            lat=None,
            anonymized_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    # Letters to alders hold the signer's words, name and address: blank them too (the
    # wards and dates stay, so the per-ward letter counts do).
    letters = anonymize_letters(petition.id)
    db.session.flush()
    return AnonymizeReport(signatures=signatures, messages=messages, letters=letters)
