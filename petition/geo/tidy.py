"""Typed-address tidying before tagging: written-out ordinals, and a unit, city, state,
ZIP or country at the end of the text, peeled off by rule rather than left to the tagger.

People type "5500 s halsted st il", "1958 N Milwaukee Ave #3F 60647" or "Fifty-Fifth
St": the tagger, trained on full US addresses, reads a lone "IL" or "Rear" as a city. The
shapes here are unambiguous, so they are taken off the end first; what is left is the
street part. The text is the cleaned, upper-case text of ``parse.clean_text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import DIRECTIONS, STREET_TYPES

UNIT_KEYWORDS = ("APT", "APARTMENT", "UNIT", "STE", "SUITE", "FL", "FLR", "FLOOR", "RM",
                 "ROOM", "BLDG", "DEPT", "OFFICE")
# Unit words with no identifier: peeled only after a comma or a street type, since a few
# could be the end of a street name.
BARE_UNITS = ("COACH HOUSE", "REAR HOUSE", "GARDEN UNIT", "GARDEN APT", "REAR", "FRONT",
              "BASEMENT", "BSMT", "GARDEN", "UPPER", "LOWER", "PENTHOUSE", "PH", "UPSTAIRS",
              "DOWNSTAIRS", "TOP FLOOR", "GROUND FLOOR", "MAIN FLOOR")
STATE_WORDS = ("ILLINOIS", "ILL", "IL")
CITY_WORDS = ("CHICAGO", "CHGO")
COUNTRY = r"(?:USA|US|UNITED STATES(?: OF AMERICA)?)"
MAX_PEELS = 6  # country, ZIP, state, city, unit ... in any order; a bound on the loop

_UNIT_ID = r"(?:[A-Z]?\d{1,5}[A-Z]?|\d{1,5}-[A-Z0-9]{1,3}|[A-Z]{1,2})"
_UNIT_RE = re.compile(
    rf"[ ,]+((?:(?:{'|'.join(UNIT_KEYWORDS)})\s*#?\s*|#\s*){_UNIT_ID}"
    rf"|\d{{1,2}}(?:ST|ND|RD|TH)\s+(?:FL|FLR|FLOOR)"
    rf"|(?:FIRST|SECOND|THIRD|FOURTH|FIFTH)\s+(?:FL|FLR|FLOOR))$"
)
_BARE_UNIT_RE = re.compile(rf"(,\s*|\s+)({'|'.join(BARE_UNITS)})$")
_ZIP_TAIL_RE = re.compile(r"[ ,]+(\d{5})(?:-?\d{4})?$")
_STATE_TAIL_RE = re.compile(rf"[ ,]+({'|'.join(STATE_WORDS)})$")
_CITY_TAIL_RE = re.compile(rf"(,\s*|\s+)({'|'.join(CITY_WORDS)})$")
_COUNTRY_TAIL_RE = re.compile(rf"[ ,]+{COUNTRY}$")

# Written-out ordinals: "FIFTY-FIFTH", "ONE HUNDRED THIRD", "THIRTEENTH" -> 55TH, 103RD, 13TH.
UNIT_ORDINALS = {"FIRST": 1, "SECOND": 2, "THIRD": 3, "FOURTH": 4, "FIFTH": 5, "SIXTH": 6,
                 "SEVENTH": 7, "EIGHTH": 8, "NINTH": 9}
TEEN_ORDINALS = {"TENTH": 10, "ELEVENTH": 11, "TWELFTH": 12, "THIRTEENTH": 13,
                 "FOURTEENTH": 14, "FIFTEENTH": 15, "SIXTEENTH": 16, "SEVENTEENTH": 17,
                 "EIGHTEENTH": 18, "NINETEENTH": 19}
TENS = {"TWENTY": 20, "THIRTY": 30, "FORTY": 40, "FOURTY": 40, "FIFTY": 50, "SIXTY": 60,
        "SEVENTY": 70, "EIGHTY": 80, "NINETY": 90}
TENS_ORDINALS = {"TWENTIETH": 20, "THIRTIETH": 30, "FORTIETH": 40, "FIFTIETH": 50,
                 "SIXTIETH": 60, "SEVENTIETH": 70, "EIGHTIETH": 80, "NINETIETH": 90}
HUNDRED = 100


def _alternatives(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_ORDINAL_RE = re.compile(
    rf"\b(?:(?P<hundred>(?:ONE[ -]+)?HUNDRED(?:[ -]+AND)?)[ -]+)?"
    rf"(?:(?P<tens>{_alternatives(TENS)})[ -]*(?P<unit>{_alternatives(UNIT_ORDINALS)})"
    rf"|(?P<tens_ord>{_alternatives(TENS_ORDINALS)})"
    rf"|(?P<teen>{_alternatives(TEEN_ORDINALS)})"
    rf"|(?P<small>{_alternatives(UNIT_ORDINALS)}))\b"
)


def _ordinal_text(number: int) -> str:
    suffix = "TH" if 10 <= number % 100 <= 20 else {1: "ST", 2: "ND", 3: "RD"}.get(
        number % 10, "TH")
    return f"{number}{suffix}"


def _ordinal_number(match: re.Match) -> str:
    if match.group("small") and not match.group("hundred"):
        return match.group(0)  # FIRST .. NINTH alone: the name tables know both spellings
    number = HUNDRED if match.group("hundred") else 0
    if match.group("tens"):
        number += TENS[match.group("tens")] + UNIT_ORDINALS[match.group("unit")]
    elif match.group("tens_ord"):
        number += TENS_ORDINALS[match.group("tens_ord")]
    elif match.group("teen"):
        number += TEEN_ORDINALS[match.group("teen")]
    else:
        number += UNIT_ORDINALS[match.group("small")]
    return _ordinal_text(number)


def numeric_ordinals(text: str) -> str:
    """'FIFTY-FIFTH ST' -> '55TH ST' (single FIRST .. NINTH are left as written)."""
    return _ORDINAL_RE.sub(_ordinal_number, text)


@dataclass
class Tail:
    """What was peeled off the end of an address."""

    unit: str = ""
    place: str = ""
    state: str = ""
    zip: str = ""


def _has_street_words(text: str) -> bool:
    """Whether text (number first) still names a street: a word that is not a direction."""
    words = text.replace(",", " ").split()[1:]
    return any(word not in DIRECTIONS for word in words)


def _after_street_type(text: str, start: int) -> bool:
    words = text[:start].replace(",", " ").split()
    return len(words) > 2 and words[-1] in STREET_TYPES


def peel_tail(text: str) -> tuple[str, Tail]:
    """Take a unit, city, state, ZIP and country off the end of ``text``."""
    tail = Tail()
    for _ in range(MAX_PEELS):
        before = text
        for pattern, field in ((_COUNTRY_TAIL_RE, ""), (_ZIP_TAIL_RE, "zip"),
                               (_STATE_TAIL_RE, "state"), (_UNIT_RE, "unit")):
            match = pattern.search(text)
            if match is None or (field and getattr(tail, field)):
                continue
            if _has_street_words(text[:match.start()]):
                if field:
                    setattr(tail, field, match.group(1))
                text = text[:match.start()].rstrip(" ,")
        # A city or a bare unit word only after a comma or a street type ("220 E CHICAGO"
        # is Chicago Ave; "... ST EAST CHICAGO" is a suburb).
        for pattern, field in ((_CITY_TAIL_RE, "place"), (_BARE_UNIT_RE, "unit")):
            match = pattern.search(text)
            if (match and not getattr(tail, field)
                    and ("," in match.group(1) or _after_street_type(text, match.start()))
                    and _has_street_words(text[:match.start()])):
                setattr(tail, field, match.group(2))
                text = text[:match.start()].rstrip(" ,")
        if text == before:
            break
    if tail.state:
        tail.state = "IL"
    return text, tail
