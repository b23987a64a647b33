"""The street a ward line follows near a point, and which side of it each ward lies on.

People know "north of North Ave", not ward numbers: near a ward line the signer is asked
on which side of the street they live. Ward lines mostly run down the middle of streets;
a street is taken to follow the line when several of its corners lie on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.ops import nearest_points

from .areas import to_lonlat, to_xy

BOUNDARY_SEARCH_M = 400.0  # how far from the address to look along the ward line
SHARED_LINE_M = 1.0  # two wards' outlines this close count as one line between them
ON_LINE_M = 30.0  # a street corner this close to the ward line lies on it
MIN_CORNERS_ON_LINE = 2  # corners of one street on the line before it "follows" it
SIDE_PROBE_M = 60.0  # how far either side of the line we look for each ward
SIDES = {"north": (0.0, 1.0), "south": (0.0, -1.0), "east": (1.0, 0.0), "west": (-1.0, 0.0)}


@dataclass(frozen=True)
class BoundaryStreet:
    """A street between two wards: "north of W North Ave is ward 1, south is ward 2"."""

    name: str  # as people write it: "W North Ave"
    ward_by_side: dict[str, int]  # {"north": 1, "south": 2} or {"east": .., "west": ..}
    anchor: tuple[float, float]  # lon, lat of the line's point nearest the address

    @property
    def runs_north_south(self):
        return "east" in self.ward_by_side


def display_name(label):
    """'W NORTH AVE' -> 'W North Ave', 'E 63RD ST' -> 'E 63rd St'."""
    return " ".join(word.capitalize() if word[:1].isalpha() else word.lower()
                    for word in label.split())


def boundary_street(geocoder, lon, lat, wards) -> BoundaryStreet | None:
    """The street the line between two wards follows near (lon, lat), or None."""
    if len(wards) != 2 or lon is None or lat is None:
        return None
    x, y = (float(v) for v in to_xy(lon, lat))
    line = _shared_line_near(geocoder.wards, wards, x, y)
    if line is None:
        return None
    sid, corners_x, corners_y = _street_along(geocoder.points, line, x, y)
    if sid is None:
        return None
    runs_east_west = np.ptp(corners_x) >= np.ptp(corners_y)
    sides = ("north", "south") if runs_east_west else ("east", "west")
    anchor = nearest_points(line, shapely.Point(x, y))[0]
    ward_by_side = {}
    for side in sides:
        dx, dy = SIDES[side]
        found = set(geocoder.wards.containing(anchor.x + dx * SIDE_PROBE_M,
                                              anchor.y + dy * SIDE_PROBE_M)) & set(wards)
        if len(found) != 1:
            return None
        ward_by_side[side] = found.pop()
    if len(set(ward_by_side.values())) != 2:
        return None
    return BoundaryStreet(display_name(geocoder.streets.label(sid)), ward_by_side,
                          to_lonlat(anchor.x, anchor.y))


def _shared_line_near(areas, wards, x, y):
    """The part of the line between the two wards within reach of the point, or None."""
    first, second = (areas.geoms[areas.numbers.index(w)] for w in wards)
    shared = first.boundary.intersection(second.buffer(SHARED_LINE_M))
    near = shared.intersection(shapely.Point(x, y).buffer(BOUNDARY_SEARCH_M))
    return None if near.is_empty else near


def _street_along(points, line, x, y):
    """(street id, its corners' x, y) of the street with most corners on the line."""
    close = np.flatnonzero(np.hypot(points.corner_x - x, points.corner_y - y)
                           <= BOUNDARY_SEARCH_M + ON_LINE_M)
    if close.size == 0:
        return None, None, None
    distances = shapely.distance(shapely.points(points.corner_x[close],
                                                points.corner_y[close]), line)
    on_line = close[distances <= ON_LINE_M]
    streets = np.searchsorted(points.corner_offsets, on_line, side="right") - 1
    if streets.size == 0:
        return None, None, None
    ids, tally = np.unique(streets, return_counts=True)
    if tally.max() < MIN_CORNERS_ON_LINE:
        return None, None, None
    best = int(ids[int(np.argmax(tally))])
    mine = on_line[streets == best]
    return best, points.corner_x[mine], points.corner_y[mine]
