"""Where two named streets meet ("MILWAUKEE & DAMEN"), in local metres."""

from __future__ import annotations

import numpy as np

from .areas import to_xy
from .index import PointIndex
from .paths import COORD_SCALE
from .streets import Resolution

# Readings of each street paired when looking for a named intersection; fewer for the
# corner fallback, which compares every pair of the two streets' intersection points.
INTERSECTION_READINGS = 6
CORNER_READINGS = 3
# Three-way corners (Milwaukee/Damen/North) list only some street pairs: two streets whose
# intersection points come this close are taken to meet there.
CORNER_GAP_M = 60.0


class Crossings:
    """The intersections file's street pairs, and the streets' intersection points."""

    def __init__(self, arrays, points: PointIndex):
        self.points = points
        xs, ys = to_xy(arrays["xp_lon"] / COORD_SCALE, arrays["xp_lat"] / COORD_SCALE)
        # (lower street id, higher street id) -> the point where the two streets cross.
        self.pairs: dict[tuple[int, int], tuple[float, float]] = {}
        for first, second, x, y in zip(arrays["xp_a"].tolist(), arrays["xp_b"].tolist(),
                                       xs.tolist(), ys.tolist(), strict=True):
            self.pairs.setdefault((first, second), (x, y))

    def meet(self, first: Resolution, cross: Resolution):
        """(street id, street id, (x, y)) of the best-ranked pair that meets, or None."""
        best = None  # (rank sum, street id, street id, (x, y))
        for i, one in enumerate(first.candidates[:INTERSECTION_READINGS]):
            for j, other in enumerate(cross.candidates[:INTERSECTION_READINGS]):
                key = (min(one.sid, other.sid), max(one.sid, other.sid))
                if key in self.pairs and (best is None or i + j < best[0]):
                    best = (i + j, one.sid, other.sid, self.pairs[key])
        if best is None:
            for i, one in enumerate(first.candidates[:CORNER_READINGS]):
                for j, other in enumerate(cross.candidates[:CORNER_READINGS]):
                    corner = self._closest_approach(one.sid, other.sid, CORNER_GAP_M)
                    if corner and (best is None or i + j < best[0]):
                        best = (i + j, one.sid, other.sid, corner)
        return None if best is None else best[1:]

    def _closest_approach(self, one: int, other: int, limit: float):
        """Midpoint of the closest pair of intersection points of two streets, within limit."""
        one_x, one_y = self.points.corners(one)
        other_x, other_y = self.points.corners(other)
        if len(one_x) == 0 or len(other_x) == 0:
            return None
        dx = one_x[:, None] - other_x[None, :]
        dy = one_y[:, None] - other_y[None, :]
        squared = dx * dx + dy * dy
        closest = int(np.argmin(squared))
        i, j = divmod(closest, len(other_x))
        if squared.flat[closest] > limit * limit:
            return None
        return float(one_x[i] + other_x[j]) / 2, float(one_y[i] + other_y[j]) / 2
