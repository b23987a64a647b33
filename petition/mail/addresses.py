"""Email address checks and the normal form used to spot duplicate signers."""

import functools
import os

from email_validator import EmailNotValidError, validate_email

# Providers that ignore dots in the local part, so "j.doe" and "jdoe" are one inbox.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


class InvalidEmail(ValueError):
    """The address is not a syntactically valid email address."""


def check_email(address):
    """Return the address as typed (trimmed) if its syntax is valid; no network look-up."""
    address = address.strip()
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidEmail(str(exc)) from exc
    return address


def normalize_email(address):
    """The inbox an address delivers to: lower case, no +tag, no Gmail dots."""
    address = address.strip().lower()
    local, _, domain = address.rpartition("@")
    if not local:
        return address
    domain = domain.rstrip(".")
    # Sub-addressing (+tag) reaches the same inbox at Gmail, Outlook, iCloud, Fastmail...
    local = local.split("+", 1)[0] or local
    if domain in DOTLESS_DOMAINS:
        domain = DOTLESS_DOMAINS[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"


def mask_email(address):
    """Show enough of an address to recognise it: "j***@gmail.com"."""
    local, _, domain = address.rpartition("@")
    if not local:
        return "***"
    return f"{local[0]}***@{domain}"


@functools.cache
def shipped_blocked_domains():
    """The throwaway-mail domains in petition/data/blocked_email_domains.txt."""
    path = os.path.join(os.path.dirname(__file__), "..", "data", "blocked_email_domains.txt")
    with open(path, encoding="utf-8") as fh:
        return frozenset(
            line.strip().lower() for line in fh if line.strip() and not line.startswith("#")
        )


def is_blocked_domain(address, extra_domains=()):
    """Whether the address belongs to a refused domain or one of its subdomains."""
    domain = address.strip().rpartition("@")[2].lower().rstrip(".")
    blocked = shipped_blocked_domains() | set(extra_domains)
    parts = domain.split(".")
    return any(".".join(parts[i:]) in blocked for i in range(len(parts) - 1))
