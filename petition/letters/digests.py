"""Daily digests: one email per alder and day with that day's constituent letters.

`flask letters send-digests [--date YYYY-MM-DD]` (cron, once a day) takes, for each
campaign and ward, every digest letter not yet in a digest and sent before the end of
that Chicago day (or before now, if the day is not over), and queues one email for the
alder. A unique index on (campaign, ward, day) makes a second run for the same day (even
one running at the same time) send nothing more; letters sent after a digest wait for the
next day's. Letters from signatures an admin set aside stay out.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import delete, select, update

from petition.database import insert
from petition.extensions import db
from petition.letters.mail import DIGEST_TEMPLATE, valid_signatures
from petition.mail import outbox
from petition.models import Letter, LetterDigest, OutboxPriority
from petition.models.base import utcnow
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
    already_sent: int = 0  # (campaign, ward) pairs that had their digest for the day


def send_digests(day, *, now=None):
    """Queue the digests for `day` (a date in Chicago); flushes, the caller commits."""
    now = now or utcnow()
    cutoff = min(end_of_day_utc(day), now)
    waiting = (
        Letter.for_digest.is_(True),
        Letter.digest_id.is_(None),
        Letter.created_at < cutoff,
        Letter.signature_id.in_(valid_signatures()),
    )
    groups = db.session.execute(
        select(Letter.campaign_id, Letter.ward).where(*waiting)
        .group_by(Letter.campaign_id, Letter.ward)
        .order_by(Letter.campaign_id, Letter.ward)
    ).all()
    report = DigestReport()
    for campaign_id, ward in groups:
        digest_id = db.session.scalar(
            insert(LetterDigest)
            .values(campaign_id=campaign_id, ward=ward, day=day, alder_name="",
                    alder_email="", letters=0, created_at=now)
            .on_conflict_do_nothing(index_elements=["campaign_id", "ward", "day"])
            .returning(LetterDigest.id))
        if digest_id is None:
            report.already_sent += 1
            continue
        # Only letters still free are taken: a concurrent run for another day that took
        # them first leaves nothing here (the UPDATE waits for its row locks, then
        # re-checks digest_id).
        taken = db.session.execute(
            update(Letter)
            .where(Letter.campaign_id == campaign_id, Letter.ward == ward, *waiting)
            .values(digest_id=digest_id)
            .returning(Letter.id, Letter.alder_name, Letter.alder_email)
            .execution_options(synchronize_session=False)
        ).all()
        if not taken:
            db.session.execute(delete(LetterDigest).where(LetterDigest.id == digest_id))
            continue
        # The alder as the latest letter named them.
        _id, alder_name, alder_email = max(taken, key=lambda row: row[0])
        message_id = outbox.enqueue(
            kind="letter_digest", to_address=alder_email, template=DIGEST_TEMPLATE,
            context={"digest_id": digest_id}, locale="en", now=now,
            priority=OutboxPriority.BULK)
        db.session.execute(
            update(LetterDigest).where(LetterDigest.id == digest_id)
            .values(alder_name=alder_name, alder_email=alder_email, letters=len(taken),
                    outbox_message_id=message_id)
        )
        report.digests += 1
        report.letters += len(taken)
    db.session.flush()
    return report
