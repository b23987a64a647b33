"""A signature's Illinois House and Senate districts, kept in step with its ward.

Signing records the districts with the ward (placement.py). Whenever the ward is decided
later (the signer chooses it, an organizer chooses it for a paper row, `flask lookup
fill-districts` fills signatures stored before districts were recorded), the districts
follow it here, from the signature's stored point placed in that ward:

- the point inside the chosen ward: the districts containing it (what signing records);
- the point outside it (near a line, the signer said "the other ward"): the districts at
  the nearest place in the ward (a step inside its line), where they must live;
- no point (the address did not match; the ward was chosen on the city map): a chamber's
  district only when one district covers the whole ward, else not known (None).
"""

from collections import Counter

import shapely
from shapely.ops import nearest_points
from sqlalchemy import or_, select, update

from petition.extensions import db
from petition.geo.areas import to_xy
from petition.geo.geocoder import OUTSIDE_SNAP_M
from petition.models import Signature
from petition.petitions import counts

BATCH = 2000
INSIDE_STEP_M = 2.0  # how far inside the ward line a point outside the ward is moved
WHOLE_WARD = 0.995  # share of a ward's area one district must cover to answer without a point


def districts_at(geocoder, lon, lat):
    """(House, Senate) districts containing a point, or the nearest within OUTSIDE_SNAP_M."""
    x, y = (float(v) for v in to_xy(lon, lat))
    return _districts_at_xy(geocoder, x, y)


def _districts_at_xy(geocoder, x, y):
    state = geocoder.state
    return (state.house.place(x, y, None, 0.0, OUTSIDE_SNAP_M)[0],
            state.senate.place(x, y, None, 0.0, OUTSIDE_SNAP_M)[0])


def _ward_shape(geocoder, ward):
    """The ward's polygon in metres (geo.areas), or None for a ward that does not exist."""
    wards = geocoder.wards
    return wards.geoms[wards.numbers.index(ward)] if ward in wards.numbers else None


def _covering(areas, shape):
    """The one area covering (nearly) all of `shape`, else None."""
    for index in areas.tree.query(shape, predicate="intersects"):
        if areas.geoms[index].intersection(shape).area >= WHOLE_WARD * shape.area:
            return areas.numbers[int(index)]
    return None


def districts_for_ward(geocoder, ward, lon=None, lat=None):
    """(House, Senate) districts of a signer in `ward` whose address was placed at
    (lon, lat) (None: no point); either is None when it cannot be known."""
    shape = _ward_shape(geocoder, ward)
    if shape is None:
        return None, None
    if lon is None or lat is None:
        return _covering(geocoder.state.house, shape), _covering(geocoder.state.senate, shape)
    x, y = (float(v) for v in to_xy(lon, lat))
    point = shapely.Point(x, y)
    if not shape.intersects(point):
        inside = shape.buffer(-INSIDE_STEP_M)
        point = nearest_points(shape if inside.is_empty else inside, point)[0]
    return _districts_at_xy(geocoder, point.x, point.y)


def fill_missing_districts(geocoder, batch=BATCH) -> int:
    """Record the districts of every signature with a ward but no House or Senate district
    (stored before they were recorded), moving the district counters along; flushes each
    batch (the caller commits). Returns how many signatures got a district."""
    filled, after = 0, 0
    while True:
        rows = db.session.execute(
            select(Signature.id, Signature.petition_id, Signature.ward, Signature.lon,
                   Signature.lat, Signature.state_house, Signature.state_senate,
                   Signature.confirmed_at, Signature.invalidated_at)
            .where(Signature.id > after, Signature.ward.is_not(None),
                   or_(Signature.state_house.is_(None), Signature.state_senate.is_(None)))
            .order_by(Signature.id).limit(batch)).all()
        if not rows:
            return filled
        moves = Counter()
        for row in rows:
            new = districts_for_ward(geocoder, row.ward, row.lon, row.lat)
            new = (row.state_house or new[0], row.state_senate or new[1])
            if new == (row.state_house, row.state_senate):
                continue
            db.session.execute(update(Signature).where(Signature.id == row.id)
                               .values(state_house=new[0], state_senate=new[1])
                               .execution_options(synchronize_session=False))
            filled += 1
            if row.invalidated_at is None:  # set-aside signatures are in no counter
                moves[(row.petition_id, (row.state_house, row.state_senate), new,
                       row.confirmed_at is not None)] += 1
        for (petition_id, old, new, confirmed), n in moves.items():
            move_district_counts(petition_id, old, new, confirmed, n)
        after = rows[-1].id
        db.session.flush()


def move_district_counts(petition_id, old, new, confirmed, n=1, now=None):
    """Move `n` valid signatures' counts from (House, Senate) districts `old` to `new`."""
    delta = {"confirmed": n} if confirmed else {"pending": n}
    counts.tally_districts(petition_id, old, now=now, **{k: -v for k, v in delta.items()})
    counts.tally_districts(petition_id, new, now=now, **delta)
