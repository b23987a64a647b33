"""The dashboard's counters stay equal to a full recount through every way a signature
changes, and `flask counts verify` finds and repairs drift."""

import pytest
from flask import current_app
from sqlalchemy import select, update

from petition.extensions import db
from petition.imports import service as imports
from petition.models import (
    DailyWardCount,
    ImportBatch,
    Organizer,
    Petition,
    Signature,
    WardStatus,
)
from petition.models.base import utcnow
from petition.organizer import invalidation
from petition.petitions import counts
from petition.signing import confirmation, flagging, tokens, ward_choice
from tests.conftest import VALID_SIGNER, csrf_token_from, form_token, login
from tests.factories import make_organizer, make_petition

LIMITS = "2 per minute"


@pytest.fixture
def limited(make_app):
    app = make_app(SIGN_RATE_LIMIT=LIMITS)
    with app.app_context():
        petition = make_petition(slug="ecps")
        make_organizer("admin@example.org", is_admin=True, petitions=[petition])
    return app


def sign(client, email, ip="203.0.113.1", **fields):
    page = client.get("/petitions/ecps", environ_base={"REMOTE_ADDR": ip})
    data = dict(VALID_SIGNER, email=email, **fields,
                csrf_token=csrf_token_from(page.get_data(as_text=True)))
    response = client.post("/petitions/ecps/sign", data=data, environ_base={"REMOTE_ADDR": ip})
    assert response.status_code == 303


def signature(email):
    return db.session.scalar(select(Signature).where(Signature.email == email))


def token(purpose, row):
    key = current_app.config["SECRET_KEY"]
    return tokens.make_token(purpose, key, row.id, row.email_normalized)


def totals(petition_id):
    rows = db.session.scalars(select(DailyWardCount)
                              .where(DailyWardCount.petition_id == petition_id)).all()
    return sum(r.confirmed for r in rows), sum(r.pending for r in rows)


def test_counters_match_a_recount_after_every_change(limited):
    client = limited.test_client()
    for n in range(4):
        sign(client, f"s{n}@example.org", ip=f"203.0.113.{n}")
    sign(client, "far@example.org", ip="203.0.113.9", address="1600 Pennsylvania Ave NW",
         zip="20500")
    for n in range(3):  # the third from one address in a minute is set aside
        sign(client, f"burst{n}@example.org", ip="198.51.100.7")
    with limited.app_context():
        petition_id = signature("s0@example.org").petition_id
        steps = []
        for email in ("s0@example.org", "s1@example.org", "burst2@example.org"):
            assert confirmation.confirm_signature(token("confirm", signature(email))).status \
                == "confirmed"
            db.session.commit()
            steps.append(("confirmed " + email, counts.drift(petition_id)))
        confirmation.remove_signature(token("remove", signature("s1@example.org")))
        confirmation.remove_signature(token("remove", signature("s2@example.org")))
        db.session.commit()
        steps.append(("removed one confirmed, one pending", counts.drift(petition_id)))
        for email in ("s0@example.org", "s3@example.org", "far@example.org"):
            ward_choice.set_signature_ward(signature(email), 44)
        db.session.commit()
        steps.append(("moved to ward 44", counts.drift(petition_id)))
        admin = db.session.scalar(select(Organizer).where(Organizer.is_admin))
        petition = db.session.get(Petition, petition_id)
        batch = invalidation.invalidate(
            petition, invalidation.make_criteria(ip_address="203.0.113.0"), actor=admin)
        db.session.commit()
        steps.append(("set aside by IP", counts.drift(petition_id)))
        assert totals(petition_id) == (0, 4)  # s3, far, burst0, burst1 pending
        invalidation.restore(petition, batch, actor=admin)
        flagged = flagging.flagged_signatures(petition)
        flagging.approve(petition, [row.id for row in flagged], actor=admin)
        db.session.commit()
        steps.append(("restored and approved", counts.drift(petition_id)))
        assert totals(petition_id) == (2, 4)  # s0 and burst2 confirmed again
    for what, found in steps:
        assert found == [], what


def test_verify_reports_and_repairs_drift(limited):
    client = limited.test_client()
    sign(client, "ana@example.org")
    sign(client, "ben@example.org", ip="203.0.113.2")
    runner = limited.test_cli_runner()
    result = runner.invoke(args=["counts", "verify", "--dry-run"])
    assert result.exit_code == 0 and "agree" in result.output
    with limited.app_context():
        # A counter changed behind the app's back (a manual edit, a bug).
        db.session.execute(update(DailyWardCount).values(pending=DailyWardCount.pending + 5))
        db.session.execute(update(Signature).where(Signature.email == "ben@example.org")
                           .values(ward=None, ward_status=WardStatus.UNKNOWN))
        db.session.commit()
    result = runner.invoke(args=["counts", "verify", "--dry-run"])
    assert result.exit_code == 1 and "disagree" in result.output
    assert "repaired" not in result.output
    result = runner.invoke(args=["counts", "verify"])
    assert result.exit_code == 0 and "repaired" in result.output
    result = runner.invoke(args=["counts", "verify", "--petition", "ecps", "--dry-run"])
    assert result.exit_code == 0 and "agree" in result.output
    result = runner.invoke(args=["counts", "verify", "--petition", "nope"])
    assert result.exit_code != 0 and "No petition with slug 'nope'" in result.output


def test_paper_signatures_keep_the_counters_equal_to_a_recount(limited):
    client = limited.test_client()
    login(client, "admin@example.org")
    page = "/organizer/petitions/ecps/paper"
    today = counts.city_day(utcnow()).isoformat()
    rows = [{"first_name": "Ida", "address": "1958 N Milwaukee Ave", "zip": "60647"},
            {"first_name": "Al", "address": "1600 N Milwaukee Ave", "zip": "60647",
             "ward": "32", "email": "al@paper.example"},
            {"first_name": "Bo", "address": "1600 Chicago Ave", "zip": "60201"}]
    for row in rows:
        data = dict(row, last_name="Wells", signed_on=today, sheet_number="3",
                    csrf_token=form_token(client, page))
        assert client.post(page, data=data).status_code == 303
    sign(client, "online@example.org")
    with limited.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        steps = [("typed in", counts.drift(petition.id))]
        assert totals(petition.id) == (3, 1)
        ward_choice.set_signature_ward(signature(""), 44)  # Ida, who has no email
        db.session.commit()
        steps.append(("moved to ward 44", counts.drift(petition.id)))
        admin = db.session.scalar(select(Organizer).where(Organizer.is_admin))
        invalidation.invalidate(petition, invalidation.make_criteria(
            email_domain="paper.example"), actor=admin)
        db.session.commit()
        steps.append(("set aside", counts.drift(petition.id)))
        assert totals(petition.id) == (2, 1)
    for what, found in steps:
        assert found == [], what


def test_imports_keep_the_counters_equal_to_a_recount(limited, tmp_path):
    client = limited.test_client()
    sign(client, "online@example.org")
    path = tmp_path / "list.csv"
    path.write_text("First Name,Last Name,Address,ZIP,Email\n"
                    "Ida,Wells,1958 N Milwaukee Ave,60647,ida@list.example\n"
                    "Al,Wells,1600 N Milwaukee Ave,60647,al@list.example\n"
                    "Bo,Wells,1600 Chicago Ave,60201,\n"
                    "Cy,Wells,1 Nowhere Blvd,60601,online@example.org\n", encoding="utf-8")
    runner = limited.test_cli_runner()
    result = runner.invoke(args=["signatures", "import", str(path), "--petition", "ecps",
                                 "--workers", "1"])
    assert result.exit_code == 0 and "imported:   3" in result.output, result.output
    with limited.app_context():
        petition = db.session.scalar(select(Petition).where(Petition.slug == "ecps"))
        steps = [("imported", counts.drift(petition.id))]
        assert totals(petition.id) == (3, 1)
        admin = db.session.scalar(select(Organizer).where(Organizer.is_admin))
        invalidation.invalidate(petition, invalidation.make_criteria(
            email_domain="list.example"), actor=admin)  # Ida and Al set aside
        db.session.commit()
        steps.append(("set aside", counts.drift(petition.id)))
        batch = db.session.scalar(select(ImportBatch))
        imports.undo(petition, batch, actor=admin)
        db.session.commit()
        steps.append(("undone", counts.drift(petition.id)))
        assert totals(petition.id) == (0, 1)
    verify = runner.invoke(args=["counts", "verify", "--dry-run"])
    assert verify.exit_code == 0, verify.output
    for what, found in steps:
        assert found == [], what
