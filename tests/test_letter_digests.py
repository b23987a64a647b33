"""Daily digests: one email per alder and day with that day's letters, never twice."""

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.letters import campaigns
from petition.letters import digests as letter_digests
from petition.letters import service as letters
from petition.letters.campaigns import CampaignFields
from petition.models import (
    Letter,
    LetterDelivery,
    LetterDigest,
    OutboxMessage,
    Petition,
    Signature,
    WardStatus,
)
from tests.conftest import deliver_mail, text_of
from tests.factories import make_confirmed, make_organizer, make_petition

DAY = date(2025, 5, 1)
# Naive UTC moments: 14:00 and 20:00 on May 1 in Chicago (CDT, UTC-5), and May 2 morning.
MORNING = datetime(2025, 5, 1, 19, 0)
EVENING = datetime(2025, 5, 2, 1, 0)
NEXT_DAY = datetime(2025, 5, 2, 15, 0)
AFTER_DAY = datetime(2025, 5, 2, 6, 0)  # 01:00 on May 2 in Chicago: the day is over


@pytest.fixture
def digest_app(mail_rosters):
    with mail_rosters.app_context():
        petition = make_petition(slug="ecps", title="Community control now")
        campaigns.save_campaign(petition, CampaignFields(
            "From ward {{ ward }}", "Dear {{ alder_name }}, from {{ full_name }}.", False,
            LetterDelivery.DIGEST, True), actor=make_organizer())
        db.session.commit()
    return mail_rosters


def write(app, ward, first_name, when):
    """A confirmed signer of `ward` sends the campaign's letter at `when`."""
    with app.app_context():
        petition = db.session.scalar(select(Petition))
        signature = make_confirmed(petition, ward=ward, ward_status=WardStatus.GEOCODED,
                                   first_name=first_name, email=f"{first_name.lower()}@example.org")
        result = letters.send_letter(signature, petition, now=when)
        db.session.commit()
        assert result.created


def digest(app, day=DAY, now=AFTER_DAY):
    with app.app_context():
        report = letter_digests.send_digests(day, now=now)
        db.session.commit()
        return report


def test_one_digest_per_alder_listing_their_letters_and_never_twice(digest_app, smtp_server):
    for name in ("Ana", "Bea", "Cy"):
        write(digest_app, 1, name, MORNING)
    for name in ("Dee", "Eli"):
        write(digest_app, 48, name, EVENING)
    with digest_app.app_context():  # nothing is sent until the digest
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.kind != "confirmation")) == 0

    report = digest(digest_app)
    assert (report.digests, report.letters, report.already_sent) == (2, 5, 0)
    assert deliver_mail(digest_app).sent == 2
    [ward1] = smtp_server.sink.to("Ward01@cityofchicago.org")
    [ward48] = smtp_server.sink.to("Ward48@cityofchicago.org")
    assert ward1["From"] == "petitions@example.org"
    assert ward1["Subject"] == "3 letters from constituents in ward 1: Community control now"
    text = text_of(ward1)
    assert "To Daniel La Spata, alder of ward 1:" in text
    for name in ("Ana", "Bea", "Cy"):
        assert f"Dear Daniel La Spata, from {name} " in text
        assert f"{name.lower()}@example.org" in text
    assert "Letter 3 of 3" in text and "Dee" not in text
    assert "May 1, 2025, 2:00\u202fPM" in text  # Chicago time
    assert ward48["Subject"].startswith("2 letters from constituents in ward 48")
    assert "Dee" in text_of(ward48) and "Eli" in text_of(ward48) and "Ana" not in text_of(ward48)

    # Again, the same day: nothing more.
    assert digest(digest_app).digests == 0
    assert deliver_mail(digest_app).sent == 0
    assert len(smtp_server.messages) == 2


def test_letters_after_the_digest_go_in_the_next_one(digest_app, smtp_server):
    write(digest_app, 1, "Ana", MORNING)
    # Run during the day: the digest takes what was sent so far.
    assert digest(digest_app, now=datetime(2025, 5, 1, 20, 0)).letters == 1
    write(digest_app, 1, "Bea", EVENING)  # later the same Chicago day
    report = digest(digest_app)  # the day is over now, but the ward had its digest
    assert (report.digests, report.already_sent) == (0, 1)
    write(digest_app, 1, "Cy", NEXT_DAY)
    report = digest(digest_app, day=date(2025, 5, 2), now=datetime(2025, 5, 3, 6, 0))
    assert (report.digests, report.letters) == (1, 2)
    deliver_mail(digest_app)
    first, second = smtp_server.sink.to("Ward01@cityofchicago.org")
    assert "Ana" in text_of(first) and "Bea" not in text_of(first)
    assert "Bea" in text_of(second) and "Cy" in text_of(second) and "Ana" not in text_of(second)
    with digest_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Letter)
                                 .where(Letter.digest_id.is_(None))) == 0


def test_a_day_not_over_leaves_later_letters_and_set_aside_ones_wait(digest_app, smtp_server):
    from petition.models.base import utcnow

    write(digest_app, 1, "Ana", MORNING)
    write(digest_app, 1, "Bob", MORNING)
    with digest_app.app_context():
        bob = db.session.scalar(select(Signature).where(Signature.first_name == "Bob"))
        bob.invalidated_at = utcnow()
        db.session.commit()
    assert digest(digest_app).letters == 1  # Bob's letter stays out
    deliver_mail(digest_app)
    [message] = smtp_server.sink.to("Ward01@cityofchicago.org")
    assert "Ana" in text_of(message) and "Bob" not in text_of(message)


def test_the_command_for_cron(digest_app, smtp_server):
    write(digest_app, 1, "Ana", MORNING)
    runner = digest_app.test_cli_runner()
    result = runner.invoke(args=["letters", "send-digests", "--date", "2025-05-01"])
    assert result.exit_code == 0, result.output
    assert "1 digests queued with 1 letters" in result.output
    result = runner.invoke(args=["letters", "send-digests", "--date", "2025-05-01"])
    assert "0 digests queued" in result.output
    write(digest_app, 1, "Bea", EVENING)  # too late for that day's digest
    result = runner.invoke(args=["letters", "send-digests", "--date", "2025-05-01"])
    assert "0 digests queued" in result.output and "1 recipients already had" in result.output
    result = runner.invoke(args=["letters", "send-digests", "--date", "May 1"])
    assert result.exit_code != 0
    assert deliver_mail(digest_app).sent == 1


def test_two_runs_at_once_send_one_digest(digest_app, smtp_server):
    for name in ("Ana", "Bea"):
        write(digest_app, 1, name, MORNING)
    barrier = threading.Barrier(2)
    reports = []

    def run():
        with digest_app.app_context():
            barrier.wait()
            reports.append(letter_digests.send_digests(DAY, now=AFTER_DAY))
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.digests for r in reports) == [0, 1]
    with digest_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LetterDigest)) == 1
    assert deliver_mail(digest_app).sent == 1


def test_the_default_day_is_yesterday_in_chicago():
    assert letter_digests.default_day(datetime(2025, 5, 2, 4, 0)) == date(2025, 4, 30)
    assert letter_digests.default_day(datetime(2025, 5, 2, 6, 0)) == date(2025, 5, 1)
    assert letter_digests.end_of_day_utc(DAY) == datetime(2025, 5, 2, 5, 0)
