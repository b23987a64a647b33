"""Signing a petition, and counting a signature once it is confirmed.

A new signer is one INSERT into `signatures` and, when the petition asks for email
confirmation, one row in the outbox, both in the request's transaction: the view commits
once. The unique index on (petition, normalised email) decides who signed first, even
when two requests race: the loser inserts nothing and takes the "signed before" path,
which sends the confirmation email again (at most `max_sends` in all).
"""

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from petition.database import dialect_name, in_each_dialect
from petition.extensions import db
from petition.mail.addresses import normalize_email
from petition.models import Signature, WardStatus, ward_key_for
from petition.models.base import utcnow
from petition.petitions import counts
from petition.signing import flagging
from petition.signing.mail import queue_confirmation_email

# A new signature's row (online or paper); the same email signing the same petition again
# inserts nothing and returns no id. Built once: the values are the execution's parameters.
INSERT_SIGNATURE = in_each_dialect(
    lambda dialect_insert: dialect_insert(Signature.__table__)
    .on_conflict_do_nothing(index_elements=["petition_id", "email_normalized"])
    .returning(Signature.id))


@dataclass(frozen=True)
class SignerDetails:
    """What a supporter typed into the sign form, already validated."""

    first_name: str
    last_name: str
    email: str
    address: str
    zip: str
    phone: str | None = None
    opt_in: bool = False
    volunteer: bool = False
    source: str | None = None  # the link's ?source= token (signing.sources)


@dataclass(frozen=True)
class SignResult:
    """A signature stored (`created`) or found (signed before with the same email)."""

    signature_id: int
    created: bool
    confirmed: bool
    email_queued: bool


@dataclass(frozen=True)
class SignOutcome:
    """A signing's result, or why the petition refused it ("closed", "outside_chicago")."""

    result: SignResult | None = None
    refusal: str | None = None


def sign(petition, details, placement, *, ip_address=None, locale="en", max_sends=3,
         flagged=False, now=None):
    """Sign `petition` for the supporter, or say why it refuses; flushes, the view commits.

    `placement` is the signer's ward, worked out before any database work so that the
    writing transaction stays short (on SQLite it holds the database's write lock). A
    `flagged` signature (over the per-IP limits) is stored set aside: it is confirmed as
    usual but counts only once an organizer approves it.
    """
    now = now or utcnow()
    refusal = petition.refuses_signature(
        placement.status is WardStatus.OUTSIDE_CHICAGO, now)
    if refusal is not None:
        return SignOutcome(refusal=refusal)
    email_normalized = normalize_email(details.email)
    set_aside_batch = flagging.rate_limit_batch_id(petition.id, now) if flagged else None
    asks_confirmation = petition.requires_confirmation
    signature_id = db.session.scalar(
        INSERT_SIGNATURE[dialect_name()],
        {
            "petition_id": petition.id,
            "first_name": details.first_name, "last_name": details.last_name,
            "email": details.email, "email_normalized": email_normalized,
            "address": details.address, "zip": details.zip, "phone": details.phone or None,
            "opt_in": details.opt_in, "volunteer": details.volunteer,
            **placement.signature_columns(),
            "ip_address": ip_address, "locale": locale, "created_at": now,
            "source": details.source,
            "invalidated_at": now if set_aside_batch else None,
            "invalidation_id": set_aside_batch,
            "confirmation_sends": 1 if asks_confirmation else 0,
            "last_confirmation_sent_at": now if asks_confirmation else None,
        },
    )
    if signature_id is None:
        return SignOutcome(_signed_before(petition, email_normalized, max_sends, now))
    if not set_aside_batch:
        counts.tally(petition.id, ward_key_for(placement.status, placement.ward),
                     counts.city_day(now), districts=counts.districts_of(placement),
                     pending=1, now=now)
    if asks_confirmation:
        queue_confirmation_email(signature_id, details.email, locale, now)
    else:
        mark_confirmed(db.session.get(Signature, signature_id), now)
    return SignOutcome(SignResult(signature_id, created=True,
                                  confirmed=not asks_confirmation,
                                  email_queued=asks_confirmation))


def _signed_before(petition, email_normalized, max_sends, now):
    """The signature this email made before; its confirmation email is sent again unless
    it is confirmed or was sent `max_sends` times (counted atomically under races)."""
    existing = db.session.scalar(
        select(Signature).where(Signature.petition_id == petition.id,
                                Signature.email_normalized == email_normalized))
    sent_again = db.session.execute(
        update(Signature)
        .where(Signature.id == existing.id, Signature.confirmed_at.is_(None),
               Signature.confirmation_sends < max_sends)
        .values(confirmation_sends=Signature.confirmation_sends + 1,
                last_confirmation_sent_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if sent_again:
        queue_confirmation_email(existing.id, existing.email, existing.locale, now)
    return SignResult(existing.id, created=False, confirmed=existing.is_confirmed,
                      email_queued=sent_again)


def mark_confirmed(signature, now):
    """Set confirmed_at once and count the signature; returns whether this call did it.

    Only the request whose UPDATE wins counts it, even when two race. RETURNING gives the
    ward as it is now, under the row lock the UPDATE takes (a ward change committed a
    moment earlier counts where it belongs), and whether an admin set the signature aside:
    then it is confirmed but not counted. When this call did not win, another request
    confirmed the signature or removed it since it was read: the caller reloads it to tell
    which (`signature` is then stale).
    """
    won = db.session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.confirmed_at.is_(None))
        .values(confirmed_at=now)
        .returning(Signature.ward, Signature.ward_status, Signature.invalidated_at,
                   Signature.created_at, Signature.state_house, Signature.state_senate)
        .execution_options(synchronize_session=False)
    ).first()
    if won is None:
        return False
    set_committed_value(signature, "confirmed_at", now)
    set_committed_value(signature, "ward", won.ward)
    set_committed_value(signature, "ward_status", won.ward_status)
    if won.invalidated_at is None:
        counts.tally(signature.petition_id, ward_key_for(won.ward_status, won.ward),
                     counts.city_day(won.created_at), districts=counts.districts_of(won),
                     confirmed=1, pending=-1, now=now)
    return True
