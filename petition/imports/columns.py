"""Our columns, and which of a file's columns each is read from: guessed from the
header (Action Network's and Google Forms' exports, common spreadsheet names), then
chosen by the organizer."""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from petition.imports.reading import ImportFileError

# Ours, in the order the page lists them.
FIELDS = {
    "first_name": _l("First name"),
    "last_name": _l("Last name"),
    "address": _l("Street address"),
    "address2": _l("Apartment or unit (optional)"),
    "zip": _l("ZIP code"),
    "email": _l("Email"),
    "phone": _l("Phone"),
    "signed_on": _l("Date signed"),
    "consent": _l("Agreed to be emailed"),
}
REQUIRED = ("first_name", "last_name", "address")

# Headers as they come, lower case with single underscores: exact names first.
EXACT = {
    "first_name": {"first_name", "firstname", "first", "given_name", "nombre"},
    "last_name": {"last_name", "lastname", "last", "surname", "family_name", "apellido",
                  "apellidos"},
    "address": {"address", "address1", "address_1", "address_line_1", "street_address",
                "street", "can2_user_address", "home_address", "direccion"},
    "address2": {"address2", "address_2", "address_line_2", "apt", "unit", "apartment"},
    "zip": {"zip", "zip_code", "zipcode", "postal_code", "zip_postal_code", "postcode",
            "codigo_postal"},
    "email": {"email", "email_address", "e_mail", "correo", "correo_electronico"},
    "phone": {"phone", "phone_number", "can2_phone", "mobile", "cell", "cell_phone",
              "telefono"},
    "signed_on": {"timestamp", "date", "date_signed", "signed_on", "signed", "created_at",
                  "created_date", "signed_at", "fecha"},
    "consent": {"consent", "opt_in", "optin", "email_opt_in", "email_consent",
                "can2_subscription_status", "subscribed", "subscription_status", "email_ok",
                "ok_to_email", "can_email", "email_me", "consentimiento"},
}
# Then words inside longer headers (Google Forms' headers are its question titles).
# Consent first: "Can we email you updates?" names email but asks for consent.
WORDS = (
    ("consent", {"consent", "opt", "subscribe", "subscribed", "updates", "agree", "ok",
                 "permission"}),
    ("address2", {"apt", "apartment", "unit"}),
    ("first_name", {"first", "given"}),
    ("last_name", {"last", "surname", "family"}),
    ("zip", {"zip", "postal", "zipcode"}),
    ("email", {"email", "e_mail"}),
    ("phone", {"phone", "mobile", "cell", "telephone"}),
    ("address", {"address", "street"}),
    ("signed_on", {"timestamp", "date", "signed", "created"}),
)


def header_key(text):
    """A header as compared: lower case, runs of other characters as one underscore."""
    return re.sub(r"[^a-z0-9]+", "_", (text or "").lower()).strip("_")


def guess(header):
    """{our field: index of the file's column} for the columns the header names."""
    keys = [header_key(h) for h in header]
    found = {}
    for field, names in EXACT.items():
        for index, key in enumerate(keys):
            if key in names and index not in found.values():
                found[field] = index
                break
    for field, words in WORDS:
        if field in found:
            continue
        for index, key in enumerate(keys):
            if index not in found.values() and words & set(key.split("_")):
                found[field] = index
                break
    return {field: found[field] for field in FIELDS if field in found}


def check_mapping(header, mapping):
    """The mapping with every required column and no column twice (ImportFileError)."""
    missing = [str(FIELDS[f]) for f in REQUIRED if mapping.get(f) is None]
    if missing:
        raise ImportFileError(_("Choose the file's column for: %(fields)s.",
                                 fields=", ".join(missing)))
    used = [i for i in mapping.values() if i is not None]
    if any(not 0 <= i < len(header) for i in used):
        raise ImportFileError(_("Choose columns of this file."))
    if len(used) != len(set(used)):
        raise ImportFileError(_("Each of the file's columns can be used once only."))
    return {f: i for f, i in mapping.items() if i is not None and f in FIELDS}


def named(header, mapping):
    """{our field: the file's header} (what the batch records)."""
    return {field: header[index] for field, index in mapping.items()}
