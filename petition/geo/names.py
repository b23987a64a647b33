"""Normalisation tables shared by the data builder and the run-time parser.

Everything here is pure string work (no data files), so that the index built by
``scripts/build_geo_data.py`` and the parser used at look-up time spell streets the same way.
"""

from __future__ import annotations

import re

DIRECTIONS = {
    "N": "N", "NORTH": "N", "NO": "N",
    "S": "S", "SOUTH": "S", "SO": "S",
    "E": "E", "EAST": "E",
    "W": "W", "WEST": "W",
}
DIRECTION_WORDS = {"N": "NORTH", "S": "SOUTH", "E": "EAST", "W": "WEST"}

# USPS suffix abbreviations for the types that occur in Chicago (and common misspellings).
STREET_TYPES = {
    "AVE": "AVE", "AV": "AVE", "AVENUE": "AVE", "AVN": "AVE", "AVNUE": "AVE", "AVEN": "AVE",
    "AVENU": "AVE", "AVES": "AVE",
    "ST": "ST", "STREET": "ST", "STR": "ST", "STRT": "ST", "STRET": "ST",
    "BLVD": "BLVD", "BOULEVARD": "BLVD", "BLV": "BLVD", "BOUL": "BLVD", "BOULV": "BLVD",
    "PKWY": "PKWY", "PARKWAY": "PKWY", "PKY": "PKWY", "PKWAY": "PKWY", "PARKWY": "PKWY",
    "PKWYS": "PKWY",
    "DR": "DR", "DRIVE": "DR", "DRV": "DR", "DRIV": "DR",
    "PL": "PL", "PLACE": "PL",
    "RD": "RD", "ROAD": "RD",
    "CT": "CT", "COURT": "CT", "CRT": "CT",
    "TER": "TER", "TERRACE": "TER", "TERR": "TER",
    "LN": "LN", "LANE": "LN",
    "PLZ": "PLZ", "PLAZA": "PLZ", "PLZA": "PLZ",
    "HWY": "HWY", "HIGHWAY": "HWY",
    "EXPY": "EXPY", "EXPRESSWAY": "EXPY", "EXPWY": "EXPY", "EXP": "EXPY",
    "SQ": "SQ", "SQUARE": "SQ",
    "WAY": "WAY",
    "ROW": "ROW",
    "CIR": "CIR", "CIRCLE": "CIR",
    "CRES": "CRES", "CRESCENT": "CRES",
    "TRL": "TRL", "TRAIL": "TRL",
}
CANONICAL_TYPES = frozenset(STREET_TYPES.values())

# Word-level rewrites inside street names (applied to every token of the name).
NAME_WORDS = {
    "SAINT": "ST",
    "DOCTOR": "DR",
    "JUNIOR": "JR",
    "MOUNT": "MT",
}

# Whole-name aliases, keyed and valued by canonical name (tokens joined by one space).
# Chicago renames and the permit system's spellings vs. what people type. Space-less
# spellings ("LASALLE", "DESPLAINES", "MCLEAN") are handled by ``name_key`` instead.
NAME_ALIASES = {
    # Renamed 2021 (DuSable Lake Shore Dr); the permit system writes the full new name.
    "JEAN BAPTISTE POINTE DUSABLE LAKE SHORE": "LAKE SHORE",
    "JEAN BAPTISTE POINT DUSABLE LAKE SHORE": "LAKE SHORE",
    "JEAN BAPTISTE POINTE DU SABLE LAKE SHORE": "LAKE SHORE",
    "JEAN BAPTISTE POINT DU SABLE LAKE SHORE": "LAKE SHORE",
    "DUSABLE LAKE SHORE": "LAKE SHORE",
    "DU SABLE LAKE SHORE": "LAKE SHORE",
    "LSD": "LAKE SHORE",
    "OUTER LAKE SHORE": "LAKE SHORE",
    # King Drive has many spellings; the City's is "DR MARTIN LUTHER KING JR DR".
    "DR MARTIN L KING JR": "DR MARTIN LUTHER KING JR",
    "DR MARTIN LUTHER KING": "DR MARTIN LUTHER KING JR",
    "DR M L KING JR": "DR MARTIN LUTHER KING JR",
    "DR ML KING JR": "DR MARTIN LUTHER KING JR",
    "DR MLK JR": "DR MARTIN LUTHER KING JR",
    "MARTIN LUTHER KING JR": "DR MARTIN LUTHER KING JR",
    "MARTIN LUTHER KING": "DR MARTIN LUTHER KING JR",
    "MARTIN L KING JR": "DR MARTIN LUTHER KING JR",
    "MARTIN L KING": "DR MARTIN LUTHER KING JR",
    "M L KING JR": "DR MARTIN LUTHER KING JR",
    "M L KING": "DR MARTIN LUTHER KING JR",
    "ML KING": "DR MARTIN LUTHER KING JR",
    "MLK JR": "DR MARTIN LUTHER KING JR",
    "MLK": "DR MARTIN LUTHER KING JR",
    "KING": "DR MARTIN LUTHER KING JR",
    # Congress Pkwy was renamed Ida B. Wells Dr (2019) downtown; both spellings stay in use.
    "IDA B WELLS": "IDA B WELLS",
    "IDA WELLS": "IDA B WELLS",
    "LINCOLN PARK W": "LINCOLN PARK WEST",
    "FULTON MARKET ST": "FULTON MARKET",
}

# Street pairs that are the same roadway under two current names: their address points
# are shared (numbers follow the same grid), but each keeps its own display name.
SHARED_POINTS = [
    (("E", "CONGRESS", "PKWY"), ("E", "IDA B WELLS", "DR")),
    (("W", "CONGRESS", "PKWY"), ("W", "IDA B WELLS", "DR")),
]

ORDINAL_WORDS = {
    "1ST": "FIRST", "2ND": "SECOND", "3RD": "THIRD", "4TH": "FOURTH", "5TH": "FIFTH",
    "6TH": "SIXTH", "7TH": "SEVENTH", "8TH": "EIGHTH", "9TH": "NINTH", "10TH": "TENTH",
    "11TH": "ELEVENTH", "12TH": "TWELFTH",
}
WORD_ORDINALS = {v: k for k, v in ORDINAL_WORDS.items()}

_ORDINAL_RE = re.compile(r"^(\d+)(ST|ND|RD|TH)?$")
# Chicago's numbered streets stop at 138th: a bigger number in a name is left as typed.
ORDINAL_LIMIT = 200
_NON_WORD_RE = re.compile(r"[^A-Z0-9 ]+")


def ordinal(num: int) -> str:
    """Return the ordinal street-name form of ``num`` (87 -> '87TH')."""
    if 10 <= num % 100 <= 20:
        suffix = "TH"
    else:
        suffix = {1: "ST", 2: "ND", 3: "RD"}.get(num % 10, "TH")
    return f"{num}{suffix}"


def normalize_name_tokens(tokens: list[str]) -> list[str]:
    """Normalise the words of a street name (ordinals, SAINT->ST, ...)."""
    out = []
    for i, word in enumerate(tokens):
        match = _ORDINAL_RE.match(word)
        if match and int(match.group(1)) < ORDINAL_LIMIT:
            word = ordinal(int(match.group(1)))
        elif i == 0 and word in ("AVE", "AV") and len(tokens) == 2 and len(tokens[1]) == 1:
            word = "AVENUE"  # "Ave O" is the lettered street AVENUE O
        else:
            word = NAME_WORDS.get(word, word)
        out.append(word)
    return out


def canonical_name(name: str) -> str:
    """Canonical street name: upper case, single spaces, known aliases resolved."""
    name = _NON_WORD_RE.sub(" ", name.upper().replace(".", "").replace("'", ""))
    tokens = normalize_name_tokens(name.split())
    joined = " ".join(tokens)
    return NAME_ALIASES.get(joined, joined)


def name_keys(name: str) -> list[str]:
    """Matching keys for a name: canonical, plus word/number ordinal variants (5TH/FIFTH)."""
    canon = canonical_name(name)
    keys = [canon.replace(" ", "")]
    words = canon.split()
    swapped = [ORDINAL_WORDS.get(word, WORD_ORDINALS.get(word, word)) for word in words]
    if swapped != words:
        keys.append("".join(swapped))
    return keys


def name_key(name: str) -> str:
    """Matching key for a canonical name: spaces removed so LASALLE == LA SALLE."""
    return canonical_name(name).replace(" ", "")


def canonical_type(typ: str) -> str:
    """USPS abbreviation for a street type word ('' when unknown or empty)."""
    return STREET_TYPES.get(typ.upper().replace(".", "").strip(), "")


def canonical_dir(d: str) -> str:
    """'N'/'S'/'E'/'W' for a direction word, '' otherwise."""
    return DIRECTIONS.get(d.upper().replace(".", "").strip(), "")


def split_street_label(label: str) -> tuple[str, str, str]:
    """Split a 'N ABERDEEN ST' style label (intersections file) into (dir, name, type)."""
    words = label.upper().split()
    direction = ""
    if len(words) > 1 and words[0] in ("N", "S", "E", "W"):
        direction, words = words[0], words[1:]
    street_type = ""
    if len(words) > 1 and words[-1] in CANONICAL_TYPES:
        street_type, words = words[-1], words[:-1]
    return direction, canonical_name(" ".join(words)), street_type
