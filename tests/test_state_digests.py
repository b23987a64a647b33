"""Daily digests for a petition to state members: one email per State Representative and
Senator, to the roster's address; a member without an email gets none, the organizers are
told, and the letters wait for the next run (nothing lost)."""

import pytest
from sqlalchemy import select, update

from petition import demo
from petition.extensions import db
from petition.letters import digests as letter_digests
from petition.letters import service as letters
from petition.models import (
    Legislator,
    LetterCampaign,
    LetterDelivery,
    LetterDigest,
    Petition,
    PetitionTarget,
    WardStatus,
)
from tests.conftest import deliver_mail, login, text_of
from tests.factories import make_confirmed, make_organizer
from tests.test_legislators import run
from tests.test_letter_digests import AFTER_DAY, DAY, MORNING

SLUG = demo.TIRC_SLUG
REP, SENATOR = "Eva-Dina Delgado", "Omar Aquino"  # House 3, Senate 2


@pytest.fixture
def tirc(mail_rosters):
    with mail_rosters.app_context():
        petition, _ = demo.ensure_tirc_petition()
        petition.target = PetitionTarget.STATE_BOTH
        db.session.execute(update(LetterCampaign).values(delivery=LetterDelivery.DIGEST))
        db.session.commit()
    return mail_rosters


def write(app, name, house=3, senate=2):
    with app.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == SLUG))
        signature = make_confirmed(petition, ward=1, ward_status=WardStatus.GEOCODED,
                                   state_house=house, state_senate=senate, first_name=name,
                                   email=f"{name.lower()}@example.org")
        assert letters.send_letter(signature, petition, now=MORNING).created
        db.session.commit()


def member_email(app, chamber, district):
    with app.app_context():
        return db.session.scalar(select(Legislator.email).where(
            Legislator.chamber == chamber, Legislator.district == district))


def digest(app):
    with app.app_context():
        report = letter_digests.send_digests(DAY, now=AFTER_DAY)
        db.session.commit()
        return report


def test_each_state_member_gets_one_digest_at_the_rosters_address(tirc, smtp_server):
    write(tirc, "Ana")
    write(tirc, "Bo")
    report = digest(tirc)
    assert (report.digests, report.letters, report.waiting) == (2, 4, [])
    deliver_mail(tirc)
    [house] = smtp_server.sink.to(member_email(tirc, "house", 3))
    [senate] = smtp_server.sink.to(member_email(tirc, "senate", 2))
    assert house["Subject"].startswith("2 letters from constituents in House district 3")
    assert senate["Subject"].startswith("2 letters from constituents in Senate district 2")
    assert f"To {REP}, State Representative for Illinois House district 3:" in text_of(house)
    assert f"To {SENATOR}, State Senator for Illinois Senate district 2:" in text_of(senate)
    assert "ana@example.org" in text_of(senate) and "bo@example.org" in text_of(senate)
    assert digest(tirc).digests == 0  # never twice


def test_a_member_without_email_waits_and_the_organizers_are_told(tirc, smtp_server):
    senate_email = member_email(tirc, "senate", 2)
    with tirc.app_context():
        db.session.execute(update(Legislator).where(
            Legislator.chamber == "senate", Legislator.district == 2).values(email=""))
        db.session.commit()
    write(tirc, "Ana")
    result = run(tirc, "letters", "send-digests", "--date", DAY.isoformat())
    assert "Not sent: Senate district 2: Omar Aquino has no email address" in result.output
    with tirc.app_context():
        assert [(d.chamber, d.ward) for d in db.session.scalars(select(LetterDigest))] == [
            ("house", 3)]
        make_organizer("org@example.org", petitions=[
            db.session.scalar(select(Petition).where(Petition.slug == SLUG))])
    org = tirc.test_client()
    login(org, "org@example.org")
    html = org.get(f"/organizer/petitions/{SLUG}/letters").get_data(as_text=True)
    assert "Daily emails that cannot go" in html
    assert "Senate district 2" in html and "Omar Aquino has no email address" in html
    # The roster gets the address back: the waiting letter goes in the next digest.
    with tirc.app_context():
        db.session.execute(update(Legislator).where(
            Legislator.chamber == "senate", Legislator.district == 2).values(
            email=senate_email))
        db.session.commit()
    report = digest(tirc)
    assert (report.digests, report.letters) == (1, 1)
    deliver_mail(tirc)
    assert smtp_server.sink.to(senate_email)


def test_a_vacant_seat_gets_no_digest(tirc):
    write(tirc, "Ana")
    with tirc.app_context():
        db.session.execute(update(Legislator).where(
            Legislator.chamber == "house", Legislator.district == 3).values(
            vacant=True, name="", email=""))
        db.session.commit()
    report = digest(tirc)
    assert report.waiting == ["House district 3: the seat is vacant; its letters wait"]
    assert report.digests == 1  # the Senator's
