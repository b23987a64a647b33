"""Organizers record each alder's stance with its evidence; every change is kept."""

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import AlderStance, AuditEntry, Stance, StanceChange
from tests.conftest import form_token, login
from tests.factories import make_organizer, make_petition

PAGE = "/organizer/petitions/ecps/wards/32/stance"


@pytest.fixture
def organizer(rosters):
    with rosters.app_context():
        petition = make_petition(slug="ecps")
        make_organizer("ana@example.org", petitions=[petition])
        make_petition(slug="other")
    client = rosters.test_client()
    login(client, "ana@example.org")
    return client


def _post(client, page=PAGE, **data):
    return client.post(page, data=dict(data, csrf_token=form_token(client, page)))


def test_a_stance_with_its_source_is_saved_kept_in_history_and_audited(rosters, organizer):
    response = _post(organizer, stance="co_sponsor",
                     source_url="https://chicago.legistar.com/vote/123",
                     source_note="Co-sponsored the ordinance")
    assert response.status_code == 303 and response.location.endswith("#ward-32")
    _post(organizer, stance="supports", source_url="", source_note="Said so at a meeting")
    assert _post(organizer, stance="supports", source_url="",
                 source_note="Said so at a meeting").status_code == 303  # no change
    with rosters.app_context():
        row = db.session.get(AlderStance, (1, 32))
        assert (row.stance, row.source_url, row.source_note) == (
            Stance.SUPPORTS, None, "Said so at a meeting")
        changes = db.session.scalars(select(StanceChange).order_by(StanceChange.id)).all()
        assert [(c.stance, c.changed_by_email) for c in changes] == [
            (Stance.CO_SPONSOR, "ana@example.org"), (Stance.SUPPORTS, "ana@example.org")]
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert actions.count("stance_change") == 2
    page = organizer.get(PAGE).get_data(as_text=True)
    assert "Co-sponsored the ordinance" in page and "Said so at a meeting" in page
    assert 'href="https://chicago.legistar.com/vote/123"' in page
    assert "Source and history" in organizer.get("/organizer/petitions/ecps").get_data(
        as_text=True)


@pytest.mark.parametrize(("field", "value"), [
    ("stance", "maybe"), ("source_url", "javascript:alert(1)"), ("source_url", "ftp://x.org"),
    ("source_url", "https://" + "a" * 600), ("source_note", "x" * 301),
    ("source_note", "line\r\nbreak"),
])
def test_bad_input_is_a_form_error_and_changes_nothing(rosters, organizer, field, value):
    data = {"stance": "supports", "source_url": "", "source_note": "", field: value}
    response = _post(organizer, **data)
    assert response.status_code == 400
    with rosters.app_context():
        assert db.session.scalars(select(StanceChange)).all() == []


def test_wards_outside_1_to_50_and_other_petitions_are_not_found(organizer):
    assert organizer.get("/organizer/petitions/ecps/wards/51/stance").status_code == 404
    assert organizer.get("/organizer/petitions/ecps/wards/0/stance").status_code == 404
    assert organizer.get("/organizer/petitions/other/wards/3/stance").status_code == 404
