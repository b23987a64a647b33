"""Signing a petition and confirming a signature by email."""

from dataclasses import dataclass

from flask import current_app, render_template
from sqlalchemy import delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from petition.extensions import db, transaction_begun
from petition.mail import outbox
from petition.mail.addresses import normalize_email
from petition.mail.transport import PermanentFailure
from petition.models import Signature, WardStatus
from petition.models.base import utcnow
from petition.models.petition import is_valid_slug
from petition.petitions import counts
from petition.petitions import queries as petitions
from petition.signing import flagging, inserts, signing_sql, tokens
from petition.web.links import external_url

CONFIRMATION_TEMPLATE = "confirm_signature"


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
    signature_id: int
    created: bool
    confirmed: bool
    email_queued: bool


@dataclass(frozen=True)
class SignOutcome:
    """A signing's result, or why the petition refused it ("not_found", "closed" or
    "outside_chicago")."""

    result: SignResult | None = None
    refusal: str | None = None


@dataclass(frozen=True)
class ConfirmResult:
    status: str  # "confirmed", "already_confirmed", "expired" or "invalid"
    signature: Signature | None = None


def sign_by_slug(slug, details, placement, *, ip_address=None, locale="en", max_sends=3,
                 flagged=False, now=None):
    """Sign the petition with this slug if it may be signed (see `sign_petition`).

    A new signature on an open petition, the usual case, is one statement that checks
    the petition's terms as it inserts (petition/services/signing_sql.py). Anything else
    (a duplicate, a flagged signing, a refusal) reads the terms first.
    """
    now = now or utcnow()
    if not is_valid_slug(slug):
        return SignOutcome(refusal="not_found")
    if not flagged:
        result = _sign_if_open(slug, details, placement, ip_address, locale, now)
        if result is not None:
            return SignOutcome(result)
    terms = petitions.signing_terms(slug)
    if terms is None:
        return SignOutcome(refusal="not_found")
    if not terms.can_sign(now):
        return SignOutcome(refusal="closed")
    if not terms.accepts_outside_chicago and placement.status is WardStatus.OUTSIDE_CHICAGO:
        return SignOutcome(refusal="outside_chicago")
    return SignOutcome(sign_petition(terms, details, placement, ip_address=ip_address,
                                     locale=locale, max_sends=max_sends, flagged=flagged,
                                     now=now))


def _sign_if_open(slug, details, placement, ip_address, locale, now):
    """Insert a new signature and queue its confirmation email if the petition may be
    signed, asks for confirmation and the email has not signed it; None otherwise, with
    nothing written."""
    dialect = db.engine.dialect.name
    values = {
        "slug": slug,
        "now": now,
        "inside_chicago": placement.status is not WardStatus.OUTSIDE_CHICAGO,
        **_signer_values(details, placement, ip_address, locale),
    }
    if dialect == "postgresql" and not transaction_begun():
        # The statement writes the signature and its email together, so it can be its
        # own transaction: no BEGIN or COMMIT round trips, and the signature is on disk
        # when it returns (a failure later in the request cannot undo it).
        values["ward_status"] = placement.status.value
        row = signing_sql.first_row_autocommit(
            db.engine, signing_sql.new_signature_sql(db.engine.dialect, CONFIRMATION_TEMPLATE),
            values)
        return _new_signature(row[0] if row else None)
    # Otherwise it joins the request's transaction (SQLite; or work already begun).
    signature_id = db.session.connection().execute(
        signing_sql.new_signature_statement(dialect, CONFIRMATION_TEMPLATE), values).scalar()
    if signature_id is not None and dialect != "postgresql":
        queue_confirmation_email(signature_id, details.email, locale, now)
    return _new_signature(signature_id)


def _new_signature(signature_id):
    if signature_id is None:
        return None
    return SignResult(signature_id, created=True, confirmed=False, email_queued=True)


def _signer_values(details, placement, ip_address, locale):
    """The signature's columns that come from the signer (signing_sql.SIGNER_COLUMNS)."""
    return {
        "first_name": details.first_name,
        "last_name": details.last_name,
        "email": details.email,
        "email_normalized": normalize_email(details.email),
        "address": details.address,
        "zip": details.zip,
        "phone": details.phone or None,
        "opt_in": details.opt_in,
        "volunteer": details.volunteer,
        "ward": placement.ward,
        "ward_status": placement.status,
        "candidate_wards": placement.candidates_text,
        "geocode_match": placement.match,
        "lon": placement.lon,
        "lat": placement.lat,
        "ip_address": ip_address,
        "locale": locale,
    }


def sign_petition(petition, details, placement, *, ip_address=None, locale="en", max_sends=3,
                  flagged=False, now=None):
    """Record a signature (or find the existing one) and queue its confirmation email.

    `placement` is the signer's ward, worked out before any database work so that the
    writing transaction stays short (on SQLite it holds the database's write lock).
    A `flagged` signature (over the per-IP limits) is stored set aside: it is confirmed
    as usual but counts only once an organizer approves it.
    """
    now = now or utcnow()
    set_aside_batch = flagging.rate_limit_batch_id(petition.id, now) if flagged else None
    values = _signer_values(details, placement, ip_address, locale)
    email_normalized = values["email_normalized"]
    # The unique index on (petition, normalised email) decides who signed first, even when
    # two requests race: the loser's insert does nothing and it takes the duplicate path.
    signature_id = inserts.insert_unless_present(
        Signature.__table__, ("petition_id", "email_normalized"), "id",
        {
            "petition_id": petition.id,
            **values,
            "created_at": now,
            "confirmed_at": None,
            "invalidated_at": now if set_aside_batch else None,
            "invalidation_id": set_aside_batch,
            "confirmation_sends": 1 if petition.requires_confirmation else 0,
            "last_confirmation_sent_at": now if petition.requires_confirmation else None,
        },
    )

    if signature_id is None:
        existing = db.session.scalar(
            select(Signature).where(Signature.petition_id == petition.id,
                                    Signature.email_normalized == email_normalized)
        )
        queued = _claim_confirmation_send(existing, max_sends, now)
        if queued:
            queue_confirmation_email(existing.id, existing.email, existing.locale, now)
        return SignResult(existing.id, created=False, confirmed=existing.is_confirmed,
                          email_queued=queued)

    if petition.requires_confirmation:
        queue_confirmation_email(signature_id, details.email, locale, now)
        return SignResult(signature_id, created=True, confirmed=False, email_queued=True)
    signature = db.session.get(Signature, signature_id)
    _mark_confirmed(signature, now)
    return SignResult(signature_id, created=True, confirmed=True, email_queued=False)


def queue_confirmation_email(signature_id, to_address, locale, now=None):
    """Put the confirmation email in the outbox; it is rendered when it is sent."""
    outbox.enqueue(kind="confirmation", to_address=to_address, template=CONFIRMATION_TEMPLATE,
                   context={"signature_id": signature_id}, locale=locale,
                   signature_id=signature_id, now=now)


def render_confirmation_email(context):
    """Subject, text and HTML of a confirmation email, with a link made now."""
    signature = db.session.get(Signature, context.get("signature_id"))
    if signature is None:
        raise PermanentFailure("the signature no longer exists")
    token = tokens.make_confirm_token(
        current_app.config["SECRET_KEY"], signature.id, signature.email_normalized
    )
    remove_token = tokens.make_token(
        "remove", current_app.config["SECRET_KEY"], signature.id, signature.email_normalized
    )
    values = {
        "signature": signature,
        "petition": signature.petition,
        "confirm_url": external_url("signing.confirm", token=token),
        "remove_url": external_url("signing.remove", token=remove_token),
        "petition_url": external_url("petitions.petition", slug=signature.petition.slug),
    }
    return (
        render_template("email/confirm_signature.subject.txt", **values).strip(),
        render_template("email/confirm_signature.txt", **values),
        render_template("email/confirm_signature.html", **values),
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


def check_confirmation(token):
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


def _signature_for(purpose, token, max_age_setting):
    """The signature a token names, or the token's problem ("expired", "invalid")."""
    check = tokens.read_token(purpose, current_app.config["SECRET_KEY"], token,
                              current_app.config[max_age_setting])
    if check.status != "ok":
        return check.status, None
    signature = db.session.get(Signature, check.signature_id)
    if signature is None or not tokens.token_matches(check, signature.email_normalized):
        return "invalid", None
    return "ok", signature


def _resolve_token(token):
    status, signature = _signature_for("confirm", token, "CONFIRM_TOKEN_MAX_AGE")
    if status != "ok":
        return ConfirmResult(status)
    if signature.is_confirmed:
        return ConfirmResult("already_confirmed", signature)
    return ConfirmResult("ok", signature)


def check_removal(token):
    """The signature a removal link names, without changing anything (for GET)."""
    status, signature = _signature_for("remove", token, "REMOVE_TOKEN_MAX_AGE")
    return ConfirmResult(status, signature)


def remove_signature(token, now=None):
    """Delete the signature a removal link names, and uncount it if it counted."""
    status, signature = _signature_for("remove", token, "REMOVE_TOKEN_MAX_AGE")
    if status != "ok":
        return ConfirmResult(status)
    # Only the request whose DELETE removes the row uncounts it, even if two race.
    deleted = db.session.execute(
        delete(Signature)
        .where(Signature.id == signature.id)
        .returning(Signature.confirmed_at, Signature.ward, Signature.ward_status,
                   Signature.invalidated_at)
        .execution_options(synchronize_session=False)
    ).first()
    # An invalidated signature was uncounted when it was set aside.
    if deleted is not None and deleted.confirmed_at is not None \
            and deleted.invalidated_at is None:
        key = Signature(ward=deleted.ward, ward_status=deleted.ward_status).ward_key
        counts.add_confirmed(signature.petition_id, key, -1, now)
    db.session.expunge(signature)
    return ConfirmResult("removed", signature)


def _mark_confirmed(signature, now):
    """Set confirmed_at once; only the request that wins the update counts the signature."""
    # RETURNING gives the ward as it is now, under the row lock this UPDATE takes, so a
    # ward change committed a moment earlier is counted where it belongs; and whether an
    # admin set the signature aside (even by a batch racing with this request): then it is
    # confirmed but not counted.
    won = db.session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.confirmed_at.is_(None))
        .values(confirmed_at=now)
        .returning(Signature.ward, Signature.ward_status, Signature.invalidated_at)
        .execution_options(synchronize_session=False)
    ).first()
    if won is None:
        db.session.refresh(signature)
        return False
    set_committed_value(signature, "confirmed_at", now)
    set_committed_value(signature, "ward", won.ward)
    set_committed_value(signature, "ward_status", won.ward_status)
    if won.invalidated_at is None:
        counts.add_confirmed(signature.petition_id, signature.ward_key, 1, now)
    return True
