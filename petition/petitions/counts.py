"""Signature counters: confirmed per petition and ward (the public counts), valid
signatures per Chicago day of signing and ward, confirmed and pending (the dashboard), and
valid signatures per Illinois House and Senate district, confirmed and pending (the counts
of a petition to state members).

Every change to whether a signature counts (signing, confirming, removing, setting aside,
restoring, changing its ward) changes the counters in the same transaction, through
`tally` or `tally_matching`; `flask counts verify` checks them against a full recount.
"""

from datetime import UTC, datetime

from sqlalchemy import func, select

from petition.database import dialect_name, in_each_dialect
from petition.extensions import db
from petition.models import (
    NO_DISTRICT,
    WARD_NUMBERS,
    DailyWardCount,
    DistrictCount,
    Petition,
    Signature,
    WardCount,
    ward_key_for,
)
from petition.models.base import utcnow
from petition.models.legislator import HOUSE, SENATE
from petition.signing.sources import PAPER
from petition.web.timezones import CITY_TZ


def city_day(moment):
    """The Chicago calendar day of a stored (naive UTC) time."""
    return moment.replace(tzinfo=UTC).astimezone(CITY_TZ).date()


CHAMBERS = (HOUSE, SENATE)


def districts_of(row):
    """(House, Senate) districts of a signature, or of a row with those columns."""
    return row.state_house, row.state_senate


def _counter_upsert(table, amounts, stamped):
    """Per dialect, one INSERT of counter rows (keys and `amounts` as parameters) that adds
    the `amounts` to a row with the same keys instead, where there is one."""

    def build(dialect_insert):
        statement = dialect_insert(table)
        changes = {name: table.c[name] + statement.excluded[name] for name in amounts}
        if stamped:
            changes["updated_at"] = statement.excluded.updated_at
        keys = [column.name for column in table.primary_key]
        return statement.on_conflict_do_update(index_elements=keys, set_=changes)

    return in_each_dialect(build)


# Built once: building a statement (and its cache key) cost more than running it.
ADD_TO_WARD_COUNT = _counter_upsert(WardCount.__table__, ["confirmed"], stamped=True)
ADD_TO_DAILY_WARD_COUNT = _counter_upsert(DailyWardCount.__table__, ["confirmed", "pending"],
                                          stamped=False)
ADD_TO_DISTRICT_COUNT = _counter_upsert(DistrictCount.__table__, ["confirmed", "pending"],
                                        stamped=True)


def tally(petition_id, ward_key, day, *, districts, confirmed=0, pending=0, now=None):
    """Add `confirmed` and `pending` (either may be negative) to the counters of one ward
    and signing day (`city_day` of the signature's created_at), and of the signature's
    (House, Senate) `districts` (None: none), in the caller's transaction (atomic
    upserts)."""
    now = now or utcnow()
    tally_districts(petition_id, districts, confirmed=confirmed, pending=pending, now=now)
    if confirmed:
        _add_to(ADD_TO_WARD_COUNT, [{"petition_id": petition_id, "ward_key": ward_key,
                                     "confirmed": confirmed, "updated_at": now}])
    _add_to(ADD_TO_DAILY_WARD_COUNT, [{"petition_id": petition_id, "day": day,
                                       "ward_key": ward_key, "confirmed": confirmed,
                                       "pending": pending}])


def tally_districts(petition_id, districts, *, confirmed=0, pending=0, now=None):
    """Add `confirmed` and `pending` to the counters of (House, Senate) `districts`."""
    if not (confirmed or pending):
        return
    now = now or utcnow()
    _add_to(ADD_TO_DISTRICT_COUNT,
            [{"petition_id": petition_id, "chamber": chamber, "district": district or NO_DISTRICT,
              "confirmed": confirmed, "pending": pending, "updated_at": now}
             for chamber, district in zip(CHAMBERS, districts, strict=True)])


def _add_to(upsert, rows):
    """Run one of the counter upserts above for `rows` (one statement)."""
    db.session.execute(upsert[dialect_name()], rows)


def tally_matching(petition_id, *conditions, direction, now=None):
    """Count (direction 1) or uncount (-1) the signatures matching `conditions`, which the
    caller has just made valid or set aside; returns {ward key: confirmed among them}."""
    confirmed_by_key = {}
    for (key, day, is_confirmed, districts), n in count_by_key_and_day(*conditions).items():
        delta = direction * n
        tally(petition_id, key, day, districts=districts,
              confirmed=delta if is_confirmed else 0, pending=0 if is_confirmed else delta,
              now=now)
        if is_confirmed:
            confirmed_by_key[key] = confirmed_by_key.get(key, 0) + n
    return confirmed_by_key


def hour_bucket(dialect):
    """SQL for a signature's signing hour (UTC) as text "YYYY-MM-DD HH"."""
    if dialect == "postgresql":
        return func.to_char(Signature.created_at, "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", Signature.created_at)


def count_by_key_and_day(*conditions):
    """{(ward key, Chicago day, confirmed?, (House, Senate)): signatures} among those
    matching `conditions`.

    Grouped by UTC hour in SQL and by Chicago day here: Chicago's offset is whole hours.
    """
    bucket = hour_bucket(db.session.get_bind().dialect.name)
    is_confirmed = Signature.confirmed_at.is_not(None)
    columns = (Signature.ward_status, Signature.ward, Signature.state_house,
               Signature.state_senate, bucket, is_confirmed)
    grouped = db.session.execute(
        select(*columns, func.count()).where(*conditions).group_by(*columns))
    totals = {}
    for status, ward, house, senate, hour, confirmed, n in grouped:
        moment = datetime.strptime(hour, "%Y-%m-%d %H")
        key = (ward_key_for(status, ward), city_day(moment), bool(confirmed), (house, senate))
        totals[key] = totals.get(key, 0) + n
    return totals


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
    total = sum(wards.values()) + outside + unknown - db.session.scalar(
        select(_paper_left_out(petition.id)))
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


def _valid(petition_id):
    return (Signature.petition_id == petition_id, Signature.invalidated_at.is_(None))


def _add(totals, key, n, is_confirmed):
    confirmed, pending = totals.get(key, (0, 0))
    totals[key] = (confirmed + n, pending) if is_confirmed else (confirmed, pending + n)


def counted(petition_id):
    """What the counters should hold, from the signatures themselves:
    ({(day, ward key): (confirmed, pending)}, {(chamber, district): (confirmed, pending)})."""
    by_day, by_district = {}, {}
    for (key, day, is_confirmed, districts), n in count_by_key_and_day(
            *_valid(petition_id)).items():
        _add(by_day, (day, key), n, is_confirmed)
        for chamber, district in zip(CHAMBERS, districts, strict=True):
            _add(by_district, (chamber, district or NO_DISTRICT), n, is_confirmed)
    return by_day, by_district


def _differences(label, stored, expected):
    """[(what, stored, counted)] where two {key: value} maps disagree (absent: zero)."""
    zero = (0, 0)
    return [(label(key), stored.get(key, zero), expected.get(key, zero))
            for key in sorted(set(stored) | set(expected), key=str)
            if stored.get(key, zero) != expected.get(key, zero)]


def drift(petition_id):
    """Where the counters disagree with a full recount: [(what, stored, counted)]."""
    expected, expected_districts = counted(petition_id)
    stored = {(row.day, row.ward_key): (row.confirmed, row.pending)
              for row in db.session.scalars(
                  select(DailyWardCount).where(DailyWardCount.petition_id == petition_id))}
    found = _differences(lambda k: f"{k[0]} ward {k[1]}", stored, expected)
    by_ward = {}
    for (_day, key), (confirmed, _pending) in expected.items():
        by_ward[key] = by_ward.get(key, 0) + confirmed
    public = dict(db.session.execute(select(WardCount.ward_key, WardCount.confirmed)
                                     .where(WardCount.petition_id == petition_id)).all())
    found += [(f"public count, ward {key}", public.get(key, 0), by_ward.get(key, 0))
              for key in sorted(set(public) | set(by_ward))
              if public.get(key, 0) != by_ward.get(key, 0)]
    districts = {(row.chamber, row.district): (row.confirmed, row.pending)
                 for row in db.session.scalars(
                     select(DistrictCount).where(DistrictCount.petition_id == petition_id))}
    found += _differences(lambda k: f"{k[0]} district {k[1] or 'none'}", districts,
                          expected_districts)
    return found


def recount(petition_id):
    """Rebuild a petition's counters from its signatures (repairs any drift); returns
    {ward key: confirmed}."""
    expected, expected_districts = counted(petition_id)
    for model in (WardCount, DailyWardCount, DistrictCount):
        db.session.query(model).filter_by(petition_id=petition_id).delete()
    now = utcnow()
    by_ward = {}
    for (day, key), (confirmed, pending) in expected.items():
        db.session.add(DailyWardCount(petition_id=petition_id, day=day, ward_key=key,
                                      confirmed=confirmed, pending=pending))
        by_ward[key] = by_ward.get(key, 0) + confirmed
    for key, n in by_ward.items():
        db.session.add(WardCount(petition_id=petition_id, ward_key=key, confirmed=n,
                                 updated_at=now))
    db.session.add_all(DistrictCount(petition_id=petition_id, chamber=chamber,
                                     district=district, confirmed=confirmed,
                                     pending=pending, updated_at=now)
                       for (chamber, district), (confirmed, pending)
                       in expected_districts.items())
    db.session.flush()
    return by_ward


def _paper_left_out(petition_id):
    """SQL: the confirmed, valid paper signatures without an email (stored as "") that
    the petition leaves out of its public total (they still count in their ward); 0 when
    it counts them."""
    return (select(func.count()).select_from(Signature)
            .join(Petition, Petition.id == Signature.petition_id)
            .where(Signature.petition_id == petition_id, Signature.source == PAPER,
                   Signature.email == "", Signature.confirmed_at.is_not(None),
                   Signature.invalidated_at.is_(None),
                   Petition.paper_without_email_counts.is_(False))
            .scalar_subquery())


def confirmed_total(petition_id):
    """The public total of a petition's confirmed signatures, from the counters (less the
    paper signatures without an email, when the petition leaves those out)."""
    counted = select(func.coalesce(func.sum(WardCount.confirmed), 0)).where(
        WardCount.petition_id == petition_id).scalar_subquery()
    return db.session.scalar(select(counted - _paper_left_out(petition_id)))


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
