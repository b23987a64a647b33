"""Street directory: which Chicago street do the parsed street words mean?

Tries several readings of the words (leading direction or part of the name, trailing type
or part of the name, trailing direction as suffix or as "WEST" in LINCOLN PARK WEST), looks
each reading up by space-less key (so LASALLE == LA SALLE) after the alias table, then
scores candidates by direction, type, house-number range, ZIP and size. Unknown names get
a rapidfuzz "did you mean" pass.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from .names import (
    DIRECTION_WORDS,
    DIRECTIONS,
    NAME_ALIASES,
    STREET_TYPES,
    canonical_name,
    name_keys,
)

FUZZY_SUGGEST = 60.0  # rapidfuzz ratio (0-100) for a "did you mean" suggestion
FUZZY_MIN_LETTERS = 3  # shorter names are too short to guess at
FUZZY_HITS = 8  # closest names considered for suggestions
FUZZY_SUGGESTIONS = 5  # at most this many "did you mean" streets are shown
SIMILARITY_PER_POINT = 10.0  # a suggestion loses one score point per 10 ratio points short
CORRECTED_PENALTY = 1.0  # an auto-corrected name scores below the same name typed right
VARIANT_PENALTY = 0.2  # per step down name_keys' list (5TH -> FIFTH): the typed form first
# Candidate scores, strongest first: the typed direction (a mismatch costs more than a
# match earns), whether the number is on the street, the typed type (a mismatch costs
# little: a trailing type word may be part of the name), the ZIP (a soft signal: ZIPs
# straddle streets and get mistyped) and the street's size, a tie-breaker between streets
# of one name (up to SIZE_SCORE at 10,000 points).
DIRECTION_SCORE, WRONG_DIRECTION_SCORE = 3.0, -4.0
TYPE_SCORE, WRONG_TYPE_SCORE = 2.0, -1.0
IN_RANGE_SCORE, OUT_OF_RANGE_SCORE = 3.0, -3.0
ZIP_SCORE, WRONG_ZIP_SCORE = 1.0, -0.5
SIZE_SCORE = 1.0


CORRECTION_LETTERS = (5, 9)  # names this long may be corrected by 1 edit, this long by 2


def _max_edits(name: str) -> int:
    # Auto-correct only small typos: 1 edit (a letter wrong, missing, extra, or two
    # neighbours swapped) for names of 5+ letters, 2 for 9+; shorter names are too easily
    # confused with other streets ("FAKE" is one letter from "LAKE"). The length is the
    # longer of the typed and the corrected name, so "HUON" (a letter missing) can be
    # HURON. A correction must also be the only nearest name that fits.
    n = len(name.replace(" ", ""))
    one, two = CORRECTION_LETTERS
    return 0 if n < one else 1 if n < two else 2


@dataclass
class Candidate:
    """One street the words may mean, with its score."""

    sid: int
    score: float
    in_range: bool | None


@dataclass
class Resolution:
    """Outcome of resolving street words + house number."""

    candidates: list[Candidate]  # best first; empty when unknown
    fuzzy: bool = False
    suggestions: list[str] | None = None


class StreetDirectory:
    """Street table with name lookup, ranking and fuzzy suggestions."""

    def __init__(self, st_dir, st_name, st_type, st_min, st_max, st_zips, point_counts):
        self.dir = [str(x) for x in st_dir]
        self.name = [str(x) for x in st_name]
        self.type = [str(x) for x in st_type]
        self.min = np.asarray(st_min).tolist()
        self.max = np.asarray(st_max).tolist()
        self.zips = [set(str(z).split()) for z in st_zips]
        self.point_counts = np.asarray(point_counts).tolist()
        self.by_key: dict[str, list[int]] = defaultdict(list)
        for sid, name in enumerate(self.name):
            self.by_key[name.replace(" ", "")].append(sid)
        # Fuzzy matching runs over distinct names of streets that have points or ranges.
        self.fuzzy_names = sorted({name for sid, name in enumerate(self.name)
                                   if self.point_counts[sid] > 0 or self.max[sid] > 0})
        # Corrections also run over the long spellings of the alias table (a typo in
        # "Jean Baptiste Pointe DuSable Lake Shore"), each standing for its street.
        known = set(self.fuzzy_names)
        self.correction_targets = {name: name for name in self.fuzzy_names}
        self.correction_targets.update({alias: target for alias, target in NAME_ALIASES.items()
                                        if target in known and alias not in known})
        self.correction_names = sorted(self.correction_targets)
        self.all_zips = set().union(*self.zips) if self.zips else set()

    def label(self, sid: int) -> str:
        """Display label 'N MILWAUKEE AVE' for a street id."""
        return " ".join(x for x in (self.dir[sid], self.name[sid], self.type[sid]) if x)

    def in_range(self, sid: int, number: int) -> bool | None:
        """Whether ``number`` lies within the street's known blocks (None: unknown)."""
        lo, hi = self.min[sid], self.max[sid]
        if hi <= 0:
            return None
        return lo // 100 <= number // 100 <= hi // 100

    def _readings(self, tokens: list[str]):
        """Yield (direction, name words, type, penalty) readings of the street words."""
        words = [t for t in tokens if t]
        if not words:
            return
        starts = [("", words, 0.0)]
        if len(words) > 1 and words[0] in DIRECTIONS:
            # "S SHORE DR" may be S + SHORE DR or SOUTH SHORE DR; prefer the direction.
            starts = [(DIRECTIONS[words[0]], words[1:], 0.0),
                      ("", [DIRECTION_WORDS[DIRECTIONS[words[0]]]] + words[1:], 0.6)]
        for direction, rest, penalty in starts:
            yield from self._tail_readings(direction, rest, penalty)
            if direction and len(rest) > 1 and rest[0] in DIRECTIONS:
                # "E N WATER ST" = E NORTH WATER ST: a direction word inside the name.
                inner = [DIRECTION_WORDS[DIRECTIONS[rest[0]]]] + rest[1:]
                yield from self._tail_readings(direction, inner, penalty + 0.3)

    @staticmethod
    def _tail_readings(direction, rest, penalty):
        if not rest:
            return
        last = rest[-1]
        if len(rest) > 1 and last in DIRECTIONS:
            # Trailing direction: part of the name ("LINCOLN PARK W") or a suffix (KING DR E).
            core = rest[:-1]
            yield (direction, core[:-1] + [core[-1], DIRECTION_WORDS[DIRECTIONS[last]]], "",
                   penalty + 0.1)
            # With no leading direction, the trailing one is the street's ("SEELEY AVE N").
            directions = (direction,) if direction else ("", DIRECTIONS[last])
            for trailing in directions:
                if len(core) > 1 and core[-1] in STREET_TYPES:
                    yield trailing, core[:-1], STREET_TYPES[core[-1]], penalty + 0.2
                yield trailing, core, "", penalty + 0.3
        if len(rest) > 1 and last in STREET_TYPES:
            yield direction, rest[:-1], STREET_TYPES[last], penalty
            # Names that look like they end in a type: keep the word as name too.
            yield direction, rest, "", penalty + 0.8
        else:
            yield direction, rest, "", penalty
        if len(rest) > 2 and rest[-2] in STREET_TYPES and not rest[-1].isdigit():
            # A stray word after the type ("... AVE CHICAGO" when the place was not tagged).
            yield direction, rest[:-2], STREET_TYPES[rest[-2]], penalty + 1.0

    def _score(self, sid, direction, street_type, number, zip_code, penalty) -> Candidate:
        score = -penalty
        if direction:
            score += DIRECTION_SCORE if self.dir[sid] == direction else WRONG_DIRECTION_SCORE
        if street_type:
            score += TYPE_SCORE if self.type[sid] == street_type else WRONG_TYPE_SCORE
        in_range = self.in_range(sid, number) if number is not None else None
        if in_range is True:
            score += IN_RANGE_SCORE
        elif in_range is False:
            score += OUT_OF_RANGE_SCORE
        if zip_code and self.zips[sid]:
            score += ZIP_SCORE if zip_code in self.zips[sid] else WRONG_ZIP_SCORE
        score += min(SIZE_SCORE, math.log10(1 + self.point_counts[sid]) / 4.0)
        return Candidate(sid, score, in_range)

    def resolve(self, tokens: list[str], number: int | None, zip_code: str = "") -> Resolution:
        """Rank the streets the words can mean (best first)."""
        best: dict[int, Candidate] = {}
        for direction, words, street_type, penalty in self._readings(tokens):
            for j, key in enumerate(name_keys(" ".join(words))):
                for sid in self.by_key.get(key, ()):
                    candidate = self._score(sid, direction, street_type, number, zip_code,
                                            penalty + VARIANT_PENALTY * j)
                    if sid not in best or candidate.score > best[sid].score:
                        best[sid] = candidate
        if best:
            return Resolution(_ranked(best.values()))
        return self._fuzzy(tokens, number, zip_code)

    def _fuzzy(self, tokens, number, zip_code) -> Resolution:
        readings = list(self._readings(tokens))
        if not readings:
            return Resolution([], suggestions=[])
        # The fullest reading: with a type and a direction if the words have them.
        direction, words, street_type, _ = max(
            readings, key=lambda reading: (bool(reading[2]), bool(reading[0]), -reading[3]))
        query = canonical_name(" ".join(words))
        if len(query) < FUZZY_MIN_LETTERS:
            return Resolution([], suggestions=[])
        hits = process.extract(query, self.fuzzy_names, scorer=fuzz.ratio, limit=FUZZY_HITS,
                               score_cutoff=FUZZY_SUGGEST)
        similar: dict[int, Candidate] = {}
        for name, similarity, _ in hits:
            for sid in self.by_key.get(name.replace(" ", ""), ()):
                similar[sid] = self._score(sid, direction, street_type, number, zip_code,
                                           (100.0 - similarity) / SIMILARITY_PER_POINT)
        suggestions = []
        for candidate in _ranked(similar.values()):
            label = self.label(candidate.sid)
            if label not in suggestions and (not direction or self.dir[candidate.sid] == direction):
                suggestions.append(label)
        suggestions = suggestions[:FUZZY_SUGGESTIONS]
        fits = self._correction(query, direction, street_type, number, zip_code)
        return Resolution(_ranked(fits), fuzzy=bool(fits), suggestions=suggestions)

    def _correction(self, query, direction, street_type, number, zip_code) -> list[Candidate]:
        """The streets of the one name a typo can mean, or [] when it is not clear.

        Clear: among the names within a small edit distance (``_max_edits``) that have a
        street fitting the typed direction, the house number (inside its blocks; for an
        intersection's streets, which have none, the crossing must exist) and, if any does,
        the typed type, exactly one is nearest to what was typed.
        """
        limit = _max_edits(query + "?")  # one letter may be missing from what was typed
        if not limit:
            return []
        # A swap of two letters is one Damerau edit but two Levenshtein edits: the fast
        # Levenshtein pass at twice the limit keeps every name the Damerau check can accept.
        rough = process.extract(query, self.correction_names, scorer=Levenshtein.distance,
                                limit=None, score_cutoff=2 * limit)
        close = [(name, DamerauLevenshtein.distance(query, name), index)
                 for name, _, index in rough]
        close = [hit for hit in close if hit[1] <= limit]
        fitting: dict[str, list[Candidate]] = {}
        edits_of: dict[str, int] = {}
        for name, edits, _ in close:
            if edits > _max_edits(max(query, name, key=len)):
                continue
            target = self.correction_targets[name]
            for sid in self.by_key.get(target.replace(" ", ""), ()):
                candidate = self._score(sid, direction, street_type, number, zip_code,
                                        CORRECTED_PENALTY)
                # No number (one street of an intersection): the crossing must exist instead.
                in_range = number is None or candidate.in_range
                if in_range and (not direction or self.dir[sid] == direction):
                    fitting.setdefault(target, []).append(candidate)
                    edits_of[target] = min(edits, edits_of.get(target, edits))
        typed = {target: found for target, found in fitting.items()
                 if any(self.type[c.sid] == street_type for c in found)}
        if street_type and typed:
            fitting = typed
        if not fitting:
            return []
        fewest = min(edits_of[target] for target in fitting)
        nearest = [target for target in fitting if edits_of[target] == fewest]
        return fitting[nearest[0]] if len(nearest) == 1 else []


def _ranked(candidates) -> list[Candidate]:
    """Best score first; equal scores by street id, so the order never depends on input order."""
    return sorted(candidates, key=lambda candidate: (-candidate.score, candidate.sid))
