"""Near a ward line that follows a street, "which side do you live on" gives the right ward."""

import csv
import gzip

import shapely
from shapely.ops import nearest_points

from petition.geo import Geocoder
from petition.geo.areas import to_xy
from petition.geo.boundaries import SIDES, _shared_line_near, boundary_street, display_name
from petition.geo.paths import DATA_DIR

CITY_FILE = DATA_DIR / "chicago_city_geocoder_addresses.csv.gz"
MIN_STREETS_FOUND = 30  # of the ~50 near-line addresses in the file


def _truthful_side(geocoder, street, wards, lon, lat, home_lon, home_lat):
    """The side a person living at (home_lon, home_lat) would answer."""
    line = _shared_line_near(geocoder.wards, wards, *to_xy(lon, lat))
    x, y = (float(v) for v in to_xy(home_lon, home_lat))
    anchor = nearest_points(line, shapely.Point(x, y))[0]
    return max(street.ward_by_side, key=lambda side: (x - anchor.x) * SIDES[side][0]
               + (y - anchor.y) * SIDES[side][1])


def test_answering_truthfully_gives_the_citys_ward_for_its_own_points():
    geocoder = Geocoder.default()
    found = 0
    with gzip.open(CITY_FILE, "rt") as rows:
        for row in csv.DictReader(rows):
            answer = geocoder.lookup_address(row["input_address"])
            if answer.confidence != "near_boundary" or len(answer.candidate_wards) != 2:
                continue
            street = boundary_street(geocoder, *answer.location, answer.candidate_wards)
            if street is None:
                continue
            found += 1
            side = _truthful_side(geocoder, street, answer.candidate_wards, *answer.location,
                                  float(row["lon"]), float(row["lat"]))
            city_ward = int(row["ward_2023_polygon_at_point"] or row["ward"])
            assert street.ward_by_side[side] == city_ward, (row["input_address"], street)
    assert found >= MIN_STREETS_FOUND


def test_no_street_is_named_without_two_wards_or_a_place():
    geocoder = Geocoder.default()
    assert boundary_street(geocoder, -87.6678, 41.9104, [1]) is None
    assert boundary_street(geocoder, None, None, [1, 32]) is None
    assert boundary_street(geocoder, -87.6678, 41.9104, [1, 50]) is None  # not neighbours


def test_display_name():
    assert display_name("W NORTH AVE") == "W North Ave"
    assert display_name("E 63RD ST") == "E 63rd St"
