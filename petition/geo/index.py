"""House number on a known street -> a point plus an uncertainty shape.

The address points (City coordinates from building permits and the City geocoder) sit
about 12 m off the street centre line, on the side their parity is on, so interpolating
between neighbours of the SAME parity keeps the estimate on the correct side of the
street: that matters because ward lines often run down a street's centre.

Every placement carries an uncertainty "capsule": a segment of half-length ``along``
along the street, widened by ``across`` to each side. Look-ups report every ward the
capsule touches, so a wide capsule (long interpolation gap, extrapolation) is honest
about boundaries running across the street, while a narrow one does not flag a ward line
that runs down the centre of the street when the side is known.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .areas import to_xy
from .params import PARAMS

MPN_GRID = 1609.344 / 800  # metres per house number on Chicago's grid (800 per mile)
SIDE_SHIFT = 24.0  # metres between the odd and even address lines (2 x ~12 m)
# Even numbers are on the north side of E-W streets, the west side of N-S streets.
_EVEN_SIDE = {"N": (-1.0, 0.0), "S": (-1.0, 0.0), "E": (0.0, 1.0), "W": (0.0, 1.0)}
_AXIS = {"N": (0.0, 1.0), "S": (0.0, -1.0), "E": (1.0, 0.0), "W": (-1.0, 0.0)}


@dataclass
class Placement:
    """Estimated position of a house number and how uncertain it is."""

    x: float
    y: float
    match: str  # "exact" | "interpolated" | "street"
    method: str  # finer detail: exact/bracket/mirrored/extrapolated/intersections
    ux: float  # unit vector along the street
    uy: float
    along: float  # half-length of the uncertainty segment (m)
    across: float  # half-width (m)
    gap: int = 0  # house-number gap between the anchors used

    def reach(self) -> float:
        """Farthest distance (m) of the capsule from (x, y): the segment's half-length
        (none when ``along`` <= 0.5, where look-ups use the point) plus ``across``."""
        seg = self.along * math.hypot(self.ux, self.uy) if self.along > 0.5 else 0.0
        return seg + max(self.across, 0.0)


class PointIndex:
    """Address points per (street, parity), sorted by house number."""

    def __init__(self, arrays, st_dir):
        self.num = arrays["pt_num"].astype(np.int64)
        lon = arrays["pt_lon"].astype(np.float64) / 1e7
        lat = arrays["pt_lat"].astype(np.float64) / 1e7
        self.x, self.y = to_xy(lon, lat)
        self.off = arrays["pt_off"].astype(np.int64)
        ix, iy = to_xy(arrays["ix_lon"] / 1e7, arrays["ix_lat"] / 1e7)
        self.ix, self.iy = ix, iy
        self.ix_off = arrays["ix_off"].astype(np.int64)
        self.st_dir = [str(d) for d in st_dir]
        nst = len(self.st_dir)
        self.npts = self.off[2:2 * nst + 1:2] - self.off[0:2 * nst:2]
        # Most look-ups hit an address point exactly and need the street's direction
        # there: worked out once for every point, as _direction would.
        self.point_vx, self.point_vy = self._directions_at_points()

    def _slice(self, sid: int, parity: int) -> tuple[int, int]:
        k = 2 * sid + parity
        return int(self.off[k]), int(self.off[k + 1])

    def _neighbours(self, sid, parity, n, exclude):
        """Indices of (exact, lower, higher) points of one parity; None where absent."""
        s, e = self._slice(sid, parity)
        if s == e:
            return None, None, None
        nums = self.num[s:e]
        i = int(np.searchsorted(nums, n))

        def excl(v):
            return exclude is not None and exclude[0] <= v <= exclude[1]

        exact = s + i if i < e - s and nums[i] == n and not excl(n) else None
        j = i - 1
        while j >= 0 and excl(int(nums[j])):
            j -= 1
        k = i
        while k < e - s and (nums[k] <= n or excl(int(nums[k]))):
            k += 1
        return exact, (s + j if j >= 0 else None), (s + k if k < e - s else None)

    def _direction(self, sid, n, exclude):
        """Metres-per-number vector of the street near ``n`` (least squares on points)."""
        s0, _ = self._slice(sid, 0)
        _, e1 = self._slice(sid, 1)
        nums = self.num[s0:e1]
        sel = np.abs(nums - n) <= 400
        if exclude is not None:
            sel &= (nums < exclude[0]) | (nums > exclude[1])
        if sel.sum() >= 3:
            nn = nums[sel].astype(np.float64)
            span = nn.max() - nn.min()
            if span >= 30:
                xs, ys = self.x[s0:e1][sel], self.y[s0:e1][sel]
                dn = nn - nn.mean()
                var = float(dn @ dn)
                vx, vy = float(dn @ (xs - xs.mean())) / var, float(dn @ (ys - ys.mean())) / var
                norm = math.hypot(vx, vy)
                if norm > 1e-6:
                    # A fitted scale outside 0.6-5 m/number means the fit is unreliable.
                    scale = norm if 0.6 <= norm <= 5.0 else MPN_GRID
                    return vx / norm * scale, vy / norm * scale
        ax, ay = _AXIS.get(self.st_dir[sid], (0.0, 1.0))
        return ax * MPN_GRID, ay * MPN_GRID

    def _directions_at_points(self):
        """``_direction(sid, n, None)`` at every point's own number, for all points at once.

        Each point's window (numbers within 400, both parities of its street) is two runs
        of the sorted slices, so the least-squares sums come from prefix sums. Values are
        centred on each street's first point to keep the sums' rounding negligible.
        """
        num, off = self.num, self.off
        if len(num) == 0:
            return np.zeros(0), np.zeros(0)
        nslices = len(off) - 1
        slice_of = np.repeat(np.arange(nslices), np.diff(off))
        street = slice_of // 2
        first = off[2 * street]  # the street's first point (its even slice comes first)
        dn = (num - num[first]).astype(np.float64)
        dx, dy = self.x - self.x[first], self.y - self.y[first]
        prefix = {name: np.concatenate(([0.0], np.cumsum(v))) for name, v in
                  (("n", dn), ("x", dx), ("y", dy), ("nn", dn * dn), ("nx", dn * dx),
                   ("ny", dn * dy))}
        # Numbers sorted within each slice, slices in order: one sorted key for all.
        big = int(num.max()) + 402
        key = slice_of * big + num
        lo_n, hi_n = np.maximum(num - 400, 0), num + 400
        count = np.zeros(len(num), dtype=np.int64)
        sums = {name: np.zeros(len(num)) for name in prefix}
        low = np.full(len(num), np.iinfo(np.int64).max)
        high = np.full(len(num), np.iinfo(np.int64).min)
        for parity in (0, 1):
            k = (2 * street + parity) * big
            lo = np.searchsorted(key, k + lo_n, "left")
            hi = np.searchsorted(key, k + hi_n, "right")
            some = hi > lo
            count += hi - lo
            for name, p in prefix.items():
                sums[name] += p[hi] - p[lo]
            low = np.where(some, np.minimum(low, num[np.minimum(lo, len(num) - 1)]), low)
            high = np.where(some, np.maximum(high, num[np.maximum(hi - 1, 0)]), high)
        with np.errstate(divide="ignore", invalid="ignore"):
            var = sums["nn"] - sums["n"] ** 2 / count
            vx = (sums["nx"] - sums["n"] * sums["x"] / count) / var
            vy = (sums["ny"] - sums["n"] * sums["y"] / count) / var
            norm = np.hypot(vx, vy)
            fitted = (count >= 3) & (high - low >= 30) & (norm > 1e-6)
            scale = np.where((norm >= 0.6) & (norm <= 5.0), norm, MPN_GRID)
            fx, fy = vx / norm * scale, vy / norm * scale
        axis = np.array([_AXIS.get(d, (0.0, 1.0)) for d in self.st_dir]).reshape(-1, 2)
        ax, ay = axis[street, 0] * MPN_GRID, axis[street, 1] * MPN_GRID
        return np.where(fitted, fx, ax), np.where(fitted, fy, ay)

    def _side(self, sid, parity, ux, uy):
        """Unit vector from the street centre towards the side of this parity."""
        rx, ry = _EVEN_SIDE.get(self.st_dir[sid], (-1.0, 0.0))
        if parity:
            rx, ry = -rx, -ry
        px, py = -uy, ux
        if px * rx + py * ry < 0:
            px, py = -px, -py
        return px, py

    def locate(self, sid: int, n: int, exclude: tuple[int, int] | None = None) -> Placement | None:
        """Place house number ``n`` on street ``sid``; ``exclude`` hides a number range."""
        P = PARAMS
        par = n % 2
        exact, lo, hi = self._neighbours(sid, par, n, exclude)
        if exact is not None:
            if exclude is None:
                vx, vy = float(self.point_vx[exact]), float(self.point_vy[exact])
            else:
                vx, vy = self._direction(sid, n, exclude)
            nv = math.hypot(vx, vy)
            return Placement(float(self.x[exact]), float(self.y[exact]), "exact", "exact",
                             vx / nv, vy / nv, P["exact_r"], P["exact_r"])
        if lo is not None and hi is not None:
            nlo, nhi = int(self.num[lo]), int(self.num[hi])
            dx, dy = self.x[hi] - self.x[lo], self.y[hi] - self.y[lo]
            d = math.hypot(dx, dy)
            t = (n - nlo) / (nhi - nlo)
            x, y = self.x[lo] + t * dx, self.y[lo] + t * dy
            mpn = d / (nhi - nlo)
            if d > 1.0:
                ux, uy = dx / d, dy / d
            else:
                vx, vy = self._direction(sid, n, exclude)
                nv = math.hypot(vx, vy)
                ux, uy = vx / nv, vy / nv
            dnear = min(n - nlo, nhi - n) * max(mpn, 0.5)
            along = P["br_a0"] + P["br_a1"] * dnear
            if mpn > 6.0:  # anchors much farther apart than the grid says: distrust
                along += P["br_jump"]
            return Placement(float(x), float(y), "interpolated", "bracket", ux, uy,
                             along, P["br_b"], nhi - nlo)
        vx, vy = self._direction(sid, n, exclude)
        nv = math.hypot(vx, vy)
        ux, uy = vx / nv, vy / nv
        edge = lo if lo is not None else hi
        _, olo, ohi = self._neighbours(sid, 1 - par, n, exclude)
        near_edge = edge is not None and abs(n - int(self.num[edge])) <= P["edge_near"]
        if olo is not None and ohi is not None and not near_edge:
            # Only the other side of the street brackets n: interpolate there, then
            # move across the street to this parity's side.
            nlo, nhi = int(self.num[olo]), int(self.num[ohi])
            t = (n - nlo) / (nhi - nlo)
            x = self.x[olo] + t * (self.x[ohi] - self.x[olo])
            y = self.y[olo] + t * (self.y[ohi] - self.y[olo])
            sx, sy = self._side(sid, par, ux, uy)
            dnear = min(n - nlo, nhi - n) * nv
            return Placement(float(x + SIDE_SHIFT * sx), float(y + SIDE_SHIFT * sy), "street",
                             "mirrored", ux, uy, P["mi_a0"] + P["br_a1"] * dnear,
                             P["mi_b"], nhi - nlo)
        shift = 0.0
        if edge is None:
            cands = [i for i in (olo, ohi) if i is not None]
            if not cands:
                return self._from_intersections(sid)
            edge = min(cands, key=lambda i: abs(int(self.num[i]) - n))
            shift = SIDE_SHIFT
        dn = n - int(self.num[edge])
        x, y = self.x[edge] + dn * vx, self.y[edge] + dn * vy
        if shift:
            sx, sy = self._side(sid, par, ux, uy)
            x, y = x + shift * sx, y + shift * sy
        along = P["ex_a0"] + P["ex_a1"] * abs(dn) * nv
        return Placement(float(x), float(y), "street", "extrapolated", ux, uy, along,
                         P["ex_b"] + (P["mi_b"] if shift else 0.0), abs(dn))

    def _from_intersections(self, sid: int) -> Placement | None:
        """No address points: the street's extent from its intersections (very coarse)."""
        s, e = int(self.ix_off[sid]), int(self.ix_off[sid + 1])
        if s == e:
            return None
        xs, ys = self.ix[s:e], self.iy[s:e]
        x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
        dx, dy = x1 - x0, y1 - y0
        d = math.hypot(dx, dy)
        ux, uy = (dx / d, dy / d) if d > 1 else (0.0, 1.0)
        return Placement(float((x0 + x1) / 2), float((y0 + y1) / 2), "street", "intersections",
                         ux, uy, d / 2 + 30.0, 30.0)
