"""House number on a known street -> a point plus an uncertainty shape.

The address points (City coordinates from building permits and the City geocoder) sit
about 12 m off the street centre line, on the side their parity is on, so interpolating
between neighbours of the SAME parity keeps the estimate on the correct side of the
street: that matters because ward lines often run down a street's centre.

Every position estimate carries an uncertainty "capsule": a segment of half-length
``along`` along the street, widened by ``across`` to each side. Look-ups report every ward
the capsule touches, so a wide capsule (long interpolation gap, extrapolation) is honest
about boundaries running across the street, while a narrow one does not flag a ward line
that runs down the centre of the street when the side is known.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import params
from .areas import to_xy
from .errors import street_errors
from .paths import COORD_SCALE

MPN_GRID = 1609.344 / 800  # metres per house number on Chicago's grid (800 per mile)
SIDE_SHIFT = 24.0  # metres between the odd and even address lines (2 x ~12 m)
# Even numbers are on the north side of E-W streets, the west side of N-S streets.
_EVEN_SIDE = {"N": (-1.0, 0.0), "S": (-1.0, 0.0), "E": (0.0, 1.0), "W": (0.0, 1.0)}
_AXIS = {"N": (0.0, 1.0), "S": (0.0, -1.0), "E": (1.0, 0.0), "W": (-1.0, 0.0)}
# A capsule whose half-length is at most this (metres) is its centre point: look-ups then
# query a point, not a segment.
POINT_CAPSULE_M = 0.5
# The street's direction at a number is fitted on its points (both sides) within this many
# numbers either way: half a mile of the grid, enough points for a fit while still
# following the street where it bends.
DIRECTION_WINDOW = 400
# Fewer points than MIN_FIT_POINTS, or points spanning fewer than MIN_FIT_SPAN numbers, fix
# no direction: the grid's axis is used instead.
MIN_FIT_POINTS = 3
MIN_FIT_SPAN = 30
# A fitted scale outside this range (metres per number) is not a street but a fit thrown
# by a few stray points: the grid's scale is used instead.
FIT_MPN_RANGE = (0.6, 5.0)
MIN_FIT_NORM = 1e-6  # a fitted vector shorter than this has no direction
MIN_ANCHOR_GAP_M = 1.0  # two anchors closer than this do not give the street's direction
# Metres per number assumed at least when sizing the doubt between two anchors, so that
# anchors squeezed together (one building with many numbers) still leave some doubt.
MIN_DOUBT_MPN = 0.5
# Anchors farther apart than this per number are not on one run of the grid (a park, a
# jog, a renumbered block lies between them): the interpolation is distrusted.
JUMP_MPN = 6.0
INTERSECTIONS_DOUBT_M = 30.0  # added both ways to a street placed by its intersections


@dataclass
class PositionEstimate:
    """Estimated position (local metres) of an address and its uncertainty capsule."""

    x: float
    y: float
    match: str  # "exact" | "interpolated" | "street" | "point"
    method: str  # finer detail: exact/bracket/mirrored/extrapolated/intersections/...
    ux: float  # unit vector along the street
    uy: float
    along: float  # half-length of the uncertainty segment (m)
    across: float  # half-width (m)
    gap: int = 0  # house-number gap between the anchors used
    # Extrapolated: the last known point the estimate was carried on from. The capsule
    # reaches back to it, so the answer is confident only if no ward line lies on the way.
    anchor: tuple[float, float] | None = None

    def reach(self) -> float:
        """Farthest distance (m) of the capsule from (x, y): segment half-length (or the
        way back to the anchor) + ``across``."""
        segment = self.along * math.hypot(self.ux, self.uy) if self.is_segment() else 0.0
        if self.anchor is not None:
            segment = max(segment, math.hypot(self.anchor[0] - self.x, self.anchor[1] - self.y))
        return segment + max(self.across, 0.0)

    def is_segment(self) -> bool:
        """Whether the capsule is a segment (else look-ups use the point alone)."""
        return self.along > POINT_CAPSULE_M or self.anchor is not None

    def capsule_path(self) -> list[tuple[float, float]]:
        """The capsule's centre line: the uncertainty segment, from the anchor if any."""
        dx, dy = self.ux * self.along, self.uy * self.along
        ends = [(self.x - dx, self.y - dy), (self.x + dx, self.y + dy)]
        if self.anchor is None:
            return ends
        # From the anchor to the near end of the segment, then to the far end.
        near, far = sorted(ends, key=lambda end: math.dist(end, self.anchor))
        return [self.anchor, near, far]


class PointIndex:
    """Address points per (street, parity), sorted by house number."""

    def __init__(self, arrays, st_dir):
        self.num = arrays["pt_num"].astype(np.int64)
        lon = arrays["pt_lon"].astype(np.float64) / COORD_SCALE
        lat = arrays["pt_lat"].astype(np.float64) / COORD_SCALE
        self.x, self.y = to_xy(lon, lat)
        self.offsets = arrays["pt_off"].astype(np.int64)
        # Each street's intersection points (where it crosses other streets).
        self.corner_x, self.corner_y = to_xy(arrays["ix_lon"] / COORD_SCALE,
                                             arrays["ix_lat"] / COORD_SCALE)
        self.corner_offsets = arrays["ix_off"].astype(np.int64)
        self.st_dir = [str(d) for d in st_dir]
        streets = len(self.st_dir)
        self.point_counts = (self.offsets[2:2 * streets + 1:2]
                             - self.offsets[0:2 * streets:2])
        # Most look-ups hit an address point exactly and need the street's direction
        # there: worked out once for every point, as _direction would.
        self.point_vx, self.point_vy = self._directions_at_points()
        self.measure_errors()

    def measure_errors(self, measured=None) -> None:
        """Per-street interpolation doubt (errors.py), from the points ``measured`` (all)."""
        self.along_per_m, self.across_m = street_errors(
            self.num, self.x, self.y, self.offsets, len(self.st_dir), params.ALONG_PER_M,
            params.BRACKET_ACROSS_M, measured)

    def _slice(self, sid: int, parity: int) -> tuple[int, int]:
        key = 2 * sid + parity
        return int(self.offsets[key]), int(self.offsets[key + 1])

    def corners(self, sid: int) -> tuple[np.ndarray, np.ndarray]:
        """x and y of the intersection points of street ``sid``."""
        start, end = int(self.corner_offsets[sid]), int(self.corner_offsets[sid + 1])
        return self.corner_x[start:end], self.corner_y[start:end]

    def _neighbours(self, sid, parity, n):
        """Indices of the points of one parity at, below and above ``n``; None where absent."""
        start, end = self._slice(sid, parity)
        if start == end:
            return None, None, None
        numbers = self.num[start:end]
        first_at = int(np.searchsorted(numbers, n))  # the first number >= n
        first_above = int(np.searchsorted(numbers, n, "right"))
        exact = start + first_at if first_at < first_above else None
        below = start + first_at - 1 if first_at > 0 else None
        above = start + first_above if first_above < end - start else None
        return exact, below, above

    def _fit_window(self, sid, n):
        """(start, end, mask): the street's points, both sides, and those to fit at ``n``."""
        start, _ = self._slice(sid, 0)
        _, end = self._slice(sid, 1)
        return start, end, np.abs(self.num[start:end] - n) <= DIRECTION_WINDOW

    def _direction(self, sid, n):
        """Metres-per-number vector of the street near ``n`` (least squares on points)."""
        start, end, window = self._fit_window(sid, n)
        if window.sum() >= MIN_FIT_POINTS:
            numbers = self.num[start:end][window].astype(np.float64)
            if numbers.max() - numbers.min() >= MIN_FIT_SPAN:
                xs, ys = self.x[start:end][window], self.y[start:end][window]
                centred = numbers - numbers.mean()
                var = float(centred @ centred)
                vx = float(centred @ (xs - xs.mean())) / var
                vy = float(centred @ (ys - ys.mean())) / var
                norm = math.hypot(vx, vy)
                if norm > MIN_FIT_NORM:
                    low, high = FIT_MPN_RANGE
                    scale = norm if low <= norm <= high else MPN_GRID
                    return vx / norm * scale, vy / norm * scale
        ax, ay = _AXIS.get(self.st_dir[sid], (0.0, 1.0))
        return ax * MPN_GRID, ay * MPN_GRID

    def _directions_at_points(self):
        """``_direction(sid, n)`` at every point's own number, for all points at once."""
        # Each point's window (numbers within DIRECTION_WINDOW, both parities of its
        # street) is two runs of the sorted slices, so the least-squares sums come from
        # prefix sums. Values are centred on each street's first point to keep the sums'
        # rounding negligible.
        num, offsets = self.num, self.offsets
        if len(num) == 0:
            return np.zeros(0), np.zeros(0)
        slice_of = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
        street = slice_of // 2
        first = offsets[2 * street]  # the street's first point (its even slice comes first)
        dn = (num - num[first]).astype(np.float64)
        dx, dy = self.x - self.x[first], self.y - self.y[first]
        prefix = {name: np.concatenate(([0.0], np.cumsum(v))) for name, v in
                  (("n", dn), ("x", dx), ("y", dy), ("nn", dn * dn), ("nx", dn * dx),
                   ("ny", dn * dy))}
        # Numbers sorted within each slice, slices in order: one sorted key for all. The
        # stride keeps every window of one slice below the next slice's keys.
        stride = int(num.max()) + DIRECTION_WINDOW + 2
        key = slice_of * stride + num
        lowest, highest = np.maximum(num - DIRECTION_WINDOW, 0), num + DIRECTION_WINDOW
        count = np.zeros(len(num), dtype=np.int64)
        sums = {name: np.zeros(len(num)) for name in prefix}
        low = np.full(len(num), np.iinfo(np.int64).max)
        high = np.full(len(num), np.iinfo(np.int64).min)
        for parity in (0, 1):
            slice_key = (2 * street + parity) * stride
            begin = np.searchsorted(key, slice_key + lowest, "left")
            stop = np.searchsorted(key, slice_key + highest, "right")
            some = stop > begin
            count += stop - begin
            for name, running in prefix.items():
                sums[name] += running[stop] - running[begin]
            low = np.where(some, np.minimum(low, num[np.minimum(begin, len(num) - 1)]), low)
            high = np.where(some, np.maximum(high, num[np.maximum(stop - 1, 0)]), high)
        with np.errstate(divide="ignore", invalid="ignore"):
            var = sums["nn"] - sums["n"] ** 2 / count
            vx = (sums["nx"] - sums["n"] * sums["x"] / count) / var
            vy = (sums["ny"] - sums["n"] * sums["y"] / count) / var
            norm = np.hypot(vx, vy)
            fitted = (count >= MIN_FIT_POINTS) & (high - low >= MIN_FIT_SPAN) & (
                norm > MIN_FIT_NORM)
            scale = np.where((norm >= FIT_MPN_RANGE[0]) & (norm <= FIT_MPN_RANGE[1]), norm,
                             MPN_GRID)
            fx, fy = vx / norm * scale, vy / norm * scale
        axis = np.array([_AXIS.get(d, (0.0, 1.0)) for d in self.st_dir]).reshape(-1, 2)
        ax, ay = axis[street, 0] * MPN_GRID, axis[street, 1] * MPN_GRID
        return np.where(fitted, fx, ax), np.where(fitted, fy, ay)

    def _side(self, sid, parity, ux, uy):
        """Unit vector from the street centre towards the side of this parity."""
        even_x, even_y = _EVEN_SIDE.get(self.st_dir[sid], (-1.0, 0.0))
        if parity:
            even_x, even_y = -even_x, -even_y
        side_x, side_y = -uy, ux
        if side_x * even_x + side_y * even_y < 0:
            side_x, side_y = -side_x, -side_y
        return side_x, side_y

    def _unit_direction(self, sid, n):
        """(metres-per-number vector, its length, unit vector) of the street near ``n``."""
        vx, vy = self._direction(sid, n)
        norm = math.hypot(vx, vy)
        return vx, vy, norm, vx / norm, vy / norm

    def locate(self, sid: int, n: int) -> PositionEstimate | None:
        """Place house number ``n`` on street ``sid`` (None: the street cannot be placed)."""
        parity = n % 2
        exact, below, above = self._neighbours(sid, parity, n)
        if exact is not None:
            vx, vy = float(self.point_vx[exact]), float(self.point_vy[exact])
            norm = math.hypot(vx, vy)
            return PositionEstimate(float(self.x[exact]), float(self.y[exact]), "exact",
                                    "exact", vx / norm, vy / norm, params.EXACT_RADIUS_M,
                                    params.EXACT_RADIUS_M)
        if below is not None and above is not None:
            return self._bracketed(sid, n, below, above)
        return self._unbracketed(sid, n, parity, below, above)

    def _bracketed(self, sid, n, below, above) -> PositionEstimate:
        """Interpolate between the nearest points of n's parity below and above it."""
        low, high = int(self.num[below]), int(self.num[above])
        dx, dy = self.x[above] - self.x[below], self.y[above] - self.y[below]
        gap_m = math.hypot(dx, dy)
        fraction = (n - low) / (high - low)
        x, y = self.x[below] + fraction * dx, self.y[below] + fraction * dy
        metres_per_number = gap_m / (high - low)
        if gap_m > MIN_ANCHOR_GAP_M:
            ux, uy = dx / gap_m, dy / gap_m
        else:
            _, _, _, ux, uy = self._unit_direction(sid, n)
        to_nearer_m = min(n - low, high - n) * max(metres_per_number, MIN_DOUBT_MPN)
        along = params.BRACKET_ALONG_M + float(self.along_per_m[sid]) * to_nearer_m
        if metres_per_number > JUMP_MPN:
            along += params.BRACKET_JUMP_M
        return PositionEstimate(float(x), float(y), "interpolated", "bracket", ux, uy, along,
                                float(self.across_m[sid]), high - low)

    def _unbracketed(self, sid, n, parity, below, above) -> PositionEstimate | None:
        """n's side of the street does not bracket it: mirror, extrapolate or give up."""
        vx, vy, norm, ux, uy = self._unit_direction(sid, n)
        edge = below if below is not None else above
        _, other_below, other_above = self._neighbours(sid, 1 - parity, n)
        near_edge = (edge is not None
                     and abs(n - int(self.num[edge])) <= params.EDGE_NEAR_NUMBERS)
        if other_below is not None and other_above is not None and not near_edge:
            # Only the other side of the street brackets n: interpolate there, then
            # move across the street to this parity's side.
            low, high = int(self.num[other_below]), int(self.num[other_above])
            fraction = (n - low) / (high - low)
            x = self.x[other_below] + fraction * (self.x[other_above] - self.x[other_below])
            y = self.y[other_below] + fraction * (self.y[other_above] - self.y[other_below])
            side_x, side_y = self._side(sid, parity, ux, uy)
            to_nearer_m = min(n - low, high - n) * norm
            along_per_m = float(self.along_per_m[sid])
            return PositionEstimate(float(x + SIDE_SHIFT * side_x),
                                    float(y + SIDE_SHIFT * side_y), "street", "mirrored",
                                    ux, uy, params.MIRRORED_ALONG_M + along_per_m * to_nearer_m,
                                    max(params.MIRRORED_ACROSS_M, float(self.across_m[sid])),
                                    high - low)
        shift = 0.0
        if edge is None:
            other_side = [i for i in (other_below, other_above) if i is not None]
            if not other_side:
                return self._from_intersections(sid)
            edge = min(other_side, key=lambda i: abs(int(self.num[i]) - n))
            shift = SIDE_SHIFT
        beyond = n - int(self.num[edge])
        x, y = self.x[edge] + beyond * vx, self.y[edge] + beyond * vy
        if shift:
            side_x, side_y = self._side(sid, parity, ux, uy)
            x, y = x + shift * side_x, y + shift * side_y
        along_per_m = max(params.EXTRAPOLATED_ALONG_PER_M, float(self.along_per_m[sid]))
        along = params.EXTRAPOLATED_ALONG_M + along_per_m * abs(beyond) * norm
        across = (max(params.EXTRAPOLATED_ACROSS_M, float(self.across_m[sid]))
                  + (params.MIRRORED_ACROSS_M if shift else 0.0))
        return PositionEstimate(float(x), float(y), "street", "extrapolated", ux, uy, along,
                                across, abs(beyond),
                                anchor=(float(self.x[edge]), float(self.y[edge])))

    def _from_intersections(self, sid: int) -> PositionEstimate | None:
        """No address points: the street's extent from its intersections (very coarse)."""
        xs, ys = self.corners(sid)
        if len(xs) == 0:
            return None
        x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
        dx, dy = x1 - x0, y1 - y0
        extent = math.hypot(dx, dy)
        ux, uy = (dx / extent, dy / extent) if extent > MIN_ANCHOR_GAP_M else (0.0, 1.0)
        return PositionEstimate(float((x0 + x1) / 2), float((y0 + y1) / 2), "street",
                                "intersections", ux, uy, extent / 2 + INTERSECTIONS_DOUBT_M,
                                INTERSECTIONS_DOUBT_M)
