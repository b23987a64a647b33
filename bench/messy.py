"""The ways people type an address: messy variants of the City-geocoded addresses.

Each address of set A (the City's standardised form: low house number, direction, name,
type) is rewritten once per kind below. Random choices (which unit form, which letter of
the name gets the typo ...) come from a generator seeded by the address and the kind, so
every run scores the same texts. Nothing here is used by petition/; bench/lookup.py scores
these texts leave-one-out, like set A.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import numpy as np

from scripts.build_geo_data import read_csv

DIRECTION_WORDS = {"N": "North", "S": "South", "E": "East", "W": "West"}
TYPE_WORDS = {"AVE": "Avenue", "ST": "Street", "BLVD": "Boulevard", "DR": "Drive",
              "PL": "Place", "RD": "Road", "CT": "Court", "PKWY": "Parkway", "TER": "Terrace",
              "LN": "Lane", "HWY": "Highway", "SQ": "Square", "CIR": "Circle", "PLZ": "Plaza"}
UNIT_FORMS = ("Apt {n}", "#{n}{letter}", "Unit {n}{letter}", "{nth} floor", "Rear",
              "Apt. {n}{letter}", "Fl {n}", "Ste {n}00", "# {n}", "Basement")
ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd"}
LETTERS = "abcdefghijklmnopqrstuvwxyz"
TYPO_MIN_LETTERS = 5  # a one-letter typo goes in a name word of at least this many letters
SUFFIX_DIRECTIONS = {"N", "S", "E", "W", "NORTH", "SOUTH", "EAST", "WEST"}
KINDS = ("lower", "no_commas", "spelled_out", "dotted", "unit", "typo", "no_type",
         "zip_only", "state_only", "trailing_direction")


def _nth(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else ORDINAL_SUFFIX.get(n % 10, "th")
    return f"{n}{suffix}"


def _typo(word: str, rng: random.Random) -> str:
    """One-letter typo: a letter swapped with the next, dropped, doubled or replaced."""
    i = rng.randrange(len(word) - 1)
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    wrong = rng.choice([c for c in LETTERS if c != word[i].lower()])
    return word[:i] + (wrong.upper() if word[i].isupper() else wrong) + word[i + 1:]


class Address:
    """One City-geocoded address in parts, with the ZIP of its nearest intersection."""

    def __init__(self, row: dict, zip_code: str):
        self.number = row["address"].split()[0].split("-")[0]
        self.direction = row["street_dir"]
        self.name = row["street_name"]
        self.type = row["street_type"]
        suffix = row["suffix_dir"]
        self.suffix = suffix if suffix in SUFFIX_DIRECTIONS else ""
        self.zip = zip_code
        self.ward = int(row["ward"])
        self.city_address = row["address"]

    def words(self, *, direction=True, street_type=True, name=None) -> list[str]:
        """Number, direction, name, type, suffix in title case."""
        parts = [self.number, self.direction if direction else "",
                 (name or self.name).title(), self.type.title() if street_type else "",
                 self.suffix.title()]
        return [p for p in parts if p]

    def plain(self) -> str:
        return " ".join(self.words())

    def variant(self, kind: str) -> str | None:
        """The address typed in one messy way (None: the kind does not apply)."""
        rng = random.Random(zlib.crc32(f"{self.plain()}|{kind}".encode()))
        if kind == "lower":
            return f"{self.plain()}, chicago, il".lower()
        if kind == "no_commas":
            return f"{self.plain()} Chicago IL {self.zip}".strip()
        if kind == "spelled_out":
            words = [self.number, DIRECTION_WORDS.get(self.direction, ""), self.name.title(),
                     TYPE_WORDS.get(self.type, self.type.title()), self.suffix.title()]
            return " ".join(w for w in words if w)
        if kind == "dotted":
            words = [self.number, f"{self.direction}." if self.direction else "",
                     self.name.title(), f"{self.type.title()}." if self.type else "",
                     self.suffix.title()]
            return " ".join(w for w in words if w)
        if kind == "unit":
            n = rng.randint(1, 4)
            unit = rng.choice(UNIT_FORMS).format(n=n, letter=rng.choice("ABCFR"), nth=_nth(n))
            return f"{self.plain()} {unit}" if rng.random() < 0.5 else f"{self.plain()}, {unit}"
        if kind == "typo":
            words = self.name.title().split()
            long_words = [i for i, w in enumerate(words)
                          if w.isalpha() and len(w) >= TYPO_MIN_LETTERS]
            if not long_words:
                return None
            i = rng.choice(long_words)
            words[i] = _typo(words[i], rng)
            return " ".join(self.words(name=" ".join(words)))
        if kind == "no_type":
            return " ".join(self.words(street_type=False)) if self.type else None
        if kind == "zip_only":
            return f"{self.plain()} {self.zip}" if self.zip else None
        if kind == "state_only":
            return f"{self.plain()} {rng.choice(('IL', 'Illinois', 'Il'))}"
        if kind == "trailing_direction":
            if not self.direction or self.suffix:
                return None
            direction = rng.choice((self.direction, DIRECTION_WORDS[self.direction]))
            return " ".join(self.words(direction=False) + [direction])
        raise ValueError(kind)


def _nearest_zips(data_dir: Path, lons, lats) -> list[str]:
    """ZIP of the nearest intersection to each point (the addresses carry no ZIP)."""
    rows = [r for r in read_csv(data_dir / "chicago_intersections.csv.gz") if r["zipcode"]]
    ix_lon = np.array([float(r["longitude"]) for r in rows])
    ix_lat = np.array([float(r["latitude"]) for r in rows])
    scale = np.cos(np.radians(41.84))
    out = []
    for lon, lat in zip(lons, lats, strict=True):
        nearest = int(np.argmin(((ix_lon - lon) * scale) ** 2 + (ix_lat - lat) ** 2))
        out.append(rows[nearest]["zipcode"][:5])
    return out


def messy_items(data_dir: Path) -> dict[str, list[tuple[str, int, str, str]]]:
    """{kind: [(text, City ward, plain address, City address)]} where the kind applies."""
    rows = read_csv(data_dir / "chicago_city_geocoder_addresses.csv.gz")
    zips = _nearest_zips(data_dir, [float(r["lon"]) for r in rows],
                         [float(r["lat"]) for r in rows])
    addresses = [Address(row, zip_code) for row, zip_code in zip(rows, zips, strict=True)]
    items: dict[str, list[tuple[str, int, str, str]]] = {kind: [] for kind in KINDS}
    for address in addresses:
        for kind in KINDS:
            text = address.variant(kind)
            if text is not None:
                items[kind].append((text, address.ward, address.plain().upper(),
                                    address.city_address))
    return items
