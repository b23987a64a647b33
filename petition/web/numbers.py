"""Whole numbers typed by people: ids and ward numbers in URLs, forms, queries and files.

One parser for all of them. `str.isdigit()` is not it: it takes '⁰⁴⁵' (superscripts),
which `int()` refuses, and `int()` takes '٤٥', ' 4 ' and '4_5'. A number past the
database's column is refused here too: PostgreSQL fails the whole query on one.
"""

import re

# Every id column is a 32-bit integer on PostgreSQL (SERIAL): nothing above exists.
MAX_ID = 2**31 - 1
ID_NUMBERS = range(1, MAX_ID + 1)
MAX_DIGITS = len(str(MAX_ID))

_ASCII_DIGITS = re.compile(r"[0-9]+")


def is_digits(text):
    """Whether `text` (surrounding white space aside) is ASCII digits only."""
    return isinstance(text, str) and _ASCII_DIGITS.fullmatch(text.strip()) is not None


def parse_number(text, allowed):
    """The number `text` spells in ASCII digits if it is in `allowed` (numbers up to
    MAX_ID: a range or a set), else None."""
    if not is_digits(text):
        return None
    digits = text.strip().lstrip("0") or "0"
    # Past MAX_ID, whatever `allowed` is; and int() of a huge string is slow.
    if len(digits) > MAX_DIGITS:
        return None
    number = int(digits)
    return number if number in allowed else None


def parse_id(text):
    """A database id (1 to MAX_ID) from text, or None."""
    return parse_number(text, ID_NUMBERS)


