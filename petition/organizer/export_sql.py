"""The SQL behind exports: which rows, and each row as one CSV line built by the database.

The database does every per-cell step, in C: timestamps as text to the second, yes/no, the
ward, a leading apostrophe on free text that a spreadsheet might run as a formula (see
RISKY_FIRST), and the line itself (RFC 4180: free text always in quotes, inner quotes
doubled). Python then only joins lines (see exports.py). For a spreadsheet the database
only selects each row's plain values (xlsx_columns); xlsx.py writes the cells.
"""

import sys
import unicodedata

from flask_babel import gettext as _
from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    true,
)

from petition.models import Signature, WardStatus

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection),
# also in the full-width and small forms East Asian keyboards type.
FORMULA_CHARACTERS = "=+-@" "\uff1d\uff0b\uff0d\uff20" "\ufe66\ufe62\ufe63\ufe6b"

# Characters nobody sees (white space, controls, format characters such as the zero-width
# space or direction marks) may stand before one, and spreadsheets may skip them: a cell
# starting with any of these is neutralised too, without looking further.
INVISIBLE_CATEGORIES = ("Cc", "Cf", "Zs", "Zl", "Zp")


def _ranges(code_points):
    """[first, last] runs of consecutive code points."""
    ranges = []
    for c in code_points:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return ranges


def _bracket_class(characters):
    """A bracket expression for SQLite's GLOB and PostgreSQL's regular expressions, which
    read it alike: ranges by code point, "-" last (a literal there in both)."""
    ranges = _ranges(sorted(ord(ch) for ch in characters if ch != "-"))
    parts = [chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges]
    return "[" + "".join(parts) + ("-" if "-" in characters else "") + "]"


# NUL aside: no text column holds it, and SQLite's GLOB pattern would end at it.
RISKY_FIRST = frozenset(
    chr(c) for c in range(1, sys.maxunicode + 1)
    if chr(c) in FORMULA_CHARACTERS or unicodedata.category(chr(c)) in INVISIBLE_CATEGORIES)
# Nearly every cell starts with one of these: one quick test settles it, before the long
# class of RISKY_FIRST (a GLOB over it alone doubled SQLite's time for this step).
SAFE_FIRST = frozenset(chr(c) for c in range(ord("!"), ord("~") + 1)) - RISKY_FIRST

# SQLite: GLOB patterns of the first character; PostgreSQL: regular expressions.
SAFE_GLOB, RISKY_GLOB = _bracket_class(SAFE_FIRST) + "*", _bracket_class(RISKY_FIRST) + "*"
SAFE_REGEX, RISKY_REGEX = "^" + _bracket_class(SAFE_FIRST), "^" + _bracket_class(RISKY_FIRST)

FREE_TEXT = ("first_name", "last_name", "address", "zip", "email", "phone")


def neutralise(value):
    """The Python twin of the SQL neutralising below (for values built outside SQL)."""
    if isinstance(value, str) and value[:1] in RISKY_FIRST:
        return "'" + value
    return value


def _safe(column, dialect):
    """The column, with an apostrophe before a risky first character."""
    if dialect == "postgresql":
        tests = (("!~", SAFE_REGEX), ("~", RISKY_REGEX))
    else:
        tests = (("NOT GLOB", SAFE_GLOB), ("GLOB", RISKY_GLOB))
    risky = and_(*[column.op(op, is_comparison=True)(literal(pattern)) for op, pattern in tests])
    return case((risky, literal("'") + column), else_=column)


def _inside_quotes(column, dialect):
    """A free-text cell ready to go between quotes: neutralised, inner quotes doubled."""
    return func.replace(_safe(column, dialect), literal('"'), literal('""'))


def _timestamp(column, dialect):
    """UTC to the second, as text (SQLite stores timestamps as text already)."""
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM-DD HH24:MI:SS")
    return func.substr(column, 1, 19)


def _day(column, dialect):
    """A date as text, YYYY-MM-DD (SQLite stores dates as that text already)."""
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM-DD")
    return cast(column, String)  # as text: compared with "" below, not as a date


def _csv_literal(text):
    """A constant cell, quoted here if it needs it (a translation may hold a comma)."""
    if any(ch in text for ch in ',"\r\n') or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text


def header(include_invalidated=False):
    """The header row, in the organizer's language."""
    names = [_("first name"), _("last name"), _("address"), _("ZIP"), _("email"), _("phone"),
             _("ward"), _("signed at (UTC)"), _("confirmed at (UTC)"), _("opt-in"),
             _("volunteer"), _("source"), _("sheet number"), _("signed on")]
    if include_invalidated:
        names.append(_("invalidated at (UTC)"))
    return names


def _our_cells(dialect, include_invalidated):
    """Our own cells (ward, timestamps, yes/no): never formula-like, never needing quotes."""
    yes, no = literal(_csv_literal(_("yes"))), literal(_csv_literal(_("no")))
    outside = Signature.ward_status == WardStatus.OUTSIDE_CHICAGO
    cells = [
        case((outside, literal("outside")), else_=cast(Signature.ward, String)),
        _timestamp(Signature.created_at, dialect),
        _timestamp(Signature.confirmed_at, dialect),
        case((Signature.opt_in == true(), yes), else_=no),
        case((Signature.volunteer == true(), yes), else_=no),
        # A checked token (signing.sources): never formula-like, never needing quotes.
        Signature.source,
    ]
    if include_invalidated:
        cells.append(_timestamp(Signature.invalidated_at, dialect))
    return cells


def _paper_cells(dialect):
    """The paper sheet's number (free text an organizer typed) and the day signed."""
    return [_inside_quotes(Signature.sheet_number, dialect), _day(Signature.signed_on, dialect)]


def csv_line(dialect, include_invalidated=False):
    """One CSV line per row (no line end), in header order: free text quoted, ours bare."""
    text = [_inside_quotes(getattr(Signature, name), dialect) for name in FREE_TEXT]
    ours = _our_cells(dialect, False)
    paper = _paper_cells(dialect)
    tail = [_timestamp(Signature.invalidated_at, dialect)] if include_invalidated else []
    template = ",".join(['"%s"'] * len(text) + ["%s"] * len(ours) + ['"%s"', "%s"]
                        + ["%s"] * len(tail))
    # Both write NULL as empty text (|| would make the whole line NULL); SQLite has
    # format() only from 3.38, printf() long before.
    line_format = func.format if dialect == "postgresql" else func.printf
    return line_format(literal(template), *text, *ours, *paper, *tail)


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
    """The WHERE clauses for a petition's rows that the export options select."""
    # Anonymized rows have no personal data left to export: they only still count.
    where = [Signature.petition_id == petition_id, Signature.anonymized_at.is_(None)]
    if options.status == "confirmed":
        where.append(Signature.confirmed_at.is_not(None))
    if not options.include_invalidated:
        where.append(Signature.invalidated_at.is_(None))
    if options.wards:
        where.append(ward_condition(options.wards))
    if options.chamber and options.districts:
        column = Signature.state_house if options.chamber == "house" else Signature.state_senate
        numbers = [d for d in options.districts if d is not None]
        # None: the rows with no district (outside Chicago, or the address not placed).
        where.append(or_(column.in_(numbers), column.is_(None)) if None in options.districts
                     else column.in_(numbers))
    return where


def _epoch_seconds(column, dialect):
    """A UTC timestamp as whole seconds since 1970 (xlsx.py turns it into Chicago time)."""
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", column)), BigInteger)
    return cast(func.strftime(literal("%s"), column), Integer)


def xlsx_columns(dialect, include_invalidated=False):
    """The plain values of a spreadsheet row, in header order (xlsx.py writes the XML):
    the six free-text cells (no phone: empty text), the ward, whether the signer is outside
    Chicago, the signing and confirming times in epoch seconds, opt-in and volunteer, and
    the source, the sheet number and the day signed (paper; empty text when none), and the
    invalidation time (NULL when not asked for)."""
    text = [getattr(Signature, name) for name in FREE_TEXT]
    text[-1] = func.coalesce(text[-1], literal(""))  # the phone is optional
    paper = [func.coalesce(value, literal("")) for value in (
        Signature.source, Signature.sheet_number, _day(Signature.signed_on, dialect))]
    invalidated = (_epoch_seconds(Signature.invalidated_at, dialect) if include_invalidated
                   else literal(None))
    outside = Signature.ward_status == WardStatus.OUTSIDE_CHICAGO
    return (*text, Signature.ward, outside,
            _epoch_seconds(Signature.created_at, dialect),
            _epoch_seconds(Signature.confirmed_at, dialect),
            Signature.opt_in, Signature.volunteer, *paper, invalidated)


def rows_by_district(connection, petition_id, options):
    """{district: rows} of the options' chamber over the selected rows; None: rows with
    no district (outside Chicago, or the address not placed)."""
    column = Signature.state_house if options.chamber == "house" else Signature.state_senate
    return dict(connection.execute(
        select(column, func.count()).where(*conditions(petition_id, options))
        .group_by(column)).all())
