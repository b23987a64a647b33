"""The address-point index: directions worked out at load time agree with the direct fit."""

import math

import numpy as np
import pytest

from petition.geo import Geocoder
from petition.geo.index import MPN_GRID, PointIndex


@pytest.fixture(scope="module")
def points():
    return Geocoder.default().points


def _streets_with_points(index):
    return [sid for sid in range(len(index.st_dir)) if index.point_counts[sid]]


def test_the_direction_at_every_point_of_many_streets_matches_the_least_squares_fit(points):
    # Every 7th street with points, every point on it: long and short streets, both
    # parities, fitted and grid-axis directions alike.
    checked = fitted = 0
    for sid in _streets_with_points(points)[::7]:
        start, _ = points._slice(sid, 0)
        _, end = points._slice(sid, 1)
        for i in range(start, end):
            want = points._direction(sid, int(points.num[i]))
            got = (points.point_vx[i], points.point_vy[i])
            assert math.hypot(got[0] - want[0], got[1] - want[1]) <= 1e-6 * math.hypot(*want)
            checked += 1
            fitted += not math.isclose(math.hypot(*want), MPN_GRID)
    assert checked > 20_000 and fitted > checked / 2


def test_an_exact_address_point_is_placed_with_the_direction_of_its_street(points):
    sid = max(_streets_with_points(points), key=lambda s: points.point_counts[s])
    start, _ = points._slice(sid, 0)
    n = int(points.num[start + 10])
    placement = points.locate(sid, n)
    vx, vy = points._direction(sid, n)
    norm = math.hypot(vx, vy)
    assert placement.match == "exact"
    assert (placement.ux, placement.uy) == pytest.approx((vx / norm, vy / norm), abs=1e-9)


def test_a_tiny_index_gets_the_grid_direction_where_there_is_nothing_to_fit():
    # Three points on a north-south street, 10 numbers apart: too short a run to fit.
    arrays = {"pt_num": np.array([100, 110, 101]), "pt_lon": np.full(3, -876000000),
              "pt_lat": np.array([418000000, 418001000, 418000500]),
              "pt_off": np.array([0, 2, 3]), "ix_lon": np.zeros(0), "ix_lat": np.zeros(0),
              "ix_off": np.array([0, 0])}
    index = PointIndex(arrays, ["N"])
    assert list(zip(index.point_vx, index.point_vy, strict=True)) == [(0.0, MPN_GRID)] * 3
    empty = PointIndex({**arrays, "pt_num": np.zeros(0, dtype=int), "pt_lon": np.zeros(0),
                        "pt_lat": np.zeros(0), "pt_off": np.array([0, 0, 0])}, ["N"])
    assert len(empty.point_vx) == 0
