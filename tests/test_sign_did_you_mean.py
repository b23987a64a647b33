"""A misspelled street on the sign form gets "did you mean", keeping everything typed."""

import pytest
from sqlalchemy import select

from petition.extensions import db
from petition.models import Signature, WardStatus
from tests.conftest import sign
from tests.factories import make_petition

# Two letters off a five-letter name: too far to correct on its own (one letter off, as in
# "Elis", is corrected), close enough to suggest Ellis.
MISSPELLED = {"address": "5801 S Elys Ave", "zip": "60637", "first_name": "Ana",
              "last_name": "Núñez", "email": "ana@example.org", "phone": "(312) 555-0123"}


@pytest.fixture
def petition(app):
    with app.app_context():
        return make_petition(slug="ecps").slug


def _signatures(app):
    with app.app_context():
        return db.session.execute(select(Signature.address, Signature.ward,
                                         Signature.ward_status)).all()


def test_a_misspelled_street_is_answered_with_addresses_to_try(app, client, petition):
    response = sign(client, **MISSPELLED)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We could not find this street in Chicago." in html
    assert 'name="suggested_address" value="5801 S Ellis Ave"' in html
    assert 'name="keep_address" value="y"' in html
    for typed in ('value="Ana"', 'value="Núñez"', 'value="ana@example.org"',
                  'value="5801 S Elys Ave"', 'value="60637"', 'value="(312) 555-0123"'):
        assert typed in html
    # The suggestions come after the Sign button: Enter in a field still signs as typed.
    assert html.index('class="button primary">Sign the petition') < html.index(
        'name="suggested_address"')
    assert _signatures(app) == []


def test_choosing_a_suggestion_signs_with_that_address(app, client, petition):
    response = sign(client, suggested_address="5801 S Ellis Ave", **MISSPELLED)
    assert response.status_code == 303
    [(address, ward, status)] = _signatures(app)
    assert address == "5801 S Ellis Ave" and ward == 5 and status is WardStatus.GEOCODED


def test_keeping_the_typed_address_signs_with_the_ward_unknown(app, client, petition):
    response = sign(client, keep_address="y", **MISSPELLED)
    assert response.status_code == 303
    assert _signatures(app) == [("5801 S Elys Ave", None, WardStatus.UNKNOWN)]


def test_a_hostile_suggestion_is_a_form_error_not_a_signature(app, client, petition):
    response = sign(client, suggested_address="x" * 201, **MISSPELLED)
    assert response.status_code == 200 and _signatures(app) == []


