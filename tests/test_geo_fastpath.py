"""The clearance-raster fast path (fastgrid.py) answers exactly as the polygon queries do."""

import math
import random

import numpy as np
import pytest
import shapely

from bench.lookup import LeaveOutGeocoder
from petition.geo import Geocoder, LookupResult
from petition.geo.areas import to_lonlat, to_xy
from petition.geo.fastgrid import MARGIN_M, boundary_segments, box_segment_distance
from petition.geo.index import PositionEstimate
from scripts.build_geo_data import DEFAULT_OUT, read_csv


@pytest.fixture(scope="module")
def fast():
    return Geocoder.default()


@pytest.fixture(scope="module")
def slow():
    return Geocoder.load(fast_path=False)


def _frame(geo):
    g = geo.fast
    return g.x0, g.y0, 1.0 / g.inv, g.nx, g.ny


def _rasters(geo):
    g = geo.fast
    shape = (g.ny, g.nx)
    return {name: np.frombuffer(getattr(g, name), dtype=np.uint8).reshape(shape)
            for name in ("ward", "ward_clear", "dist", "dist_clear")}


def _frontier_cells(geo, key, rng, n):
    """Cells the raster answers that touch a cell it does not: where mistakes would be."""
    w = _rasters(geo)[key] > 0
    edge = w & ~(np.roll(w, 1, 0) & np.roll(w, -1, 0) & np.roll(w, 1, 1) & np.roll(w, -1, 1))
    jj, ii = np.nonzero(edge)
    pick = rng.choice(len(jj), size=n, replace=False)
    return jj[pick], ii[pick]


def _toward_nearest_edge(geo, areas, key, rng, n):
    """(point, unit vector, clearance) per frontier cell: the point of the cell closest to
    any boundary, pointing at that boundary (the worst case for a capsule)."""
    x0, y0, cell, _, _ = _frame(geo)
    jj, ii = _frontier_cells(geo, key, rng, n)
    boxes = shapely.box(x0 + ii * cell, y0 + jj * cell, x0 + (ii + 1) * cell,
                        y0 + (jj + 1) * cell)
    parts = shapely.get_parts(shapely.boundary(np.array(areas.geoms, dtype=object)))
    _, near = shapely.STRtree(parts).query_nearest(boxes, all_matches=False)
    ends = shapely.get_coordinates(shapely.shortest_line(boxes, parts[near])).reshape(-1, 2, 2)
    p, q = ends[:, 0], ends[:, 1]
    centre = np.column_stack([x0 + (ii + 0.5) * cell, y0 + (jj + 0.5) * cell])
    p = p + (centre - p) * 1e-9  # just inside the cell (a box edge may index the next one)
    u = (q - p) / np.linalg.norm(q - p, axis=1)[:, None]
    return p, u, _rasters(geo)[key + "_clear"][jj, ii].astype(float)


def test_fast_path_is_on_and_off(fast, slow):
    assert fast.fast is not None and fast.fast_path
    assert not slow.fast_path
    pl = PositionEstimate(0.0, 0.0, "point", "point", 1.0, 0.0, 0.0, 10.0)
    assert slow.fast_answer(pl) == (0, 0)


def test_raster_against_geos(fast):
    """Every answered cell lies inside its area, farther than its clearance from any edge."""
    rng = np.random.default_rng(7)
    x0, y0, cell, _, _ = _frame(fast)
    r = _rasters(fast)
    for areas, key in ((fast.wards, "ward"), (fast.districts, "dist")):
        edges = shapely.STRtree(shapely.get_parts(shapely.boundary(
            np.array(areas.geoms, dtype=object))))
        jj, ii = np.nonzero(r[key])
        pick = rng.choice(len(jj), size=3000, replace=False)
        jj, ii = jj[pick], ii[pick]
        boxes = shapely.box(x0 + ii * cell, y0 + jj * cell, x0 + (ii + 1) * cell,
                            y0 + (jj + 1) * cell)
        _, dist = edges.query_nearest(boxes, return_distance=True, all_matches=False)
        assert np.all(dist >= r[key + "_clear"][jj, ii] + MARGIN_M)
        owner = [areas.geoms[areas.numbers.index(int(a))] for a in r[key][jj, ii]]
        assert shapely.contains(owner, boxes).all()


def test_box_segment_distance_matches_shapely():
    rng = np.random.default_rng(3)
    n = 4000
    x0, y0 = rng.uniform(-100, 100, n), rng.uniform(-100, 100, n)
    x1, y1 = x0 + rng.uniform(0, 60, n), y0 + rng.uniform(0, 60, n)
    seg = rng.uniform(-150, 150, (n, 4))
    seg[::7, 2:] = seg[::7, :2]  # degenerate (point) segments
    seg[1::7, 3] = seg[1::7, 1]  # horizontal
    got = box_segment_distance(x0, y0, x1, y1, *seg.T)
    want = shapely.distance(shapely.box(x0, y0, x1, y1),
                            shapely.linestrings(seg.reshape(n, 2, 2)))
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def test_boundary_segments_keep_every_edge(fast):
    """The deduplicated segments still cover every polygon edge (checked at midpoints)."""
    seg = boundary_segments(fast.wards.geoms)
    tree = shapely.STRtree(shapely.linestrings(seg.reshape(-1, 2, 2)))
    parts = shapely.get_parts(shapely.boundary(np.array(fast.wards.geoms, dtype=object)))
    xy, idx = shapely.get_coordinates(parts, return_index=True)
    same = idx[1:] == idx[:-1]
    mid = shapely.points((xy[:-1][same] + xy[1:][same]) / 2)
    _, dist = tree.query_nearest(mid, return_distance=True, all_matches=False)
    assert len(mid) > len(seg) > len(mid) / 2  # shared edges kept once
    assert dist.max() < 1e-6


def _same(a: LookupResult, b: LookupResult, what):
    assert a.to_dict() == b.to_dict(), what


def test_random_points_identical(fast, slow):
    """20,000 lookup_point calls across the city box, several radii (incl. the limit)."""
    rng = random.Random(20240601)
    x0, y0, cell, nx, ny = _frame(fast)
    raster = _rasters(fast)
    hits = 0
    for i in range(20_000):
        x = x0 + rng.uniform(0, nx * cell)
        y = y0 + rng.uniform(0, ny * cell)
        lon, lat = to_lonlat(x, y)
        px, py = (float(v) for v in to_xy(lon, lat))
        k = (int((py - y0) / cell), int((px - x0) / cell))
        clear = float(min(raster["ward_clear"][k], raster["dist_clear"][k]))
        radius = [10.0, 0.0, clear, clear + 0.01, rng.uniform(0, 150), -1.0][i % 6]
        a = fast.lookup_point(lon, lat, radius_m=radius)
        _same(a, slow.lookup_point(lon, lat, radius_m=radius), (lon, lat, radius))
        hits += fast.fast_answer(PositionEstimate(px, py, "point", "point", 1, 0, 0, radius))[0] > 0
    assert hits > 5_000  # about 40% of the box is city, most of it answered by the raster


@pytest.mark.parametrize("key", ["ward", "dist"])
def test_capsules_at_the_limit_identical(fast, slow, key):
    """Capsules whose reach equals the cell's clearance, from the cell's point closest to
    a boundary, pointing at it (or in a random direction), in cells next to unanswered ones.
    """
    rng = np.random.default_rng(11)
    areas = fast.wards if key == "ward" else fast.districts
    pts, dirs, clears = _toward_nearest_edge(fast, areas, key, rng, 2000)
    hits = expected = 0
    for n, ((x, y), (ux, uy), reach) in enumerate(zip(pts.tolist(), dirs.tolist(),
                                                      clears.tolist(), strict=True)):
        t = rng.uniform()
        along, across = reach * t, reach * (1 - t)
        if n % 4 == 0:
            along, across = 0.5, reach - 0.5  # a Point capsule (along <= 0.5)
        elif n % 4 == 1:
            ang = rng.uniform(0, 2 * math.pi)
            ux, uy = math.cos(ang), math.sin(ang)
        pl = PositionEstimate(x, y, "interpolated", "bracket", ux, uy, along, across)
        ra, rb = LookupResult(), LookupResult()
        fast._assign(ra, pl, snap=True)
        slow._assign(rb, pl, snap=True)
        _same(ra, rb, pl)
        # (along + across may round a hair above the clearance: then the raster declines)
        hits += fast.fast_answer(pl)[0 if key == "ward" else 1] > 0
        expected += pl.reach() <= reach
    assert hits == expected > 0.9 * len(pts)


def test_addresses_identical(fast, slow):
    """Address points (leave-out and exact) and the City's raw input texts."""
    rows = read_csv(DEFAULT_OUT / "chicago_address_points.csv.gz")
    rng = random.Random(99)
    texts = [" ".join(x for x in (r["house_number"], r["street_dir"], r["street_name"],
                                  r["street_type"]) if x) for r in rng.sample(rows, 3000)]
    city = [r["input_address"]
            for r in read_csv(DEFAULT_OUT / "chicago_city_geocoder_addresses.csv.gz")]
    fast_out, slow_out = LeaveOutGeocoder.sharing(fast), LeaveOutGeocoder.sharing(slow)
    hits = 0
    for n, text in enumerate(texts + rng.sample(city, 1000)):
        leave_out = n % 3 != 0
        a, estimate = (fast_out if leave_out else fast).locate_address(text)
        b, _ = (slow_out if leave_out else slow).locate_address(text)
        _same(a, b, text)
        hits += estimate is not None and fast.fast_answer(estimate)[0] > 0
    assert hits > 2_500
