"""One data row of an import, checked: the signer's fields, or why the row is refused
(the sign form's and the paper form's rules)."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from petition.imports.columns import FIELDS, REQUIRED
from petition.mail.addresses import InvalidEmail, check_email, is_blocked_domain
from petition.signing.forms import PHONE_ALLOWED, ZIP_PATTERN
from petition.web.forms import NoControlCharacters

# Longest values, as the signatures table stores them.
MAX_LENGTHS = {"first_name": 100, "last_name": 100, "address": 200, "email": 254,
               "phone": 32}
CONTROL = NoControlCharacters.CONTROL
CONTROL_PATTERN = re.compile(f"[{CONTROL}]")
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d.%m.%Y")
YES = {"yes", "y", "true", "1", "x", "si", "sí", "subscribed", "opt_in", "opted_in",
       "agree", "i_agree", "ok", "checked", "on"}
NO = {"", "no", "n", "false", "0", "unsubscribed", "not_subscribed", "opt_out",
      "opted_out", "bouncing", "spam", "disagree", "unchecked", "off"}


class RowProblem(ValueError):
    """Why a row is refused (already translated)."""


@dataclass(frozen=True)
class ImportRow:
    """A data row's fields, checked."""

    line: int
    first_name: str
    last_name: str
    address: str
    zip: str
    email: str | None
    phone: str | None
    signed_on: date | None
    consent: bool


def read_row(line, cells, mapping, *, today, blocked_domains=()):
    """The row's ImportRow (RowProblem says what is wrong)."""
    def cell(field):
        index = mapping.get(field)
        return cells[index].strip() if index is not None else ""

    values = {field: cell(field) for field in MAX_LENGTHS}
    if cell("address2"):
        values["address"] = f"{values['address']} {cell('address2')}"
    for field in REQUIRED:
        if not values[field]:
            raise RowProblem(_("Missing: %(field)s.", field=FIELDS[field]))
    for field, limit in MAX_LENGTHS.items():
        if len(values[field]) > limit:
            raise RowProblem(_("More than %(n)d characters: %(field)s.", n=limit,
                               field=FIELDS[field]))
        if CONTROL_PATTERN.search(values[field]):
            raise RowProblem(_("Invisible control characters in: %(field)s.",
                               field=FIELDS[field]))
    return ImportRow(line=line, first_name=values["first_name"],
                     last_name=values["last_name"], address=values["address"],
                     zip=_zip(cell("zip")), email=_email(values["email"], blocked_domains),
                     phone=_phone(values["phone"]), signed_on=_day(cell("signed_on"), today),
                     consent=_consent(cell("consent")))


def _zip(text):
    if not text:
        return ""
    if text.isdigit() and len(text) == 4:  # a spreadsheet dropped the leading zero
        text = "0" + text
    match = ZIP_PATTERN.match(text)
    if not match:
        raise RowProblem(_("The ZIP code %(zip)s is not a 5-digit ZIP code.", zip=text[:20]))
    return match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")


def _email(text, blocked_domains):
    if not text:
        return None
    try:
        address = check_email(text)
    except InvalidEmail as exc:
        raise RowProblem(_("The email %(email)s is not a valid address.",
                           email=text[:60])) from exc
    if is_blocked_domain(address, blocked_domains):
        raise RowProblem(_("The email %(email)s is from a refused (throwaway) provider.",
                           email=text[:60]))
    return address


def _phone(text):
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    if not PHONE_ALLOWED.match(text) or not 7 <= len(digits) <= 15:
        raise RowProblem(_("The phone %(phone)s is not a phone number.", phone=text[:32]))
    return text


def _day(text, today):
    """The date signed (the date part of a timestamp), not after `today`."""
    if not text:
        return None
    first = text.replace("T", " ").split(" ", 1)[0]
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(first, pattern).date()
            break
        except ValueError:
            continue
    else:
        raise RowProblem(_("The date %(date)s is not a date like 2026-11-24 or 11/24/2026.",
                           date=text[:30]))
    if day > today:
        raise RowProblem(_("The date signed %(date)s is in the future.", date=day.isoformat()))
    return day


def _consent(text):
    """Whether the signer agreed to be emailed: only a clear yes is a yes."""
    key = re.sub(r"[^\wí]+", "_", text.lower()).strip("_")
    if key in YES or key.startswith(("yes_", "si_", "sí_", "i_agree")):
        return True
    if key in NO or key.startswith(("no_", "not_")):
        return False
    raise RowProblem(_("The consent %(value)s is neither yes nor no.", value=text[:40]))
