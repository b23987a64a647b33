"""Free-form address text -> ParsedAddress (house number, street words, unit, city, ZIP).

usaddress (a CRF tagger trained on US addresses) splits the string into components; the
street words are NOT resolved here: ``streets.py`` decides which Chicago street they mean,
because usaddress's split of e.g. "Lincoln Park W" or "Avenue O" is only a first guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import usaddress

from .names import STREET_TYPES
from .tidy import numeric_ordinals, peel_tail

MAX_INPUT_CHARS = 200  # longest real address seen is ~80 chars; bound the CRF's work
# Raw text is cut to this many times MAX_INPUT_CHARS before cleaning, and refused beyond
# it: room for what cleaning drops (emoji, controls, combining marks) with bounded work.
RAW_INPUT_FACTOR = 4
# A number range wider than this is not one building's ("1617 - 1754 E 95TH"): only the
# first number is kept.
MAX_RANGE_SPAN = 400

_STREET_LABELS = (
    "StreetNamePreModifier", "StreetNamePreDirectional", "StreetNamePreType",
    "StreetName", "StreetNamePostType", "StreetNamePostDirectional", "StreetNamePostModifier",
)
_UNIT_LABELS = ("OccupancyType", "OccupancyIdentifier", "SubaddressType", "SubaddressIdentifier")
_UNIT_WORDS = {
    "APT", "APARTMENT", "UNIT", "STE", "SUITE", "FL", "FLOOR", "RM", "ROOM", "BLDG", "BSMT",
    "BASEMENT", "REAR", "FRONT", "GARDEN", "PH", "LOWER", "UPPER", "DEPT", "OFFICE",
}
# "4812 4846 N CLARK", "6244-56 S KING", "4304-12 N SHERIDAN": a house-number range.
_RANGE_RE = re.compile(r"^(\d{1,6})\s*(?:-\s*|\s+)(\d{1,6})\s+(?=[A-Z])")
_NUM_RE = re.compile(r"^(\d{1,6})")
_ZIP_RE = re.compile(r"^(\d{5})(?:-?\d{4})?$")
_STATE_NAMES = {"IL", "ILL", "ILLINOIS"}
_COUNTRY_WORDS = {"USA", "US", "UNITED", "STATES", "AMERICA", "OF"}
# "MILWAUKEE AND DAMEN", "87TH & STONY ISLAND": an intersection (no house number first).
_CROSS_RE = re.compile(
    r"^((?:\d{1,3}(?:ST|ND|RD|TH)\b|[A-Z])[A-Z0-9 '-]*?)\s*(?:&|@|\bAND\b|\bAT\b)\s*([A-Z0-9].*)$"
)
# "APT 2, 1958 N MILWAUKEE AVE": a unit written before the address.
_LEADING_UNIT_RE = re.compile(
    r"^(?:APT|APARTMENT|UNIT|STE|SUITE|FL|FLOOR|#)\s*[A-Z0-9-]{0,6}\s*,?\s+(?=\d)"
)


@dataclass
class ParsedAddress:
    """Components of one address string, upper-cased and cleaned."""

    text: str
    number: int | None = None
    number_hi: int | None = None
    street_tokens: list[str] = field(default_factory=list)
    unit: str = ""
    place: str = ""
    state: str = ""
    zip: str = ""
    cross_tokens: list[str] = field(default_factory=list)  # 2nd street of "A & B"
    error: str | None = None


def clean_text(text: object) -> str:
    """Make any input safe to tag: NFKC, no control chars/surrogates/emoji, upper case."""
    if not isinstance(text, str):
        return ""
    # Lone surrogates cannot be encoded; drop them rather than fail.
    text = text.encode("utf-8", "ignore").decode("utf-8", "ignore")
    text = unicodedata.normalize("NFKC", text[: MAX_INPUT_CHARS * RAW_INPUT_FACTOR])
    out = []
    for ch in text:
        if ch.isascii() and (ch.isalnum() or ch in " #-/,&'();"):
            out.append(ch)
        elif ch == ".":
            out.append(" ")  # "N.Marshfield", "E.59th St." -> words
        elif ch in "\u2010\u2011\u2012\u2013\u2014\u2212":
            out.append("-")
        else:
            # Accented letters -> base letter; everything else (controls, emoji) -> space.
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(base if base.isalnum() else " ")
    return " ".join("".join(out).upper().split())


def _expand_hi(lo: str, hi: str) -> int:
    # "6244-56" means 6244-6256: the high number repeats the low number's leading digits.
    if len(hi) < len(lo):
        hi = lo[: len(lo) - len(hi)] + hi
    return int(hi)


_NUMBER_WORDS = {
    "ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5, "SIX": 6, "SEVEN": 7, "EIGHT": 8,
    "NINE": 9, "TEN": 10, "ELEVEN": 11, "TWELVE": 12, "FIFTEEN": 15, "TWENTY": 20,
}


def _first_address(text: str) -> str:
    """Keep only the first address of a list ("A; B", "A & 411 S X", "A (B)", "A, 2 W Y")."""
    text = re.split(r"[;(]", text, maxsplit=1)[0]
    match = re.search(r"\s*(?:,|&|\bAND\b)\s*\d{1,6}(?:-\d+)?\s+[A-Z]", text)
    if match and match.start() > 0:
        text = text[: match.start()]
    if text[:1].isdigit():
        # "3500 N CLARK & ADDISON": a house number plus a cross street; keep the address.
        text = re.split(r"\s*(?:&|@|\bAND\b|\bAT\b)\s*", text, maxsplit=1)[0]
    return text.strip(" ,&")


def _pre_split(text: str) -> tuple[str, int | None, int | None]:
    """Pull a leading house number or number range off the text."""
    # "4211,4215,4217 N PAULINA": a list of numbers on one street; keep the first.
    text = re.sub(r"^(\d+)(?:\s*,\s*\d+)+\s+", r"\1 ", text)
    text = _first_address(text)
    first = text.split(" ", 1)
    if first[0] in _NUMBER_WORDS and len(first) > 1:
        text = f"{_NUMBER_WORDS[first[0]]} {first[1]}"  # "One South Wacker"
    text = re.sub(r"^(\d+)\s+1\s*/\s*2\b", r"\1", text)  # "1958 1/2 N ..." (rear house)
    # "120/120-134 N GREEN": keep the first number. "201 W GRAND AVE/516 N WELLS": first address.
    text = re.sub(r"^(\d+)\s*/\s*[\d-]+\s+", r"\1 ", text)
    text = re.sub(r"\s*/\s*\d.*$", "", text)
    text = " ".join(text.replace("/", " ").split())
    match = _RANGE_RE.match(text)
    if match:
        low, high = int(match.group(1)), _expand_hi(match.group(1), match.group(2))
        rest = f"{low} " + text[match.end():]
        # Only a plausible building range (same side of one block); else keep the first.
        if low < high <= low + MAX_RANGE_SPAN and (low - high) % 2 == 0:
            return rest, low, high
        return rest, None, None
    return text, None, None


def _parse_intersection(address: ParsedAddress, first: str, rest: str) -> ParsedAddress:
    """Fill ``address`` for "A & B[, CHICAGO IL 606xx]"; the first street is street_tokens."""
    # Tag the second part as a full address (after a made-up house number) so usaddress
    # finds the city and ZIP.
    tokens = _tag("1 " + rest)
    place = []
    for token, label in tokens[1:]:
        word = token.strip(" ,").replace("'", "")
        if not word:
            continue
        if label == "PlaceName":
            place.append(word)
        elif label == "StateName" and word not in _COUNTRY_WORDS and not address.state:
            address.state = "IL" if word in _STATE_NAMES else word
        elif label == "ZipCode":
            zip_match = _ZIP_RE.match(word)
            address.zip = zip_match.group(1) if zip_match else word
        elif not place and not address.state and not address.zip:
            address.cross_tokens.extend(word.split())
    address.street_tokens = first.replace("'", "").split()
    if not address.cross_tokens and place and not address.state and not address.zip:
        # "SHERIDAN AND CHICAGO": Chicago Ave, not the city
        address.cross_tokens, place = place, []
    address.place = " ".join(place)
    if not address.street_tokens or not address.cross_tokens:
        address.error = "unparseable"
    return address


# The common shape, "1958 N MILWAUKEE AVE" with an optional ", 60647": a house number, a few
# plain words ending in a street type, a ZIP. For it, the CRF tagger (most of a look-up's
# time) would only say what this says; anything else goes to the tagger. The equivalence is
# checked over the shipped address points in tests/test_geo_parse_fastpath.py.
_FAST_WORD = r"(?:[A-Z][A-Z']*|\d{1,3}(?:ST|ND|RD|TH))"
_FAST_RE = re.compile(rf"^(\d{{1,6}})((?: {_FAST_WORD}){{1,5}})(?:,? (\d{{5}}))?$")
_FAST_RISKY = (_UNIT_WORDS | _STATE_NAMES | _COUNTRY_WORDS
               | {"CHICAGO", "CHGO", "EVANSTON", "CICERO", "OAK", "PARK", "ST", "SAINT"})
_FAST_TYPES = frozenset(STREET_TYPES) - {"PARK", "SQ", "SQUARE", "PLAZA", "PLZ", "PLZA", "ROW"}


def _fast_tokens(body: str):
    """usaddress-style tokens for the simple shape, or None to ask the tagger."""
    match = _FAST_RE.match(body)
    if match is None:
        return None
    words = match.group(2).split()
    if len(words) < 2 or words[-1] not in _FAST_TYPES or any(
        word in _FAST_RISKY for word in words[:-1]
    ):
        return None
    tokens = [(match.group(1), "AddressNumber")] + [(word, "StreetName") for word in words]
    if match.group(3):
        tokens.append((match.group(3), "ZipCode"))
    return tokens


def _tag(text: str) -> list[tuple[str, str]]:
    """usaddress's (token, label) pairs for cleaned text."""
    # No guard: in cleaned text (ASCII letters, digits, spaces and #-/,&'();) every token
    # usaddress cuts holds a letter or digit, so its feature code, which indexes the token
    # stripped of punctuation, cannot fail. tests/test_geo_hostile.py tags every short
    # string of those characters. (usaddress raises RepeatedLabelError only in tag().)
    return usaddress.parse(text)


def parse(text: object) -> ParsedAddress:
    """Parse address text into components; sets ``error`` instead of raising."""
    raw = text if isinstance(text, str) else ""
    cleaned = clean_text(text)
    address = ParsedAddress(text=cleaned)
    if not cleaned or not any(c.isalnum() for c in cleaned):
        address.error = "empty"
        return address
    if len(raw) > RAW_INPUT_FACTOR * MAX_INPUT_CHARS or len(cleaned) > MAX_INPUT_CHARS:
        address.error = "too_long"
        return address
    cleaned = numeric_ordinals(cleaned)
    match = _CROSS_RE.match(cleaned)
    if match:
        return _parse_intersection(address, match.group(1), match.group(2))
    match = _LEADING_UNIT_RE.match(cleaned)
    lead_unit = ""
    if match:
        lead_unit, cleaned = match.group(0).strip(" ,"), cleaned[match.end():]
    body, low, high = _pre_split(cleaned)
    body, tail = peel_tail(body)
    tokens = _fast_tokens(body) or _tag(body)

    street: list[str] = []
    unit: list[str] = []
    place: list[str] = []
    number = None
    seen_street = False
    for token, label in tokens:
        word = token.strip(" ,.").replace(".", "")
        if not word:
            continue
        if label == "AddressNumber" and number is None and not seen_street:
            number = word
        elif label in _STREET_LABELS:
            # A second street (e.g. a cross street) after a unit or place is ignored.
            if unit or place:
                continue
            seen_street = True
            street.extend(word.replace("'", "").split())
        elif label in _UNIT_LABELS:
            unit.append(word)
        elif label == "PlaceName":
            place.append(word)
        elif label == "StateName":
            if word not in _COUNTRY_WORDS and not address.state:
                address.state = word
        elif label == "ZipCode":
            zip_match = _ZIP_RE.match(word)
            address.zip = zip_match.group(1) if zip_match else word
    if number is None and low is None:
        number_match = _NUM_RE.match(body)
        number = number_match.group(1) if number_match else None
    if low is not None:
        address.number, address.number_hi = low, high
    elif number is not None:
        number_match = _NUM_RE.match(number.replace(" ", ""))
        address.number = int(number_match.group(1)) if number_match else None
        range_match = re.match(r"^(\d+)-(\d+)$", number)
        if range_match:
            range_high = _expand_hi(range_match.group(1), range_match.group(2))
            if address.number is not None and (
                    address.number < range_high <= address.number + MAX_RANGE_SPAN):
                address.number_hi = range_high
    # usaddress sometimes leaves a unit word inside the street ("... AVE REAR").
    while street and street[-1] in _UNIT_WORDS:
        unit.insert(0, street.pop())
    if street and street[-1].startswith("#"):
        unit.insert(0, street.pop())
    address.street_tokens = [t.lstrip("#") for t in street if t.lstrip("#")]
    unit += [tail.unit] if tail.unit else []
    address.unit = " ".join([lead_unit, *unit] if lead_unit else unit).replace("# ", "#")
    address.place = " ".join(place) or tail.place
    address.state = address.state or tail.state
    address.zip = address.zip or tail.zip
    if address.state and address.state.replace(".", "") in _STATE_NAMES:
        address.state = "IL"
    if address.number is None:
        address.error = "missing_house_number"
    elif not address.street_tokens:
        address.error = "missing_street"
    return address
