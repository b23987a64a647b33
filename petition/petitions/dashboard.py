"""What organizers see per petition: wards with counts and stances, signatures per day."""

from dataclasses import dataclass
from datetime import UTC, date, timedelta

from sqlalchemy import func, select

from petition.extensions import db
from petition.letters import reports as letter_reports
from petition.letters.replies import ReplyRate, reply_rates
from petition.lookup.service import alder_names
from petition.models import (
    STANCE_ORDER,
    WARD_NUMBERS,
    AlderStance,
    DailyWardCount,
    Signature,
    Stance,
    WardCount,
)
from petition.models.base import utcnow
from petition.stances import service as stance_service
from petition.stances.calls import calls_by_ward
from petition.stances.goals import ward_goals
from petition.web.timezones import CITY_TZ

SORT_COLUMNS = ("ward", "alder", "stance", "confirmed", "pending", "letters")
# Sorting by stance groups allies first.
MAX_CHART_DAYS = 730


@dataclass
class WardRow:
    ward: int
    alder: str | None
    stance: Stance
    confirmed: int
    pending: int
    letters: int
    goal: int | None = None
    calls: int = 0
    replies: ReplyRate | None = None  # what letter senders said when asked


@dataclass
class WardTable:
    rows: list
    outside: dict  # {"confirmed": n, "pending": n} for signers outside Chicago
    unknown: dict  # the same for signatures whose ward is not known yet
    totals: dict


def stances(petition_id):
    """{ward number: Stance}; wards without a row are Stance.UNKNOWN."""
    rows = db.session.execute(
        select(AlderStance.ward, AlderStance.stance).where(AlderStance.petition_id == petition_id)
    ).all()
    return dict(rows)


def set_stances(petition, changes, *, actor, now=None):
    """Record stances {ward: Stance} from the dashboard's drop-downs (a changed stance
    keeps no earlier evidence); returns the wards whose stance changed."""
    current = stance_service.current_stances(petition.id)
    changed = []
    for ward, stance in sorted(changes.items()):
        row = current.get(ward)
        if ward not in WARD_NUMBERS or (row.stance if row else Stance.UNKNOWN) is stance:
            continue
        stance_service.record_stance(petition, ward, stance, actor=actor, row=row, now=now)
        changed.append(ward)
    return changed


def _pending_by_key(petition_id):
    return dict(db.session.execute(
        select(DailyWardCount.ward_key, func.sum(DailyWardCount.pending))
        .where(DailyWardCount.petition_id == petition_id)
        .group_by(DailyWardCount.ward_key)).all())


def ward_table(petition, *, sort="ward", descending=False):
    """The 50 wards with alder, stance, confirmed, pending and letters sent, sorted."""
    confirmed = dict(db.session.execute(
        select(WardCount.ward_key, WardCount.confirmed)
        .where(WardCount.petition_id == petition.id)
    ).all())
    pending = _pending_by_key(petition.id)
    letters = letter_reports.letters_sent_by_ward(petition.id)
    names = alder_names()
    known = stances(petition.id)
    goals = ward_goals(petition.id)
    calls = calls_by_ward(petition.id)
    rates = reply_rates(petition.id)
    rows = [
        WardRow(ward=n, alder=names.get(n), stance=known.get(n, Stance.UNKNOWN),
                confirmed=confirmed.get(str(n), 0), pending=pending.get(str(n), 0),
                letters=letters.get(n, 0), goal=goals.get(n), calls=calls.get(n, 0),
                replies=rates.get(n))
        for n in WARD_NUMBERS
    ]
    sort_rows(rows, sort, descending)
    outside = {"confirmed": confirmed.get("outside", 0), "pending": pending.get("outside", 0)}
    unknown = {"confirmed": confirmed.get("unknown", 0), "pending": pending.get("unknown", 0)}
    totals = {
        "confirmed": sum(confirmed.values()),
        "pending": sum(pending.values()),
        "letters": sum(letters.values()),
    }
    return WardTable(rows=rows, outside=outside, unknown=unknown, totals=totals)


def sort_rows(rows, sort, descending):
    """Sort in place by a column of SORT_COLUMNS; ties (and blanks) fall back to ward."""
    if sort == "alder":
        # Wards without a known alder go last either way.
        named = sorted((r for r in rows if r.alder), key=lambda r: (r.alder.lower(), r.ward),
                       reverse=descending)
        rows[:] = named + [r for r in rows if not r.alder]
        return
    if sort == "stance":
        key = lambda r: (STANCE_ORDER[r.stance], r.ward)  # noqa: E731
    elif sort in ("confirmed", "pending", "letters"):
        key = lambda r: (getattr(r, sort), -r.ward if descending else r.ward)  # noqa: E731
    else:
        key = lambda r: r.ward  # noqa: E731
    rows.sort(key=key, reverse=descending)


@dataclass(frozen=True)
class DailyCount:
    day: date
    confirmed: int
    pending: int


def signatures_per_day(petition, *, today=None):
    """Valid signatures per Chicago calendar day (by signing time), confirmed and pending,
    from the first signature to today, at most MAX_CHART_DAYS days (from the counters)."""
    days = {day: (confirmed, pending) for day, confirmed, pending in db.session.execute(
        select(DailyWardCount.day, func.sum(DailyWardCount.confirmed),
               func.sum(DailyWardCount.pending))
        .where(DailyWardCount.petition_id == petition.id)
        .group_by(DailyWardCount.day)).all() if confirmed or pending}
    if not days:
        return []
    today = today or utcnow().replace(tzinfo=UTC).astimezone(CITY_TZ).date()
    last = max(max(days), today)
    first = max(min(days), last - timedelta(days=MAX_CHART_DAYS - 1))
    series = []
    day = first
    while day <= last:
        confirmed, pending = days.get(day, (0, 0))
        series.append(DailyCount(day, confirmed, pending))
        day += timedelta(days=1)
    return series


@dataclass(frozen=True)
class SourceCount:
    source: str | None  # None: the link named no source
    confirmed: int
    pending: int


def signatures_by_source(petition):
    """Valid signatures per source, confirmed and pending, most confirmed first (a GROUP BY
    over the petition's rows of ix_signatures_petition_source)."""
    is_confirmed = Signature.confirmed_at.is_not(None)
    totals = {}
    for source, confirmed, n in db.session.execute(
            select(Signature.source, is_confirmed, func.count())
            .where(Signature.petition_id == petition.id, Signature.invalidated_at.is_(None))
            .group_by(Signature.source, is_confirmed)):
        entry = totals.setdefault(source, [0, 0])
        entry[0 if confirmed else 1] += n
    rows = [SourceCount(source, c, p) for source, (c, p) in totals.items()]
    return sorted(rows, key=lambda r: (-r.confirmed, -r.pending, r.source or ""))
