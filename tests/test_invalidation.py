"""Admins set aside bad signatures by filter, with a preview, and can restore them."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import AuditEntry, Invalidation, Petition, Signature, WardCount, WardStatus
from petition.organizer import invalidation
from petition.petitions import counts
from petition.signing import confirmation, tokens
from petition.web.forms import FieldError
from tests.conftest import form_token, login
from tests.factories import make_confirmed, make_organizer, make_petition, make_signature


def _counts(petition_id):
    return dict(db.session.execute(
        select(WardCount.ward_key, WardCount.confirmed).where(WardCount.petition_id == petition_id)
    ).all())


@pytest.fixture
def setup(app, client):
    with app.app_context():
        petition = make_petition(slug="ecps")
        make_organizer("boss@example.org", is_admin=True)
        make_organizer("ana@example.org", petitions=[petition])
        for i in range(3):
            make_confirmed(petition, ward=32, email=f"bot{i}@spam.example",
                           ip_address="203.0.113.9",
                           created_at=datetime(2025, 5, 1, 12, i))
        make_signature(petition, ward=32, ward_status=WardStatus.GEOCODED,
                       email="bot9@spam.example", created_at=datetime(2025, 5, 1, 12, 9))
        make_confirmed(petition, ward=32, email="real@example.org",
                       created_at=datetime(2025, 5, 2))
        make_confirmed(petition, ward=1, email="other@spam.example.org",
                       created_at=datetime(2025, 5, 2))
    login(client, "boss@example.org")
    return client


def test_preview_then_invalidate_then_restore(setup, app):
    url = "/organizer/petitions/ecps/invalidate"
    preview = setup.get(url + "?email_domain=SPAM.example")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "4 signatures match" in html and "3 of them counted now" in html
    with app.app_context():
        petition_id = db.session.scalar(select(Petition.id))
        assert _counts(petition_id) == {"32": 4, "1": 1}
    response = setup.post(url, data={"email_domain": "spam.example",
                                     "csrf_token": form_token(setup, url)})
    assert response.status_code == 303
    assert "4 signatures invalidated (3 of them had been counted)" in \
        setup.get(url).get_data(as_text=True)
    with app.app_context():
        assert _counts(petition_id) == {"32": 1, "1": 1}
        assert counts.recount(petition_id) == {"32": 1, "1": 1}
        db.session.rollback()
        batch = db.session.scalar(select(Invalidation))
        assert (batch.matched, batch.confirmed) == (4, 3)
        assert batch.criteria == {"email_domain": "spam.example"}
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "invalidate"))
        assert entry.rows == 4 and entry.organizer_email == "boss@example.org"
        batch_id = batch.id
    # Left out of exports by default, and of the public counts.
    body = setup.get("/organizer/petitions/ecps/export.csv?status=all").get_data(as_text=True)
    assert "bot0@" not in body and "real@example.org" in body
    assert setup.get("/api/v1/petitions/ecps/counts").get_json()["total"] == 2
    # Restore puts everything back.
    restore = f"/organizer/petitions/ecps/invalidations/{batch_id}/restore"
    response = setup.post(restore, data={"csrf_token": form_token(setup, url)})
    assert response.status_code == 303
    with app.app_context():
        assert _counts(petition_id) == {"32": 4, "1": 1}
        assert db.session.scalar(select(func.count()).where(
            Signature.invalidated_at.is_not(None))) == 0
        assert db.session.get(Invalidation, batch_id).is_restored
    response = setup.post(restore, data={"csrf_token": form_token(setup, url)})
    assert "already restored" in setup.get(url).get_data(as_text=True)


def test_filters_by_ip_and_time_window(setup, app):
    with app.app_context():
        petition = db.session.scalar(select(Petition))
        by_ip = invalidation.make_criteria(ip_address="203.0.113.9")
        assert invalidation.preview(petition, by_ip).matched == 3
        # 12:00-12:02 UTC on May 1 is 07:00-07:02 in Chicago (CDT), but services take UTC.
        window = invalidation.make_criteria(since=datetime(2025, 5, 1, 12, 0),
                                            until=datetime(2025, 5, 1, 12, 2))
        assert invalidation.preview(petition, window).matched == 2
    # The form takes Chicago time.
    html = setup.get("/organizer/petitions/ecps/invalidate?since=2025-05-01T07:00"
                     "&until=2025-05-01T07:02").get_data(as_text=True)
    assert "2 signatures match" in html


@pytest.mark.parametrize("query, message", [
    ("email_domain=not a domain", "email domain like"),
    ("ip_address=999.1.1.1", "IP address like"),
    ("since=2025-05-02T00:00&until=2025-05-01T00:00", "must be before"),
    ("since=yesterday", "Not a valid datetime"),
    ("email_domain=", "at least one filter"),
])
def test_bad_filters_are_form_errors(setup, query, message):
    response = setup.get(f"/organizer/petitions/ecps/invalidate?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_invalidation_needs_a_filter_and_an_admin(setup, app):
    with app.app_context():
        with pytest.raises(FieldError):
            invalidation.make_criteria()
    other = app.test_client()
    login(other, "ana@example.org")
    assert other.get("/organizer/petitions/ecps/invalidate").status_code == 403
    token = form_token(other, "/organizer/petitions/ecps")
    response = other.post("/organizer/petitions/ecps/invalidate",
                          data={"email_domain": "spam.example", "csrf_token": token})
    assert response.status_code == 403


def test_confirming_an_invalidated_signature_does_not_count_it(setup, app):
    with app.app_context():
        petition = db.session.scalar(select(Petition))
        from petition.models import Organizer

        admin = db.session.scalar(select(Organizer).where(Organizer.is_admin))
        invalidation.invalidate(petition, invalidation.make_criteria(email_domain="spam.example"),
                                actor=admin)
        db.session.commit()
        pending = db.session.scalar(select(Signature).where(
            Signature.email == "bot9@spam.example"))
        token = tokens.make_confirm_token(app.config["SECRET_KEY"], pending.id,
                                          pending.email_normalized)
        petition_id = petition.id
    with app.test_request_context():
        result = confirmation.confirm_signature(token)
        assert result.status == "confirmed"
        db.session.commit()
        assert _counts(petition_id) == {"32": 1, "1": 1}
        assert counts.recount(petition_id) == {"32": 1, "1": 1}


def test_invalidated_signatures_do_not_move_counts_when_their_ward_changes(setup, app):
    from petition.models import Organizer
    from petition.signing.ward_choice import set_signature_ward

    with app.app_context():
        petition = db.session.scalar(select(Petition))
        admin = db.session.scalar(select(Organizer).where(Organizer.is_admin))
        invalidation.invalidate(petition, invalidation.make_criteria(email_domain="spam.example"),
                                actor=admin)
        db.session.commit()
        bot = db.session.scalar(select(Signature).where(Signature.email == "bot0@spam.example"))
        change = set_signature_ward(bot, 7)
        db.session.commit()
        assert not change.counted
        assert _counts(petition.id) == {"32": 1, "1": 1}
        assert counts.recount(petition.id) == {"32": 1, "1": 1}


@pytest.mark.parametrize("field", ["since", "until"])
@pytest.mark.parametrize("value", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_times_at_the_ends_of_the_calendar_are_a_form_error(setup, field, value):
    url = "/organizer/petitions/ecps/invalidate"
    preview = setup.get(url, query_string={field: value})
    assert preview.status_code == 400
    assert "between the years 2000 and 2999" in preview.get_data(as_text=True)
    response = setup.post(url, data={field: value, "email_domain": "spam.example",
                                     "csrf_token": form_token(setup, url)})
    assert response.status_code == 400
    assert "between the years 2000 and 2999" in response.get_data(as_text=True)
