"""What the links in the confirmation email do: confirm the signature, or remove it.

Opening a link (GET) only checks it; the page's button (POST) acts. Both are safe to
repeat and to race.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete

from petition.extensions import db
from petition.models import Signature, ward_key_for
from petition.models.base import utcnow
from petition.petitions import counts
from petition.signing import tokens
from petition.signing.erasure import forget_mail_and_unsubscribes
from petition.signing.service import mark_confirmed


@dataclass(frozen=True)
class LinkResult:
    """What a link names: `status` is "ok", "confirmed", "already_confirmed", "removed",
    "expired" or "invalid"."""

    status: str
    signature: Signature | None = None


def _signature_for(purpose, token, max_age_setting):
    """The signature a token names, or the token's problem ("expired", "invalid")."""
    check = tokens.read_token(purpose, current_app.config["SECRET_KEY"], token,
                              current_app.config[max_age_setting])
    if check.status != "ok":
        return LinkResult(check.status)
    signature = db.session.get(Signature, check.signature_id)
    if signature is None or not tokens.token_matches(check, signature.email_normalized):
        return LinkResult("invalid")
    return LinkResult("ok", signature)


def check_confirmation(token):
    """What a confirmation link would do, without changing anything (for GET)."""
    result = _signature_for("confirm", token, "CONFIRM_TOKEN_MAX_AGE")
    if result.status == "ok" and result.signature.is_confirmed:
        return LinkResult("already_confirmed", result.signature)
    return result


def confirm_signature(token, now=None):
    """Confirm the signature a token names, and count it; flushes, the view commits."""
    result = check_confirmation(token)
    if result.status != "ok":
        return result
    if mark_confirmed(result.signature, now or utcnow()):
        return LinkResult("confirmed", result.signature)
    # Confirmed or removed by another request a moment ago; removed, the link is spent, the
    # same answer as opening it after the removal.
    signature = db.session.get(Signature, result.signature.id, populate_existing=True)
    if signature is None:
        return LinkResult("invalid")
    return LinkResult("already_confirmed", signature)


def check_removal(token):
    """The signature a removal link names, without changing anything (for GET)."""
    return _signature_for("remove", token, "REMOVE_TOKEN_MAX_AGE")


def remove_signature(token, now=None):
    """Delete the signature a removal link names, and uncount it if it counted."""
    result = check_removal(token)
    if result.status != "ok":
        return result
    signature = result.signature
    # The mail to them and their unsubscribe hold the address too (letters go with the row).
    forget_mail_and_unsubscribes(Signature.id == signature.id)
    # Only the request whose DELETE removes the row uncounts it, even if two race.
    deleted = db.session.execute(
        delete(Signature)
        .where(Signature.id == signature.id)
        .returning(Signature.confirmed_at, Signature.ward, Signature.ward_status,
                   Signature.invalidated_at, Signature.created_at, Signature.state_house,
                   Signature.state_senate)
        .execution_options(synchronize_session=False)
    ).first()
    # A set-aside signature was uncounted when it was set aside.
    if deleted is not None and deleted.invalidated_at is None:
        was_confirmed = deleted.confirmed_at is not None
        counts.tally(signature.petition_id, ward_key_for(deleted.ward_status, deleted.ward),
                     counts.city_day(deleted.created_at),
                     districts=counts.districts_of(deleted), confirmed=-was_confirmed,
                     pending=-(not was_confirmed), now=now)
    db.session.expunge(signature)
    return LinkResult("removed", signature)
