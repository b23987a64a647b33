"""Password hashing: Argon2id (argon2-cffi), cost set in the app config."""

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 1024


@lru_cache(maxsize=8)
def _hasher(time_cost, memory_cost, parallelism):
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost,
                          parallelism=parallelism)


def hasher():
    """The hasher for the current app's cost settings."""
    config = current_app.config
    return _hasher(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"],
                   config["ARGON2_PARALLELISM"])


def hash_password(password):
    return hasher().hash(password)


def verify_password(password_hash, password):
    """True when `password` matches; False for a wrong password or an unreadable hash."""
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    """Whether the hash was made with other (older) cost settings."""
    try:
        return hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=8)
def _dummy_hash(time_cost, memory_cost, parallelism):
    return _hasher(time_cost, memory_cost, parallelism).hash("not-a-real-password")


def burn_verification_time(password):
    """Spend as long as a real check would, so a reply's timing does not tell whether an
    account exists."""
    config = current_app.config
    verify_password(_dummy_hash(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"],
                                config["ARGON2_PARALLELISM"]), password)


def password_problem(password, email=None):
    """Why a new password is refused (a message), or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(n)d characters.", n=MAX_LENGTH)
    if email and password.strip().lower() == email.strip().lower():
        return _("Do not use your email address as your password.")
    return None
