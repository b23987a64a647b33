"""House and Senate districts for signatures stored before they were recorded (issue 17).

New signatures get theirs when they are placed (placement.py). Older ones with a ward and
a stored point get the districts containing that point: the point the look-up placed the
address at, so the answer is the one signing would have recorded (near a district line the
point decides, as it does at signing).
"""

from sqlalchemy import select, update

from petition.extensions import db
from petition.geo.areas import to_xy
from petition.geo.geocoder import OUTSIDE_SNAP_M
from petition.models import Signature

BATCH = 2000


def districts_at(geocoder, lon, lat):
    """(House, Senate) districts containing a point, or the nearest within OUTSIDE_SNAP_M."""
    x, y = (float(v) for v in to_xy(lon, lat))
    state = geocoder.state
    return (state.house.place(x, y, None, 0.0, OUTSIDE_SNAP_M)[0],
            state.senate.place(x, y, None, 0.0, OUTSIDE_SNAP_M)[0])


def fill_missing_districts(geocoder, batch=BATCH) -> int:
    """Record the districts of every signature with a ward and a point but no House
    district; flushes each batch (the caller commits). Returns how many were filled."""
    filled, after = 0, 0
    while True:
        rows = db.session.execute(
            select(Signature.id, Signature.lon, Signature.lat)
            .where(Signature.id > after, Signature.state_house.is_(None),
                   Signature.ward.is_not(None), Signature.lon.is_not(None),
                   Signature.lat.is_not(None))
            .order_by(Signature.id).limit(batch)).all()
        if not rows:
            return filled
        for signature_id, lon, lat in rows:
            house, senate = districts_at(geocoder, lon, lat)
            if house is not None:
                db.session.execute(update(Signature).where(Signature.id == signature_id)
                                   .values(state_house=house, state_senate=senate)
                                   .execution_options(synchronize_session=False))
                filled += 1
        after = rows[-1][0]
        db.session.flush()
