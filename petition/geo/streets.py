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
from rapidfuzz.distance import DamerauLevenshtein

from .names import (
    DIRECTION_WORDS,
    DIRECTIONS,
    STREET_TYPES,
    canonical_name,
    name_keys,
)

FUZZY_SUGGEST = 60.0  # rapidfuzz ratio (0-100) for a "did you mean" suggestion


def _max_edits(name: str) -> int:
    # Auto-correct only small typos: 1 edit (incl. a swap of two letters) for names of
    # 5+ letters, 2 for 9+; shorter names are too easily confused with other streets.
    n = len(name.replace(" ", ""))
    return 0 if n < 5 else 1 if n < 9 else 2


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

    def __init__(self, st_dir, st_name, st_type, st_min, st_max, st_zips, npts):
        self.dir = [str(x) for x in st_dir]
        self.name = [str(x) for x in st_name]
        self.type = [str(x) for x in st_type]
        self.min = np.asarray(st_min).tolist()
        self.max = np.asarray(st_max).tolist()
        self.zips = [set(str(z).split()) for z in st_zips]
        self.npts = np.asarray(npts).tolist()
        self.by_key: dict[str, list[int]] = defaultdict(list)
        for sid, nm in enumerate(self.name):
            self.by_key[nm.replace(" ", "")].append(sid)
        # Fuzzy matching runs over distinct names of streets that have points or ranges.
        self.fuzzy_names = sorted({nm for sid, nm in enumerate(self.name)
                                   if self.npts[sid] > 0 or self.max[sid] > 0})
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
        toks = [t for t in tokens if t]
        if not toks:
            return
        starts = [("", toks, 0.0)]
        if len(toks) > 1 and toks[0] in DIRECTIONS:
            # "S SHORE DR" may be S + SHORE DR or SOUTH SHORE DR; prefer the direction.
            starts = [(DIRECTIONS[toks[0]], toks[1:], 0.0),
                      ("", [DIRECTION_WORDS[DIRECTIONS[toks[0]]]] + toks[1:], 0.6)]
        for d, rest, pen in starts:
            yield from self._tail_readings(d, rest, pen)
            if d and len(rest) > 1 and rest[0] in DIRECTIONS:
                # "E N WATER ST" = E NORTH WATER ST: a direction word inside the name.
                inner = [DIRECTION_WORDS[DIRECTIONS[rest[0]]]] + rest[1:]
                yield from self._tail_readings(d, inner, pen + 0.3)

    @staticmethod
    def _tail_readings(d, rest, pen):
        if not rest:
            return
        last = rest[-1]
        if len(rest) > 1 and last in DIRECTIONS:
            # Trailing direction: part of the name ("LINCOLN PARK W") or a suffix (KING DR E).
            core = rest[:-1]
            yield d, core[:-1] + [core[-1], DIRECTION_WORDS[DIRECTIONS[last]]], "", pen + 0.1
            if len(core) > 1 and core[-1] in STREET_TYPES:
                yield d, core[:-1], STREET_TYPES[core[-1]], pen + 0.2
            yield d, core, "", pen + 0.3
        if len(rest) > 1 and last in STREET_TYPES:
            yield d, rest[:-1], STREET_TYPES[last], pen
            # Names that look like they end in a type: keep the word as name too.
            yield d, rest, "", pen + 0.8
        else:
            yield d, rest, "", pen
        if len(rest) > 2 and rest[-2] in STREET_TYPES and not rest[-1].isdigit():
            # A stray word after the type ("... AVE CHICAGO" when the place was not tagged).
            yield d, rest[:-2], STREET_TYPES[rest[-2]], pen + 1.0

    def _score(self, sid, d, typ, number, zip_code, pen) -> Candidate:
        score = -pen
        if d:
            score += 3.0 if self.dir[sid] == d else -4.0
        if typ:
            score += 2.0 if self.type[sid] == typ else -1.0
        inr = self.in_range(sid, number) if number is not None else None
        if inr is True:
            score += 3.0
        elif inr is False:
            score -= 3.0
        if zip_code and self.zips[sid]:
            score += 1.0 if zip_code in self.zips[sid] else -0.5
        score += min(1.0, math.log10(1 + self.npts[sid]) / 4.0)
        return Candidate(sid, score, inr)

    def resolve(self, tokens: list[str], number: int | None, zip_code: str = "") -> Resolution:
        """Rank the streets the words can mean (best first)."""
        best: dict[int, Candidate] = {}
        for d, words, typ, pen in self._readings(tokens):
            for j, key in enumerate(name_keys(" ".join(words))):
                for sid in self.by_key.get(key, ()):
                    c = self._score(sid, d, typ, number, zip_code, pen + 0.2 * j)
                    if sid not in best or c.score > best[sid].score:
                        best[sid] = c
        if best:
            return Resolution(sorted(best.values(), key=lambda c: (-c.score, c.sid)))
        return self._fuzzy(tokens, number, zip_code)

    def _fuzzy(self, tokens, number, zip_code) -> Resolution:
        readings = list(self._readings(tokens))
        if not readings:
            return Resolution([], suggestions=[])
        d, words, typ, _ = readings[0]
        query = canonical_name(" ".join(words))
        if not query or len(query) < 3:
            return Resolution([], suggestions=[])
        hits = process.extract(query, self.fuzzy_names, scorer=fuzz.ratio, limit=8,
                               score_cutoff=FUZZY_SUGGEST)
        cands: dict[int, Candidate] = {}
        for nm, sim, _ in hits:
            for sid in self.by_key.get(nm.replace(" ", ""), ()):
                c = self._score(sid, d, typ, number, zip_code, (100.0 - sim) / 10.0)
                cands[sid] = c
        ranked = sorted(cands.values(), key=lambda c: (-c.score, c.sid))
        suggestions = []
        for c in ranked:
            lab = self.label(c.sid)
            if lab not in suggestions and (not d or self.dir[c.sid] == d):
                suggestions.append(lab)
        suggestions = suggestions[:5]
        # Auto-correct: the unique closest name within a small edit distance, and only if
        # it fits the typed direction and house number.
        limit = _max_edits(query)
        if limit:
            close = process.extract(query, self.fuzzy_names, scorer=DamerauLevenshtein.distance,
                                    limit=6, score_cutoff=limit)
            if close:
                dmin = min(dd for _, dd, _ in close)
                fits = []
                for nm, dd, _ in close:
                    if dd != dmin:
                        continue
                    for sid in self.by_key.get(nm.replace(" ", ""), ()):
                        c = self._score(sid, d, typ, number, zip_code, 1.0)
                        if c.in_range is not False and (not d or self.dir[sid] == d):
                            fits.append(c)
                if fits and len({self.name[c.sid] for c in fits}) == 1:
                    fits.sort(key=lambda c: (-c.score, c.sid))
                    return Resolution(fits, fuzzy=True, suggestions=suggestions)
        return Resolution([], suggestions=suggestions)
