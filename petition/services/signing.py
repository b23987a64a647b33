"""Signing a petition and confirming a signature by email."""

from dataclasses import dataclass

from flask import current_app, render_template
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from petition.extensions import db
from petition.links import external_url
from petition.models import Signature, WardStatus
from petition.models.base import utcnow
from petition.services import counts, outbox, tokens
from petition.services.emails import normalize_email


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


@dataclass(frozen=True)
class SignResult:
    signature: Signature
    created: bool
    email_queued: bool


@dataclass(frozen=True)
class ConfirmResult:
    status: str  # "confirmed", "already_confirmed", "expired" or "invalid"
    signature: Signature | None = None


def sign_petition(petition, details, *, ip_address=None, max_sends=3, now=None):
    """Record a signature (or find the existing one) and queue its confirmation email."""
    now = now or utcnow()
    signature = Signature(
        petition_id=petition.id,
        first_name=details.first_name,
        last_name=details.last_name,
        email=details.email,
        email_normalized=normalize_email(details.email),
        address=details.address,
        zip=details.zip,
        phone=details.phone or None,
        opt_in=details.opt_in,
        volunteer=details.volunteer,
        ward_status=WardStatus.UNKNOWN,
        ip_address=ip_address,
        created_at=now,
    )
    try:
        # The unique index decides who signed first, even when two requests race;
        # the savepoint keeps the rest of the transaction usable after a conflict.
        with db.session.begin_nested():
            db.session.add(signature)
            db.session.flush()
    except IntegrityError:
        existing = db.session.scalar(
            select(Signature).where(
                Signature.petition_id == petition.id,
                Signature.email_normalized == signature.email_normalized,
            )
        )
        if existing is None:
            raise
        queued = _claim_confirmation_send(existing, max_sends, now)
        if queued:
            queue_confirmation_email(existing, now=now)
        return SignResult(existing, created=False, email_queued=queued)

    if petition.requires_confirmation:
        signature.confirmation_sends = 1
        signature.last_confirmation_sent_at = now
        queue_confirmation_email(signature, now=now)
        return SignResult(signature, created=True, email_queued=True)
    _mark_confirmed(signature, now)
    return SignResult(signature, created=True, email_queued=False)


def queue_confirmation_email(signature, now=None):
    """Put the confirmation email for `signature` in the outbox (callers count the send)."""
    now = now or utcnow()
    token = tokens.make_confirm_token(
        current_app.config["SECRET_KEY"], signature.id, signature.email_normalized
    )
    context = {
        "signature": signature,
        "petition": signature.petition,
        "confirm_url": external_url("public.confirm", token=token),
        "petition_url": external_url("public.petition", slug=signature.petition.slug),
    }
    outbox.enqueue(
        kind="confirmation",
        to_address=signature.email,
        subject=render_template("email/confirm_signature.subject.txt", **context).strip(),
        body_text=render_template("email/confirm_signature.txt", **context),
        body_html=render_template("email/confirm_signature.html", **context),
        signature_id=signature.id,
        now=now,
    )


def _claim_confirmation_send(signature, max_sends, now):
    """Count one more confirmation email, unless the cap is reached (atomic under races)."""
    claimed = db.session.execute(
        update(Signature)
        .where(
            Signature.id == signature.id,
            Signature.confirmed_at.is_(None),
            Signature.confirmation_sends < max_sends,
        )
        .values(confirmation_sends=Signature.confirmation_sends + 1,
                last_confirmation_sent_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(signature)
    return bool(claimed)


def check_confirmation(token, now=None):
    """What a confirmation link would do, without changing anything (for GET)."""
    return _resolve_token(token)


def confirm_signature(token, now=None):
    """Confirm the signature a token names; safe to repeat and to race."""
    now = now or utcnow()
    result = _resolve_token(token)
    if result.status != "ok":
        return result
    if _mark_confirmed(result.signature, now):
        return ConfirmResult("confirmed", result.signature)
    return ConfirmResult("already_confirmed", result.signature)


def _resolve_token(token):
    check = tokens.read_confirm_token(
        current_app.config["SECRET_KEY"], token, current_app.config["CONFIRM_TOKEN_MAX_AGE"]
    )
    if check.status != "ok":
        return ConfirmResult(check.status)
    signature = db.session.get(Signature, check.signature_id)
    if signature is None or not tokens.token_matches(check, signature.email_normalized):
        return ConfirmResult("invalid")
    if signature.is_confirmed:
        return ConfirmResult("already_confirmed", signature)
    return ConfirmResult("ok", signature)


def _mark_confirmed(signature, now):
    """Set confirmed_at once; only the request that wins the update counts the signature."""
    # RETURNING reads invalidated_at from the row this UPDATE locked: a signature an admin
    # set aside (even by a batch racing with this request) is confirmed but not counted.
    won = db.session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.confirmed_at.is_(None))
        .values(confirmed_at=now)
        .returning(Signature.invalidated_at)
        .execution_options(synchronize_session=False)
    ).first()
    if won is None:
        db.session.refresh(signature)
        return False
    set_committed_value(signature, "confirmed_at", now)
    if won.invalidated_at is None:
        counts.add_confirmed(signature.petition_id, signature.ward_key, 1, now)
    db.session.flush()
    return True
