"""The public counts API."""

from petition.extensions import db
from petition.models import WardStatus
from petition.models.base import utcnow
from petition.petitions import counts
from tests.factories import make_petition, make_signature


def test_counts_confirmed_signatures_by_ward(app, client):
    with app.app_context():
        petition = make_petition(slug="ecps")
        other = make_petition(slug="other")
        now = utcnow()
        for ward, status, confirmed in [
            (1, WardStatus.GEOCODED, True),
            (1, WardStatus.GEOCODED, True),
            (32, WardStatus.CONFIRMED, True),
            (32, WardStatus.GEOCODED, False),  # pending: not counted
            (None, WardStatus.OUTSIDE_CHICAGO, True),
            (None, WardStatus.UNKNOWN, True),
        ]:
            make_signature(petition, ward=ward, ward_status=status,
                           confirmed_at=now if confirmed else None)
        make_signature(other, ward=1, confirmed_at=now)
        db.session.commit()
        petition_id = petition.id
    data = client.get("/api/v1/petitions/ecps/counts").get_json()
    assert data["total"] == 5
    assert data["wards"]["1"] == 2 and data["wards"]["32"] == 1 and data["wards"]["2"] == 0
    assert list(data["wards"]) == [str(n) for n in range(1, 51)]
    assert data["outside_chicago"] == 1
    assert data["updated_at"].endswith("Z")
    with app.app_context():
        assert counts.recount(petition_id) == {"1": 2, "32": 1, "outside": 1, "unknown": 1}


def test_unknown_slug_is_a_json_404(client, app):
    response = client.get("/api/v1/petitions/nope/counts")
    assert response.status_code == 404
    assert response.is_json and "error" in response.get_json()


def test_unknown_api_route_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json() == {"error": "We could not find that page."}


def test_wrong_method_is_a_json_405(client, app):
    with app.app_context():
        make_petition(slug="ecps")
    response = client.post("/api/v1/petitions/ecps/counts")
    assert response.status_code == 405
    assert "error" in response.get_json()
