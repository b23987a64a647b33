"""The SQL behind exports: which rows, and each row's cells formatted by the database.

Every per-cell step runs in the database: timestamps as text, yes/no, the ward, formula
neutralising (a cell starting with =, +, -, @, tab or carriage return gets a leading
apostrophe) and, on SQLite, the whole CSV line (see petition/services/exports.py).
"""

from flask_babel import gettext as _
from sqlalchemy import String, and_, case, cast, false, func, literal, or_, true

from petition.models import Signature, WardStatus

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The Python twin of the SQL neutralising below (for values built outside SQL)."""
    if isinstance(value, str) and value[:1] in FORMULA_PREFIXES:
        return "'" + value
    return value


# GLOB is SQLite's fastest way to test the first character (a class of the six above).
FORMULA_GLOB = "[=+@\t\r-]*"


def _safe(column, dialect, nullable=True):
    """The column, neutralised against formulas (NULL as empty text when nullable)."""
    if dialect == "postgresql":
        risky = func.substr(column, 1, 1).in_(FORMULA_PREFIXES)
    else:
        risky = column.op("GLOB")(literal(FORMULA_GLOB))
    value = case((risky, literal("'") + column), else_=column)
    return func.coalesce(value, literal("")) if nullable else value


def _escaped(text):
    """A text cell's inside for CSV: inner quotes doubled (RFC 4180); the caller adds the
    surrounding quotes."""
    return func.replace(text, literal('"'), literal('""'))


def _timestamp(column, dialect):
    # UTC, to the second, formatted by the database (no datetime objects in Python).
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM-DD HH24:MI:SS")
    return func.substr(column, 1, 19)


def header(include_invalidated=False):
    names = [_("first name"), _("last name"), _("address"), _("ZIP"), _("email"), _("phone"),
             _("ward"), _("signed at (UTC)"), _("confirmed at (UTC)"), _("opt-in"),
             _("volunteer")]
    if include_invalidated:
        names.append(_("invalidated at (UTC)"))
    return names


def _our_cells(dialect, include_invalidated, yes, no):
    """The cells we write ourselves (ward, timestamps, yes/no): never formula-like."""
    cells = [
        func.coalesce(case((Signature.ward_status == WardStatus.OUTSIDE_CHICAGO,
                            literal("outside")), else_=cast(Signature.ward, String)),
                      literal("")),
        func.coalesce(_timestamp(Signature.created_at, dialect), literal("")),
        func.coalesce(_timestamp(Signature.confirmed_at, dialect), literal("")),
        case((Signature.opt_in == true(), literal(yes)), else_=literal(no)),
        case((Signature.volunteer == true(), literal(yes)), else_=literal(no)),
    ]
    if include_invalidated:
        cells.append(func.coalesce(_timestamp(Signature.invalidated_at, dialect), literal("")))
    return cells


def columns(dialect, include_invalidated):
    """The export's columns as SQL text expressions, in header order; the second value says
    which are free text (quoted when SQLite builds the line)."""
    yes, no = _("yes"), _("no")
    text = [_safe(getattr(Signature, name), dialect)
            for name in ("first_name", "last_name", "address", "zip", "email", "phone")]
    ours = _our_cells(dialect, include_invalidated, yes, no)
    return text, ours


def _csv_literal(text):
    """A constant cell, quoted once in Python when it needs it."""
    if any(ch in text for ch in ',"\r\n') or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(dialect, include_invalidated):
    """One CSV line per row, built by SQLite. Free text is always quoted (inner quotes
    doubled); our own cells (ward, timestamps, yes/no) need no quoting, and the yes/no labels
    are quoted in Python once, since a translation could hold a comma."""
    yes, no = _csv_literal(_("yes")), _csv_literal(_("no"))
    text = [_safe(getattr(Signature, name), dialect,
                  nullable=Signature.__table__.c[name].nullable)
            for name in ("first_name", "last_name", "address", "zip", "email", "phone")]
    ours = _our_cells(dialect, include_invalidated, yes, no)
    # One literal between cells ('","' between two quoted ones): SQLite evaluates each ||
    # separately, so fewer pieces make a faster line.
    line = literal('"') + _escaped(text[0])
    for cell in text[1:]:
        line = line + literal('","') + _escaped(cell)
    line = line + literal('",') + ours[0]
    for cell in ours[1:]:
        line = line + literal(",") + cell
    return line


def ward_condition(keys):
    """SQL for "the signature is counted under one of these ward keys"."""
    numbers = [k for k in keys if isinstance(k, int)]
    outside = Signature.ward_status == WardStatus.OUTSIDE_CHICAGO
    parts = []
    if numbers:
        parts.append(and_(Signature.ward.in_(numbers), ~outside))
    if "outside" in keys:
        parts.append(outside)
    if "unknown" in keys:
        parts.append(and_(Signature.ward.is_(None), ~outside))
    return or_(*parts) if parts else false()


def conditions(petition_id, options):
    # Anonymized rows have no personal data left to export: they only still count.
    where = [Signature.petition_id == petition_id, Signature.anonymized_at.is_(None)]
    if options.status == "confirmed":
        where.append(Signature.confirmed_at.is_not(None))
    if not options.include_invalidated:
        where.append(Signature.invalidated_at.is_(None))
    if options.wards:
        where.append(ward_condition(options.wards))
    return where
