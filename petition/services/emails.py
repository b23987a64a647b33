"""Email address checks and the normal form used to spot duplicate signers."""

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
