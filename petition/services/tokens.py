"""Signed, expiring tokens carried in email links."""

import hashlib
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_SALT = "signature-confirm"


@dataclass(frozen=True)
class TokenCheck:
    status: str  # "ok", "expired" or "invalid"
    signature_id: int | None = None
    email_digest: str | None = None


def _digest(email_normalized):
    # Binds a token to the address, so a reused row id can never be confirmed by an old link.
    return hashlib.sha256(email_normalized.encode()).hexdigest()[:16]


def make_confirm_token(secret_key, signature_id, email_normalized):
    """A token that confirms one signature."""
    serializer = URLSafeTimedSerializer(secret_key, salt=CONFIRM_SALT)
    return serializer.dumps([signature_id, _digest(email_normalized)])


def read_confirm_token(secret_key, token, max_age):
    """Check a confirmation token's signature and age."""
    serializer = URLSafeTimedSerializer(secret_key, salt=CONFIRM_SALT)
    try:
        payload = serializer.loads(token, max_age=max_age)
    except SignatureExpired:
        return TokenCheck("expired")
    except BadSignature:
        return TokenCheck("invalid")
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not isinstance(payload[0], int)
        or not isinstance(payload[1], str)
    ):
        return TokenCheck("invalid")
    return TokenCheck("ok", payload[0], payload[1])


def token_matches(check, email_normalized):
    """Whether a valid token was issued for this address."""
    return check.email_digest == _digest(email_normalized)
