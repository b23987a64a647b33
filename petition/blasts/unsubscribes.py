"""Signers who asked for no more organizer email, and the links that ask for it.

Every organizer email carries a link with a signed token (its own salt, no expiry) naming
the signature and a digest of its address, like the other email links: the URL never holds
the address itself. Unsubscribing stores the normalised address, so no spelling of that
inbox gets organizer email again, from any petition. Confirmation emails and letters to
alders are transactional and ignore this list.
"""

from dataclasses import dataclass

from sqlalchemy import delete, exists, not_, select, update

from petition.database import insert
from petition.extensions import db
from petition.mail.addresses import normalize_email
from petition.models import Signature, Unsubscribe
from petition.models.base import utcnow
from petition.signing import tokens
from petition.web.links import external_url

# Test emails to organizers carry a link that names no signature and unsubscribes nobody.
TEST_SIGNATURE_ID = 0


@dataclass(frozen=True)
class UnsubscribeCheck:
    # "ok", "test" (a link from a test email), "gone" (the signature was removed or
    # anonymized: nothing will be sent to it) or "invalid"
    status: str
    email_normalized: str | None = None
    petition_id: int | None = None
    already: bool = False


def make_token(secret_key, signature_id, email_normalized):
    return tokens.make_token("unsubscribe", secret_key, signature_id, email_normalized)


def unsubscribe_url(secret_key, signature_id, email_normalized):
    """The one-click link for one signer (also the List-Unsubscribe URL)."""
    return external_url("unsubscribe.unsubscribe",
                        token=make_token(secret_key, signature_id, email_normalized))


def test_unsubscribe_url(secret_key, organizer_email):
    """The link in a test email: it looks like the real one and unsubscribes nobody."""
    return unsubscribe_url(secret_key, TEST_SIGNATURE_ID, normalize_email(organizer_email))


def list_headers(url):
    """RFC 2369 and RFC 8058 headers: mail clients show an Unsubscribe button that POSTs
    `List-Unsubscribe=One-Click` to the URL."""
    return {"List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def check_token(secret_key, token):
    """What an unsubscribe link names, without changing anything."""
    check = tokens.read_token("unsubscribe", secret_key, token, None)
    if check.status != "ok":
        return UnsubscribeCheck("invalid")
    if check.signature_id == TEST_SIGNATURE_ID:
        return UnsubscribeCheck("test")
    signature = db.session.get(Signature, check.signature_id)
    if signature is None or signature.anonymized_at is not None:
        return UnsubscribeCheck("gone")
    if not tokens.token_matches(check, signature.email_normalized):
        return UnsubscribeCheck("invalid")
    return UnsubscribeCheck("ok", signature.email_normalized, signature.petition_id,
                            already=is_unsubscribed(signature.email_normalized))


def is_unsubscribed(email_normalized):
    return db.session.scalar(
        select(exists().where(Unsubscribe.email_normalized == email_normalized))
    )


def not_unsubscribed(email_column):
    """A WHERE condition: the address in `email_column` has not unsubscribed."""
    return ~exists().where(Unsubscribe.email_normalized == email_column)


def unsubscribe(email_normalized, *, source="page", petition_id=None, now=None):
    """Record the address (once; safe to repeat and to race) and clear the opt-in of its
    signatures, so exports say so too. Returns whether it was new."""
    now = now or utcnow()
    added = db.session.scalar(
        insert(Unsubscribe)
        .values(email_normalized=email_normalized, created_at=now, source=source[:20],
                petition_id=petition_id)
        .on_conflict_do_nothing(index_elements=["email_normalized"])
        .returning(Unsubscribe.email_normalized))
    db.session.execute(
        update(Signature)
        .where(Signature.email_normalized == email_normalized, Signature.opt_in.is_(True))
        .values(opt_in=False)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return added is not None


def forget_addresses_of(leaving):
    """Drop the unsubscribes of addresses that only the signatures matching `leaving` (a
    WHERE condition on Signature) hold: once they go, nothing is left to mail. Call it
    before they are deleted or blanked."""
    held_by_leaving = exists().where(Signature.email_normalized == Unsubscribe.email_normalized,
                                     leaving)
    held_by_others = exists().where(Signature.email_normalized == Unsubscribe.email_normalized,
                                    not_(leaving))
    return db.session.execute(
        delete(Unsubscribe).where(held_by_leaving, ~held_by_others)
        .execution_options(synchronize_session=False)).rowcount
