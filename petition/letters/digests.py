"""Daily digests: one email per recipient and day with that day's constituent letters:
per alder, or, for a petition to state members, per State Representative and Senator.

`flask letters send-digests [--date YYYY-MM-DD]` (cron, once a day) takes, for each
campaign and recipient, every digest letter not yet in their digest and sent before the
end of that Chicago day (or before now, if the day is not over), and queues one email. A
unique index on (campaign, chamber, ward or district, day) makes a second run for the same
day (even one running at the same time) send nothing more; letters sent after a digest
wait for the next day's. Letters from signatures an admin set aside stay out. A state seat
that is vacant, or whose member has no email, gets no digest: its letters wait, and the
command (and the organizers' letters page) says why.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import delete, select, update

from petition.database import insert
from petition.extensions import db
from petition.letters.mail import DIGEST_TEMPLATE, valid_signatures
from petition.lookup.members import legislators
from petition.mail import outbox
from petition.models import Letter, LetterDigest, OutboxPriority
from petition.models.base import utcnow
from petition.models.legislator import HOUSE, SENATE
from petition.web.timezones import CITY_TZ


def end_of_day_utc(day):
    """The first moment after the Chicago day `day`, as naive UTC."""
    start_next = datetime.combine(day + timedelta(days=1), time(0), tzinfo=CITY_TZ)
    return start_next.astimezone(UTC).replace(tzinfo=None)


def default_day(now=None):
    """Yesterday in Chicago: the command runs after midnight for the day just over."""
    now = now or utcnow()
    return (now.replace(tzinfo=UTC).astimezone(CITY_TZ) - timedelta(days=1)).date()


@dataclass
class DigestReport:
    digests: int = 0
    letters: int = 0
    already_sent: int = 0  # (campaign, recipient) pairs that had their digest for the day
    # State seats whose letters wait: vacant, not in the roster, or no email (English).
    waiting: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DigestGroup:
    """One recipient's waiting letters in one campaign: an alder (chamber "", ward) or a
    state member (chamber, district), and the Letter column that records their digest."""

    campaign_id: int
    chamber: str
    number: int
    column: object  # Letter.digest_id, or Letter.senate_digest_id (letters to both)
    where: tuple


def _kinds():
    """(chamber, number, digest column, conditions) of each kind of recipient: a letter to
    both state members names the Representative, and the Senator in senate_district."""
    return (
        ("", Letter.ward, Letter.digest_id, (Letter.recipient_chamber.is_(None),)),
        (HOUSE, Letter.recipient_district, Letter.digest_id,
         (Letter.recipient_chamber == HOUSE,)),
        (SENATE, Letter.recipient_district, Letter.digest_id,
         (Letter.recipient_chamber == SENATE,)),
        (SENATE, Letter.senate_district, Letter.senate_digest_id,
         (Letter.senate_district.is_not(None),)),
    )


def digest_groups(cutoff, *campaign_filter):
    """Every recipient with letters waiting for a digest, sent before `cutoff`."""
    base = (Letter.for_digest.is_(True), Letter.created_at < cutoff,
            Letter.signature_id.in_(valid_signatures()), *campaign_filter)
    for chamber, number, column, where in _kinds():
        conditions = (*base, column.is_(None), *where)
        rows = db.session.execute(
            select(Letter.campaign_id, number).where(*conditions)
            .group_by(Letter.campaign_id, number).order_by(Letter.campaign_id, number)).all()
        for campaign_id, value in rows:
            yield DigestGroup(campaign_id, chamber, value, column,
                              (*conditions, Letter.campaign_id == campaign_id, number == value))


def why_waiting(group, member):
    """Why a state member's digest cannot go (English, for organizers), or None."""
    seat = f"{'House' if group.chamber == HOUSE else 'Senate'} district {group.number}"
    if member is None:
        return f"{seat}: no member in the roster; its letters wait"
    if member.vacant:
        return f"{seat}: the seat is vacant; its letters wait"
    if not member.email:
        return f"{seat}: {member.name} has no email address; the letters wait until the " \
               "roster has one (flask legislators import)"
    return None


def send_digests(day, *, now=None):
    """Queue the digests for `day` (a date in Chicago); flushes, the caller commits."""
    now = now or utcnow()
    report = DigestReport()
    groups = list(digest_groups(min(end_of_day_utc(day), now)))
    members = legislators({(g.chamber, g.number) for g in groups if g.chamber})
    for group in groups:
        member = members.get((group.chamber, group.number))
        if group.chamber and why_waiting(group, member):
            report.waiting.append(why_waiting(group, member))
            continue  # nothing is taken: the letters go once the member can get them
        _send_one(group, member, day, now, report)
    db.session.flush()
    return report


def _send_one(group, member, day, now, report):
    digest_id = db.session.scalar(
        insert(LetterDigest)
        .values(campaign_id=group.campaign_id, chamber=group.chamber, ward=group.number,
                day=day, alder_name="", alder_email="", letters=0, created_at=now)
        .on_conflict_do_nothing(index_elements=["campaign_id", "chamber", "ward", "day"])
        .returning(LetterDigest.id))
    if digest_id is None:
        report.already_sent += 1
        return
    # Only letters still free are taken: a concurrent run for another day that took them
    # first leaves nothing here (the UPDATE waits for its row locks, then re-checks).
    taken = db.session.execute(
        update(Letter).where(*group.where).values({group.column.key: digest_id})
        .returning(Letter.id, Letter.alder_name, Letter.alder_email)
        .execution_options(synchronize_session=False)
    ).all()
    if not taken:
        db.session.execute(delete(LetterDigest).where(LetterDigest.id == digest_id))
        return
    # The alder as the latest letter named them; a state member as the roster does now.
    _id, name, email = max(taken, key=lambda row: row[0])
    if member is not None:
        name, email = member.name, member.email
    message_id = outbox.enqueue(
        kind="letter_digest", to_address=email, template=DIGEST_TEMPLATE,
        context={"digest_id": digest_id}, locale="en", now=now,
        priority=OutboxPriority.BULK)
    db.session.execute(
        update(LetterDigest).where(LetterDigest.id == digest_id)
        .values(alder_name=name, alder_email=email, letters=len(taken),
                outbox_message_id=message_id))
    report.digests += 1
    report.letters += len(taken)


def waiting_seats(petition_id, now=None):
    """[(DigestGroup, Legislator row or None)]: a petition's state seats whose letters wait
    because the seat is vacant, not in the roster or its member has no email."""
    groups = [g for g in digest_groups(now or utcnow(), Letter.petition_id == petition_id)
              if g.chamber]
    members = legislators({(g.chamber, g.number) for g in groups})
    return [(g, members.get((g.chamber, g.number))) for g in groups
            if why_waiting(g, members.get((g.chamber, g.number)))]
