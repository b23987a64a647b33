"""Signed, expiring tokens carried in email links, one salt per purpose."""

import hashlib
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

# A token made for one purpose never works for another.
PURPOSES = {
    "confirm": "signature-confirm",
    "remove": "signature-remove",
    # In every organizer email; never expires (read with max_age=None).
    "unsubscribe": "signer-unsubscribe",
    # "Did your alder reply?", in the email that asks a letter's sender.
    "letter_reply": "letter-reply",
}


@dataclass(frozen=True)
class TokenCheck:
    status: str  # "ok", "expired" or "invalid"
    signature_id: int | None = None
    email_digest: str | None = None


def _digest(email_normalized):
    # Binds a token to the address, so a reused row id can never be acted on by an old link.
    return hashlib.sha256(email_normalized.encode()).hexdigest()[:16]


def make_token(purpose, secret_key, signature_id, email_normalized):
    """A token that lets its holder act on one signature for `purpose`."""
    serializer = URLSafeTimedSerializer(secret_key, salt=PURPOSES[purpose])
    return serializer.dumps([signature_id, _digest(email_normalized)])


def read_token(purpose, secret_key, token, max_age):
    """Check a token's signature, purpose and age."""
    serializer = URLSafeTimedSerializer(secret_key, salt=PURPOSES[purpose])
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


def make_confirm_token(secret_key, signature_id, email_normalized):
    """A token that confirms one signature."""
    return make_token("confirm", secret_key, signature_id, email_normalized)


def read_confirm_token(secret_key, token, max_age):
    """Check a confirmation token."""
    return read_token("confirm", secret_key, token, max_age)


def token_matches(check, email_normalized):
    """Whether a valid token was issued for this address."""
    return check.email_digest == _digest(email_normalized)
