"""Anonymising a petition's signers after the campaign."""

from sqlalchemy import select

from petition.extensions import db
from petition.mail import outbox
from petition.models import OutboxMessage, OutboxStatus, PetitionState, Signature, WardStatus
from petition.models.base import utcnow
from tests.factories import make_petition, make_signature


def setup_campaign(app, state=PetitionState.CLOSED):
    with app.app_context():
        petition = make_petition(slug="ecps", state=state)
        other = make_petition(slug="other")
        now = utcnow()
        for ward in (1, 1, 32):
            s = make_signature(petition, ward=ward, ward_status=WardStatus.GEOCODED,
                               confirmed_at=now, phone="312-555-0100", ip_address="10.0.0.1",
                               lon=-87.6, lat=41.9)
            outbox.enqueue(kind="confirmation", to_address=s.email, template="confirm_signature",
                           context={"signature_id": s.id}, signature_id=s.id)
        make_signature(other, first_name="Keep", email="keep@example.org")
        db.session.commit()


def test_anonymize_blanks_personal_data_and_keeps_counts(app, client):
    setup_campaign(app)
    before = client.get("/api/v1/petitions/ecps/counts").get_json()
    result = app.test_cli_runner().invoke(args=["signatures", "anonymize", "--petition", "ecps",
                                                "--yes"])
    assert result.exit_code == 0, result.output
    assert "3 signatures anonymized, 3 emails emptied" in result.output
    with app.app_context():
        rows = db.session.scalars(
            select(Signature).join(Signature.petition).where(Signature.petition.has(slug="ecps"))
        ).all()
        for s in rows:
            assert (s.first_name, s.last_name, s.email, s.address, s.zip) == ("", "", "", "", "")
            assert s.phone is None and s.ip_address is None and s.lon is None
            assert s.ward in (1, 32) and s.confirmed_at is not None and s.anonymized_at
        # The mail rows stay (organizers' sent counts) without an address or a text.
        mail = db.session.execute(select(OutboxMessage.to_address, OutboxMessage.status)).all()
        assert mail == [("", OutboxStatus.SKIPPED)] * 3
        kept = db.session.scalar(select(Signature).where(Signature.first_name == "Keep"))
        assert kept.email == "keep@example.org"
    after = client.get("/api/v1/petitions/ecps/counts").get_json()
    assert after["total"] == before["total"] == 3
    assert after["wards"] == before["wards"]
    # Running it again changes nothing more.
    again = app.test_cli_runner().invoke(args=["signatures", "anonymize", "--petition", "ecps",
                                               "--yes"])
    assert "0 signatures anonymized" in again.output


def test_anonymize_refuses_an_open_petition_without_force(app):
    setup_campaign(app, state=PetitionState.OPEN)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["signatures", "anonymize", "--petition", "ecps", "--yes"])
    assert refused.exit_code != 0 and "still open" in refused.output
    forced = runner.invoke(args=["signatures", "anonymize", "--petition", "ecps", "--yes",
                                 "--force"])
    assert forced.exit_code == 0


def test_anonymize_asks_before_acting(app):
    setup_campaign(app)
    result = app.test_cli_runner().invoke(args=["signatures", "anonymize", "--petition", "ecps"],
                                          input="n\n")
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(Signature.anonymized_at).limit(1)) is None


def test_unknown_petition_is_a_clean_error(app):
    result = app.test_cli_runner().invoke(args=["signatures", "anonymize", "--petition", "no",
                                                "--yes"])
    assert result.exit_code != 0 and "No petition" in result.output
