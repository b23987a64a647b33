"""Organizer accounts: creation, log-in with growing delays, roles and assignments."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from petition.extensions import db
from petition.mail.addresses import InvalidEmail, check_email
from petition.models import LoginThrottle, Organizer, Petition
from petition.models.base import utcnow
from petition.models.petition import is_valid_slug
from petition.organizer import audit, passwords
from petition.web.forms import FieldError

# Failures older than this are forgotten: the next one starts a fresh count.
THROTTLE_MEMORY = timedelta(hours=1)


@dataclass(frozen=True)
class LoginResult:
    organizer: Organizer | None
    # Above zero: refused without checking the password; try again after this many seconds.
    wait_seconds: int = 0


def normalize_login(email):
    return (email or "").strip().lower()


def find_organizer(email):
    return db.session.scalar(select(Organizer).where(Organizer.email == normalize_login(email)))


def create_organizer(email, password, *, is_admin=False, actor=None, now=None):
    """Add an account; FieldError when the address is invalid, taken or the password weak."""
    try:
        email = normalize_login(check_email(email or ""))
    except InvalidEmail as exc:
        raise FieldError(_("Enter a valid email address."), field="email") from exc
    problem = passwords.password_problem(password, email)
    if problem:
        raise FieldError(problem, field="password")
    organizer = Organizer(email=email, password_hash=passwords.hash_password(password),
                          is_admin=is_admin, active=True, created_at=now or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(organizer)
            db.session.flush()
    except IntegrityError as exc:
        raise FieldError(_("There is already an account for %(email)s.", email=email),
                           field="email") from exc
    if actor is not None:
        audit.record(actor, "organizer_create", details={"email": email, "admin": is_admin},
                     now=now)
    return organizer


def set_password(organizer, password):
    problem = passwords.password_problem(password, organizer.email)
    if problem:
        raise FieldError(problem, field="password")
    organizer.password_hash = passwords.hash_password(password)
    db.session.flush()


def set_active(organizer, active, *, actor, now=None):
    """Switch an account on or off; an admin cannot switch off their own account."""
    if organizer.id == actor.id and not active:
        raise FieldError(_("You cannot deactivate your own account."))
    organizer.active = bool(active)
    audit.record(actor, "organizer_activate" if active else "organizer_deactivate",
                 details={"email": organizer.email}, now=now)
    db.session.flush()


def throttle_key(email):
    return hashlib.sha256(normalize_login(email).encode()).hexdigest()


def _wait_seconds(throttle, now, free_failures, max_delay):
    if now - throttle.last_failure_at > THROTTLE_MEMORY:
        return 0
    extra = throttle.failures - free_failures
    if extra < 0:
        return 0
    delay = min(2 ** min(extra, 30), max_delay)
    ready_at = throttle.last_failure_at + timedelta(seconds=delay)
    remaining = (ready_at - now).total_seconds()
    return max(0, int(remaining + 0.999))


def _record_failure(key, now):
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stale = now - THROTTLE_MEMORY
    statement = insert(LoginThrottle).values(key=key, failures=1, last_failure_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        set_={
            # A failure after a long quiet spell starts counting again from one.
            "failures": case((LoginThrottle.last_failure_at < stale, 1),
                                else_=LoginThrottle.failures + 1),
            "last_failure_at": now,
        },
    )
    db.session.execute(statement)
    db.session.execute(
        delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - timedelta(days=1))
    )


def authenticate(email, password, *, free_failures=3, max_delay=60, now=None):
    """Check a log-in. Per typed address, failures beyond `free_failures` make the next try
    wait 1, 2, 4... seconds (at most `max_delay`): guessing slows to a crawl while the real
    organizer is never locked out for more than `max_delay` seconds. Unknown addresses are
    throttled and timed the same way, so the answers reveal no account."""
    now = now or utcnow()
    key = throttle_key(email)
    throttle = db.session.get(LoginThrottle, key)
    if throttle is not None:
        wait = _wait_seconds(throttle, now, free_failures, max_delay)
        if wait:
            return LoginResult(None, wait)
    organizer = find_organizer(email)
    if organizer is None or not organizer.active:
        passwords.burn_verification_time(password or "")
        ok = False
    else:
        ok = passwords.verify_password(organizer.password_hash, password or "")
    if not ok:
        _record_failure(key, now)
        db.session.flush()
        return LoginResult(None)
    if throttle is not None:
        db.session.delete(throttle)
    if passwords.needs_rehash(organizer.password_hash):
        organizer.password_hash = passwords.hash_password(password)
    organizer.last_login_at = now
    db.session.flush()
    return LoginResult(organizer)


def organizers():
    """Every account, admins first."""
    return db.session.scalars(
        select(Organizer).order_by(Organizer.is_admin.desc(), Organizer.email)
    ).all()


def assign(petition, organizer, *, actor, now=None):
    """Let `organizer` run `petition` (no change if they already do)."""
    if organizer not in petition.organizers:
        petition.organizers.append(organizer)
        audit.record(actor, "assign", petition=petition,
                     details={"email": organizer.email}, now=now)
    db.session.flush()


def unassign(petition, organizer, *, actor, now=None):
    if organizer in petition.organizers:
        petition.organizers.remove(organizer)
        audit.record(actor, "unassign", petition=petition,
                     details={"email": organizer.email}, now=now)
    db.session.flush()


def petitions_for(organizer):
    """The petitions an organizer runs (every petition for an admin), newest first."""
    query = select(Petition).order_by(Petition.created_at.desc(), Petition.id.desc())
    if not organizer.is_admin:
        query = query.where(Petition.organizers.any(Organizer.id == organizer.id))
    return db.session.scalars(query).all()


def managed_petition(organizer, slug):
    """The petition with this slug if `organizer` may run it, else None."""
    if not is_valid_slug(slug):  # e.g. a NUL byte, which PostgreSQL refuses outright
        return None
    petition = db.session.scalar(select(Petition).where(Petition.slug == slug))
    if petition is None or not organizer.can_manage(petition):
        return None
    return petition
