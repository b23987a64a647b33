"""Illinois House and Senate districts: data, placement, near-line doubt, fast path."""

import random
from pathlib import Path

import numpy as np
import pytest

from petition.geo import Geocoder
from petition.geo.areas import to_xy
from petition.geo.legislative import INDEX_FILE
from petition.geo.paths import DATA_DIR
from petition.models.legislator import senate_district_of
from scripts import build_state_data

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "illinois"


@pytest.fixture(scope="module")
def fast():
    return Geocoder.default()


@pytest.fixture(scope="module")
def slow():
    return Geocoder.load(fast_path=False)


def _chicago_points(geo, n, seed):
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        lon, lat = rng.uniform(-87.94, -87.52), rng.uniform(41.64, 42.03)
        if geo.wards.containing(*map(float, to_xy(lon, lat))):
            out.append((lon, lat))
    return out


def test_city_hall_is_house_6_senate_3(fast):
    result = fast.lookup_address("121 N LaSalle St")
    assert (result.state_house, result.state_senate) == (6, 3)
    assert result.candidate_state_house == [6] and result.candidate_state_senate == [3]


def test_every_senate_district_is_two_house_districts(fast):
    # The Constitution's nesting, checked on the shipped polygons (not assumed by the code).
    for lon, lat in _chicago_points(fast, 400, 17):
        result = fast.lookup_point(lon, lat, radius_m=0.0)
        assert result.state_house is not None and result.state_senate is not None
        assert result.state_senate == senate_district_of(result.state_house), (lon, lat)


def test_outside_chicago_has_no_districts(fast):
    result = fast.lookup_point(-88.2, 41.5)  # Joliet
    assert result.error == "outside_chicago"
    assert result.state_house is None and result.state_senate is None


def test_a_point_on_a_house_line_is_near_the_line(fast):
    house = fast.state.house
    shared = house.by_number[5].boundary.intersection(house.by_number[6].boundary)
    lon, lat = shared.interpolate(0.5, normalized=True).coords[0]
    result = fast.lookup_point(lon, lat)
    assert result.candidate_state_house == [5, 6]
    assert result.state_house in (5, 6)


def test_the_raster_answers_as_the_polygons_do(fast, slow):
    points = _chicago_points(fast, 600, 23)
    answered = 0
    for lon, lat in points:
        for radius in (0.0, 10.0, 40.0):
            a, b = fast.lookup_point(lon, lat, radius), slow.lookup_point(lon, lat, radius)
            assert (a.state_house, a.candidate_state_house, a.state_senate,
                    a.candidate_state_senate) == (b.state_house, b.candidate_state_house,
                                                  b.state_senate, b.candidate_state_senate)
        x, y = to_xy(lon, lat)
        answered += fast.state.grid.lookup(float(x), float(y), 10.0)[0] > 0
    assert answered > 0.8 * len(points)  # the raster is really used


@pytest.mark.skipif(not SHARED.exists(), reason="the shared source data is not beside the checkout")
def test_the_shipped_index_rebuilds_identically():
    built = build_state_data.build_index(SHARED, DATA_DIR)
    with np.load(DATA_DIR / INDEX_FILE) as shipped:
        assert sorted(shipped.files) == sorted(built)
        for name in built:
            assert np.array_equal(shipped[name], built[name]), name
