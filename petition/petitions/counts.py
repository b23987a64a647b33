"""Confirmed-signature counts per petition and ward."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from petition.database import insert
from petition.extensions import db
from petition.models import WARD_NUMBERS, Signature, WardCount, ward_key_for
from petition.models.base import utcnow


def add_confirmed(petition_id, ward_key, delta=1, now=None):
    """Change one counter by `delta` in the caller's transaction (an atomic upsert)."""
    now = now or utcnow()
    statement = insert(WardCount).values(
        petition_id=petition_id, ward_key=ward_key, confirmed=delta, updated_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=[WardCount.petition_id, WardCount.ward_key],
        set_={"confirmed": WardCount.confirmed + delta, "updated_at": now},
    )
    db.session.execute(statement)


# Milestones on the way to a goal: 3 of 5,000 fills nothing you can see, 3 of the first
# 100 does. Each decade steps 1, 2.5, 5 (100, 250, 500, 1,000 ...).
FIRST_MILESTONE = 100
MILESTONE_STEPS = (1, 2.5, 5)


def next_milestone(total, goal):
    """The count the progress bar fills toward: the next milestone above total, at most goal."""
    if goal <= 0:
        return max(total, 1)
    scale = FIRST_MILESTONE
    while scale < goal:
        for step in MILESTONE_STEPS:
            milestone = int(scale * step)
            if total < milestone < goal:
                return milestone
        scale *= 10
    return goal


def petition_counts(petition):
    """Public counts: total, per ward, outside Chicago, unknown, and when they last changed."""
    rows = db.session.execute(
        select(WardCount.ward_key, WardCount.confirmed, WardCount.updated_at).where(
            WardCount.petition_id == petition.id
        )
    ).all()
    wards = {str(n): 0 for n in WARD_NUMBERS}
    outside = unknown = 0
    updated_at = petition.created_at
    for key, confirmed, changed in rows:
        if key == "outside":
            outside = confirmed
        elif key == "unknown":
            unknown = confirmed
        elif key in wards:
            wards[key] = confirmed
        if changed and changed > updated_at:
            updated_at = changed
    total = sum(wards.values()) + outside + unknown
    return {
        "total": total,
        "milestone": next_milestone(total, petition.goal),
        "wards": wards,
        "outside_chicago": outside,
        "unknown_ward": unknown,
        "updated_at": updated_at.replace(microsecond=0).isoformat() + "Z",
    }


def parse_updated_at(text):
    """The timezone-aware datetime of petition_counts()["updated_at"]."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def recount(petition_id):
    """Rebuild a petition's counters from its signatures (repair after manual edits)."""
    totals = count_by_ward_key(Signature.petition_id == petition_id,
                               Signature.confirmed_at.is_not(None),
                               Signature.invalidated_at.is_(None))
    db.session.query(WardCount).filter_by(petition_id=petition_id).delete()
    now = utcnow()
    for key, n in totals.items():
        db.session.add(
            WardCount(petition_id=petition_id, ward_key=key, confirmed=n, updated_at=now)
        )
    db.session.flush()
    return totals


def confirmed_total(petition_id):
    """Total confirmed signatures for a petition, from the counters."""
    return db.session.scalar(
        select(func.coalesce(func.sum(WardCount.confirmed), 0)).where(
            WardCount.petition_id == petition_id
        )
    )


def count_by_ward_key(*conditions, connection=None):
    """{ward key: signatures} among the signatures matching `conditions`, by the key they
    count under ("1".."50", "outside", "unknown"); on `connection` if given (a snapshot),
    else in the request's session."""
    grouped = (connection or db.session).execute(
        select(Signature.ward_status, Signature.ward, func.count())
        .where(*conditions)
        .group_by(Signature.ward_status, Signature.ward)
    )
    totals = {}
    for status, ward, n in grouped:
        key = ward_key_for(status, ward)
        totals[key] = totals.get(key, 0) + n
    return totals
