"""Exact fast path for ward / police-district look-ups: a clearance raster.

The city is cut into square cells (``CELL_M`` metres, in the local projection of
``areas.py``). For each cell the index stores, per area set (wards, police districts):

- ``area``: the number of the area that contains the whole cell, and
- ``clear``: a clearance C in metres (one of ``LEVELS_M``) such that EVERY point of the
  cell is more than C metres from every boundary of every area of the set,

or 0 for both when the cell touches a boundary, lies outside all areas or is too close to
a boundary for the smallest level (city edge, lakefront, river, O'Hare ...).

Why this is exact. A cell that meets no boundary of an area lies wholly inside or wholly
outside it, so testing the cell's centre decides; a cell gets an area only when exactly one
area contains it. Let p be a placement in a cell with area A and clearance C > 0, and let
the capsule be the segment of half-length ``along`` along the unit vector u (a Point when
along <= 0.5) widened by ``across``, with reach = (along*|u| or 0) + max(across, 0) <= C
(``PositionEstimate.reach``). p is an interior point of A and of no other area, so
``containing(p) == [A]``: the boundary rule and the snapping of points outside every ward
never come into play. For any other area B, p is outside B, so
dist(p, B) = dist(p, boundary of B) > C, and every point of the segment is within
along*|u| of p, hence dist(segment, B) > C - along*|u| >= across: B is not ``dwithin``
``across`` of the capsule, while A (which contains p) is. When across <= 0 the polygon code
uses ``containing(p)`` alone, which is also [A]. So the polygon queries would give exactly:
ward A, candidates [A], confidence "high" (and for districts: district A, candidates [A]),
whatever produced the capsule (an address, an intersection, ``lookup_point``'s radius).
Clearances are computed exactly (box-to-segment distances), then ``MARGIN_M`` is subtracted
for floating-point slack (coordinates, the cell index at a cell's edge) and the result is
rounded DOWN to a level, so ``reach <= clear`` leaves at least MARGIN_M to spare.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

CELL_M = 50.0  # cell size (metres)
# Clearance levels (metres) a cell can carry. Capsules mostly reach 8-40 m (an exact
# address point 8 m, lookup_point 10 m, the median bracket interpolation ~14 m, 90% of
# leave-out placements < 36 m), so the low end is fine-grained; above 120 m is rare (1-2%).
LEVELS_M = (8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120)
MARGIN_M = 0.5  # floating-point slack subtracted from every exact clearance
_CHUNK = 8192  # boundary segments per vectorised batch (bounds memory use)


# -- build (scripts/build_geo_data.py) ------------------------------------------------
def boundary_segments(geoms) -> np.ndarray:
    """All ring edges of the (projected) polygons as an (n, 4) array ax, ay, bx, by.

    Shared edges between neighbouring areas are kept once (rows sorted, deterministic).
    """
    parts = shapely.get_parts(shapely.boundary(np.asarray(geoms, dtype=object)))
    xy, idx = shapely.get_coordinates(parts, return_index=True)
    same = idx[1:] == idx[:-1]
    seg = np.column_stack([xy[:-1][same], xy[1:][same]])
    # Orient each edge the same way so a shared edge has one spelling, then dedupe.
    flip = (seg[:, 0] > seg[:, 2]) | ((seg[:, 0] == seg[:, 2]) & (seg[:, 1] > seg[:, 3]))
    seg[flip] = seg[flip][:, [2, 3, 0, 1]]
    return np.unique(seg, axis=0)


def _point_box_dist(px, py, x0, y0, x1, y1):
    dx = np.maximum(np.maximum(x0 - px, px - x1), 0.0)
    dy = np.maximum(np.maximum(y0 - py, py - y1), 0.0)
    return np.hypot(dx, dy)


def _point_seg_dist(px, py, ax, ay, vx, vy, vv):
    t = np.where(vv > 0, ((px - ax) * vx + (py - ay) * vy) / np.where(vv > 0, vv, 1.0), 0.0)
    t = np.clip(t, 0.0, 1.0)
    return np.hypot(px - (ax + t * vx), py - (ay + t * vy))


def box_segment_distance(x0, y0, x1, y1, ax, ay, bx, by):
    """Exact distance between axis-aligned boxes and segments (arrays, element-wise).

    Disjoint convex shapes are closest at a vertex of one of them, so the distance is the
    least of the segment ends to the box and the box corners to the segment; it is 0 when
    they intersect (bounding boxes overlap and the corners are not all strictly on one
    side of the segment's line).
    """
    vx, vy = bx - ax, by - ay
    vv = vx * vx + vy * vy
    d = np.minimum(_point_box_dist(ax, ay, x0, y0, x1, y1),
                   _point_box_dist(bx, by, x0, y0, x1, y1))
    pos = np.zeros(np.shape(d), dtype=bool)
    neg = np.zeros(np.shape(d), dtype=bool)
    for cx, cy in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
        d = np.minimum(d, _point_seg_dist(cx, cy, ax, ay, vx, vy, vv))
        cross = vx * (cy - ay) - vy * (cx - ax)
        pos |= cross >= 0
        neg |= cross <= 0
    overlap = ((np.minimum(ax, bx) <= x1) & (np.maximum(ax, bx) >= x0)
               & (np.minimum(ay, by) <= y1) & (np.maximum(ay, by) >= y0))
    return np.where(overlap & pos & neg, 0.0, d)


def cell_clearance(seg: np.ndarray, x0: float, y0: float, nx: int, ny: int,
                   cell: float, cap: float) -> np.ndarray:
    """(ny, nx) least distance from each cell (closed box) to any segment, capped at ``cap``.

    Each segment visits only the cells of its bounding box grown by ``cap``.
    """
    out = np.full(ny * nx, cap, dtype=np.float64)
    for s in range(0, len(seg), _CHUNK):
        ax, ay, bx, by = (seg[s:s + _CHUNK, k] for k in range(4))
        i0 = np.clip(np.floor((np.minimum(ax, bx) - cap - x0) / cell), 0, nx - 1).astype(np.int64)
        i1 = np.clip(np.floor((np.maximum(ax, bx) + cap - x0) / cell), 0, nx - 1).astype(np.int64)
        j0 = np.clip(np.floor((np.minimum(ay, by) - cap - y0) / cell), 0, ny - 1).astype(np.int64)
        j1 = np.clip(np.floor((np.maximum(ay, by) + cap - y0) / cell), 0, ny - 1).astype(np.int64)
        ni, nj = i1 - i0 + 1, j1 - j0 + 1
        counts = ni * nj
        which = np.repeat(np.arange(len(ax)), counts)
        r = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        i = i0[which] + r % ni[which]
        j = j0[which] + r // ni[which]
        bx0, by0 = x0 + i * cell, y0 + j * cell
        d = box_segment_distance(bx0, by0, bx0 + cell, by0 + cell,
                                 ax[which], ay[which], bx[which], by[which])
        np.minimum.at(out, j * nx + i, d)
    return out.reshape(ny, nx)


def build_grid(areas, x0: float, y0: float, nx: int, ny: int,
               cell: float = CELL_M) -> tuple[np.ndarray, np.ndarray]:
    """(area, clear) uint8 rasters for an ``AreaSet`` (projected polygons, see module doc)."""
    levels = np.array((0, *LEVELS_M), dtype=np.float64)
    dist = cell_clearance(boundary_segments(areas.geoms), x0, y0, nx, ny, cell,
                          cap=levels[-1] + MARGIN_M)
    # Round down to a level; below the smallest level (or touching: < MARGIN_M) -> 0.
    clear = levels[np.maximum(np.searchsorted(levels, dist - MARGIN_M, side="right") - 1, 0)]
    # Cells clear of every boundary lie wholly inside or outside each area: test centres.
    jj, ii = np.nonzero(clear > 0)
    cx, cy = x0 + (ii + 0.5) * cell, y0 + (jj + 0.5) * cell
    count = np.zeros(len(ii), dtype=np.int64)
    owner = np.zeros(len(ii), dtype=np.int64)
    for num, geom in zip(areas.numbers, areas.geoms, strict=True):
        gx0, gy0, gx1, gy1 = shapely.bounds(geom)
        sel = np.flatnonzero((cx > gx0) & (cx < gx1) & (cy > gy0) & (cy < gy1))
        hit = sel[shapely.contains_xy(geom, cx[sel], cy[sel])]
        count[hit] += 1
        owner[hit] = num
    area = np.zeros((ny, nx), dtype=np.uint8)
    keep = count == 1
    area[jj[keep], ii[keep]] = owner[keep]
    return area, np.where(area > 0, clear, 0).astype(np.uint8)


def grid_frame(area_sets, cell: float = CELL_M) -> tuple[float, float, int, int]:
    """Origin (x0, y0) on a multiple of ``cell`` and size (nx, ny) covering all areas,
    with one empty cell of padding on each side."""
    b = np.array([shapely.total_bounds(a.geoms) for a in area_sets])
    x0 = (math.floor(b[:, 0].min() / cell) - 1) * cell
    y0 = (math.floor(b[:, 1].min() / cell) - 1) * cell
    nx = math.ceil((b[:, 2].max() - x0) / cell) + 1
    ny = math.ceil((b[:, 3].max() - y0) / cell) + 1
    return x0, y0, nx, ny


# -- run time (Geocoder) --------------------------------------------------------------
class FastGrid:
    """Read-only ward and district clearance rasters sharing one frame (see module doc)."""

    def __init__(self, frame, ward, ward_clear, dist, dist_clear):
        self.x0, self.y0, cell = (float(v) for v in frame)
        self.inv = 1.0 / cell
        self.ny, self.nx = ward.shape
        # bytes: indexing gives a plain int, cheaper than numpy scalar indexing.
        self.ward, self.ward_clear, self.dist, self.dist_clear = (
            np.ascontiguousarray(a, dtype=np.uint8).tobytes()
            for a in (ward, ward_clear, dist, dist_clear))

    @classmethod
    def from_arrays(cls, arrays) -> FastGrid | None:
        """From the index arrays (``fg_*``); None for an index built without them."""
        if "fg_frame" not in arrays:
            return None
        return cls(arrays["fg_frame"], arrays["fg_ward"], arrays["fg_ward_clear"],
                   arrays["fg_dist"], arrays["fg_dist_clear"])

    def lookup(self, x: float, y: float, reach: float) -> tuple[int, int]:
        """(ward, district) answering a capsule of ``reach`` metres around (x, y); 0: no answer."""
        # 0 sends the caller to the polygons. NaN coordinates or reach fail the
        # comparisons and give (0, 0).
        column = (x - self.x0) * self.inv
        row = (y - self.y0) * self.inv
        if not (0.0 <= column < self.nx and 0.0 <= row < self.ny):
            return 0, 0
        cell = int(row) * self.nx + int(column)
        ward = self.ward[cell]
        district = self.dist[cell]
        return (ward if ward and reach <= self.ward_clear[cell] else 0,
                district if district and reach <= self.dist_clear[cell] else 0)
