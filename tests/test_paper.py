"""Typing in paper signatures: one row per submit, the address placed on the server with
"did you mean" and the ward near a line, duplicates shown for a decision, counted as
confirmed (never emailed), in the exports and packets, audited; hostile rows are form
errors."""

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import AuditEntry, OutboxMessage, Petition, Signature, WardStatus
from petition.models.base import utcnow
from petition.petitions import counts
from petition.petitions.counts import city_day
from tests.conftest import csrf_token_from, login
from tests.factories import make_confirmed, make_organizer, make_petition
from tests.hostile import HOSTILE_INPUT

PAGE = "/organizer/petitions/ecps/paper"


def today():
    return city_day(utcnow())


def row(**fields):
    values = {"first_name": "Rosa", "last_name": "Parks", "address": "1958 N Milwaukee Ave",
              "zip": "60647", "signed_on": today().isoformat(), "sheet_number": "12",
              "collected_by": "Maria"}
    values.update(fields)
    return {k: v for k, v in values.items() if v is not None}


@pytest.fixture
def paper(app, client):
    with app.app_context():
        petition = make_petition(slug="ecps", title="ECPS", requires_confirmation=True,
                                 created_at=utcnow() - timedelta(days=30))
        make_organizer("ana@example.org", petitions=[petition])
        make_organizer("zoe@example.org")  # runs no petition
    login(client, "ana@example.org")
    return client


def post(client, **fields):
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    return client.post(PAGE, data=dict(row(**fields), csrf_token=token))


def paper_rows(app):
    with app.app_context():
        return db.session.scalars(select(Signature).where(Signature.source == "paper")
                                  .order_by(Signature.id)).all()


def test_a_row_is_saved_counted_as_confirmed_and_never_emailed(app, paper):
    response = post(paper, email="Rosa.Parks+x@Example.org", phone="(312) 555-0100")
    assert response.status_code == 303 and response.location.endswith(PAGE)
    [saved] = paper_rows(app)
    assert (saved.first_name, saved.ward, saved.ward_status) == ("Rosa", 1, WardStatus.GEOCODED)
    assert saved.source == "paper" and saved.sheet_number == "12"
    assert saved.collected_by == "Maria" and saved.signed_on == today()
    assert saved.confirmed_at is not None and saved.confirmation_sends == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        petition = db.session.scalar(select(Petition))
        assert counts.confirmed_total(petition.id) == 1
        assert counts.petition_counts(petition)["wards"]["1"] == 1
        assert counts.drift(petition.id) == []
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "paper_signature"))
        assert entry.details["signature_id"] == saved.id and entry.wards == "1"
        assert entry.organizer_email == "ana@example.org"
    # The form comes back empty, focused on the first name, keeping the sheet, day and
    # collector, with the row listed.
    page = paper.get(PAGE).get_data(as_text=True)
    assert re.search(r"<input autofocus id=\"first_name\"[^>]* value=\"\">", page)
    assert re.search(r"name=\"sheet_number\" type=\"text\" value=\"12\"", page)
    assert f'value="{today().isoformat()}"' in page and 'value="Maria"' in page
    assert "Rosa Parks" in page.split("Last saved rows")[1]


def test_a_misspelled_street_offers_did_you_mean_and_saves_nothing(app, paper):
    response = post(paper, address="5801 S Elys Ave", zip="60637")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and paper_rows(app) == []
    assert 'name="suggested_address" value="5801 S Ellis Ave"' in html
    assert 'value="5801 S Elys Ave"' in html and 'value="Rosa"' in html
    assert post(paper, address="5801 S Elys Ave", zip="60637",
                suggested_address="5801 S Ellis Ave").status_code == 303
    [saved] = paper_rows(app)
    assert saved.address == "5801 S Ellis Ave" and saved.ward == 5
    assert saved.state_house and saved.state_senate  # recorded like a signature online


def test_near_a_boundary_the_organizer_chooses_the_ward(app, paper):
    response = post(paper, address="1600 N Milwaukee Ave")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and paper_rows(app) == []
    assert re.search(r'type="radio" id="ward-1" name="ward" value="1"', html)
    assert re.search(r'type="radio" id="ward-32" name="ward" value="32"', html)
    # A ward the address is not near is not a choice.
    response = post(paper, address="1600 N Milwaukee Ave", ward="40")
    assert response.status_code == 400
    assert "Choose one of the wards shown" in response.get_data(as_text=True)
    assert paper_rows(app) == []
    assert post(paper, address="1600 N Milwaukee Ave", ward="32").status_code == 303
    [saved] = paper_rows(app)
    assert (saved.ward, saved.ward_status) == (32, WardStatus.CONFIRMED)


def test_outside_chicago_is_refused_when_the_petition_refuses_it(app, paper):
    with app.app_context():
        db.session.scalar(select(Petition)).accepts_outside_chicago = False
        db.session.commit()
    response = post(paper, address="1600 Chicago Ave", zip="60201")
    assert response.status_code == 400 and paper_rows(app) == []
    assert "outside the city" in response.get_data(as_text=True)


def test_a_duplicate_is_shown_and_needs_a_decision(app, paper):
    with app.app_context():
        petition = db.session.scalar(select(Petition))
        make_confirmed(petition, ward=1, first_name="Rosa", last_name="Parks",
                       address="1958 N. Milwaukee Ave", email="rosa@example.org")
    # Same name and address (typed differently): shown, nothing saved.
    html = post(paper, first_name="rosa", address="1958 n milwaukee ave").get_data(
        as_text=True)
    assert "This row may already be signed" in html and "rosa@example.org" in html
    assert paper_rows(app) == []
    # Same normalised email, another name.
    html = post(paper, first_name="R", email="Rosa+paper@Example.org").get_data(as_text=True)
    assert "This row may already be signed" in html and paper_rows(app) == []
    skipped = post(paper, first_name="rosa", address="1958 n milwaukee ave", duplicate="skip")
    assert skipped.status_code == 303 and paper_rows(app) == []
    assert post(paper, first_name="rosa", address="1958 n milwaukee ave",
                duplicate="add").status_code == 303
    # Added anyway with the email another signature has: stored without it.
    assert post(paper, first_name="R", email="rosa@example.org",
                duplicate="add").status_code == 303
    rows = paper_rows(app)
    assert len(rows) == 2 and rows[1].email == "" and "@" not in rows[1].email_normalized
    with app.app_context():
        assert counts.confirmed_total(db.session.scalar(select(Petition.id))) == 3


@pytest.mark.parametrize("fields, message", [
    ({"signed_on": (utcnow().date() + timedelta(days=3)).isoformat()}, "in the future"),
    ({"signed_on": (utcnow().date() - timedelta(days=60)).isoformat()}, "before the petition"),
    ({"signed_on": "31/12/2026"}, "Not a valid date"),
    ({"signed_on": ""}, "Enter the date written on the sheet."),
    ({"first_name": ""}, "Enter the first name."),
    ({"zip": "6064"}, "5-digit ZIP"),
    ({"email": "not-an-email"}, "valid email"),
    ({"phone": "call me"}, "phone number"),
    ({"sheet_number": "x" * 21}, "at most 20"),
    ({"duplicate": "maybe"}, "skip the row or to add it"),
])
def test_bad_rows_are_form_errors(app, paper, fields, message):
    response = post(paper, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert paper_rows(app) == []


@pytest.mark.parametrize("value", HOSTILE_INPUT)
def test_hostile_input_in_every_field_is_never_a_500(app, paper, value):
    for name in ("first_name", "last_name", "address", "zip", "email", "phone", "signed_on",
                 "sheet_number", "collected_by", "suggested_address", "ward", "duplicate"):
        response = post(paper, **{name: value})
        assert response.status_code < 500, (name, value)
        assert b"<script>alert(1)</script>" not in response.get_data()


def test_only_the_petitions_organizers_may_type_in(app, client, paper):
    assert paper.get("/organizer/petitions/other/paper").status_code == 404
    other = app.test_client()
    assert other.get(PAGE).status_code in (302, 401)
    login(other, "zoe@example.org")
    assert other.get(PAGE).status_code == 404


def test_paper_without_email_and_the_public_total(app, paper):
    assert post(paper).status_code == 303
    assert post(paper, first_name="Ida", email="ida@example.org").status_code == 303
    with app.app_context():
        petition = db.session.scalar(select(Petition))
        assert counts.confirmed_total(petition.id) == 2
        petition.paper_without_email_counts = False
        db.session.commit()
        assert counts.confirmed_total(petition.id) == 1
        public = counts.petition_counts(petition)
        assert public["total"] == 1 and public["wards"]["1"] == 2  # still in its ward
        assert counts.drift(petition.id) == []
    assert paper.get("/api/v1/petitions/ecps/counts").get_json()["total"] == 1


def test_paper_signatures_are_in_exports_and_packets(app, paper):
    assert post(paper, first_name="Ida").status_code == 303
    body = paper.get("/organizer/petitions/ecps/export.csv").get_data().decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(body)))
    ida = next(r for r in rows if r[0] == "Ida")
    assert ida[rows[0].index("source")] == "paper" and ida[rows[0].index("ward")] == "1"
    packet = paper.get("/organizer/petitions/ecps/wards/1/packet").get_data(as_text=True)
    assert "Ida" in packet


def test_the_setting_is_on_the_petition_form(app, paper):
    html = paper.get("/organizer/petitions/ecps/edit").get_data(as_text=True)
    assert re.search(r'checked[^>]*id="paper_without_email_counts"|'
                     r'id="paper_without_email_counts"[^>]*checked', html)


def test_the_page_and_its_errors_speak_spanish(app, paper):
    paper.get("/language/es")
    page = paper.get(PAGE).get_data(as_text=True)
    assert "Firmas en papel" in page and "Número de hoja" in page
    html = post(paper, signed_on=(utcnow().date() + timedelta(days=3)).isoformat()).get_data(
        as_text=True)
    assert "La fecha de la firma no puede estar en el futuro." in html
    html = post(paper, address="1600 N Milwaukee Ave").get_data(as_text=True)
    assert "¿En qué distrito está?" in html and "Distrito 32" in html
